//! A collateral type: its parameters, its rate accumulator and totals, with the debt arithmetic
//! on [`CollateralType`] so every call computes it the same way.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use lever_primitives::{
	compounded, elapse_whole_seconds, mul_div, stable_value, whole_tokens, ReducesRisk,
};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::{
	traits::{CheckedDiv, One, Saturating, Zero},
	ArithmeticError, DispatchError, FixedPointNumber, FixedU128, Permill, Rounding,
};

/// The highest yearly stability fee: 100%.
pub const MAX_STABILITY_FEE: u128 = 1;

/// A collateral type's parameters, set by governance.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct CollateralParams {
	/// The least collateral value per unit of debt (1.5 is 150%): minting and withdrawing must
	/// keep a vault at or above it, and a vault below it can be liquidated (once a raised ratio
	/// has ramped in, see [`RatioRamp`]). At least 1 + the liquidation penalty, so a liquidation
	/// never starts under water.
	pub liquidation_ratio: FixedU128,
	/// The yearly stability fee (0.05 is 5%), compounded every second.
	pub stability_fee: FixedU128,
	/// The most lvUSD debt the type may carry, accrued fees included: a mint must leave the
	/// type's debt with fees at or below it. It may be set below the debt already there, which
	/// then only stops new minting.
	pub debt_ceiling: Balance,
	/// The least debt a vault may carry, unless it carries none, in lvUSD's smallest unit
	/// (Maker's "dust" limit, Liquity's minimum net debt).
	pub min_debt: Balance,
	/// The share of the debt liquidated added as a penalty, paid in collateral.
	pub liquidation_penalty: Permill,
	/// The collateral ratio a partial liquidation restores (1.6 is 160%): an unsafe vault at or
	/// above [`Self::whole_liquidation_ratio`] gives up only the debt, and collateral worth it
	/// with the penalty, that brings it back to this ratio at the liquidation's price. Above the
	/// liquidation ratio.
	pub target_ratio: FixedU128,
	/// Below this collateral ratio an unsafe vault is liquidated whole (1.2 is 120%), as it is
	/// when a partial liquidation would leave less than the minimum debt. At least 100% and at
	/// most the liquidation ratio; equal to it, every liquidation is whole.
	pub whole_liquidation_ratio: FixedU128,
}

impl CollateralParams {
	/// Whether the parameters are consistent: a liquidation ratio above 100% and at least
	/// 1 + the penalty, a target ratio above it, a whole-liquidation ratio between 100% and it,
	/// a fee of at most [`MAX_STABILITY_FEE`] a year, a non-zero ceiling and a minimum debt below
	/// it.
	pub fn is_valid(&self) -> bool {
		let with_penalty = FixedU128::one().saturating_add(self.liquidation_penalty.into());
		self.liquidation_ratio > FixedU128::one()
			&& self.liquidation_ratio >= with_penalty
			&& self.target_ratio > self.liquidation_ratio
			&& self.whole_liquidation_ratio >= FixedU128::one()
			&& self.whole_liquidation_ratio <= self.liquidation_ratio
			&& self.stability_fee <= FixedU128::saturating_from_integer(MAX_STABILITY_FEE)
			&& !self.debt_ceiling.is_zero()
			&& self.min_debt <= self.debt_ceiling
	}
}

impl ReducesRisk for CollateralParams {
	/// A higher or equal liquidation ratio (ramped in as any raise) and target ratio, a lower or
	/// equal debt ceiling, and the fee, minimum debt, penalty and whole-liquidation ratio
	/// unchanged: those move money between users and lvUSD holders, no direction of risk, so
	/// they need full governance.
	fn reduces_risk_from(&self, current: &Self) -> bool {
		self.liquidation_ratio >= current.liquidation_ratio
			&& self.target_ratio >= current.target_ratio
			&& self.debt_ceiling <= current.debt_ceiling
			&& self.stability_fee == current.stability_fee
			&& self.min_debt == current.min_debt
			&& self.liquidation_penalty == current.liquidation_penalty
			&& self.whole_liquidation_ratio == current.whole_liquidation_ratio
	}
}

impl ReducesRisk for CollateralStatus {
	/// Pausing, or staying as it is.
	fn reduces_risk_from(&self, current: &Self) -> bool {
		*self == Self::Paused || self == current
	}
}

/// A raised liquidation ratio moving in linearly for liquidation from the ratio in force when it
/// was raised, so no vault becomes liquidatable the moment governance raises it; mints and
/// withdrawals must meet the new ratio at once.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct RatioRamp {
	/// The ratio in force for liquidation when the ramp started.
	pub from: FixedU128,
	/// When the ramp started, in milliseconds.
	pub start: Moment,
	/// When the new ratio is fully in force, in milliseconds.
	pub end: Moment,
}

/// What a collateral type allows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum CollateralStatus {
	/// Every action is allowed.
	Active,
	/// No new debt; deposits, repayments and withdrawals within the ratio go on.
	Paused,
}

/// A collateral type: its parameters, rate accumulator and totals.
///
/// A vault's debt is its normalized debt × `rate`; the rate grows with the stability fee, once
/// per type, so fees accrue in O(1) however many vaults there are (Maker's `rate`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct CollateralType {
	/// The governance-set parameters.
	pub params: CollateralParams,
	/// What the type allows.
	pub status: CollateralStatus,
	/// The collateral asset's decimals, read from pallet-assets when the type was created.
	pub decimals: u8,
	/// lvUSD owed per unit of normalized debt; starts at one and only grows.
	pub rate: FixedU128,
	/// Until when fees have been accrued, in milliseconds (whole seconds are accrued).
	pub accrued_at: Moment,
	/// All vaults' normalized debt.
	pub normalized_debt: Balance,
	/// All vaults' collateral, held by the pallet.
	pub collateral: Balance,
	/// The price frozen by an emergency shutdown (USD per whole token).
	pub shutdown_price: Option<FixedU128>,
	/// Collateral taken from settled vaults after a shutdown, for lvUSD holders to redeem.
	pub redemption_pool: Balance,
	/// The redemption pool when redemption was fixed: what all lvUSD then in circulation shares.
	pub redeemable_at_fix: Balance,
	/// A raised liquidation ratio still moving in for liquidation.
	pub ratio_ramp: Option<RatioRamp>,
}

impl CollateralType {
	/// A new collateral type created at `now`.
	pub fn new(params: CollateralParams, decimals: u8, now: Moment) -> Self {
		Self {
			params,
			status: CollateralStatus::Active,
			decimals,
			rate: FixedU128::one(),
			accrued_at: now,
			normalized_debt: 0,
			collateral: 0,
			shutdown_price: None,
			redemption_pool: 0,
			redeemable_at_fix: 0,
			ratio_ramp: None,
		}
	}

	/// The liquidation ratio a vault is liquidated below at `now`: the parameter, or during a
	/// ramp the point between the ratio it started from and the parameter, proportional to the
	/// time elapsed, rounded down (in the owners' favour).
	pub fn ratio_in_force(&self, now: Moment) -> FixedU128 {
		let target = self.params.liquidation_ratio;
		let Some(ramp) = self.ratio_ramp.filter(|ramp| now < ramp.end && ramp.from < target) else {
			return target;
		};
		let elapsed = now.saturating_sub(ramp.start);
		let span = ramp.end.saturating_sub(ramp.start);
		let rise = mul_div(
			target.saturating_sub(ramp.from).into_inner(),
			u128::from(elapsed),
			u128::from(span),
			Rounding::Down,
		)
		.unwrap_or(0);
		ramp.from.saturating_add(FixedU128::from_inner(rise))
	}

	/// Replaces the parameters at `now`. A raised liquidation ratio ramps in for liquidation
	/// from the ratio in force over `ramp_period` milliseconds; a lowered or unchanged one
	/// applies at once and ends any ramp. Returns when the ramp ends, if one started.
	pub fn set_params(
		&mut self,
		params: CollateralParams,
		now: Moment,
		ramp_period: Moment,
	) -> Option<Moment> {
		let in_force = self.ratio_in_force(now);
		self.params = params;
		self.ratio_ramp = (params.liquidation_ratio > in_force && ramp_period != 0).then(|| {
			RatioRamp { from: in_force, start: now, end: now.saturating_add(ramp_period) }
		});
		self.ratio_ramp.map(|ramp| ramp.end)
	}

	/// The debt of `normalized` normalized debt, rounded up.
	pub fn debt_of(&self, normalized: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(normalized, self.rate.into_inner(), FixedU128::accuracy(), Rounding::Up)
	}

	/// The collateral price (USD per whole token) at which a vault of `collateral` and
	/// `normalized` debt reaches the liquidation ratio in force at `now`: its debt with fees at
	/// [`STABLE_PRICE`] × the ratio, over its collateral in whole tokens. Needs no price, so it
	/// is known while the price is stale; the type must be accrued to `now`. `None` without debt
	/// or collateral, or on overflow. The one definition: the vault pallet's, the liquidation
	/// engine's and one-click leverage's runtime APIs all report it.
	pub fn liquidation_price(
		&self,
		collateral: Balance,
		normalized: Balance,
		debt_decimals: u8,
		now: Moment,
	) -> Option<FixedU128> {
		let debt = self.debt_of(normalized).ok().filter(|debt| !debt.is_zero())?;
		let debt_value = stable_value(debt, debt_decimals)?;
		let tokens = whole_tokens(collateral, self.decimals)?;
		debt_value.saturating_mul(self.ratio_in_force(now)).checked_div(&tokens)
	}

	/// All vaults' debt with fees, rounded up.
	pub fn total_debt(&self) -> Result<Balance, ArithmeticError> {
		self.debt_of(self.normalized_debt)
	}

	/// Normalized debt added for minting `amount`, rounded up.
	pub fn normalized_for_mint(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(amount, FixedU128::accuracy(), self.rate.into_inner(), Rounding::Up)
	}

	/// Normalized debt removed for repaying `amount` of a larger debt, rounded down.
	pub fn normalized_for_repay(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(amount, FixedU128::accuracy(), self.rate.into_inner(), Rounding::Down)
	}

	/// Brings the rate up to `now`: it is multiplied by (1 + the per-second fee) for every whole
	/// second elapsed, rounded up. O(1): no vault is touched.
	pub fn accrue(&mut self, now: Moment) -> Result<(), ArithmeticError> {
		// A type opened in the genesis block (time zero) starts accruing at its first touch,
		// not from 1970, even if genesis vaults already owe.
		let seconds = elapse_whole_seconds(&mut self.accrued_at, now);
		if seconds.is_zero() || self.normalized_debt.is_zero() {
			return Ok(());
		}
		let growth = compounded(self.params.stability_fee, seconds);
		self.rate = FixedU128::from_inner(mul_div(
			self.rate.into_inner(),
			growth.into_inner(),
			FixedU128::accuracy(),
			Rounding::Up,
		)?);
		Ok(())
	}

	/// How much of an unsafe vault's `debt` (lvUSD with fees) one liquidation takes, given its
	/// collateral's `value` (in lvUSD's smallest unit at the liquidation's price, rounded down):
	/// the part x that restores the target ratio r once collateral worth x × (1 + penalty)
	/// has gone, x = (r × debt − value) / (r − 1 − penalty), rounded up, and at least the
	/// minimum debt (so every piece is worth auctioning); all of it below the
	/// whole-liquidation ratio, or when the part would leave less than the minimum debt.
	pub fn liquidation_part(
		&self,
		value: Balance,
		debt: Balance,
	) -> Result<Balance, ArithmeticError> {
		let params = &self.params;
		let of = |ratio: FixedU128, rounding| {
			mul_div(debt, ratio.into_inner(), FixedU128::accuracy(), rounding)
		};
		if value < of(params.whole_liquidation_ratio, Rounding::Up)? {
			return Ok(debt);
		}
		let margin = params
			.target_ratio
			.saturating_sub(FixedU128::one())
			.saturating_sub(params.liquidation_penalty.into());
		let shortfall = of(params.target_ratio, Rounding::Up)?.saturating_sub(value);
		let part = if margin.is_zero() {
			debt
		} else {
			mul_div(shortfall, FixedU128::accuracy(), margin.into_inner(), Rounding::Up)?
				.max(params.min_debt)
				.min(debt)
		};
		Ok(self.leaving_min_debt(part, debt, Balance::MAX))
	}

	/// `part` of a vault's `debt`, at most `at_most`, so what is left is nothing or at least the
	/// minimum debt: a part leaving less becomes the whole debt when `at_most` allows it, and
	/// otherwise shrinks to leave exactly the minimum (possibly to nothing).
	pub fn leaving_min_debt(&self, part: Balance, debt: Balance, at_most: Balance) -> Balance {
		let min_debt = self.params.min_debt;
		let part = if debt.saturating_sub(part) < min_debt { debt } else { part };
		if part <= at_most {
			return part;
		}
		if debt.saturating_sub(at_most) < min_debt {
			debt.saturating_sub(min_debt)
		} else {
			at_most
		}
	}

	/// The collateral a liquidation takes with `part` of a vault's `debt`: all of it for the
	/// whole debt; in a whole liquidation taken less than whole (as the auction caps allow),
	/// the vault's share for the part, so its ratio stays; in a partial one, what is worth the
	/// part with its penalty (the vault's `collateral` is worth `value` lvUSD units, rounded
	/// down), or the vault's share if that is less. Rounded down, in the owner's favour.
	pub fn collateral_for(
		&self,
		part: Balance,
		(collateral, value): (Balance, Balance),
		debt: Balance,
		whole: bool,
	) -> Result<Balance, ArithmeticError> {
		if part >= debt {
			return Ok(collateral);
		}
		let share = mul_div(collateral, part, debt, Rounding::Down)?;
		if whole || value.is_zero() {
			return Ok(share);
		}
		// `value` is rounded down: one unit more bounds the collateral's worth from above.
		let with_penalty = part.saturating_add(self.params.liquidation_penalty.mul_floor(part));
		Ok(mul_div(collateral, with_penalty, value.saturating_add(1), Rounding::Down)?.min(share))
	}

	/// This type with fees accrued to `now`, without writing anything.
	pub fn accrued(mut self, now: Moment) -> Result<Self, ArithmeticError> {
		self.accrue(now)?;
		Ok(self)
	}
}

impl<T: Config> Pallet<T> {
	/// The collateral type of `asset`, or `UnknownCollateralType`.
	pub(crate) fn collateral_type(asset: AssetId) -> Result<CollateralType, Error<T>> {
		CollateralTypes::<T>::get(asset).ok_or(Error::<T>::UnknownCollateralType)
	}

	/// The collateral type of `asset` with fees accrued to now and written back; the fees go
	/// to the surplus.
	pub(crate) fn accrue_type(asset: AssetId) -> Result<CollateralType, DispatchError> {
		let mut collateral_type = Self::collateral_type(asset)?;
		if ShutdownAt::<T>::exists() {
			return Ok(collateral_type);
		}
		let debt_before = collateral_type.total_debt()?;
		collateral_type.accrue(Clock::<T>::now_ms())?;
		let issuance = Self::issuance();
		Self::book(debt_before, collateral_type.total_debt()?, issuance, issuance)?;
		CollateralTypes::<T>::insert(asset, collateral_type);
		Ok(collateral_type)
	}
}
