//! What the calls do: lever up and lever down through a flash loan and one oracle-checked swap,
//! each step one of the lending pools' own checked operations.

use super::*;
use frame_support::{ensure, traits::fungibles::metadata::Inspect as InspectMetadata};
use lever_primitives::{amount_for_usd, LendingPositions};
use sp_runtime::{
	traits::{CheckedMul, CheckedSub, One, Zero},
	ArithmeticError, DispatchError, FixedPointNumber, FixedU128,
};

impl<T: Config> Pallet<T> {
	/// Levers up (see [`Pallet::lever_up`]) and emits `LeveredUp`. Runs inside the caller's
	/// transactional dispatch: on any error nothing of it stays.
	pub fn do_lever_up(
		who: &T::AccountId,
		request: LeverUp,
	) -> Result<LeverUpOutcome, DispatchError> {
		let LeverUp { collateral, debt, deposit, target, max_slippage, min_health } = request;
		ensure!(collateral != debt, Error::<T>::SameAsset);
		Self::ensure_slippage_allowed(max_slippage)?;
		if !deposit.is_zero() {
			T::Lending::supply(who, collateral, deposit)?;
		}
		let extra = Self::extra_collateral(who, collateral, target)?;
		let outcome = T::Lending::flash_loan(who, collateral, extra, |flash_fee| {
			T::Lending::supply(who, collateral, extra)?;
			let owed = extra.checked_add(flash_fee).ok_or(ArithmeticError::Overflow)?;
			let quote = Self::quote_exact_out(debt, collateral, owed, max_slippage)?;
			T::Lending::borrow(who, debt, quote.amount_in)?;
			Self::swap_exact_out(who, debt, collateral, &quote)?;
			Ok(LeverUpOutcome {
				supplied: deposit.saturating_add(extra),
				borrowed: quote.amount_in,
				flash_fee,
				price_impact: quote.price_impact,
			})
		})?;
		let health_factor = Self::ensure_health(who, min_health)?;
		Self::deposit_event(Event::LeveredUp {
			who: who.clone(),
			collateral,
			debt,
			supplied: outcome.supplied,
			borrowed: outcome.borrowed,
			flash_fee: outcome.flash_fee,
			price_impact: outcome.price_impact,
			health_factor,
		});
		Ok(outcome)
	}

	/// Levers down (see [`Pallet::lever_down`]) and emits `LeveredDown`. Runs inside the
	/// caller's transactional dispatch: on any error nothing of it stays.
	pub fn do_lever_down(
		who: &T::AccountId,
		request: LeverDown,
	) -> Result<LeverDownOutcome, DispatchError> {
		let LeverDown { collateral, debt, repay, max_slippage, min_health } = request;
		ensure!(collateral != debt, Error::<T>::SameAsset);
		Self::ensure_slippage_allowed(max_slippage)?;
		let (amount, full) = Self::repayment(repay, T::Lending::debt(who, debt)?)?;
		let outcome = T::Lending::flash_loan(who, debt, amount, |flash_fee| {
			let repay = if full { AmountOrAll::All } else { AmountOrAll::Amount(amount) };
			let repaid = T::Lending::repay(who, debt, repay)?;
			let loan_back = amount.checked_add(flash_fee).ok_or(ArithmeticError::Overflow)?;
			let quote = Self::quote_exact_out(collateral, debt, loan_back, max_slippage)?;
			// A full unwind takes all the collateral out and keeps what the swap leaves.
			let withdraw =
				if full { AmountOrAll::All } else { AmountOrAll::Amount(quote.amount_in) };
			let withdrawn = T::Lending::withdraw(who, collateral, withdraw)?;
			Self::swap_exact_out(who, collateral, debt, &quote)?;
			Ok(LeverDownOutcome {
				repaid,
				sold: quote.amount_in,
				returned: if full { withdrawn.saturating_sub(quote.amount_in) } else { 0 },
				flash_fee,
				price_impact: quote.price_impact,
			})
		})?;
		let health_factor = Self::ensure_health(who, min_health)?;
		Self::deposit_event(Event::LeveredDown {
			who: who.clone(),
			collateral,
			debt,
			repaid: outcome.repaid,
			sold: outcome.sold,
			returned: outcome.returned,
			flash_fee: outcome.flash_fee,
			price_impact: outcome.price_impact,
			health_factor,
		});
		Ok(outcome)
	}

	/// How much collateral a lever-up to `target` adds: the exposure asked for, or what takes
	/// the account's collateral value to `target` × its equity at oracle prices.
	pub(crate) fn extra_collateral(
		who: &T::AccountId,
		collateral: AssetId,
		target: LeverTarget,
	) -> Result<Balance, DispatchError> {
		Self::extra_for_target(collateral, target, || {
			let liquidity = T::Lending::liquidity(who)?;
			Ok((liquidity.collateral_value, liquidity.debt_value))
		})
	}

	/// How much of `collateral` reaching `target` adds: the exposure asked for, or what takes
	/// the collateral value to `target` × equity, with the collateral and debt values (USD) that
	/// `values` reads only for a leverage target.
	pub(crate) fn extra_for_target(
		collateral: AssetId,
		target: LeverTarget,
		values: impl FnOnce() -> Result<(FixedU128, FixedU128), DispatchError>,
	) -> Result<Balance, DispatchError> {
		let leverage = match target {
			LeverTarget::Exposure(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::InvalidTarget);
				return Ok(amount);
			},
			LeverTarget::Leverage(leverage) => leverage,
		};
		ensure!(leverage > FixedU128::one(), Error::<T>::InvalidTarget);
		let (collateral_value, debt_value) = values()?;
		let equity = Self::equity(collateral_value, debt_value).ok_or(Error::<T>::NoEquity)?;
		let target_value = equity.checked_mul(&leverage).ok_or(ArithmeticError::Overflow)?;
		let extra_value = target_value
			.checked_sub(&collateral_value)
			.filter(|extra| !extra.is_zero())
			.ok_or(Error::<T>::AlreadyAtTarget)?;
		let extra =
			amount_for_usd(extra_value, T::Assets::decimals(collateral), Self::price(collateral)?)
				.ok_or(ArithmeticError::Overflow)?;
		ensure!(!extra.is_zero(), Error::<T>::AlreadyAtTarget);
		Ok(extra)
	}

	/// How much of `owed` a repayment of `repay` pays, and whether that is all of it.
	pub(crate) fn repayment(
		repay: AmountOrAll,
		owed: Balance,
	) -> Result<(Balance, bool), DispatchError> {
		ensure!(!owed.is_zero(), Error::<T>::NoDebt);
		match repay {
			AmountOrAll::All => Ok((owed, true)),
			AmountOrAll::Amount(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::InvalidTarget);
				Ok((amount.min(owed), amount >= owed))
			},
		}
	}

	/// Collateral value minus debt value, or `None` when nothing is left.
	pub(crate) fn equity(collateral_value: FixedU128, debt_value: FixedU128) -> Option<FixedU128> {
		collateral_value.checked_sub(&debt_value).filter(|equity| !equity.is_zero())
	}

	/// Collateral value over equity, or `None` without equity.
	pub(crate) fn leverage_of(
		collateral_value: FixedU128,
		debt_value: FixedU128,
	) -> Option<FixedU128> {
		let equity = Self::equity(collateral_value, debt_value)?;
		FixedU128::checked_from_rational(collateral_value.into_inner(), equity.into_inner())
	}

	/// The account's health factor at fresh prices (`None` without debt), or an error when it
	/// is below `min_health`.
	pub(crate) fn ensure_health(
		who: &T::AccountId,
		min_health: FixedU128,
	) -> Result<Option<FixedU128>, DispatchError> {
		let health_factor = T::Lending::liquidity(who)?.health_factor();
		if let Some(health) = health_factor {
			ensure!(health >= min_health, Error::<T>::HealthBelowMinimum);
		}
		Ok(health_factor)
	}
}
