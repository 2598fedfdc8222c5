//! What `on_initialize` does within its weight budget: detection for every collateral type,
//! then the queue, oldest first, each position re-checked before anything moves.

use super::*;
use crate::vault_weight::VaultWeigher;
use alloc::vec::Vec;
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::Get,
	weights::{Weight, WeightMeter},
};
use lever_primitives::{LendingLiquidation, LendingSeizure, SeizedAs, VaultLiquidation};
use sp_runtime::{traits::SaturatedConversion, DispatchError, Perbill};

/// The most successful liquidations of one (debt, collateral) pair in one round. Each repays the
/// close factor's share of the debt, or all of it once the rest would be below the market's
/// minimum debt, so with a 50% close factor 32 leave at most 2⁻³² of a debt; the block's
/// budget is the other bound.
pub const PAIR_ATTEMPTS: u32 = 32;

/// The most of [`Config::LiquidationWeight`] detection may spend in one block: at least the
/// rest is kept for liquidating what is queued, however much detection finds to do.
pub const DETECTION_SHARE: Perbill = Perbill::from_percent(50);

impl<T: Config> Pallet<T> {
	/// Cancels the auctions of a shut-down vault system, then detects and liquidates, as much
	/// as `meter` allows. A vault is admitted when `meter` can take the most it may cost and
	/// charged the routes it used, and each type once a block the items its liquidations by a
	/// route share ([`VaultWeigher`]).
	pub(crate) fn do_liquidations(meter: &mut WeightMeter) {
		if meter.try_consume(T::WeightInfo::on_initialize_base()).is_err() {
			return;
		}
		// After the vault system's shutdown, its auctions go to redemption; lending goes on.
		if meter.try_consume(T::DbWeight::get().reads(1)).is_ok() && T::Vaults::is_shut_down() {
			Self::snip_auctions(meter);
		}
		Self::detect_all(meter);
		let mut weigher = VaultWeigher::default();
		let protection = Self::protection_weight();
		// Each position at most once per block: a deferred one goes to the back.
		for _ in 0..Self::queue_len() {
			let admitted = match Self::peek() {
				// Charged for what it did, once done.
				Some(QueueItem::Vault { asset, .. }) => meter.can_consume(
					weigher
						.bound::<T>(asset, Seeds::<T>::contains_key(asset))
						.saturating_add(protection),
				),
				Some(QueueItem::Lending { .. }) => {
					let turn = T::WeightInfo::execute_lending();
					meter.can_consume(turn.saturating_add(protection))
						&& meter.try_consume(turn).is_ok()
				},
				None => break,
			};
			if !admitted {
				break;
			}
			match Self::pop() {
				Some(QueueItem::Vault { asset, owner }) => {
					Self::execute_vault(asset, owner, meter, &mut weigher)
				},
				Some(QueueItem::Lending { account }) => Self::execute_lending(account, meter),
				None => break,
			}
		}
	}

	/// Detects unsafe vaults of every collateral type, starting each block with the next type, so
	/// a type whose boundary takes several blocks to check delays the others by one block at
	/// most; detection spends at most [`DETECTION_SHARE`] of the budget, the rest being kept for
	/// the queue.
	fn detect_all(meter: &mut WeightMeter) {
		let limit = DETECTION_SHARE * T::LiquidationWeight::get();
		let mut detection = WeightMeter::with_limit(meter.remaining().min(limit));
		let types = T::Vaults::collateral_types();
		let first = frame_system::Pallet::<T>::block_number()
			.saturated_into::<usize>()
			.checked_rem(types.len())
			.unwrap_or(0);
		for asset in types.iter().cycle().skip(first).take(types.len()) {
			if detection.try_consume(T::WeightInfo::detect_type()).is_err()
				|| !Self::detect(*asset, &mut detection)
			{
				break;
			}
		}
		meter.consume(detection.consumed());
	}

	/// Liquidates a flagged lending account: every pair the lending pools can move (largest debt
	/// first, each against its collaterals, most valuable first), for as long as the account
	/// stays liquidatable, each by the first route that works, and each again while it still
	/// moves (at most [`PAIR_ATTEMPTS`] times):
	/// 1. the backstop of the debt asset, when it has deposits: it repays and receives the
	///    collateral with the bonus, as tokens or, when the collateral market has lent out its
	///    cash, as supply shares of that market;
	/// 2. the AMM: the engine sells the seized collateral for the repayment within the
	///    governance slippage cap against the oracle (through the routing asset when the pair
	///    has no pool), and the part of the bonus the sale did not need goes to the collateral
	///    market's reserves. This route needs no depositor and no caller;
	/// 3. the pair's book ([`Pallet::book_account`]) takes over the debt and the seized
	///    collateral as supply shares: it needs no cash, no depositor and no pool, so an unsafe
	///    account with fresh prices in open markets is always liquidated in its round. A book
	///    is never taken over itself: it waits, as any account no route could liquidate, for a
	///    backstop deposit, cash for the AMM or a liquidator.
	///
	/// `meter` has been charged one backstop attempt; every attempt (a route tried on a pair)
	/// is charged its route's benchmark (`route_weight`, less what the queue item paid for the
	/// first), a write-off after attempts one more [`WeightInfo::execute_lending`], and every
	/// backstop read one database read. When collateral that could cover a unit of debt
	/// is gone, the rest of the debt is written off in the same round. The account goes back in
	/// the queue while it stays liquidatable after progress, or when the meter runs out first.
	/// An account no route could liquidate is remembered in [`Uncovered`] with a digest of its
	/// state, so it is not queued again until that changes.
	pub(crate) fn execute_lending(account: T::AccountId, meter: &mut WeightMeter) {
		Flagged::<T>::remove(&account);
		Uncovered::<T>::remove(&account);
		let item = QueueItem::Lending { account: account.clone() };
		match T::Lending::is_liquidatable(&account) {
			Ok(true) => {},
			Ok(false) => return Self::deposit_event(Event::NoLongerUnsafe { item }),
			Err(error) => return Self::deposit_event(Event::Deferred { item, error }),
		}
		// A protected account deleveraged to its goal is safe: a deleverage succeeds only at
		// fresh prices, leaving the health factor at or above its trigger, above one.
		if Self::protect_lending(&account, meter) {
			return Self::deposit_event(Event::NoLongerUnsafe { item });
		}

		let pairs = match T::Lending::liquidation_pairs(&account) {
			Ok(pairs) => pairs,
			Err(error) => return Self::deposit_event(Event::Deferred { item, error }),
		};
		let mut turn =
			LendingTurn::<T> { account, meter, attempts: 0, progressed: false, pool: None };
		match turn.liquidate_pairs(pairs) {
			Err(OutOfWeight) => Self::requeue_lending(item),
			Ok(Unsafe::No) => {},
			Ok(Unsafe::Still) => turn.finish(item),
		}
	}

	/// Liquidates one pair of a lending account by `route`: the backstop repays at most
	/// `available` and absorbs the seized collateral, the engine sells the seized collateral
	/// on the AMM for the repayment, or `book` (the pair's book) takes the position over.
	/// Returns what moved and the route with its figures.
	fn liquidate_pair(
		account: &T::AccountId,
		(debt_asset, collateral_asset): (AssetId, AssetId),
		available: Balance,
		route: LendingRoute,
		book: Option<&T::AccountId>,
	) -> Result<(LendingSeizure, LendingRoute), DispatchError> {
		let engine = Self::account_id();
		match route {
			LendingRoute::Backstop { seized_as } => {
				let shares_before = T::Lending::supply_shares(&engine, collateral_asset);
				let seizure = T::Lending::liquidate(
					&engine,
					account,
					debt_asset,
					collateral_asset,
					available,
					seized_as,
				)?;
				let (gain, amount) = match seized_as {
					SeizedAs::Tokens => (
						GainAsset::Tokens(collateral_asset),
						Self::after_seed(collateral_asset, seizure.seized),
					),
					SeizedAs::Shares => (
						GainAsset::Supply(collateral_asset),
						T::Lending::supply_shares(&engine, collateral_asset)
							.saturating_sub(shares_before),
					),
				};
				Self::absorb(debt_asset, seizure.repaid, gain, amount)?;
				Ok((seizure, route))
			},
			LendingRoute::Amm { .. } => {
				let mut sold = 0;
				let seizure = T::Lending::liquidate_with_sale(
					&engine,
					account,
					debt_asset,
					collateral_asset,
					Balance::MAX,
					|seizure| {
						sold = Self::sell(
							collateral_asset,
							debt_asset,
							seizure.repaid,
							seizure.seized,
						)?;
						Ok(sold)
					},
				)?;
				Ok((seizure, LendingRoute::Amm { sold }))
			},
			LendingRoute::TakenOver => {
				let book = book.ok_or(Error::<T>::NothingToDo)?;
				let seizure = T::Lending::take_over(book, account, debt_asset, collateral_asset)?;
				Ok((seizure, route))
			},
		}
	}

	/// What an attempt by `route` may cost: its benchmark, one liquidation by that route of an
	/// account in as many markets as an account may be, with the valuations before and after
	/// it (so it bounds one attempt from above).
	fn route_weight(route: LendingRoute) -> Weight {
		match route {
			LendingRoute::Backstop { .. } => T::WeightInfo::execute_lending(),
			LendingRoute::Amm { .. } => T::WeightInfo::execute_lending_amm(),
			LendingRoute::TakenOver => T::WeightInfo::execute_lending_take_over(),
		}
	}

	/// Puts a lending account back at the end of the queue (it was just taken from it, so there
	/// is room) to be tried again next block.
	fn requeue_lending(item: QueueItem<T::AccountId>) {
		if let QueueItem::Lending { account } = &item {
			if Self::push(item.clone()).is_ok() {
				Flagged::<T>::insert(account, ());
			}
		}
	}
}

/// The block's meter ran out: the account goes back to the queue.
struct OutOfWeight;

/// Whether an account is still liquidatable after its pairs were worked.
enum Unsafe {
	/// It is no longer liquidatable: its turn is over.
	No,
	/// It still is: its debt is written off, or it goes back to the queue or waits.
	Still,
}

/// One queued lending account's turn ([`Pallet::execute_lending`]): the block's meter, how many
/// route attempts it made (the first was charged with the queue item), whether any liquidation
/// went through, and the backstop pool read last.
struct LendingTurn<'m, T: Config> {
	account: T::AccountId,
	meter: &'m mut WeightMeter,
	attempts: u32,
	progressed: bool,
	/// The debt asset whose backstop pool was read last, with its deposits: the pairs come
	/// grouped by debt asset, so each pool is read once per group (charged), and again after
	/// it repaid.
	pool: Option<(AssetId, Balance)>,
}

impl<T: Config> LendingTurn<'_, T> {
	/// Works the pairs in order, each again while it still moves (at most [`PAIR_ATTEMPTS`]
	/// times: each success repays up to the close factor, so a deep shortfall is worked off in
	/// one round, not one pair a block), until the account is no longer liquidatable.
	fn liquidate_pairs(&mut self, pairs: Vec<(AssetId, AssetId)>) -> Result<Unsafe, OutOfWeight> {
		for (debt_asset, collateral_asset) in pairs {
			for _ in 0..PAIR_ATTEMPTS {
				let available = self.pool_deposits(debt_asset)?;
				let Some((seizure, route)) =
					self.liquidate_once((debt_asset, collateral_asset), available)?
				else {
					break;
				};
				self.progressed = true;
				if matches!(route, LendingRoute::Backstop { .. }) {
					self.pool = Some((debt_asset, Pallet::<T>::pool_deposits(debt_asset)));
				}
				Pallet::<T>::deposit_event(Event::LendingLiquidated {
					account: self.account.clone(),
					debt_asset,
					repaid: seizure.repaid,
					collateral_asset,
					seized: seizure.seized,
					route,
				});
				if !T::Lending::is_liquidatable(&self.account).unwrap_or(false) {
					return Ok(Unsafe::No);
				}
			}
		}
		Ok(Unsafe::Still)
	}

	/// The deposits of `debt_asset`'s backstop pool: as last read for the same asset, else read
	/// now for one charged database read.
	fn pool_deposits(&mut self, debt_asset: AssetId) -> Result<Balance, OutOfWeight> {
		match self.pool {
			Some((asset, available)) if asset == debt_asset => Ok(available),
			_ => {
				self.meter.try_consume(T::DbWeight::get().reads(1)).map_err(|_| OutOfWeight)?;
				let available = Pallet::<T>::pool_deposits(debt_asset);
				self.pool = Some((debt_asset, available));
				Ok(available)
			},
		}
	}

	/// One liquidation of `pair` by the first route that works, in order: the backstop (tokens,
	/// then supply shares) when it has `available` deposits, the AMM, the pair's book. Each
	/// route tried is charged its benchmark (less what the queue item paid for the first) and
	/// runs in its own storage transaction, so a failed route changes nothing. `None` when no
	/// route moved anything.
	fn liquidate_once(
		&mut self,
		(debt_asset, collateral_asset): (AssetId, AssetId),
		available: Balance,
	) -> Result<Option<(LendingSeizure, LendingRoute)>, OutOfWeight> {
		let backed = available != 0;
		let book = Pallet::<T>::book_account(debt_asset, collateral_asset)
			.filter(|book| *book != self.account);
		let routes = [
			backed.then_some(LendingRoute::Backstop { seized_as: SeizedAs::Tokens }),
			backed.then_some(LendingRoute::Backstop { seized_as: SeizedAs::Shares }),
			Some(LendingRoute::Amm { sold: 0 }),
			book.as_ref().map(|_| LendingRoute::TakenOver),
		];
		for route in routes.into_iter().flatten() {
			let attempt = if self.attempts == 0 {
				Pallet::<T>::route_weight(route).saturating_sub(T::WeightInfo::execute_lending())
			} else {
				Pallet::<T>::route_weight(route)
			};
			self.meter.try_consume(attempt).map_err(|_| OutOfWeight)?;
			self.attempts = self.attempts.saturating_add(1);
			let outcome = with_transaction(|| {
				match Pallet::<T>::liquidate_pair(
					&self.account,
					(debt_asset, collateral_asset),
					available,
					route,
					book.as_ref(),
				) {
					Ok(done) => TransactionOutcome::Commit(Ok(done)),
					Err(error) => TransactionOutcome::Rollback(Err(error)),
				}
			});
			if let Ok(done) = outcome {
				return Ok(Some(done));
			}
		}
		Ok(None)
	}

	/// Ends the turn of an account still liquidatable: written off when no pair can move a
	/// unit (one more [`WeightInfo::execute_lending`] after attempts), back to the queue after
	/// progress, else left uncovered with the digest of what a liquidation depends on.
	fn finish(self, item: QueueItem<T::AccountId>) {
		let account = self.account;
		let pairs = T::Lending::liquidation_pairs(&account);
		if pairs.as_ref().is_ok_and(|pairs| pairs.is_empty()) {
			if self.attempts != 0
				&& self.meter.try_consume(T::WeightInfo::execute_lending()).is_err()
			{
				return Pallet::<T>::requeue_lending(item);
			}
			return match T::Lending::write_off(&account) {
				Ok(()) => Pallet::<T>::deposit_event(Event::LendingWrittenOff { account }),
				Err(error) => Pallet::<T>::deposit_event(Event::Deferred { item, error }),
			};
		}
		if self.progressed {
			Pallet::<T>::requeue_lending(item);
		} else {
			let deposits = Pallet::<T>::debt_deposits(&pairs.unwrap_or_default());
			let digest = Pallet::<T>::lending_digest(&account, &deposits);
			Uncovered::<T>::insert(&account, digest);
			Pallet::<T>::deposit_event(Event::LendingUncovered { account });
		}
	}
}
