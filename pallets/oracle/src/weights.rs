//! Weights of the oracle's calls.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (runtime/src/weights/pallet_oracle.rs); the `()` implementation is for unit tests, where
//! weight is not measured.

use frame_support::weights::Weight;

/// The weight of each call, from its benchmark.
pub trait WeightInfo {
	/// `submit_prices` with `a` prices when there are `f` feeders.
	fn submit_prices(a: u32, f: u32) -> Weight;
	/// Validating `submit_prices` with `a` prices (signature check included).
	fn authorize_submit_prices(a: u32) -> Weight;
	/// `add_asset`.
	fn add_asset() -> Weight;
	/// `remove_asset`.
	fn remove_asset() -> Weight;
	/// `set_emergency_price`.
	fn set_emergency_price() -> Weight;
	/// `freeze_asset`.
	fn freeze_asset() -> Weight;
	/// `unfreeze_asset`.
	fn unfreeze_asset() -> Weight;
	/// `set_min_feeders`.
	fn set_min_feeders() -> Weight;
}

impl WeightInfo for () {
	fn submit_prices(_a: u32, _f: u32) -> Weight {
		Weight::zero()
	}
	fn authorize_submit_prices(_a: u32) -> Weight {
		Weight::zero()
	}
	fn add_asset() -> Weight {
		Weight::zero()
	}
	fn remove_asset() -> Weight {
		Weight::zero()
	}
	fn set_emergency_price() -> Weight {
		Weight::zero()
	}
	fn freeze_asset() -> Weight {
		Weight::zero()
	}
	fn unfreeze_asset() -> Weight {
		Weight::zero()
	}
	fn set_min_feeders() -> Weight {
		Weight::zero()
	}
}
