//! The lending pallet's types: markets with their parameters and running totals, account
//! positions, and what the runtime API reports. The arithmetic of shares, debt and interest lives
//! on [`Market`] so every call and the runtime API compute them the same way.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use lever_primitives::{compounded_yearly, AccountLiquidity, AmountOrAll, SECONDS_PER_YEAR};
use lever_primitives::{mul_div, AssetId, Balance, Moment};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{
	traits::{CheckedAdd, CheckedDiv, One, Saturating, Zero},
	ArithmeticError, FixedPointNumber, FixedU128, PerThing, Permill, Rounding,
};

/// The highest yearly borrow rate a model may reach at full utilization: 1000%.
pub const MAX_YEARLY_RATE: u128 = 10;

/// A kinked (two-slope) utilization rate model, in yearly figures: the borrow rate rises from
/// `base_rate` by `slope_below_kink` as utilization goes from 0 to `kink`, then by
/// `slope_above_kink` as it goes from `kink` to 100%.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct InterestRateModel {
	/// The yearly borrow rate at zero utilization (0.02 is 2%).
	pub base_rate: FixedU128,
	/// What the yearly rate adds between zero utilization and the kink.
	pub slope_below_kink: FixedU128,
	/// The utilization where the steep slope starts.
	pub kink: Permill,
	/// What the yearly rate adds between the kink and full utilization.
	pub slope_above_kink: FixedU128,
}

impl Default for InterestRateModel {
	/// 2% at zero utilization, 22% at the 80% kink, 122% at full utilization.
	fn default() -> Self {
		Self {
			base_rate: FixedU128::from_rational(2, 100),
			slope_below_kink: FixedU128::from_rational(20, 100),
			kink: Permill::from_percent(80),
			slope_above_kink: FixedU128::from_u32(1),
		}
	}
}

impl InterestRateModel {
	/// Whether the kink is strictly between 0% and 100% and the rate at full utilization is at
	/// most [`MAX_YEARLY_RATE`].
	pub fn is_valid(&self) -> bool {
		let kink_inside = !self.kink.is_zero() && self.kink < Permill::one();
		let top = self
			.base_rate
			.checked_add(&self.slope_below_kink)
			.and_then(|rate| rate.checked_add(&self.slope_above_kink));
		kink_inside
			&& top.is_some_and(|top| top <= FixedU128::saturating_from_integer(MAX_YEARLY_RATE))
	}

	/// The yearly borrow rate at `utilization` (capped at 100%).
	pub fn yearly_borrow_rate(&self, utilization: FixedU128) -> FixedU128 {
		let utilization = utilization.min(FixedU128::one());
		let kink = FixedU128::from(self.kink);
		let below = utilization.min(kink);
		let above = utilization.saturating_sub(kink);
		let below_part = div_or_zero(self.slope_below_kink.saturating_mul(below), kink);
		let above_part = div_or_zero(
			self.slope_above_kink.saturating_mul(above),
			FixedU128::one().saturating_sub(kink),
		);
		self.base_rate.saturating_add(below_part).saturating_add(above_part)
	}
}

/// `value / divisor`, or zero for a zero divisor (a valid model's kink is never 0% or 100%, so
/// this is only a guard).
fn div_or_zero(value: FixedU128, divisor: FixedU128) -> FixedU128 {
	value.checked_div(&divisor).unwrap_or_default()
}

/// What a market allows. `paused` stops new risk; `frozen` stops everything.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum MarketStatus {
	/// Every action is allowed.
	Active,
	/// No supply and no borrowing; withdraw, repay, collateral changes and liquidation go on.
	Paused,
	/// Nothing moves: no user action and no liquidation in this market; interest still accrues.
	Frozen,
}

/// A market's parameters, set by governance.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct MarketParams {
	/// How the borrow rate follows utilization.
	pub rate_model: InterestRateModel,
	/// The share of interest that goes to reserves instead of suppliers.
	pub reserve_factor: Permill,
	/// The share of collateral value that may be borrowed against (the borrow limit).
	pub collateral_factor: Permill,
	/// The share of collateral value below which debt makes an account liquidatable; above the
	/// collateral factor.
	pub liquidation_threshold: Permill,
	/// The extra collateral a liquidator receives over the value repaid (0.05 is 5%).
	pub liquidation_bonus: Permill,
	/// The most of a borrower's debt in this asset one liquidation may repay.
	pub close_factor: Permill,
	/// The most that may be supplied, in the smallest unit: supplies past it are refused.
	pub supply_cap: Balance,
	/// The most that may be borrowed, in the smallest unit: borrows past it are refused.
	pub borrow_cap: Balance,
	/// The least debt an account may hold in this market after a borrow or a partial
	/// repayment, in the smallest unit (Maker's dust, Liquity's minimum net debt), so that
	/// positions too small to be worth liquidating are not free to open. A liquidation that
	/// would leave less closes the whole debt instead; zero allows any debt.
	pub min_debt: Balance,
}

impl MarketParams {
	/// Whether the parameters are consistent: a valid rate model, a reserve factor below 100%, a
	/// liquidation threshold above the collateral factor and low enough that a liquidation with
	/// its bonus never takes more than the collateral covers (threshold × (1 + bonus) ≤ 100%), a
	/// non-zero close factor and non-zero caps.
	pub fn is_valid(&self) -> bool {
		let threshold_with_bonus = u64::from(self.liquidation_threshold.deconstruct())
			.saturating_mul(
				u64::from(Permill::ACCURACY) + u64::from(self.liquidation_bonus.deconstruct()),
			) / u64::from(Permill::ACCURACY);
		self.rate_model.is_valid()
			&& self.reserve_factor < Permill::one()
			&& (self.collateral_factor < self.liquidation_threshold
				|| (self.collateral_factor.is_zero() && self.liquidation_threshold.is_zero()))
			&& threshold_with_bonus <= u64::from(Permill::ACCURACY)
			&& !self.close_factor.is_zero()
			&& self.supply_cap > 0
			&& self.borrow_cap > 0
	}

	/// Whether the asset counts as collateral at all.
	pub fn is_collateral(&self) -> bool {
		!self.collateral_factor.is_zero()
	}
}

/// A lowered liquidation threshold moving from `from` to the market's new threshold between
/// `start` and `end`, so no account becomes liquidatable the moment governance lowers it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct ThresholdRamp {
	/// The threshold in force when the ramp started.
	pub from: Permill,
	/// When the ramp started, in milliseconds.
	pub start: Moment,
	/// When the new threshold is fully in force, in milliseconds.
	pub end: Moment,
}

/// A market: its parameters and running totals.
///
/// Suppliers hold shares; one share is worth `(cash + borrows − reserves) / total_shares` of the
/// asset (the exchange rate, which only grows). Borrowers hold scaled debt; a scaled unit is worth
/// `borrow_index` of the asset, and the index grows with interest.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Market {
	/// The governance-set parameters.
	pub params: MarketParams,
	/// What the market allows.
	pub status: MarketStatus,
	/// The asset's decimals, read from pallet-assets when the market was created.
	pub decimals: u8,
	/// Tokens the first supply left in the pallet's account for good (the asset's minimum
	/// balance then), so that account is never reaped: never lent, never anyone's shares.
	pub seed: Balance,
	/// Tokens held by the pallet for this market, seed excluded: supplied and repaid, not lent.
	pub cash: Balance,
	/// All suppliers' shares.
	pub total_shares: Balance,
	/// All borrowers' scaled debt.
	pub scaled_borrows: Balance,
	/// The asset value of one unit of scaled debt; starts at one and only grows.
	pub borrow_index: FixedU128,
	/// Interest kept for the protocol, part of the cash or of the borrows.
	pub reserves: Balance,
	/// Until when interest has been accrued, in milliseconds (whole seconds are accrued).
	pub accrued_at: Moment,
	/// A lowered liquidation threshold still moving to its new value.
	pub threshold_ramp: Option<ThresholdRamp>,
}

impl Market {
	/// A new, empty market created at `now`.
	pub fn new(params: MarketParams, decimals: u8, now: Moment) -> Self {
		Self {
			params,
			status: MarketStatus::Active,
			decimals,
			seed: 0,
			cash: 0,
			total_shares: 0,
			scaled_borrows: 0,
			borrow_index: FixedU128::one(),
			reserves: 0,
			accrued_at: now,
			threshold_ramp: None,
		}
	}

	/// All borrowers' debt with interest, rounded up.
	pub fn total_borrows(&self) -> Result<Balance, ArithmeticError> {
		self.debt_of(self.scaled_borrows)
	}

	/// What the suppliers' shares are worth together: cash plus borrows minus reserves.
	pub fn total_supply(&self) -> Result<Balance, ArithmeticError> {
		self.cash
			.checked_add(self.total_borrows()?)
			.and_then(|assets| assets.checked_sub(self.reserves))
			.ok_or(ArithmeticError::Underflow)
	}

	/// The share of the suppliers' assets that is lent out, at most one.
	pub fn utilization(&self) -> Result<FixedU128, ArithmeticError> {
		let borrows = self.total_borrows()?;
		let supply = self.total_supply()?;
		if borrows.is_zero() || supply.is_zero() {
			return Ok(FixedU128::zero());
		}
		Ok(FixedU128::checked_from_rational(borrows, supply)
			.unwrap_or_else(FixedU128::one)
			.min(FixedU128::one()))
	}

	/// The yearly borrow rate at the current utilization.
	pub fn yearly_borrow_rate(&self) -> Result<FixedU128, ArithmeticError> {
		Ok(self.params.rate_model.yearly_borrow_rate(self.utilization()?))
	}

	/// The yearly rate suppliers earn: the borrow rate on the lent share, less reserves.
	pub fn yearly_supply_rate(&self) -> Result<FixedU128, ArithmeticError> {
		let paid = self.yearly_borrow_rate()?.saturating_mul(self.utilization()?);
		Ok(paid.saturating_sub(paid.saturating_mul(FixedU128::from(self.params.reserve_factor))))
	}

	/// Brings interest up to `now`: the borrow index grows by the per-second rate (the yearly rate
	/// divided by [`SECONDS_PER_YEAR`], exactly) times the whole seconds elapsed, rounded up; the
	/// reserve factor of the new interest goes to reserves, rounded down. O(1): no account is
	/// touched.
	pub fn accrue(&mut self, now: Moment) -> Result<(), ArithmeticError> {
		let seconds = now.saturating_sub(self.accrued_at) / 1_000;
		if seconds.is_zero() {
			return Ok(());
		}
		self.accrued_at = self.accrued_at.saturating_add(seconds.saturating_mul(1_000));
		if self.scaled_borrows.is_zero() {
			return Ok(());
		}
		let borrows_before = self.total_borrows()?;
		let yearly = self.yearly_borrow_rate()?;
		let growth = mul_div(
			yearly.into_inner(),
			u128::from(seconds),
			u128::from(SECONDS_PER_YEAR),
			Rounding::Up,
		)?;
		let factor = FixedU128::accuracy().checked_add(growth).ok_or(ArithmeticError::Overflow)?;
		self.borrow_index = FixedU128::from_inner(mul_div(
			self.borrow_index.into_inner(),
			factor,
			FixedU128::accuracy(),
			Rounding::Up,
		)?);
		let interest = self.total_borrows()?.saturating_sub(borrows_before);
		self.reserves = self
			.reserves
			.checked_add(self.params.reserve_factor.mul_floor(interest))
			.ok_or(ArithmeticError::Overflow)?;
		Ok(())
	}

	/// This market with interest accrued to `now`, without writing anything.
	pub fn accrued(mut self, now: Moment) -> Result<Self, ArithmeticError> {
		self.accrue(now)?;
		Ok(self)
	}

	/// Shares minted for supplying `amount`, rounded down; one share per unit in an empty market.
	pub fn shares_for_supply(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		if self.total_shares.is_zero() {
			return Ok(amount);
		}
		mul_div(amount, self.total_shares, self.nonzero_supply()?, Rounding::Down)
	}

	/// Shares burned for withdrawing `amount`, rounded up.
	pub fn shares_for_withdrawal(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(amount, self.total_shares, self.nonzero_supply()?, Rounding::Up)
	}

	/// What `shares` are worth in the asset, rounded down.
	pub fn value_of_shares(&self, shares: Balance) -> Result<Balance, ArithmeticError> {
		if self.total_shares.is_zero() {
			return Ok(0);
		}
		mul_div(shares, self.total_supply()?, self.total_shares, Rounding::Down)
	}

	/// The debt of `scaled` scaled units, rounded up.
	pub fn debt_of(&self, scaled: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(scaled, self.borrow_index.into_inner(), FixedU128::accuracy(), Rounding::Up)
	}

	/// Scaled units added for borrowing `amount`, rounded up.
	pub fn scaled_for_borrow(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(amount, FixedU128::accuracy(), self.borrow_index.into_inner(), Rounding::Up)
	}

	/// Scaled units removed for repaying `amount` of a larger debt, rounded down.
	pub fn scaled_for_repay(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(amount, FixedU128::accuracy(), self.borrow_index.into_inner(), Rounding::Down)
	}

	/// The asset value of one share (one before anything is supplied).
	pub fn exchange_rate(&self) -> Result<FixedU128, ArithmeticError> {
		if self.total_shares.is_zero() {
			return Ok(FixedU128::one());
		}
		FixedU128::checked_from_rational(self.total_supply()?, self.total_shares)
			.ok_or(ArithmeticError::Overflow)
	}

	/// The liquidation threshold in force at `now`: the parameter, or a point on the way to it
	/// while a lowered threshold ramps down.
	pub fn liquidation_threshold_at(&self, now: Moment) -> Permill {
		let target = self.params.liquidation_threshold;
		let Some(ramp) = self.threshold_ramp else { return target };
		if now >= ramp.end || ramp.from <= target {
			return target;
		}
		let span = ramp.end.saturating_sub(ramp.start).max(1);
		let elapsed = now.saturating_sub(ramp.start).min(span);
		let drop = ramp.from.deconstruct().saturating_sub(target.deconstruct());
		let dropped = u64::from(drop).saturating_mul(elapsed) / span;
		Permill::from_parts(
			ramp.from.deconstruct().saturating_sub(u32::try_from(dropped).unwrap_or(drop)),
		)
	}

	/// The suppliers' assets, or an error when shares exist but are worth nothing.
	fn nonzero_supply(&self) -> Result<Balance, ArithmeticError> {
		let supply = self.total_supply()?;
		if supply.is_zero() {
			return Err(ArithmeticError::DivisionByZero);
		}
		Ok(supply)
	}
}

/// An account's supply in one market.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SupplyPosition {
	/// The account's shares of the market.
	pub shares: Balance,
	/// Whether the supply backs the account's borrowing.
	pub collateral: bool,
}

/// Which prices a valuation uses, for which kind of decision.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Valuation {
	/// For everything that adds risk (a borrow, a withdrawal or disabling of collateral): fresh
	/// prices, and while the oracle holds a jump, collateral at the lower and debt at the higher
	/// of the confirmed and the held price (`PriceProvider::risk_prices`). Stale fails with
	/// `PriceStale`.
	AddsRisk,
	/// Fresh confirmed prices; stale fails with `PriceStale`. For the runtime API, write-offs and
	/// liquidation prices.
	Confirmed,
	/// For deciding that an account is liquidatable: fresh confirmed prices (a held jump neither
	/// causes nor prevents a liquidation until it is confirmed), and a stale price counted in the
	/// account owner's favour: collateral at `Config::StaleCollateralMarkup` times its last price,
	/// debt at zero, so that only fresh prices can prove a shortfall.
	Liquidation,
}

/// Why an account could not be valued.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum ValuationError {
	/// The oracle has never priced this asset.
	PriceUnknown(AssetId),
	/// This asset's price is stale.
	PriceStale(AssetId),
	/// A value does not fit the arithmetic.
	Overflow,
}

/// A market as the runtime API reports it, with interest accrued to the moment of the call.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MarketInfo {
	/// The market's asset.
	pub asset: AssetId,
	/// What the market allows.
	pub status: MarketStatus,
	/// The governance-set parameters, caps included.
	pub params: MarketParams,
	/// The liquidation threshold in force now (below the parameter while a lowering ramps in).
	pub liquidation_threshold: Permill,
	/// The asset's decimals.
	pub decimals: u8,
	/// What suppliers own: cash plus borrows minus reserves.
	pub total_supply: Balance,
	/// What borrowers owe, interest included.
	pub total_borrows: Balance,
	/// Tokens available to borrow or withdraw.
	pub cash: Balance,
	/// The protocol's share of interest.
	pub reserves: Balance,
	/// Borrows over supply.
	pub utilization: FixedU128,
	/// The yearly borrow rate compounded every second.
	pub borrow_apy: FixedU128,
	/// The yearly supply rate compounded every second.
	pub supply_apy: FixedU128,
	/// The asset value of one supply share.
	pub exchange_rate: FixedU128,
	/// The asset value of one unit of scaled debt.
	pub borrow_index: FixedU128,
}

/// An account's position in one market.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MarketPosition {
	/// The market's asset.
	pub asset: AssetId,
	/// The supply's value in the asset, interest included.
	pub supplied: Balance,
	/// The supply shares.
	pub shares: Balance,
	/// Whether the supply is collateral.
	pub collateral: bool,
	/// The debt in the asset, interest included.
	pub borrowed: Balance,
}

/// An account's positions and health as the runtime API reports them.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AccountPosition {
	/// Every market the account supplies to or borrows from.
	pub markets: Vec<MarketPosition>,
	/// The account valued at oracle prices, or which price is missing.
	pub liquidity: Result<AccountLiquidity, ValuationError>,
	/// Liquidation limit over debt value; `None` without debt or without prices.
	pub health_factor: Option<FixedU128>,
}
