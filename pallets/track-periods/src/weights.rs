//! Weights of the pallet's calls.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (runtime/src/weights/pallet_track_periods.rs); the `()` implementation is for unit tests,
//! where weight is not measured.

use frame_support::weights::Weight;

/// The weight of each call, from its benchmark.
pub trait WeightInfo {
	/// `set_periods`.
	fn set_periods() -> Weight;
}

impl WeightInfo for () {
	fn set_periods() -> Weight {
		Weight::zero()
	}
}
