//! Storage migrations of the oracle, one module per storage version.

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
	use crate::{Config, Pallet, Pending};
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
