//! Weights of the pallet's calls and of a session rotation.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (runtime/src/weights/pallet_validator_set.rs); the `()` implementation is for unit tests,
//! where weight is not measured.

use frame_support::weights::Weight;

/// The weight of each call, and of the rotation `on_initialize` runs at a boundary.
pub trait WeightInfo {
	/// `add_validator`.
	fn add_validator() -> Weight;
	/// `remove_validator`.
	fn remove_validator() -> Weight;
	/// One session rotation at its worst: `MaxValidators` listed validators with keys, all
	/// replacing the set in office (every session handler sees a new set).
	fn rotate_session() -> Weight;
	/// pallet-session's `set_keys` by an account with no keys yet (measured here: pallet-session's
	/// own benchmarks need a staking pallet).
	fn set_keys() -> Weight;
	/// pallet-session's `purge_keys`.
	fn purge_keys() -> Weight;
}

impl WeightInfo for () {
	fn add_validator() -> Weight {
		Weight::zero()
	}
	fn remove_validator() -> Weight {
		Weight::zero()
	}
	fn rotate_session() -> Weight {
		Weight::zero()
	}
	fn set_keys() -> Weight {
		Weight::zero()
	}
	fn purge_keys() -> Weight {
		Weight::zero()
	}
}
