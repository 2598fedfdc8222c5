//! What the runtime API reports: every priced asset's price, age, freshness, freeze and held
//! jump.

use crate::*;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::traits::Get;
use scale_info::TypeInfo;

/// What the runtime API reports for each priced asset.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PriceInfo {
	/// The asset.
	pub asset: AssetId,
	/// Its last price, fresh or not.
	pub price: Option<lever_primitives::Price>,
	/// Milliseconds since the price was set.
	pub age_ms: Option<lever_primitives::Moment>,
	/// Whether [`lever_primitives::PriceProvider::price`] would return it.
	pub fresh: bool,
	/// Whether governance froze it.
	pub frozen: bool,
	/// An aggregate held by the circuit breaker.
	pub pending: Option<PendingPrice>,
	/// The prices a borrow, mint or collateral withdrawal values the asset at now (see
	/// [`lever_primitives::PriceProvider::risk_prices`]); `None` when the price is not fresh.
	pub risk: Option<lever_primitives::RiskPrices>,
}

impl<T: Config> Pallet<T> {
	/// Every priced asset's price, age, freshness, freeze, held aggregate and the prices that
	/// actions adding risk use now.
	pub fn price_infos() -> Vec<PriceInfo> {
		let now = Clock::<T>::now_ms();
		let max_age = T::MaxPriceAge::get();
		Assets::<T>::get()
			.into_iter()
			.map(|asset| {
				let feed = Self::feed(asset);
				PriceInfo {
					asset,
					price: feed.price,
					age_ms: feed.price.map(|p| now.saturating_sub(p.updated_at)),
					fresh: feed.fresh(now, max_age).is_ok(),
					frozen: feed.frozen,
					pending: feed.held,
					risk: feed.risk_prices(now, max_age).ok(),
				}
			})
			.collect()
	}
}
