//! The pools' checked operations for one-click leverage ([`LendingPositions`]): the same `do_*`
//! functions the signed calls run, so leverage can do nothing a user could not do by hand, plus
//! the account's value and flash loans.

use super::*;
use frame_support::traits::Get;
use lever_primitives::{
	AccountLiquidity, LendingLiquidation, LendingPositions, MarketTerms, WithdrawalCheck,
};
use sp_runtime::{DispatchError, FixedU128};

impl<T: Config> LendingPositions<T::AccountId> for Pallet<T> {
	fn supply(who: &T::AccountId, asset: AssetId, amount: Balance) -> Result<(), DispatchError> {
		Self::do_supply(who, who, asset, amount)
	}

	fn withdraw(
		who: &T::AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError> {
		Self::do_withdraw(who, asset, amount)
	}

	fn borrow(who: &T::AccountId, asset: AssetId, amount: Balance) -> Result<(), DispatchError> {
		Self::do_borrow(who, asset, amount)
	}

	fn repay(
		who: &T::AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError> {
		Self::do_repay(who, who, asset, amount)
	}

	fn supplied(who: &T::AccountId, asset: AssetId) -> Result<Balance, DispatchError> {
		let shares = Self::supply_of(who, asset).map_or(0, |position| position.shares);
		let market = Self::market(asset)?.accrued(Clock::<T>::now_ms())?;
		Ok(market.value_of_shares(shares)?)
	}

	fn debt(who: &T::AccountId, asset: AssetId) -> Result<Balance, DispatchError> {
		let scaled = Self::scaled_debt_of(who, asset).unwrap_or_default();
		let market = Self::market(asset)?.accrued(Clock::<T>::now_ms())?;
		Ok(market.debt_of(scaled)?)
	}

	fn liquidity(who: &T::AccountId) -> Result<AccountLiquidity, DispatchError> {
		Self::account_liquidity(who).map_err(Self::valuation_error)
	}

	fn liquidation_price(who: &T::AccountId, asset: AssetId) -> Option<FixedU128> {
		<Self as LendingLiquidation<T::AccountId>>::liquidation_prices(who)
			.into_iter()
			.find(|(collateral, _)| *collateral == asset)
			.and_then(|(_, price)| price)
	}

	fn market_terms(asset: AssetId) -> Option<MarketTerms> {
		let market = Self::market(asset).ok()?;
		Some(MarketTerms {
			liquidation_threshold: market.liquidation_threshold_at(Clock::<T>::now_ms()),
			min_debt: market.params.min_debt.max(Self::dust_limit(asset)),
		})
	}

	fn withdrawal_check(
		who: &T::AccountId,
		collateral: AssetId,
	) -> Result<WithdrawalCheck, DispatchError> {
		let market = Self::market(collateral)?;
		let credit = Self::credit_terms(who);
		let positions = Self::positions(who)?;
		let liquidity = Self::value_positions(&positions, Valuation::AddsRisk, &credit)
			.map_err(Self::valuation_error)?;
		let collateral_factor = credit.collateral_factor(
			market.params.collateral_factor,
			market.liquidation_threshold_at(Clock::<T>::now_ms()),
			T::CreditFloor::get(),
		);
		Ok(WithdrawalCheck { liquidity, collateral_factor })
	}

	fn flash_loan_fee(amount: Balance) -> Balance {
		Self::flash_loan_fee(amount)
	}

	fn flash_loan<R>(
		who: &T::AccountId,
		asset: AssetId,
		amount: Balance,
		inner: impl FnOnce(Balance) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		Self::do_flash_loan(who, asset, amount, inner)
	}
}
