//! The liquidation queue: a bounded first-in first-out list in storage, each position at most
//! once (vaults through their index slot, lending accounts through [`Flagged`]).

use super::*;
use frame_support::{ensure, traits::Get};
use lever_primitives::LendingLiquidation;
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// How many positions wait in the queue.
	pub fn queue_len() -> u32 {
		QueueTail::<T>::get().wrapping_sub(QueueHead::<T>::get())
	}

	/// Whether the queue has no room left.
	pub(crate) fn queue_is_full() -> bool {
		Self::queue_len() >= T::MaxQueueLength::get()
	}

	/// Adds a position at the end of the queue.
	pub(crate) fn push(item: QueueItem<T::AccountId>) -> DispatchResult {
		ensure!(!Self::queue_is_full(), Error::<T>::QueueFull);
		let tail = QueueTail::<T>::get();
		Queue::<T>::insert(tail, item);
		QueueTail::<T>::put(tail.wrapping_add(1));
		Ok(())
	}

	/// The position at the front of the queue, if any, without taking it.
	pub(crate) fn peek() -> Option<QueueItem<T::AccountId>> {
		Queue::<T>::get(QueueHead::<T>::get())
	}

	/// Takes the position at the front of the queue.
	pub(crate) fn pop() -> Option<QueueItem<T::AccountId>> {
		let head = QueueHead::<T>::get();
		let item = Queue::<T>::take(head)?;
		QueueHead::<T>::put(head.wrapping_add(1));
		Some(item)
	}

	/// Every queued position, front first (for the runtime API and tests).
	pub fn queued() -> alloc::vec::Vec<QueueItem<T::AccountId>> {
		let head = QueueHead::<T>::get();
		(0..Self::queue_len())
			.filter_map(|i| Queue::<T>::get(head.wrapping_add(i)))
			.collect()
	}

	/// Queues a lending account that is liquidatable now and gives the engine work (see
	/// [`Pallet::flag`]); `by` is the signer, if any.
	pub(crate) fn do_flag(account: &T::AccountId, by: Option<T::AccountId>) -> DispatchResult {
		Self::ensure_flaggable(account)?;
		Self::push(QueueItem::Lending { account: account.clone() })?;
		Flagged::<T>::insert(account, ());
		Self::deposit_event(Event::AccountFlagged { account: account.clone(), by });
		Ok(())
	}

	/// Whether a flag of `account` would queue it: not queued yet, room in the lending share of
	/// the queue, liquidatable, work for the engine (a write-off, a backstop with deposits for
	/// one of its debts, a pair a book can take over, or an AMM way from one of its collaterals
	/// to one of its debts) and not
	/// known uncoverable as it stands. The AMM's depth is not part of what is known: a price or
	/// position change makes an account found uncoverable flaggable again.
	pub(crate) fn ensure_flaggable(account: &T::AccountId) -> DispatchResult {
		ensure!(!Flagged::<T>::contains_key(account), Error::<T>::AlreadyQueued);
		ensure!(
			Flagged::<T>::count() < T::MaxFlaggedAccounts::get() && !Self::queue_is_full(),
			Error::<T>::QueueFull
		);
		ensure!(T::Lending::is_liquidatable(account)?, Error::<T>::NotLiquidatable);
		let pairs = T::Lending::liquidation_pairs(account)?;
		let deposits = Self::debt_deposits(&pairs);
		let backed = deposits.iter().any(|(_, deposits)| *deposits != 0);
		let takeable = || {
			pairs.iter().any(|(debt, collateral)| {
				Self::book_account(*debt, *collateral).is_some_and(|book| book != *account)
			})
		};
		let sellable = || pairs.iter().any(|(debt, collateral)| Self::can_sell(*collateral, *debt));
		ensure!(pairs.is_empty() || backed || takeable() || sellable(), Error::<T>::NothingToDo);
		if let Some(known) = Uncovered::<T>::get(account) {
			ensure!(known != Self::lending_digest(account, &deposits), Error::<T>::Unchanged);
		}
		Ok(())
	}

	/// The backstop deposits of each debt asset of `pairs` (grouped by debt asset), read once
	/// each.
	pub(crate) fn debt_deposits(
		pairs: &[(AssetId, AssetId)],
	) -> alloc::vec::Vec<(AssetId, Balance)> {
		let mut debts: alloc::vec::Vec<AssetId> = pairs.iter().map(|(debt, _)| *debt).collect();
		debts.dedup();
		debts.into_iter().map(|debt| (debt, Self::pool_deposits(debt))).collect()
	}

	/// A digest of what liquidating `account` depends on: its state in the lending pools and
	/// `deposits`, the backstop deposits of its debt assets.
	pub(crate) fn lending_digest(
		account: &T::AccountId,
		deposits: &[(AssetId, Balance)],
	) -> [u8; 32] {
		BlakeTwo256::hash_of(&(T::Lending::liquidation_state(account), deposits)).0
	}
}
