//! The vault collateral types and debt ceiling the dev and local-testnet genesis open for the
//! dev test assets.

use alloc::{vec, vec::Vec};
use pallet_vaults::CollateralParams;
use sp_runtime::{FixedU128, Permill};

use super::dev_assets;
use crate::{configs::vaults::LVUSD_UNIT, AssetId, Balance};

/// The collateral types the test assets get at genesis, with Maker-like parameters: DOT at a
/// 150% liquidation ratio and 4% a year, ETH at 145% and 3%, BTC at 140% and 3%; a 10 million
/// lvUSD ceiling each, 100 lvUSD minimum debt and a 13% penalty; a partial liquidation restores
/// a ratio 10 points above the liquidation ratio, and vaults below 120% are liquidated whole.
pub fn test_asset_collateral_types() -> Vec<(AssetId, CollateralParams)> {
	[(dev_assets::DOT, 150, 4), (dev_assets::ETH, 145, 3), (dev_assets::BTC, 140, 3)]
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

/// The savings rate at genesis: 2% a year, paid out of the stability fees' surplus.
pub fn genesis_savings_rate() -> FixedU128 {
	FixedU128::from_rational(2, 100)
}

/// The stablecoins lvUSD's peg stability module swaps with at genesis: USDC, up to 10 million
/// lvUSD issued against it, for 0.1% each way (so lvUSD trades within 0.1% of a dollar while
/// the module has room and reserves).
pub fn test_asset_peg_reserves() -> Vec<(AssetId, Balance, Permill)> {
	vec![(dev_assets::USDC.id, 10_000_000 * LVUSD_UNIT, Permill::from_parts(1_000))]
}
