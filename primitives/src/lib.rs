//! Types and traits shared by Lever's pallets.
//!
//! Pallets never read each other's storage: the lending pools, vaults and liquidation engine get
//! prices through [`PriceProvider`], which the oracle implements and the runtime wires in, and the
//! liquidation engine reaches lending accounts through [`LendingLiquidation`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Bounded, CheckedDiv, CheckedMul, One, Saturating, Zero},
	ArithmeticError, DispatchError, DispatchResult, FixedPointNumber, FixedU128, Permill, Rounding,
};

/// The identifier of a pallet-assets asset.
pub type AssetId = u32;
/// An amount of an asset in its smallest unit.
pub type Balance = u128;
/// A point in time: milliseconds since the Unix epoch, as pallet-timestamp keeps it.
pub type Moment = u64;

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

/// The USD value of `amount` smallest units of an asset with `decimals` decimals at `price` USD per
/// whole token, or `None` on overflow. This is the one place amounts are scaled by decimals.
pub fn usd_value(amount: Balance, decimals: u8, price: FixedU128) -> Option<FixedU128> {
	let unit = 10u128.checked_pow(u32::from(decimals))?;
	let tokens = FixedU128::checked_from_rational(amount, unit)?;
	tokens.checked_mul(&price)
}

/// How many smallest units of an asset with `decimals` decimals are worth `usd` at `price` USD per
/// whole token, rounded down, or `None` on overflow or a zero price. The inverse of [`usd_value`].
pub fn amount_for_usd(usd: FixedU128, decimals: u8, price: FixedU128) -> Option<Balance> {
	let unit = 10u128.checked_pow(u32::from(decimals))?;
	let tokens = usd.checked_div(&price)?;
	tokens.checked_mul_int(unit)
}

/// Seconds in the 365-day year that yearly rates and fees are quoted in.
pub const SECONDS_PER_YEAR: u64 = 31_536_000;

/// `a × b / c` rounded as asked, or an overflow error (also for a zero `c`): the one place
/// amounts are scaled by shares, indexes and rates.
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Result<u128, ArithmeticError> {
	multiply_by_rational_with_rounding(a, b, c, rounding).ok_or(ArithmeticError::Overflow)
}

/// `amount` of a token with `from_decimals` decimals priced `from_price`, expressed in a token
/// with `to_decimals` decimals priced `to_price` (both prices per whole token), rounded as asked.
pub fn convert(
	amount: Balance,
	(from_decimals, from_price): (u8, FixedU128),
	(to_decimals, to_price): (u8, FixedU128),
	rounding: Rounding,
) -> Result<Balance, ArithmeticError> {
	let value = mul_div(amount, from_price.into_inner(), to_price.into_inner(), rounding)?;
	let power =
		|decimals: u8| 10u128.checked_pow(u32::from(decimals)).ok_or(ArithmeticError::Overflow);
	if to_decimals >= from_decimals {
		value
			.checked_mul(power(to_decimals.saturating_sub(from_decimals))?)
			.ok_or(ArithmeticError::Overflow)
	} else {
		mul_div(value, 1, power(from_decimals.saturating_sub(to_decimals))?, rounding)
	}
}

/// A yearly rate as a per-second rate: divided by [`SECONDS_PER_YEAR`], rounded down to
/// FixedU128's 18 decimals.
pub fn per_second(yearly: FixedU128) -> FixedU128 {
	FixedU128::from_inner(yearly.into_inner() / u128::from(SECONDS_PER_YEAR))
}

/// A yearly rate compounded every second, as a yearly yield: `(1 + rate / year)^year − 1`.
pub fn compounded_yearly(rate: FixedU128) -> FixedU128 {
	FixedU128::one()
		.saturating_add(per_second(rate))
		.saturating_pow(SECONDS_PER_YEAR as usize)
		.saturating_sub(FixedU128::one())
}

/// An amount, or everything the account has there (for withdrawals and repayments).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum AmountOrAll {
	/// This many of the asset's smallest unit.
	Amount(Balance),
	/// The whole supply, collateral or debt, interest and fees included.
	All,
}

/// An account's collateral and debt in USD at oracle prices.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct AccountLiquidity {
	/// The value of the supply enabled as collateral.
	pub collateral_value: FixedU128,
	/// Σ collateral value × collateral factor: the most the account may owe after a borrow or
	/// a collateral withdrawal.
	pub borrow_limit: FixedU128,
	/// Σ collateral value × liquidation threshold: debt above it makes the account liquidatable.
	pub liquidation_limit: FixedU128,
	/// The value of all debt.
	pub debt_value: FixedU128,
}

impl AccountLiquidity {
	/// Liquidation limit over debt value, or `None` without debt (infinitely healthy).
	pub fn health_factor(&self) -> Option<FixedU128> {
		if self.debt_value.is_zero() {
			return None;
		}
		FixedU128::checked_from_rational(
			self.liquidation_limit.into_inner(),
			self.debt_value.into_inner(),
		)
		.or(Some(FixedU128::max_value()))
	}

	/// Whether the debt exceeds the liquidation limit (health factor below one).
	pub fn is_liquidatable(&self) -> bool {
		!self.debt_value.is_zero() && self.debt_value > self.liquidation_limit
	}

	/// Whether the debt is within the borrow limit.
	pub fn within_borrow_limit(&self) -> bool {
		self.debt_value <= self.borrow_limit
	}
}

/// What one-click leverage may do in the lending pools for an account: the pools' own checked
/// operations (every one refuses what a signed call of the same name refuses), the account's
/// value at fresh prices, and a flash loan around a closure.
pub trait LendingPositions<AccountId> {
	/// Supplies `amount` of `asset` for `who`, as collateral if the asset can be.
	fn supply(who: &AccountId, asset: AssetId, amount: Balance) -> Result<(), DispatchError>;

	/// Withdraws `amount` of `who`'s supply of `asset`, or all of it; returns the amount paid
	/// out. Collateral leaves only within the borrow limit.
	fn withdraw(
		who: &AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError>;

	/// Borrows `amount` of `asset` for `who`, within the borrow limit at fresh prices.
	fn borrow(who: &AccountId, asset: AssetId, amount: Balance) -> Result<(), DispatchError>;

	/// Repays `amount` of `who`'s debt in `asset` (at most the debt), or all of it, from
	/// `who`'s funds; returns the amount repaid.
	fn repay(
		who: &AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError>;

	/// `who`'s supply of `asset`, interest included.
	fn supplied(who: &AccountId, asset: AssetId) -> Result<Balance, DispatchError>;

	/// `who`'s debt in `asset`, interest included.
	fn debt(who: &AccountId, asset: AssetId) -> Result<Balance, DispatchError>;

	/// `who`'s collateral, limits and debt in USD at fresh prices, interest accrued to now.
	fn liquidity(who: &AccountId) -> Result<AccountLiquidity, DispatchError>;

	/// The oracle price of `asset` at which `who` becomes liquidatable, other prices unchanged;
	/// `None` where no fall of that price alone does it, or the asset is not its collateral.
	fn liquidation_price(who: &AccountId, asset: AssetId) -> Option<FixedU128>;

	/// Lends `amount` of `asset`'s cash to `who`, runs `inner` with the fee, then takes the
	/// amount and fee back from `who`. Must run inside a transactional call: on any error
	/// nothing of it stays. Refused while another flash loan is open.
	fn flash_loan<R>(
		who: &AccountId,
		asset: AssetId,
		amount: Balance,
		inner: impl FnOnce(Balance) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError>;
}

/// A vault as the runtime API reports it, with fees accrued to the moment of the call.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct VaultInfo {
	/// The collateral asset.
	pub asset: AssetId,
	/// The collateral held.
	pub collateral: Balance,
	/// The lvUSD debt, fees included.
	pub debt: Balance,
	/// Collateral value over debt at the oracle price; `None` without debt or price.
	pub collateral_ratio: Option<FixedU128>,
	/// The collateral price (USD per whole token) at which the vault reaches its liquidation
	/// ratio; `None` without debt.
	pub liquidation_price: Option<FixedU128>,
}

/// What one-click leverage may do to vaults: the vault pallet's own checked change (every check
/// a signed `adjust` makes), and the vault's state.
pub trait VaultPositions<AccountId> {
	/// The stablecoin vaults mint (lvUSD), which counts at one dollar.
	fn stable_asset() -> AssetId;

	/// Changes `owner`'s vault of `asset`, opening it first if there is none: deposit
	/// collateral, repay debt, mint, withdraw collateral, in that order, with the checks of the
	/// vault pallet's `adjust` (ceilings, minimum debt, the liquidation ratio at a fresh price).
	fn adjust(
		owner: &AccountId,
		asset: AssetId,
		deposit: Balance,
		mint: Balance,
		repay: Option<AmountOrAll>,
		withdraw: Option<AmountOrAll>,
	) -> Result<(), DispatchError>;

	/// `owner`'s vault of `asset` with fees accrued to now, if it exists.
	fn vault(owner: &AccountId, asset: AssetId) -> Option<VaultInfo>;
}

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

/// What a lending liquidator takes the seized collateral as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum SeizedAs {
	/// Tokens of the collateral asset, paid out of its market's cash: fails with the lending
	/// pallet's `NotEnoughCash` when the market has lent out too much.
	Tokens,
	/// Supply shares of the collateral market, moved from the borrower to the liquidator (Aave's
	/// receive-aToken): needs no cash, so it works in a fully lent-out market. The liquidator's
	/// new supply is not collateral until it enables it.
	Shares,
}

/// What a lending liquidation moved.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct LendingSeizure {
	/// The asset whose debt was repaid.
	pub debt_asset: AssetId,
	/// How much debt the liquidator repaid, in the debt asset's smallest unit.
	pub repaid: Balance,
	/// The asset taken from the borrower's collateral.
	pub collateral_asset: AssetId,
	/// How much collateral the liquidator received (repaid value plus the bonus), in the
	/// collateral asset's smallest unit.
	pub seized: Balance,
	/// Whether the liquidator received tokens or supply shares worth `seized`.
	pub seized_as: SeizedAs,
}

/// What the liquidation engine may ask of the lending pools: whether an account can be liquidated
/// and, if so, to liquidate part of it. Both accrue interest first; a stale price counts in the
/// account owner's favour, and only fresh-priced pairs are liquidated.
pub trait LendingLiquidation<AccountId> {
	/// Whether the account's health factor is below one at current interest, at fresh prices
	/// with every stale one in the owner's favour (collateral at a markup of its last price,
	/// debt at zero): a stale price never makes an account liquidatable. A book (see
	/// [`Self::take_over`]) is liquidatable whenever it owes something of value.
	fn is_liquidatable(who: &AccountId) -> Result<bool, DispatchError>;

	/// Repays up to `max_repay` (and at most the close factor) of `borrower`'s debt in
	/// `debt_asset` from `liquidator`'s funds and gives the liquidator collateral of
	/// `collateral_asset` worth the repaid value plus the market's liquidation bonus, as tokens
	/// or as supply shares. Fails, and changes nothing, unless the account is liquidatable.
	fn liquidate(
		liquidator: &AccountId,
		borrower: &AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
		seized_as: SeizedAs,
	) -> Result<LendingSeizure, DispatchError>;

	/// Liquidates as [`Self::liquidate`] with [`SeizedAs::Tokens`], for a liquidator that pays
	/// the debt with the collateral it receives: the seized tokens are paid to `liquidator`
	/// first, then `sell` runs with the seizure and returns how much of the collateral it spent
	/// to obtain the repayment; what it did not spend goes back to the collateral market's
	/// reserves (the liquidation bonus the protocol keeps), and only then is the repayment taken
	/// from `liquidator`. Fails, and changes nothing, when `sell` fails or claims more than was
	/// seized.
	fn liquidate_with_sale(
		liquidator: &AccountId,
		borrower: &AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
		sell: impl FnOnce(&LendingSeizure) -> Result<Balance, DispatchError>,
	) -> Result<LendingSeizure, DispatchError>;

	/// Liquidates as [`Self::liquidate`] with no limit on the repayment, but no one repays:
	/// `book` takes over the debt a repayment would remove and receives the seized collateral
	/// (worth that debt plus the bonus) as supply shares enabled as collateral. No tokens move,
	/// so it works whatever cash or liquidity the markets have; the borrower is liquidated as by
	/// anyone else. `book` then owes the debt and may itself be liquidated whenever it owes,
	/// whatever its health factor, until it is closed. Fails, and changes nothing, unless the
	/// account is liquidatable and the pair moves a unit (and when `book` is `borrower`).
	fn take_over(
		book: &AccountId,
		borrower: &AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
	) -> Result<LendingSeizure, DispatchError>;

	/// `who`'s supply shares in the market of `asset`; zero without a supply. Changes nothing.
	fn supply_shares(who: &AccountId, asset: AssetId) -> Balance;

	/// Pays `to` the value of `shares` of `from`'s supply of `asset`: as tokens out of the
	/// market's cash when it has enough and `to` can hold them, otherwise by moving the shares
	/// themselves to `to` (a supply that is not collateral unless `to`'s position already is).
	/// Returns the value paid, in the asset's smallest unit rounded down, and how it was paid.
	/// Fails, and changes nothing, when `from` has fewer shares, `shares` is zero, or the market
	/// is frozen.
	fn pay_supply_shares(
		from: &AccountId,
		to: &AccountId,
		asset: AssetId,
		shares: Balance,
	) -> Result<(Balance, SeizedAs), DispatchError>;

	/// Every (debt asset, collateral asset) pair by which a liquidation would move at least one
	/// unit of debt and of collateral: largest debt first, and for each debt its collaterals
	/// most valuable first. Empty when the account's collateral is worth nothing against its
	/// debts (none, or too little to cover one unit of any of them). Only positions with a
	/// fresh price take part.
	fn liquidation_pairs(who: &AccountId) -> Result<Vec<(AssetId, AssetId)>, DispatchError>;

	/// Writes off every debt of an account whose collateral is worth nothing against its debts
	/// (no pair in [`Self::liquidation_pairs`]): the markets' reserves absorb it first, the
	/// suppliers the rest; what collateral is left goes to its market's reserves. Fails, and
	/// changes nothing, while the account has collateral a liquidation could take.
	fn write_off(who: &AccountId) -> Result<(), DispatchError>;

	/// The oracle price of each of the account's collateral assets at which it becomes
	/// liquidatable, other prices unchanged; `None` where no fall of that price alone does it.
	fn liquidation_prices(who: &AccountId) -> Vec<(AssetId, Option<FixedU128>)>;

	/// Up to `max` accounts with debt, in storage order, starting after `after` (from the start
	/// when `None`): what an offchain sweep walks with a cursor. Accounts without debt are never
	/// listed.
	fn debtors(after: Option<&AccountId>, max: u32) -> Vec<AccountId>;

	/// Up to `max` accounts with debt and a position in the market of `asset` (supply or debt),
	/// in storage order, starting after `after`: those a move of `asset`'s price can make
	/// liquidatable.
	fn exposed(asset: AssetId, after: Option<&AccountId>, max: u32) -> Vec<AccountId>;

	/// Every market's asset with its price (`None` when it has no usable one), so a sweep can
	/// see which prices moved.
	fn market_prices() -> Vec<(AssetId, Option<FixedU128>)>;

	/// A digest of everything a liquidation of the account depends on in the pools: its
	/// positions, the cash and status of their markets and their assets' prices. Equal digests mean a
	/// liquidation that failed would fail again.
	fn liquidation_state(who: &AccountId) -> [u8; 32];
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

/// Told of every vault change, so the liquidation engine can keep its index of vaults by
/// collateral ratio up to date in O(1) per change.
pub trait OnVaultChanged<AccountId> {
	/// The vault of `owner` for collateral `asset` now holds `collateral` and owes
	/// `normalized_debt` (both zero once it is closed).
	fn on_vault_changed(
		asset: AssetId,
		owner: &AccountId,
		collateral: Balance,
		normalized_debt: Balance,
	);
}

/// What seizing part or all of a vault takes (or, named by the liquidation engine, the most it
/// may take).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SeizedVault {
	/// The collateral moved to the liquidator.
	pub collateral: Balance,
	/// The lvUSD debt with fees taken (all the vault's, or a part), now deficit for the
	/// liquidation's proceeds to cover.
	pub debt: Balance,
}

/// An unsafe vault as one liquidation finds it, at a fresh price and the rate accrued to now.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UnsafeVault {
	/// Its collateral type's risk now.
	pub risk: VaultRisk,
	/// Its collateral, in the asset's smallest unit.
	pub collateral: Balance,
	/// What its collateral is worth in lvUSD's smallest unit at `risk.price`, rounded down.
	pub value: Balance,
	/// Its lvUSD debt with fees, rounded up.
	pub debt: Balance,
	/// How much of `debt` one liquidation takes: the part that restores its type's target
	/// ratio, or all of it (below the whole-liquidation ratio, or when the rest would be under
	/// the minimum debt).
	pub part: Balance,
}

/// What taking up to a given amount of an unsafe vault's debt would take, as the vault pallet
/// shows it to the engine in [`VaultLiquidation::seize`]; it changes nothing.
pub type SeizePreview<'a> = &'a dyn Fn(Balance) -> Result<SeizedVault, DispatchError>;

/// What the liquidation engine needs of one collateral type to index and check its vaults.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct VaultRisk {
	/// A vault is unsafe when its normalized debt per unit of collateral (both in smallest
	/// units) is above this, at the fresh price and the rate accrued to now. Vaults within
	/// rounding of it need the exact check.
	pub unsafe_ratio: FixedU128,
	/// The collateral's fresh price, USD per whole token.
	pub price: FixedU128,
	/// The collateral asset's decimals.
	pub decimals: u8,
	/// lvUSD's decimals (lvUSD counts at one dollar).
	pub debt_decimals: u8,
	/// The share of the debt added as a penalty when the vault is liquidated.
	pub penalty: Permill,
}

/// What the liquidation engine may do to vaults: check one, seize what one liquidation takes
/// of it, and burn the proceeds against the deficit.
pub trait VaultLiquidation<AccountId> {
	/// Every collateral type's asset (bounded by the vault pallet's maximum).
	fn collateral_types() -> Vec<AssetId>;

	/// The collateral type's risk at a fresh price and the rate accrued to now. Fails when the
	/// price is stale or unknown, or after an emergency shutdown: no liquidation then.
	fn risk(asset: AssetId) -> Result<VaultRisk, DispatchError>;

	/// The vault's collateral and normalized debt, if it exists.
	fn vault(asset: AssetId, owner: &AccountId) -> Option<(Balance, Balance)>;

	/// Every vault of `asset` with debt: owner, collateral and normalized debt. O(vaults of the
	/// type): for invariant checks (`try_state`) only, never on a path a block pays for.
	fn vaults_with_debt(asset: AssetId) -> Vec<(AccountId, Balance, Balance)>;

	/// Nets the surplus against the deficit, as far as both go, and returns how much.
	fn heal() -> Balance;

	/// Whether the vault is below its type's liquidation ratio at a fresh price.
	fn is_unsafe(asset: AssetId, owner: &AccountId) -> Result<bool, DispatchError>;

	/// Liquidates the vault if it is unsafe (below its type's liquidation ratio at a fresh
	/// price), reading the type, the price and the vault once: `choose` is shown the vault as
	/// it is ([`UnsafeVault`], with the part one liquidation takes) and what taking any amount
	/// of debt would take (its second argument, which changes nothing), and names the most debt
	/// and the most collateral to take; that much debt, with the collateral that goes with it
	/// or the most named if less, is then taken: the collateral to `to`, the debt into the
	/// deficit. In a whole liquidation the collateral that goes with the debt is the vault's
	/// share of it (all of it with the last of the debt), in a partial one what is worth the
	/// debt with its penalty. Never leaves less than the minimum debt (it takes less), nor
	/// collateral below the asset's minimum balance in a vault with no debt (it takes it all).
	/// A vault is removed once it holds nothing. For the liquidation engine only.
	///
	/// Returns `Ok(None)`, having changed nothing, for a vault that is not unsafe. Fails,
	/// changing nothing, with `choose`'s error, after the shutdown, for an unknown type or
	/// vault, at a stale or unknown price, or with `NothingToSeize` when no part fits what
	/// `choose` named.
	fn seize(
		asset: AssetId,
		owner: &AccountId,
		to: &AccountId,
		choose: impl FnOnce(&UnsafeVault, SeizePreview<'_>) -> Result<SeizedVault, DispatchError>,
	) -> Result<Option<SeizedVault>, DispatchError>;

	/// Burns `amount` lvUSD from `from` against the deficit; what exceeds the deficit becomes
	/// surplus. Returns how much deficit it covered.
	fn cover_deficit(from: &AccountId, amount: Balance) -> Result<Balance, DispatchError>;

	/// Whether governance has shut the vault system down.
	fn is_shut_down() -> bool;

	/// The price at which `asset`'s vaults settle after the shutdown, USD per whole token
	/// (`None` before a shutdown or for an unknown type).
	fn shutdown_price(asset: AssetId) -> Option<FixedU128>;

	/// After the shutdown and before redemption is fixed: moves `amount` of `asset` from `from`
	/// into the type's redemption pool (the collateral of an auction the shutdown cancelled).
	/// Fails, changing nothing, before a shutdown, once redemption is fixed, or if `from`
	/// cannot pay.
	fn add_to_redemption(from: &AccountId, asset: AssetId, amount: Balance) -> DispatchResult;
}

/// What the vault pallet needs to know of the liquidation engine after a shutdown: redemption
/// is fixed only once no auction holds collateral that belongs in the redemption pools.
pub trait RunningAuctions {
	/// How many auctions are running.
	fn running_auctions() -> u32;
}

impl RunningAuctions for () {
	fn running_auctions() -> u32 {
		0
	}
}

impl<AccountId> OnVaultChanged<AccountId> for () {
	fn on_vault_changed(_: AssetId, _: &AccountId, _: Balance, _: Balance) {}
}

/// Creates what the pallets' benchmarks need in the runtime's other pallets: assets in
/// pallet-assets and fresh prices in the oracle. Implemented once by the runtime.
pub trait BenchmarkHelper {
	/// Creates asset `asset` with `decimals` decimals and a minimum balance of one unit.
	fn create_asset(asset: AssetId, decimals: u8);
	/// Makes `value` USD per whole token the asset's fresh price.
	fn set_price(asset: AssetId, value: FixedU128);
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::traits::{One, Zero};

	#[test]
	fn usd_value_scales_by_decimals_once() {
		let dot_price = FixedU128::from_rational(75, 10);
		// 2.5 DOT (10 decimals) at $7.50 is $18.75.
		assert_eq!(
			usd_value(25_000_000_000, 10, dot_price),
			Some(FixedU128::from_rational(1875, 100))
		);
		// 1 wei of ETH (18 decimals) at $3500 is $0.0000000000000035: FixedU128 keeps 18 decimals.
		assert_eq!(usd_value(1, 18, FixedU128::from_u32(3500)), Some(FixedU128::from_inner(3500)));
		// 1 USDC (6 decimals) at $1 is $1.
		assert_eq!(usd_value(1_000_000, 6, FixedU128::one()), Some(FixedU128::one()));
	}

	#[test]
	fn amount_for_usd_inverts_usd_value_rounding_down() {
		let dot_price = FixedU128::from_rational(75, 10);
		// $18.75 buys 2.5 DOT.
		assert_eq!(
			amount_for_usd(FixedU128::from_rational(1875, 100), 10, dot_price),
			Some(25_000_000_000)
		);
		// $1 at $3 per token is 0.333... tokens: rounded down to the smallest unit.
		assert_eq!(amount_for_usd(FixedU128::one(), 6, FixedU128::from_u32(3)), Some(333_333));
		assert_eq!(amount_for_usd(FixedU128::one(), 6, FixedU128::zero()), None);
	}

	#[test]
	fn convert_rounds_as_asked_across_decimals() {
		let dot = (10, FixedU128::from_rational(75, 10));
		let usd = (12, FixedU128::one());
		// 2 DOT at $7.50 is 15 lvUSD, both ways.
		assert_eq!(convert(20_000_000_000, dot, usd, Rounding::Down), Ok(15_000_000_000_000));
		assert_eq!(convert(15_000_000_000_000, usd, dot, Rounding::Down), Ok(20_000_000_000));
		// One lvUSD unit buys less than a DOT unit: down gives zero, up gives one.
		assert_eq!(convert(1, usd, dot, Rounding::Down), Ok(0));
		assert_eq!(convert(1, usd, dot, Rounding::Up), Ok(1));
		assert_eq!(convert(u128::MAX, dot, usd, Rounding::Down), Err(ArithmeticError::Overflow));
	}

	#[test]
	fn usd_value_reports_overflow() {
		assert_eq!(usd_value(u128::MAX, 0, FixedU128::from_u32(2)), None);
		assert_eq!(usd_value(1, 39, FixedU128::one()), None);
	}
}
