//! What governance sets: priced assets, the quorum, emergency prices and freezes.

use crate::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use lever_primitives::PricedPositions;
use sp_runtime::FixedU128;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_add_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		Assets::<T>::try_mutate(|assets| match assets.binary_search(&asset) {
			Ok(_) => Err(Error::<T>::AssetAlreadyListed),
			Err(at) => assets.try_insert(at, asset).map_err(|_| Error::<T>::TooManyAssets),
		})?;
		Self::deposit_event(Event::AssetAdded { asset });
		Ok(())
	}

	pub(crate) fn do_remove_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		ensure!(!T::PricedPositions::priced_in(asset), Error::<T>::AssetInUse);
		Assets::<T>::try_mutate(|assets| {
			let at = assets.binary_search(&asset).map_err(|_| Error::<T>::UnknownAsset)?;
			assets.remove(at);
			Ok::<_, Error<T>>(())
		})?;
		PriceFeeds::<T>::remove(asset);
		// At most one submission per feeder, and there are at most `MaxFeeders` of them.
		let _ = Submissions::<T>::clear_prefix(asset, T::MaxFeeders::get(), None);
		Self::deposit_event(Event::AssetRemoved { asset });
		Ok(())
	}

	fn ensure_listed(asset: lever_primitives::AssetId) -> DispatchResult {
		ensure!(Assets::<T>::get().binary_search(&asset).is_ok(), Error::<T>::UnknownAsset);
		Ok(())
	}

	pub(crate) fn do_set_emergency_price(
		asset: lever_primitives::AssetId,
		value: FixedU128,
	) -> DispatchResult {
		Self::ensure_listed(asset)?;
		ensure!(is_sane_price(value), Error::<T>::InvalidPrice);
		Self::set_price(asset, value, Self::current_round(), PriceSource::Emergency);
		Ok(())
	}

	pub(crate) fn do_freeze_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		Self::ensure_listed(asset)?;
		ensure!(!Self::feed(asset).frozen, Error::<T>::AssetFrozen);
		Self::update_feed(asset, |feed| feed.frozen = true);
		Self::deposit_event(Event::AssetFrozen { asset });
		Ok(())
	}

	pub(crate) fn do_unfreeze_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		ensure!(Self::feed(asset).frozen, Error::<T>::AssetNotFrozen);
		Self::update_feed(asset, |feed| feed.frozen = false);
		Self::deposit_event(Event::AssetUnfrozen { asset });
		Ok(())
	}

	pub(crate) fn do_set_min_feeders(min_feeders: u32) -> DispatchResult {
		ensure!((1..=T::MaxFeeders::get()).contains(&min_feeders), Error::<T>::InvalidQuorum);
		ensure!(
			quorum_within(min_feeders, Feeders::<T>::get().len()),
			Error::<T>::QuorumAboveFeeders
		);
		MinFeeders::<T>::put(min_feeders);
		Self::deposit_event(Event::MinFeedersSet { min_feeders });
		Ok(())
	}
}
