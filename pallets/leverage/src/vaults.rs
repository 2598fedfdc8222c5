//! One-click leverage on vaults: expand (flash-loan collateral, deposit it, mint the lvUSD that
//! buys it back, swap) and shrink (flash-loan collateral, sell it for lvUSD, repay, withdraw the
//! collateral that pays the loan back), each in one extrinsic through the vault pallet's own
//! checked change and one oracle-checked swap. lvUSD counts at one dollar, as the vaults count it.

use super::*;
use frame_support::ensure;
use lever_primitives::{LendingPositions, VaultPositions};
use sp_runtime::{
	traits::{CheckedDiv, Zero},
	ArithmeticError, DispatchError, FixedU128,
};

impl<T: Config> Pallet<T> {
	/// Expands a vault (see [`Pallet::expand`]) and emits `VaultExpanded`. Runs inside the
	/// caller's transactional dispatch: on any error nothing of it stays.
	pub fn do_expand(who: &T::AccountId, request: Expand) -> Result<ExpandOutcome, DispatchError> {
		let Expand { asset, deposit, target, max_slippage, min_ratio } = request;
		let stable = T::Vaults::stable_asset();
		ensure!(asset != stable, Error::<T>::SameAsset);
		Self::ensure_slippage_allowed(max_slippage)?;
		let extra = Self::extra_for_target(asset, target, || {
			let (collateral, debt) = Self::vault_amounts(who, asset);
			let collateral = collateral.checked_add(deposit).ok_or(ArithmeticError::Overflow)?;
			Ok((Self::value(asset, collateral)?, Self::value(stable, debt)?))
		})?;
		let outcome = T::Lending::flash_loan(who, asset, extra, |flash_fee| {
			let owed = extra.checked_add(flash_fee).ok_or(ArithmeticError::Overflow)?;
			let quote = Self::quote_exact_out(stable, asset, owed, max_slippage)?;
			let deposited = deposit.checked_add(extra).ok_or(ArithmeticError::Overflow)?;
			T::Vaults::adjust(who, asset, deposited, quote.amount_in, None, None)?;
			Self::swap_exact_out(who, stable, asset, &quote)?;
			Ok(ExpandOutcome {
				deposited,
				minted: quote.amount_in,
				flash_fee,
				price_impact: quote.price_impact,
			})
		})?;
		let collateral_ratio = Self::ensure_vault_ratio(who, asset, min_ratio)?;
		Self::deposit_event(Event::VaultExpanded {
			who: who.clone(),
			asset,
			deposited: outcome.deposited,
			minted: outcome.minted,
			flash_fee: outcome.flash_fee,
			price_impact: outcome.price_impact,
			collateral_ratio,
		});
		Ok(outcome)
	}

	/// Shrinks a vault (see [`Pallet::shrink`]) and emits `VaultShrunk`. Runs inside the
	/// caller's transactional dispatch: on any error nothing of it stays.
	pub fn do_shrink(who: &T::AccountId, request: Shrink) -> Result<ShrinkOutcome, DispatchError> {
		let Shrink { asset, repay, max_slippage, min_ratio } = request;
		let stable = T::Vaults::stable_asset();
		ensure!(asset != stable, Error::<T>::SameAsset);
		Self::ensure_slippage_allowed(max_slippage)?;
		let (collateral, debt) = Self::vault_amounts(who, asset);
		let (amount, full) = Self::repayment(repay, debt)?;
		let quote = Self::quote_exact_out(asset, stable, amount, max_slippage)?;
		let outcome = T::Lending::flash_loan(who, asset, quote.amount_in, |flash_fee| {
			Self::swap_exact_out(who, asset, stable, &quote)?;
			let loan_back =
				quote.amount_in.checked_add(flash_fee).ok_or(ArithmeticError::Overflow)?;
			let (repay, withdraw) = if full {
				(AmountOrAll::All, AmountOrAll::All)
			} else {
				(AmountOrAll::Amount(amount), AmountOrAll::Amount(loan_back))
			};
			T::Vaults::adjust(who, asset, 0, 0, Some(repay), Some(withdraw))?;
			Ok(ShrinkOutcome {
				repaid: amount,
				sold: quote.amount_in,
				returned: if full { collateral.saturating_sub(loan_back) } else { 0 },
				flash_fee,
				price_impact: quote.price_impact,
			})
		})?;
		let collateral_ratio = Self::ensure_vault_ratio(who, asset, min_ratio)?;
		Self::deposit_event(Event::VaultShrunk {
			who: who.clone(),
			asset,
			repaid: outcome.repaid,
			sold: outcome.sold,
			returned: outcome.returned,
			flash_fee: outcome.flash_fee,
			price_impact: outcome.price_impact,
			collateral_ratio,
		});
		Ok(outcome)
	}

	/// The collateral and debt (fees included) of `who`'s vault of `asset`; zeros without one.
	pub(crate) fn vault_amounts(who: &T::AccountId, asset: AssetId) -> (Balance, Balance) {
		T::Vaults::vault(who, asset).map_or((0, 0), |vault| (vault.collateral, vault.debt))
	}

	/// The vault's collateral ratio at the fresh price (`None` without debt), or an error when
	/// it is below `min_ratio`.
	pub(crate) fn ensure_vault_ratio(
		who: &T::AccountId,
		asset: AssetId,
		min_ratio: FixedU128,
	) -> Result<Option<FixedU128>, DispatchError> {
		let (collateral, debt) = Self::vault_amounts(who, asset);
		if debt.is_zero() {
			return Ok(None);
		}
		let ratio = Self::value(asset, collateral)?
			.checked_div(&Self::value(T::Vaults::stable_asset(), debt)?)
			.ok_or(ArithmeticError::Overflow)?;
		ensure!(ratio >= min_ratio, Error::<T>::HealthBelowMinimum);
		Ok(Some(ratio))
	}

	/// `who`'s vault of `asset` now, as a preview shows it.
	pub fn vault_position(
		who: &T::AccountId,
		asset: AssetId,
	) -> Result<VaultPreview, DispatchError> {
		let Some(vault) = T::Vaults::vault(who, asset) else { return Ok(VaultPreview::default()) };
		let collateral_value = Self::value(asset, vault.collateral)?;
		let debt_value = Self::value(T::Vaults::stable_asset(), vault.debt)?;
		Ok(VaultPreview {
			collateral: vault.collateral,
			debt: vault.debt,
			leverage: Self::leverage_of(collateral_value, debt_value),
			collateral_ratio: vault.collateral_ratio,
			liquidation_price: vault.liquidation_price,
		})
	}
}
