//! Flash loans: a market's cash lent for the length of one extrinsic.
//!
//! The market's recorded cash does not change while the loan is out (the exchange rate is
//! computed from recorded cash, so a loan never moves it); the repayment beyond the amount, the
//! fee, is added to both cash and reserves, so suppliers' shares keep their value and the
//! protocol keeps the fee. Everything runs inside the caller's extrinsic, which is transactional:
//! any error undoes the loan, the inner calls and the repayment together.

use super::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::Inspect,
		tokens::{Fortitude, Preservation},
		Contains, Get,
	},
	BoundedVec,
};
use sp_runtime::{
	traits::{Dispatchable, Zero},
	ArithmeticError, DispatchError,
};

impl<T: Config> Pallet<T> {
	/// The fee on a flash loan of `amount`: [`Config::FlashLoanFee`] of it, rounded up.
	pub fn flash_loan_fee(amount: Balance) -> Balance {
		T::FlashLoanFee::get().mul_ceil(amount)
	}

	/// Lends `amount` of the market's cash to `who`, runs `inner` (given the fee), then takes
	/// `amount` plus the fee back from `who`. A permissioned pool's market lends only to a
	/// holder of its credential (`NotMember`). Must run inside a transactional dispatch: on any
	/// error the caller's storage changes are undone with it.
	pub(crate) fn do_flash_loan<R>(
		who: &T::AccountId,
		asset: AssetId,
		amount: Balance,
		inner: impl FnOnce(Balance) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		ensure!(!FlashLoanOpen::<T>::get(), Error::<T>::NestedFlashLoan);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let market = Self::accrue_market(asset)?;
		ensure!(market.status == MarketStatus::Active, Error::<T>::MarketNotActive);
		Self::ensure_member(&market, who)?;
		ensure!(amount <= market.cash, Error::<T>::NotEnoughCash);
		let fee = Self::flash_loan_fee(amount);
		let owed = amount.checked_add(fee).ok_or(ArithmeticError::Overflow)?;

		FlashLoanOpen::<T>::put(true);
		Self::push(asset, who, amount)?;
		let result = inner(fee)?;
		let payable =
			T::Assets::reducible_balance(asset, who, Preservation::Expendable, Fortitude::Polite);
		ensure!(payable >= owed, Error::<T>::FlashLoanNotRepaid);
		let received = Self::pull(asset, who, owed)?;
		FlashLoanOpen::<T>::kill();

		// The inner calls may have moved this market (a supply through another pallet): read it
		// again, and add what came back beyond the amount to its cash and reserves.
		let mut market = Self::market(asset)?;
		let earned = received.saturating_sub(amount);
		market.cash = market.cash.checked_add(earned).ok_or(ArithmeticError::Overflow)?;
		market.reserves = market.reserves.checked_add(earned).ok_or(ArithmeticError::Overflow)?;
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::FlashLoaned { who: who.clone(), asset, amount, fee: earned });
		Ok(result)
	}

	/// Dispatches a flash loan's inner calls as `who`, stopping at the first that is not allowed
	/// or fails.
	pub(crate) fn dispatch_inner_calls(
		who: &T::AccountId,
		calls: BoundedVec<<T as frame_system::Config>::RuntimeCall, T::MaxFlashLoanCalls>,
	) -> DispatchResult {
		for call in calls {
			ensure!(T::FlashLoanCalls::contains(&call), Error::<T>::FlashLoanCallNotAllowed);
			call.dispatch(frame_system::RawOrigin::Signed(who.clone()).into())
				.map_err(|failed| failed.error)?;
		}
		Ok(())
	}
}
