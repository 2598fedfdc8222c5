//! An account's health: its positions valued at oracle prices into collateral value, borrow
//! limit, liquidation limit and debt ([`AccountLiquidity`]), by the rule each kind of decision
//! needs ([`Valuation`]).

use super::*;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{ensure, traits::Get};
use lever_primitives::{usd_value, PriceError, PriceProvider};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchError, FixedU128,
};

/// Which prices a valuation uses, for which kind of decision.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Valuation {
	/// For everything that adds risk (a borrow, a withdrawal or disabling of collateral): fresh
	/// prices, and while the oracle holds a jump, collateral at the lower and debt at the higher
	/// of the confirmed and the held price (`PriceProvider::risk_prices`). Stale fails with
	/// `PriceStale`.
	AddsRisk,
	/// Fresh confirmed prices; stale fails with `PriceStale`. For the runtime API, write-offs and
	/// liquidation prices.
	Confirmed,
	/// For deciding that an account is liquidatable: fresh confirmed prices (a held jump neither
	/// causes nor prevents a liquidation until it is confirmed), and a stale price counted in the
	/// account owner's favour: collateral at `Config::StaleCollateralMarkup` times its last price,
	/// debt at zero, so that only fresh prices can prove a shortfall.
	Liquidation,
}

/// Why an account could not be valued.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum ValuationError {
	/// The oracle has never priced this asset.
	PriceUnknown(AssetId),
	/// This asset's price is stale.
	PriceStale(AssetId),
	/// A value does not fit the arithmetic.
	Overflow,
}

/// One market's part in an account's health: its supply if collateral and its debt, with the
/// market accrued to now.
pub(crate) struct PositionInMarket {
	/// The market's asset.
	pub asset: AssetId,
	/// The market, accrued to now (not written).
	pub market: Market,
	/// The account's supply.
	pub supply: SupplyPosition,
	/// The account's scaled debt.
	pub scaled_debt: Balance,
}

impl<T: Config> Pallet<T> {
	/// The account's position in each of its markets, every market accrued to now in memory.
	pub(crate) fn positions(who: &T::AccountId) -> Result<Vec<PositionInMarket>, ArithmeticError> {
		let now = Clock::<T>::now_ms();
		Self::positions_of(who)
			.into_iter()
			.filter_map(|(asset, position)| {
				Markets::<T>::get(asset).map(|market| (asset, position, market))
			})
			.map(|(asset, position, market)| {
				Ok(PositionInMarket {
					asset,
					market: market.accrued(now)?,
					supply: position.supply.unwrap_or_default(),
					scaled_debt: position.scaled_debt.unwrap_or_default(),
				})
			})
			.collect()
	}

	/// Values positions at oracle prices as `valuation` says; only collateral and debt need a
	/// price. The borrow limit lends against each collateral at the factor `credit` earns
	/// ([`CreditTerms::collateral_factor`]), adding at most `credit.cap` in all; the liquidation
	/// limit never depends on credit.
	pub(crate) fn value_positions(
		positions: &[PositionInMarket],
		valuation: Valuation,
		credit: &CreditTerms,
	) -> Result<AccountLiquidity, ValuationError> {
		let now = Clock::<T>::now_ms();
		let floor = T::CreditFloor::get();
		let mut liquidity = AccountLiquidity::default();
		let mut credit_room = FixedU128::zero();
		for position in positions {
			let collateral = if position.supply.collateral {
				position.market.value_of_shares(position.supply.shares)
			} else {
				Ok(0)
			}
			.map_err(|_| ValuationError::Overflow)?;
			let debt = position
				.market
				.debt_of(position.scaled_debt)
				.map_err(|_| ValuationError::Overflow)?;
			if collateral.is_zero() && debt.is_zero() {
				continue;
			}
			let prices = match valuation {
				Valuation::AddsRisk => T::Prices::risk_prices(position.asset)
					.map(|prices| (prices.collateral, prices.debt)),
				Valuation::Confirmed | Valuation::Liquidation => {
					T::Prices::price(position.asset).map(|price| (price.value, price.value))
				},
			};
			let (collateral_price, debt_price) = match prices {
				Ok(prices) => prices,
				Err(PriceError::Stale) if valuation == Valuation::Liquidation => {
					let last = T::Prices::last_price(position.asset)
						.ok_or(ValuationError::PriceStale(position.asset))?;
					(last.value.saturating_mul(T::StaleCollateralMarkup::get()), FixedU128::zero())
				},
				Err(PriceError::Stale) => return Err(ValuationError::PriceStale(position.asset)),
				Err(PriceError::Unknown) => {
					return Err(ValuationError::PriceUnknown(position.asset))
				},
			};
			let value = |amount, price| {
				usd_value(amount, position.market.decimals, price).ok_or(ValuationError::Overflow)
			};
			let collateral_value = value(collateral, collateral_price)?;
			let threshold = position.market.liquidation_threshold_at(now);
			let factor = position.market.params.collateral_factor;
			let raised = credit.collateral_factor(factor, threshold, floor);
			liquidity.collateral_value = add(liquidity.collateral_value, collateral_value)?;
			liquidity.borrow_limit = add(
				liquidity.borrow_limit,
				collateral_value.saturating_mul(FixedU128::from(factor)),
			)?;
			credit_room = add(
				credit_room,
				collateral_value.saturating_mul(FixedU128::from(raised.saturating_sub(factor))),
			)?;
			liquidity.liquidation_limit = add(
				liquidity.liquidation_limit,
				collateral_value.saturating_mul(threshold.into()),
			)?;
			liquidity.debt_value = add(liquidity.debt_value, value(debt, debt_price)?)?;
		}
		liquidity.borrow_limit = add(liquidity.borrow_limit, credit_room.min(credit.cap))?;
		Ok(liquidity)
	}

	/// The account valued at fresh confirmed prices with interest accrued to now, its borrow
	/// limit with what its credit score earns.
	pub fn account_liquidity(who: &T::AccountId) -> Result<AccountLiquidity, ValuationError> {
		let positions = Self::positions(who).map_err(|_| ValuationError::Overflow)?;
		Self::value_positions(&positions, Valuation::Confirmed, &Self::credit_terms(who))
	}

	/// The account valued to decide whether it is liquidatable ([`Valuation::Liquidation`]):
	/// at fresh confirmed prices, and every stale one in its owner's favour, so a stale price
	/// never makes an account liquidatable and never hides a shortfall fresh prices prove.
	pub fn liquidation_liquidity(who: &T::AccountId) -> Result<AccountLiquidity, ValuationError> {
		let positions = Self::positions(who).map_err(|_| ValuationError::Overflow)?;
		Self::value_positions(&positions, Valuation::Liquidation, &CreditTerms::NONE)
	}

	/// Fails unless the account's debt is within its borrow limit, with what its credit score
	/// earns, at the prices for actions that add risk ([`Valuation::AddsRisk`]); returns the
	/// account's debt value. An account without debt passes without prices: it has nothing to
	/// secure.
	pub(crate) fn ensure_within_borrow_limit(
		who: &T::AccountId,
	) -> Result<FixedU128, DispatchError> {
		let positions = Self::positions(who)?;
		if positions.iter().all(|position| position.scaled_debt.is_zero()) {
			return Ok(FixedU128::zero());
		}
		let liquidity =
			Self::value_positions(&positions, Valuation::AddsRisk, &Self::credit_terms(who))
				.map_err(Self::valuation_error)?;
		ensure!(liquidity.within_borrow_limit(), Error::<T>::InsufficientCollateral);
		Ok(liquidity.debt_value)
	}

	/// The pallet error for a valuation that failed.
	pub(crate) fn valuation_error(error: ValuationError) -> DispatchError {
		match error {
			ValuationError::PriceUnknown(_) => Error::<T>::PriceUnknown.into(),
			ValuationError::PriceStale(_) => Error::<T>::PriceStale.into(),
			ValuationError::Overflow => ArithmeticError::Overflow.into(),
		}
	}
}

/// `a + b`, or an overflow.
fn add(a: FixedU128, b: FixedU128) -> Result<FixedU128, ValuationError> {
	a.checked_add(&b).ok_or(ValuationError::Overflow)
}
