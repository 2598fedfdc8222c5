//! The lending pools: markets priced by the oracle, cash in the pallet's account, reserves to the
//! treasury account, and the markets the dev and local-testnet genesis open for the test assets.

use alloc::vec::Vec;
use frame_support::{
	parameter_types,
	traits::{ConstU32, Contains},
	PalletId,
};
use frame_system::EnsureRoot;
use pallet_lending::{InterestRateModel, MarketParams};
use sp_runtime::{traits::AccountIdConversion, FixedU128, Permill};

use crate::{
	test_assets::{self, TestAsset},
	AccountId, AssetId, Assets, Oracle, Runtime, RuntimeCall, Timestamp,
};

parameter_types! {
	/// The lending pallet's account holds every market's cash.
	pub const LendingPalletId: PalletId = PalletId(*b"lvr/lend");
	/// Where governance sends lending reserves.
	pub TreasuryAccount: AccountId = PalletId(*b"lvr/trsy").into_account_truncating();
	/// A collateral whose price is stale counts at twice its last price when deciding whether
	/// an account is liquidatable (and a debt in a stale asset at nothing): the oracle holds
	/// any jump over its breaker for confirmation, so a real move while no round landed is far
	/// smaller, and a stale price never causes a liquidation.
	pub const StaleCollateralMarkup: FixedU128 = FixedU128::from_u32(2);
	/// A lowered liquidation threshold ramps in over three days.
	pub const ThresholdRampPeriod: lever_primitives::Moment = 3 * 24 * 60 * 60 * 1_000;
	/// A flash loan costs 0.09% of the amount, as on Aave.
	pub const FlashLoanFee: Permill = Permill::from_parts(900);
}

/// What a flash loan's inner calls may do: move tokens (balances and assets), trade and provide
/// liquidity on the AMM, and work a vault. Never the pools themselves (their accounting is lent
/// out while the loan runs), the liquidation engine, governance or XCM.
pub struct FlashLoanCalls;
impl Contains<RuntimeCall> for FlashLoanCalls {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::Balances(_)
				| RuntimeCall::Assets(_)
				| RuntimeCall::AssetConversion(_)
				| RuntimeCall::Cdp(_)
		)
	}
}

/// Up to 32 markets; an account may be in 8 of them, which bounds every health check.
impl pallet_lending::Config for Runtime {
	type Assets = Assets;
	type Prices = Oracle;
	type StaleCollateralMarkup = StaleCollateralMarkup;
	type Time = Timestamp;
	type PalletId = LendingPalletId;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type Treasury = TreasuryAccount;
	type MaxMarkets = ConstU32<32>;
	type MaxMarketsPerAccount = ConstU32<8>;
	type ThresholdRampPeriod = ThresholdRampPeriod;
	type FlashLoanCalls = FlashLoanCalls;
	type MaxFlashLoanCalls = ConstU32<8>;
	type FlashLoanFee = FlashLoanFee;
	type WeightInfo = crate::weights::pallet_lending::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AssetsAndPrices;
}

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
			id if id == test_assets::USDC.id => (80, 87, 4, 10),
			id if id == test_assets::ETH.id => (75, 82, 6, 15),
			id if id == test_assets::BTC.id => (70, 80, 6, 20),
			_ => (70, 75, 8, 20),
		};
	let rate_model = if asset.id == test_assets::USDC.id {
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
	test_assets::ALL
		.iter()
		.map(|asset| (asset.id, test_asset_market(asset)))
		.collect()
}
