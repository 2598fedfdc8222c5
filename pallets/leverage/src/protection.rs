//! Protective auto-deleverage: an owner's settings per position, with a deposit held, and the
//! deleverage the liquidation engine runs before it would liquidate a protected position.
//!
//! A deleverage repays debt with collateral sold on the AMM (the vault's `shrink`, the lending
//! position's `lever_down`, each with its oracle check at the owner's slippage), then pays the fee
//! in collateral. How much it repays is what brings the position to its goal: its target, or
//! [`FLOOR_MARGIN`] above the lowest ratio the withdrawal of the collateral sold may leave when
//! that is higher (a target chosen below it, or governance raising it since), so a deleverage
//! never fails on the vaults' or the pools' own check of the withdrawal. Each is a [`Bound`]:
//!
//! - a vault with collateral worth `C` and debt `D` (USD) that gives up `c` of collateral value
//!   per unit of debt repaid (the AMM's price, the flash loan's fee and the protection fee) is at
//!   ratio `T` after repaying `R = (T·D − C) / (T − c)`; its floor is the type's liquidation
//!   ratio for withdrawals (`VaultTerms::minimum_ratio`);
//! - a lending position with liquidation limit `L` and debt `D` whose collateral counts at the
//!   liquidation threshold `θ` is at health factor `T` after repaying `R = (T·D − L) / (T − θ·c)`;
//!   its floor is the borrow limit `B`, where the collateral counts at its collateral factor `f`:
//!   `B ≥ 1.01·D` after repaying `R = (1.01·D − B) / (1.01 − f·c)`.
//!
//! The repayment is the larger of the two. Where no partial repayment meets one (each unit
//! repaid would lower the ratio), or the one found would leave less than the minimum debt, the
//! deleverage repays all the debt: the vault is closed, or the lending pair unwound, and the
//! collateral left is its owner's. `c` is first taken as one plus the fee, then from the
//! AMM's quote for the last repayment found, and `R` computed again from it, up to
//! [`QUOTE_ROUNDS`] times, so the position ends at its goal up to the quote's change between the
//! last two amounts. A deleverage that would end below the trigger fails and changes nothing.

use super::*;
use frame_support::{
	ensure,
	traits::{
		fungible::MutateHold,
		fungibles::{metadata::Inspect as InspectMetadata, Inspect, Mutate},
		tokens::{DepositConsequence, Precision, Preservation, Provenance},
		Get,
	},
};
use lever_primitives::{
	amount_for_usd, convert, usd_value, Deleveraged, LendingPositions, ProtectedPosition,
	VaultPositions, STABLE_PRICE,
};
use sp_runtime::{
	traits::{CheckedDiv, CheckedMul, CheckedSub, One, Saturating, Zero},
	ArithmeticError, DispatchError, DispatchResult, FixedU128, Rounding,
};

/// How many times at most a deleverage quotes the AMM to find the repayment that reaches the
/// target: each quote prices the last repayment found, and the next repayment is within the
/// quote's change of the target; three bring it within a few parts in 10⁸ in the tests.
pub const QUOTE_ROUNDS: u32 = 3;

/// How far above the lowest ratio a change may leave (a vault type's liquidation ratio for
/// withdrawals, the health factor at a lending account's borrow limit) a deleverage aims when
/// the owner's target is below it: 1% above, as a factor, so the change's own check passes at
/// its prices and after rounding.
pub const FLOOR_MARGIN: FixedU128 = FixedU128::from_inner(1_010_000_000_000_000_000);

/// The highest trigger or target a protection may have: ten times the debt.
pub const MAX_PROTECTION_RATIO: FixedU128 = FixedU128::from_u32(10);

impl<T: Config> Pallet<T> {
	/// Protects `position` of `who` with `settings`, holding the deposit the first time (see
	/// [`Pallet::protect`]).
	pub fn do_protect(
		who: &T::AccountId,
		position: ProtectedPosition,
		settings: ProtectionSettings,
	) -> DispatchResult {
		Self::ensure_slippage_allowed(settings.max_slippage)?;
		let floor = Self::trigger_floor(who, position)?;
		ensure!(
			settings.trigger > floor
				&& settings.target > settings.trigger
				&& settings.target <= MAX_PROTECTION_RATIO,
			Error::<T>::InvalidProtection
		);
		let mut deposit = 0;
		Protections::<T>::try_mutate(who, |protections| -> DispatchResult {
			if let Some(entry) = protections.iter_mut().find(|entry| entry.position == position) {
				entry.settings = settings;
				return Ok(());
			}
			deposit = T::ProtectionDeposit::get();
			protections
				.try_push(Protected { position, settings, deposit })
				.map_err(|_| Error::<T>::TooManyProtections)?;
			T::Currency::hold(&HoldReason::Protection.into(), who, deposit)
		})?;
		Self::deposit_event(Event::Protected { who: who.clone(), position, settings, deposit });
		Ok(())
	}

	/// Stops protecting `position` of `who` and releases its deposit (see
	/// [`Pallet::unprotect`]).
	pub fn do_unprotect(who: &T::AccountId, position: ProtectedPosition) -> DispatchResult {
		let removed = Protections::<T>::try_mutate_exists(who, |slot| {
			let protections = slot.as_mut().ok_or(Error::<T>::NotProtected)?;
			let index = protections
				.iter()
				.position(|entry| entry.position == position)
				.ok_or(Error::<T>::NotProtected)?;
			let removed = protections.remove(index);
			if protections.is_empty() {
				*slot = None;
			}
			Ok::<_, DispatchError>(removed)
		})?;
		T::Currency::release(
			&HoldReason::Protection.into(),
			who,
			removed.deposit,
			Precision::BestEffort,
		)?;
		Self::deposit_event(Event::Unprotected {
			who: who.clone(),
			position,
			deposit: removed.deposit,
		});
		Ok(())
	}

	/// `who`'s settings for `position`, if it is protected.
	pub fn protection(
		who: &T::AccountId,
		position: ProtectedPosition,
	) -> Option<ProtectionSettings> {
		Protections::<T>::get(who)
			.into_iter()
			.find(|entry| entry.position == position)
			.map(|entry| entry.settings)
	}

	/// The position's ratio now at fresh prices: a vault's collateral ratio, a lending
	/// account's health factor. Fails without debt or a fresh price.
	pub fn ratio_of(
		who: &T::AccountId,
		position: ProtectedPosition,
	) -> Result<FixedU128, DispatchError> {
		let ratio = match position {
			ProtectedPosition::Vault(asset) => {
				Self::ensure_vault_ratio(who, asset, FixedU128::zero())?
			},
			ProtectedPosition::Lending { .. } => Self::ensure_health(who, FixedU128::zero())?,
		};
		ratio.ok_or_else(|| Error::<T>::NoDebt.into())
	}

	/// The ratio a trigger must be above: the vault type's liquidation ratio in force, or one
	/// for a health factor. Fails for a position that does not exist.
	fn trigger_floor(
		who: &T::AccountId,
		position: ProtectedPosition,
	) -> Result<FixedU128, DispatchError> {
		match position {
			ProtectedPosition::Vault(asset) => {
				ensure!(T::Vaults::vault(who, asset).is_some(), Error::<T>::NoPosition);
				let terms = T::Vaults::vault_terms(asset).ok_or(Error::<T>::NoPosition)?;
				Ok(terms.liquidation_ratio)
			},
			ProtectedPosition::Lending { collateral, debt } => {
				ensure!(collateral != debt, Error::<T>::SameAsset);
				ensure!(
					T::Lending::market_terms(collateral).is_some()
						&& T::Lending::market_terms(debt).is_some(),
					Error::<T>::NoPosition
				);
				Ok(FixedU128::one())
			},
		}
	}

	/// Deleverages `who`'s protected `position` to its goal and pays the fee (see the module
	/// documentation), emitting `Deleveraged`. Fails when the position is not protected, is at
	/// its goal already, the shrink or lever-down fails, it would end below its trigger, or it
	/// would take from the owner's free balance (`CollateralShort`); it must run inside a
	/// storage layer, which undoes it then.
	pub fn do_deleverage(
		who: &T::AccountId,
		position: ProtectedPosition,
	) -> Result<Deleveraged, DispatchError> {
		let mut settings = Self::protection(who, position).ok_or(Error::<T>::NotProtected)?;
		// Governance may have lowered the cap since the owner chose the slippage.
		settings.max_slippage = settings.max_slippage.min(SlippageCap::<T>::get());
		let (collateral, debt) = match position {
			ProtectedPosition::Vault(asset) => (asset, T::Vaults::stable_asset()),
			ProtectedPosition::Lending { collateral, debt } => (collateral, debt),
		};
		let wallet = || (T::Assets::balance(collateral, who), T::Assets::balance(debt, who));
		let before = wallet();
		let done = match position {
			ProtectedPosition::Vault(_) => Self::deleverage_vault(who, collateral, settings)?,
			ProtectedPosition::Lending { .. } => {
				Self::deleverage_lending(who, collateral, debt, settings)?
			},
		};
		// The position pays for itself: whatever the owner holds outside it stays untouched.
		let after = wallet();
		ensure!(after.0 >= before.0 && after.1 >= before.1, Error::<T>::CollateralShort);
		Self::deposit_event(Event::Deleveraged {
			who: who.clone(),
			position,
			repaid: done.repaid,
			sold: done.sold,
			fee: done.fee,
			flash_fee: done.flash_fee,
			price_impact: done.price_impact,
			ratio: done.ratio,
		});
		Ok(done)
	}

	/// Shrinks `who`'s vault of `asset` to its goal and pays the fee from its collateral (from
	/// what the closing returned, when all of its debt is repaid).
	fn deleverage_vault(
		who: &T::AccountId,
		asset: AssetId,
		settings: ProtectionSettings,
	) -> Result<Deleveraged, DispatchError> {
		let stable = T::Vaults::stable_asset();
		let terms = T::Vaults::vault_terms(asset).ok_or(Error::<T>::NoPosition)?;
		let (collateral, debt) = Self::vault_amounts(who, asset);
		let price = Self::price(asset)?;
		let risk_price = Self::risk_prices(asset)?.collateral;
		let decimals = T::Assets::decimals(asset);
		let at = |price| usd_value(collateral, decimals, price).ok_or(ArithmeticError::Overflow);
		let debt_value = Self::value(stable, debt)?;
		let bounds = [
			Bound {
				counted: at(price)?,
				debt: debt_value,
				debt_price: STABLE_PRICE,
				share: FixedU128::one(),
				ratio: settings.target,
			},
			// The vaults check a withdrawal with the collateral at its risk price.
			Bound {
				counted: at(risk_price)?,
				debt: debt_value,
				debt_price: STABLE_PRICE,
				share: risk_price.checked_div(&price).ok_or(ArithmeticError::DivisionByZero)?,
				ratio: terms.minimum_ratio.saturating_mul(FLOOR_MARGIN),
			},
		];
		let debt = Debt { asset: stable, owed: debt, min: terms.min_debt };
		let repay =
			Self::repayment_to_goal(ProtectedPosition::Vault(asset), debt, bounds, settings)?;
		let request = Shrink {
			asset,
			repay,
			max_slippage: settings.max_slippage,
			min_ratio: FixedU128::zero(),
		};
		let shrunk = Self::do_shrink(who, request)?;
		let charge = Self::charge(stable, asset, shrunk.repaid, shrunk.flash_fee)?;
		if !charge.to_treasury.is_zero() {
			if repay != AmountOrAll::All {
				let fee = AmountOrAll::Amount(charge.to_treasury);
				T::Vaults::adjust(who, asset, 0, 0, None, Some(fee))?;
			}
			Self::pay_fee(who, asset, charge.to_treasury)?;
		}
		Ok(Deleveraged {
			repaid: shrunk.repaid,
			sold: shrunk.sold,
			fee: charge.fee(),
			flash_fee: charge.flash_fee,
			price_impact: shrunk.price_impact,
			ratio: Self::ensure_vault_ratio(who, asset, settings.trigger)?,
		})
	}

	/// Levers `who`'s lending position down, selling `collateral` to repay `debt`, to its goal
	/// and pays the fee from its supply of `collateral` (from what the unwind returned, when all
	/// of `debt` is repaid).
	fn deleverage_lending(
		who: &T::AccountId,
		collateral: AssetId,
		debt: AssetId,
		settings: ProtectionSettings,
	) -> Result<Deleveraged, DispatchError> {
		let terms = T::Lending::market_terms(collateral).ok_or(Error::<T>::NoPosition)?;
		let min_debt = T::Lending::market_terms(debt).ok_or(Error::<T>::NoPosition)?.min_debt;
		let liquidity = T::Lending::liquidity(who)?;
		let check = T::Lending::withdrawal_check(who, collateral)?;
		let (collateral_price, debt_price) = (Self::price(collateral)?, Self::price(debt)?);
		let risk_collateral = Self::risk_prices(collateral)?.collateral;
		let risk_debt = Self::risk_prices(debt)?.debt;
		// Per unit of debt value repaid at the risk price, the borrow limit loses the factor ×
		// the collateral value given up at the oracle × (risk ÷ oracle collateral price) ×
		// (oracle ÷ risk debt price).
		let borrow_share = FixedU128::from(check.collateral_factor)
			.checked_mul(&risk_collateral)
			.and_then(|share| share.checked_div(&collateral_price))
			.and_then(|share| share.checked_mul(&debt_price))
			.and_then(|share| share.checked_div(&risk_debt))
			.ok_or(ArithmeticError::Overflow)?;
		let bounds = [
			Bound {
				counted: liquidity.liquidation_limit,
				debt: liquidity.debt_value,
				debt_price,
				share: terms.liquidation_threshold.into(),
				ratio: settings.target,
			},
			// The pools check a withdrawal against the borrow limit at the risk prices.
			Bound {
				counted: check.liquidity.borrow_limit,
				debt: check.liquidity.debt_value,
				debt_price: risk_debt,
				share: borrow_share,
				ratio: FLOOR_MARGIN,
			},
		];
		let owed = T::Lending::debt(who, debt)?;
		let position = ProtectedPosition::Lending { collateral, debt };
		let owing = Debt { asset: debt, owed, min: min_debt };
		let repay = Self::repayment_to_goal(position, owing, bounds, settings)?;
		let request = LeverDown {
			collateral,
			debt,
			repay,
			max_slippage: settings.max_slippage,
			min_health: FixedU128::zero(),
		};
		let levered = Self::do_lever_down(who, request)?;
		let flash_fee = Self::in_collateral(debt, collateral, levered.flash_fee, Rounding::Down)?;
		let charge = Self::charge(debt, collateral, levered.repaid, flash_fee)?;
		if !charge.to_treasury.is_zero() {
			let paid = match repay {
				AmountOrAll::All => charge.to_treasury,
				AmountOrAll::Amount(_) => {
					let fee = AmountOrAll::Amount(charge.to_treasury);
					T::Lending::withdraw(who, collateral, fee)?
				},
			};
			Self::pay_fee(who, collateral, paid)?;
		}
		Ok(Deleveraged {
			repaid: levered.repaid,
			sold: levered.sold,
			fee: charge.fee(),
			flash_fee: charge.flash_fee,
			price_impact: levered.price_impact,
			ratio: Self::ensure_health(who, settings.trigger)?,
		})
	}

	/// Pays `fee` of `asset` from `who`'s free balance to [`Config::FeeDestination`].
	fn pay_fee(who: &T::AccountId, asset: AssetId, fee: Balance) -> DispatchResult {
		let destination = T::FeeDestination::get();
		T::Assets::transfer(asset, who, &destination, fee, Preservation::Expendable).map(|_| ())
	}

	/// The repayment of `position`'s `debt` that meets every one of `bounds`: the largest
	/// [`Bound::repayment`], where `c` is first one plus the fee, then what the AMM quotes for
	/// the last repayment found (with the flash loan's fee and the protection fee),
	/// [`QUOTE_ROUNDS`] times at most, until it stops changing. All of the debt when no partial
	/// repayment meets a bound, or the one found would leave less than the minimum debt
	/// ([`Debt::repayment`]). Fails with `AlreadyAtTarget` when every bound holds already.
	fn repayment_to_goal(
		position: ProtectedPosition,
		debt: Debt,
		bounds: [Bound; 2],
		settings: ProtectionSettings,
	) -> Result<AmountOrAll, DispatchError> {
		// `None`: no partial repayment meets every bound.
		let decimals = T::Assets::decimals(debt.asset);
		let repayment_for = |cost: FixedU128| -> Result<Option<Balance>, DispatchError> {
			let mut repay: Balance = 0;
			for bound in &bounds {
				let Some(value) = bound.repayment(cost)? else { return Ok(None) };
				let amount = amount_for_usd(value, decimals, bound.debt_price)
					.ok_or(ArithmeticError::Overflow)?;
				repay = repay.max(amount);
			}
			// Never quote more than is owed: all of it is repaid then anyway.
			Ok(Some(repay.min(debt.owed)))
		};
		let fee = FixedU128::from(T::ProtectionFee::get());
		let Some(mut repay) = repayment_for(FixedU128::one().saturating_add(fee))? else {
			return Ok(AmountOrAll::All);
		};
		ensure!(!repay.is_zero(), Error::<T>::AlreadyAtTarget);
		for _ in 0..QUOTE_ROUNDS {
			let cost = Self::cost_per_unit_repaid(position, debt.asset, repay, settings)?;
			match repayment_for(cost)? {
				None => return Ok(AmountOrAll::All),
				Some(next) if next == repay => break,
				Some(next) => repay = next,
			}
		}
		Ok(debt.repayment(repay))
	}

	/// The collateral value a repayment of `repay` of `position`'s `debt_asset` costs per unit
	/// of debt value: the AMM's price for it, the flash loan's fee and the treasury's part of
	/// the protection fee ([`Self::charge`]).
	fn cost_per_unit_repaid(
		position: ProtectedPosition,
		debt_asset: AssetId,
		repay: Balance,
		settings: ProtectionSettings,
	) -> Result<FixedU128, DispatchError> {
		ensure!(!repay.is_zero(), Error::<T>::AlreadyAtTarget);
		let overflow = || DispatchError::from(ArithmeticError::Overflow);
		// A vault's shrink flash-loans the collateral sold and withdraws its fee from the vault;
		// a lending lever-down flash-loans the debt repaid and sells collateral for its fee too.
		let (collateral, sold, flash_fee) = match position {
			ProtectedPosition::Vault(collateral) => {
				let slippage = settings.max_slippage;
				let sold =
					Self::quote_exact_out(collateral, debt_asset, repay, slippage)?.amount_in;
				let flash_fee = T::Lending::flash_loan_fee(sold);
				(collateral, sold.checked_add(flash_fee).ok_or_else(overflow)?, flash_fee)
			},
			ProtectedPosition::Lending { collateral, .. } => {
				let flash_fee = T::Lending::flash_loan_fee(repay);
				let bought = repay.checked_add(flash_fee).ok_or_else(overflow)?;
				let sold =
					Self::quote_exact_out(collateral, debt_asset, bought, settings.max_slippage)?
						.amount_in;
				(
					collateral,
					sold,
					Self::in_collateral(debt_asset, collateral, flash_fee, Rounding::Down)?,
				)
			},
		};
		let charge = Self::charge(debt_asset, collateral, repay, flash_fee)?;
		let given = sold.checked_add(charge.to_treasury).ok_or_else(overflow)?;
		Self::value(collateral, given)?
			.checked_div(&Self::value(debt_asset, repay)?)
			.ok_or_else(|| Error::<T>::SwapTooSmall.into())
	}

	/// What a deleverage repaying `repaid` of `debt_asset` charges in `collateral` beyond the
	/// AMM's pool fee and price impact ([`Charge`]): [`Config::ProtectionFee`] of the repaid
	/// debt's oracle value, rounded up, of which the flash loan's fee (`flash_fee`, in
	/// `collateral` at the oracle) is one part and the treasury's the rest. The treasury's part
	/// is zero when it is below the collateral's minimum balance or [`Config::FeeDestination`]
	/// cannot receive it, so dust never stops a deleverage; a flash fee above the protection
	/// fee is charged whole.
	fn charge(
		debt_asset: AssetId,
		collateral: AssetId,
		repaid: Balance,
		flash_fee: Balance,
	) -> Result<Charge, DispatchError> {
		let worth = Self::in_collateral(debt_asset, collateral, repaid, Rounding::Up)?;
		let rest = T::ProtectionFee::get().mul_ceil(worth).saturating_sub(flash_fee);
		let treasury = T::FeeDestination::get();
		let receivable = rest >= T::Assets::minimum_balance(collateral)
			&& T::Assets::can_deposit(collateral, &treasury, rest, Provenance::Extant)
				== DepositConsequence::Success;
		let to_treasury = if receivable { rest } else { 0 };
		Ok(Charge { flash_fee, to_treasury })
	}

	/// `amount` of `asset` in `collateral` at their oracle prices, rounded as `rounding` says.
	fn in_collateral(
		asset: AssetId,
		collateral: AssetId,
		amount: Balance,
		rounding: Rounding,
	) -> Result<Balance, DispatchError> {
		convert(
			amount,
			(T::Assets::decimals(asset), Self::price(asset)?),
			(T::Assets::decimals(collateral), Self::price(collateral)?),
			rounding,
		)
		.map_err(Into::into)
	}
}

/// The debt a deleverage repays.
#[derive(Clone, Copy, Debug)]
pub struct Debt {
	/// The asset owed.
	pub asset: AssetId,
	/// What is owed, in the asset's smallest unit, interest or fees included.
	pub owed: Balance,
	/// The least debt a partial repayment may leave, in the asset's smallest unit.
	pub min: Balance,
}

impl Debt {
	/// Repaying `repay` (the asset's smallest unit), or all of the debt when that would leave
	/// less than the minimum debt, or nothing.
	pub fn repayment(&self, repay: Balance) -> AmountOrAll {
		match self.owed.checked_sub(repay) {
			Some(left) if left >= self.min && !left.is_zero() => AmountOrAll::Amount(repay),
			_ => AmountOrAll::All,
		}
	}
}

/// What a deleverage charges beyond the AMM's pool fee and price impact, in collateral (see
/// `Pallet::charge`).
#[derive(Clone, Copy, Debug)]
pub struct Charge {
	/// The flash loan's fee, paid to the lenders, at the oracle price.
	pub flash_fee: Balance,
	/// What the treasury receives.
	pub to_treasury: Balance,
}

impl Charge {
	/// The whole protection fee: the flash loan's fee and the treasury's part.
	pub fn fee(&self) -> Balance {
		self.flash_fee.saturating_add(self.to_treasury)
	}
}

/// One condition a deleverage leaves its position in, in the valuation of the check it stands
/// for (the oracle's for the target, the one the vaults or the pools check a withdrawal at for
/// the floor): `counted` (the collateral value the ratio counts) at least `ratio` × `debt`,
/// where repaying a unit of debt value lowers `counted` by `share` × the collateral value, at
/// the oracle, given up for each unit of debt value, at the oracle.
#[derive(Clone, Copy, Debug)]
pub struct Bound {
	/// The collateral value the ratio counts, USD.
	pub counted: FixedU128,
	/// The debt value the ratio counts, USD.
	pub debt: FixedU128,
	/// The debt asset's price in this valuation, USD per whole token: what turns a repayment's
	/// value into an amount.
	pub debt_price: FixedU128,
	/// What `counted` loses per unit of debt value repaid, per unit of the cost `c`.
	pub share: FixedU128,
	/// The ratio of `counted` to `debt` the bound asks for.
	pub ratio: FixedU128,
}

impl Bound {
	/// The debt value (USD, this valuation) whose repayment meets the bound when each unit
	/// repaid gives up `cost` of collateral value: `(ratio·debt − counted) / (ratio −
	/// share·cost)`, rounded down; zero when the bound holds already, and `None` when no
	/// partial repayment meets it (`share·cost ≥ ratio`: each unit repaid lowers the ratio or
	/// leaves it). Fails only on overflow.
	pub fn repayment(&self, cost: FixedU128) -> Result<Option<FixedU128>, ArithmeticError> {
		let wanted = self.debt.checked_mul(&self.ratio).ok_or(ArithmeticError::Overflow)?;
		let Some(shortfall) = wanted.checked_sub(&self.counted).filter(|s| !s.is_zero()) else {
			return Ok(Some(FixedU128::zero()));
		};
		let given = cost.checked_mul(&self.share).ok_or(ArithmeticError::Overflow)?;
		let Some(gain) = self.ratio.checked_sub(&given).filter(|gain| !gain.is_zero()) else {
			return Ok(None);
		};
		shortfall.checked_div(&gain).map(Some).ok_or(ArithmeticError::Overflow)
	}
}
