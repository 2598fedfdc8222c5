//! The Lever runtime.
//!
//! Lever is an app-chain for leverage: users lock collateral in lending pools and vaults, borrow or
//! mint the lvUSD stablecoin, and the chain itself prices collateral and liquidates unsafe
//! positions. This crate wires the pallets together; each area's configuration lives in
//! [`configs`], the runtime APIs in [`apis`] and the genesis presets in [`genesis`].

#![cfg_attr(not(feature = "std"), no_std)]
// The runtime macro expands each pallet recursively; twenty-five pallets need more than 128.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

// Before `apis`: it defines the `list_benchmarks!` and `add_benchmarks!` macros `apis` uses.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis;
#[cfg(feature = "std")]
pub mod invariants;
pub mod migrations;
pub mod weights;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Types the node needs without knowing the runtime's extrinsic format.
///
/// The node only sees blocks as opaque byte vectors, so it keeps working across runtime upgrades
/// that change the extrinsic format.
pub mod opaque {
	use super::*;
	use sp_runtime::{
		generic,
		traits::{BlakeTwo256, Hash as HashT},
	};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for block production, GRANDPA for finality, and the
	/// oracle key its offchain worker signs price submissions with.
	pub struct SessionKeys {
		/// Signs the blocks this validator authors.
		pub aura: Aura,
		/// Signs this validator's finality votes.
		pub grandpa: Grandpa,
		/// Signs this validator's price submissions (`orcl`).
		pub oracle: Oracle,
	}
}

/// The runtime's version. Bump `spec_version` on every runtime change that is deployed, and
/// `transaction_version` whenever an extrinsic's encoding changes.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("lever"),
	impl_name: alloc::borrow::Cow::Borrowed("lever"),
	authoring_version: 1,
	spec_version: 120,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Block production and time constants.
pub mod time {
	use super::BlockNumber;

	/// The target time between two blocks, in milliseconds. Aura's slot duration equals it.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// Aura's slot duration in milliseconds. Changing it after genesis stalls block production.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks in one minute at the target block time.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks in one hour at the target block time.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks in one day at the target block time.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// Amounts of the native token LVR (12 decimals).
pub mod currency {
	use super::Balance;

	/// The number of decimals of LVR.
	pub const DECIMALS: u8 = 12;
	/// The token symbol of the native token.
	pub const SYMBOL: &str = "LVR";
	/// One whole LVR in its smallest unit.
	pub const UNIT: Balance = 1_000_000_000_000;
	/// One thousandth of an LVR.
	pub const MILLI_UNIT: Balance = UNIT / 1_000;
	/// One millionth of an LVR.
	pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
	/// The smallest balance an account may hold; below it the account is reaped.
	pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

	/// The deposit for keeping `items` storage items of `bytes` bytes in all: a hundredth of an
	/// LVR per item and a hundred-thousandth per byte. Saturates at `Balance::MAX`.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		(items as Balance)
			.saturating_mul(10 * MILLI_UNIT)
			.saturating_add((bytes as Balance).saturating_mul(10 * MICRO_UNIT))
	}
}

/// The SS58 address prefix of Lever accounts (addresses start with the same characters on every
/// wallet that reads it from the chain's metadata or properties).
pub const SS58_PREFIX: u16 = 7013;

/// The signature scheme of transactions: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account is identified by the public key that signs its transactions.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balances of LVR and of every pallet-assets asset.
pub type Balance = u128;
/// The identifier of a pallet-assets asset.
pub type AssetId = u32;
/// The transaction counter of an account.
pub type Nonce = u32;
/// The hash of a block.
pub type Hash = sp_core::H256;
/// The number of a block.
pub type BlockNumber = u32;
/// How transactions address accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// The header of a block.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// A block with the runtime's own extrinsic type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, checked in this order for every transaction.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic as it is submitted: call, signer, signature and extensions.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on the next runtime upgrade. Each runs once: at the pallet's storage
/// version it migrates from, or, for the vault pallet's move from its old name `Cdp`, while
/// anything lies under the old prefix (FRAME gives a pallet whose prefix is empty its code's
/// version before migrations run), or, for the validator set's seeding, while its list is empty;
/// a chain built from a newer genesis skips them all. Each
/// carries its own pre- and post-upgrade checks for try-runtime. Migrations over data with no
/// bound run after these, over several blocks (`configs::upgrades`).
type Migrations = (
	pallet_vaults::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_liquidation::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_liquidation::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_oracle::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_oracle::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_lending::migrations::v1::MarkV1<Runtime>,
	pallet_lending::migrations::v2::MarkV2<Runtime>,
	pallet_lending::migrations::v3::MigrateV2ToV3<Runtime>,
	migrations::SeedValidatorSet,
);

/// Dispatches calls and hooks to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// The runtime, assembled from its pallets. Indices are part of the encoding of every call and
/// storage key: never reuse or reorder them.
#[frame_support::runtime]
mod runtime {
	use frame_support::instances::{Instance1, Instance2};

	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type MultiBlockMigrations = pallet_migrations;

	// Before the session: its genesis plans the first session from the listed validators.
	#[runtime::pallet_index(8)]
	pub type ValidatorSet = pallet_validator_set;

	// After Aura and GRANDPA and before the oracle: its genesis hands each of them the first
	// validators' keys.
	#[runtime::pallet_index(9)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(10)]
	pub type Assets = pallet_assets;

	#[runtime::pallet_index(11)]
	pub type AssetRegistry = pallet_asset_registry;

	#[runtime::pallet_index(20)]
	pub type Oracle = pallet_oracle;

	#[runtime::pallet_index(30)]
	pub type Lending = pallet_lending;

	#[runtime::pallet_index(31)]
	pub type Vaults = pallet_vaults;

	#[runtime::pallet_index(32)]
	pub type Liquidation = pallet_liquidation;

	#[runtime::pallet_index(33)]
	pub type Leverage = pallet_leverage;

	#[runtime::pallet_index(34)]
	pub type Psm = pallet_psm;

	#[runtime::pallet_index(40)]
	pub type PolkadotXcm = pallet_xcm;

	// The AMM comes after the vaults: genesis builds pallets in index order, and the genesis
	// pools take lvUSD the vaults' genesis vault mints.
	#[runtime::pallet_index(50)]
	pub type PoolAssets = pallet_assets<Instance2>;

	#[runtime::pallet_index(51)]
	pub type AssetConversion = pallet_asset_conversion;

	#[runtime::pallet_index(60)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(61)]
	pub type Proxy = pallet_proxy;

	#[runtime::pallet_index(62)]
	pub type Multisig = pallet_multisig;

	#[runtime::pallet_index(70)]
	pub type RiskCouncil = pallet_collective<Instance1>;

	#[runtime::pallet_index(71)]
	pub type Preimage = pallet_preimage;

	#[runtime::pallet_index(72)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(73)]
	pub type Referenda = pallet_referenda;

	#[runtime::pallet_index(74)]
	pub type ConvictionVoting = pallet_conviction_voting;

	#[runtime::pallet_index(75)]
	pub type TrackPeriods = pallet_track_periods;
}
