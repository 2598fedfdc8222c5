//! Consensus: the validator set governance keeps (pallet-validator-set), sessions
//! (pallet-session), Aura (block production) and GRANDPA (finality).

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64, Get},
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::Void;
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

use crate::{
	configs::governance::FullGovernance, currency::deposit, time::SLOT_DURATION, AccountId,
	Balances, BlockNumber, Runtime, RuntimeEvent, SessionKeys, ValidatorSet,
};

/// The most validators the chain can have; bounds the authority lists of Aura and GRANDPA, the
/// validator set and the oracle's feeders.
pub type MaxAuthorities = ConstU32<32>;

/// Blocks per session: ten (one minute). A validator governance adds or removes takes or leaves
/// office at the second session boundary after, so within two minutes; a session that changes
/// nothing costs a read of the list and of each validator's keys.
pub const SESSION_LENGTH: BlockNumber = crate::time::MINUTES;

parameter_types! {
	/// See [`SESSION_LENGTH`].
	pub const SessionLength: BlockNumber = SESSION_LENGTH;
	/// The deposit for registering session keys: four storage items (the keys and each of the
	/// three keys' owner) of 200 bytes in all.
	pub const SessionKeyDeposit: crate::Balance = deposit(4, 200);
}

/// The fewest validators the list may keep: the oracle's quorum (at least one), so that the
/// validators' `orcl` keys can always set prices.
pub struct OracleQuorum;

impl Get<u32> for OracleQuorum {
	fn get() -> u32 {
		pallet_oracle::MinFeeders::<Runtime>::get().max(1)
	}
}

/// Governance adds and removes validators; the pallet rotates sessions every [`SESSION_LENGTH`]
/// blocks with a measured weight.
impl pallet_validator_set::Config for Runtime {
	type MaxValidators = MaxAuthorities;
	type MinValidators = OracleQuorum;
	type SessionLength = SessionLength;
	type ManagerOrigin = FullGovernance;
	type WeightInfo = crate::weights::pallet_validator_set::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::SessionKeysHelper;
}

/// Sessions: validators are accounts and register their Aura, GRANDPA and oracle keys with
/// `session.setKeys`, paying [`SessionKeyDeposit`]; the validator set plans each session's
/// validators and rotates sessions (pallet-session never ends one by itself).
impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_validator_set::NeverEndsSession;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionLength, ConstU32<0>>;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = crate::weights::pallet_validator_set::WeightInfo<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

/// Aura: validators take turns authoring one block per six-second slot.
impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

/// GRANDPA: validators vote on chains and finalize blocks once two thirds agree; its authority
/// set changes with the session's validators.
///
/// Equivocation reports are not accepted yet: there is no staking to slash, so the key-owner
/// proof type is uninhabited.
impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = Void;
	type EquivocationReportSystem = ();
}
