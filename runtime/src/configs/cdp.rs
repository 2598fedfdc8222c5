//! Vaults and lvUSD: collateral priced by the oracle and held in the pallet's account, lvUSD a
//! pallet-assets asset owned by that account (so no key can mint it), and the collateral types
//! the dev and local-testnet genesis open for the volatile test assets.

use alloc::vec::Vec;
use frame_support::{parameter_types, traits::ConstU32, PalletId};
use frame_system::EnsureRoot;
use pallet_cdp::CollateralParams;
use sp_runtime::{traits::AccountIdConversion, FixedU128, Permill};

use crate::{test_assets, AccountId, AssetId, Assets, Balance, Oracle, Runtime, Timestamp};

/// lvUSD's identifier in pallet-assets, among those the chain reserves.
pub const LVUSD: AssetId = 10;
/// lvUSD's decimals.
pub const LVUSD_DECIMALS: u8 = 12;
/// One lvUSD in its smallest unit.
pub const LVUSD_UNIT: Balance = 1_000_000_000_000;
/// The smallest lvUSD balance an account may hold: a millionth.
pub const LVUSD_MIN_BALANCE: Balance = LVUSD_UNIT / 1_000_000;

parameter_types! {
	/// The vault pallet's account holds the collateral and owns lvUSD.
	pub const CdpPalletId: PalletId = PalletId(*b"lvr/vlts");
	/// The stablecoin.
	pub const StableAsset: AssetId = LVUSD;
	/// A raised liquidation ratio moves in for liquidation over three days, as a lowered
	/// lending threshold does.
	pub const RatioRampPeriod: lever_primitives::Moment = 3 * 24 * 60 * 60 * 1_000;
}

/// The account that holds every vault's collateral and owns lvUSD in pallet-assets.
pub fn cdp_account() -> AccountId {
	CdpPalletId::get().into_account_truncating()
}

/// Up to 8 collateral types; every vault change goes to the liquidation engine's index.
impl pallet_cdp::Config for Runtime {
	type Assets = Assets;
	type StableAsset = StableAsset;
	type Prices = Oracle;
	type Time = Timestamp;
	type PalletId = CdpPalletId;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type MaxCollateralTypes = ConstU32<8>;
	type RatioRampPeriod = RatioRampPeriod;
	type OnVaultChanged = crate::Liquidation;
	type Auctions = crate::Liquidation;
	type WeightInfo = crate::weights::pallet_cdp::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AssetsAndPrices;
}

/// The collateral types the test assets get at genesis, with Maker-like parameters: DOT at a
/// 150% liquidation ratio and 4% a year, ETH at 145% and 3%, BTC at 140% and 3%; a 10 million
/// lvUSD ceiling each, 100 lvUSD minimum debt and a 13% penalty; a partial liquidation restores
/// a ratio 10 points above the liquidation ratio, and vaults below 120% are liquidated whole.
pub fn test_asset_collateral_types() -> Vec<(AssetId, CollateralParams)> {
	[(test_assets::DOT, 150, 4), (test_assets::ETH, 145, 3), (test_assets::BTC, 140, 3)]
		.into_iter()
		.map(|(asset, ratio, fee)| {
			let params = CollateralParams {
				liquidation_ratio: FixedU128::from_rational(ratio, 100),
				stability_fee: FixedU128::from_rational(fee, 100),
				debt_ceiling: 10_000_000 * LVUSD_UNIT,
				min_debt: 100 * LVUSD_UNIT,
				liquidation_penalty: Permill::from_percent(13),
				target_ratio: FixedU128::from_rational(ratio + 10, 100),
				whole_liquidation_ratio: FixedU128::from_rational(120, 100),
			};
			(asset.id, params)
		})
		.collect()
}

/// The global debt ceiling at genesis: 20 million lvUSD.
pub const GENESIS_GLOBAL_DEBT_CEILING: Balance = 20_000_000 * LVUSD_UNIT;
