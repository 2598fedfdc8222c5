//! A market: its parameters and status, and its running totals with the arithmetic of shares,
//! debt and interest accrual on [`Market`], so every call and the runtime API compute them the
//! same way.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use lever_primitives::{mul_div, Balance, Moment, ReducesRisk};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{
	traits::{One, Zero},
	ArithmeticError, FixedPointNumber, FixedU128, PerThing, Permill, Rounding,
};

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
	/// The most the suppliers' assets (cash + borrows − reserves, interest and losses included,
	/// see [`Market::total_supply`]) may be after a supply, in the asset's smallest unit. Only a
	/// supply is checked against it: interest may carry the suppliers' assets past it, and
	/// governance may set it below them, which only stops new supply.
	pub supply_cap: Balance,
	/// The most the borrowers' debt (interest included, see [`Market::total_borrows`]) may be
	/// after a borrow, in the asset's smallest unit. Only a borrow is checked against it:
	/// interest may carry the debt past it, and governance may set it below the debt, which only
	/// stops new borrowing.
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

impl ReducesRisk for MarketStatus {
	/// A status that allows no more than `current` (active, then paused, then frozen).
	fn reduces_risk_from(&self, current: &Self) -> bool {
		self.restrictiveness() >= current.restrictiveness()
	}
}

impl MarketStatus {
	/// Ranks the statuses by how little they allow: active 0, paused 1, frozen 2.
	fn restrictiveness(&self) -> u8 {
		match self {
			Self::Active => 0,
			Self::Paused => 1,
			Self::Frozen => 2,
		}
	}
}

impl ReducesRisk for MarketParams {
	/// A lower or equal collateral factor, liquidation threshold (ramped in as any lowering is),
	/// supply cap and borrow cap, with the rate model, reserve factor, liquidation bonus, close
	/// factor and minimum debt unchanged: the rest moves money between users, so it is no
	/// direction of risk and needs full governance.
	fn reduces_risk_from(&self, current: &Self) -> bool {
		self.collateral_factor <= current.collateral_factor
			&& self.liquidation_threshold <= current.liquidation_threshold
			&& self.supply_cap <= current.supply_cap
			&& self.borrow_cap <= current.borrow_cap
			&& self.rate_model == current.rate_model
			&& self.reserve_factor == current.reserve_factor
			&& self.liquidation_bonus == current.liquidation_bonus
			&& self.close_factor == current.close_factor
			&& self.min_debt == current.min_debt
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
	/// The permissioned pool the market is in, whose credential supplying and borrowing need
	/// (`pools.rs`); `None` for a public market.
	pub pool: Option<crate::PoolId>,
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
			pool: None,
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
