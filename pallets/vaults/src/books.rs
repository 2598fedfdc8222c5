//! lvUSD's books: issuance + surplus = debt + deficit + reserve-backed. Fees accrue as surplus,
//! liquidations move debt into deficit, and their proceeds and surplus cover it; the savings
//! rate turns surplus into issuance; the peg stability module issues lvUSD against its reserves
//! (reserve-backed), which no vault pallet call changes.

use super::*;
use frame_support::{
	pallet_prelude::DispatchResult,
	traits::{fungibles::Inspect, Get},
};
use sp_runtime::{ArithmeticError, DispatchError};

impl<T: Config> Pallet<T> {
	/// lvUSD in circulation.
	pub(crate) fn issuance() -> Balance {
		T::Assets::total_issuance(T::StableAsset::get())
	}

	/// Books a change of the debt of one type and of lvUSD issuance so that
	/// `issuance + Surplus = Σ debt + Deficit` keeps holding: whatever the change added to debt
	/// beyond what it issued (fees, rounding up) is the system's surplus.
	pub(crate) fn book(
		debt_before: Balance,
		debt_after: Balance,
		issuance_before: Balance,
		issuance_after: Balance,
	) -> DispatchResult {
		let credits = Surplus::<T>::get()
			.checked_add(debt_after)
			.and_then(|sum| sum.checked_add(issuance_before))
			.ok_or(ArithmeticError::Overflow)?;
		let debits = debt_before.checked_add(issuance_after).ok_or(ArithmeticError::Overflow)?;
		Surplus::<T>::put(credits.checked_sub(debits).ok_or(ArithmeticError::Underflow)?);
		Ok(())
	}

	/// Takes `normalized` debt and `collateral` out of `collateral_type`'s totals and books the
	/// debt with fees they leave as deficit (what a liquidation or the settlement after a
	/// shutdown must cover); returns that debt. The caller writes the type back.
	pub(crate) fn move_to_deficit(
		collateral_type: &mut CollateralType,
		normalized: Balance,
		collateral: Balance,
	) -> Result<Balance, DispatchError> {
		let debt_before = collateral_type.total_debt()?;
		collateral_type.normalized_debt =
			collateral_type.normalized_debt.saturating_sub(normalized);
		collateral_type.collateral = collateral_type.collateral.saturating_sub(collateral);
		let moved = debt_before.saturating_sub(collateral_type.total_debt()?);
		Deficit::<T>::try_mutate(|deficit| {
			*deficit = deficit.checked_add(moved).ok_or(ArithmeticError::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		Ok(moved)
	}
}
