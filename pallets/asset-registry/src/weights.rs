//! Weights of the registry's calls.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (runtime/src/weights/pallet_asset_registry.rs); the `()` implementation is for unit tests,
//! where weight is not measured.

use frame_support::weights::Weight;

/// The weight of each call, from its benchmark.
pub trait WeightInfo {
	/// `register_foreign_asset` with a name and symbol of the longest length.
	fn register_foreign_asset() -> Weight;
	/// `set_fee_rate`.
	fn set_fee_rate() -> Weight;
	/// `update_location`.
	fn update_location() -> Weight;
}

impl WeightInfo for () {
	fn register_foreign_asset() -> Weight {
		Weight::zero()
	}
	fn set_fee_rate() -> Weight {
		Weight::zero()
	}
	fn update_location() -> Weight {
		Weight::zero()
	}
}
