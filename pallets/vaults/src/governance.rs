//! What governance sets: collateral types, their status and the global debt ceiling.

use super::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{metadata::Inspect as InspectMetadata, Inspect},
		Get,
	},
};
use lever_primitives::{custody, GovernanceTier};

impl<T: Config> Pallet<T> {
	/// Opens or changes the collateral type of `asset` at `now`. Fails with `RiskIncreasing` if
	/// `tier` may not make this change (opening a type needs full governance).
	pub(crate) fn do_set_collateral_type(
		tier: GovernanceTier,
		asset: AssetId,
		params: CollateralParams,
		now: Moment,
	) -> DispatchResult {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		ensure!(asset != T::StableAsset::get(), Error::<T>::StableAssetAsCollateral);
		ensure!(T::Assets::asset_exists(asset), Error::<T>::UnknownAsset);
		ensure!(params.is_valid(), Error::<T>::InvalidParams);
		let (collateral_type, ramp_until) = match CollateralTypes::<T>::get(asset) {
			Some(_) => {
				let mut collateral_type = Self::accrue_type(asset)?;
				ensure!(tier.allows(&collateral_type.params, &params), Error::<T>::RiskIncreasing);
				let ramp_until = collateral_type.set_params(params, now, T::RatioRampPeriod::get());
				(collateral_type, ramp_until)
			},
			None => {
				ensure!(tier == GovernanceTier::Full, Error::<T>::RiskIncreasing);
				ensure!(
					CollateralTypes::<T>::count() < T::MaxCollateralTypes::get(),
					Error::<T>::TooManyCollateralTypes
				);
				(CollateralType::new(params, T::Assets::decimals(asset), now), None)
			},
		};
		custody::keep_account::<T>(&Self::account_id());
		CollateralTypes::<T>::insert(asset, collateral_type);
		Self::deposit_event(Event::CollateralTypeSet { asset, params, ramp_until });
		Ok(())
	}

	/// Activates or pauses the collateral type of `asset`. Fails with `RiskIncreasing` if `tier`
	/// may not make this change.
	pub(crate) fn do_set_collateral_status(
		tier: GovernanceTier,
		asset: AssetId,
		status: CollateralStatus,
	) -> DispatchResult {
		let mut collateral_type = Self::accrue_type(asset)?;
		ensure!(tier.allows(&collateral_type.status, &status), Error::<T>::RiskIncreasing);
		collateral_type.status = status;
		CollateralTypes::<T>::insert(asset, collateral_type);
		Self::deposit_event(Event::CollateralStatusSet { asset, status });
		Ok(())
	}

	/// Sets the global debt ceiling (fees included); below the debt already there it only
	/// stops new minting. Fails with `RiskIncreasing` if `tier` may only lower it and this
	/// raises it.
	pub(crate) fn do_set_global_debt_ceiling(
		tier: GovernanceTier,
		ceiling: Balance,
	) -> DispatchResult {
		ensure!(
			tier == GovernanceTier::Full || ceiling <= GlobalDebtCeiling::<T>::get(),
			Error::<T>::RiskIncreasing
		);
		GlobalDebtCeiling::<T>::put(ceiling);
		Self::deposit_event(Event::GlobalDebtCeilingSet { ceiling });
		Ok(())
	}
}
