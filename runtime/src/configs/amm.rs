//! The AMM: pallet-asset-conversion's constant-product pools over LVR and pallet-assets tokens,
//! with their LP tokens in a second pallet-assets instance (`PoolAssets`). The pools the dev and
//! local-testnet genesis seed from the treasury are in [`crate::genesis::amm`].
//!
//! Anyone may create a pool for a pair by paying [`PoolSetupFee`] LVR to the treasury (the LP
//! token's storage is paid for by that fee), add liquidity and swap along paths of up to
//! [`MaxSwapPathLength`] assets. Each swap pays [`LpFee`] to the pool's liquidity providers.

use alloc::vec;
use frame_support::{
	ord_parameter_types, parameter_types,
	traits::{
		tokens::{
			fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
			imbalance::ResolveAssetTo,
		},
		AsEnsureOriginWithArg, ConstU128, ConstU32,
	},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use pallet_asset_conversion::{AccountIdConverter, Ascending, Chain, WithFirstAsset};
use sp_runtime::{traits::AccountIdConversion, Permill};

use crate::{
	configs::lending::TreasuryAccount, currency::UNIT, AccountId, AssetId, Assets, Balance,
	Balances, PoolAssets, Runtime, RuntimeEvent,
};

/// What the AMM trades: LVR or a pallet-assets token.
pub type AmmAsset = NativeOrWithId<AssetId>;

/// LVR and every pallet-assets token behind one `fungibles` interface, LVR as `Native`.
pub type NativeAndAssets = UnionOf<Balances, Assets, NativeFromLeft, AmmAsset, AccountId>;

/// Each pool's account, derived from the AMM's pallet id and the pair.
pub type PoolIdToAccountId = AccountIdConverter<AmmPalletId, (AmmAsset, AmmAsset)>;

parameter_types! {
	/// The AMM's identifier: pool accounts derive from it.
	pub const AmmPalletId: PalletId = PalletId(*b"py/ascon");
	/// LVR, the asset the pool setup fee is paid in and that leads LVR pairs.
	pub const Native: AmmAsset = NativeOrWithId::Native;
	/// Every swap leaves 0.3% of its input to the pool's liquidity providers, like Uniswap v2.
	pub const LpFee: Permill = Permill::from_parts(3_000);
	/// Governance may raise one pool's fee to at most 10%.
	pub const MaxSwapFee: Permill = Permill::from_percent(10);
	/// Removing liquidity costs nothing.
	pub const LiquidityWithdrawalFee: Permill = Permill::zero();
	/// Creating a pool costs 10 LVR, paid to the treasury: it pays for the pool's storage.
	pub const PoolSetupFee: Balance = 10 * UNIT;
}

ord_parameter_types! {
	/// The AMM's own account: the only creator of LP tokens.
	pub const AmmAccount: AccountId = AccountIdConversion::<AccountId>::into_account_truncating(&AmmPalletId::get());
}

/// The LP tokens: created and minted only by the AMM, so they need no deposits.
impl pallet_assets::Config<pallet_assets::Instance2> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type AssetId = u32;
	type AssetIdParameter = u32;
	type ReserveData = ();
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSignedBy<AmmAccount, AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<0>;
	type AssetAccountDeposit = ConstU128<0>;
	type MetadataDepositBase = ConstU128<0>;
	type MetadataDepositPerByte = ConstU128<0>;
	type ApprovalDeposit = ConstU128<0>;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type RemoveItemsLimit = ConstU32<1000>;
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Constant-product pools between any two of LVR and the pallet-assets tokens; pools with LVR are
/// keyed with LVR first, the others in ascending order of asset id.
impl pallet_asset_conversion::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = AmmAsset;
	type Assets = NativeAndAssets;
	type PoolId = (AmmAsset, AmmAsset);
	type PoolLocator = Chain<
		WithFirstAsset<Native, AccountId, AmmAsset, PoolIdToAccountId>,
		Ascending<AccountId, AmmAsset, PoolIdToAccountId>,
	>;
	type PoolAssetId = u32;
	type PoolAssets = PoolAssets;
	type LPFee = LpFee;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxSwapFee = MaxSwapFee;
	type PoolSetupFee = PoolSetupFee;
	type PoolSetupFeeAsset = Native;
	type PoolSetupFeeTarget = ResolveAssetTo<TreasuryAccount, NativeAndAssets>;
	type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
	type MintMinLiquidity = ConstU128<100>;
	type MaxSwapPathLength = ConstU32<3>;
	type PalletId = AmmPalletId;
	type WeightInfo = crate::weights::pallet_asset_conversion::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_asset_conversion::NativeOrWithIdFactory<AssetId>;
}
