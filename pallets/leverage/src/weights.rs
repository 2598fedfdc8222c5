//! Weights of the leverage pallet's calls.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (runtime/src/weights/pallet_leverage.rs), measured with the real lending pools and AMM, so
//! they include the flash loan, the lending calls and the swap; the `()` implementation is for
//! unit tests, where weight is not measured.

use frame_support::weights::Weight;

/// The weight of each call at its worst case, from its benchmark.
pub trait WeightInfo {
	/// `lever_up` with a deposit to 3x, by an account in `MaxMarketsPerAccount` lending markets
	/// after it (every health check at its largest).
	fn lever_up() -> Weight;
	/// `lever_down` of all the debt (repay all, withdraw all) by an account in
	/// `MaxMarketsPerAccount` lending markets.
	fn lever_down() -> Weight;
	/// `expand` of a new vault from a deposit to 3x.
	fn expand() -> Weight;
	/// `shrink` closing the whole vault.
	fn shrink() -> Weight;
	/// `set_slippage_cap`.
	fn set_slippage_cap() -> Weight;
	/// `protect` of a new position by an account protecting `MaxProtections` − 1 others.
	fn protect() -> Weight;
	/// `unprotect` of an account's last of `MaxProtections` protections.
	fn unprotect() -> Weight;
	/// A protective deleverage of a vault to its target, with the fee paid.
	fn deleverage_vault() -> Weight;
	/// A protective deleverage that repays all of a vault's debt and closes it, with the fee
	/// paid.
	fn deleverage_vault_closing() -> Weight;
	/// A protective deleverage of a lending position in `MaxMarketsPerAccount` markets to its
	/// target, with the fee paid.
	fn deleverage_lending() -> Weight;
	/// A protective deleverage that repays all of a lending pair's debt and withdraws its
	/// collateral, by an account in `MaxMarketsPerAccount` markets, with the fee paid.
	fn deleverage_lending_unwind() -> Weight;
}

impl WeightInfo for () {
	fn lever_up() -> Weight {
		Weight::zero()
	}
	fn lever_down() -> Weight {
		Weight::zero()
	}
	fn expand() -> Weight {
		Weight::zero()
	}
	fn shrink() -> Weight {
		Weight::zero()
	}
	fn set_slippage_cap() -> Weight {
		Weight::zero()
	}
	fn protect() -> Weight {
		Weight::zero()
	}
	fn unprotect() -> Weight {
		Weight::zero()
	}
	fn deleverage_vault() -> Weight {
		Weight::zero()
	}
	fn deleverage_vault_closing() -> Weight {
		Weight::zero()
	}
	fn deleverage_lending() -> Weight {
		Weight::zero()
	}
	fn deleverage_lending_unwind() -> Weight {
		Weight::zero()
	}
}
