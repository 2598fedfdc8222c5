//! The engine's AMM route: sells seized collateral for the debt on the chain's AMM, at no more
//! than the engine's own slippage cap against the oracle, set per collateral asset by
//! governance ([`AmmRoutes`], [`Config::DefaultAmmRoute`]) and disabled where it says so. The
//! AMM's cap for traders plays no part: the engine passes its own through [`OracleSwap`].

use super::*;
use frame_support::traits::Get;
use lever_primitives::OracleSwap;
use sp_runtime::{DispatchError, DispatchResult, Permill};

impl<T: Config> Pallet<T> {
	/// The engine's route for selling `asset` on the AMM.
	pub fn amm_route(asset: AssetId) -> AmmRoute {
		AmmRoutes::<T>::get(asset).unwrap_or_else(T::DefaultAmmRoute::get)
	}

	/// The slippage cap for selling `asset`, or `None` where the route is disabled.
	fn amm_cap(asset: AssetId) -> Option<Permill> {
		Self::amm_route(asset).max_slippage()
	}

	/// Whether the engine may sell `from` for `to` on the AMM: the route is enabled for `from`
	/// and the AMM has a way between them (a cheap check that says nothing of depth or price).
	pub(crate) fn can_sell(from: AssetId, to: AssetId) -> bool {
		Self::amm_cap(from).is_some() && T::Swaps::can_swap(from, to)
	}

	/// Buys exactly `amount_out` of `to` for the engine with at most `max_in` of `from`, within
	/// the route's cap; returns what it sold. Fails, and changes nothing, with
	/// `AmmRouteDisabled` where governance disabled the route, or with the AMM's error (no way,
	/// no fresh price, too shallow, past the cap).
	pub(crate) fn sell(
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_in: Balance,
	) -> Result<Balance, DispatchError> {
		let cap = Self::amm_cap(from).ok_or(Error::<T>::AmmRouteDisabled)?;
		T::Swaps::buy_exact(&Self::account_id(), from, to, amount_out, max_in, cap)
	}

	/// Sets the route for selling `asset` (governance).
	pub(crate) fn do_set_amm_route(asset: AssetId, route: AmmRoute) -> DispatchResult {
		frame_support::ensure!(route.is_valid(), Error::<T>::InvalidParams);
		AmmRoutes::<T>::insert(asset, route);
		Self::deposit_event(Event::AmmRouteSet { asset, route });
		Ok(())
	}
}
