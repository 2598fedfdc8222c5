//! Storage migrations of the liquidation engine, one module per storage version.

/// Version 0 → 1: the auction bookkeeping in one value.
///
/// Version 0 kept the running auctions' count in the counter of a counted `Auctions` map
/// (`CounterForAuctions`), the next auction's identifier in `NextAuctionId` and the debt in all
/// auctions in `TotalDebtInAuction`: starting or ending an auction wrote three values. Version 1
/// keeps the three in [`AuctionBooks`]. The `Auctions` entries themselves are unchanged (same
/// prefix, hasher and value).
///
/// The migration recomputes the books from the auctions themselves rather than trusting the old
/// counters: the count and the debt (Σ tab) from `Auctions`, the next identifier as the largest
/// of the old `NextAuctionId`, the books' own and one past the highest running auction, so no
/// identifier is ever reused. It then removes the three old values. A chain whose books were
/// already written by version 1's code while its storage version still read 0 gets the same
/// books back.
///
/// Weight: one read per running auction plus four reads and four writes; the number of running
/// auctions is bounded by the auction caps (`MaxDebtInAuction` over the minimum tab).
pub mod v1 {
	use crate::{AuctionBook, AuctionBooks, Auctions, Config, Pallet};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, storage_alias,
		traits::UncheckedOnRuntimeUpgrade,
	};
	use lever_primitives::Balance;

	/// The version-0 values this migration replaces.
	mod v0 {
		use super::*;

		/// The counted `Auctions` map's counter.
		#[storage_alias]
		pub type CounterForAuctions<T: Config> = StorageValue<Pallet<T>, u32, ValueQuery>;

		/// The next auction's identifier.
		#[storage_alias]
		pub type NextAuctionId<T: Config> = StorageValue<Pallet<T>, u32, OptionQuery>;

		/// Debt (with penalty) in all auctions.
		#[storage_alias]
		pub type TotalDebtInAuction<T: Config> = StorageValue<Pallet<T>, Balance, ValueQuery>;
	}

	/// The books the auctions call for: their count, their debt and the next identifier (at
	/// least `next_at_least`), recomputed from `Auctions`.
	fn books_of_auctions<T: Config>(next_at_least: u32) -> (AuctionBook, u64) {
		let mut books = AuctionBook { running: 0, next_id: next_at_least, total_debt: 0 };
		let mut reads = 0u64;
		for (id, auction) in Auctions::<T>::iter() {
			reads = reads.saturating_add(1);
			books.running = books.running.saturating_add(1);
			books.total_debt = books.total_debt.saturating_add(auction.tab);
			books.next_id = books.next_id.max(id.saturating_add(1));
		}
		(books, reads)
	}

	/// The next identifier the old and the new values allow, whichever is larger.
	fn next_id_floor<T: Config>() -> u32 {
		v0::NextAuctionId::<T>::get().unwrap_or(0).max(AuctionBooks::<T>::get().next_id)
	}

	/// The migration's work, run only by [`MigrateV0ToV1`] (once, at storage version 0).
	pub struct UncheckedMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let (books, reads) = books_of_auctions::<T>(next_id_floor::<T>());
			v0::CounterForAuctions::<T>::kill();
			v0::NextAuctionId::<T>::kill();
			v0::TotalDebtInAuction::<T>::kill();
			AuctionBooks::<T>::put(books);
			T::DbWeight::get().reads_writes(reads.saturating_add(4), 4)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let (books, _) = books_of_auctions::<T>(next_id_floor::<T>());
			Ok(books.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let expected = AuctionBook::decode(&mut &state[..])
				.map_err(|_| sp_runtime::TryRuntimeError::Other("undecodable pre-upgrade books"))?;
			ensure!(AuctionBooks::<T>::get() == expected, "the books differ from the auctions");
			ensure!(
				!v0::CounterForAuctions::<T>::exists()
					&& !v0::NextAuctionId::<T>::exists()
					&& !v0::TotalDebtInAuction::<T>::exists(),
				"a version-0 value is left"
			);
			Ok(())
		}
	}

	/// [`UncheckedMigrateV0ToV1`] run once: only at storage version 0, which it sets to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		UncheckedMigrateV0ToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// Writes the version-0 layout of the auction bookkeeping for the books now stored, and sets
	/// the storage version to 0, so the migration can be tested on a populated state.
	#[cfg(any(test, feature = "std"))]
	pub fn write_v0_layout<T: Config>() {
		let books = AuctionBooks::<T>::take();
		v0::CounterForAuctions::<T>::put(books.running);
		v0::NextAuctionId::<T>::put(books.next_id);
		v0::TotalDebtInAuction::<T>::put(books.total_debt);
		StorageVersion::new(0).put::<Pallet<T>>();
	}
}

/// Version 1 → 2: the backstop pools' storage is named for what it holds, `BackstopPools`
/// (it was `Pools`, a word the AMM's pools and the lending pools also use). The entries move
/// from the old storage prefix to the new one as they are (same hasher, keys and values).
///
/// Weight: two reads and one write per pool (counting them, then moving them); there is at most
/// one pool per asset the engine holds deposits in.
pub mod v2 {
	use crate::{Config, Pallet};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration,
		pallet_prelude::*,
		storage::{migration::move_prefix, storage_prefix, KeyPrefixIterator},
		traits::{PalletInfoAccess, UncheckedOnRuntimeUpgrade},
	};

	/// The storage's name before the rename.
	pub const OLD_NAME: &[u8] = b"Pools";
	/// Its name now.
	pub const NEW_NAME: &[u8] = b"BackstopPools";

	/// How many entries the pallet's storage `storage` holds.
	fn entries<T: Config>(storage: &[u8]) -> u64 {
		let prefix = storage_prefix(<Pallet<T> as PalletInfoAccess>::name().as_bytes(), storage);
		KeyPrefixIterator::new(prefix.to_vec(), prefix.to_vec(), |_| Ok(())).count() as u64
	}

	/// Moves the entries of the pallet's storage `from` to `to`.
	fn rename<T: Config>(from: &[u8], to: &[u8]) {
		let pallet = <Pallet<T> as PalletInfoAccess>::name().as_bytes();
		let (old, new) = (storage_prefix(pallet, from), storage_prefix(pallet, to));
		move_prefix(&old, &new);
	}

	/// The migration's work, run only by [`MigrateV1ToV2`] (once, at storage version 1).
	pub struct UncheckedMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let pools = entries::<T>(OLD_NAME);
			rename::<T>(OLD_NAME, NEW_NAME);
			T::DbWeight::get().reads_writes(pools.saturating_mul(2).saturating_add(1), pools)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok(entries::<T>(OLD_NAME).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let pools = u64::decode(&mut &state[..])
				.map_err(|_| sp_runtime::TryRuntimeError::Other("undecodable pre-upgrade count"))?;
			ensure!(entries::<T>(OLD_NAME) == 0, "pools are left under the old name");
			ensure!(entries::<T>(NEW_NAME) == pools, "pools were lost in the move");
			Ok(())
		}
	}

	/// [`UncheckedMigrateV1ToV2`] run once: only at storage version 1, which it sets to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		UncheckedMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// Moves the backstop pools back to their old name with storage version 1, so the migration
	/// can be tested on a populated state.
	#[cfg(any(test, feature = "std"))]
	pub fn write_v1_layout<T: Config>() {
		rename::<T>(NEW_NAME, OLD_NAME);
		StorageVersion::new(1).put::<Pallet<T>>();
	}
}
