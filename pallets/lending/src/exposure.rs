//! The index of accounts with debt, by every market they are in: what the liquidation engine's
//! offchain sweep walks, so it never reads an account without debt, and after a price move reads
//! first the accounts exposed to the asset that moved.
//!
//! [`Borrowers`] holds every account with debt; [`Exposures`] holds (asset, account) for every
//! market of every account with debt. Both move in O(1) per change of a position, and in
//! O(`MaxMarketsPerAccount`) when an account's first debt opens or its last one closes; a change
//! that neither opens nor closes an account's debt, nor enters or leaves a market, writes
//! neither.

use super::*;
use crate::account::{has_debt, Membership, PositionsOf};
use alloc::vec::Vec;

impl<T: Config> Pallet<T> {
	/// Keeps the index in step with a change of `who`'s position in the market of `asset`:
	/// `positions` are the account's positions after it, `was_debtor` whether the account owed
	/// before it. Called by [`Pallet::change_position`], the one place positions change.
	pub(crate) fn reindex(
		who: &T::AccountId,
		asset: AssetId,
		membership: Membership,
		was_debtor: bool,
		positions: &PositionsOf<T>,
	) {
		match (was_debtor, has_debt(positions)) {
			(false, true) => {
				Borrowers::<T>::insert(who, ());
				for (market, _) in positions.iter() {
					Exposures::<T>::insert(market, who, ());
				}
			},
			(true, false) => {
				Borrowers::<T>::remove(who);
				for (market, _) in positions.iter() {
					Exposures::<T>::remove(market, who);
				}
				if membership.was_in && !membership.is_in {
					Exposures::<T>::remove(asset, who);
				}
			},
			(true, true) if membership.is_in && !membership.was_in => {
				Exposures::<T>::insert(asset, who, ());
			},
			(true, true) if membership.was_in && !membership.is_in => {
				Exposures::<T>::remove(asset, who);
			},
			_ => {},
		}
	}

	/// Up to `max` accounts with debt after `after` (from the start when `None`), in storage
	/// order.
	pub(crate) fn debtors_after(after: Option<&T::AccountId>, max: u32) -> Vec<T::AccountId> {
		match after {
			Some(after) => Borrowers::<T>::iter_from(Borrowers::<T>::hashed_key_for(after))
				.map(|(who, _)| who)
				.take(max as usize)
				.collect(),
			None => Borrowers::<T>::iter_keys().take(max as usize).collect(),
		}
	}

	/// Up to `max` accounts with debt in a market of `asset` after `after` (from the start when
	/// `None`), in storage order.
	pub(crate) fn exposed_after(
		asset: AssetId,
		after: Option<&T::AccountId>,
		max: u32,
	) -> Vec<T::AccountId> {
		match after {
			Some(after) => Exposures::<T>::iter_key_prefix_from(
				asset,
				Exposures::<T>::hashed_key_for(asset, after),
			)
			.take(max as usize)
			.collect(),
			None => Exposures::<T>::iter_key_prefix(asset).take(max as usize).collect(),
		}
	}

	/// The index agrees with the positions: [`Borrowers`] holds exactly the accounts with debt,
	/// and [`Exposures`] exactly every market of every account with debt.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub(crate) fn check_exposures() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let mut debtors = alloc::collections::BTreeSet::new();
		let mut expected = alloc::collections::BTreeSet::new();
		for (who, positions) in Positions::<T>::iter() {
			if has_debt(&positions) {
				for (asset, _) in positions.iter() {
					expected.insert((*asset, who.clone()));
				}
				debtors.insert(who);
			}
		}
		let indexed: alloc::collections::BTreeSet<_> = Borrowers::<T>::iter_keys().collect();
		ensure!(indexed == debtors, "Borrowers disagrees with the debts");
		ensure!(Borrowers::<T>::count() as usize == debtors.len(), "Borrowers' counter is wrong");
		let indexed: alloc::collections::BTreeSet<_> = Exposures::<T>::iter_keys().collect();
		ensure!(indexed == expected, "Exposures disagrees with the debtors' markets");
		Ok(())
	}
}
