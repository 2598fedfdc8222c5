//! Benchmark of the pallet's one call: a single read-free write.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;
use frame_system::pallet_prelude::BlockNumberFor;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_periods() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let periods = Periods::<BlockNumberFor<T>> {
			prepare: 10u32.into(),
			decision: 100u32.into(),
			confirm: 10u32.into(),
			enactment: 50u32.into(),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, periods);
		assert_eq!(TrackPeriods::<T>::get(), periods);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
