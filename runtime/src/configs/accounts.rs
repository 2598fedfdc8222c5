//! Acting with and for other accounts: batches (pallet-utility), proxies (pallet-proxy: a bot or
//! a parachain's account acting for a user with limited powers) and multisig accounts
//! (pallet-multisig). Each deposit pays for the storage the call keeps, at [`deposit`]'s rate.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{parameter_types, traits::InstanceFilter};
use scale_info::TypeInfo;
use sp_runtime::traits::BlakeTwo256;

use crate::{
	currency::deposit, Balance, Balances, OriginCaller, Runtime, RuntimeCall, RuntimeEvent, System,
};

/// Batches of calls, dispatched from one origin.
impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

/// What a proxy may do for the account that named it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default
)]
pub enum ProxyType {
	/// Any call.
	#[default]
	Any,
	/// Any call that cannot move the account's funds to another account: no transfers of LVR
	/// or assets, no swaps (whose output may go elsewhere), no XCM, no flash loan (whose inner
	/// calls may transfer) and no sudo.
	NonTransfer,
	/// Only the account's positions: lending (but flash loans), vaults, leverage and the
	/// backstop pools, each of which pays out only to the account itself, and batches of such
	/// calls. For a bot that manages positions but can never take them for itself.
	Positions,
	/// Only governance: referenda, votes, preimages and risk council motions.
	Governance,
	/// Only rejecting a proxy's announced call, for an account that watches its time-delayed
	/// proxies.
	CancelProxy,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			Self::Any => true,
			Self::NonTransfer => !matches!(
				call,
				RuntimeCall::Balances(..)
					| RuntimeCall::Assets(..)
					| RuntimeCall::PoolAssets(..)
					| RuntimeCall::AssetConversion(..)
					| RuntimeCall::PolkadotXcm(..)
					| RuntimeCall::Lending(pallet_lending::Call::flash_loan { .. })
					| RuntimeCall::Sudo(..)
			),
			Self::Positions => match call {
				RuntimeCall::Lending(pallet_lending::Call::flash_loan { .. }) => false,
				RuntimeCall::Lending(..)
				| RuntimeCall::Vaults(..)
				| RuntimeCall::Leverage(..)
				| RuntimeCall::Liquidation(..)
				| RuntimeCall::Utility(..) => true,
				_ => false,
			},
			Self::Governance => matches!(
				call,
				RuntimeCall::RiskCouncil(..)
					| RuntimeCall::Referenda(..)
					| RuntimeCall::ConvictionVoting(..)
					| RuntimeCall::Preimage(..)
					| RuntimeCall::Utility(..)
			),
			Self::CancelProxy => matches!(
				call,
				RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement { .. })
					| RuntimeCall::Utility(..)
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(Self::Any, _) => true,
			(_, Self::Any) => false,
			(Self::NonTransfer, Self::Positions | Self::Governance) => true,
			_ => false,
		}
	}
}

parameter_types! {
	/// Naming proxies keeps one item of 8 bytes of bookkeeping...
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	/// ...and 33 bytes per proxy (an account and its type).
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	/// Announcing a call keeps one item of 8 bytes...
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	/// ...and 68 bytes per announcement (an account, a call hash and a block number).
	pub const AnnouncementDepositFactor: Balance = deposit(0, 68);
	/// A multisig operation keeps one item of 88 bytes...
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	/// ...and 32 bytes per signatory.
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
}

/// Up to 32 proxies and 32 pending announcements per account.
impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = frame_support::traits::ConstU32<32>;
	type WeightInfo = crate::weights::pallet_proxy::WeightInfo<Runtime>;
	type MaxPending = frame_support::traits::ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}

/// Multisig accounts of up to 100 signatories.
impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = frame_support::traits::ConstU32<100>;
	type WeightInfo = crate::weights::pallet_multisig::WeightInfo<Runtime>;
	type BlockNumberProvider = System;
}
