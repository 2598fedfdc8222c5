//! The protections the liquidation engine honours ([`Protection`]): which positions are below
//! their trigger, every protection in turn for the engine's sweep, and each deleverage in a
//! storage layer of its own, so a failed one leaves nothing behind.

use super::*;
use alloc::vec::Vec;
use frame_support::{storage::with_storage_layer, weights::Weight};
use lever_primitives::{Deleveraged, ProtectedPosition, Protection};
use sp_runtime::DispatchError;

impl<T: Config> Protection<T::AccountId> for Pallet<T> {
	fn protected_positions(owner: &T::AccountId) -> Vec<ProtectedPosition> {
		Protections::<T>::get(owner).into_iter().map(|entry| entry.position).collect()
	}

	fn is_triggered(owner: &T::AccountId, position: ProtectedPosition) -> bool {
		let Some(settings) = Self::protection(owner, position) else { return false };
		Self::ratio_of(owner, position).is_ok_and(|ratio| ratio < settings.trigger)
	}

	fn protected_accounts(
		cursor: Option<&T::AccountId>,
		limit: u32,
	) -> Vec<(T::AccountId, Vec<ProtectedPosition>)> {
		let entries = match cursor {
			Some(cursor) => Protections::<T>::iter_from(Protections::<T>::hashed_key_for(cursor)),
			None => Protections::<T>::iter(),
		};
		entries
			.take(limit as usize)
			.map(|(owner, protections)| {
				(owner, protections.into_iter().map(|entry| entry.position).collect())
			})
			.collect()
	}

	fn deleverage(
		owner: &T::AccountId,
		position: ProtectedPosition,
	) -> Result<Deleveraged, DispatchError> {
		with_storage_layer(|| Self::do_deleverage(owner, position))
	}

	/// The heavier of the deleverage's two ends: to the goal, or all of the debt repaid.
	fn deleverage_weight(position: ProtectedPosition) -> Weight {
		match position {
			ProtectedPosition::Vault(_) => {
				T::WeightInfo::deleverage_vault().max(T::WeightInfo::deleverage_vault_closing())
			},
			ProtectedPosition::Lending { .. } => {
				T::WeightInfo::deleverage_lending().max(T::WeightInfo::deleverage_lending_unwind())
			},
		}
	}
}
