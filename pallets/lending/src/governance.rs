//! What governance sets: markets, their parameters and status, and the reserves it sends to the
//! treasury.

use super::*;
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use lever_primitives::{custody, GovernanceTier};
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
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
		custody::keep_account::<T>(&Self::account_id());
		Markets::<T>::insert(asset, Market::new(params, Self::asset_decimals(asset), now));
		Self::deposit_event(Event::MarketCreated { asset, params });
		Ok(())
	}

	/// Replaces a market's parameters; a lowered liquidation threshold starts a ramp from the
	/// threshold in force now. Fails with `RiskIncreasing` if `tier` may not make this change.
	pub(crate) fn do_set_market_params(
		tier: GovernanceTier,
		asset: AssetId,
		params: MarketParams,
	) -> DispatchResult {
		let mut market = Self::accrue_market(asset)?;
		ensure!(tier.allows(&market.params, &params), Error::<T>::RiskIncreasing);
		Self::ensure_valid(&params)?;
		let now = Clock::<T>::now_ms();
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

	/// Sets what a market allows. Fails with `RiskIncreasing` if `tier` may not make this change.
	pub(crate) fn do_set_market_status(
		tier: GovernanceTier,
		asset: AssetId,
		status: MarketStatus,
	) -> DispatchResult {
		let mut market = Self::accrue_market(asset)?;
		ensure!(tier.allows(&market.status, &status), Error::<T>::RiskIncreasing);
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
}
