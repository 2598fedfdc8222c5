//! Which assets the pools value positions in ([`lever_primitives::PricedPositions`]), for the
//! oracle's guard against unpricing an asset in use.

use super::*;

/// A market with suppliers' shares or borrows is valued at its asset's price (the seed is no
/// one's position).
impl<T: Config> lever_primitives::PricedPositions for Pallet<T> {
	fn priced_in(asset: AssetId) -> bool {
		Markets::<T>::get(asset)
			.is_some_and(|market| market.total_shares != 0 || market.scaled_borrows != 0)
	}
}
