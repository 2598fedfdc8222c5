//! The offchain sweep of lending accounts. Only accounts with debt are read, never one that only
//! supplies. Each run checks up to `SweepBatch` accounts:
//! 1. first, with up to three quarters of them ([`share_checks`]), the accounts exposed to the prices that moved: a
//!    pass over the lending pallet's accounts with debt that checks those with a position in a
//!    market whose price moved since the sweep last saw it, carried across runs by a cursor. A
//!    pass covers every asset that moved before it began; the assets that move while it runs
//!    wait for the next pass, which covers them all at once, so however often prices move, a
//!    move is passed over by the pass running when it is seen or by the next one. A pass reads
//!    every debtor's positions, offchain, to find the exposed ones and checks only those; a
//!    run's passes read at most `SweepScan` debtors, so a run's cost is bounded however many
//!    accounts owe;
//! 2. with what is left, at least a quarter of the batch, every account with debt in turn, from
//!    a cursor that wraps: what passes do not cover (interest, a ramped threshold) is found
//!    within ⌈D / ⌊SweepBatch / 4⌋⌉ runs for D accounts with debt, whatever prices do.
//!
//! It submits an authorized, feeless `flag_unsigned` for each account a signed `flag` would
//! queue; the pool admits one such flag per account at a time, and the chain re-checks each
//! before it queues it. An admitted flag is included in the next block; an account still
//! flaggable [`RESUBMIT_AFTER`] blocks after its flag was submitted was refused by the chain (it
//! was healthy for a moment, or the prices were stale when the block began), and is flagged
//! again. (The runtime makes each block's flag a distinct transaction, so the pool does not
//! hold a refused one against the next.)
//!
//! Bound: an account made liquidatable by a move of asset X is flagged within
//! 2 · (⌈D / SweepScan⌉ + ⌈E / P⌉ + 1) runs, however many accounts have no debt and however
//! often any price moves: the pass running when X's move is seen ends within
//! ⌈D / SweepScan⌉ + ⌈E / P⌉ + 1 runs (each run but its last reads `SweepScan` debtors or checks
//! P), and the next pass, which covers X, within as many again. D is the number of accounts with
//! debt, E the most of them exposed to one pass's assets (at most D), and P = SweepBatch −
//! ⌊SweepBatch / 4⌋ the passes' share of a run's checks.

use super::*;
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use codec::{Decode, Encode};
use frame_support::{
	pallet_prelude::{
		InvalidTransaction, TransactionPriority, TransactionSource, ValidTransaction,
	},
	traits::Get,
	weights::Weight,
};
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use lever_primitives::LendingLiquidation;
use sp_runtime::{
	offchain::storage::StorageValueRef,
	traits::Saturating,
	transaction_validity::{TransactionValidityError, TransactionValidityWithRefund},
	FixedU128,
};

/// The offchain storage key of the sweep's state (its second layout: one pass at a time).
pub(crate) const STATE_KEY: &[u8] = b"lever/liquidation/sweep-state/2";
/// The prefix of the offchain storage keys recording when the sweep last flagged an account.
const FLAGGED_PREFIX: &[u8] = b"lever/liquidation/sweep-flagged/";
/// Blocks after which the sweep flags an account again that is still flaggable: the block its
/// flag was submitted in and the one that includes it.
pub const RESUBMIT_AFTER: u32 = 2;
/// The log target of the sweep.
const LOG_TARGET: &str = "runtime::liquidation";

/// How a run's `batch` of checks is shared: up to three quarters for the passes over the
/// accounts exposed to moved prices, the rest, at least a quarter, for the round-robin over every
/// account with debt (it also gets what the passes leave). Returns (passes, round-robin).
pub(crate) fn share_checks(batch: u32) -> (u32, u32) {
	let round_robin = batch / 4;
	(batch.saturating_sub(round_robin), round_robin)
}

/// A pass over the accounts with debt exposed to the assets whose prices moved.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub(crate) struct Pass<AccountId> {
	/// The assets that moved before the pass began.
	pub(crate) assets: Vec<AssetId>,
	/// The last account with debt read, or `None` at the start.
	pub(crate) cursor: Option<AccountId>,
}

/// What the sweep keeps between runs in the node's offchain storage.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub(crate) struct SweepState<AccountId> {
	/// The price of each market the sweep last saw.
	pub(crate) prices: Vec<(AssetId, FixedU128)>,
	/// The pass running, if any.
	pub(crate) pass: Option<Pass<AccountId>>,
	/// The assets that moved since the running pass began: the next pass's.
	pub(crate) next: Vec<AssetId>,
	/// The last account the round-robin over every account with debt checked.
	pub(crate) cursor: Option<AccountId>,
}

impl<AccountId> Default for SweepState<AccountId> {
	fn default() -> Self {
		Self { prices: Vec::new(), pass: None, next: Vec::new(), cursor: None }
	}
}

impl<AccountId: Clone> SweepState<AccountId> {
	/// Notes every asset whose price differs from the one last seen for the next pass. A price
	/// seen for the first time starts none: the round-robin over every account with debt
	/// covers what came before.
	fn note_prices(&mut self, prices: Vec<(AssetId, Option<FixedU128>)>) {
		for (asset, price) in prices {
			let Some(price) = price else { continue };
			match self.prices.iter_mut().find(|(seen, _)| *seen == asset) {
				Some((_, seen)) if *seen == price => continue,
				Some((_, seen)) => *seen = price,
				None => {
					self.prices.push((asset, price));
					continue;
				},
			}
			if !self.next.contains(&asset) {
				self.next.push(asset);
			}
		}
	}

	/// The running pass, or a new one over the assets that moved, if any did.
	fn pass(&mut self) -> Option<&mut Pass<AccountId>> {
		if self.pass.is_none() && !self.next.is_empty() {
			let assets = core::mem::take(&mut self.next);
			self.pass = Some(Pass { assets, cursor: None });
		}
		self.pass.as_mut()
	}
}

impl<T: Config> Pallet<T> {
	/// Checks the next accounts with debt, those exposed to a moved price first, and flags
	/// those a signed flag would queue.
	pub(crate) fn run_offchain_sweep(now: BlockNumberFor<T>) {
		let store = StorageValueRef::persistent(STATE_KEY);
		let mut state = store.get::<SweepState<T::AccountId>>().ok().flatten().unwrap_or_default();
		state.note_prices(T::Lending::market_prices());
		let (mut budget, round_robin) = share_checks(T::SweepBatch::get());
		let mut checked = BTreeSet::new();
		let mut flagged = 0u32;
		let mut check = |accounts: &[T::AccountId], flagged: &mut u32| {
			for account in accounts {
				if checked.insert(account.encode()) && Self::sweep_flag(account, now) {
					*flagged = flagged.saturating_add(1);
				}
			}
		};

		let mut reads = T::SweepScan::get();
		// Ends: each turn stops the passes for this run or ends a pass, and a pass begins only
		// with the assets noted before this run, so at most two passes run.
		while budget != 0 && reads != 0 {
			let Some(pass) = state.pass() else { break };
			let scan = T::Lending::exposed(&pass.assets, pass.cursor.as_ref(), budget, reads);
			check(&scan.found, &mut flagged);
			budget = budget.saturating_sub(scan.found.len() as u32);
			reads = reads.saturating_sub(scan.read);
			if !scan.done {
				pass.cursor = scan.cursor;
				break;
			}
			state.pass = None;
		}
		let budget = budget.saturating_add(round_robin);
		if budget != 0 {
			let accounts = T::Lending::debtors(state.cursor.as_ref(), budget);
			check(&accounts, &mut flagged);
			state.cursor = match accounts.last() {
				Some(last) if accounts.len() as u32 == budget => Some(last.clone()),
				_ => None,
			};
		}
		store.set(&state);
		if flagged != 0 {
			log::info!(target: LOG_TARGET, "flagged {flagged} lending accounts");
		}
	}

	/// Submits a flag of `account` if a signed flag would queue it and the sweep has not
	/// flagged it within [`RESUBMIT_AFTER`] blocks; returns whether it submitted one.
	fn sweep_flag(account: &T::AccountId, now: BlockNumberFor<T>) -> bool {
		let mut key = FLAGGED_PREFIX.to_vec();
		key.extend(account.encode());
		let retry = Retry { after_submission: RESUBMIT_AFTER, after_refusal: 0 };
		Self::submit_unless_recent(
			&key,
			retry,
			now,
			|| Self::ensure_flaggable(account).is_ok(),
			Call::<T>::flag_unsigned { account: account.clone() },
		) == Submission::Submitted
	}

	/// Submits `call` as an authorized transaction when `admissible()` holds, unless the
	/// offchain storage record under `key` says to wait; then records when to try again:
	/// `retry.after_submission` blocks after a submission (what the chain refused, the state
	/// having moved between the node's check and the block, is sent again then), and
	/// `retry.after_refusal` blocks after `admissible()` refused (zero: check again next run).
	pub(crate) fn submit_unless_recent(
		key: &[u8],
		retry: Retry,
		now: BlockNumberFor<T>,
		admissible: impl FnOnce() -> bool,
		call: Call<T>,
	) -> Submission {
		let record = StorageValueRef::persistent(key);
		let wait_until = record.get::<BlockNumberFor<T>>().ok().flatten();
		if wait_until.is_some_and(|until| now < until) {
			return Submission::Waiting;
		}
		let again_after = |blocks: u32| now.saturating_add(BlockNumberFor::<T>::from(blocks));
		if !admissible() {
			if retry.after_refusal != 0 {
				record.set(&again_after(retry.after_refusal));
			}
			return Submission::Refused;
		}
		let xt =
			<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
		if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
			return Submission::Refused;
		}
		record.set(&again_after(retry.after_submission));
		Submission::Submitted
	}

	/// How the pool holds one of the sweep's unsigned calls: at `priority`, one per `provides`
	/// tag (under `prefix`) at a time, for `FlagLongevity` blocks, sent on to other nodes if
	/// `propagate`.
	pub(crate) fn unsigned_validity(
		prefix: &'static str,
		provides: impl Encode,
		priority: TransactionPriority,
		propagate: bool,
	) -> TransactionValidityWithRefund {
		let validity = ValidTransaction::with_tag_prefix(prefix)
			.priority(priority)
			.and_provides(provides)
			.longevity(T::FlagLongevity::get())
			.propagate(propagate)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	/// Admits an unsigned flag when a signed flag of the account would succeed now, one per
	/// account per `FlagLongevity` blocks in the pool.
	pub(crate) fn authorize_flag(
		_source: TransactionSource,
		account: &T::AccountId,
	) -> TransactionValidityWithRefund {
		match Self::ensure_flaggable(account) {
			Ok(()) => {},
			Err(error) if error == Error::<T>::AlreadyQueued.into() => {
				return Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
			},
			Err(_) => return Err(TransactionValidityError::Invalid(InvalidTransaction::Call)),
		}
		Self::unsigned_validity("LeverFlag", account, T::UnsignedPriority::get(), true)
	}
}

/// When the sweep tries a call again ([`Pallet::submit_unless_recent`]), in blocks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Retry {
	/// After it submitted the call.
	pub(crate) after_submission: u32,
	/// After the node's own check refused it (zero: at the next run).
	pub(crate) after_refusal: u32,
}

/// What [`Pallet::submit_unless_recent`] did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Submission {
	/// Nothing: the record said to wait.
	Waiting,
	/// Nothing: the node's own check refused the call, or the pool did.
	Refused,
	/// It submitted the call.
	Submitted,
}
