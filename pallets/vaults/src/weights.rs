//! Weights of the vault pallet's calls.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (runtime/src/weights/pallet_vaults.rs); the `()` implementation is for unit tests, where
//! weight is not measured.

use frame_support::weights::Weight;

/// The weight of each call at its worst case, from its benchmark.
pub trait WeightInfo {
	/// `open` with its first deposit.
	fn open() -> Weight;
	/// `deposit`.
	fn deposit() -> Weight;
	/// `withdraw` from a vault with debt (a price read and ratio check).
	fn withdraw() -> Weight;
	/// `mint`, checking the ceilings over `MaxCollateralTypes` types and the ratio.
	fn mint() -> Weight;
	/// `repay` of a whole debt.
	fn repay() -> Weight;
	/// `deposit_for` another account's vault.
	fn deposit_for() -> Weight;
	/// `repay_for` of another account's whole debt.
	fn repay_for() -> Weight;
	/// `close` of a vault with debt and collateral.
	fn close() -> Weight;
	/// `adjust` that deposits, repays, mints and withdraws at once.
	fn adjust() -> Weight;
	/// `set_collateral_type` changing an existing type.
	fn set_collateral_type() -> Weight;
	/// `set_collateral_status`.
	fn set_collateral_status() -> Weight;
	/// `set_global_debt_ceiling` over `MaxCollateralTypes` types.
	fn set_global_debt_ceiling() -> Weight;
	/// `shutdown` with `MaxCollateralTypes` types.
	fn shutdown() -> Weight;
	/// `settle_vault` returning collateral to the owner.
	fn settle_vault() -> Weight;
	/// `fix_redemption` over `MaxCollateralTypes` types.
	fn fix_redemption() -> Weight;
	/// `redeem` paying out of `MaxCollateralTypes` pools.
	fn redeem() -> Weight;
	/// `save` to existing savings, after an accrual that pays interest.
	fn save() -> Weight;
	/// `withdraw_savings` of part of the savings, after an accrual that pays interest.
	fn withdraw_savings() -> Weight;
	/// `set_savings_rate`, after an accrual that pays interest.
	fn set_savings_rate() -> Weight;
}

impl WeightInfo for () {
	fn open() -> Weight {
		Weight::zero()
	}
	fn deposit() -> Weight {
		Weight::zero()
	}
	fn withdraw() -> Weight {
		Weight::zero()
	}
	fn mint() -> Weight {
		Weight::zero()
	}
	fn repay() -> Weight {
		Weight::zero()
	}
	fn deposit_for() -> Weight {
		Weight::zero()
	}
	fn repay_for() -> Weight {
		Weight::zero()
	}
	fn close() -> Weight {
		Weight::zero()
	}
	fn adjust() -> Weight {
		Weight::zero()
	}
	fn set_collateral_type() -> Weight {
		Weight::zero()
	}
	fn set_collateral_status() -> Weight {
		Weight::zero()
	}
	fn set_global_debt_ceiling() -> Weight {
		Weight::zero()
	}
	fn shutdown() -> Weight {
		Weight::zero()
	}
	fn settle_vault() -> Weight {
		Weight::zero()
	}
	fn fix_redemption() -> Weight {
		Weight::zero()
	}
	fn redeem() -> Weight {
		Weight::zero()
	}
	fn save() -> Weight {
		Weight::zero()
	}
	fn withdraw_savings() -> Weight {
		Weight::zero()
	}
	fn set_savings_rate() -> Weight {
		Weight::zero()
	}
}
