//! An account's supply and debt: supplying for shares, withdrawing, borrowing, repaying and
//! enabling collateral, with the tokens moved through the pallet's custody.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{fungibles::Inspect, tokens::Preservation},
};
use lever_primitives::custody;
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, ArithmeticError, DispatchError};

/// An account's supply in one market.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SupplyPosition {
	/// The account's shares of the market.
	pub shares: Balance,
	/// Whether the supply backs the account's borrowing.
	pub collateral: bool,
}

impl<T: Config> Pallet<T> {
	/// The market of `asset`, or `UnknownMarket`.
	pub(crate) fn market(asset: AssetId) -> Result<Market, Error<T>> {
		Markets::<T>::get(asset).ok_or(Error::<T>::UnknownMarket)
	}

	/// The market of `asset` with interest accrued to now and written back.
	pub(crate) fn accrue_market(asset: AssetId) -> Result<Market, DispatchError> {
		let mut market = Self::market(asset)?;
		market.accrue(Clock::<T>::now_ms())?;
		Markets::<T>::insert(asset, market);
		Ok(market)
	}

	/// The asset's minimum balance in pallet-assets: below it an amount is dust.
	pub(crate) fn dust_limit(asset: AssetId) -> Balance {
		T::Assets::minimum_balance(asset)
	}

	/// Moves `amount` from `from` into the pallet and returns what arrived: pallet-assets sweeps
	/// a remainder below the minimum balance along with it, and that counts too.
	pub(crate) fn pull(
		asset: AssetId,
		from: &T::AccountId,
		amount: Balance,
	) -> Result<Balance, DispatchError> {
		custody::take_in::<_, T::Assets>(asset, from, &Self::account_id(), amount)
	}

	/// Pays `amount` out of the pallet; the market's seed keeps its account alive.
	pub(crate) fn push(asset: AssetId, to: &T::AccountId, amount: Balance) -> DispatchResult {
		let pallet = Self::account_id();
		custody::pay_out::<_, T::Assets>(asset, &pallet, to, amount, Preservation::Preserve)
			.map(|_| ())
	}

	/// Supplies `amount` of `payer`'s tokens for shares credited to `who` (see
	/// [`Pallet::supply`] and [`Pallet::supply_for`]); the first supply of a market keeps the
	/// asset's minimum balance as the market's seed. Supplying for another account needs it to
	/// be in the market already (`BeneficiaryNotInMarket`), so nobody can fill another's market
	/// slots. In a permissioned pool's market both the payer and `who` need the pool's
	/// credential (`NotMember`).
	pub(crate) fn do_supply(
		payer: &T::AccountId,
		who: &T::AccountId,
		asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(
			payer == who || !Self::position_of(who, asset).is_empty(),
			Error::<T>::BeneficiaryNotInMarket
		);
		let mut market = Self::accrue_market(asset)?;
		ensure!(market.status == MarketStatus::Active, Error::<T>::MarketNotActive);
		Self::ensure_member(&market, payer)?;
		if payer != who {
			Self::ensure_member(&market, who)?;
		}
		let dust = Self::dust_limit(asset);
		let seed = custody::seed_due(!market.seed.is_zero(), amount, dust);
		ensure!(amount >= seed.saturating_add(dust), Error::<T>::Dust);
		let supply_after = market.total_supply()?.saturating_add(amount);
		ensure!(supply_after <= market.params.supply_cap, Error::<T>::SupplyCapExceeded);

		let received = Self::pull(asset, payer, amount)?;
		let credited = received.saturating_sub(seed);
		let shares = market.shares_for_supply(credited)?;
		ensure!(!shares.is_zero(), Error::<T>::Dust);
		market.seed = market.seed.saturating_add(seed);
		market.cash = market.cash.checked_add(credited).ok_or(ArithmeticError::Overflow)?;
		market.total_shares =
			market.total_shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		Markets::<T>::insert(asset, market);

		let mut position = Self::supply_of(who, asset)
			.unwrap_or(SupplyPosition { shares: 0, collateral: market.params.is_collateral() });
		position.shares = position.shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		Self::put_supply(who, asset, Some(position))?;

		Self::deposit_event(Event::Supplied { who: who.clone(), asset, amount: credited, shares });
		Ok(())
	}

	/// Burns shares for `amount` or for the whole supply (see [`Pallet::withdraw`]); returns the
	/// amount paid out.
	pub(crate) fn do_withdraw(
		who: &T::AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError> {
		let mut market = Self::accrue_market(asset)?;
		ensure!(market.status != MarketStatus::Frozen, Error::<T>::MarketFrozen);
		let mut position = Self::supply_of(who, asset).ok_or(Error::<T>::NoSupply)?;
		let (amount, shares) = match amount {
			AmountOrAll::All => (market.value_of_shares(position.shares)?, position.shares),
			AmountOrAll::Amount(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
				ensure!(amount >= Self::dust_limit(asset), Error::<T>::Dust);
				(amount, market.shares_for_withdrawal(amount)?)
			},
		};
		ensure!(shares <= position.shares, Error::<T>::InsufficientSupply);
		ensure!(amount <= market.cash, Error::<T>::NotEnoughCash);
		position.shares = position.shares.saturating_sub(shares);
		market.cash = market.cash.saturating_sub(amount);
		market.total_shares = market.total_shares.saturating_sub(shares);
		let left = market.value_of_shares(position.shares)?;
		ensure!(left.is_zero() || left >= Self::dust_limit(asset), Error::<T>::Dust);
		Markets::<T>::insert(asset, market);
		Self::put_supply(who, asset, Some(position))?;
		if position.collateral {
			Self::ensure_within_borrow_limit(who)?;
		}

		Self::push(asset, who, amount)?;
		Self::deposit_event(Event::Withdrawn { who: who.clone(), asset, amount, shares });
		Ok(amount)
	}

	/// Lends `amount` within the borrow limit (see [`Pallet::borrow`]); in a permissioned
	/// pool's market only to a holder of its credential (`NotMember`).
	pub(crate) fn do_borrow(who: &T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::accrue_market(asset)?;
		ensure!(market.status == MarketStatus::Active, Error::<T>::MarketNotActive);
		Self::ensure_member(&market, who)?;
		ensure!(amount >= Self::dust_limit(asset), Error::<T>::Dust);
		ensure!(amount <= market.cash, Error::<T>::NotEnoughCash);
		let borrows_after = market.total_borrows()?.saturating_add(amount);
		ensure!(borrows_after <= market.params.borrow_cap, Error::<T>::BorrowCapExceeded);

		let scaled = market.scaled_for_borrow(amount)?;
		let owed = Self::scaled_debt_of(who, asset);
		let scaled_debt =
			owed.unwrap_or_default().checked_add(scaled).ok_or(ArithmeticError::Overflow)?;
		ensure!(market.debt_of(scaled_debt)? >= market.params.min_debt, Error::<T>::BelowMinDebt);
		market.scaled_borrows =
			market.scaled_borrows.checked_add(scaled).ok_or(ArithmeticError::Overflow)?;
		market.cash = market.cash.saturating_sub(amount);
		Markets::<T>::insert(asset, market);
		Self::put_scaled_debt(who, asset, Some(scaled_debt))?;
		let debt_value = Self::ensure_within_borrow_limit(who)?;
		Self::note_borrow(who, debt_value);

		Self::push(asset, who, amount)?;
		Self::deposit_event(Event::Borrowed { who: who.clone(), asset, amount });
		Ok(())
	}

	/// Repays `amount` (at most the debt) or the whole of `who`'s debt with `payer`'s tokens (see
	/// [`Pallet::repay`] and [`Pallet::repay_for`]); returns the amount repaid.
	pub(crate) fn do_repay(
		payer: &T::AccountId,
		who: &T::AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError> {
		let market = Self::accrue_market(asset)?;
		ensure!(market.status != MarketStatus::Frozen, Error::<T>::MarketFrozen);
		let scaled_debt = Self::scaled_debt_of(who, asset).ok_or(Error::<T>::NoDebt)?;
		let debt = market.debt_of(scaled_debt)?;
		let amount = match amount {
			AmountOrAll::All => debt,
			AmountOrAll::Amount(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
				amount.min(debt)
			},
		};
		let decimals = market.decimals;
		let (repaid, remaining) =
			Self::reduce_debt(who, asset, market, scaled_debt, amount, payer, false)?;
		Self::deposit_event(Event::Repaid { who: who.clone(), asset, amount: repaid, remaining });
		Self::note_repayment(who, asset, repaid, decimals);
		Ok(repaid)
	}

	/// Takes `amount` (at most the debt) from `payer` and removes the matching scaled debt of
	/// `who` in the market of `asset`; returns what was repaid and the debt left. Paying the
	/// whole debt clears it; a partial payment removes scaled debt rounded down and must leave at
	/// least the dust limit and the market's minimum debt, unless `by_liquidator` (what a liquidation leaves is liquidated or
	/// written off in turn). Anything pallet-assets sweeps in beyond the debt goes to reserves.
	pub(crate) fn reduce_debt(
		who: &T::AccountId,
		asset: AssetId,
		mut market: Market,
		scaled_debt: Balance,
		amount: Balance,
		payer: &T::AccountId,
		by_liquidator: bool,
	) -> Result<(Balance, Balance), DispatchError> {
		let debt = market.debt_of(scaled_debt)?;
		let (scaled_repaid, remaining) = if amount >= debt {
			(scaled_debt, 0)
		} else {
			let scaled_repaid = market.scaled_for_repay(amount)?;
			ensure!(!scaled_repaid.is_zero(), Error::<T>::Dust);
			let remaining = market.debt_of(scaled_debt.saturating_sub(scaled_repaid))?;
			ensure!(by_liquidator || remaining >= Self::dust_limit(asset), Error::<T>::Dust);
			ensure!(by_liquidator || remaining >= market.params.min_debt, Error::<T>::BelowMinDebt);
			(scaled_repaid, remaining)
		};
		let amount = amount.min(debt);
		let received = Self::pull(asset, payer, amount)?;
		market.reserves = market
			.reserves
			.checked_add(received.saturating_sub(amount))
			.ok_or(ArithmeticError::Overflow)?;
		market.cash = market.cash.checked_add(received).ok_or(ArithmeticError::Overflow)?;
		market.scaled_borrows = market.scaled_borrows.saturating_sub(scaled_repaid);
		Markets::<T>::insert(asset, market);
		Self::put_scaled_debt(who, asset, Some(scaled_debt.saturating_sub(scaled_repaid)))?;
		Ok((amount, remaining))
	}

	/// Enables or disables a supply as collateral (see [`Pallet::enable_collateral`]); enabling
	/// one in a permissioned pool's market needs its credential (`NotMember`), disabling never
	/// does.
	pub(crate) fn do_set_collateral(
		who: &T::AccountId,
		asset: AssetId,
		enable: bool,
	) -> DispatchResult {
		let market = Self::accrue_market(asset)?;
		ensure!(market.status != MarketStatus::Frozen, Error::<T>::MarketFrozen);
		let mut position = Self::supply_of(who, asset).ok_or(Error::<T>::NoSupply)?;
		if enable {
			Self::ensure_member(&market, who)?;
			ensure!(market.params.is_collateral(), Error::<T>::NotCollateralAsset);
			ensure!(!position.collateral, Error::<T>::CollateralAlreadyEnabled);
		} else {
			ensure!(position.collateral, Error::<T>::CollateralNotEnabled);
		}
		position.collateral = enable;
		Self::put_supply(who, asset, Some(position))?;
		if enable {
			Self::deposit_event(Event::CollateralEnabled { who: who.clone(), asset });
		} else {
			Self::ensure_within_borrow_limit(who)?;
			Self::deposit_event(Event::CollateralDisabled { who: who.clone(), asset });
		}
		Ok(())
	}
}
