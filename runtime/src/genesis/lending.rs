//! The lending markets the dev and local-testnet genesis open for the dev test assets.

use alloc::vec::Vec;
use pallet_lending::{InterestRateModel, MarketParams};
use sp_runtime::{FixedU128, Permill};

use super::dev_assets::{self, TestAsset};
use crate::AssetId;

/// The least debt an account may hold in a test asset's market, in US cents at the asset's
/// reference price: $100, like the vaults' 100 lvUSD minimum, so dust borrowing accounts cost
/// real collateral.
pub const MIN_DEBT_CENTS: u128 = 10_000;

/// The market each test asset gets at genesis: volatile assets on the default rate model, USDC
/// on a stablecoin model (flat to a 90% kink, steep after), risk parameters like Aave's for
/// the same assets (DOT's collateral factor of 70% allows up to 3.3x leverage), a minimum debt
/// of [`MIN_DEBT_CENTS`], and caps far above what a test uses.
pub fn test_asset_market(asset: &TestAsset) -> MarketParams {
	let percent = Permill::from_percent;
	let (collateral_factor, liquidation_threshold, liquidation_bonus, reserve_factor) =
		match asset.id {
			id if id == dev_assets::USDC.id => (80, 87, 4, 10),
			id if id == dev_assets::ETH.id => (75, 82, 6, 15),
			id if id == dev_assets::BTC.id => (70, 80, 6, 20),
			_ => (70, 75, 8, 20),
		};
	let rate_model = if asset.id == dev_assets::USDC.id {
		InterestRateModel {
			base_rate: FixedU128::from_u32(0),
			slope_below_kink: FixedU128::from_rational(4, 100),
			kink: percent(90),
			slope_above_kink: FixedU128::from_rational(60, 100),
		}
	} else {
		InterestRateModel::default()
	};
	let whole_tokens = |tokens: u32| asset.unit().saturating_mul(u128::from(tokens));
	MarketParams {
		rate_model,
		reserve_factor: percent(reserve_factor),
		collateral_factor: percent(collateral_factor),
		liquidation_threshold: percent(liquidation_threshold),
		liquidation_bonus: percent(liquidation_bonus),
		close_factor: percent(50),
		supply_cap: whole_tokens(asset.genesis_tokens_per_account).saturating_mul(100),
		borrow_cap: whole_tokens(asset.genesis_tokens_per_account).saturating_mul(50),
		min_debt: asset
			.unit()
			.saturating_mul(MIN_DEBT_CENTS)
			.checked_div(u128::from(asset.reference_cents))
			.unwrap_or_default(),
	}
}

/// A market for every test asset.
pub fn test_asset_markets() -> Vec<(AssetId, MarketParams)> {
	dev_assets::ALL
		.iter()
		.map(|asset| (asset.id, test_asset_market(asset)))
		.collect()
}

/// A debt held this long, then repaid in full, counts for the test chains' credit score: 30
/// seconds (five blocks), so a test sees a score rise within a minute. A production chain's
/// governance sets days (the pallet's default is 30).
pub const TEST_MIN_LOAN_AGE_MS: lever_primitives::Moment = 30_000;

/// The test chains' credit policy: loans count after [`TEST_MIN_LOAN_AGE_MS`]; a score of 100
/// (one loan repaid) adds two points to each collateral factor, 400 three and 700 five (the
/// runtime's `MaxCreditBonus`), each at most up to five points below the liquidation threshold.
pub fn test_credit_policy() -> pallet_lending::CreditPolicyOf<crate::Runtime> {
	let tier = |min_score, percent| pallet_lending::CreditTier {
		min_score,
		bonus: Permill::from_percent(percent),
	};
	pallet_lending::CreditPolicy {
		min_loan_age: TEST_MIN_LOAN_AGE_MS,
		tiers: sp_runtime::BoundedVec::truncate_from(alloc::vec![
			tier(100, 2),
			tier(400, 3),
			tier(700, 5)
		]),
	}
}
