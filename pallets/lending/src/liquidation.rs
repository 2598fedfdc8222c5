//! Liquidation of unhealthy accounts: the permissionless [`Pallet::liquidate`] call and what the
//! liquidation engine may do through [`LendingLiquidation`]. One rule for both, in
//! [`Pallet::liquidation_quote`]:
//! - a liquidator repays at most the close factor of one debt (all of it when the rest would be
//!   below the market's minimum debt or dust, or when the account is a book) and receives
//!   collateral worth the repaid value times one plus the collateral market's bonus, rounded
//!   down;
//! - when that would leave collateral too small to liquidate (covering no unit of the debt), or
//!   more than there is, the whole collateral goes and the repayment matches it (Aave v3.3's
//!   minimum-leftover rule), so a liquidation never strands dust;
//! - collateral that covers no unit of any debt counts as nothing: once no pair of the account
//!   can move a unit, its debts are written off (reserves first, then [`BadDebt`]) and the
//!   worthless collateral goes to its market's reserves;
//! - when no one can repay at once, the liquidation engine's book for the pair takes over the
//!   debt and the seized collateral instead ([`Pallet::do_take_over`]): the borrower is
//!   liquidated by the same rule, and the book ([`Books`]) may be liquidated whole by anyone
//!   whenever it owes, until it is closed.

use super::*;
use crate::health::PositionInMarket;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::tokens::{fungibles::Inspect, DepositConsequence, Provenance},
	Hashable,
};
use lever_primitives::{
	amount_for_usd, usd_value, whole_tokens, DebtorScan, LendingLiquidation, LendingSeizure,
	LiquidationView, MarketTotals, PriceProvider, SeizedAs,
};
use sp_runtime::{
	traits::{CheckedDiv, CheckedSub, One, Saturating, Zero},
	ArithmeticError, DispatchError, DispatchResult, FixedU128,
};

impl<T: Config> LendingLiquidation<T::AccountId> for Pallet<T> {
	fn is_liquidatable(who: &T::AccountId) -> Result<bool, DispatchError> {
		let liquidity = Self::liquidation_liquidity(who).map_err(Self::valuation_error)?;
		Ok(Self::may_liquidate(who, &liquidity))
	}

	fn liquidate(
		liquidator: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
		seized_as: SeizedAs,
	) -> Result<LendingSeizure, DispatchError> {
		with_storage_layer(|| {
			Self::do_liquidate(
				liquidator,
				borrower,
				debt_asset,
				collateral_asset,
				max_repay,
				seized_as,
				|seizure| Ok(seizure.seized),
			)
		})
	}

	fn liquidate_with_sale(
		liquidator: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
		sell: impl FnOnce(&LendingSeizure) -> Result<Balance, DispatchError>,
	) -> Result<LendingSeizure, DispatchError> {
		with_storage_layer(|| {
			Self::do_liquidate(
				liquidator,
				borrower,
				debt_asset,
				collateral_asset,
				max_repay,
				SeizedAs::Tokens,
				sell,
			)
		})
	}

	fn take_over(
		book: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
	) -> Result<LendingSeizure, DispatchError> {
		with_storage_layer(|| Self::do_take_over(book, borrower, debt_asset, collateral_asset))
	}

	fn supply_shares(who: &T::AccountId, asset: AssetId) -> Balance {
		Self::supply_of(who, asset).map_or(0, |position| position.shares)
	}

	fn pay_supply_shares(
		from: &T::AccountId,
		to: &T::AccountId,
		asset: AssetId,
		shares: Balance,
	) -> Result<(Balance, SeizedAs), DispatchError> {
		with_storage_layer(|| Self::do_pay_supply_shares(from, to, asset, shares))
	}

	fn liquidation_pairs(who: &T::AccountId) -> Result<Vec<(AssetId, AssetId)>, DispatchError> {
		let positions = Self::positions(who)?;
		Self::pairs_that_move(&positions)
	}

	fn write_off(who: &T::AccountId) -> Result<(), DispatchError> {
		with_storage_layer(|| Self::do_write_off(who))
	}

	fn liquidation_prices(who: &T::AccountId) -> Vec<(AssetId, Option<FixedU128>)> {
		let Ok(positions) = Self::positions(who) else { return Vec::new() };
		let Ok(liquidity) =
			Self::value_positions(&positions, Valuation::Confirmed, &CreditTerms::NONE)
		else {
			return Vec::new();
		};
		let now = Clock::<T>::now_ms();
		positions
			.iter()
			.filter(|position| position.supply.collateral && !position.supply.shares.is_zero())
			.map(|position| (position.asset, Self::liquidation_price(position, &liquidity, now)))
			.collect()
	}

	fn debtors(after: Option<&T::AccountId>, max: u32) -> Vec<T::AccountId> {
		Self::debtors_after(after, max)
	}

	fn exposed(
		assets: &[AssetId],
		after: Option<&T::AccountId>,
		max: u32,
		max_read: u32,
	) -> DebtorScan<T::AccountId> {
		Self::exposed_after(assets, after, max, max_read)
	}

	fn market_prices() -> Vec<(AssetId, Option<FixedU128>)> {
		Markets::<T>::iter_keys()
			.map(|asset| (asset, T::Prices::price(asset).ok().map(|price| price.value)))
			.collect()
	}

	fn liquidation_state(who: &T::AccountId) -> [u8; 32] {
		let state: Vec<_> = Self::positions_of(who)
			.into_iter()
			.map(|(asset, position)| {
				(
					asset,
					position,
					Markets::<T>::get(asset).map(|market| (market.cash, market.status)),
					T::Prices::price(asset).ok().map(|price| price.value),
				)
			})
			.collect();
		state.blake2_256()
	}

	fn liquidation_view(who: &T::AccountId) -> Result<LiquidationView, DispatchError> {
		let positions = Self::positions(who)?;
		let liquidity =
			Self::value_positions(&positions, Valuation::Liquidation, &CreditTerms::NONE)
				.map_err(Self::valuation_error)?;
		let debts = positions
			.iter()
			.filter(|position| !position.scaled_debt.is_zero())
			.map(|position| Ok((position.asset, position.market.debt_of(position.scaled_debt)?)))
			.collect::<Result<Vec<_>, DispatchError>>()?;
		Ok(LiquidationView { liquidity, debts })
	}

	fn reset_credit(who: &T::AccountId) {
		Self::reset_credit(who)
	}

	fn market_totals() -> Vec<MarketTotals> {
		let now = Clock::<T>::now_ms();
		Markets::<T>::iter()
			.filter_map(|(asset, market)| {
				let market = market.accrued(now).ok()?;
				Some(MarketTotals {
					asset,
					supplied: market.total_supply().ok()?,
					borrowed: market.total_borrows().ok()?,
				})
			})
			.collect()
	}
}

impl<T: Config> Pallet<T> {
	/// The pairs of `positions` a liquidation would move a unit of debt and of collateral by:
	/// debts by value, largest first, each with its collaterals by value, largest first. Only
	/// positions with a fresh price take part: a stale one is never liquidated.
	fn pairs_that_move(
		positions: &[PositionInMarket],
	) -> Result<Vec<(AssetId, AssetId)>, DispatchError> {
		let mut debts = Vec::new();
		let mut collaterals = Vec::new();
		for position in positions {
			let Ok(price) = Self::fresh_price(position.asset) else { continue };
			let priced = Priced { position, price };
			let valued = |amount| -> Result<FixedU128, DispatchError> {
				usd_value(amount, position.market.decimals, price)
					.ok_or(ArithmeticError::Overflow.into())
			};
			let debt = position.market.debt_of(position.scaled_debt)?;
			if !debt.is_zero() {
				debts.push((valued(debt)?, priced));
			}
			if position.supply.collateral && !position.supply.shares.is_zero() {
				let collateral = position.market.value_of_shares(position.supply.shares)?;
				collaterals.push((valued(collateral)?, priced));
			}
		}
		debts.sort_by_key(|(value, _)| core::cmp::Reverse(*value));
		collaterals.sort_by_key(|(value, _)| core::cmp::Reverse(*value));
		let mut pairs = Vec::new();
		for (_, debt) in &debts {
			for (_, collateral) in &collaterals {
				let (repay, _) = Self::liquidation_quote(debt, collateral, Balance::MAX, false)?;
				if !repay.is_zero() {
					pairs.push((debt.position.asset, collateral.position.asset));
				}
			}
		}
		Ok(pairs)
	}

	/// What liquidating `debt`'s debt against `collateral`'s collateral (positions of one
	/// account, markets accrued to now, each with its asset's fresh price) moves for at most
	/// `max_repay`: the debt repaid and the collateral seized, both in their asset's smallest
	/// unit. `(0, 0)` when it moves nothing: the collateral covers no unit of the debt, or the
	/// debt is worth no unit of the collateral, or the repayment removes no scaled debt. `whole`
	/// lifts the close factor (a book, liquidated whole). This is the one rule of how much a
	/// liquidation moves (see the module's documentation).
	pub(crate) fn liquidation_quote(
		debt: &Priced,
		collateral: &Priced,
		max_repay: Balance,
		whole: bool,
	) -> Result<(Balance, Balance), DispatchError> {
		let (Priced { position: debt, price: debt_price }, collateral_price) =
			(*debt, collateral.price);
		let collateral = collateral.position;
		let owed = debt.market.debt_of(debt.scaled_debt)?;
		let held = collateral.market.value_of_shares(collateral.supply.shares)?;
		let closable = if whole { owed } else { debt.market.params.close_factor.mul_ceil(owed) };
		let least_left = debt.market.params.min_debt.max(Self::dust_limit(debt.asset));
		let closable = if owed.saturating_sub(closable) < least_left { owed } else { closable };
		let with_bonus =
			FixedU128::one().saturating_add(collateral.market.params.liquidation_bonus.into());
		// Collateral (rounded down) for repaying `repay`, with the bonus.
		let collateral_for = |repay: Balance| -> Result<Balance, DispatchError> {
			let value = usd_value(repay, debt.market.decimals, debt_price)
				.ok_or(ArithmeticError::Overflow)?;
			amount_for_usd(
				value.saturating_mul(with_bonus),
				collateral.market.decimals,
				collateral_price,
			)
			.ok_or(ArithmeticError::Overflow.into())
		};
		// The debt (rounded down) that `amount` of collateral pays for, with the bonus.
		let repay_for = |amount: Balance| -> Result<Balance, DispatchError> {
			let value = usd_value(amount, collateral.market.decimals, collateral_price)
				.ok_or(ArithmeticError::Overflow)?;
			let covered = value.checked_div(&with_bonus).ok_or(ArithmeticError::Overflow)?;
			amount_for_usd(covered, debt.market.decimals, debt_price)
				.ok_or(ArithmeticError::Overflow.into())
		};

		let mut repay = max_repay.min(closable);
		let mut seized = collateral_for(repay)?;
		if seized >= held || repay_for(held.saturating_sub(seized))?.is_zero() {
			// The rest would be more than there is, or too little to liquidate: all of it goes.
			let covered = repay_for(held)?;
			repay = covered.min(owed).min(max_repay);
			seized = if repay == covered { held } else { collateral_for(repay)?.min(held) };
		}
		let removes_debt = repay >= owed || !debt.market.scaled_for_repay(repay)?.is_zero();
		if repay.is_zero() || seized.is_zero() || !removes_debt {
			return Ok((0, 0));
		}
		Ok((repay, seized))
	}

	/// Removes every debt of a liquidatable account whose collateral is worth nothing against
	/// its debts: each market's reserves absorb what they can, the rest lowers the suppliers'
	/// exchange rate and is recorded in [`BadDebt`]; collateral left (too little to cover a unit
	/// of any debt) goes to its market's reserves. Fails, changing nothing, while a liquidation
	/// could still take collateral, while the account is healthy, or without debt.
	pub(crate) fn do_write_off(who: &T::AccountId) -> Result<(), DispatchError> {
		let positions = Self::positions(who)?;
		ensure!(
			positions.iter().any(|position| !position.scaled_debt.is_zero()),
			Error::<T>::NoDebt
		);
		let has_collateral = |position: &PositionInMarket| {
			position.supply.collateral && !position.supply.shares.is_zero()
		};
		if positions.iter().any(has_collateral) {
			let liquidity =
				Self::value_positions(&positions, Valuation::Confirmed, &CreditTerms::NONE)
					.map_err(Self::valuation_error)?;
			ensure!(Self::may_liquidate(who, &liquidity), Error::<T>::NotLiquidatable);
			ensure!(Self::pairs_that_move(&positions)?.is_empty(), Error::<T>::HasCollateral);
		}
		Self::reset_credit(who);
		for position in positions.iter().filter(|position| has_collateral(position)) {
			let amount = Self::supply_to_reserves(who, position.asset)?;
			Self::deposit_event(Event::CollateralWrittenOff {
				who: who.clone(),
				asset: position.asset,
				amount,
			});
		}
		for position in positions.into_iter().filter(|position| !position.scaled_debt.is_zero()) {
			let mut market = Self::accrue_market(position.asset)?;
			let debt = market.debt_of(position.scaled_debt)?;
			let from_reserves = debt.min(market.reserves);
			market.reserves = market.reserves.saturating_sub(from_reserves);
			market.scaled_borrows = market.scaled_borrows.saturating_sub(position.scaled_debt);
			Markets::<T>::insert(position.asset, market);
			Self::put_scaled_debt(who, position.asset, None)?;
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
		Self::close_book_if_repaid(who)
	}

	/// Whether an account valued as `liquidity` may be liquidated: its debt exceeds its
	/// liquidation limit, or it is a book ([`Books`]) that still owes something of value.
	pub(crate) fn may_liquidate(who: &T::AccountId, liquidity: &AccountLiquidity) -> bool {
		liquidity.is_liquidatable()
			|| (!liquidity.debt_value.is_zero() && Books::<T>::contains_key(who))
	}

	/// Moves all of `who`'s supply of `asset` to the market's reserves: the suppliers' claim
	/// becomes the protocol's. Returns its value in the asset's smallest unit, rounded down;
	/// zero without a supply.
	fn supply_to_reserves(who: &T::AccountId, asset: AssetId) -> Result<Balance, DispatchError> {
		let Some(position) = Self::supply_of(who, asset) else { return Ok(0) };
		Self::put_supply(who, asset, None)?;
		let mut market = Self::accrue_market(asset)?;
		let amount = market.value_of_shares(position.shares)?;
		market.reserves = market.reserves.saturating_add(amount);
		market.total_shares = market.total_shares.saturating_sub(position.shares);
		Markets::<T>::insert(asset, market);
		Ok(amount)
	}

	/// Closes `who`'s book once it owes nothing: what it still holds (the bonus its
	/// liquidations left over) goes to its markets' reserves ([`Event::BonusToReserves`]).
	/// Does nothing for an account that is not a book or still owes.
	fn close_book_if_repaid(who: &T::AccountId) -> DispatchResult {
		if !Books::<T>::contains_key(who) || Borrowers::<T>::contains_key(who) {
			return Ok(());
		}
		for (asset, _) in Self::positions_of(who) {
			let amount = Self::supply_to_reserves(who, asset)?;
			if !amount.is_zero() {
				Self::deposit_event(Event::BonusToReserves { asset, amount });
			}
		}
		Books::<T>::remove(who);
		Self::deposit_event(Event::BookClosed { book: who.clone() });
		Ok(())
	}

	/// The price of `position`'s asset at which the account becomes liquidatable, every other
	/// price as in `liquidity`: where the rest of the account's shortfall equals what the
	/// position's collateral (at its threshold) exceeds its own debt in that asset by.
	fn liquidation_price(
		position: &PositionInMarket,
		liquidity: &AccountLiquidity,
		now: Moment,
	) -> Option<FixedU128> {
		let price = Self::fresh_price(position.asset).ok()?;
		let tokens = |amount| whole_tokens(amount, position.market.decimals);
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

	/// Pays `to` the value of `shares` of `from`'s supply (see
	/// [`LendingLiquidation::pay_supply_shares`]): what the liquidation engine pays a backstop
	/// depositor whose gain it received as supply shares. No dust rule applies: the shares
	/// were the depositor's all along.
	pub(crate) fn do_pay_supply_shares(
		from: &T::AccountId,
		to: &T::AccountId,
		asset: AssetId,
		shares: Balance,
	) -> Result<(Balance, SeizedAs), DispatchError> {
		ensure!(!shares.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::accrue_market(asset)?;
		ensure!(market.status != MarketStatus::Frozen, Error::<T>::MarketFrozen);
		let mut position = Self::supply_of(from, asset).ok_or(Error::<T>::NoSupply)?;
		ensure!(shares <= position.shares, Error::<T>::InsufficientSupply);
		let value = market.value_of_shares(shares)?;
		position.shares = position.shares.saturating_sub(shares);
		Self::put_supply(from, asset, Some(position))?;
		let as_tokens = !value.is_zero()
			&& value <= market.cash
			&& T::Assets::can_deposit(asset, to, value, Provenance::Extant)
				== DepositConsequence::Success;
		let paid_as = if as_tokens {
			market.cash = market.cash.saturating_sub(value);
			market.total_shares = market.total_shares.saturating_sub(shares);
			Markets::<T>::insert(asset, market);
			Self::push(asset, to, value)?;
			SeizedAs::Tokens
		} else {
			Self::receive_shares(to, asset, shares, false)?;
			SeizedAs::Shares
		};
		Self::deposit_event(Event::SupplyPaid {
			from: from.clone(),
			to: to.clone(),
			asset,
			shares,
			value,
			paid_as,
		});
		Ok((value, paid_as))
	}

	/// Takes back `amount` of `asset` a liquidator's sale did not spend and adds it to the
	/// market's cash and reserves: the part of the bonus the protocol keeps when the engine
	/// liquidates by selling collateral.
	fn keep_bonus(asset: AssetId, from: &T::AccountId, amount: Balance) -> DispatchResult {
		let received = Self::pull(asset, from, amount)?;
		let mut market = Self::market(asset)?;
		market.cash = market.cash.checked_add(received).ok_or(ArithmeticError::Overflow)?;
		market.reserves = market.reserves.checked_add(received).ok_or(ArithmeticError::Overflow)?;
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::BonusToReserves { asset, amount: received });
		Ok(())
	}

	/// The asset's fresh price, or the pallet's price error.
	fn fresh_price(asset: AssetId) -> Result<FixedU128, DispatchError> {
		T::Prices::fresh_value(asset, Error::<T>::PriceUnknown, Error::<T>::PriceStale)
	}

	/// Liquidates part of `borrower`'s debt in `debt_asset` against its collateral in
	/// `collateral_asset` (see [`Pallet::liquidate`]): `liquidator` repays what
	/// [`Pallet::liquidation_quote`] allows for at most `max_repay` and receives the seized
	/// collateral as tokens (out of the market's cash) or as supply shares. With tokens, `sell`
	/// runs once they are paid and before the repayment is taken, and returns how much of them
	/// it spent; the rest comes back as the collateral market's reserves
	/// ([`Event::BonusToReserves`]). Errors: `ZeroAmount`, `SelfLiquidation`, `MarketFrozen`,
	/// `NotLiquidatable`, `NoDebt`, `CollateralNotEnabled`, `Dust` (the pair moves nothing),
	/// `NotEnoughCash` (tokens the market lacks), `SaleTooCostly` (`sell` claims more than was
	/// seized), and whatever `sell` or a transfer fails with.
	pub(crate) fn do_liquidate(
		liquidator: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
		seized_as: SeizedAs,
		sell: impl FnOnce(&LendingSeizure) -> Result<Balance, DispatchError>,
	) -> Result<LendingSeizure, DispatchError> {
		let quoted =
			Self::quote_pair(liquidator, borrower, debt_asset, collateral_asset, max_repay)?;
		let seized = quoted.seized;
		Self::hand_over_seized(liquidator, borrower, collateral_asset, &quoted, seized_as)?;
		if seized_as == SeizedAs::Tokens {
			let repay = quoted.repay;
			let sale =
				LendingSeizure { debt_asset, repaid: repay, collateral_asset, seized, seized_as };
			Self::settle_sale(liquidator, &sale, sell)?;
		}
		// Read again: the debt and the collateral may be the same market.
		let debt_market = Self::market(debt_asset)?;
		let (repaid, _) = Self::reduce_debt(
			borrower,
			debt_asset,
			debt_market,
			quoted.scaled_debt,
			quoted.repay,
			liquidator,
			true,
		)?;
		Self::reset_credit(borrower);
		Self::deposit_event(Event::Liquidated {
			liquidator: liquidator.clone(),
			borrower: borrower.clone(),
			debt_asset,
			repaid,
			collateral_asset,
			seized,
			seized_as,
		});
		Self::close_book_if_repaid(borrower)?;
		Ok(LendingSeizure { debt_asset, repaid, collateral_asset, seized, seized_as })
	}

	/// Moves the collateral `quoted` seizes from `borrower` to `liquidator`: as tokens out of
	/// the collateral market's cash (which then loses the burnt shares from its total), or as
	/// supply shares added to the liquidator's. Errors: `NotEnoughCash` for tokens the market
	/// lacks, `TooManyAccountMarkets` when the liquidator cannot enter the market for shares,
	/// and a transfer's error.
	fn hand_over_seized(
		liquidator: &T::AccountId,
		borrower: &T::AccountId,
		collateral_asset: AssetId,
		quoted: &Quoted,
		seized_as: SeizedAs,
	) -> DispatchResult {
		match seized_as {
			SeizedAs::Tokens => {
				let mut market = quoted.collateral_market;
				ensure!(quoted.seized <= market.cash, Error::<T>::NotEnoughCash);
				market.cash = market.cash.saturating_sub(quoted.seized);
				market.total_shares = market.total_shares.saturating_sub(quoted.shares);
				Markets::<T>::insert(collateral_asset, market);
			},
			SeizedAs::Shares => {
				Self::receive_shares(liquidator, collateral_asset, quoted.shares, false)?
			},
		}
		Self::give_up_shares(borrower, collateral_asset, quoted.position, quoted.shares)?;
		if seized_as == SeizedAs::Tokens {
			Self::push(collateral_asset, liquidator, quoted.seized)?;
		}
		Ok(())
	}

	/// Runs `sell` on the collateral `seizure` paid `liquidator` as tokens and keeps what it did
	/// not spend as the collateral market's reserves ([`Pallet::keep_bonus`]). Errors:
	/// `SaleTooCostly` when `sell` claims more than was seized, and `sell`'s own error.
	fn settle_sale(
		liquidator: &T::AccountId,
		seizure: &LendingSeizure,
		sell: impl FnOnce(&LendingSeizure) -> Result<Balance, DispatchError>,
	) -> DispatchResult {
		let spent = sell(seizure)?;
		let unspent = seizure.seized.checked_sub(spent).ok_or(Error::<T>::SaleTooCostly)?;
		if !unspent.is_zero() {
			Self::keep_bonus(seizure.collateral_asset, liquidator, unspent)?;
		}
		Ok(())
	}

	/// Checks that `liquidator` may liquidate `borrower`'s pair now and quotes it for at most
	/// `max_repay` by [`Pallet::liquidation_quote`], with the borrower's shares a withdrawal of
	/// the seized collateral would burn (rounded up; all of them when all of it goes). Accrues
	/// both markets; moves nothing. Errors: `ZeroAmount`, `SelfLiquidation`, `MarketFrozen`,
	/// `NotLiquidatable`, `NoDebt`, `CollateralNotEnabled`, `Dust` (the pair moves nothing),
	/// and a price's error.
	fn quote_pair(
		liquidator: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
	) -> Result<Quoted, DispatchError> {
		ensure!(!max_repay.is_zero(), Error::<T>::ZeroAmount);
		ensure!(liquidator != borrower, Error::<T>::SelfLiquidation);
		let debt_market = Self::accrue_market(debt_asset)?;
		let collateral_market = Self::accrue_market(collateral_asset)?;
		ensure!(
			debt_market.status != MarketStatus::Frozen
				&& collateral_market.status != MarketStatus::Frozen,
			Error::<T>::MarketFrozen
		);
		let liquidity = Self::liquidation_liquidity(borrower).map_err(Self::valuation_error)?;
		ensure!(Self::may_liquidate(borrower, &liquidity), Error::<T>::NotLiquidatable);
		let scaled_debt = Self::scaled_debt_of(borrower, debt_asset).ok_or(Error::<T>::NoDebt)?;
		let position = Self::supply_of(borrower, collateral_asset)
			.filter(|position| position.collateral)
			.ok_or(Error::<T>::CollateralNotEnabled)?;
		let (repay, seized) = Self::liquidation_quote(
			&Priced {
				position: &PositionInMarket {
					asset: debt_asset,
					market: debt_market,
					supply: SupplyPosition::default(),
					scaled_debt,
				},
				price: Self::fresh_price(debt_asset)?,
			},
			&Priced {
				position: &PositionInMarket {
					asset: collateral_asset,
					market: collateral_market,
					supply: position,
					scaled_debt: 0,
				},
				price: Self::fresh_price(collateral_asset)?,
			},
			max_repay,
			Books::<T>::contains_key(borrower),
		)?;
		ensure!(!repay.is_zero(), Error::<T>::Dust);
		let shares = if seized >= collateral_market.value_of_shares(position.shares)? {
			position.shares
		} else {
			collateral_market.shares_for_withdrawal(seized)?.min(position.shares)
		};
		Ok(Quoted { collateral_market, scaled_debt, position, repay, seized, shares })
	}

	/// Adds `shares` of `asset`'s market to `who`'s supply, entering the market if it must; the
	/// supply is collateral when `as_collateral` or when it already was.
	fn receive_shares(
		who: &T::AccountId,
		asset: AssetId,
		shares: Balance,
		as_collateral: bool,
	) -> DispatchResult {
		let mut received =
			Self::supply_of(who, asset).unwrap_or(SupplyPosition { shares: 0, collateral: false });
		received.shares = received.shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		received.collateral |= as_collateral;
		Self::put_supply(who, asset, Some(received))
	}

	/// Takes `shares` (at most what it holds) from `position`, `who`'s supply of `asset`,
	/// leaving the market when none are left.
	fn give_up_shares(
		who: &T::AccountId,
		asset: AssetId,
		mut position: SupplyPosition,
		shares: Balance,
	) -> DispatchResult {
		position.shares = position.shares.saturating_sub(shares);
		Self::put_supply(who, asset, Some(position))
	}

	/// Moves a liquidatable `borrower`'s debt in `debt_asset` and collateral in
	/// `collateral_asset` to `book`, as much as a liquidation with no limit on the repayment
	/// would move (see [`Pallet::liquidation_quote`]): the scaled debt a repayment of that much
	/// would remove (rounded down, so the borrower never loses more debt than the book gains)
	/// and the seized collateral as supply shares, enabled as collateral. No tokens move, so it
	/// needs no cash and no liquidity; total borrows and supply are unchanged. `book` becomes a
	/// book ([`Books`]). Errors as [`Pallet::quote_pair`], and `TooManyAccountMarkets` when
	/// the book cannot enter a market.
	pub(crate) fn do_take_over(
		book: &T::AccountId,
		borrower: &T::AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
	) -> Result<LendingSeizure, DispatchError> {
		let Quoted { scaled_debt, position, repay, seized, shares, .. } =
			Self::quote_pair(book, borrower, debt_asset, collateral_asset, Balance::MAX)?;
		Self::receive_shares(book, collateral_asset, shares, true)?;
		Self::give_up_shares(borrower, collateral_asset, position, shares)?;

		let debt_market = Self::market(debt_asset)?;
		let owed = debt_market.debt_of(scaled_debt)?;
		let moved =
			if repay >= owed { scaled_debt } else { debt_market.scaled_for_repay(repay)? };
		let moved = moved.min(scaled_debt);
		ensure!(!moved.is_zero(), Error::<T>::Dust);
		Self::put_scaled_debt(borrower, debt_asset, Some(scaled_debt.saturating_sub(moved)))?;
		let book_debt = Self::scaled_debt_of(book, debt_asset).unwrap_or_default();
		let book_scaled = book_debt.checked_add(moved).ok_or(ArithmeticError::Overflow)?;
		Self::put_scaled_debt(book, debt_asset, Some(book_scaled))?;
		Books::<T>::insert(book, ());
		Self::reset_credit(borrower);
		let debt = repay.min(owed);
		Self::deposit_event(Event::DebtTakenOver {
			book: book.clone(),
			borrower: borrower.clone(),
			debt_asset,
			debt,
			collateral_asset,
			seized,
		});
		Ok(LendingSeizure {
			debt_asset,
			repaid: debt,
			collateral_asset,
			seized,
			seized_as: SeizedAs::Shares,
		})
	}
}

/// A position with its asset's fresh price, read once for every quote a call makes of it.
#[derive(Clone, Copy)]
pub(crate) struct Priced<'a> {
	/// The position, its market accrued to now.
	pub position: &'a PositionInMarket,
	/// Its asset's fresh price, in USD per whole token.
	pub price: FixedU128,
}

/// A liquidation of one pair, checked and quoted by [`Pallet::quote_pair`]; nothing moved yet.
struct Quoted {
	/// The collateral market, accrued to now.
	collateral_market: Market,
	/// The borrower's scaled debt in the debt market.
	scaled_debt: Balance,
	/// The borrower's supply in the collateral market (enabled as collateral).
	position: SupplyPosition,
	/// The debt to repay, in the debt asset's smallest unit.
	repay: Balance,
	/// The collateral to seize, in the collateral asset's smallest unit.
	seized: Balance,
	/// The borrower's shares that `seized` takes.
	shares: Balance,
}
