//! The feeders follow the validators in office: the oracle is one of pallet-session's handlers,
//! and each new session's validators' `orcl` keys become the feeders. So there is one list to
//! keep, the validator set's, and a validator feeds prices from the session it takes office in.

use crate::*;
use alloc::vec::Vec;
use frame_support::{traits::OneSessionHandler, BoundedVec};

impl<T: Config> Pallet<T> {
	/// Makes `keys` the feeders (sorted, one each, at most `MaxFeeders`: the first by key are
	/// kept). Leaving feeders' submissions and last rounds are removed, so only feeders in
	/// office count towards a quorum; at most `MaxFeeders` leave and each had at most one
	/// submission per priced asset. Emits `FeedersSet`, and `QuorumUnreachable` when fewer
	/// feeders than the quorum remain (prices then age until enough are in office again).
	pub(crate) fn set_feeders(keys: impl Iterator<Item = FeederId>) {
		let feeders: BoundedVec<FeederId, T::MaxFeeders> =
			BoundedVec::truncate_from(sorted_unique(keys.collect::<Vec<_>>()));
		let before = Feeders::<T>::get();
		if before == feeders {
			return;
		}
		let assets = Assets::<T>::get();
		for leaving in before.iter().filter(|key| feeders.binary_search(key).is_err()) {
			LastRound::<T>::remove(leaving);
			for asset in assets.iter() {
				Submissions::<T>::remove(asset, leaving);
			}
		}
		let count = feeders.len() as u32;
		Feeders::<T>::put(feeders);
		Self::deposit_event(Event::FeedersSet { feeders: count });
		let quorum = MinFeeders::<T>::get();
		if !quorum_within(quorum, count as usize) {
			log::warn!(
				target: LOG_TARGET,
				"{count} feeders in office, below the quorum of {quorum}: prices will go stale",
			);
			Self::deposit_event(Event::QuorumUnreachable { feeders: count, quorum });
		}
	}
}

impl<T: Config, AccountId> OneSessionHandler<AccountId> for Pallet<T> {
	type Key = FeederId;

	fn on_genesis_session<'a, I>(validators: I)
	where
		I: 'a + Iterator<Item = (&'a AccountId, FeederId)>,
		AccountId: 'a,
	{
		Self::set_feeders(validators.map(|(_, key)| key));
	}

	/// A new session: its validators' keys become the feeders. `changed` is false when neither
	/// the validators nor their keys changed, and the feeders then stay as they are.
	fn on_new_session<'a, I>(changed: bool, validators: I, _queued_validators: I)
	where
		I: 'a + Iterator<Item = (&'a AccountId, FeederId)>,
		AccountId: 'a,
	{
		if changed {
			Self::set_feeders(validators.map(|(_, key)| key));
		}
	}

	/// A disabled validator keeps feeding: without staking, nothing disables one.
	fn on_disabled(_validator_index: u32) {}
}
