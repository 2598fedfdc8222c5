// Replaced by scripts/benchmark.sh with the measured weights of pallet_liquidation.

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// Weight functions for `pallet_liquidation`: the pallet's provisional estimates until measured.
pub struct WeightInfo<T>(PhantomData<T>);
impl<T: frame_system::Config> pallet_liquidation::WeightInfo for WeightInfo<T> {
	fn on_initialize_base() -> Weight {
		<() as pallet_liquidation::WeightInfo>::on_initialize_base()
	}
	fn detect_type() -> Weight {
		<() as pallet_liquidation::WeightInfo>::detect_type()
	}
	fn enqueue_vault() -> Weight {
		<() as pallet_liquidation::WeightInfo>::enqueue_vault()
	}
	fn check_vault() -> Weight {
		<() as pallet_liquidation::WeightInfo>::check_vault()
	}
	fn execute_vault() -> Weight {
		<() as pallet_liquidation::WeightInfo>::execute_vault()
	}
	fn execute_lending() -> Weight {
		<() as pallet_liquidation::WeightInfo>::execute_lending()
	}
	fn deposit() -> Weight {
		<() as pallet_liquidation::WeightInfo>::deposit()
	}
	fn withdraw() -> Weight {
		<() as pallet_liquidation::WeightInfo>::withdraw()
	}
	fn take() -> Weight {
		<() as pallet_liquidation::WeightInfo>::take()
	}
	fn flag() -> Weight {
		<() as pallet_liquidation::WeightInfo>::flag()
	}
	fn set_auction_params() -> Weight {
		<() as pallet_liquidation::WeightInfo>::set_auction_params()
	}
	fn set_max_debt_in_auction() -> Weight {
		<() as pallet_liquidation::WeightInfo>::set_max_debt_in_auction()
	}
}
