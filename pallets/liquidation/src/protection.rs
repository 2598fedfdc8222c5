//! Protective auto-deleverage, as the engine runs it with no keeper:
//!
//! 1. **At the trigger.** Each block the offchain sweep checks the next
//!    [`Config::ProtectionSweep`] accounts that protect positions, in turn; for each position
//!    whose ratio is below its trigger and whose deleverage succeeds in the validator's own
//!    state, it submits an authorized, feeless [`Pallet::deleverage`], trying at most
//!    [`MAX_TRIALS`] deleverages a run. The chain admits one only from the block author's own
//!    sweep (a local submission, or in a block: no one else can send this free call), when the
//!    same holds at the block's state (`authorize_deleverage` runs the deleverage and rolls it
//!    back), at priority zero (after every paid transaction) and kept to the author's pool, so a
//!    deleverage that would fail never takes a block's weight and none displaces a paid
//!    transaction. A crossed trigger is acted on within ⌈P / ProtectionSweep⌉ + 1 blocks for P
//!    accounts with protections while a run has fewer than [`MAX_TRIALS`] deleverages to try. A
//!    submitted deleverage is sent again [`RETRY_AFTER`] blocks later if its position is still
//!    below its trigger; one that fails in the validator's state waits
//!    [`BACK_OFF_AFTER_FAILURE`] blocks, so positions made to fail cannot crowd the runs.
//! 2. **At the liquidation line.** When a queued position's turn comes and its owner protects
//!    it ([`Config::Protection`]), the engine first asks for the deleverage, in the same block
//!    and the same budget: an item is admitted only when the meter can take its liquidation and
//!    a deleverage ([`Pallet::protection_weight`]). A lending account is first checked to be
//!    liquidatable; its protected pairs are then tried in order until one succeeds, at most
//!    [`MAX_PAIRS_TRIED`], each further one only while the meter takes it. The liquidation's own re-check then finds a
//!    deleveraged position safe and leaves it alone (`NoLongerUnsafe`); after a failure
//!    (`ProtectionFailed`) it liquidates as before. So a price jump past both the trigger and
//!    the liquidation line in one move still meets the protection first, and liquidation stays
//!    the backstop.

use super::*;
use crate::offchain::{Retry, Submission};
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
/// Blocks the sweep leaves a position below its trigger whose deleverage failed in the
/// validator's own state (past the owner's slippage, no cash for the flash loan, a target the
/// borrow limit forbids, ...) before it tries it again: the liquidation engine still tries it
/// before any liquidation.
pub const BACK_OFF_AFTER_FAILURE: u32 = 50;
/// The most deleverages one run of the sweep tries (each runs the whole deleverage in the
/// validator's state, about 19 balance transfers' worth at the benchmarked weights in
/// docs/PERFORMANCE.md): about 1,200 transfers' worth of a validator's offchain worker a block,
/// however many positions are below their trigger.
pub const MAX_TRIALS: u32 = 64;
/// The most protected lending pairs of one account the engine tries in its liquidation turn:
/// with the read, at most about 2% of the engine's budget at the benchmarked weights, however
/// many pairs fail, so accounts made to fail cannot hold back other liquidations for long.
pub const MAX_PAIRS_TRIED: usize = 3;
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
		let vault = ProtectedPosition::Vault(asset);
		Self::protect(owner, meter, 1, |position| *position == vault)
	}

	/// Deleverages one of the lending positions `account` protects, trying the first
	/// [`MAX_PAIRS_TRIED`] in the order they were protected until one succeeds (any one raises
	/// the account's health factor to its goal), charging `meter` the read and each deleverage
	/// tried; returns whether one did. The meter stops the tries when it cannot take the next.
	pub(crate) fn protect_lending(account: &T::AccountId, meter: &mut WeightMeter) -> bool {
		Self::protect(account, meter, MAX_PAIRS_TRIED, |position| {
			matches!(position, ProtectedPosition::Lending { .. })
		})
	}

	/// Reads `owner`'s protections and deleverages the first `tries` that `eligible` admits, in
	/// order, while `meter` can take each, until one succeeds; emits `ProtectionFailed` for each
	/// that fails (it changed nothing then). Returns whether one succeeded.
	fn protect(
		owner: &T::AccountId,
		meter: &mut WeightMeter,
		tries: usize,
		eligible: impl Fn(&ProtectedPosition) -> bool,
	) -> bool {
		if meter.try_consume(T::DbWeight::get().reads(1)).is_err() {
			return false;
		}
		let positions = T::Protection::protected_positions(owner);
		for position in positions.into_iter().filter(eligible).take(tries) {
			if meter.try_consume(Self::deleverage_weight(position)).is_err() {
				return false;
			}
			match T::Protection::deleverage(owner, position) {
				Ok(_) => return true,
				Err(error) => Self::deposit_event(Event::ProtectionFailed {
					owner: owner.clone(),
					position,
					error,
				}),
			}
		}
		false
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
		Self::dry_run_deleverage(owner, position)
	}

	/// Whether `owner`'s `position`'s deleverage would succeed now, whatever its trigger: it
	/// runs and is rolled back, so it changes nothing.
	fn dry_run_deleverage(
		owner: &T::AccountId,
		position: ProtectedPosition,
	) -> Result<(), DispatchError> {
		with_transaction(|| {
			TransactionOutcome::Rollback(T::Protection::deleverage(owner, position).map(|_| ()))
		})
	}

	/// Admits an unsigned deleverage only from the block author's own offchain sweep (a local
	/// submission, or in a block), when the position is below its trigger and the deleverage
	/// would succeed now, one per position in the pool at a time, kept to the author's pool and
	/// after every other transaction: a free call nobody outside the validators can send, that
	/// never displaces a paid one.
	pub(crate) fn authorize_deleverage(
		source: TransactionSource,
		owner: &T::AccountId,
		position: &ProtectedPosition,
	) -> TransactionValidityWithRefund {
		if !matches!(source, TransactionSource::Local | TransactionSource::InBlock) {
			return Err(TransactionValidityError::Invalid(InvalidTransaction::Call));
		}
		if Self::ensure_deleverageable(owner, *position).is_err() {
			return Err(TransactionValidityError::Invalid(InvalidTransaction::Call));
		}
		Self::unsigned_validity("LeverDeleverage", (owner, position), 0, false)
	}

	/// Checks the next [`Config::ProtectionSweep`] accounts that protect positions and submits a
	/// deleverage of each position below its trigger that would succeed, trying at most
	/// [`MAX_TRIALS`] deleverages a run (the rest of the accounts wait for the next run).
	pub(crate) fn sweep_protections(now: BlockNumberFor<T>) {
		let mut store = StorageValueRef::persistent(CURSOR_KEY);
		let cursor = store.get::<T::AccountId>().ok().flatten();
		let limit = T::ProtectionSweep::get();
		let accounts = T::Protection::protected_accounts(cursor.as_ref(), limit);
		let (mut submitted, mut trials) = (0u32, 0u32);
		let (mut last, mut stopped) = (None, false);
		'accounts: for (owner, positions) in &accounts {
			for position in positions {
				// An account the run cannot finish is looked at whole in the next run.
				if trials >= MAX_TRIALS {
					stopped = true;
					break 'accounts;
				}
				match Self::submit_deleverage(owner, *position, now) {
					Submission::Submitted => {
						submitted = submitted.saturating_add(1);
						trials = trials.saturating_add(1);
					},
					Submission::Refused => trials = trials.saturating_add(1),
					Submission::Waiting => {},
				}
			}
			last = Some(owner);
		}
		match (last, stopped) {
			(Some(owner), true) => store.set(owner),
			// Stopped within the first account: the next run starts where this one did.
			(None, true) => {},
			(Some(owner), false) if accounts.len() as u32 == limit => store.set(owner),
			_ => store.clear(),
		}
		if submitted != 0 {
			log::info!(target: LOG_TARGET, "submitted {submitted} protective deleverages");
		}
	}

	/// Submits a deleverage of `owner`'s `position` if it is below its trigger and would
	/// succeed, unless the sweep submitted one within [`RETRY_AFTER`] blocks, or found one below
	/// its trigger failing within [`BACK_OFF_AFTER_FAILURE`] blocks.
	fn submit_deleverage(
		owner: &T::AccountId,
		position: ProtectedPosition,
		now: BlockNumberFor<T>,
	) -> Submission {
		let mut key = SUBMITTED_PREFIX.to_vec();
		key.extend((owner, position).encode());
		// A position above its trigger costs one valuation and is looked at again next round;
		// one below it whose deleverage fails waits, so failing positions cannot crowd the runs.
		if !T::Protection::is_triggered(owner, position) {
			return Submission::Waiting;
		}
		let retry = Retry { after_submission: RETRY_AFTER, after_refusal: BACK_OFF_AFTER_FAILURE };
		Self::submit_unless_recent(
			&key,
			retry,
			now,
			// The trigger was just checked: the dry run alone tells whether it would succeed.
			|| Self::dry_run_deleverage(owner, position).is_ok(),
			Call::<T>::deleverage { owner: owner.clone(), position },
		)
	}
}
