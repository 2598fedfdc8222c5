//! Storage migrations of the lending pallet, one module per storage version.

/// Version 0 → 1: an account's positions in one item.
///
/// Version 0 kept an account's supplies (`Supplies`, by asset and account), its scaled debts
/// (`Borrows`, likewise) and the list of its markets (`AccountMarkets`) apart, so valuing an
/// account read one list, then a supply and a debt per market; and `Debtors` counted each
/// account's debt markets. Version 1 keeps them in one item per account ([`crate::Positions`]),
/// and the accounts with debt in [`crate::Borrowers`] without a count (it follows from the
/// positions). Every supply, debt and index entry reads the same after.
///
/// The number of positions has no bound, so the data moves in a multi-block migration
/// (`LendingPositionsV1`, run by pallet-migrations): each block moves as many entries as
/// its weight allows, in four phases (supplies, debts, the old market lists, the debtors). The
/// upgrade's block sets storage version 1 (`MarkV1`); the multi-block migration runs while
/// version 0's positions are left. No extrinsic is included while it runs, and the liquidation
/// engine waits for it.
pub mod v1 {
	use crate::{
		account::{find, store},
		Borrowers, Config, Pallet, Position, Positions, SupplyPosition,
	};
	use codec::{Decode, Encode, MaxEncodedLen};
	use frame_support::{
		migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
		pallet_prelude::*,
		storage_alias,
		weights::WeightMeter,
		Blake2_128Concat, Twox64Concat,
	};
	use lever_primitives::{AssetId, Balance};

	/// The layout of version 0, which this migration empties.
	pub mod v0 {
		use super::*;

		/// Each account's supply per market.
		#[storage_alias]
		pub type Supplies<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			AssetId,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			SupplyPosition,
		>;

		/// Each account's scaled debt per market.
		#[storage_alias]
		pub type Borrows<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			AssetId,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			Balance,
		>;

		/// The markets each account is in.
		#[storage_alias]
		pub type AccountMarkets<T: Config> = StorageMap<
			Pallet<T>,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			BoundedVec<AssetId, <T as Config>::MaxMarketsPerAccount>,
		>;

		/// How many markets each account with debt owes in.
		#[storage_alias]
		pub type Debtors<T: Config> = CountedStorageMap<
			Pallet<T>,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			u32,
		>;
	}

	/// Where the migration stands: the phase it is in. Each phase removes the old entries it
	/// moves, so it resumes from the first one left.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen)]
	pub enum Cursor {
		/// Moving `Supplies` into the positions.
		Supplies,
		/// Moving `Borrows` into the positions.
		Borrows,
		/// Removing the old market lists.
		AccountMarkets,
		/// Moving `Debtors` into [`Borrowers`], without their counts.
		Debtors,
	}

	/// Whether any of version 0's supplies, debts, market lists or debtors is left.
	fn has_version_0_positions<T: Config>() -> bool {
		v0::Supplies::<T>::iter_keys().next().is_some()
			|| v0::Borrows::<T>::iter_keys().next().is_some()
			|| v0::AccountMarkets::<T>::iter_keys().next().is_some()
			|| v0::Debtors::<T>::iter_keys().next().is_some()
	}

	/// Marks the layout as version 1 in the upgrade's block; [`LendingPositionsV1`] moves the
	/// positions over the blocks that follow (it runs while version 0's positions are left,
	/// whatever the storage version says).
	pub struct UncheckedMarkV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> frame_support::traits::UncheckedOnRuntimeUpgrade for UncheckedMarkV1<T> {
		fn on_runtime_upgrade() -> Weight {
			Weight::zero()
		}
	}

	/// [`UncheckedMarkV1`] run once: only at storage version 0, which it sets to 1.
	pub type MarkV1<T> = frame_support::migrations::VersionedMigration<
		0,
		1,
		UncheckedMarkV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The migration's name for pallet-migrations.
	const ID: [u8; 16] = *b"lever-lending-v1";

	/// The multi-block migration of the lending pallet from version 0 to 1 (see the module).
	pub struct LendingPositionsV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> LendingPositionsV1<T> {
		/// What moving one entry costs at most: reading and removing the old entry, reading and
		/// writing the account's positions.
		fn per_entry() -> Weight {
			T::DbWeight::get().reads_writes(2, 2)
		}

		/// Moves one old entry of `cursor`'s phase, or says the phase is done with the cursor
		/// of the next (`None` once all are). Errors with `Failed` when an account's positions
		/// would exceed `MaxMarketsPerAccount`, which version 0 bounded too.
		fn move_one(cursor: Cursor) -> Result<(Cursor, bool), SteppedMigrationError> {
			match cursor {
				Cursor::Supplies => match v0::Supplies::<T>::drain().next() {
					Some((asset, who, supply)) => {
						Self::merge(&who, asset, |position| position.supply = Some(supply))?;
						Ok((Cursor::Supplies, true))
					},
					None => Ok((Cursor::Borrows, false)),
				},
				Cursor::Borrows => match v0::Borrows::<T>::drain().next() {
					Some((asset, who, scaled_debt)) => {
						Self::merge(&who, asset, |position| {
							position.scaled_debt = Some(scaled_debt)
						})?;
						Ok((Cursor::Borrows, true))
					},
					None => Ok((Cursor::AccountMarkets, false)),
				},
				Cursor::AccountMarkets => match v0::AccountMarkets::<T>::drain().next() {
					Some(_) => Ok((Cursor::AccountMarkets, true)),
					None => Ok((Cursor::Debtors, false)),
				},
				Cursor::Debtors => match v0::Debtors::<T>::drain().next() {
					Some((who, _)) => {
						Borrowers::<T>::insert(&who, ());
						Ok((Cursor::Debtors, true))
					},
					None => {
						// Empty, it drops its counter.
						let _ = v0::Debtors::<T>::clear(1, None);
						Ok((Cursor::Debtors, false))
					},
				},
			}
		}

		/// Sets what `change` sets of `who`'s position in the market of `asset`.
		fn merge(
			who: &T::AccountId,
			asset: AssetId,
			change: impl FnOnce(&mut Position),
		) -> Result<(), SteppedMigrationError> {
			let mut positions = Positions::<T>::get(who).unwrap_or_default();
			let mut position = find(&positions, asset);
			change(&mut position);
			store(&mut positions, asset, position).map_err(|_| SteppedMigrationError::Failed)?;
			Positions::<T>::insert(who, positions);
			Ok(())
		}
	}

	impl<T: Config> SteppedMigration for LendingPositionsV1<T> {
		type Cursor = Cursor;
		type Identifier = MigrationId<16>;

		fn id() -> Self::Identifier {
			MigrationId { pallet_id: ID, version_from: 0, version_to: 1 }
		}

		fn step(
			cursor: Option<Cursor>,
			meter: &mut WeightMeter,
		) -> Result<Option<Cursor>, SteppedMigrationError> {
			let per_entry = Self::per_entry();
			if !meter.can_consume(per_entry) {
				return Err(SteppedMigrationError::InsufficientWeight { required: per_entry });
			}
			let cursor = match cursor {
				Some(cursor) => cursor,
				// A chain with none of version 0's positions has nothing to move.
				None if meter.try_consume(T::DbWeight::get().reads(4)).is_ok()
					&& !has_version_0_positions::<T>() =>
				{
					return Ok(None)
				},
				None => Cursor::Supplies,
			};
			let mut cursor = cursor;
			while meter.try_consume(per_entry).is_ok() {
				let (next, moved) = Self::move_one(cursor)?;
				if !moved && cursor == Cursor::Debtors {
					return Ok(None);
				}
				cursor = next;
			}
			Ok(Some(cursor))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok(version_0_positions::<T>().encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = Migrated::<T>::decode(&mut &state[..])
				.map_err(|_| "the pre-upgrade state decodes")?;
			let after: Migrated<T> = (
				Positions::<T>::iter()
					.map(|(who, positions)| (who, positions.into_inner()))
					.collect(),
				Borrowers::<T>::iter_keys().collect(),
			);
			ensure!(before == after, "every supply, debt and debtor moved unchanged");
			ensure!(v0::Supplies::<T>::iter_keys().next().is_none(), "no old supply left");
			ensure!(v0::Borrows::<T>::iter_keys().next().is_none(), "no old debt left");
			ensure!(v0::AccountMarkets::<T>::iter_keys().next().is_none(), "no old list left");
			ensure!(v0::Debtors::<T>::iter_keys().next().is_none(), "no old debtor left");
			let counter = frame_support::storage::storage_prefix(
				<Pallet<T> as PalletInfoAccess>::name().as_bytes(),
				b"CounterForDebtors",
			);
			ensure!(
				!frame_support::storage::unhashed::exists(&counter),
				"no old debtor count left"
			);
			Ok(())
		}
	}

	/// Every account's positions and the debtors, sorted: what version 0 holds, in version 1's
	/// terms.
	#[cfg(feature = "try-runtime")]
	type Migrated<T> = (
		alloc::collections::BTreeMap<
			<T as frame_system::Config>::AccountId,
			alloc::vec::Vec<(AssetId, Position)>,
		>,
		alloc::collections::BTreeSet<<T as frame_system::Config>::AccountId>,
	);

	/// What version 0 holds, in version 1's terms (see [`Migrated`]).
	#[cfg(feature = "try-runtime")]
	pub(crate) fn version_0_positions<T: Config>() -> Migrated<T> {
		let mut positions = alloc::collections::BTreeMap::<_, alloc::vec::Vec<_>>::new();
		let mut put = |who: T::AccountId, asset: AssetId, change: &dyn Fn(&mut Position)| {
			let held = positions.entry(who).or_default();
			match held.binary_search_by_key(&asset, |(market, _)| *market) {
				Ok(index) => {
					if let Some((_, position)) = held.get_mut(index) {
						change(position);
					}
				},
				Err(index) => {
					let mut position = Position::default();
					change(&mut position);
					held.insert(index, (asset, position));
				},
			}
		};
		for (asset, who, supply) in v0::Supplies::<T>::iter() {
			put(who, asset, &|position| position.supply = Some(supply));
		}
		for (asset, who, scaled_debt) in v0::Borrows::<T>::iter() {
			put(who, asset, &|position| position.scaled_debt = Some(scaled_debt));
		}
		(positions, v0::Debtors::<T>::iter_keys().collect())
	}

	/// Puts the positions back as version 0 kept them, at storage version 0: what a chain
	/// upgraded from it holds before the migration. For tests of the upgrade.
	#[cfg(any(test, feature = "std"))]
	pub fn write_v0_layout<T: Config>() {
		Borrowers::<T>::drain().for_each(drop);
		for (who, positions) in Positions::<T>::drain() {
			let mut markets = BoundedVec::<AssetId, T::MaxMarketsPerAccount>::default();
			let mut debts = 0u32;
			for (asset, position) in positions {
				let _ = markets.try_push(asset);
				if let Some(supply) = position.supply {
					v0::Supplies::<T>::insert(asset, &who, supply);
				}
				if let Some(scaled_debt) = position.scaled_debt {
					v0::Borrows::<T>::insert(asset, &who, scaled_debt);
					debts = debts.saturating_add(1);
				}
			}
			v0::AccountMarkets::<T>::insert(&who, markets);
			if debts > 0 {
				v0::Debtors::<T>::insert(&who, debts);
			}
		}
		StorageVersion::new(0).put::<Pallet<T>>();
	}
}

/// Version 1 → 2: the index of accounts with debt without its by-market half and its count.
///
/// Version 1 kept, beside [`crate::Borrowers`], every market of every account with debt by the
/// market's asset (`Exposures`) and a count of the borrowers (`CounterForBorrowers`), so a first
/// borrow in eight markets wrote ten index items and a last repayment as many. Version 2 keeps
/// [`crate::Borrowers`] alone, written only when an account starts or stops owing; the sweep
/// finds the accounts exposed to an asset from their positions. [`MarkV2`], in the upgrade's
/// block, removes the count and sets version 2; [`LendingIndexV2`], run by pallet-migrations,
/// removes `Exposures` over the blocks that follow (nothing reads it any more), as many entries
/// per block as its weight allows.
pub mod v2 {
	use crate::{account::has_debt, Config, Pallet, Positions};
	use frame_support::{
		migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
		pallet_prelude::*,
		storage_alias,
		weights::WeightMeter,
		Blake2_128Concat, Twox64Concat,
	};
	use lever_primitives::AssetId;

	/// The layout of version 1 that version 2 drops.
	pub mod v1 {
		use super::*;

		/// Every market of every account with debt, by the market's asset.
		#[storage_alias]
		pub type Exposures<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			AssetId,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			(),
		>;

		/// How many accounts [`crate::Borrowers`] holds.
		#[storage_alias]
		pub type CounterForBorrowers<T: Config> = StorageValue<Pallet<T>, u32>;
	}

	/// Removes the borrowers' count in the upgrade's block.
	pub struct UncheckedMarkV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> frame_support::traits::UncheckedOnRuntimeUpgrade for UncheckedMarkV2<T> {
		fn on_runtime_upgrade() -> Weight {
			v1::CounterForBorrowers::<T>::kill();
			T::DbWeight::get().writes(1)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			ensure!(!v1::CounterForBorrowers::<T>::exists(), "no borrowers' count left");
			Ok(())
		}
	}

	/// [`UncheckedMarkV2`] run once: only at storage version 1, which it sets to 2.
	pub type MarkV2<T> = frame_support::migrations::VersionedMigration<
		1,
		2,
		UncheckedMarkV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The migration's name for pallet-migrations.
	const ID: [u8; 16] = *b"lever-lending-v2";

	/// The multi-block migration removing version 1's `Exposures` (see the module). Its cursor
	/// says only that it has begun: each entry it removes is gone, so it resumes from the first
	/// one left.
	pub struct LendingIndexV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> SteppedMigration for LendingIndexV2<T> {
		type Cursor = ();
		type Identifier = MigrationId<16>;

		fn id() -> Self::Identifier {
			MigrationId { pallet_id: ID, version_from: 1, version_to: 2 }
		}

		fn step(
			_: Option<()>,
			meter: &mut WeightMeter,
		) -> Result<Option<()>, SteppedMigrationError> {
			// Reading the next entry and removing it.
			let per_entry = T::DbWeight::get().reads_writes(1, 1);
			if !meter.can_consume(per_entry) {
				return Err(SteppedMigrationError::InsufficientWeight { required: per_entry });
			}
			while meter.try_consume(per_entry).is_ok() {
				if v1::Exposures::<T>::drain().next().is_none() {
					return Ok(None);
				}
			}
			Ok(Some(()))
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((crate::Borrowers::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before =
				u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
			ensure!(
				crate::Borrowers::<T>::iter_keys().count() as u32 == before,
				"the borrowers are the same"
			);
			ensure!(v1::Exposures::<T>::iter_keys().next().is_none(), "no exposure left");
			Ok(())
		}
	}

	/// Writes version 1's `Exposures` and count for the accounts with debt, at storage version
	/// 1: what a chain upgraded from it holds before the migration. For tests of the upgrade.
	#[cfg(any(test, feature = "std"))]
	pub fn write_v1_layout<T: Config>() {
		let mut borrowers = 0u32;
		for (who, positions) in Positions::<T>::iter() {
			if has_debt(&positions) {
				for (asset, _) in positions.iter() {
					v1::Exposures::<T>::insert(asset, &who, ());
				}
				borrowers = borrowers.saturating_add(1);
			}
		}
		v1::CounterForBorrowers::<T>::put(borrowers);
		StorageVersion::new(1).put::<Pallet<T>>();
	}
}

/// Version 2 → 3: markets may be in a permissioned pool.
///
/// [`crate::Market`] gains `pool`, `None` for every market there is: each stays public. There
/// are at most `MaxMarkets` markets, so the upgrade's block rewrites them all (`MigrateV2ToV3`).
pub mod v3 {
	use crate::{Config, Market, Markets, Pallet, ThresholdRamp};
	use codec::{Decode, Encode};
	use frame_support::{pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade};
	use lever_primitives::{Balance, Moment};
	use sp_runtime::FixedU128;

	/// A market as version 2 stored it: without its pool.
	#[derive(Encode, Decode)]
	pub struct MarketV2 {
		/// As [`Market::params`].
		pub params: crate::MarketParams,
		/// As [`Market::status`].
		pub status: crate::MarketStatus,
		/// As [`Market::decimals`].
		pub decimals: u8,
		/// As [`Market::seed`].
		pub seed: Balance,
		/// As [`Market::cash`].
		pub cash: Balance,
		/// As [`Market::total_shares`].
		pub total_shares: Balance,
		/// As [`Market::scaled_borrows`].
		pub scaled_borrows: Balance,
		/// As [`Market::borrow_index`].
		pub borrow_index: FixedU128,
		/// As [`Market::reserves`].
		pub reserves: Balance,
		/// As [`Market::accrued_at`].
		pub accrued_at: Moment,
		/// As [`Market::threshold_ramp`].
		pub threshold_ramp: Option<ThresholdRamp>,
	}

	impl MarketV2 {
		/// The market in version 3's layout: public.
		fn upgraded(self) -> Market {
			Market {
				params: self.params,
				status: self.status,
				decimals: self.decimals,
				seed: self.seed,
				cash: self.cash,
				total_shares: self.total_shares,
				scaled_borrows: self.scaled_borrows,
				borrow_index: self.borrow_index,
				reserves: self.reserves,
				accrued_at: self.accrued_at,
				threshold_ramp: self.threshold_ramp,
				pool: None,
			}
		}
	}

	impl From<Market> for MarketV2 {
		/// The market as version 2 stored it (its pool dropped).
		fn from(market: Market) -> Self {
			Self {
				params: market.params,
				status: market.status,
				decimals: market.decimals,
				seed: market.seed,
				cash: market.cash,
				total_shares: market.total_shares,
				scaled_borrows: market.scaled_borrows,
				borrow_index: market.borrow_index,
				reserves: market.reserves,
				accrued_at: market.accrued_at,
				threshold_ramp: market.threshold_ramp,
			}
		}
	}

	/// Puts every market back as version 2 kept it, at storage version 2: what a chain upgraded
	/// from it holds before the migration. For tests of the upgrade.
	#[cfg(any(test, feature = "std"))]
	pub fn write_v2_layout<T: Config>() {
		let markets: alloc::vec::Vec<_> = Markets::<T>::iter().collect();
		for (asset, market) in markets {
			frame_support::storage::unhashed::put_raw(
				&Markets::<T>::hashed_key_for(asset),
				&MarketV2::from(market).encode(),
			);
		}
		StorageVersion::new(2).put::<Pallet<T>>();
	}

	/// Rewrites every market with `pool: None`.
	pub struct UncheckedMigrateV2ToV3<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateV2ToV3<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Markets::<T>::translate_values::<MarketV2, _>(|old| {
				count = count.saturating_add(1);
				Some(old.upgraded())
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok(Markets::<T>::count().encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..])
				.map_err(|_| sp_runtime::TryRuntimeError::Other("markets' count"))?;
			ensure!(Markets::<T>::count() == before, "every market is kept");
			ensure!(
				Markets::<T>::iter_values().count() as u32 == before,
				"every market decodes in version 3"
			);
			ensure!(Markets::<T>::iter_values().all(|market| market.pool.is_none()), "all public");
			Ok(())
		}
	}

	/// [`UncheckedMigrateV2ToV3`] run once: only at storage version 2, which it sets to 3.
	pub type MigrateV2ToV3<T> = frame_support::migrations::VersionedMigration<
		2,
		3,
		UncheckedMigrateV2ToV3<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
