//! Which assets the vaults value positions in ([`lever_primitives::PricedPositions`]), for the
//! oracle's guard against unpricing an asset in use.

use super::*;

/// A collateral type with collateral or debt in vaults is valued at its asset's price.
impl<T: Config> lever_primitives::PricedPositions for Pallet<T> {
	fn priced_in(asset: AssetId) -> bool {
		CollateralTypes::<T>::get(asset).is_some_and(|collateral_type| {
			collateral_type.collateral != 0 || collateral_type.normalized_debt != 0
		})
	}
}
