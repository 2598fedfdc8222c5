//! The offchain sweep of lending accounts: each run checks the next `SweepBatch` accounts after a
//! cursor kept in the node's offchain storage and submits an authorized, feeless `flag_unsigned`
//! for each one that is liquidatable and not yet queued. The pool admits one such flag per
//! account per `FlagLongevity` blocks, and the chain re-checks each before it queues it.

use super::*;
use frame_support::{
	pallet_prelude::{InvalidTransaction, TransactionSource, ValidTransaction},
	traits::Get,
	weights::Weight,
};
use frame_system::offchain::{CreateAuthorizedTransaction, SubmitTransaction};
use lever_primitives::LendingLiquidation;
use sp_runtime::{
	offchain::storage::StorageValueRef,
	transaction_validity::{TransactionValidityError, TransactionValidityWithRefund},
};

/// The offchain storage key of the sweep's cursor: the last account checked.
const CURSOR_KEY: &[u8] = b"lever/liquidation/sweep-cursor";
/// The log target of the sweep.
const LOG_TARGET: &str = "runtime::liquidation";

impl<T: Config> Pallet<T> {
	/// Checks the next batch of lending accounts and flags the liquidatable ones.
	pub(crate) fn run_offchain_sweep() {
		let mut cursor = StorageValueRef::persistent(CURSOR_KEY);
		let after = cursor.get::<T::AccountId>().ok().flatten();
		let accounts = T::Lending::accounts(after.as_ref(), T::SweepBatch::get());
		let mut flagged = 0u32;
		for account in &accounts {
			if Flagged::<T>::contains_key(account)
				|| !T::Lending::is_liquidatable(account).unwrap_or(false)
			{
				continue;
			}
			let call = Call::<T>::flag_unsigned { account: account.clone() };
			let xt = <T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(
				call.into(),
			);
			if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_ok() {
				flagged = flagged.saturating_add(1);
			}
		}
		match accounts.last() {
			Some(last) if accounts.len() as u32 == T::SweepBatch::get() => cursor.set(last),
			_ => cursor.clear(),
		}
		if flagged != 0 {
			log::info!(target: LOG_TARGET, "flagged {flagged} of {} lending accounts", accounts.len());
		}
	}

	/// Admits an unsigned flag when the account is liquidatable now and not queued, one per
	/// account per `FlagLongevity` blocks in the pool.
	pub(crate) fn authorize_flag(
		_source: TransactionSource,
		account: &T::AccountId,
	) -> TransactionValidityWithRefund {
		if Flagged::<T>::contains_key(account) {
			return Err(TransactionValidityError::Invalid(InvalidTransaction::Stale));
		}
		if !T::Lending::is_liquidatable(account).unwrap_or(false) {
			return Err(TransactionValidityError::Invalid(InvalidTransaction::Call));
		}
		let validity = ValidTransaction::with_tag_prefix("LeverFlag")
			.priority(T::UnsignedPriority::get())
			.and_provides(account)
			.longevity(T::FlagLongevity::get())
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}
}
