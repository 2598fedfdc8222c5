//! lvUSD's savings rate (Maker's Dai Savings Rate): lvUSD deposited in the savings pot earns a
//! governance-set yearly rate, compounded every second, paid out of the system's surplus.
//!
//! A saver holds **shares** of the pot; one share is worth the pot's **index** in lvUSD (Maker's
//! `chi`), which starts at one and only grows. Accrual is lazy and O(1): each call that touches
//! the pot first brings the index up to now, minting the interest it adds into the pot and taking
//! it out of [`Surplus`], so lvUSD's books keep balancing (issuance grows by what surplus loses).
//! Interest is never paid beyond what surplus holds over deficit: when the rate asks for more,
//! the index grows by only what that surplus pays, and the rest of the period's interest is not
//! owed later. After the shutdown nothing more is paid; savers withdraw at the index reached.
//!
//! Rounding favours the pot: shares for a deposit round down, shares for a withdrawal round up,
//! a saver's balance rounds down and the interest minted rounds up, so the pot always holds at
//! least what every saver can take out (`do_try_state` checks it).

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use lever_primitives::{compounded, custody, elapse_whole_seconds, mul_div, GovernanceTier};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{AccountIdConversion, One, Zero},
	ArithmeticError, FixedPointNumber, FixedU128, Rounding, TokenError,
};

/// The savings pot: the rate it pays, what one share is worth, how many shares there are and
/// when it last accrued. One storage item, read and written once per call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SavingsPot {
	/// The savings rate: yearly, compounded every second (0.05 is 5% a year before compounding).
	pub rate: FixedU128,
	/// lvUSD (smallest unit) one share (smallest unit) is worth: at least one, never decreasing.
	pub index: FixedU128,
	/// Every saver's shares together.
	pub shares: Balance,
	/// When the index was last brought up to date, in milliseconds (whole seconds past the
	/// first accrual); zero until the first call after genesis.
	pub accrued_at: Moment,
}

impl Default for SavingsPot {
	fn default() -> Self {
		Self { rate: FixedU128::zero(), index: FixedU128::one(), shares: 0, accrued_at: 0 }
	}
}

impl SavingsPot {
	/// Brings the index up to `now`: it grows by (1 + the per-second rate) for every whole second
	/// elapsed, but by no more than `available` lvUSD of interest can pay; returns the interest
	/// to mint into the pot (lvUSD's smallest unit, rounded up, at most `available`). The time
	/// advances even when nothing is paid: interest surplus could not pay is not owed later.
	///
	/// Errors on overflow (only for amounts past lvUSD's total issuance).
	pub fn accrue(&mut self, now: Moment, available: Balance) -> Result<Balance, ArithmeticError> {
		let seconds = elapse_whole_seconds(&mut self.accrued_at, now);
		if seconds.is_zero() || self.shares.is_zero() || self.rate.is_zero() {
			return Ok(0);
		}
		let growth = compounded(self.rate, seconds);
		let grown = mul_div(
			self.index.into_inner(),
			growth.into_inner(),
			FixedU128::accuracy(),
			Rounding::Down,
		)?;
		let affordable = mul_div(available, FixedU128::accuracy(), self.shares, Rounding::Down)?;
		let step = grown.saturating_sub(self.index.into_inner()).min(affordable);
		let paid = mul_div(self.shares, step, FixedU128::accuracy(), Rounding::Up)?;
		self.index = FixedU128::from_inner(
			self.index.into_inner().checked_add(step).ok_or(ArithmeticError::Overflow)?,
		);
		Ok(paid)
	}

	/// What `shares` are worth in lvUSD at the index, rounded down.
	pub fn value_of(&self, shares: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(shares, self.index.into_inner(), FixedU128::accuracy(), Rounding::Down)
	}

	/// The shares a deposit of `amount` lvUSD buys, rounded down.
	pub fn shares_for_deposit(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(amount, FixedU128::accuracy(), self.index.into_inner(), Rounding::Down)
	}

	/// The shares a withdrawal of `amount` lvUSD gives up, rounded up.
	pub fn shares_for_withdrawal(&self, amount: Balance) -> Result<Balance, ArithmeticError> {
		mul_div(amount, FixedU128::accuracy(), self.index.into_inner(), Rounding::Up)
	}
}

impl<T: Config> Pallet<T> {
	/// The account holding the savings pot's lvUSD (a sub-account of the pallet's).
	pub fn savings_account() -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(*b"savings")
	}

	/// The interest the pot may still pay now: surplus beyond the deficit it must cover, and
	/// nothing after the shutdown.
	pub(crate) fn savings_budget() -> Balance {
		if ShutdownAt::<T>::exists() {
			return 0;
		}
		Surplus::<T>::get().saturating_sub(Deficit::<T>::get())
	}

	/// The pot accrued to now, without paying anything: what the runtime API shows. The pot as
	/// stored if its accrual would overflow.
	pub fn savings_pot_now() -> SavingsPot {
		let mut pot = Pot::<T>::get();
		let stored = pot;
		match pot.accrue(Clock::<T>::now_ms(), Self::savings_budget()) {
			Ok(_) => pot,
			Err(_) => stored,
		}
	}

	/// Brings the pot up to now and pays its interest: mints it into the pot's account and takes
	/// it out of [`Surplus`]. Returns the pot accrued, not yet written. If the interest cannot be
	/// minted or the accrual overflows, returns the pot as stored: savers can always take out
	/// what they have, interest or not.
	pub(crate) fn accrue_savings() -> SavingsPot {
		let stored = Pot::<T>::get();
		let mut pot = stored;
		let paid = match pot.accrue(Clock::<T>::now_ms(), Self::savings_budget()) {
			Ok(paid) => paid,
			Err(_) => return stored,
		};
		if !paid.is_zero() {
			let account = Self::savings_account();
			custody::keep_account::<T>(&account);
			if T::Assets::mint_into(T::StableAsset::get(), &account, paid).is_err() {
				return stored;
			}
			Surplus::<T>::mutate(|surplus| *surplus = surplus.saturating_sub(paid));
			Self::deposit_event(Event::SavingsAccrued { paid, index: pot.index });
		}
		pot
	}

	/// Moves `amount` lvUSD of `saver` into the savings pot for shares. Fails for zero, for an
	/// amount that buys no share, if the saver would hold less than `MinSavings`, or if the saver
	/// cannot pay.
	pub(crate) fn do_save(saver: &T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let stable = T::StableAsset::get();
		let reducible = T::Assets::reducible_balance(
			stable,
			saver,
			Preservation::Expendable,
			Fortitude::Polite,
		);
		ensure!(amount <= reducible, TokenError::FundsUnavailable);
		let mut pot = Self::accrue_savings();
		let account = Self::savings_account();
		custody::keep_account::<T>(&account);
		let arrived =
			custody::take_in::<_, T::Assets>(T::StableAsset::get(), saver, &account, amount)?;
		let shares = pot.shares_for_deposit(arrived)?;
		ensure!(!shares.is_zero(), Error::<T>::SavingsDust);
		let held = Savings::<T>::get(saver).checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		ensure!(pot.value_of(held)? >= T::MinSavings::get(), Error::<T>::SavingsDust);
		pot.shares = pot.shares.checked_add(shares).ok_or(ArithmeticError::Overflow)?;
		Savings::<T>::insert(saver, held);
		Pot::<T>::put(pot);
		Self::deposit_event(Event::Saved { who: saver.clone(), amount: arrived, shares });
		Ok(())
	}

	/// Pays `amount` lvUSD (or all the saver has) out of the pot to `saver`. Fails for zero, for
	/// more than the saver has, or if the saver would keep less than `MinSavings` (withdraw all).
	pub(crate) fn do_withdraw_savings(saver: &T::AccountId, amount: AmountOrAll) -> DispatchResult {
		let held = Savings::<T>::get(saver);
		ensure!(!held.is_zero(), Error::<T>::NoSavings);
		let mut pot = Self::accrue_savings();
		let (shares, paid) = match amount {
			AmountOrAll::All => (held, pot.value_of(held)?),
			AmountOrAll::Amount(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
				// Only an amount far past all lvUSD overflows: more than the saver has.
				let shares = pot
					.shares_for_withdrawal(amount)
					.map_err(|_| Error::<T>::InsufficientSavings)?;
				(shares, amount)
			},
		};
		ensure!(shares <= held, Error::<T>::InsufficientSavings);
		let kept = held.saturating_sub(shares);
		ensure!(
			kept.is_zero() || pot.value_of(kept)? >= T::MinSavings::get(),
			Error::<T>::SavingsDust
		);
		pot.shares = pot.shares.saturating_sub(shares);
		// The last saver out takes the pot's rounding crumbs along; while others save, the pot
		// keeps at least their balances, which are at least `MinSavings` each.
		let preservation =
			if pot.shares.is_zero() { Preservation::Expendable } else { Preservation::Preserve };
		let account = Self::savings_account();
		let swept = custody::pay_out::<_, T::Assets>(
			T::StableAsset::get(),
			&account,
			saver,
			paid,
			preservation,
		)?;
		if kept.is_zero() {
			Savings::<T>::remove(saver);
		} else {
			Savings::<T>::insert(saver, kept);
		}
		Pot::<T>::put(pot);
		Self::deposit_event(Event::SavingsWithdrawn {
			who: saver.clone(),
			amount: paid.saturating_add(swept),
			shares,
		});
		Ok(())
	}

	/// Sets the savings rate after paying interest at the old one up to now. Full governance may
	/// set any rate up to `MaxSavingsRate`; the risk council may only lower it (a higher rate
	/// spends more surplus).
	pub(crate) fn do_set_savings_rate(tier: GovernanceTier, rate: FixedU128) -> DispatchResult {
		ensure!(rate <= T::MaxSavingsRate::get(), Error::<T>::InvalidSavingsRate);
		let mut pot = Self::accrue_savings();
		ensure!(tier == GovernanceTier::Full || rate <= pot.rate, Error::<T>::RiskIncreasing);
		pot.rate = rate;
		Pot::<T>::put(pot);
		Self::deposit_event(Event::SavingsRateSet { rate });
		Ok(())
	}

	/// `saver`'s savings in lvUSD at the pot's index accrued to now (rounded down).
	pub fn savings_of(saver: &T::AccountId) -> Balance {
		Self::savings_pot_now().value_of(Savings::<T>::get(saver)).unwrap_or_default()
	}
}
