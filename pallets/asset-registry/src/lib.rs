//! # Asset registry pallet
//!
//! Other chains' tokens reach Lever over XCM as pallet-assets assets, but only the tokens
//! governance has listed here. Registering a token gives it:
//! - an asset identifier from the range reserved for foreign assets ([`Config::FirstAssetId`] to
//!   [`Config::LastAssetId`]), created sufficient and owned by this pallet's account, so nobody can
//!   mint it outside XCM and an account derived from another chain can hold it without LVR;
//! - its XCM [`Location`] (both ways: location to asset and asset to location), which the runtime's
//!   asset transactor reads: a location that is not registered is never minted;
//! - its name, symbol and decimals in pallet-assets, which wallets and the lending pools read;
//! - optionally a fee rate, which lets it pay for XCM execution on Lever (see [`adapters`]).
//!
//! The XCM side lives in [`adapters`]: the location converter for the asset transactor, the
//! reserve filter (a token is accepted as a reserve transfer only from its own chain) and the
//! weight trader for registered fee assets.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod adapters;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
mod registry;
#[cfg(test)]
mod tests;
pub mod weights;

pub use lever_primitives::{AssetId, Balance};
pub use pallet::*;
pub use weights::WeightInfo;
/// The XCM location of a registered asset, pinned to XCM v5 so a new XCM version cannot silently
/// change the encoding of this pallet's storage.
pub use xcm::v5::Location;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use frame_support::{pallet_prelude::*, PalletId};
	use frame_system::pallet_prelude::*;
	use sp_runtime::FixedU128;
	use xcm::VersionedLocation;

	/// Names and symbols as long as pallet-assets accepts them.
	pub type StringOf<T> = BoundedVec<u8, <T as pallet_assets::Config>::StringLimit>;

	/// A foreign asset listed at genesis: `(location, name, symbol, decimals, min_balance,
	/// fee_rate)`.
	pub type GenesisAsset = (Location, Vec<u8>, Vec<u8>, u8, Balance, Option<FixedU128>);

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Registration goes through pallet-assets' `ForceOrigin` (governance): the same origin that
	/// may force-create assets and set their metadata.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_assets::Config<AssetId = AssetId, Balance = Balance>
	{
		/// The first identifier given to a foreign asset.
		#[pallet::constant]
		type FirstAssetId: Get<AssetId>;

		/// The last identifier a foreign asset may get; registration fails once it is used.
		#[pallet::constant]
		type LastAssetId: Get<AssetId>;

		/// The account that owns every foreign asset in pallet-assets. Nobody holds its key, so
		/// nobody can mint, burn or freeze a foreign asset outside XCM and governance.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The location of each registered foreign asset.
	#[pallet::storage]
	pub type AssetLocations<T: Config> = StorageMap<_, Blake2_128Concat, AssetId, Location>;

	/// The asset registered at each location: the reverse of [`AssetLocations`].
	#[pallet::storage]
	pub type LocationAssets<T: Config> = StorageMap<_, Blake2_128Concat, Location, AssetId>;

	/// How many units of the asset pay for one unit (planck) of an LVR fee. Assets without a rate
	/// cannot pay XCM fees.
	#[pallet::storage]
	pub type FeeRates<T: Config> = StorageMap<_, Blake2_128Concat, AssetId, FixedU128>;

	/// The identifier the next registration gets; [`Config::FirstAssetId`] until then.
	#[pallet::storage]
	pub type NextAssetId<T: Config> = StorageValue<_, AssetId>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A foreign asset was registered: XCM may now bring it in from its location.
		ForeignAssetRegistered { asset_id: AssetId, location: Location },
		/// A foreign asset's fee rate was set (`None`: it no longer pays XCM fees).
		FeeRateSet { asset_id: AssetId, rate: Option<FixedU128> },
		/// A foreign asset moved to a new location (e.g. its chain migrated the token).
		LocationUpdated { asset_id: AssetId, old: Location, new: Location },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The location could not be converted to the XCM version this chain stores.
		BadLocation,
		/// The location is on this chain; only other chains' tokens are foreign assets.
		LocalLocation,
		/// Another asset is already registered at this location.
		LocationInUse,
		/// The asset is not a registered foreign asset.
		UnknownAsset,
		/// Every identifier in the foreign-asset range is taken.
		NoFreeAssetId,
		/// A fee rate of zero would make XCM execution free; remove the rate instead.
		ZeroFeeRate,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Lists another chain's token as a foreign asset: creates it in pallet-assets (sufficient,
		/// with `min_balance`, `name`, `symbol` and `decimals`) and maps it to `location`.
		/// With a `fee_rate`, it can also pay XCM fees.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::register_foreign_asset())]
		pub fn register_foreign_asset(
			origin: OriginFor<T>,
			location: Box<VersionedLocation>,
			name: StringOf<T>,
			symbol: StringOf<T>,
			decimals: u8,
			#[pallet::compact] min_balance: Balance,
			fee_rate: Option<FixedU128>,
		) -> DispatchResult {
			let location = Self::stored_location(*location)?;
			Self::do_register_foreign_asset(
				origin,
				location,
				name.into_inner(),
				symbol.into_inner(),
				decimals,
				min_balance,
				fee_rate,
			)
			.map(|_| ())
		}

		/// Sets the rate at which a foreign asset pays XCM fees: `rate` units of the asset per
		/// unit of the LVR fee. `None` stops it paying fees.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::set_fee_rate())]
		pub fn set_fee_rate(
			origin: OriginFor<T>,
			#[pallet::compact] asset_id: AssetId,
			rate: Option<FixedU128>,
		) -> DispatchResult {
			<T as pallet_assets::Config>::ForceOrigin::ensure_origin(origin)?;
			Self::do_set_fee_rate(asset_id, rate)
		}

		/// Moves a foreign asset to a new location, keeping its identifier and every balance.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::update_location())]
		pub fn update_location(
			origin: OriginFor<T>,
			#[pallet::compact] asset_id: AssetId,
			location: Box<VersionedLocation>,
		) -> DispatchResult {
			<T as pallet_assets::Config>::ForceOrigin::ensure_origin(origin)?;
			let location = Self::stored_location(*location)?;
			Self::do_update_location(asset_id, location)
		}
	}

	/// Foreign assets listed at genesis, registered as root (pallet-assets' `ForceOrigin` must
	/// accept root, as it does in Lever's runtime).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The assets, registered in this order.
		pub assets: Vec<GenesisAsset>,
		#[serde(skip)]
		pub _config: PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (location, name, symbol, decimals, min_balance, fee_rate) in &self.assets {
				// Genesis is built natively, once, when a chain spec is made: a listing that cannot
				// be registered must stop it rather than start a chain without the asset.
				if let Err(error) = Pallet::<T>::do_register_foreign_asset(
					frame_system::RawOrigin::Root.into(),
					location.clone(),
					name.clone(),
					symbol.clone(),
					*decimals,
					*min_balance,
					*fee_rate,
				) {
					panic!("genesis foreign asset {location:?} cannot be registered: {error:?}");
				}
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(
				T::FirstAssetId::get() <= T::LastAssetId::get(),
				"the foreign-asset range is empty"
			);
		}
	}
}
