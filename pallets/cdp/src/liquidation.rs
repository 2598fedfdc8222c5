//! What the liquidation engine may do to vaults, through [`VaultLiquidation`]: check one, seize
//! it whole, and burn the proceeds against the deficit.

use super::*;
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{
		fungibles::Mutate,
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use lever_primitives::{OnVaultChanged, SeizedVault, VaultLiquidation};
use sp_runtime::{ArithmeticError, DispatchError};

impl<T: Config> VaultLiquidation<T::AccountId> for Pallet<T> {
	fn is_unsafe(asset: AssetId, owner: &T::AccountId) -> Result<bool, DispatchError> {
		let collateral_type = Self::collateral_type(asset)?.accrued(Self::now())?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		if vault.normalized_debt == 0 {
			return Ok(false);
		}
		Ok(!Self::is_safe(asset, &collateral_type, &vault)?)
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
		ensure!(
			vault.normalized_debt != 0 && !Self::is_safe(asset, &collateral_type, &vault)?,
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
