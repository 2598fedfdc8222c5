//! What the liquidation engine may do to vaults, through [`VaultLiquidation`]: check one, seize
//! it whole, and burn the proceeds against the deficit.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{
		fungibles::{metadata::Inspect as InspectMetadata, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use lever_primitives::{OnVaultChanged, SeizedVault, VaultLiquidation, VaultRisk};
use sp_runtime::{
	traits::{CheckedDiv, CheckedMul, Saturating},
	ArithmeticError, DispatchError, FixedPointNumber, FixedU128,
};

impl<T: Config> VaultLiquidation<T::AccountId> for Pallet<T> {
	fn collateral_types() -> Vec<AssetId> {
		CollateralTypes::<T>::iter_keys().collect()
	}

	fn risk(asset: AssetId) -> Result<VaultRisk, DispatchError> {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let collateral_type = Self::collateral_type(asset)?.accrued(Self::now())?;
		let price = Self::fresh_price(asset)?;
		let debt_decimals = T::Assets::decimals(T::StableAsset::get());
		Ok(VaultRisk {
			unsafe_ratio: unsafe_ratio(&collateral_type, price, debt_decimals, Self::now())?,
			price,
			decimals: collateral_type.decimals,
			debt_decimals,
			penalty: collateral_type.params.liquidation_penalty,
		})
	}

	fn vault(asset: AssetId, owner: &T::AccountId) -> Option<(Balance, Balance)> {
		Vaults::<T>::get(asset, owner).map(|vault| (vault.collateral, vault.normalized_debt))
	}

	fn vaults_with_debt(asset: AssetId) -> Vec<(T::AccountId, Balance, Balance)> {
		Vaults::<T>::iter_prefix(asset)
			.filter(|(_, vault)| vault.normalized_debt != 0)
			.map(|(owner, vault)| (owner, vault.collateral, vault.normalized_debt))
			.collect()
	}

	fn heal() -> Balance {
		let amount = Surplus::<T>::get().min(Deficit::<T>::get());
		if amount != 0 {
			Surplus::<T>::mutate(|surplus| *surplus = surplus.saturating_sub(amount));
			Deficit::<T>::mutate(|deficit| *deficit = deficit.saturating_sub(amount));
			Self::deposit_event(Event::Healed { amount });
		}
		amount
	}

	fn is_unsafe(asset: AssetId, owner: &T::AccountId) -> Result<bool, DispatchError> {
		let collateral_type = Self::collateral_type(asset)?.accrued(Self::now())?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		if vault.normalized_debt == 0 {
			return Ok(false);
		}
		let ratio = collateral_type.ratio_in_force(Self::now());
		Ok(!Self::is_safe(asset, &collateral_type, &vault, ratio)?)
	}

	fn seize(
		asset: AssetId,
		owner: &T::AccountId,
		to: &T::AccountId,
	) -> Result<SeizedVault, DispatchError> {
		with_storage_layer(|| Self::do_seize(asset, owner, to))
	}

	fn cover_deficit(from: &T::AccountId, amount: Balance) -> Result<Balance, DispatchError> {
		with_storage_layer(|| Self::do_cover_deficit(from, amount))
	}

	fn is_shut_down() -> bool {
		ShutdownAt::<T>::exists()
	}

	fn shutdown_price(asset: AssetId) -> Option<FixedU128> {
		CollateralTypes::<T>::get(asset)?.shutdown_price
	}

	fn add_to_redemption(
		from: &T::AccountId,
		asset: AssetId,
		amount: Balance,
	) -> Result<(), DispatchError> {
		with_storage_layer(|| Self::do_add_to_redemption(from, asset, amount))
	}
}

/// The normalized debt per unit of collateral (smallest units) above which a vault of this type
/// is unsafe at `price`: a vault is safe while collateral × price / 10^decimals ≥ normalized
/// debt × rate / 10^debt_decimals × liquidation ratio.
fn unsafe_ratio(
	collateral_type: &CollateralType,
	price: FixedU128,
	debt_decimals: u8,
	now: Moment,
) -> Result<FixedU128, ArithmeticError> {
	let ratio = collateral_type.ratio_in_force(now);
	let per_unit = price
		.checked_div(&collateral_type.rate.saturating_mul(ratio))
		.ok_or(ArithmeticError::DivisionByZero)?;
	let scale = |decimals: u8| {
		10u128
			.checked_pow(u32::from(decimals))
			.and_then(FixedU128::checked_from_integer)
			.ok_or(ArithmeticError::Overflow)
	};
	if debt_decimals >= collateral_type.decimals {
		per_unit
			.checked_mul(&scale(debt_decimals.saturating_sub(collateral_type.decimals))?)
			.ok_or(ArithmeticError::Overflow)
	} else {
		per_unit
			.checked_div(&scale(collateral_type.decimals.saturating_sub(debt_decimals))?)
			.ok_or(ArithmeticError::DivisionByZero)
	}
}

impl<T: Config> Pallet<T> {
	/// Takes an unsafe vault whole: the collateral goes to `to`, the debt (fees accrued) to the
	/// deficit, and the vault is removed.
	pub(crate) fn do_seize(
		asset: AssetId,
		owner: &T::AccountId,
		to: &T::AccountId,
	) -> Result<SeizedVault, DispatchError> {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let mut collateral_type = Self::accrue_type(asset)?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		let ratio = collateral_type.ratio_in_force(Self::now());
		ensure!(
			vault.normalized_debt != 0 && !Self::is_safe(asset, &collateral_type, &vault, ratio)?,
			Error::<T>::NotUnsafe
		);
		let debt = collateral_type.debt_of(vault.normalized_debt)?;
		let debt_before = collateral_type.total_debt()?;
		collateral_type.normalized_debt =
			collateral_type.normalized_debt.saturating_sub(vault.normalized_debt);
		collateral_type.collateral = collateral_type.collateral.saturating_sub(vault.collateral);
		let moved = debt_before.saturating_sub(collateral_type.total_debt()?);
		Deficit::<T>::try_mutate(|deficit| {
			*deficit = deficit.checked_add(moved).ok_or(ArithmeticError::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		if vault.collateral != 0 {
			let swept = Self::pay_out(asset, to, vault.collateral)?;
			collateral_type.redemption_pool = collateral_type.redemption_pool.saturating_sub(swept);
		}
		CollateralTypes::<T>::insert(asset, collateral_type);
		Vaults::<T>::remove(asset, owner);
		T::OnVaultChanged::on_vault_changed(asset, owner, 0, 0);
		Self::deposit_event(Event::VaultSeized {
			owner: owner.clone(),
			asset,
			collateral: vault.collateral,
			debt,
		});
		Ok(SeizedVault { collateral: vault.collateral, debt })
	}

	/// Burns `amount` lvUSD from `from`: up to the deficit it covers deficit, beyond it it is
	/// surplus, so the books stay balanced.
	pub(crate) fn do_cover_deficit(
		from: &T::AccountId,
		amount: Balance,
	) -> Result<Balance, DispatchError> {
		ensure!(amount != 0, Error::<T>::ZeroAmount);
		T::Assets::burn_from(
			T::StableAsset::get(),
			from,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		let deficit = Deficit::<T>::get();
		let covered = amount.min(deficit);
		Deficit::<T>::put(deficit.saturating_sub(covered));
		Surplus::<T>::try_mutate(|surplus| {
			*surplus = surplus
				.checked_add(amount.saturating_sub(covered))
				.ok_or(ArithmeticError::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::DeficitCovered { from: from.clone(), amount, covered });
		Ok(covered)
	}
}
