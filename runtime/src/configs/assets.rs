//! pallet-assets: every token other than LVR (collateral tokens, lvUSD, foreign assets).
//!
//! Anyone may create an asset by paying a deposit, but only under the next free identifier at or
//! above [`FIRST_USER_ASSET_ID`]: the identifiers below it are reserved for assets the chain itself
//! lists (the dev test assets, lvUSD, registered foreign assets), so nobody can squat them.

use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU128, ConstU32},
};
use frame_system::{EnsureRoot, EnsureSigned};

use crate::{
	currency::{MILLI_UNIT, UNIT},
	AccountId, AssetId, Balance, Balances, Runtime, RuntimeEvent,
};

/// The first asset identifier users can create; lower ones are reserved for the chain.
pub const FIRST_USER_ASSET_ID: AssetId = 1_000;

parameter_types! {
	/// Deposit to create an asset: pays for the asset's storage and deters spam.
	pub const AssetDeposit: Balance = 10 * UNIT;
	/// Deposit to store an asset's name, symbol and decimals.
	pub const MetadataDepositBase: Balance = UNIT;
	/// Deposit per byte of asset metadata.
	pub const MetadataDepositPerByte: Balance = 10 * MILLI_UNIT;
}

/// Fungible assets with u128 balances and u32 identifiers.
impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = ConstU128<{ 10 * MILLI_UNIT }>;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
	type ApprovalDeposit = ConstU128<{ 10 * MILLI_UNIT }>;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = pallet_assets::AutoIncAssetId<Runtime>;
	type RemoveItemsLimit = ConstU32<1000>;
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}
