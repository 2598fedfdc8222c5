//! Weights of the lending pallet's calls.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (runtime/src/weights/pallet_lending.rs); the `()` implementation is for unit tests, where
//! weight is not measured.

use frame_support::weights::Weight;

/// The weight of each call at its worst case, from its benchmark.
pub trait WeightInfo {
	/// `supply` into a new market of an account already in `MaxMarketsPerAccount - 1` markets.
	fn supply() -> Weight;
	/// `withdraw` of collateral by an account in `MaxMarketsPerAccount` markets with debt (a full health check).
	fn withdraw() -> Weight;
	/// `borrow` from a new market by an account in `MaxMarketsPerAccount - 1` markets (a full health check).
	fn borrow() -> Weight;
	/// `repay` of a whole debt.
	fn repay() -> Weight;
	/// `supply_for` into a market the beneficiary, in `MaxMarketsPerAccount` markets with debt, supplies already.
	fn supply_for() -> Weight;
	/// `repay_for` of a whole debt.
	fn repay_for() -> Weight;
	/// `enable_collateral`.
	fn enable_collateral() -> Weight;
	/// `disable_collateral` by an account in `MaxMarketsPerAccount` markets with debt (a full health check).
	fn disable_collateral() -> Weight;
	/// `create_market`.
	fn create_market() -> Weight;
	/// `set_market_params`, lowering the liquidation threshold (a ramp).
	fn set_market_params() -> Weight;
	/// `set_market_status`.
	fn set_market_status() -> Weight;
	/// `transfer_reserves`.
	fn transfer_reserves() -> Weight;
	/// `liquidate` of an account in `MaxMarketsPerAccount` markets, paid in tokens (a transfer out of the market; the shares path moves two storage entries instead). Also one attempt of the liquidation engine.
	fn liquidate() -> Weight;
	/// `flash_loan` itself, without its inner calls (whose own weights the call adds).
	fn flash_loan() -> Weight;
	/// `create_pool`.
	fn create_pool() -> Weight;
	/// `set_pool_issuer`.
	fn set_pool_issuer() -> Weight;
	/// `grant_credential` by the pool's issuer.
	fn grant_credential() -> Weight;
	/// `revoke_credential` by the pool's issuer.
	fn revoke_credential() -> Weight;
	/// `set_market_pool`.
	fn set_market_pool() -> Weight;
	/// `set_credit_policy` with `MaxCreditTiers` tiers.
	fn set_credit_policy() -> Weight;
}

impl WeightInfo for () {
	fn supply() -> Weight {
		Weight::zero()
	}
	fn withdraw() -> Weight {
		Weight::zero()
	}
	fn borrow() -> Weight {
		Weight::zero()
	}
	fn repay() -> Weight {
		Weight::zero()
	}
	fn supply_for() -> Weight {
		Weight::zero()
	}
	fn repay_for() -> Weight {
		Weight::zero()
	}
	fn enable_collateral() -> Weight {
		Weight::zero()
	}
	fn disable_collateral() -> Weight {
		Weight::zero()
	}
	fn create_market() -> Weight {
		Weight::zero()
	}
	fn set_market_params() -> Weight {
		Weight::zero()
	}
	fn set_market_status() -> Weight {
		Weight::zero()
	}
	fn transfer_reserves() -> Weight {
		Weight::zero()
	}
	fn liquidate() -> Weight {
		Weight::zero()
	}
	fn flash_loan() -> Weight {
		Weight::zero()
	}
	fn create_pool() -> Weight {
		Weight::zero()
	}
	fn set_pool_issuer() -> Weight {
		Weight::zero()
	}
	fn grant_credential() -> Weight {
		Weight::zero()
	}
	fn revoke_credential() -> Weight {
		Weight::zero()
	}
	fn set_market_pool() -> Weight {
		Weight::zero()
	}
	fn set_credit_policy() -> Weight {
		Weight::zero()
	}
}
