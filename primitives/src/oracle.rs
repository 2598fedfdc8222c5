//! Prices: what the oracle gives the pallets that value positions, and what it asks of them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, FixedU128};

use crate::{AssetId, Moment};

/// Where an on-chain price came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum PriceSource {
	/// The median of the feeders' submissions in one round.
	Feeds,
	/// Set by governance in an emergency; replaced by the next aggregate unless the asset is frozen.
	Emergency,
}

/// An asset's price in USD per whole token, with when and how it was set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Price {
	/// USD per whole token (e.g. 7.5 for one DOT at $7.50).
	pub value: FixedU128,
	/// When the price was set, in milliseconds since the Unix epoch.
	pub updated_at: Moment,
	/// The oracle round that produced it.
	pub round: u32,
	/// Feeds or governance.
	pub source: PriceSource,
}

/// Why there is no usable price.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum PriceError {
	/// The asset has never been priced.
	Unknown,
	/// The last price is older than the oracle's maximum age (no quorum since): it must not be
	/// used for anything that adds risk.
	Stale,
}

/// The prices at which an action that adds risk values one asset, in USD per whole token: the
/// asset as collateral at `collateral`, as debt at `debt` (never below `collateral`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct RiskPrices {
	/// What the asset counts for as collateral: the lower of the fresh and the held price.
	pub collateral: FixedU128,
	/// What the asset counts for as debt: the higher of the fresh and the held price.
	pub debt: FixedU128,
}

impl RiskPrices {
	/// Both sides at one price: nothing held.
	pub fn at(value: FixedU128) -> Self {
		Self { collateral: value, debt: value }
	}

	/// The fresh price `current` against a held jump to `held`: collateral at the lower, debt at
	/// the higher of the two.
	pub fn held(current: FixedU128, held: FixedU128) -> Self {
		Self { collateral: current.min(held), debt: current.max(held) }
	}
}

/// Reads prices that are fresh, or fails: a stale price is an error, never the previous value.
///
/// Two readings, for two kinds of decision:
/// - [`PriceProvider::price`], the confirmed price, decides liquidations: a jump the oracle holds
///   (its circuit breaker) neither causes nor prevents one until it is confirmed;
/// - [`PriceProvider::risk_prices`] values everything that adds risk (a borrow, a mint, a
///   withdrawal of collateral, leverage): while a jump is held, collateral counts at the lower
///   and debt at the higher of the confirmed and the held price, so no one borrows against a
///   price the feeds already contradict.
pub trait PriceProvider {
	/// The asset's current confirmed price in USD per whole token.
	fn price(asset: AssetId) -> Result<Price, PriceError>;

	/// The asset's prices for an action that adds risk (see the trait's documentation); both the
	/// confirmed price when nothing is held. Fails as [`PriceProvider::price`] does.
	fn risk_prices(asset: AssetId) -> Result<RiskPrices, PriceError>;

	/// The asset's last price, fresh or stale (`None` if it was never priced): what a valuation
	/// that must favour an account's owner starts from when the price is stale. Never for
	/// anything that adds risk.
	fn last_price(asset: AssetId) -> Option<Price>;

	/// The asset's fresh price in USD per whole token, failing with `unknown` or `stale`: each
	/// pallet reports the two cases as its own errors.
	fn fresh_value(
		asset: AssetId,
		unknown: impl Into<DispatchError>,
		stale: impl Into<DispatchError>,
	) -> Result<FixedU128, DispatchError> {
		Self::price(asset)
			.map(|price| price.value)
			.map_err(|error| error.into_dispatch(unknown, stale))
	}

	/// [`PriceProvider::risk_prices`], failing with `unknown` or `stale` as
	/// [`PriceProvider::fresh_value`] does.
	fn fresh_risk_prices(
		asset: AssetId,
		unknown: impl Into<DispatchError>,
		stale: impl Into<DispatchError>,
	) -> Result<RiskPrices, DispatchError> {
		Self::risk_prices(asset).map_err(|error| error.into_dispatch(unknown, stale))
	}
}

impl PriceError {
	/// The error a pallet reports for this case: its own `unknown` or `stale`.
	pub fn into_dispatch(
		self,
		unknown: impl Into<DispatchError>,
		stale: impl Into<DispatchError>,
	) -> DispatchError {
		match self {
			PriceError::Unknown => unknown.into(),
			PriceError::Stale => stale.into(),
		}
	}
}

/// Whether open positions are valued at an asset's oracle price. The oracle asks before it stops
/// pricing an asset, so governance cannot leave positions without a price: it winds the asset's
/// lending market, vault type and auctions down first.
pub trait PricedPositions {
	/// Whether any open position (a lending supply or debt, a vault, a running auction) is valued
	/// at `asset`'s price. Reads a bounded number of storage items (one per implementor).
	fn priced_in(asset: AssetId) -> bool;
}

impl PricedPositions for () {
	fn priced_in(_: AssetId) -> bool {
		false
	}
}

impl<A: PricedPositions, B: PricedPositions, C: PricedPositions> PricedPositions for (A, B, C) {
	fn priced_in(asset: AssetId) -> bool {
		A::priced_in(asset) || B::priced_in(asset) || C::priced_in(asset)
	}
}

/// Prices as they would be after a shock, for read-only what-if valuations: the stress test
/// values every position as if some prices had moved, by the very rules a liquidation uses,
/// because those rules read the prices from where this puts them.
pub trait PriceScenario {
	/// Runs `f` with each listed asset's confirmed price replaced by its value (USD per whole
	/// token), fresh now, with no jump held, then undoes every change, the prices' and `f`'s,
	/// and returns what `f` returned. Fails, running nothing, when no storage layer can be
	/// opened (too many nested).
	fn with_prices<R>(
		prices: &[(AssetId, FixedU128)],
		f: impl FnOnce() -> R,
	) -> Result<R, DispatchError>;
}
