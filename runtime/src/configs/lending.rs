//! The lending pools: markets priced by the oracle, cash in the pallet's account, reserves to the
//! treasury account. The markets the dev and local-testnet genesis open are in
//! [`crate::genesis::lending`].

use frame_support::{
	parameter_types,
	traits::{ConstU32, Contains},
	PalletId,
};
use sp_runtime::{traits::AccountIdConversion, FixedU128, Permill};

use crate::{
	configs::governance::{FullGovernance, RiskCouncilMajority},
	AccountId, Assets, Oracle, Runtime, RuntimeCall, Timestamp,
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
	/// A credit tier adds at most five points to a collateral factor.
	pub const MaxCreditBonus: Permill = Permill::from_percent(5);
	/// A collateral factor raised by credit stays at least five points below the market's
	/// liquidation threshold.
	pub const CreditFloor: Permill = Permill::from_percent(5);
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
				| RuntimeCall::Vaults(_)
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
	type GovernanceOrigin = FullGovernance;
	type RiskOrigin = RiskCouncilMajority;
	type Treasury = TreasuryAccount;
	type MaxMarkets = ConstU32<32>;
	type MaxMarketsPerAccount = ConstU32<8>;
	type ThresholdRampPeriod = ThresholdRampPeriod;
	type FlashLoanCalls = FlashLoanCalls;
	type MaxFlashLoanCalls = ConstU32<8>;
	type FlashLoanFee = FlashLoanFee;
	type MaxCreditBonus = MaxCreditBonus;
	type CreditFloor = CreditFloor;
	type MaxCreditTiers = ConstU32<8>;
	type WeightInfo = crate::weights::pallet_lending::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AssetsAndPrices;
}
