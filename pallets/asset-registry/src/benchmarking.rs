//! Benchmarks of the registry's calls, with the longest name and symbol pallet-assets accepts and
//! the deepest location a sibling's token usually has.

use super::*;
use crate::Pallet as Registry;
use alloc::{boxed::Box, vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use sp_runtime::FixedU128;
use xcm::{
	v5::{Junction::*, Location},
	VersionedLocation,
};

/// A sibling token's location: `(1, [Parachain(para), PalletInstance(50), GeneralIndex(index)])`.
fn sibling_token(para: u32, index: u128) -> Location {
	Location::new(1, [Parachain(para), PalletInstance(50), GeneralIndex(index)])
}

/// The longest string pallet-assets accepts.
fn longest_string<T: Config>() -> StringOf<T> {
	let limit = <T as pallet_assets::Config>::StringLimit::get() as usize;
	StringOf::<T>::truncate_from(vec![b'x'; limit])
}

/// Registers a sibling token with a fee rate and returns its identifier.
fn registered<T: Config>(index: u128) -> Result<AssetId, BenchmarkError> {
	let origin = <T as pallet_assets::Config>::ForceOrigin::try_successful_origin()
		.map_err(|_| BenchmarkError::Weightless)?;
	Registry::<T>::do_register_foreign_asset(
		origin,
		sibling_token(2_000, index),
		b"Sibling token".to_vec(),
		b"SIB".to_vec(),
		12,
		1_000,
		Some(FixedU128::from_rational(1, 10)),
	)
	.map_err(|_| BenchmarkError::Stop("registration failed"))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_foreign_asset() -> Result<(), BenchmarkError> {
		let origin = <T as pallet_assets::Config>::ForceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let location = sibling_token(2_000, u128::MAX);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			Box::new(VersionedLocation::from(location.clone())),
			longest_string::<T>(),
			longest_string::<T>(),
			18,
			1_000,
			Some(FixedU128::from_rational(1, 10)),
		);

		assert!(Registry::<T>::asset_at(&location).is_some());
		Ok(())
	}

	#[benchmark]
	fn set_fee_rate() -> Result<(), BenchmarkError> {
		let asset_id = registered::<T>(1)?;
		let origin = <T as pallet_assets::Config>::ForceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let rate = FixedU128::from_rational(3, 7);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset_id, Some(rate));

		assert_eq!(FeeRates::<T>::get(asset_id), Some(rate));
		Ok(())
	}

	#[benchmark]
	fn update_location() -> Result<(), BenchmarkError> {
		let asset_id = registered::<T>(1)?;
		let origin = <T as pallet_assets::Config>::ForceOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let new = sibling_token(3_000, u128::MAX);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset_id, Box::new(VersionedLocation::from(new.clone())));

		assert_eq!(Registry::<T>::location_of(asset_id), Some(new));
		Ok(())
	}

	impl_benchmark_test_suite!(Registry, crate::mock::new_test_ext(), crate::mock::Test);
}
