//! What the runtime API reports: vaults, collateral types and the system's books, fees accrued to
//! the moment of the call.

use super::*;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::traits::{fungibles::metadata::Inspect as InspectMetadata, Get};
use lever_primitives::{usd_value, PegStability, PriceProvider};
use scale_info::TypeInfo;
use sp_runtime::{traits::CheckedDiv, FixedU128};

/// A collateral type as the runtime API reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct CollateralTypeInfo {
	/// The collateral asset.
	pub asset: lever_primitives::AssetId,
	/// What the type allows.
	pub status: CollateralStatus,
	/// The governance-set parameters.
	pub params: CollateralParams,
	/// The rate accumulator.
	pub rate: FixedU128,
	/// All vaults' debt, fees included.
	pub total_debt: Balance,
	/// All vaults' collateral.
	pub total_collateral: Balance,
}

/// The system's lvUSD books as the runtime API reports them.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SystemInfo {
	/// lvUSD in circulation.
	pub issuance: Balance,
	/// All vaults' debt, fees included.
	pub total_debt: Balance,
	/// Fees (and rounding) the system has earned and not spent.
	pub surplus: Balance,
	/// Debt no collateral backs (bad debt) not yet covered by surplus.
	pub deficit: Balance,
	/// The most debt all types together may carry, fees included.
	pub global_debt_ceiling: Balance,
	/// lvUSD the peg stability module issued against its reserves (no vault debt backs it).
	pub reserve_backed: Balance,
	/// lvUSD every saver together can take out of the savings pot, interest to now included.
	pub savings: Balance,
	/// The savings rate: yearly, compounded every second.
	pub savings_rate: FixedU128,
}

/// One saver's savings as the runtime API reports them, interest accrued to the moment of the
/// call.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SavingsInfo {
	/// The saver's shares of the pot.
	pub shares: Balance,
	/// What they are worth in lvUSD (rounded down): what the saver can take out now.
	pub balance: Balance,
	/// lvUSD one share is worth.
	pub index: FixedU128,
	/// The savings rate: yearly, compounded every second.
	pub rate: FixedU128,
}

impl<T: Config> Pallet<T> {
	/// A vault as the runtime API reports it, with fees accrued to now.
	pub fn vault_info(owner: &T::AccountId, asset: AssetId) -> Option<VaultInfo> {
		let vault = Vaults::<T>::get(asset, owner)?;
		let now = Clock::<T>::now_ms();
		let collateral_type = CollateralTypes::<T>::get(asset)?.accrued(now).ok()?;
		let debt = collateral_type.debt_of(vault.normalized_debt).ok()?;
		let collateral_ratio = T::Prices::price(asset).ok().and_then(|price| {
			usd_value(vault.collateral, collateral_type.decimals, price.value)?
				.checked_div(&Self::debt_value(debt).ok()?)
		});
		Some(VaultInfo {
			asset,
			collateral: vault.collateral,
			debt,
			collateral_ratio,
			liquidation_price: Self::liquidation_price_of(&collateral_type, &vault, now),
		})
	}

	/// The collateral price at which `vault` reaches its type's liquidation ratio in force now
	/// (see [`CollateralType::liquidation_price`]); `collateral_type` accrued to `now`.
	pub(crate) fn liquidation_price_of(
		collateral_type: &CollateralType,
		vault: &Vault,
		now: Moment,
	) -> Option<FixedU128> {
		let debt_decimals = T::Assets::decimals(T::StableAsset::get());
		collateral_type.liquidation_price(
			vault.collateral,
			vault.normalized_debt,
			debt_decimals,
			now,
		)
	}

	/// Every vault of `owner` as the runtime API reports it.
	pub fn vault_infos(owner: &T::AccountId) -> Vec<VaultInfo> {
		CollateralTypes::<T>::iter_keys()
			.filter_map(|asset| Self::vault_info(owner, asset))
			.collect()
	}

	/// Every collateral type as the runtime API reports it, accrued to now.
	pub fn collateral_type_infos() -> Vec<CollateralTypeInfo> {
		let now = Clock::<T>::now_ms();
		CollateralTypes::<T>::iter()
			.filter_map(|(asset, collateral_type)| {
				let collateral_type = collateral_type.accrued(now).ok()?;
				Some(CollateralTypeInfo {
					asset,
					status: collateral_type.status,
					params: collateral_type.params,
					rate: collateral_type.rate,
					total_debt: collateral_type.total_debt().ok()?,
					total_collateral: collateral_type.collateral,
				})
			})
			.collect()
	}

	/// The lvUSD books, with every type's fees accrued to now (the surplus includes them).
	pub fn system_info() -> SystemInfo {
		let now = Clock::<T>::now_ms();
		let (stored_debt, total_debt) = CollateralTypes::<T>::iter_values().fold(
			(0u128, 0u128),
			|(stored, accrued), collateral_type| {
				let stored_debt = collateral_type.total_debt().unwrap_or_default();
				let accrued_debt = collateral_type
					.accrued(now)
					.and_then(|accrued| accrued.total_debt())
					.unwrap_or(stored_debt);
				(stored.saturating_add(stored_debt), accrued.saturating_add(accrued_debt))
			},
		);
		let pot = Self::savings_pot_now();
		SystemInfo {
			issuance: Self::issuance(),
			total_debt,
			surplus: Surplus::<T>::get().saturating_add(total_debt.saturating_sub(stored_debt)),
			deficit: Deficit::<T>::get(),
			global_debt_ceiling: GlobalDebtCeiling::<T>::get(),
			reserve_backed: T::PegStability::reserve_backed(),
			savings: pot.value_of(pot.shares).unwrap_or_default(),
			savings_rate: pot.rate,
		}
	}

	/// `saver`'s savings as the runtime API reports them, interest accrued to now.
	pub fn savings_info(saver: &T::AccountId) -> SavingsInfo {
		let pot = Self::savings_pot_now();
		let shares = Savings::<T>::get(saver);
		SavingsInfo {
			shares,
			balance: pot.value_of(shares).unwrap_or_default(),
			index: pot.index,
			rate: pot.rate,
		}
	}
}
