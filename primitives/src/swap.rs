//! The AMM as the other pallets may use it: swaps anchored to the oracle.

use sp_runtime::{DispatchError, DispatchResult, Permill};

use crate::{AssetId, Balance};

/// A purchase the AMM quoted within a cap against the oracle ([`OracleSwap::quote_buy`]):
/// exactly `amount_out` of `to` for `amount_in` of `from`, through `via` when the pair has no
/// pool of its own.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SwapQuote {
	/// What is paid with.
	pub from: AssetId,
	/// What is bought.
	pub to: AssetId,
	/// What the AMM takes, in `from`'s smallest unit.
	pub amount_in: Balance,
	/// What it pays, in `to`'s smallest unit.
	pub amount_out: Balance,
	/// The routing asset the purchase goes through, if any.
	pub via: Option<AssetId>,
}

/// Swaps on the chain's AMM anchored to the oracle, for pallets that must sell at a fair price
/// without a caller to set the slippage: the liquidation engine's AMM route. A swap is refused
/// when the AMM would pay less than the oracle value of what it takes by more than the caller's
/// cap on slippage, so a pushed pool cannot make it sell cheap. The caller owns the cap: the
/// AMM's own settings for traders never loosen or tighten it.
pub trait OracleSwap<AccountId> {
	/// Buys exactly `amount_out` of `to` for `who` with at most `max_in` of `from`, at no more
	/// than `max_slippage` against the oracle; returns the amount of `from` spent. Fails, and
	/// changes nothing, when there is no pool, no fresh price, the pool cannot pay `amount_out`
	/// for `max_in`, or the price is past the cap.
	fn buy_exact(
		who: &AccountId,
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_in: Balance,
		max_slippage: Permill,
	) -> Result<Balance, DispatchError>;

	/// The AMM's price now for exactly `amount_out` of `to` paid with `from`, within
	/// `max_slippage` against the oracle; changes nothing. Fails as [`OracleSwap::buy_exact`]
	/// would, but for the cost.
	fn quote_buy(
		from: AssetId,
		to: AssetId,
		amount_out: Balance,
		max_slippage: Permill,
	) -> Result<SwapQuote, DispatchError>;

	/// Makes the purchase `quote` for `who` at exactly its price, or fails and changes nothing
	/// (the pools moved since the quote, or `who` cannot pay).
	fn buy_quoted(who: &AccountId, quote: &SwapQuote) -> DispatchResult;

	/// Whether the AMM has a way from `from` to `to` (a pool, or two through the routing
	/// asset): a cheap check of pool existence that says nothing of depth or price.
	fn can_swap(from: AssetId, to: AssetId) -> bool;
}

/// No AMM: every swap is refused, so a liquidation goes straight from the backstop to the
/// auction.
impl<AccountId> OracleSwap<AccountId> for () {
	fn buy_exact(
		_: &AccountId,
		_: AssetId,
		_: AssetId,
		_: Balance,
		_: Balance,
		_: Permill,
	) -> Result<Balance, DispatchError> {
		Err(DispatchError::Unavailable)
	}

	fn quote_buy(
		_: AssetId,
		_: AssetId,
		_: Balance,
		_: Permill,
	) -> Result<SwapQuote, DispatchError> {
		Err(DispatchError::Unavailable)
	}

	fn buy_quoted(_: &AccountId, _: &SwapQuote) -> DispatchResult {
		Err(DispatchError::Unavailable)
	}

	fn can_swap(_: AssetId, _: AssetId) -> bool {
		false
	}
}
