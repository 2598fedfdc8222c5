//! Reading prices: fresh or stale against `MaxPriceAge`, and the prices for actions that add
//! risk while a jump is held ([`PriceProvider`]).

use crate::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// The asset's price if it is fresh (or frozen by governance), else why not.
	pub fn fresh_price(asset: lever_primitives::AssetId) -> Result<Price, PriceError> {
		let price = Prices::<T>::get(asset).ok_or(PriceError::Unknown)?;
		if Frozen::<T>::contains_key(asset) {
			return Ok(price);
		}
		let age = Clock::<T>::now_ms().saturating_sub(price.updated_at);
		ensure!(age <= T::MaxPriceAge::get(), PriceError::Stale);
		Ok(price)
	}

	/// The asset's prices for an action that adds risk: against a held jump, collateral at the
	/// lower and debt at the higher of the fresh price and the held one; the fresh price on both
	/// sides when nothing is held or governance froze the asset (its price is then governance's).
	/// Fails as [`Pallet::fresh_price`] does: a held jump never makes a stale price usable.
	pub fn fresh_risk_prices(asset: lever_primitives::AssetId) -> Result<RiskPrices, PriceError> {
		let price = Self::fresh_price(asset)?;
		Ok(match Pending::<T>::get(asset) {
			Some(held) if !Frozen::<T>::contains_key(asset) => {
				RiskPrices::held(price.value, held.value)
			},
			_ => RiskPrices::at(price.value),
		})
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
		Prices::<T>::get(asset)
	}
}
