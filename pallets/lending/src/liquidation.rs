//! What the liquidation engine may do to lending accounts: ask whether one is liquidatable and
//! liquidate part of it, through [`LendingLiquidation`].

use super::*;
use alloc::vec::Vec;
use frame_support::{ensure, storage::with_storage_layer};
use lever_primitives::{
	amount_for_usd, usd_value, LendingLiquidation, LendingSeizure, PriceProvider,
};
use sp_runtime::{
	traits::{CheckedDiv, CheckedSub, One, Saturating, Zero},
	ArithmeticError, DispatchError, FixedPointNumber, FixedU128,
};

impl<T: Config> LendingLiquidation<T::AccountId> for Pallet<T> {
	fn is_liquidatable(who: &T::AccountId) -> Result<bool, DispatchError> {
		let liquidity = Self::account_liquidity(who).map_err(Self::valuation_error)?;
		Ok(liquidity.is_liquidatable())
	}

	fn liquidate(
		liquidator: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
	) -> Result<LendingSeizure, DispatchError> {
		with_storage_layer(|| {
			Self::do_liquidate(liquidator, borrower, debt_asset, collateral_asset, max_repay)
		})
	}

	fn liquidation_pairs(who: &T::AccountId) -> Result<Vec<(AssetId, AssetId)>, DispatchError> {
		let mut debts = Vec::new();
		let mut best_collateral: Option<(FixedU128, AssetId)> = None;
		for position in Self::positions(who)? {
			let value = |amount| -> Result<FixedU128, DispatchError> {
				usd_value(amount, position.market.decimals, Self::fresh_price(position.asset)?)
					.ok_or(ArithmeticError::Overflow.into())
			};
			let debt = position.market.debt_of(position.scaled_debt)?;
			if !debt.is_zero() {
				debts.push((value(debt)?, position.asset));
			}
			if position.supply.collateral && !position.supply.shares.is_zero() {
				let collateral = value(position.market.value_of_shares(position.supply.shares)?)?;
				if best_collateral.is_none_or(|(best, _)| collateral > best) {
					best_collateral = Some((collateral, position.asset));
				}
			}
		}
		let Some((_, collateral_asset)) = best_collateral else { return Ok(Vec::new()) };
		debts.sort_by_key(|(value, _)| core::cmp::Reverse(*value));
		Ok(debts
			.into_iter()
			.map(|(_, debt_asset)| (debt_asset, collateral_asset))
			.collect())
	}

	fn write_off(who: &T::AccountId) -> Result<(), DispatchError> {
		with_storage_layer(|| Self::do_write_off(who))
	}

	fn liquidation_prices(who: &T::AccountId) -> Vec<(AssetId, Option<FixedU128>)> {
		let Ok(positions) = Self::positions(who) else { return Vec::new() };
		let Ok(liquidity) = Self::value_positions(&positions) else { return Vec::new() };
		let now = Self::now();
		positions
			.iter()
			.filter(|position| position.supply.collateral && !position.supply.shares.is_zero())
			.map(|position| (position.asset, Self::liquidation_price(position, &liquidity, now)))
			.collect()
	}

	fn accounts(after: Option<&T::AccountId>, max: u32) -> Vec<T::AccountId> {
		let keys = match after {
			Some(after) => {
				AccountMarkets::<T>::iter_keys_from(AccountMarkets::<T>::hashed_key_for(after))
			},
			None => AccountMarkets::<T>::iter_keys(),
		};
		keys.take(max as usize).collect()
	}
}

impl<T: Config> Pallet<T> {
	/// Removes every debt of an account whose collateral is gone: each market's reserves absorb
	/// what they can, the rest lowers the suppliers' exchange rate and is recorded in
	/// [`BadDebt`]. Fails, changing nothing, while the account has collateral or no debt.
	pub(crate) fn do_write_off(who: &T::AccountId) -> Result<(), DispatchError> {
		let positions = Self::positions(who)?;
		ensure!(
			positions
				.iter()
				.all(|position| !position.supply.collateral || position.supply.shares.is_zero()),
			Error::<T>::HasCollateral
		);
		ensure!(
			positions.iter().any(|position| !position.scaled_debt.is_zero()),
			Error::<T>::NoDebt
		);
		for position in positions.into_iter().filter(|position| !position.scaled_debt.is_zero()) {
			let mut market = Self::accrue_market(position.asset)?;
			let debt = market.debt_of(position.scaled_debt)?;
			let from_reserves = debt.min(market.reserves);
			market.reserves = market.reserves.saturating_sub(from_reserves);
			market.scaled_borrows = market.scaled_borrows.saturating_sub(position.scaled_debt);
			Markets::<T>::insert(position.asset, market);
			Borrows::<T>::remove(position.asset, who);
			Self::leave_market_if_empty(who, position.asset);
			BadDebt::<T>::mutate(position.asset, |bad| {
				*bad = bad.saturating_add(debt.saturating_sub(from_reserves))
			});
			Self::deposit_event(Event::DebtWrittenOff {
				who: who.clone(),
				asset: position.asset,
				debt,
				from_reserves,
			});
		}
		Ok(())
	}

	/// The price of `position`'s asset at which the account becomes liquidatable, every other
	/// price as in `liquidity`: where the rest of the account's shortfall equals what the
	/// position's collateral (at its threshold) exceeds its own debt in that asset by.
	fn liquidation_price(
		position: &crate::functions::PositionInMarket,
		liquidity: &AccountLiquidity,
		now: Moment,
	) -> Option<FixedU128> {
		let price = Self::fresh_price(position.asset).ok()?;
		let unit = 10u128.checked_pow(u32::from(position.market.decimals))?;
		let tokens = |amount| FixedU128::checked_from_rational(amount, unit);
		let collateral = tokens(position.market.value_of_shares(position.supply.shares).ok()?)?;
		let debt = tokens(position.market.debt_of(position.scaled_debt).ok()?)?;
		let threshold = FixedU128::from(position.market.liquidation_threshold_at(now));
		let own_limit = collateral.saturating_mul(threshold);
		let other_limit =
			liquidity.liquidation_limit.saturating_sub(own_limit.saturating_mul(price));
		let other_debt = liquidity.debt_value.saturating_sub(debt.saturating_mul(price));
		let shortfall = other_debt.checked_sub(&other_limit).filter(|value| !value.is_zero())?;
		let cover_per_dollar = own_limit.checked_sub(&debt).filter(|value| !value.is_zero())?;
		shortfall.checked_div(&cover_per_dollar)
	}

	/// The asset's fresh price, or the pallet's price error.
	fn fresh_price(asset: AssetId) -> Result<FixedU128, DispatchError> {
		T::Prices::fresh_value(asset, Error::<T>::PriceUnknown, Error::<T>::PriceStale)
	}

	/// Repays up to `max_repay` of `borrower`'s debt in `debt_asset`, at most the close factor
	/// of it (all of it when the rest would be dust), from `liquidator`, and pays the liquidator
	/// collateral worth the repaid value times one plus the collateral market's bonus, taken
	/// from `borrower`'s collateral supply of `collateral_asset`. When the collateral is worth
	/// less than that, all of it goes and the repayment shrinks to match. The liquidator
	/// receives tokens, so the collateral market needs the cash.
	pub(crate) fn do_liquidate(
		liquidator: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
	) -> Result<LendingSeizure, DispatchError> {
		ensure!(!max_repay.is_zero(), Error::<T>::ZeroAmount);
		let debt_market = Self::accrue_market(debt_asset)?;
		let mut collateral_market = Self::accrue_market(collateral_asset)?;
		ensure!(
			debt_market.status != MarketStatus::Frozen
				&& collateral_market.status != MarketStatus::Frozen,
			Error::<T>::MarketFrozen
		);
		let liquidity = Self::account_liquidity(borrower).map_err(Self::valuation_error)?;
		ensure!(liquidity.is_liquidatable(), Error::<T>::NotLiquidatable);
		let scaled_debt = Borrows::<T>::get(debt_asset, borrower).ok_or(Error::<T>::NoDebt)?;
		let mut position = Supplies::<T>::get(collateral_asset, borrower)
			.filter(|position| position.collateral)
			.ok_or(Error::<T>::CollateralNotEnabled)?;

		let debt = debt_market.debt_of(scaled_debt)?;
		let closable = debt_market.params.close_factor.mul_ceil(debt);
		let closable = if debt.saturating_sub(closable) < Self::dust_limit(debt_asset) {
			debt
		} else {
			closable
		};
		let debt_price = Self::fresh_price(debt_asset)?;
		let collateral_price = Self::fresh_price(collateral_asset)?;
		let with_bonus =
			FixedU128::one().saturating_add(collateral_market.params.liquidation_bonus.into());
		let collateral = collateral_market.value_of_shares(position.shares)?;

		let mut repay = max_repay.min(closable);
		let repay_value =
			usd_value(repay, debt_market.decimals, debt_price).ok_or(ArithmeticError::Overflow)?;
		let mut seized = amount_for_usd(
			repay_value.saturating_mul(with_bonus),
			collateral_market.decimals,
			collateral_price,
		)
		.ok_or(ArithmeticError::Overflow)?;
		if seized > collateral {
			seized = collateral;
			let collateral_value =
				usd_value(collateral, collateral_market.decimals, collateral_price)
					.ok_or(ArithmeticError::Overflow)?;
			let covered =
				collateral_value.checked_div(&with_bonus).ok_or(ArithmeticError::Overflow)?;
			repay = amount_for_usd(covered, debt_market.decimals, debt_price)
				.ok_or(ArithmeticError::Overflow)?
				.min(repay);
		}
		ensure!(!repay.is_zero() && !seized.is_zero(), Error::<T>::Dust);
		ensure!(seized <= collateral_market.cash, Error::<T>::NotEnoughCash);

		let shares = if seized >= collateral {
			position.shares
		} else {
			collateral_market.shares_for_withdrawal(seized)?.min(position.shares)
		};
		collateral_market.cash = collateral_market.cash.saturating_sub(seized);
		collateral_market.total_shares = collateral_market.total_shares.saturating_sub(shares);
		Markets::<T>::insert(collateral_asset, collateral_market);
		position.shares = position.shares.saturating_sub(shares);
		if position.shares.is_zero() {
			Supplies::<T>::remove(collateral_asset, borrower);
			Self::leave_market_if_empty(borrower, collateral_asset);
		} else {
			Supplies::<T>::insert(collateral_asset, borrower, position);
		}

		// Read again: the debt and the collateral may be the same market.
		let debt_market = Self::market(debt_asset)?;
		let (repaid, _) =
			Self::reduce_debt(borrower, debt_asset, debt_market, scaled_debt, repay, liquidator)?;
		Self::push(collateral_asset, liquidator, seized)?;
		Self::deposit_event(Event::Liquidated {
			liquidator: liquidator.clone(),
			borrower: borrower.clone(),
			debt_asset,
			repaid,
			collateral_asset,
			seized,
		});
		Ok(LendingSeizure { debt_asset, repaid, collateral_asset, seized })
	}
}
