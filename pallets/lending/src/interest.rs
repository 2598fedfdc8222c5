//! Interest: the kinked utilization model that sets a market's borrow rate.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use lever_primitives::{mul_div, Moment, SECONDS_PER_YEAR};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{
	traits::{CheckedAdd, CheckedDiv, One, Saturating, Zero},
	ArithmeticError, FixedPointNumber, FixedU128, Permill, Rounding,
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

/// Interest on a market: utilization, the rates it gives and their accrual into the borrow
/// index and reserves.
impl Market {
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
}
