//! The pallet's invariants, checked after every test block and under try-runtime.

use crate::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// The oracle's invariants, checked after every test block, by the runtime's tests (std) and
	/// by try-runtime.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let feeders = Feeders::<T>::get();
		let assets = Assets::<T>::get();
		ensure!(feeders.windows(2).all(|w| matches!(w, [a, b] if a < b)), "feeders sorted, unique");
		ensure!(assets.windows(2).all(|w| matches!(w, [a, b] if a < b)), "assets sorted, unique");
		let listed = |asset: &lever_primitives::AssetId| assets.binary_search(asset).is_ok();
		let round = Self::current_round();
		ensure!(
			(1..=T::MaxFeeders::get()).contains(&MinFeeders::<T>::get()),
			"the quorum is between 1 and MaxFeeders"
		);
		for (asset, feeder, submission) in Submissions::<T>::iter() {
			ensure!(listed(&asset), "submissions only for listed assets");
			ensure!(feeders.binary_search(&feeder).is_ok(), "submissions only from feeders");
			ensure!(is_sane_price(submission.value), "submitted prices are sane");
			ensure!(submission.round <= round, "no submission from the future");
		}
		for feeder in LastRound::<T>::iter_keys() {
			ensure!(feeders.binary_search(&feeder).is_ok(), "last rounds only for feeders");
		}
		for (asset, feed) in PriceFeeds::<T>::iter() {
			ensure!(listed(&asset), "price feeds only for listed assets");
			ensure!(!feed.is_empty(), "no empty price feed is stored");
			if let Some(price) = feed.price {
				ensure!(is_sane_price(price.value), "prices are sane");
				ensure!(price.round <= round, "no price from the future");
			}
			if let Some(held) = feed.held {
				ensure!(is_sane_price(held.value), "held prices are sane");
				ensure!(feed.price.is_some(), "a price is held only against a price");
			}
		}
		Ok(())
	}
}
