//! What the liquidation engine may do to vaults, through [`VaultLiquidation`]: check one, show
//! it an unsafe one with how much one liquidation takes ([`CollateralType::liquidation_part`])
//! and what any amount takes, seize what it names, and burn the proceeds against the deficit.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{
		fungibles::{metadata::Inspect as InspectMetadata, Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use lever_primitives::{
	convert, rescale, SeizePreview, SeizedVault, UnsafeVault, VaultLiquidation, VaultRisk,
	STABLE_PRICE,
};
use sp_runtime::{
	traits::{CheckedDiv, Saturating},
	ArithmeticError, DispatchError, FixedU128, Rounding,
};

impl<T: Config> VaultLiquidation<T::AccountId> for Pallet<T> {
	fn collateral_types() -> Vec<AssetId> {
		CollateralTypes::<T>::iter_keys().collect()
	}

	fn risk(asset: AssetId) -> Result<VaultRisk, DispatchError> {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let collateral_type = Self::collateral_type(asset)?.accrued(Clock::<T>::now_ms())?;
		let price = Self::fresh_price(asset)?;
		let debt_decimals = T::Assets::decimals(T::StableAsset::get());
		Ok(risk_of(&collateral_type, price, debt_decimals, Clock::<T>::now_ms())?)
	}

	fn vault(asset: AssetId, owner: &T::AccountId) -> Option<(Balance, Balance)> {
		Vaults::<T>::get(asset, owner).map(|vault| (vault.collateral, vault.normalized_debt))
	}

	fn liquidation_price(asset: AssetId, owner: &T::AccountId) -> Option<FixedU128> {
		let vault = Vaults::<T>::get(asset, owner)?;
		let now = Clock::<T>::now_ms();
		let collateral_type = CollateralTypes::<T>::get(asset)?.accrued(now).ok()?;
		Self::liquidation_price_of(&collateral_type, &vault, now)
	}

	fn vaults_with_debt(asset: AssetId) -> Vec<(T::AccountId, Balance, Balance)> {
		Vaults::<T>::iter_prefix(asset)
			.filter(|(_, vault)| vault.normalized_debt != 0)
			.map(|(owner, vault)| (owner, vault.collateral, vault.normalized_debt))
			.collect()
	}

	fn type_totals(asset: AssetId) -> Option<(Balance, Balance)> {
		let collateral_type =
			CollateralTypes::<T>::get(asset)?.accrued(Clock::<T>::now_ms()).ok()?;
		Some((collateral_type.collateral, collateral_type.total_debt().ok()?))
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
		let collateral_type = Self::collateral_type(asset)?.accrued(Clock::<T>::now_ms())?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		if vault.normalized_debt == 0 {
			return Ok(false);
		}
		let ratio = collateral_type.ratio_in_force(Clock::<T>::now_ms());
		Ok(!Self::is_safe(asset, &collateral_type, &vault, ratio)?)
	}

	fn unsafe_vault(
		asset: AssetId,
		owner: &T::AccountId,
	) -> Result<Option<UnsafeVault>, DispatchError> {
		Self::unsafe_vault(asset, owner)
	}

	fn seize(
		asset: AssetId,
		owner: &T::AccountId,
		to: &T::AccountId,
		choose: impl FnOnce(&UnsafeVault, SeizePreview<'_>) -> Result<SeizedVault, DispatchError>,
	) -> Result<Option<SeizedVault>, DispatchError> {
		with_storage_layer(|| Self::do_seize(asset, owner, to, choose))
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

/// The type's risk as the liquidation engine sees it at `price` (USD per whole token) and `now`,
/// the type accrued to `now`, with lvUSD of `debt_decimals` decimals.
fn risk_of(
	collateral_type: &CollateralType,
	price: FixedU128,
	debt_decimals: u8,
	now: Moment,
) -> Result<VaultRisk, ArithmeticError> {
	Ok(VaultRisk {
		unsafe_ratio: unsafe_ratio(collateral_type, price, debt_decimals, now)?,
		price,
		decimals: collateral_type.decimals,
		debt_decimals,
		penalty: collateral_type.params.liquidation_penalty,
	})
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
	rescale(per_unit, collateral_type.decimals, debt_decimals).ok_or(ArithmeticError::Overflow)
}

/// A vault under liquidation: its type with fees accrued and its collateral valued at one
/// fresh price, which is what taking any part of its debt takes.
struct Liquidated {
	/// The vault's type, fees accrued to now.
	collateral_type: CollateralType,
	/// The vault as it is.
	vault: Vault,
	/// What the liquidation engine is shown of it.
	found: UnsafeVault,
}

/// What taking part of a vault's debt takes.
struct Taking {
	/// The normalized debt taken.
	normalized: Balance,
	/// The debt with fees and the collateral taken.
	seized: SeizedVault,
}

impl Liquidated {
	/// What taking the most debt up to `at_most` takes, as [`VaultLiquidation::seize`] says;
	/// `None` when no part fits.
	fn taking(&self, at_most: Balance) -> Result<Option<Taking>, ArithmeticError> {
		let (collateral_type, vault, debt) = (&self.collateral_type, &self.vault, self.found.debt);
		let part = collateral_type.leaving_min_debt(at_most.min(debt), debt, at_most);
		// The most normalized debt whose debt is at most the part.
		let taken_with = |normalized: Balance| -> Result<Balance, ArithmeticError> {
			let left = vault.normalized_debt.saturating_sub(normalized);
			Ok(debt.saturating_sub(collateral_type.debt_of(left)?))
		};
		let mut normalized = collateral_type.normalized_for_mint(part)?.min(vault.normalized_debt);
		if taken_with(normalized)? > part {
			normalized = normalized.saturating_sub(1);
		}
		if part == 0 || normalized == 0 {
			return Ok(None);
		}
		let taken = taken_with(normalized)?;
		let collateral = if normalized == vault.normalized_debt {
			vault.collateral
		} else {
			let whole = self.found.part >= debt;
			collateral_type.collateral_for(
				taken,
				(vault.collateral, self.found.value),
				debt,
				whole,
			)?
		};
		Ok(Some(Taking { normalized, seized: SeizedVault { collateral, debt: taken } }))
	}
}

impl<T: Config> Pallet<T> {
	/// How much of the vault's lvUSD debt (with fees) one liquidation takes now
	/// ([`CollateralType::liquidation_part`]). Fails with `NotUnsafe` unless the vault is
	/// unsafe at a fresh price, and after the shutdown.
	pub fn liquidation_part(
		asset: AssetId,
		owner: &T::AccountId,
	) -> Result<Balance, DispatchError> {
		Ok(Self::unsafe_vault(asset, owner)?.ok_or(Error::<T>::NotUnsafe)?.part)
	}

	/// The vault as a liquidation finds it now ([`VaultLiquidation::unsafe_vault`]), or `None`
	/// when it is not unsafe. Fails after the shutdown, for an unknown type or vault, and at a
	/// stale or unknown price.
	pub fn unsafe_vault(
		asset: AssetId,
		owner: &T::AccountId,
	) -> Result<Option<UnsafeVault>, DispatchError> {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let collateral_type = Self::collateral_type(asset)?.accrued(Clock::<T>::now_ms())?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		Ok(Self::liquidated(asset, collateral_type, vault)?.map(|liquidated| liquidated.found))
	}

	/// The vault as a liquidation finds it at a fresh price, or `None` when it is not unsafe
	/// (no debt, or at or above the liquidation ratio in force).
	fn liquidated(
		asset: AssetId,
		collateral_type: CollateralType,
		vault: Vault,
	) -> Result<Option<Liquidated>, DispatchError> {
		let price = Self::fresh_price(asset)?;
		let debt_decimals = T::Assets::decimals(T::StableAsset::get());
		let ratio = collateral_type.ratio_in_force(Clock::<T>::now_ms());
		if vault.normalized_debt == 0
			|| Self::is_safe_at(&collateral_type, &vault, price, debt_decimals, ratio)?
		{
			return Ok(None);
		}
		let debt = collateral_type.debt_of(vault.normalized_debt)?;
		let stable = (debt_decimals, STABLE_PRICE);
		let value =
			convert(vault.collateral, (collateral_type.decimals, price), stable, Rounding::Down)?;
		let risk = risk_of(&collateral_type, price, debt_decimals, Clock::<T>::now_ms())?;
		let part = collateral_type.liquidation_part(value, debt)?;
		let found = UnsafeVault { risk, collateral: vault.collateral, value, debt, part };
		Ok(Some(Liquidated { collateral_type, vault, found }))
	}

	/// Liquidates `owner`'s vault of `asset` if it is unsafe, taking what `choose` names
	/// ([`VaultLiquidation::seize`]): the collateral goes to `to`, the debt to the deficit, and
	/// the vault is removed once it holds nothing.
	pub(crate) fn do_seize(
		asset: AssetId,
		owner: &T::AccountId,
		to: &T::AccountId,
		choose: impl FnOnce(&UnsafeVault, SeizePreview<'_>) -> Result<SeizedVault, DispatchError>,
	) -> Result<Option<SeizedVault>, DispatchError> {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let stored = Self::collateral_type(asset)?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		let Some(liquidated) =
			Self::liquidated(asset, stored.accrued(Clock::<T>::now_ms())?, vault)?
		else {
			return Ok(None);
		};
		let taking = |at_most| -> Result<Taking, DispatchError> {
			liquidated.taking(at_most)?.ok_or_else(|| Error::<T>::NothingToSeize.into())
		};
		let at_most = choose(&liquidated.found, &|at_most| Ok(taking(at_most)?.seized))?;
		let Taking { normalized, mut seized } = taking(at_most.debt)?;
		// Less collateral if the engine needs less, unless that leaves dust in a vault that
		// owes nothing.
		let left = liquidated.vault.collateral.saturating_sub(at_most.collateral);
		let dust = normalized == liquidated.vault.normalized_debt
			&& left < T::Assets::minimum_balance(asset);
		if !dust {
			seized.collateral = seized.collateral.min(at_most.collateral);
		}
		// The fees accrued go to the surplus, as every touch of the type books them.
		let mut collateral_type = liquidated.collateral_type;
		let issuance = Self::issuance();
		Self::book(stored.total_debt()?, collateral_type.total_debt()?, issuance, issuance)?;
		Self::move_to_deficit(&mut collateral_type, normalized, seized.collateral)?;
		if seized.collateral != 0 {
			let swept = Self::pay_out(asset, to, seized.collateral)?;
			collateral_type.redemption_pool = collateral_type.redemption_pool.saturating_sub(swept);
		}
		CollateralTypes::<T>::insert(asset, collateral_type);
		let mut vault = liquidated.vault;
		vault.collateral = vault.collateral.saturating_sub(seized.collateral);
		vault.normalized_debt = vault.normalized_debt.saturating_sub(normalized);
		Self::put_vault(asset, owner, vault);
		Self::deposit_event(Event::VaultSeized {
			owner: owner.clone(),
			asset,
			collateral: seized.collateral,
			debt: seized.debt,
		});
		Ok(Some(seized))
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
