//! Swaps anchored to the oracle: every swap leverage makes is quoted first, and refused when the
//! AMM would pay less than the oracle value of what it is given by more than the caller's
//! slippage (itself at most the governance cap). The swap then runs at exactly the quoted
//! price or fails, so nothing in between (a sandwiching trade) can make it worse.

use super::*;
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{fungibles::metadata::Inspect as InspectMetadata, Get},
};
use lever_primitives::{
	usd_value, OracleSwap, PriceProvider, RiskPrices, SwapQuote, VaultPositions, STABLE_PRICE,
};
use pallet_asset_conversion::{QuotePrice, Swap};
use sp_runtime::{
	traits::{Saturating, Zero},
	ArithmeticError, DispatchError, DispatchResult, FixedU128, PerThing, Permill, Rounding,
};

impl<T: Config> Pallet<T> {
	/// Fails unless `max_slippage` is within the governance cap.
	pub(crate) fn ensure_slippage_allowed(max_slippage: Permill) -> Result<(), DispatchError> {
		ensure!(max_slippage <= SlippageCap::<T>::get(), Error::<T>::SlippageAboveCap);
		Ok(())
	}

	/// The asset's fresh oracle price, USD per whole token; lvUSD at [`STABLE_PRICE`], as the
	/// vaults value it.
	pub(crate) fn price(asset: AssetId) -> Result<FixedU128, DispatchError> {
		if asset == T::Vaults::stable_asset() {
			return Ok(STABLE_PRICE);
		}
		T::Prices::fresh_value(asset, Error::<T>::PriceUnknown, Error::<T>::PriceStale)
	}

	/// The asset's fresh prices for an action that adds risk, USD per whole token: what the
	/// vaults and the pools check a mint, a borrow or a withdrawal at (the lower of the
	/// confirmed and a held price as collateral, the higher as debt); lvUSD at
	/// [`STABLE_PRICE`] on both sides.
	pub(crate) fn risk_prices(asset: AssetId) -> Result<RiskPrices, DispatchError> {
		if asset == T::Vaults::stable_asset() {
			return Ok(RiskPrices::at(STABLE_PRICE));
		}
		T::Prices::fresh_risk_prices(asset, Error::<T>::PriceUnknown, Error::<T>::PriceStale)
	}

	/// `amount` of `asset` in USD at its fresh oracle price.
	pub(crate) fn value(asset: AssetId, amount: Balance) -> Result<FixedU128, DispatchError> {
		let price = Self::price(asset)?;
		usd_value(amount, T::Assets::decimals(asset), price)
			.ok_or_else(|| ArithmeticError::Overflow.into())
	}

	/// How much less `amount_out` of `asset_out` is worth than `amount_in` of `asset_in` at
	/// oracle prices, as a share of the input's value rounded up; zero when it is worth more.
	pub fn price_impact(
		asset_in: AssetId,
		amount_in: Balance,
		asset_out: AssetId,
		amount_out: Balance,
	) -> Result<Permill, DispatchError> {
		let value_in = Self::value(asset_in, amount_in)?;
		let value_out = Self::value(asset_out, amount_out)?;
		ensure!(!value_in.is_zero(), Error::<T>::SwapTooSmall);
		if value_out >= value_in {
			return Ok(Permill::zero());
		}
		let shortfall = value_in.saturating_sub(value_out);
		Permill::from_rational_with_rounding(
			shortfall.into_inner(),
			value_in.into_inner(),
			Rounding::Up,
		)
		.map_err(|_| ArithmeticError::Overflow.into())
	}

	/// What buying exactly `amount_out` of `to` with `from` costs in the AMM pool of the pair
	/// now, and its price impact against the oracle (one-click leverage swaps in one pool, as
	/// its calls are benchmarked). Fails with `NoPool` when the pool is missing or not deep
	/// enough, and with `SlippageExceeded` when the impact is above `max_slippage`.
	pub fn quote_exact_out(
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_slippage: Permill,
	) -> Result<SwapOutcome, DispatchError> {
		Self::quote_in_pools(from, to, amount_out, max_slippage, false)
	}

	/// As [`Self::quote_exact_out`], and when the pair has no pool deep enough, through the
	/// routing asset ([`Config::SwapHub`]): two pools, whose two fees the impact includes. The
	/// liquidation engine's sales go this way.
	pub fn quote_exact_out_via_hub(
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_slippage: Permill,
	) -> Result<SwapOutcome, DispatchError> {
		Self::quote_in_pools(from, to, amount_out, max_slippage, true)
	}

	/// The quote of [`Self::quote_exact_out`], through the routing asset too if `via_hub`.
	fn quote_in_pools(
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_slippage: Permill,
		via_hub: bool,
	) -> Result<SwapOutcome, DispatchError> {
		let quote = |from: AssetId, to: AssetId, amount_out| {
			T::Amm::quote_price_tokens_for_exact_tokens(from.into(), to.into(), amount_out, true)
		};
		let (amount_in, via) = match quote(from, to, amount_out) {
			Some(amount_in) => (amount_in, None),
			None => {
				let hub = via_hub
					.then(|| Self::hub_between(from, to))
					.flatten()
					.ok_or(Error::<T>::NoPool)?;
				let middle = quote(hub, to, amount_out).ok_or(Error::<T>::NoPool)?;
				(quote(from, hub, middle).ok_or(Error::<T>::NoPool)?, Some(hub))
			},
		};
		let price_impact = Self::price_impact(from, amount_in, to, amount_out)?;
		ensure!(price_impact <= max_slippage, Error::<T>::SlippageExceeded);
		Ok(SwapOutcome { amount_in, amount_out, price_impact, via })
	}

	/// The routing asset, unless it is one of the pair (a swap through it would be a swap in
	/// one pool) or the runtime has none.
	fn hub_between(from: AssetId, to: AssetId) -> Option<AssetId> {
		T::SwapHub::get().filter(|hub| *hub != from && *hub != to)
	}

	/// Whether the AMM has a pool of the pair with both sides funded: one unit of one side buys
	/// at least a unit of the other, in whichever direction the price is above one.
	fn has_pool(first: AssetId, second: AssetId) -> bool {
		let buys = |from: AssetId, to: AssetId| {
			T::Amm::quote_price_exact_tokens_for_tokens(from.into(), to.into(), 1, false).is_some()
		};
		buys(first, second) || buys(second, first)
	}

	/// Buys exactly `quote.amount_out` of `to` for `who` with at most `quote.amount_in` of
	/// `from` (the price [`Self::quote_exact_out`] checked), or fails.
	pub(crate) fn swap_exact_out(
		who: &T::AccountId,
		from: AssetId,
		to: AssetId,
		quote: &SwapOutcome,
	) -> Result<(), DispatchError> {
		Self::swap_at(
			who,
			&SwapQuote {
				from,
				to,
				amount_in: quote.amount_in,
				amount_out: quote.amount_out,
				via: quote.via,
			},
		)
	}

	/// Makes the purchase `quote` for `who`: exactly its `amount_out` for at most its
	/// `amount_in`, or fails.
	fn swap_at(who: &T::AccountId, quote: &SwapQuote) -> Result<(), DispatchError> {
		ensure!(!quote.amount_out.is_zero(), Error::<T>::SwapTooSmall);
		let path = match quote.via {
			Some(hub) => alloc::vec![quote.from.into(), hub.into(), quote.to.into()],
			None => alloc::vec![quote.from.into(), quote.to.into()],
		};
		T::Amm::swap_tokens_for_exact_tokens(
			who.clone(),
			path,
			quote.amount_out,
			Some(quote.amount_in),
			who.clone(),
			false,
		)?;
		Ok(())
	}
}

/// The liquidation engine's AMM route: the same oracle check as a trader's swap, at the cap the
/// engine sets for itself (the traders' cap plays no part).
impl<T: Config> OracleSwap<T::AccountId> for Pallet<T> {
	fn buy_exact(
		who: &T::AccountId,
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_in: Balance,
		max_slippage: Permill,
	) -> Result<Balance, DispatchError> {
		with_storage_layer(|| {
			let quote = Self::quote_exact_out_via_hub(from, to, amount_out, max_slippage)?;
			ensure!(quote.amount_in <= max_in, Error::<T>::SwapCostsTooMuch);
			Self::swap_exact_out(who, from, to, &quote)?;
			Ok(quote.amount_in)
		})
	}

	fn quote_buy(
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_slippage: Permill,
	) -> Result<SwapQuote, DispatchError> {
		let quote = Self::quote_exact_out_via_hub(from, to, amount_out, max_slippage)?;
		Ok(SwapQuote {
			from,
			to,
			amount_in: quote.amount_in,
			amount_out: quote.amount_out,
			via: quote.via,
		})
	}

	fn buy_quoted(who: &T::AccountId, quote: &SwapQuote) -> DispatchResult {
		with_storage_layer(|| Self::swap_at(who, quote))
	}

	fn can_swap(from: AssetId, to: AssetId) -> bool {
		Self::has_pool(from, to)
			|| Self::hub_between(from, to)
				.is_some_and(|hub| Self::has_pool(from, hub) && Self::has_pool(hub, to))
	}
}
