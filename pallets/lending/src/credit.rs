//! The on-chain credit score: a number from 0 to 1000 per account, computed only from the
//! account's own borrowing history in these pools, and governance-set tiers that turn a score
//! into a bounded, larger collateral factor.
//!
//! ## The record
//!
//! An account's [`CreditRecord`] starts at its first borrow and counts:
//! - **loans repaid in full**: debt spells (from the account's first debt to the repayment of its
//!   last) whose last borrow was held at least the policy's **minimum loan age** and that ended
//!   in repayment, by the account or anyone for it;
//! - **time with debt**: the length of those spells;
//! - **proven size**: the largest debt, in USD, such a spell repaid: the account's total debt at
//!   its last borrow, less what it repaid before that borrow was the minimum loan age old.
//!
//! Every borrow restarts the spell's clock, and a repayment before the clock reaches the minimum
//! loan age lowers the proven size by what it repaid, so a debt counts only for what was held
//! for the minimum loan age: a peak borrowed for a moment (with a flash loan, or funds lent by
//! another of one's accounts) proves nothing. Moving tokens between accounts changes no record;
//! flash loans open no position. A liquidation, a take-over by the liquidation engine's book or
//! a write-off **resets** the record: the score starts again from zero.
//!
//! ## The score
//!
//! `score = min(1000, 100·min(repaid, 5) + min(300, days with debt) + min(200, 200·age in days
//! / 365))`, age counted from the first borrow (or the last reset), all rounded down
//! ([`CreditRecord::score`]).
//!
//! ## What it earns
//!
//! Governance sets [`CreditPolicy`]: the minimum loan age and tiers, each a least score and a
//! collateral-factor bonus of at most `Config::MaxCreditBonus`. An account whose score reaches a
//! tier borrows against each collateral at `min(collateral factor + bonus, liquidation threshold
//! − Config::CreditFloor)`, never below the collateral factor, and the borrow limit this adds is
//! at most the account's proven size ([`CreditTerms`]). The liquidation threshold, and so when an
//! account is liquidated, never depends on the score.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	ensure, pallet_prelude::DispatchResult, traits::Get, BoundedVec, CloneNoBound, DebugNoBound,
	EqNoBound, PartialEqNoBound,
};
use lever_primitives::{usd_value, PriceProvider};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Saturating, Zero},
	FixedU128, Permill,
};

/// The highest score.
pub const MAX_SCORE: u32 = 1000;
/// Points per loan repaid in full, for up to [`COUNTED_LOANS`] loans.
pub const POINTS_PER_LOAN: u32 = 100;
/// The most loans repaid in full that add to the score.
pub const COUNTED_LOANS: u32 = 5;
/// The most points for time with debt, one per whole day.
pub const MAX_DEBT_DAY_POINTS: u32 = 300;
/// The most points for the account's age, reached after a year.
pub const MAX_AGE_POINTS: u32 = 200;
/// Milliseconds in a day.
const DAY_MS: Moment = 86_400_000;
/// Days in the year over which the age points accrue.
const AGE_DAYS: u64 = 365;

/// The debt spell going on: from the account's first debt to the repayment of its last.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Spell {
	/// When the account's first debt of the spell opened, in Unix milliseconds.
	pub opened: Moment,
	/// When the account last borrowed, in Unix milliseconds: the spell counts only if this is
	/// at least the minimum loan age before its final repayment.
	pub last_borrow: Moment,
	/// The USD value the spell may prove: the account's total debt at its last borrow, less
	/// what it repaid while that borrow was younger than the minimum loan age.
	pub held: FixedU128,
}

impl Spell {
	/// Whether the last borrow is at least `min_loan_age` milliseconds old at `now`: the one
	/// rule for when a loan may count and a repayment no longer lowers what it proves.
	pub fn is_aged(&self, now: Moment, min_loan_age: Moment) -> bool {
		now.saturating_sub(self.last_borrow) >= min_loan_age
	}
}

/// An account's borrowing history as the score counts it (see the module's documentation).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct CreditRecord {
	/// The account's first borrow, or its last reset, in Unix milliseconds.
	pub since: Moment,
	/// The spell going on, while the account owes and it may still count.
	pub spell: Option<Spell>,
	/// Loans (spells) repaid in full after the minimum loan age.
	pub repaid: u32,
	/// Milliseconds with debt over the spells counted.
	pub debt_time: Moment,
	/// The largest USD value a counted spell proved: the most the score may add to the
	/// account's borrow limit.
	pub proven: FixedU128,
}

impl CreditRecord {
	/// A record that starts at `now`: nothing proven.
	pub fn new(now: Moment) -> Self {
		Self { since: now, ..Self::default() }
	}

	/// The score at `now`, 0 to [`MAX_SCORE`]: `100·min(repaid, 5) + min(300, days with debt) +
	/// min(200, 200·age in days / 365)`, each term rounded down.
	pub fn score(&self, now: Moment) -> u32 {
		let loans = self.repaid.min(COUNTED_LOANS).saturating_mul(POINTS_PER_LOAN);
		let debt_days = days(self.debt_time).min(u64::from(MAX_DEBT_DAY_POINTS));
		let age_days = days(now.saturating_sub(self.since));
		let age = age_days.saturating_mul(u64::from(MAX_AGE_POINTS)) / AGE_DAYS;
		let age = age.min(u64::from(MAX_AGE_POINTS));
		let total = u64::from(loans).saturating_add(debt_days).saturating_add(age);
		u32::try_from(total).unwrap_or(MAX_SCORE).min(MAX_SCORE)
	}

	/// The record after a borrow at `now` that leaves the account owing `debt` in USD: the
	/// spell opens if the account did not owe, and its clock restarts with `debt` to prove.
	pub fn borrowed(mut self, now: Moment, debt: FixedU128) -> Self {
		let opened = self.spell.map_or(now, |spell| spell.opened);
		self.spell = Some(Spell { opened, last_borrow: now, held: debt });
		self
	}

	/// The record after a repayment worth `value` in USD at `now` that leaves the account
	/// `still_owing` or not, with loans counting after `min_loan_age` milliseconds. Before the
	/// last borrow is that old, the repayment lowers what the spell proves. When the account no
	/// longer owes, the spell ends: it counts if its last borrow reached the minimum loan age
	/// and it proves something. Returns the record and whether a loan was counted.
	pub fn repaid(
		mut self,
		now: Moment,
		value: FixedU128,
		still_owing: bool,
		min_loan_age: Moment,
	) -> (Self, bool) {
		let Some(mut spell) = self.spell else { return (self, false) };
		let aged = spell.is_aged(now, min_loan_age);
		if still_owing {
			if !aged {
				spell.held = spell.held.saturating_sub(value);
			}
			self.spell = Some(spell);
			return (self, false);
		}
		self.spell = None;
		if !aged || spell.held.is_zero() {
			return (self, false);
		}
		self.repaid = self.repaid.saturating_add(1);
		self.debt_time = self.debt_time.saturating_add(now.saturating_sub(spell.opened));
		self.proven = self.proven.max(spell.held);
		(self, true)
	}
}

/// Whole days in `ms` milliseconds.
fn days(ms: Moment) -> u64 {
	ms / DAY_MS
}

/// A tier of the credit policy: from `min_score` on, the collateral factor's bonus.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct CreditTier {
	/// The least score of the tier, at most [`MAX_SCORE`].
	pub min_score: u32,
	/// What the tier adds to each collateral factor, at most `Config::MaxCreditBonus`.
	pub bonus: Permill,
}

/// What governance sets for the credit score: when a loan counts and what scores earn.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[derive(serde::Serialize, serde::Deserialize)]
#[scale_info(skip_type_params(S))]
#[serde(bound = "")]
pub struct CreditPolicy<S: Get<u32>> {
	/// Milliseconds a last borrow must be held before repaying it in full counts as a loan.
	pub min_loan_age: Moment,
	/// The tiers, by strictly increasing least score; an account gets the bonus of the highest
	/// tier its score reaches, or none below the first.
	pub tiers: BoundedVec<CreditTier, S>,
}

/// The minimum loan age of a chain whose governance set no credit policy: 30 days.
pub const DEFAULT_MIN_LOAN_AGE: Moment = 30 * DAY_MS;

impl<S: Get<u32>> Default for CreditPolicy<S> {
	/// Loans count after 30 days; no tiers, so no score earns anything yet.
	fn default() -> Self {
		Self { min_loan_age: DEFAULT_MIN_LOAN_AGE, tiers: BoundedVec::new() }
	}
}

impl<S: Get<u32>> CreditPolicy<S> {
	/// The collateral-factor bonus a score earns: the highest tier's it reaches, or zero.
	pub fn bonus_for(&self, score: u32) -> Permill {
		self.tiers
			.iter()
			.take_while(|tier| tier.min_score <= score)
			.last()
			.map_or(Permill::zero(), |tier| tier.bonus)
	}

	/// Whether the policy may be stored: a positive minimum loan age, tiers by strictly
	/// increasing least score up to [`MAX_SCORE`], each bonus at most `max_bonus`.
	pub fn is_valid(&self, max_bonus: Permill) -> bool {
		let ordered = self.tiers.windows(2).all(|pair| match pair {
			[lower, higher] => lower.min_score < higher.min_score,
			_ => true,
		});
		self.min_loan_age > 0
			&& ordered
			&& self
				.tiers
				.iter()
				.all(|tier| tier.min_score <= MAX_SCORE && tier.bonus <= max_bonus)
	}
}

/// What an account's score earns when its borrow limit is valued: a bonus on each collateral
/// factor, and the most that bonus may add in all, in USD.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct CreditTerms {
	/// What the account's tier adds to each collateral factor.
	pub bonus: Permill,
	/// The most the bonus adds to the borrow limit: the account's proven size.
	pub cap: FixedU128,
}

impl CreditTerms {
	/// No credit: the plain collateral factors.
	pub const NONE: Self = Self { bonus: Permill::zero(), cap: FixedU128::from_inner(0) };

	/// The collateral factor these terms lend against for a market whose factor is
	/// `collateral_factor` and whose liquidation threshold is `threshold` now:
	/// `min(collateral factor + bonus, threshold − floor)`, never below the collateral factor.
	pub fn collateral_factor(
		&self,
		collateral_factor: Permill,
		threshold: Permill,
		floor: Permill,
	) -> Permill {
		collateral_factor
			.saturating_add(self.bonus)
			.min(threshold.saturating_sub(floor))
			.max(collateral_factor)
	}
}

impl<T: Config> Pallet<T> {
	/// The credit policy in force: governance's, or the default one.
	pub fn credit_policy() -> CreditPolicyOf<T> {
		CreditPolicies::<T>::get().unwrap_or_default()
	}

	/// `who`'s record; a fresh one at `now` for an account that never borrowed.
	fn credit_record(who: &T::AccountId, now: Moment) -> CreditRecord {
		Credit::<T>::get(who).unwrap_or_else(|| CreditRecord::new(now))
	}

	/// `who`'s score now.
	pub fn credit_score(who: &T::AccountId) -> u32 {
		let now = Clock::<T>::now_ms();
		Credit::<T>::get(who).map_or(0, |record| record.score(now))
	}

	/// What `who`'s score earns now when its borrow limit is valued: two reads (the record and
	/// the policy), and none of the policy without a record.
	pub(crate) fn credit_terms(who: &T::AccountId) -> CreditTerms {
		Self::terms_of(Credit::<T>::get(who).as_ref(), Clock::<T>::now_ms())
	}

	/// What `record` earns at `now`: nothing without one or with nothing proven (and then no
	/// read of the policy), else its tier's bonus capped at its proven size.
	pub(crate) fn terms_of(record: Option<&CreditRecord>, now: Moment) -> CreditTerms {
		let Some(record) = record.filter(|record| !record.proven.is_zero()) else {
			return CreditTerms::NONE;
		};
		let bonus = Self::credit_policy().bonus_for(record.score(now));
		CreditTerms { bonus, cap: record.proven }
	}

	/// Records a borrow that leaves `who` owing `debt` in USD (see [`CreditRecord::borrowed`]).
	pub(crate) fn note_borrow(who: &T::AccountId, debt: FixedU128) {
		let now = Clock::<T>::now_ms();
		Credit::<T>::insert(who, Self::credit_record(who, now).borrowed(now, debt));
	}

	/// Records a repayment of `amount` of `asset` (of `decimals`) of `who`'s debt (see
	/// [`CreditRecord::repaid`]). Only a repayment that lowers what a spell proves is valued, at
	/// the asset's last price, and without one as the whole of it: a missing price never raises
	/// a score. Emits [`Event::LoanRepaidInFull`] when a loan counts.
	pub(crate) fn note_repayment(
		who: &T::AccountId,
		asset: AssetId,
		amount: Balance,
		decimals: u8,
	) {
		let Some(record) = Credit::<T>::get(who) else { return };
		let Some(spell) = record.spell else { return };
		let now = Clock::<T>::now_ms();
		let still_owing = Borrowers::<T>::contains_key(who);
		let policy = Self::credit_policy();
		let aged = spell.is_aged(now, policy.min_loan_age);
		let value = if still_owing && !aged {
			T::Prices::last_price(asset)
				.and_then(|price| usd_value(amount, decimals, price.value))
				.unwrap_or(spell.held)
		} else {
			FixedU128::zero()
		};
		let (record, counted) = record.repaid(now, value, still_owing, policy.min_loan_age);
		Credit::<T>::insert(who, record);
		if counted {
			let score = record.score(now);
			Self::deposit_event(Event::LoanRepaidInFull {
				who: who.clone(),
				repaid: record.repaid,
				proven: record.proven,
				score,
			});
		}
	}

	/// Resets `who`'s record after a liquidation, a take-over or a write-off in the pools, or a
	/// liquidation of one of its vaults (the engine's call through `LendingLiquidation`): the score starts
	/// again from zero at `now`, and a spell goes on only while the account still owes, with
	/// nothing to prove. Emits [`Event::CreditReset`] for an account that had a record.
	pub(crate) fn reset_credit(who: &T::AccountId) {
		if !Credit::<T>::contains_key(who) {
			return;
		}
		Credit::<T>::insert(who, CreditRecord::new(Clock::<T>::now_ms()));
		Self::deposit_event(Event::CreditReset { who: who.clone() });
	}

	/// Stores governance's credit policy (see [`Pallet::set_credit_policy`]); an invalid one
	/// fails with `InvalidCreditPolicy`.
	pub(crate) fn do_set_credit_policy(policy: CreditPolicyOf<T>) -> DispatchResult {
		ensure!(policy.is_valid(T::MaxCreditBonus::get()), Error::<T>::InvalidCreditPolicy);
		CreditPolicies::<T>::put(policy.clone());
		Self::deposit_event(Event::CreditPolicySet { policy });
		Ok(())
	}

	/// Every record is consistent: its spell opened no earlier than the record and its last
	/// borrow no earlier than the spell, and an account with a spell owes.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub(crate) fn check_credit() -> Result<(), sp_runtime::TryRuntimeError> {
		for (who, record) in Credit::<T>::iter() {
			if let Some(spell) = record.spell {
				ensure!(
					spell.last_borrow >= spell.opened,
					"a spell's last borrow before it opened"
				);
				ensure!(
					Borrowers::<T>::contains_key(&who),
					"a credit spell of an account without debt"
				);
			}
		}
		Ok(())
	}
}

/// The credit policy type of a runtime.
pub type CreditPolicyOf<T> = CreditPolicy<<T as Config>::MaxCreditTiers>;
