//! Governance: who may change what, by the direction of risk (docs/GOVERNANCE.md).
//!
//! - **Full governance** ([`FullGovernance`]) is root. Any change may be made through it: listing
//!   markets and collateral types, raising factors and ceilings, validators, the oracle quorum,
//!   runtime upgrades. It is reached by a public referendum (pallet-referenda on one track,
//!   [`FullGovernanceTrack`], with LVR holders voting through pallet-conviction-voting): the
//!   call is stored as a preimage (pallet-preimage), decided within the track's periods
//!   (pallet-track-periods) and dispatched by pallet-scheduler after the enactment delay, during
//!   which users who disagree can exit. On the development chain the sudo key holds it too.
//! - **The risk council** ([`RiskCouncil`], a pallet-collective of a few members that full
//!   governance sets) acts at once by motion, but a majority of it ([`RiskCouncilMajority`]) may
//!   only reduce risk: pause or freeze a market or collateral type, lower a collateral factor,
//!   threshold or ceiling, raise a vault ratio, freeze a price. Each pallet's `RiskOrigin` is this
//!   majority, and each pallet refuses a riskier change from it with `RiskIncreasing`. Emergency
//!   shutdown needs two thirds of the council ([`RiskCouncilSupermajority`]).

use alloc::borrow::Cow;
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, AsEnsureOriginWithArg, ConstU32, EitherOfDiverse,
		EqualPrivilegeOnly, LinearStoragePrice, TotalIssuanceOf,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSigned};
use pallet_referenda::{Curve, Track, TrackInfo};
use pallet_track_periods::Periods;
use sp_runtime::{str_array, Perbill};

use crate::{
	configs::RuntimeBlockWeights,
	currency::{deposit, UNIT},
	time::DAYS,
	AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System,
};

/// The sudo key may dispatch any call as root.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// The pallet-collective instance of the risk council.
pub type RiskCouncilInstance = pallet_collective::Instance1;

/// Full governance: may make any change.
pub type FullGovernance = EnsureRoot<AccountId>;

/// More than half of the risk council's members, by motion: the tier that may only reduce risk.
pub type RiskCouncilMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, RiskCouncilInstance, 1, 2>;

/// At least two thirds of the risk council's members, by motion, or full governance: may shut
/// the vault system down.
pub type RiskCouncilSupermajority = EitherOfDiverse<
	FullGovernance,
	pallet_collective::EnsureProportionAtLeast<AccountId, RiskCouncilInstance, 2, 3>,
>;

parameter_types! {
	/// A council motion lapses one day after it is proposed if it has not been closed.
	pub const RiskCouncilMotionDuration: BlockNumber = DAYS;
	/// A motion may use at most half a block: the council's calls are single parameter changes.
	pub RiskCouncilMaxProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// The risk council: at most 16 members and 20 open motions. Members are set by full governance;
/// proposing needs no deposit, since only members may propose. A member who does not vote counts
/// as voting with the prime member, if one is set.
impl pallet_collective::Config<RiskCouncilInstance> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = RiskCouncilMotionDuration;
	type MaxProposals = ConstU32<20>;
	type MaxMembers = ConstU32<16>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	type SetMembersOrigin = FullGovernance;
	type MaxProposalWeight = RiskCouncilMaxProposalWeight;
	type DisapproveOrigin = FullGovernance;
	type KillOrigin = FullGovernance;
	type Consideration = ();
}

parameter_types! {
	/// The periods of a public network's referenda when its genesis sets none: a day to
	/// prepare, up to a week to decide, a day of confirmation and two days between approval and
	/// enactment (Maker's governance security module waits 48 hours).
	pub const PublicTrackPeriods: Periods<BlockNumber> =
		Periods { prepare: DAYS, decision: 7 * DAYS, confirm: DAYS, enactment: 2 * DAYS };
}

/// The periods of full governance's referenda: set in each chain's genesis (minutes on the dev
/// and local test chains, [`PublicTrackPeriods`] by default) and changed only by referendum.
impl pallet_track_periods::Config for Runtime {
	type DefaultPeriods = PublicTrackPeriods;
	type AdminOrigin = FullGovernance;
	type WeightInfo = crate::weights::pallet_track_periods::WeightInfo<Runtime>;
}

/// The one track of full governance's referenda.
pub const FULL_GOVERNANCE_TRACK: u16 = 0;

/// Full governance's track: up to ten referenda decided at once (more wait in a queue of 20, so
/// several parameter changes can pass in parallel), a decision deposit of 1,000 LVR,
/// the periods of [`pallet_track_periods`], approval falling from 100% to 50% of the votes cast
/// (conviction-weighted) over the decision period, and support (votes without conviction) from
/// 50% to 5% of LVR's total issuance.
pub struct FullGovernanceTrack;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for FullGovernanceTrack {
	type Id = u16;
	type RuntimeOrigin = OriginCaller;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<u16, Balance, BlockNumber>>> {
		let periods = pallet_track_periods::TrackPeriods::<Runtime>::get();
		core::iter::once(Cow::Owned(Track {
			id: FULL_GOVERNANCE_TRACK,
			info: TrackInfo {
				name: str_array("root"),
				max_deciding: 10,
				decision_deposit: 1_000 * UNIT,
				prepare_period: periods.prepare,
				decision_period: periods.decision,
				confirm_period: periods.confirm,
				min_enactment_period: periods.enactment,
				min_approval: Curve::LinearDecreasing {
					length: Perbill::one(),
					floor: Perbill::from_percent(50),
					ceil: Perbill::one(),
				},
				min_support: Curve::LinearDecreasing {
					length: Perbill::one(),
					floor: Perbill::from_percent(5),
					ceil: Perbill::from_percent(50),
				},
			},
		}))
	}

	/// Only root's calls are decided by referendum.
	fn track_for(origin: &OriginCaller) -> Result<u16, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(FULL_GOVERNANCE_TRACK),
			_ => Err(()),
		}
	}
}

parameter_types! {
	/// Submitting a referendum holds 10 LVR, returned once it is decided.
	pub const SubmissionDeposit: Balance = 10 * UNIT;
	/// A referendum whose decision deposit nobody places within two weeks times out.
	pub const UndecidingTimeout: BlockNumber = 14 * DAYS;
	/// Votes stay locked for a week per conviction doubling after the referendum ends.
	pub const VoteLockingPeriod: BlockNumber = 7 * DAYS;
	/// Scheduled calls (enactments) may use up to 80% of a block.
	pub SchedulerMaximumWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
	/// A stored preimage holds a deposit for its storage, by its length.
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// The deposit for one stored preimage...
	pub const PreimageBaseDeposit: Balance = deposit(2, 64);
	/// ...and per byte of it.
	pub const PreimageByteDeposit: Balance = deposit(0, 1);
}

/// Referenda on full governance's track; anyone with LVR may submit one.
impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_referenda::WeightInfo<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = FullGovernance;
	type KillOrigin = FullGovernance;
	type Slash = ();
	type Votes = Balance;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<20>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = FullGovernanceTrack;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// LVR holders' votes, weighted by conviction (how long they lock their LVR).
impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_conviction_voting::WeightInfo<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = TotalIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

/// Dispatches referenda's calls after their enactment delay; only full governance schedules.
impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = SchedulerMaximumWeight;
	type ScheduleOrigin = FullGovernance;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// The calls referenda decide, stored by hash; the one who notes a preimage holds a deposit
/// for its bytes until it is no longer needed.
impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = FullGovernance;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}
