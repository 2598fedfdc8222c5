//! The index of accounts with debt, by every market they are in: what the liquidation engine's
//! offchain sweep walks, so it never reads an account without debt, and after a price move reads
//! first the accounts exposed to the asset that moved.
//!
//! [`Debtors`] counts each account's debt markets; [`Exposures`] holds (asset, account) for every
//! market of every account with debt. Both move in O(1) per change of a position, and in
//! O(`MaxMarketsPerAccount`) when an account's first debt opens or its last one closes.

use super::*;
use alloc::vec::Vec;

impl<T: Config> Pallet<T> {
	/// Records that `who` now owes in one more market. Call after its [`Borrows`] entry appears
	/// and after it entered the market.
	pub(crate) fn debt_opened(who: &T::AccountId) {
		let markets = Debtors::<T>::get(who).unwrap_or_default();
		if markets == 0 {
			for asset in AccountMarkets::<T>::get(who) {
				Exposures::<T>::insert(asset, who, ());
			}
		}
		Debtors::<T>::insert(who, markets.saturating_add(1));
	}

	/// Records that `who` no longer owes in one market. Call after its [`Borrows`] entry is gone
	/// and before it leaves the market.
	pub(crate) fn debt_closed(who: &T::AccountId) {
		match Debtors::<T>::get(who) {
			Some(markets) if markets > 1 => Debtors::<T>::insert(who, markets.saturating_sub(1)),
			_ => {
				Debtors::<T>::remove(who);
				for asset in AccountMarkets::<T>::get(who) {
					Exposures::<T>::remove(asset, who);
				}
			},
		}
	}

	/// Records that `who` entered or left the market of `asset`, if it has debt.
	pub(crate) fn exposure_changed(who: &T::AccountId, asset: AssetId, entered: bool) {
		if !Debtors::<T>::contains_key(who) {
			return;
		}
		if entered {
			Exposures::<T>::insert(asset, who, ());
		} else {
			Exposures::<T>::remove(asset, who);
		}
	}

	/// Up to `max` accounts with debt after `after` (from the start when `None`), in storage
	/// order.
	pub(crate) fn debtors_after(after: Option<&T::AccountId>, max: u32) -> Vec<T::AccountId> {
		match after {
			Some(after) => Debtors::<T>::iter_from(Debtors::<T>::hashed_key_for(after))
				.map(|(who, _)| who)
				.take(max as usize)
				.collect(),
			None => Debtors::<T>::iter_keys().take(max as usize).collect(),
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

	/// The index agrees with the positions: [`Debtors`] counts exactly each account's debt
	/// markets, and [`Exposures`] holds exactly every market of every account with debt.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub(crate) fn check_exposures() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let mut debts = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (_, who, _) in Borrows::<T>::iter() {
			*debts.entry(who).or_default() += 1;
		}
		let debtors: alloc::collections::BTreeMap<_, _> = Debtors::<T>::iter().collect();
		ensure!(debtors == debts, "Debtors disagrees with the debts");
		ensure!(Debtors::<T>::count() as usize == debtors.len(), "Debtors' counter is wrong");
		let mut expected = alloc::collections::BTreeSet::new();
		for who in debts.keys() {
			for asset in AccountMarkets::<T>::get(who) {
				expected.insert((asset, who.clone()));
			}
		}
		let indexed: alloc::collections::BTreeSet<_> = Exposures::<T>::iter_keys().collect();
		ensure!(indexed == expected, "Exposures disagrees with the debtors' markets");
		Ok(())
	}
}
