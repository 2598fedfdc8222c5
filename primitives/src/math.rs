//! Amounts, decimals, USD values, shares and rates: the arithmetic every pallet shares, each
//! rule in one function with its rounding stated.

use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedDiv, CheckedMul, One, Saturating},
	ArithmeticError, FixedPointNumber, FixedU128, Rounding,
};

use crate::Balance;

/// One whole token of an asset with `decimals` decimals in its smallest unit (10^decimals), or
/// `None` past `u128`: the one place a count of decimals becomes a factor.
pub const fn unit(decimals: u8) -> Option<Balance> {
	10u128.checked_pow(decimals as u32)
}

/// `amount` smallest units of an asset with `decimals` decimals as whole tokens, rounded down to
/// FixedU128's 18 decimals, or `None` on overflow.
pub fn whole_tokens(amount: Balance, decimals: u8) -> Option<FixedU128> {
	FixedU128::checked_from_rational(amount, unit(decimals)?)
}

/// `value`, a quantity per smallest unit of an asset with `from_decimals` decimals, per
/// smallest unit of one with `to_decimals` instead (× 10^(to − from)), rounded down, or `None`
/// on overflow.
pub fn rescale(value: FixedU128, from_decimals: u8, to_decimals: u8) -> Option<FixedU128> {
	let factor = |decimals: u8| FixedU128::checked_from_integer(unit(decimals)?);
	if to_decimals >= from_decimals {
		value.checked_mul(&factor(to_decimals.saturating_sub(from_decimals))?)
	} else {
		value.checked_div(&factor(from_decimals.saturating_sub(to_decimals))?)
	}
}

/// The USD value of `amount` smallest units of an asset with `decimals` decimals at `price` USD per
/// whole token, or `None` on overflow.
pub fn usd_value(amount: Balance, decimals: u8, price: FixedU128) -> Option<FixedU128> {
	whole_tokens(amount, decimals)?.checked_mul(&price)
}

/// How many smallest units of an asset with `decimals` decimals are worth `usd` at `price` USD per
/// whole token, rounded down, or `None` on overflow or a zero price. The inverse of [`usd_value`].
pub fn amount_for_usd(usd: FixedU128, decimals: u8, price: FixedU128) -> Option<Balance> {
	let tokens = usd.checked_div(&price)?;
	tokens.checked_mul_int(unit(decimals)?)
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
	let power = |decimals: u8| unit(decimals).ok_or(ArithmeticError::Overflow);
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

/// What one unit grows to at the yearly `rate` compounded every second over `seconds`:
/// `(1 + rate / year)^seconds`, saturating (the one rule of the stability fee's and the savings
/// rate's growth).
pub fn compounded(rate: FixedU128, seconds: u64) -> FixedU128 {
	FixedU128::one()
		.saturating_add(per_second(rate))
		.saturating_pow(usize::try_from(seconds).unwrap_or(usize::MAX))
}

/// A yearly rate compounded every second, as a yearly yield: `(1 + rate / year)^year − 1`.
pub fn compounded_yearly(rate: FixedU128) -> FixedU128 {
	compounded(rate, SECONDS_PER_YEAR).saturating_sub(FixedU128::one())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::traits::{One, Zero};
	use sp_runtime::{ArithmeticError, FixedU128, Rounding};

	#[test]
	fn decimals_become_a_factor_in_one_place() {
		assert_eq!(unit(0), Some(1));
		assert_eq!(unit(10), Some(10_000_000_000));
		assert_eq!(unit(38), Some(10u128.pow(38)));
		assert_eq!(unit(39), None);
		// 2.5 DOT (10 decimals) is 2.5 whole tokens; one wei of ETH is 10^-18.
		assert_eq!(whole_tokens(25_000_000_000, 10), Some(FixedU128::from_rational(5, 2)));
		assert_eq!(whole_tokens(1, 18), Some(FixedU128::from_inner(1)));
		assert_eq!(whole_tokens(1, 39), None);
	}

	#[test]
	fn rescale_moves_a_per_unit_quantity_between_decimals() {
		// $7.50 per whole DOT is 7.5 × 10^-10 per planck, or 7.5 × 10^-12 × 10^2 per lvUSD unit:
		// per DOT planck in lvUSD units (12 decimals) it is 100 times the per-planck figure.
		let per_planck = FixedU128::from_rational(75, 10);
		assert_eq!(rescale(per_planck, 10, 12), Some(FixedU128::from_u32(750)));
		assert_eq!(rescale(FixedU128::from_u32(750), 12, 10), Some(per_planck));
		assert_eq!(rescale(per_planck, 6, 6), Some(per_planck));
		assert_eq!(rescale(FixedU128::from_u32(2), 0, 39), None);
	}

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
