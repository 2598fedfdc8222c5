//! The AMM: pallet-asset-conversion's constant-product pools over LVR and pallet-assets tokens,
//! with their LP tokens in a second pallet-assets instance (`PoolAssets`), and the pools the dev
//! and local-testnet genesis seeds from the treasury.
//!
//! Anyone may create a pool for a pair by paying [`PoolSetupFee`] LVR to the treasury (the LP
//! token's storage is paid for by that fee), add liquidity and swap along paths of up to
//! [`MaxSwapPathLength`] assets. Each swap pays [`LpFee`] to the pool's liquidity providers.

use alloc::{vec, vec::Vec};
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
	configs::{
		cdp::{LVUSD, LVUSD_UNIT},
		lending::TreasuryAccount,
	},
	currency::UNIT,
	test_assets::{self, TestAsset},
	AccountId, AssetId, Assets, Balance, Balances, PoolAssets, Runtime, RuntimeEvent,
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

/// DOT in the treasury's genesis vault, which mints the lvUSD of the lvUSD pools.
pub const TREASURY_VAULT_DOT: Balance = 1_000_000 * test_assets::DOT.unit();
/// lvUSD the treasury's genesis vault mints: a 500% collateral ratio at $7.50, safe through a
/// 70% fall of DOT. All but 1,000 lvUSD go into the pools.
pub const TREASURY_VAULT_LVUSD: Balance = 1_501_000 * LVUSD_UNIT;
/// lvUSD on each side of the lvUSD pools.
const POOL_LVUSD: Balance = 750_000 * LVUSD_UNIT;
/// DOT in the DOT/lvUSD pool: $750,000 at $7.50.
const POOL_DOT_LVUSD: Balance = 100_000 * test_assets::DOT.unit();
/// USDC in the USDC/lvUSD pool: $750,000.
const POOL_USDC_LVUSD: Balance = 750_000 * test_assets::USDC.unit();

/// The treasury's genesis vault: `(owner, collateral asset, collateral, debt)`.
pub fn treasury_vault(treasury: &AccountId) -> (AccountId, AssetId, Balance, Balance) {
	(treasury.clone(), test_assets::DOT.id, TREASURY_VAULT_DOT, TREASURY_VAULT_LVUSD)
}

/// The pools the dev and local-testnet genesis opens with liquidity from `provider` (the
/// treasury), as `(asset, asset, provider, amount, amount)`: each volatile test asset against
/// USDC at the price server's reference price, and lvUSD (at one dollar) against DOT and USDC.
pub fn test_asset_pools(
	provider: &AccountId,
) -> Vec<(AmmAsset, AmmAsset, AccountId, Balance, Balance)> {
	let (dot, usdc, lvusd) = (test_assets::DOT.id, test_assets::USDC.id, LVUSD);
	pooled_test_assets()
		.map(|asset| (asset.id, usdc, asset.genesis_pool_balance(), asset.genesis_pool_usdc()))
		.chain([
			(dot, lvusd, POOL_DOT_LVUSD, POOL_LVUSD),
			(usdc, lvusd, POOL_USDC_LVUSD, POOL_LVUSD),
		])
		.map(|(first, second, first_amount, second_amount)| {
			(
				NativeOrWithId::WithId(first),
				NativeOrWithId::WithId(second),
				provider.clone(),
				first_amount,
				second_amount,
			)
		})
		.collect()
}

/// The test-asset tokens the treasury needs at genesis: its vault's DOT and every pool's side,
/// plus one whole token of each that stays with it (the AMM never empties the provider's
/// account). Its lvUSD comes from its vault.
pub fn test_asset_pool_funding() -> Vec<(AssetId, Balance)> {
	let treasury = TreasuryAccount::get();
	test_assets::ALL
		.iter()
		.map(|asset| {
			let pooled = test_asset_pools(&treasury)
				.into_iter()
				.flat_map(|(first, second, _, first_amount, second_amount)| {
					[(first, first_amount), (second, second_amount)]
				})
				.filter(|(kind, _)| *kind == NativeOrWithId::WithId(asset.id))
				.fold(0, |total: Balance, (_, amount)| total.saturating_add(amount));
			let vault = if asset.id == test_assets::DOT.id { TREASURY_VAULT_DOT } else { 0 };
			(asset.id, pooled.saturating_add(vault).saturating_add(asset.unit()))
		})
		.filter(|(_, amount)| *amount > 0)
		.collect()
}

/// The test assets that get a genesis pool against USDC.
fn pooled_test_assets() -> impl Iterator<Item = &'static TestAsset> {
	test_assets::ALL.iter().filter(|asset| asset.genesis_pool_tokens > 0)
}
