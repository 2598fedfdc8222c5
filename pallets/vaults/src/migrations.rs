//! Storage migrations of the vault pallet, one module per storage version.

/// Version 0 → 1: the pallet's storage moves from the prefix of its old name in the runtime,
/// `Cdp`, to the prefix of its name now (`Vaults`, as the runtime's `PalletInfo` gives it). Every
/// key and value is kept as it is (vaults, collateral types, the books, the shutdown's state);
/// only the first 16 bytes of each key, the pallet's prefix, change.
///
/// It is guarded by the old prefix itself rather than by the storage version: before any
/// migration runs, FRAME gives a pallet whose prefix holds nothing the storage version in its
/// code (as it does for a pallet just added to a runtime), so the renamed pallet already reads
/// version 1 when this runs. It moves what lies under `Cdp`, if anything, then sets version 1
/// (the move brought the old version 0 along); a chain with nothing under `Cdp` is left alone,
/// so it runs once.
///
/// Weight: two reads and one write per key moved (counting them, then moving them), bounded by
/// the number of vaults plus the number of collateral types (at most `MaxCollateralTypes`) plus a
/// few values; on a chain with no old prefix it reads one key.
pub mod v1 {
	use crate::{Config, Pallet};
	#[cfg(feature = "try-runtime")]
	use alloc::vec::Vec;
	#[cfg(feature = "try-runtime")]
	use frame_support::traits::GetStorageVersion;
	use frame_support::{
		pallet_prelude::*,
		storage::{migration::move_pallet, KeyPrefixIterator},
		traits::{OnRuntimeUpgrade, PalletInfoAccess},
		StorageHasher, Twox128,
	};

	/// The pallet's name in the runtime before it was renamed.
	pub const OLD_NAME: &[u8] = b"Cdp";

	/// How many keys lie under the pallet prefix of `name`.
	fn keys_under(name: &[u8]) -> u64 {
		let prefix = Twox128::hash(name).to_vec();
		KeyPrefixIterator::new(prefix.clone(), prefix, |_| Ok(())).count() as u64
	}

	/// The pallet's name now.
	fn name<T: Config>() -> &'static str {
		<Pallet<T> as PalletInfoAccess>::name()
	}

	/// The migration: moves the storage under `Cdp`, if any, and sets storage version 1.
	pub struct MigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> OnRuntimeUpgrade for MigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let keys = keys_under(OLD_NAME);
			if keys == 0 {
				return T::DbWeight::get().reads(1);
			}
			move_pallet(OLD_NAME, name::<T>().as_bytes());
			StorageVersion::new(1).put::<Pallet<T>>();
			T::DbWeight::get()
				.reads_writes(keys.saturating_mul(2).saturating_add(1), keys.saturating_add(1))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((keys_under(OLD_NAME), keys_under(name::<T>().as_bytes())).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (old, new) = <(u64, u64)>::decode(&mut &state[..]).map_err(|_| {
				sp_runtime::TryRuntimeError::Other("undecodable pre-upgrade counts")
			})?;
			ensure!(keys_under(OLD_NAME) == 0, "keys are left under the old prefix");
			// Both prefixes may hold a storage version key; the move keeps one.
			let now = keys_under(name::<T>().as_bytes());
			ensure!(now.saturating_add(1) >= old.saturating_add(new), "keys were lost in the move");
			ensure!(now <= old.saturating_add(new).saturating_add(1), "keys appeared in the move");
			ensure!(
				Pallet::<T>::on_chain_storage_version() == StorageVersion::new(1),
				"the storage version is not 1"
			);
			Ok(())
		}
	}

	/// Moves the pallet's storage back under its old name with storage version 0, as a chain
	/// of spec 100 to 103 holds it, so the migration can be tested on a populated state.
	#[cfg(any(test, feature = "std"))]
	pub fn write_v0_layout<T: Config>() {
		StorageVersion::new(0).put::<Pallet<T>>();
		move_pallet(name::<T>().as_bytes(), OLD_NAME);
	}
}
