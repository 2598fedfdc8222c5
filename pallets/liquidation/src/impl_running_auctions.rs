//! How many auctions are running ([`lever_primitives::RunningAuctions`]), for the vault
//! pallet's redemption after a shutdown, which waits for them.

use super::*;

impl<T: Config> lever_primitives::RunningAuctions for Pallet<T> {
	fn running_auctions() -> u32 {
		AuctionBooks::<T>::get().running
	}
}
