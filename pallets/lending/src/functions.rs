//! What the calls do, the health checks, the runtime API's readers and the invariants.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::Preservation,
		Get,
	},
};
use lever_primitives::{usd_value, PriceError, PriceProvider};
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	ArithmeticError, DispatchError, FixedPointNumber, FixedU128,
};

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
	/// The market of `asset`, or `UnknownMarket`.
	pub(crate) fn market(asset: AssetId) -> Result<Market, Error<T>> {
		Markets::<T>::get(asset).ok_or(Error::<T>::UnknownMarket)
	}

	/// The market of `asset` with interest accrued to now and written back.
	pub(crate) fn accrue_market(asset: AssetId) -> Result<Market, DispatchError> {
		let mut market = Self::market(asset)?;
		market.accrue(Self::now())?;
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
		let pallet = Self::account_id();
		let before = T::Assets::balance(asset, &pallet);
		T::Assets::transfer(asset, from, &pallet, amount, Preservation::Expendable)?;
		Ok(T::Assets::balance(asset, &pallet).saturating_sub(before))
	}

	/// Pays `amount` out of the pallet; the market's seed keeps its account alive.
	pub(crate) fn push(asset: AssetId, to: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Assets::transfer(asset, &Self::account_id(), to, amount, Preservation::Preserve)?;
		Ok(())
	}

	/// Records that `who` is in the market of `asset`, if it is not yet.
	pub(crate) fn enter_market(who: &T::AccountId, asset: AssetId) -> DispatchResult {
		let entered =
			AccountMarkets::<T>::try_mutate(who, |markets| match markets.binary_search(&asset) {
				Ok(_) => Ok(false),
				Err(index) => markets
					.try_insert(index, asset)
					.map(|_| true)
					.map_err(|_| DispatchError::from(Error::<T>::TooManyAccountMarkets)),
			})?;
		if entered {
			Self::exposure_changed(who, asset, true);
		}
		Ok(())
	}

	/// Forgets that `who` is in the market of `asset` once it neither supplies nor owes there.
	pub(crate) fn leave_market_if_empty(who: &T::AccountId, asset: AssetId) {
		if Supplies::<T>::contains_key(asset, who) || Borrows::<T>::contains_key(asset, who) {
			return;
		}
		AccountMarkets::<T>::mutate_exists(who, |maybe_markets| {
			if let Some(markets) = maybe_markets {
				markets.retain(|market| *market != asset);
				if markets.is_empty() {
					*maybe_markets = None;
				}
			}
		});
		Self::exposure_changed(who, asset, false);
	}

	/// Supplies `amount` for shares (see [`Pallet::supply`]); the first supply of a market keeps
	/// the asset's minimum balance as the market's seed.
	pub(crate) fn do_supply(who: &T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::accrue_market(asset)?;
		ensure!(market.status == MarketStatus::Active, Error::<T>::MarketNotActive);
		let dust = Self::dust_limit(asset);
		let seed = if market.seed.is_zero() { dust } else { 0 };
		ensure!(amount >= seed.saturating_add(dust), Error::<T>::Dust);
		let supply_after = market.total_supply()?.saturating_add(amount);
		ensure!(supply_after <= market.params.supply_cap, Error::<T>::SupplyCapExceeded);

		let received = Self::pull(asset, who, amount)?;
		let credited = received.saturating_sub(seed);
		let shares = market.shares_for_supply(credited)?;
		ensure!(!shares.is_zero(), Error::<T>::Dust);
		market.seed = market.seed.saturating_add(seed);
		market.cash = market.cash.checked_add(credited).ok_or(ArithmeticError::Overflow)?;
		market.total_shares =
			market.total_shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		Markets::<T>::insert(asset, market);

		Self::enter_market(who, asset)?;
		let mut position = Supplies::<T>::get(asset, who)
			.unwrap_or(SupplyPosition { shares: 0, collateral: market.params.is_collateral() });
		position.shares = position.shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		Supplies::<T>::insert(asset, who, position);

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
		let mut position = Supplies::<T>::get(asset, who).ok_or(Error::<T>::NoSupply)?;
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
		if position.shares.is_zero() {
			Supplies::<T>::remove(asset, who);
			Self::leave_market_if_empty(who, asset);
		} else {
			Supplies::<T>::insert(asset, who, position);
		}
		if position.collateral {
			Self::ensure_within_borrow_limit(who)?;
		}

		Self::push(asset, who, amount)?;
		Self::deposit_event(Event::Withdrawn { who: who.clone(), asset, amount, shares });
		Ok(amount)
	}

	/// Lends `amount` within the borrow limit (see [`Pallet::borrow`]).
	pub(crate) fn do_borrow(who: &T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::accrue_market(asset)?;
		ensure!(market.status == MarketStatus::Active, Error::<T>::MarketNotActive);
		ensure!(amount >= Self::dust_limit(asset), Error::<T>::Dust);
		ensure!(amount <= market.cash, Error::<T>::NotEnoughCash);
		let borrows_after = market.total_borrows()?.saturating_add(amount);
		ensure!(borrows_after <= market.params.borrow_cap, Error::<T>::BorrowCapExceeded);

		let scaled = market.scaled_for_borrow(amount)?;
		let owed = Borrows::<T>::get(asset, who);
		let scaled_debt =
			owed.unwrap_or_default().checked_add(scaled).ok_or(ArithmeticError::Overflow)?;
		ensure!(market.debt_of(scaled_debt)? >= market.params.min_debt, Error::<T>::BelowMinDebt);
		market.scaled_borrows =
			market.scaled_borrows.checked_add(scaled).ok_or(ArithmeticError::Overflow)?;
		market.cash = market.cash.saturating_sub(amount);
		Markets::<T>::insert(asset, market);
		Self::enter_market(who, asset)?;
		Borrows::<T>::insert(asset, who, scaled_debt);
		if owed.is_none() {
			Self::debt_opened(who);
		}
		Self::ensure_within_borrow_limit(who)?;

		Self::push(asset, who, amount)?;
		Self::deposit_event(Event::Borrowed { who: who.clone(), asset, amount });
		Ok(())
	}

	/// Repays `amount` (at most the debt) or the whole debt (see [`Pallet::repay`]); returns the
	/// amount repaid.
	pub(crate) fn do_repay(
		who: &T::AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError> {
		let market = Self::accrue_market(asset)?;
		ensure!(market.status != MarketStatus::Frozen, Error::<T>::MarketFrozen);
		let scaled_debt = Borrows::<T>::get(asset, who).ok_or(Error::<T>::NoDebt)?;
		let debt = market.debt_of(scaled_debt)?;
		let amount = match amount {
			AmountOrAll::All => debt,
			AmountOrAll::Amount(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
				amount.min(debt)
			},
		};
		let (repaid, remaining) =
			Self::reduce_debt(who, asset, market, scaled_debt, amount, who, false)?;
		Self::deposit_event(Event::Repaid { who: who.clone(), asset, amount: repaid, remaining });
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
		let scaled_left = scaled_debt.saturating_sub(scaled_repaid);
		if scaled_left.is_zero() {
			Borrows::<T>::remove(asset, who);
			Self::debt_closed(who);
			Self::leave_market_if_empty(who, asset);
		} else {
			Borrows::<T>::insert(asset, who, scaled_left);
		}
		Ok((amount, remaining))
	}

	/// Enables or disables a supply as collateral (see [`Pallet::enable_collateral`]).
	pub(crate) fn do_set_collateral(
		who: &T::AccountId,
		asset: AssetId,
		enable: bool,
	) -> DispatchResult {
		let market = Self::accrue_market(asset)?;
		ensure!(market.status != MarketStatus::Frozen, Error::<T>::MarketFrozen);
		let mut position = Supplies::<T>::get(asset, who).ok_or(Error::<T>::NoSupply)?;
		if enable {
			ensure!(market.params.is_collateral(), Error::<T>::NotCollateralAsset);
			ensure!(!position.collateral, Error::<T>::CollateralAlreadyEnabled);
		} else {
			ensure!(position.collateral, Error::<T>::CollateralNotEnabled);
		}
		position.collateral = enable;
		Supplies::<T>::insert(asset, who, position);
		if enable {
			Self::deposit_event(Event::CollateralEnabled { who: who.clone(), asset });
		} else {
			Self::ensure_within_borrow_limit(who)?;
			Self::deposit_event(Event::CollateralDisabled { who: who.clone(), asset });
		}
		Ok(())
	}

	/// Opens a market at `now` (the genesis build passes zero: the clock is not set yet, and a
	/// market without borrows accrues nothing until its first touch).
	pub(crate) fn do_create_market(
		asset: AssetId,
		params: MarketParams,
		now: Moment,
	) -> DispatchResult {
		ensure!(!Markets::<T>::contains_key(asset), Error::<T>::MarketExists);
		ensure!(Self::asset_exists(asset), Error::<T>::UnknownAsset);
		ensure!(Markets::<T>::count() < T::MaxMarkets::get(), Error::<T>::TooManyMarkets);
		Self::ensure_valid(&params)?;
		let pallet = Self::account_id();
		if !frame_system::Pallet::<T>::account_exists(&pallet) {
			frame_system::Pallet::<T>::inc_providers(&pallet);
		}
		Markets::<T>::insert(asset, Market::new(params, Self::asset_decimals(asset), now));
		Self::deposit_event(Event::MarketCreated { asset, params });
		Ok(())
	}

	/// Replaces a market's parameters; a lowered liquidation threshold starts a ramp from the
	/// threshold in force now.
	pub(crate) fn do_set_market_params(asset: AssetId, params: MarketParams) -> DispatchResult {
		let mut market = Self::accrue_market(asset)?;
		Self::ensure_valid(&params)?;
		ensure!(
			market.total_shares <= params.supply_cap && market.scaled_borrows <= params.borrow_cap,
			Error::<T>::CapBelowUsage
		);
		let now = Self::now();
		let threshold_now = market.liquidation_threshold_at(now);
		market.threshold_ramp =
			(params.liquidation_threshold < threshold_now).then(|| ThresholdRamp {
				from: threshold_now,
				start: now,
				end: now.saturating_add(T::ThresholdRampPeriod::get()),
			});
		market.params = params;
		Markets::<T>::insert(asset, market);
		let ramp_until = market.threshold_ramp.map(|ramp| ramp.end);
		Self::deposit_event(Event::MarketParamsSet { asset, params, ramp_until });
		Ok(())
	}

	/// Sets what a market allows.
	pub(crate) fn do_set_market_status(asset: AssetId, status: MarketStatus) -> DispatchResult {
		let mut market = Self::accrue_market(asset)?;
		market.status = status;
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::MarketStatusSet { asset, status });
		Ok(())
	}

	/// Pays `amount` of a market's reserves, out of its cash, to the treasury.
	pub(crate) fn do_transfer_reserves(asset: AssetId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut market = Self::accrue_market(asset)?;
		ensure!(amount <= market.reserves, Error::<T>::NotEnoughReserves);
		ensure!(amount <= market.cash, Error::<T>::NotEnoughCash);
		market.reserves = market.reserves.saturating_sub(amount);
		market.cash = market.cash.saturating_sub(amount);
		Markets::<T>::insert(asset, market);
		let to = T::Treasury::get();
		Self::push(asset, &to, amount)?;
		Self::deposit_event(Event::ReservesTransferred { asset, amount, to });
		Ok(())
	}

	/// Checks parameters before they are stored.
	fn ensure_valid(params: &MarketParams) -> DispatchResult {
		ensure!(params.rate_model.is_valid(), Error::<T>::InvalidRateModel);
		ensure!(params.is_valid(), Error::<T>::InvalidRiskParams);
		Ok(())
	}

	/// The account's position in each of its markets, every market accrued to now in memory.
	pub(crate) fn positions(who: &T::AccountId) -> Result<Vec<PositionInMarket>, ArithmeticError> {
		let now = Self::now();
		AccountMarkets::<T>::get(who)
			.into_iter()
			.filter_map(|asset| Markets::<T>::get(asset).map(|market| (asset, market)))
			.map(|(asset, market)| {
				Ok(PositionInMarket {
					asset,
					market: market.accrued(now)?,
					supply: Supplies::<T>::get(asset, who).unwrap_or_default(),
					scaled_debt: Borrows::<T>::get(asset, who).unwrap_or_default(),
				})
			})
			.collect()
	}

	/// Values positions at oracle prices as `valuation` says; only collateral and debt need a
	/// price.
	pub(crate) fn value_positions(
		positions: &[PositionInMarket],
		valuation: Valuation,
	) -> Result<AccountLiquidity, ValuationError> {
		let now = Self::now();
		let mut liquidity = AccountLiquidity::default();
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
			liquidity.collateral_value = add(liquidity.collateral_value, collateral_value)?;
			liquidity.borrow_limit = add(
				liquidity.borrow_limit,
				collateral_value
					.saturating_mul(FixedU128::from(position.market.params.collateral_factor)),
			)?;
			liquidity.liquidation_limit = add(
				liquidity.liquidation_limit,
				collateral_value.saturating_mul(threshold.into()),
			)?;
			liquidity.debt_value = add(liquidity.debt_value, value(debt, debt_price)?)?;
		}
		Ok(liquidity)
	}

	/// The account valued at fresh confirmed prices with interest accrued to now.
	pub fn account_liquidity(who: &T::AccountId) -> Result<AccountLiquidity, ValuationError> {
		let positions = Self::positions(who).map_err(|_| ValuationError::Overflow)?;
		Self::value_positions(&positions, Valuation::Confirmed)
	}

	/// The account valued to decide whether it is liquidatable ([`Valuation::Liquidation`]):
	/// at fresh confirmed prices, and every stale one in its owner's favour, so a stale price
	/// never makes an account liquidatable and never hides a shortfall fresh prices prove.
	pub fn liquidation_liquidity(who: &T::AccountId) -> Result<AccountLiquidity, ValuationError> {
		let positions = Self::positions(who).map_err(|_| ValuationError::Overflow)?;
		Self::value_positions(&positions, Valuation::Liquidation)
	}

	/// Fails unless the account's debt is within its borrow limit at the prices for actions
	/// that add risk ([`Valuation::AddsRisk`]). An account without debt passes without prices:
	/// it has nothing to secure.
	pub(crate) fn ensure_within_borrow_limit(who: &T::AccountId) -> DispatchResult {
		let positions = Self::positions(who)?;
		if positions.iter().all(|position| position.scaled_debt.is_zero()) {
			return Ok(());
		}
		let liquidity = Self::value_positions(&positions, Valuation::AddsRisk)
			.map_err(Self::valuation_error)?;
		ensure!(liquidity.within_borrow_limit(), Error::<T>::InsufficientCollateral);
		Ok(())
	}

	/// The pallet error for a valuation that failed.
	pub(crate) fn valuation_error(error: ValuationError) -> DispatchError {
		match error {
			ValuationError::PriceUnknown(_) => Error::<T>::PriceUnknown.into(),
			ValuationError::PriceStale(_) => Error::<T>::PriceStale.into(),
			ValuationError::Overflow => ArithmeticError::Overflow.into(),
		}
	}

	/// Every market as the runtime API reports it, accrued to now.
	pub fn market_infos() -> Vec<MarketInfo> {
		let now = Self::now();
		Markets::<T>::iter()
			.filter_map(|(asset, market)| Self::market_info(asset, market.accrued(now).ok()?, now))
			.collect()
	}

	/// One market as the runtime API reports it.
	fn market_info(asset: AssetId, market: Market, now: Moment) -> Option<MarketInfo> {
		let borrow_rate = market.yearly_borrow_rate().ok()?;
		let supply_rate = market.yearly_supply_rate().ok()?;
		Some(MarketInfo {
			asset,
			status: market.status,
			params: market.params,
			liquidation_threshold: market.liquidation_threshold_at(now),
			decimals: market.decimals,
			total_supply: market.total_supply().ok()?,
			total_borrows: market.total_borrows().ok()?,
			cash: market.cash,
			reserves: market.reserves,
			utilization: market.utilization().ok()?,
			borrow_apy: compounded_yearly(borrow_rate),
			supply_apy: compounded_yearly(supply_rate),
			exchange_rate: market.exchange_rate().ok()?,
			borrow_index: market.borrow_index,
		})
	}

	/// An account's positions and health as the runtime API reports them, accrued to now.
	pub fn account_position(who: &T::AccountId) -> AccountPosition {
		let positions = Self::positions(who).unwrap_or_default();
		let markets = positions
			.iter()
			.map(|position| MarketPosition {
				asset: position.asset,
				supplied: position
					.market
					.value_of_shares(position.supply.shares)
					.unwrap_or_default(),
				shares: position.supply.shares,
				collateral: position.supply.collateral,
				borrowed: position.market.debt_of(position.scaled_debt).unwrap_or_default(),
			})
			.collect();
		let liquidity = Self::value_positions(&positions, Valuation::Confirmed);
		let health_factor = liquidity.as_ref().ok().and_then(AccountLiquidity::health_factor);
		AccountPosition { markets, liquidity, health_factor }
	}

	/// The invariants, checked after every test block:
	/// - Σ account shares = total shares; Σ account debts ≤ total borrows + one unit of rounding
	///   per borrower, and Σ scaled debts = scaled borrows;
	/// - shares × exchange rate ≤ cash + borrows − reserves (the rate rounds in the protocol's
	///   favour) and reserves ≤ cash + borrows;
	/// - borrow index ≥ 1, and exchange rate ≥ 1 unless a write-off recorded bad debt in the market;
	/// - total shares ≤ supply cap and scaled borrows ≤ borrow cap: caps net of accrued
	///   interest, which a cap cannot stop (and cannot be set below);
	/// - the pallet's account holds exactly each market's cash plus its seed;
	/// - every position's market is in its account's market list, and the lists are sorted and
	///   hold only markets the account is in.
	/// - [`Debtors`] and [`Exposures`] index exactly the accounts with debt and their markets;
	/// - every open book ([`Books`]) owes: one that owes nothing has been closed.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::traits::One;
		let pallet = Self::account_id();
		for (asset, market) in Markets::<T>::iter() {
			let shares: Balance = Supplies::<T>::iter_prefix_values(asset)
				.map(|position| position.shares)
				.fold(0, |sum, shares| sum.saturating_add(shares));
			ensure!(shares == market.total_shares, "Σ shares differs from total shares");
			let mut scaled: Balance = 0;
			let mut debts: Balance = 0;
			let mut borrowers: Balance = 0;
			for (_, scaled_debt) in Borrows::<T>::iter_prefix(asset) {
				scaled = scaled.saturating_add(scaled_debt);
				debts = debts.saturating_add(market.debt_of(scaled_debt)?);
				borrowers = borrowers.saturating_add(1);
			}
			ensure!(scaled == market.scaled_borrows, "Σ scaled debts differs from scaled borrows");
			ensure!(
				debts <= market.total_borrows()?.saturating_add(borrowers),
				"Σ debts exceeds total borrows beyond rounding"
			);
			let supply = market.total_supply().map_err(|_| "reserves exceed cash + borrows")?;
			let rate = market.exchange_rate()?;
			ensure!(
				rate.saturating_mul_int(market.total_shares) <= supply,
				"shares are worth more than the suppliers' assets"
			);
			ensure!(market.borrow_index >= FixedU128::one(), "borrow index below one");
			ensure!(
				rate >= FixedU128::one() || BadDebt::<T>::get(asset) != 0,
				"exchange rate below one without bad debt"
			);
			ensure!(market.total_shares <= market.params.supply_cap, "supply cap exceeded");
			ensure!(market.scaled_borrows <= market.params.borrow_cap, "borrow cap exceeded");
			ensure!(
				T::Assets::balance(asset, &pallet) == market.cash.saturating_add(market.seed),
				"the pallet's account does not hold exactly the market's cash and seed"
			);
		}
		for (who, markets) in AccountMarkets::<T>::iter() {
			ensure!(
				markets.windows(2).all(|pair| matches!(pair, [a, b] if a < b)),
				"account markets not sorted"
			);
			for asset in markets.iter() {
				ensure!(
					Supplies::<T>::contains_key(asset, &who)
						|| Borrows::<T>::contains_key(asset, &who),
					"account listed in a market it is not in"
				);
			}
		}
		for (asset, who, _) in Supplies::<T>::iter() {
			ensure!(
				AccountMarkets::<T>::get(&who).contains(&asset),
				"supply outside account markets"
			);
		}
		for (asset, who, _) in Borrows::<T>::iter() {
			ensure!(
				AccountMarkets::<T>::get(&who).contains(&asset),
				"debt outside account markets"
			);
		}
		for book in Books::<T>::iter_keys() {
			ensure!(Debtors::<T>::contains_key(&book), "a book that owes nothing is still open");
		}
		Self::check_exposures()
	}
}

/// `a + b`, or an overflow.
fn add(a: FixedU128, b: FixedU128) -> Result<FixedU128, ValuationError> {
	a.checked_add(&b).ok_or(ValuationError::Overflow)
}
