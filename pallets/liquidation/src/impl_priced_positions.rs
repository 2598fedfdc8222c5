//! Which assets the engine values positions in ([`lever_primitives::PricedPositions`]): the
//! collateral of running auctions, for the oracle's guard against unpricing an asset in use.

use super::*;

/// Running auctions of an asset's collateral are priced at its oracle price.
impl<T: Config> lever_primitives::PricedPositions for Pallet<T> {
	fn priced_in(asset: AssetId) -> bool {
		DebtInAuction::<T>::get(asset) != 0
	}
}
