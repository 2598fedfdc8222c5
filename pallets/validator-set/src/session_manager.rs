//! The pallet as pallet-session's session manager: at each boundary, plan the listed validators
//! that have session keys, when that set differs from the one planned last.

use crate::*;
use alloc::vec::Vec;
use frame_support::{traits::Get, BoundedVec};
use sp_staking::SessionIndex;

impl<T: Config> Pallet<T> {
	/// The set to plan for `session`: the listed validators with session keys, if they are at
	/// least `MinValidators` and differ from the set planned last; `None` keeps the set in
	/// office. Reads the list, the planned set and one key entry per listed validator.
	pub(crate) fn plan(session: SessionIndex) -> Option<Vec<T::AccountId>> {
		let with_keys: Vec<T::AccountId> = Validators::<T>::get()
			.into_iter()
			.filter(|validator| pallet_session::NextKeys::<T>::contains_key(validator))
			.collect();
		if (with_keys.len() as u32) < T::MinValidators::get() {
			// pallet-session drops a validator without keys from the set it keeps, so the set
			// in office is no longer the one planned: plan afresh once enough have keys.
			Planned::<T>::kill();
			log::warn!(
				target: LOG_TARGET,
				"session {session}: only {} listed validators have keys; keeping the set in office",
				with_keys.len(),
			);
			Self::deposit_event(Event::TooFewWithKeys {
				session,
				with_keys: with_keys.len() as u32,
			});
			return None;
		}
		let bounded = BoundedVec::<_, T::MaxValidators>::truncate_from(with_keys);
		if Planned::<T>::get().as_ref() == Some(&bounded) {
			return None;
		}
		Planned::<T>::put(&bounded);
		Self::deposit_event(Event::SetPlanned { session, validators: bounded.len() as u32 });
		Some(bounded.into_inner())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		Self::plan(new_index)
	}

	/// Genesis: the listed validators (pallet-session's genesis gives them keys), planned as
	/// the first set; `None` when the list is empty, so pallet-session's genesis keys decide.
	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let validators = Validators::<T>::get();
		if validators.is_empty() {
			return None;
		}
		Planned::<T>::put(&validators);
		Some(validators.into_inner())
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}
