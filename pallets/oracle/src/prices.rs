//! Reading prices: everything the oracle knows of one asset's price in one storage item
//! ([`PriceFeed`]), fresh or stale against `MaxPriceAge`, and the prices for actions that add
//! risk while a jump is held ([`PriceProvider`]).

use crate::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::Get;
use scale_info::TypeInfo;

/// Everything the oracle knows of one asset's price: the confirmed price, the aggregate the
/// circuit breaker holds, and governance's freeze. One storage item ([`PriceFeeds`]), so that
/// valuing a position in an asset costs one read, whichever of the three it needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct PriceFeed {
	/// The confirmed price, fresh or not; `None` until the first aggregate or emergency price.
	pub price: Option<Price>,
	/// An aggregate the circuit breaker holds until a later round confirms it; only ever beside
	/// a price.
	pub held: Option<PendingPrice>,
	/// Whether governance froze the price: feeds are refused and the price holds, fresh, until
	/// unfrozen.
	pub frozen: bool,
}

impl PriceFeed {
	/// Whether the feed says nothing: no price, nothing held, not frozen (it is then not stored).
	pub fn is_empty(&self) -> bool {
		self.price.is_none() && self.held.is_none() && !self.frozen
	}

	/// The confirmed price if it is fresh at `now` (no older than `max_age` milliseconds) or
	/// frozen; else why not.
	pub fn fresh(&self, now: Moment, max_age: Moment) -> Result<Price, PriceError> {
		let price = self.price.ok_or(PriceError::Unknown)?;
		if self.frozen || now.saturating_sub(price.updated_at) <= max_age {
			Ok(price)
		} else {
			Err(PriceError::Stale)
		}
	}

	/// The prices for an action that adds risk at `now`: against a held jump, collateral at the
	/// lower and debt at the higher of the fresh price and the held one; the fresh price on
	/// both sides when nothing is held or the asset is frozen (its price is then governance's).
	/// Fails as [`PriceFeed::fresh`] does: a held jump never makes a stale price usable.
	pub fn risk_prices(&self, now: Moment, max_age: Moment) -> Result<RiskPrices, PriceError> {
		let price = self.fresh(now, max_age)?;
		Ok(match self.held {
			Some(held) if !self.frozen => RiskPrices::held(price.value, held.value),
			_ => RiskPrices::at(price.value),
		})
	}
}

impl<T: Config> Pallet<T> {
	/// The asset's feed; empty when the oracle knows nothing of it.
	pub fn feed(asset: AssetId) -> PriceFeed {
		PriceFeeds::<T>::get(asset).unwrap_or_default()
	}

	/// Changes the asset's feed by `change`, removing it from storage once empty.
	pub(crate) fn update_feed(asset: AssetId, change: impl FnOnce(&mut PriceFeed)) {
		PriceFeeds::<T>::mutate_exists(asset, |stored| {
			let mut feed = stored.unwrap_or_default();
			change(&mut feed);
			*stored = (!feed.is_empty()).then_some(feed);
		});
	}

	/// The asset's price if it is fresh (or frozen by governance), else why not.
	pub fn fresh_price(asset: AssetId) -> Result<Price, PriceError> {
		Self::feed(asset).fresh(Clock::<T>::now_ms(), T::MaxPriceAge::get())
	}

	/// The asset's prices for an action that adds risk ([`PriceFeed::risk_prices`]).
	pub fn fresh_risk_prices(asset: AssetId) -> Result<RiskPrices, PriceError> {
		Self::feed(asset).risk_prices(Clock::<T>::now_ms(), T::MaxPriceAge::get())
	}
}

impl<T: Config> PriceProvider for Pallet<T> {
	fn price(asset: AssetId) -> Result<Price, PriceError> {
		Self::fresh_price(asset)
	}

	fn risk_prices(asset: AssetId) -> Result<RiskPrices, PriceError> {
		Self::fresh_risk_prices(asset)
	}

	fn last_price(asset: AssetId) -> Option<Price> {
		Self::feed(asset).price
	}
}
