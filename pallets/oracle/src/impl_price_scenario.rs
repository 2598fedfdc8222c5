//! What-if prices for read-only valuations ([`PriceScenario`]): the stress test's shocked prices
//! are put in [`PriceFeeds`] for the length of one closure, so every pallet values positions at
//! them by its own rules, and everything is undone afterwards.

use crate::*;
use frame_support::storage::{with_transaction, TransactionOutcome};
use lever_primitives::{Price, PriceScenario, PriceSource};
use sp_runtime::{DispatchError, FixedU128};

impl<T: Config> PriceScenario for Pallet<T> {
	fn with_prices<R>(
		prices: &[(AssetId, FixedU128)],
		f: impl FnOnce() -> R,
	) -> Result<R, DispatchError> {
		with_transaction(|| {
			let now = Clock::<T>::now_ms();
			for &(asset, value) in prices {
				Self::update_feed(asset, |feed| {
					let round = feed.price.map_or(0, |price| price.round);
					feed.price = Some(Price {
						value,
						updated_at: now,
						round,
						source: PriceSource::Emergency,
					});
					feed.held = None;
				});
			}
			TransactionOutcome::Rollback(Ok(f()))
		})
	}
}
