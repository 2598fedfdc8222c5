//! Benchmarks of the calls, at a full list, and of a session rotation at its worst.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;

/// Account `seed` with its session keys registered.
fn with_keys<T: Config>(seed: u32) -> Result<T::AccountId, BenchmarkError> {
	let (who, keys, proof) = T::BenchmarkHelper::account_with_keys(seed);
	pallet_session::Pallet::<T>::set_keys(RawOrigin::Signed(who.clone()).into(), keys, proof)?;
	Ok(who)
}

/// `MaxValidators` validators with keys, from seed `first` on, sorted.
fn validators<T: Config>(first: u32) -> Result<Vec<T::AccountId>, BenchmarkError> {
	let max = T::MaxValidators::get();
	let mut validators = (first..first.saturating_add(max))
		.map(with_keys::<T>)
		.collect::<Result<Vec<_>, _>>()?;
	validators.sort();
	Ok(validators)
}

/// Lists `set` as the validators.
fn list<T: Config>(set: Vec<T::AccountId>) {
	Validators::<T>::put(BoundedVec::truncate_from(set));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Adding to a list one short of full: the longest insert.
	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::ManagerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut set = validators::<T>(0)?;
		let added = set.remove(0);
		list::<T>(set);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, added.clone());
		assert!(Validators::<T>::get().contains(&added));
		Ok(())
	}

	/// Removing the first of a full list: the longest shift.
	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		let origin =
			T::ManagerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let set = validators::<T>(0)?;
		let removed = set.first().cloned().ok_or(BenchmarkError::Weightless)?;
		list::<T>(set);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, removed.clone());
		assert!(!Validators::<T>::get().contains(&removed));
		Ok(())
	}

	/// A rotation at its worst: a whole new set takes office (every session handler sees it
	/// change: Aura and GRANDPA change authorities, the oracle drops every leaving feeder's
	/// submissions) and another whole new set is planned.
	#[benchmark]
	fn rotate_session() -> Result<(), BenchmarkError> {
		let max = T::MaxValidators::get();
		let rotate = pallet_session::Pallet::<T>::rotate_session;
		list::<T>(validators::<T>(0)?);
		rotate();
		rotate();
		let second = validators::<T>(max)?;
		list::<T>(second.clone());
		rotate();
		let third = validators::<T>(max.saturating_mul(2))?;
		list::<T>(third.clone());
		#[block]
		{
			rotate();
		}
		let mut in_office = pallet_session::Validators::<T>::get();
		in_office.sort();
		assert_eq!(in_office, second);
		assert_eq!(Planned::<T>::get().map(|set| set.into_inner()), Some(third));
		Ok(())
	}

	/// pallet-session's `set_keys` by an account with no keys yet: the deposit is held and
	/// every key's owner recorded.
	#[benchmark]
	fn set_keys() -> Result<(), BenchmarkError> {
		let (who, keys, proof) = T::BenchmarkHelper::account_with_keys(0);
		#[block]
		{
			pallet_session::Pallet::<T>::set_keys(
				RawOrigin::Signed(who.clone()).into(),
				keys,
				proof,
			)?;
		}
		assert!(pallet_session::NextKeys::<T>::contains_key(&who));
		Ok(())
	}

	/// pallet-session's `purge_keys`: the deposit released and every key's owner removed.
	#[benchmark]
	fn purge_keys() -> Result<(), BenchmarkError> {
		let who = with_keys::<T>(0)?;
		#[block]
		{
			pallet_session::Pallet::<T>::purge_keys(RawOrigin::Signed(who.clone()).into())?;
		}
		assert!(!pallet_session::NextKeys::<T>::contains_key(&who));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
