//! The index of accounts with debt: what the liquidation engine's offchain sweep walks, so it
//! never reads an account without debt, and after a price move reads first the accounts exposed
//! to the assets that moved.
//!
//! [`Borrowers`] holds every account with debt, and nothing else: it changes only when an
//! account's first debt opens or its last one closes, one write then, and no write for any other
//! change of a position. Which markets a debtor is in is read from its [`Positions`] item, so
//! the accounts exposed to some assets are found by walking [`Borrowers`] offchain
//! ([`Pallet::exposed_after`]), at no cost to the calls that change positions.

use super::*;
use crate::account::{has_debt, PositionsOf};
use alloc::vec::Vec;
use lever_primitives::DebtorScan;

impl<T: Config> Pallet<T> {
	/// Keeps [`Borrowers`] in step with a change of `who`'s positions: `positions` are the
	/// account's positions after it, `was_debtor` whether the account owed before it. Called by
	/// [`Pallet::change_position`], the one place positions change; writes only when the
	/// account starts or stops owing.
	pub(crate) fn reindex(who: &T::AccountId, was_debtor: bool, positions: &PositionsOf<T>) {
		match (was_debtor, has_debt(positions)) {
			(false, true) => Borrowers::<T>::insert(who, ()),
			(true, false) => Borrowers::<T>::remove(who),
			_ => {},
		}
	}

	/// Up to `max` accounts with debt after `after` (from the start when `None`), in storage
	/// order.
	pub(crate) fn debtors_after(after: Option<&T::AccountId>, max: u32) -> Vec<T::AccountId> {
		Self::debtors_from(after).take(max as usize).collect()
	}

	/// Up to `max` accounts with debt and a position in the market of one of `assets`, after
	/// `after` (from the start when `None`), in [`Borrowers`]' storage order, reading up to
	/// `max_read` debtors: each read is the debtor's key and its positions, exposed or not, plus
	/// one key to see whether the walk is done. Meant for offchain callers, where reads cost no
	/// block weight: at most 2·`max_read` + 1 items.
	pub(crate) fn exposed_after(
		assets: &[AssetId],
		after: Option<&T::AccountId>,
		max: u32,
		max_read: u32,
	) -> DebtorScan<T::AccountId> {
		let mut debtors = Self::debtors_from(after).peekable();
		let mut scan =
			DebtorScan { found: Vec::new(), read: 0, cursor: after.cloned(), done: false };
		while scan.found.len() < max as usize && scan.read < max_read {
			let Some(who) = debtors.next() else { break };
			scan.read = scan.read.saturating_add(1);
			if Self::positions_of(&who).iter().any(|(asset, _)| assets.contains(asset)) {
				scan.found.push(who.clone());
			}
			scan.cursor = Some(who);
		}
		scan.done = debtors.peek().is_none();
		scan
	}

	/// The accounts with debt after `after` (from the start when `None`), in storage order.
	fn debtors_from(after: Option<&T::AccountId>) -> impl Iterator<Item = T::AccountId> {
		match after {
			Some(after) => Borrowers::<T>::iter_keys_from(Borrowers::<T>::hashed_key_for(after)),
			None => Borrowers::<T>::iter_keys(),
		}
	}

	/// The index agrees with the positions: [`Borrowers`] holds exactly the accounts with debt.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub(crate) fn check_borrowers() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let debtors: alloc::collections::BTreeSet<_> = Positions::<T>::iter()
			.filter(|(_, positions)| has_debt(positions))
			.map(|(who, _)| who)
			.collect();
		let indexed: alloc::collections::BTreeSet<_> = Borrowers::<T>::iter_keys().collect();
		ensure!(indexed == debtors, "Borrowers disagrees with the debts");
		Ok(())
	}
}
