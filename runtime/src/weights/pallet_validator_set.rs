// Weights of a Lever pallet, measured by `scripts/benchmark.sh` (`lever-node benchmark pallet`)
// on this project's reference machine. Regenerate them after changing the pallet; do not edit.

//! NOT YET MEASURED: scripts/benchmark.sh pallet_validator_set replaces this file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::Weight};
use core::marker::PhantomData;

pub struct WeightInfo<T>(PhantomData<T>);
impl<T: frame_system::Config> pallet_validator_set::WeightInfo for WeightInfo<T> {
	fn add_validator() -> Weight {
		Weight::from_parts(500_000_000_000, 0)
	}
	fn remove_validator() -> Weight {
		Weight::from_parts(500_000_000_000, 0)
	}
	fn rotate_session() -> Weight {
		Weight::from_parts(500_000_000_000, 0)
	}
	fn set_keys() -> Weight {
		Weight::from_parts(500_000_000_000, 0)
	}
	fn purge_keys() -> Weight {
		Weight::from_parts(500_000_000_000, 0)
	}
}
