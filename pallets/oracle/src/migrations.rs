//! Storage migrations of the oracle, one module per storage version.

use crate::{Config, Pallet, PendingPrice};
use frame_support::{storage_alias, Twox64Concat};
use lever_primitives::{AssetId, Price};

/// The price storage of versions 0 and 1, which version 2 merged into one item per asset
/// ([`crate::PriceFeeds`]).
pub mod v1_layout {
	use super::*;

	/// Each asset's confirmed price.
	#[storage_alias]
	pub type Prices<T: Config> = StorageMap<Pallet<T>, Twox64Concat, AssetId, Price>;

	/// Each asset's held aggregate.
	#[storage_alias]
	pub type Pending<T: Config> = StorageMap<Pallet<T>, Twox64Concat, AssetId, PendingPrice>;

	/// The assets governance froze.
	#[storage_alias]
	pub type Frozen<T: Config> = StorageMap<Pallet<T>, Twox64Concat, AssetId, ()>;
}

/// Version 0 → 1: held prices carry the time they were held.
///
/// Version 0's [`Pending`] entries (`value`, `round`) could be confirmed only by the very next
/// round; version 1's carry `held_at` and are confirmed by any later round within `MaxPriceAge`.
/// A version-0 hold has no time, so the migration drops it: the next round whose aggregate still
/// jumps holds it again, and a round after that confirms it, so no price a quorum has not seen
/// twice is applied. Prices themselves are untouched.
///
/// Weight: one write per held price (at most one per listed asset, `MaxAssets`), plus the
/// version.
pub mod v1 {
	use super::v1_layout::Pending;
	use crate::{Config, Pallet};
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};

	/// The migration's work, run only by [`MigrateV0ToV1`] (once, at storage version 0).
	pub struct UncheckedMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let removed = Pending::<T>::clear(T::MaxAssets::get(), None).unique;
			T::DbWeight::get().writes(u64::from(removed))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let held = Pending::<T>::iter_keys().count() as u32;
			ensure!(held <= T::MaxAssets::get(), "more held prices than assets");
			Ok(held.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(Pending::<T>::iter_keys().next().is_none(), "a version-0 hold is left");
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
}

/// Version 1 → 2: an asset's price, held aggregate and freeze, kept in three storage maps
/// (`Prices`, `Pending`, `Frozen`), move into one [`crate::PriceFeed`] per asset in
/// [`crate::PriceFeeds`], so that valuing a position reads one item per asset instead of three.
/// Nothing else changes: every price, hold and freeze reads the same after.
///
/// Weight: one read and one write per old entry (at most three per listed asset, `MaxAssets`),
/// one write per feed, plus the version.
pub mod v2 {
	use super::v1_layout::{Frozen, Pending, Prices};
	use crate::{Config, Pallet, PriceFeed, PriceFeeds};
	use alloc::collections::BTreeMap;
	use frame_support::{
		migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
	};
	use lever_primitives::AssetId;

	/// The feeds the version-1 maps hold, built in memory, the old entries removed. Returns them
	/// with how many old entries there were.
	fn take_v1_feeds<T: Config>() -> (BTreeMap<AssetId, PriceFeed>, u64) {
		let mut feeds = BTreeMap::<AssetId, PriceFeed>::new();
		let mut entries = 0u64;
		for (asset, price) in Prices::<T>::drain() {
			feeds.entry(asset).or_default().price = Some(price);
			entries = entries.saturating_add(1);
		}
		for (asset, held) in Pending::<T>::drain() {
			feeds.entry(asset).or_default().held = Some(held);
			entries = entries.saturating_add(1);
		}
		for (asset, ()) in Frozen::<T>::drain() {
			feeds.entry(asset).or_default().frozen = true;
			entries = entries.saturating_add(1);
		}
		(feeds, entries)
	}

	/// The migration's work, run only by [`MigrateV1ToV2`] (once, at storage version 1).
	pub struct UncheckedMigrateV1ToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let (feeds, entries) = take_v1_feeds::<T>();
			let written = feeds.len() as u64;
			for (asset, feed) in feeds {
				PriceFeeds::<T>::insert(asset, feed);
			}
			T::DbWeight::get().reads_writes(entries, entries.saturating_add(written))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			ensure!(PriceFeeds::<T>::iter_keys().next().is_none(), "no feed before the migration");
			let mut feeds = BTreeMap::<AssetId, PriceFeed>::new();
			for (asset, price) in Prices::<T>::iter() {
				feeds.entry(asset).or_default().price = Some(price);
			}
			for (asset, held) in Pending::<T>::iter() {
				feeds.entry(asset).or_default().held = Some(held);
			}
			for asset in Frozen::<T>::iter_keys() {
				feeds.entry(asset).or_default().frozen = true;
			}
			Ok(feeds.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = BTreeMap::<AssetId, PriceFeed>::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state decodes")?;
			let after: BTreeMap<_, _> = PriceFeeds::<T>::iter().collect();
			ensure!(before == after, "every price, hold and freeze moved unchanged");
			ensure!(Prices::<T>::iter_keys().next().is_none(), "no version-1 price left");
			ensure!(Pending::<T>::iter_keys().next().is_none(), "no version-1 hold left");
			ensure!(Frozen::<T>::iter_keys().next().is_none(), "no version-1 freeze left");
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

	/// Puts the feeds back as version 1 kept them, at storage version 1: what a chain upgraded
	/// from it holds before the migration. For tests of the upgrade.
	#[cfg(any(test, feature = "std"))]
	pub fn write_v1_layout<T: Config>() {
		for (asset, feed) in PriceFeeds::<T>::drain() {
			if let Some(price) = feed.price {
				Prices::<T>::insert(asset, price);
			}
			if let Some(held) = feed.held {
				Pending::<T>::insert(asset, held);
			}
			if feed.frozen {
				Frozen::<T>::insert(asset, ());
			}
		}
		StorageVersion::new(1).put::<Pallet<T>>();
	}
}
