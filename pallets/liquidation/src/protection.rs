//! Protective auto-deleverage, as the engine runs it with no keeper:
//!
//! 1. **At the trigger.** Each block the offchain sweep checks the next
//!    [`Config::ProtectionSweep`] accounts that protect positions, in turn; for each position
//!    whose ratio is below its trigger and whose deleverage would succeed in the validator's own
//!    state, it submits an authorized, feeless [`Pallet::deleverage`]. The chain admits it only
//!    when the same holds at the block's state (`authorize_deleverage` runs the deleverage and
//!    rolls it back), so a deleverage that would fail never takes a block's weight, and the pool
//!    holds one per position at a time. A crossed trigger is acted on within
//!    ⌈P / ProtectionSweep⌉ + 1 blocks for P accounts with protections; a position whose
//!    deleverage fails is tried again [`RETRY_AFTER`] blocks later.
//! 2. **At the liquidation line.** When a queued position's turn comes and its owner protects
//!    it ([`Config::Protection`]), the engine first asks for the deleverage, in the same block
//!    and the same budget: an item is admitted only when the meter can take its liquidation and
//!    a deleverage ([`Pallet::protection_weight`]). The liquidation's own re-check then finds a
//!    deleveraged position safe and leaves it alone (`NoLongerUnsafe`); after a failure
//!    (`ProtectionFailed`) it liquidates as before. So a price jump past both the trigger and
//!    the liquidation line in one move still meets the protection first, and liquidation stays
//!    the backstop.

use super::*;
use codec::Encode;
use frame_support::{
	pallet_prelude::{InvalidTransaction, TransactionSource},
	storage::{with_transaction, TransactionOutcome},
	traits::Get,
	weights::{Weight, WeightMeter},
};
use frame_system::pallet_prelude::BlockNumberFor;
use lever_primitives::{ProtectedPosition, Protection};
use sp_runtime::{
	offchain::storage::StorageValueRef,
	transaction_validity::{TransactionValidityError, TransactionValidityWithRefund},
	DispatchError,
};

/// The offchain storage key of the protection sweep's cursor.
const CURSOR_KEY: &[u8] = b"lever/liquidation/protection-cursor/1";
/// The prefix of the offchain storage keys recording when the sweep last submitted a
/// position's deleverage.
const SUBMITTED_PREFIX: &[u8] = b"lever/liquidation/protection-submitted/";
/// Blocks after which the sweep submits a position's deleverage again when it is still below
/// its trigger (see [`Pallet::submit_unless_recent`]).
pub const RETRY_AFTER: u32 = 3;
/// The log target of the sweep.
const LOG_TARGET: &str = "runtime::liquidation";

impl<T: Config> Pallet<T> {
	/// The most a position's protection costs in its turn: the read of its owner's protections
	/// and the heavier deleverage, of a vault or of a lending position.
	pub fn protection_weight() -> Weight {
		let vault = Self::deleverage_weight(ProtectedPosition::Vault(0));
		let lending =
			Self::deleverage_weight(ProtectedPosition::Lending { collateral: 0, debt: 0 });
		T::DbWeight::get().reads(1).saturating_add(vault.max(lending))
	}

	/// What deleveraging a position of `position`'s kind costs, from its benchmark
	/// ([`Protection::deleverage_weight`]).
	pub fn deleverage_weight(position: ProtectedPosition) -> Weight {
		T::Protection::deleverage_weight(position)
	}

	/// Deleverages `owner`'s position of `asset`'s vault if it is protected, charging `meter`
	/// the read and the deleverage; returns whether it did.
	pub(crate) fn protect_vault(
		asset: AssetId,
		owner: &T::AccountId,
		meter: &mut WeightMeter,
	) -> bool {
		let position = ProtectedPosition::Vault(asset);
		Self::protect(owner, meter, |positions| positions.contains(&position).then_some(position))
	}

	/// Deleverages the first lending position `account` protects, if any, charging `meter` the
	/// read and the deleverage; returns whether it did.
	pub(crate) fn protect_lending(account: &T::AccountId, meter: &mut WeightMeter) -> bool {
		Self::protect(account, meter, |positions| {
			positions
				.iter()
				.find(|position| matches!(position, ProtectedPosition::Lending { .. }))
				.copied()
		})
	}

	/// Reads `owner`'s protections, and deleverages the one `pick` chooses if `meter` can take
	/// it; emits `ProtectionFailed` when the deleverage fails (it changed nothing then).
	fn protect(
		owner: &T::AccountId,
		meter: &mut WeightMeter,
		pick: impl FnOnce(&[ProtectedPosition]) -> Option<ProtectedPosition>,
	) -> bool {
		if meter.try_consume(T::DbWeight::get().reads(1)).is_err() {
			return false;
		}
		let Some(position) = pick(&T::Protection::protected_positions(owner)) else {
			return false;
		};
		if meter.try_consume(Self::deleverage_weight(position)).is_err() {
			return false;
		}
		match T::Protection::deleverage(owner, position) {
			Ok(_) => true,
			Err(error) => {
				Self::deposit_event(Event::ProtectionFailed {
					owner: owner.clone(),
					position,
					error,
				});
				false
			},
		}
	}

	/// Whether `owner`'s `position` is below its trigger and its deleverage would succeed now;
	/// changes nothing.
	pub(crate) fn ensure_deleverageable(
		owner: &T::AccountId,
		position: ProtectedPosition,
	) -> Result<(), DispatchError> {
		if !T::Protection::is_triggered(owner, position) {
			return Err(Error::<T>::NotTriggered.into());
		}
		with_transaction(|| {
			TransactionOutcome::Rollback(T::Protection::deleverage(owner, position).map(|_| ()))
		})
	}

	/// Admits an unsigned deleverage when the position is below its trigger and the
	/// deleverage would succeed now, one per position in the pool at a time.
	pub(crate) fn authorize_deleverage(
		_source: TransactionSource,
		owner: &T::AccountId,
		position: &ProtectedPosition,
	) -> TransactionValidityWithRefund {
		if Self::ensure_deleverageable(owner, *position).is_err() {
			return Err(TransactionValidityError::Invalid(InvalidTransaction::Call));
		}
		Self::unsigned_validity("LeverDeleverage", (owner, position))
	}

	/// Checks the next [`Config::ProtectionSweep`] accounts that protect positions and submits a
	/// deleverage of each position below its trigger that would succeed.
	pub(crate) fn sweep_protections(now: BlockNumberFor<T>) {
		let mut store = StorageValueRef::persistent(CURSOR_KEY);
		let cursor = store.get::<T::AccountId>().ok().flatten();
		let limit = T::ProtectionSweep::get();
		let accounts = T::Protection::protected_accounts(cursor.as_ref(), limit);
		let mut submitted = 0u32;
		for (owner, positions) in &accounts {
			for position in positions {
				if Self::submit_deleverage(owner, *position, now) {
					submitted = submitted.saturating_add(1);
				}
			}
		}
		match accounts.last() {
			Some((last, _)) if accounts.len() as u32 == limit => store.set(last),
			_ => store.clear(),
		}
		if submitted != 0 {
			log::info!(target: LOG_TARGET, "submitted {submitted} protective deleverages");
		}
	}

	/// Submits a deleverage of `owner`'s `position` if it is below its trigger, would succeed,
	/// and was not submitted within [`RETRY_AFTER`] blocks; returns whether it submitted one.
	fn submit_deleverage(
		owner: &T::AccountId,
		position: ProtectedPosition,
		now: BlockNumberFor<T>,
	) -> bool {
		let mut key = SUBMITTED_PREFIX.to_vec();
		key.extend((owner, position).encode());
		Self::submit_unless_recent(
			&key,
			RETRY_AFTER,
			now,
			|| Self::ensure_deleverageable(owner, position).is_ok(),
			Call::<T>::deleverage { owner: owner.clone(), position },
		)
	}
}
