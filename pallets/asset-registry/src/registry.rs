//! The registry's logic behind the calls, and the lookups the XCM adapters use.

use super::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::OriginFor;
use lever_primitives::mul_div;
use sp_runtime::{
	traits::{AccountIdConversion, StaticLookup},
	FixedPointNumber, FixedU128, Rounding,
};
use xcm::VersionedLocation;

impl<T: Config> Pallet<T> {
	/// The account that owns every foreign asset.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The foreign asset registered at `location`, if any.
	pub fn asset_at(location: &Location) -> Option<AssetId> {
		LocationAssets::<T>::get(location)
	}

	/// The location of the foreign asset `asset_id`, if it is one.
	pub fn location_of(asset_id: AssetId) -> Option<Location> {
		AssetLocations::<T>::get(asset_id)
	}

	/// The locations of the foreign assets that can pay XCM fees, with their rates.
	pub fn fee_assets() -> Vec<(Location, FixedU128)> {
		FeeRates::<T>::iter()
			.filter_map(|(asset_id, rate)| Some((Self::location_of(asset_id)?, rate)))
			.collect()
	}

	/// What an LVR fee of `lvr_fee` costs in the foreign asset at `location` (charges round up,
	/// refunds down, so the chain is never paid less than the fee); `None` if the asset does not
	/// pay fees or the amount does not fit a balance.
	pub fn fee_in(location: &Location, lvr_fee: Balance, rounding: Rounding) -> Option<Balance> {
		let rate = FeeRates::<T>::get(Self::asset_at(location)?)?;
		mul_div(lvr_fee, rate.into_inner(), FixedU128::DIV, rounding).ok()
	}

	/// `location` as this pallet stores it: XCM v5, and on another chain.
	pub(crate) fn stored_location(location: VersionedLocation) -> Result<Location, DispatchError> {
		let location = Location::try_from(location).map_err(|()| Error::<T>::BadLocation)?;
		ensure!(location.parents > 0, Error::<T>::LocalLocation);
		Ok(location)
	}

	/// Creates the asset in pallet-assets with `origin` (pallet-assets' `ForceOrigin`) and maps it
	/// to `location`. Returns the new asset's identifier.
	pub(crate) fn do_register_foreign_asset(
		origin: OriginFor<T>,
		location: Location,
		name: Vec<u8>,
		symbol: Vec<u8>,
		decimals: u8,
		min_balance: Balance,
		fee_rate: Option<FixedU128>,
	) -> Result<AssetId, DispatchError> {
		ensure!(!LocationAssets::<T>::contains_key(&location), Error::<T>::LocationInUse);
		ensure!(fee_rate.is_none_or(|rate| !rate.is_zero()), Error::<T>::ZeroFeeRate);
		let asset_id = NextAssetId::<T>::get().unwrap_or_else(T::FirstAssetId::get);
		ensure!(asset_id <= T::LastAssetId::get(), Error::<T>::NoFreeAssetId);

		let owner = T::Lookup::unlookup(Self::account_id());
		pallet_assets::Pallet::<T>::force_create(
			origin.clone(),
			asset_id.into(),
			owner,
			true,
			min_balance,
		)?;
		pallet_assets::Pallet::<T>::force_set_metadata(
			origin,
			asset_id.into(),
			name,
			symbol,
			decimals,
			false,
		)?;

		NextAssetId::<T>::put(asset_id.saturating_add(1));
		AssetLocations::<T>::insert(asset_id, &location);
		LocationAssets::<T>::insert(&location, asset_id);
		Self::deposit_event(Event::ForeignAssetRegistered { asset_id, location });
		if let Some(rate) = fee_rate {
			FeeRates::<T>::insert(asset_id, rate);
			Self::deposit_event(Event::FeeRateSet { asset_id, rate: Some(rate) });
		}
		Ok(asset_id)
	}

	/// Sets or removes a registered asset's fee rate.
	pub(crate) fn do_set_fee_rate(asset_id: AssetId, rate: Option<FixedU128>) -> DispatchResult {
		ensure!(AssetLocations::<T>::contains_key(asset_id), Error::<T>::UnknownAsset);
		ensure!(rate.is_none_or(|rate| !rate.is_zero()), Error::<T>::ZeroFeeRate);
		FeeRates::<T>::set(asset_id, rate);
		Self::deposit_event(Event::FeeRateSet { asset_id, rate });
		Ok(())
	}

	/// Maps a registered asset to a new location, freeing the old one.
	pub(crate) fn do_update_location(asset_id: AssetId, new: Location) -> DispatchResult {
		let old = AssetLocations::<T>::get(asset_id).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(!LocationAssets::<T>::contains_key(&new), Error::<T>::LocationInUse);
		LocationAssets::<T>::remove(&old);
		LocationAssets::<T>::insert(&new, asset_id);
		AssetLocations::<T>::insert(asset_id, &new);
		Self::deposit_event(Event::LocationUpdated { asset_id, old, new });
		Ok(())
	}

	/// The registry's invariants: the two maps are inverses, every foreign asset exists in
	/// pallet-assets inside the reserved range, and only registered assets have fee rates.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungibles::Inspect;
		let next = NextAssetId::<T>::get().unwrap_or_else(T::FirstAssetId::get);
		for (asset_id, location) in AssetLocations::<T>::iter() {
			ensure!(
				LocationAssets::<T>::get(&location) == Some(asset_id),
				"a foreign asset's location does not map back to it"
			);
			ensure!(
				(T::FirstAssetId::get()..next).contains(&asset_id),
				"a foreign asset lies outside the allocated range"
			);
			ensure!(
				pallet_assets::Pallet::<T>::asset_exists(asset_id),
				"a foreign asset is missing from pallet-assets"
			);
		}
		ensure!(
			LocationAssets::<T>::iter().count() == AssetLocations::<T>::iter().count(),
			"the location map has entries with no asset"
		);
		for (asset_id, rate) in FeeRates::<T>::iter() {
			ensure!(AssetLocations::<T>::contains_key(asset_id), "a fee rate for an unknown asset");
			ensure!(!rate.is_zero(), "a zero fee rate");
		}
		Ok(())
	}
}
