//! What `on_initialize` does within its weight budget: detection for every collateral type,
//! then the queue, oldest first, each position re-checked before anything moves.

use super::*;
use frame_support::{
	ensure,
	storage::{with_storage_layer, with_transaction, TransactionOutcome},
	traits::{fungibles::Inspect, Get},
	weights::{Weight, WeightMeter},
};
use lever_primitives::{
	convert, LendingLiquidation, LendingSeizure, SeizedAs, SeizedVault, VaultLiquidation,
};
use sp_runtime::{
	traits::{BlakeTwo256, Hash, SaturatedConversion},
	DispatchError, FixedU128, Perbill, Rounding,
};

/// The most successful liquidations of one (debt, collateral) pair in one round. Each repays the
/// close factor's share of the debt, or all of it once the rest would be below the market's
/// minimum debt, so with a 50% close factor 32 leave at most 2⁻³² of a debt; the block's
/// budget is the other bound.
pub const PAIR_ATTEMPTS: u32 = 32;

/// The most of [`Config::LiquidationWeight`] detection may spend in one block: at least the
/// rest is kept for liquidating what is queued, however much detection finds to do.
pub const DETECTION_SHARE: Perbill = Perbill::from_percent(50);

impl<T: Config> Pallet<T> {
	/// What liquidating one queued vault may cost: by the AMM route or by an auction,
	/// whichever is heavier.
	pub fn vault_execution_weight() -> Weight {
		T::WeightInfo::execute_vault().max(T::WeightInfo::execute_vault_swap())
	}

	/// Cancels the auctions of a shut-down vault system, then detects and liquidates, as much
	/// as `meter` allows.
	pub(crate) fn do_liquidations(meter: &mut WeightMeter) {
		if meter.try_consume(T::WeightInfo::on_initialize_base()).is_err() {
			return;
		}
		// After the vault system's shutdown, its auctions go to redemption; lending goes on.
		if meter.try_consume(T::DbWeight::get().reads(1)).is_ok() && T::Vaults::is_shut_down() {
			Self::snip_auctions(meter);
		}
		Self::detect_all(meter);
		// Each position at most once per block: a deferred one goes to the back.
		for _ in 0..Self::queue_len() {
			let weight = match Self::peek() {
				Some(QueueItem::Vault { .. }) => Self::vault_execution_weight(),
				Some(QueueItem::Lending { .. }) => T::WeightInfo::execute_lending(),
				None => break,
			};
			if meter.try_consume(weight).is_err() {
				break;
			}
			match Self::pop() {
				Some(QueueItem::Vault { asset, owner }) => Self::execute_vault(asset, owner),
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

	/// Liquidates a queued vault if it is still unsafe, or puts it back in the index. A vault
	/// of which no part could be liquidated (no backstop deposits, the AMM refused, no auction
	/// room) marks its type stalled ([`Stalled`]) until what liquidation depends on changes.
	pub(crate) fn execute_vault(asset: AssetId, owner: T::AccountId) {
		let item = QueueItem::Vault { asset, owner: owner.clone() };
		match T::Vaults::is_unsafe(asset, &owner) {
			Ok(true) => {},
			Ok(false) | Err(_) if T::Vaults::vault(asset, &owner).is_none() => {
				Self::reindex(asset, &owner);
				return;
			},
			Ok(false) => {
				Self::reindex(asset, &owner);
				Self::deposit_event(Event::NoLongerUnsafe { item });
				return;
			},
			Err(error) => {
				Self::reindex(asset, &owner);
				Self::deposit_event(Event::Deferred { item, error });
				return;
			},
		}
		let outcome = with_transaction(|| match Self::liquidate_vault(asset, &owner) {
			Ok(()) => TransactionOutcome::Commit(Ok(())),
			Err(error) => TransactionOutcome::Rollback(Err(error)),
		});
		Self::reindex(asset, &owner);
		if let Err(error) = outcome {
			if error == Error::<T>::AuctionCapReached.into() {
				Self::stall(asset);
			}
			Self::deposit_event(Event::Deferred { item, error });
		}
	}

	/// Marks `asset` stalled: detection passes over it until [`Pallet::stall_digest`] changes.
	fn stall(asset: AssetId) {
		if let Ok(risk) = T::Vaults::risk(asset) {
			Stalled::<T>::insert(asset, Self::stall_digest(asset, risk.price));
		}
	}

	/// A digest of what liquidating a vault of `asset` depends on beyond the vault: the lvUSD
	/// backstop's deposits, the room under the auction caps, the engine's AMM route and the
	/// collateral's `price` (the AMM's answer moves with it, as arbitrage follows the oracle).
	pub(crate) fn stall_digest(asset: AssetId, price: FixedU128) -> [u8; 32] {
		let deposits = Self::pool_deposits(T::StableAsset::get());
		let room = Self::auction_room(asset);
		BlakeTwo256::hash_of(&(deposits, room, Self::amm_route(asset), price)).0
	}

	/// Liquidates the part of an unsafe vault its type's rule gives
	/// ([`VaultLiquidation::liquidation_part`]: what restores the target ratio, or all of it),
	/// in up to three pieces, each taken from the vault only once its route is sure:
	/// 1. the lvUSD backstop repays as much as its deposits allow at the liquidation discount
	///    and receives the piece's collateral;
	/// 2. the AMM sells collateral of the next piece for its debt with the penalty, or for what
	///    the collateral buys within the engine's slippage cap if less (at least the debt), or,
	///    refused, takes nothing;
	/// 3. an auction takes what is left, but only as much as fits the room under the auction
	///    caps (Maker's rule): the rest stays in the vault, which is liquidated further once
	///    there is room. Collateral too little to auction ([`Pallet::is_dust_lot`]) is kept as
	///    the backstop's gain and the debt left joins the deficit.
	///
	/// What no one needs goes back to the owner. Fails with `AuctionCapReached`, having taken
	/// nothing, when no route could take any part.
	fn liquidate_vault(asset: AssetId, owner: &T::AccountId) -> Result<(), DispatchError> {
		let risk = T::Vaults::risk(asset)?;
		let mut piece = Piece::<T> {
			asset,
			owner,
			part_left: T::Vaults::liquidation_part(asset, owner)?,
			taken: SeizedVault { collateral: 0, debt: 0 },
		};
		let engine = Self::account_id();
		let stable_asset = T::StableAsset::get();
		let in_collateral = (risk.decimals, risk.price);
		let in_stable = (risk.debt_decimals, FixedU128::from_u32(1));
		let with_penalty = |debt: Balance| debt.saturating_add(risk.penalty.mul_ceil(debt));
		let without_penalty = |tab: Balance, rounding| {
			lever_primitives::mul_div(
				tab,
				1_000_000,
				1_000_000u128.saturating_add(u128::from(risk.penalty.deconstruct())),
				rounding,
			)
		};

		// 1. The backstop repays `repaid` and receives collateral worth `repaid` × (1 + penalty):
		// a piece it can pay for all of (under water, one whose collateral is worth its deposits
		// with the penalty), leaving the rest of the part nothing or at least a minimum tab.
		let deposits = Self::pool_deposits(stable_asset);
		let (mut repaid, mut received) = (0, 0);
		let (mut debt_left, mut collateral_left) = (0, 0);
		if deposits != 0 {
			let value = T::Vaults::vault(asset, owner)
				.map(|(collateral, _)| {
					convert(collateral, in_collateral, in_stable, Rounding::Down)
				})
				.transpose()?
				.unwrap_or_default();
			// A little more than the deposits (a collateral unit's worth, the engine's seed of
			// the collateral if it has none yet, and two units), so the piece's collateral,
			// rounded down, still pays for all of them; the rest goes on to the next route.
			let slack = T::Assets::minimum_balance(asset).saturating_add(1);
			let spend = deposits
				.saturating_add(convert(slack, in_collateral, in_stable, Rounding::Up)?)
				.saturating_add(2);
			let whole = with_penalty(piece.part_left);
			let mut at_most = if value < whole && value != 0 {
				lever_primitives::mul_div(spend, whole, value, Rounding::Up)?
			} else {
				spend
			};
			let min_rest = without_penalty(T::MinAuctionTab::get(), Rounding::Up)?;
			if at_most < piece.part_left && piece.part_left.saturating_sub(at_most) < min_rest {
				at_most = piece.part_left.saturating_sub(min_rest);
			}
			if let Some((debt, collateral)) = piece.seize(at_most) {
				let collateral_value =
					convert(collateral, in_collateral, in_stable, Rounding::Down)?;
				repaid = deposits.min(debt).min(without_penalty(collateral_value, Rounding::Down)?);
				if repaid != 0 {
					received =
						convert(with_penalty(repaid), in_stable, in_collateral, Rounding::Down)?
							.min(collateral);
				}
				if received == 0 {
					repaid = 0;
				} else {
					T::Vaults::cover_deficit(&engine, repaid)?;
					Self::absorb(stable_asset, repaid, GainAsset::Tokens(asset), received)?;
				}
				debt_left = debt.saturating_sub(repaid);
				collateral_left = collateral.saturating_sub(received);
			}
		}

		// 2. The AMM, for the rest: its piece is taken only if the sale succeeds.
		let (mut amm_sold, mut amm_bought) = (0, 0);
		let rest = piece.part_left != 0 || (debt_left != 0 && collateral_left != 0);
		if let Some(cap) = Self::amm_route(asset).max_slippage().filter(|_| rest) {
			let sale = with_storage_layer(|| {
				let mut amm_piece = Piece::<T> {
					asset,
					owner,
					part_left: piece.part_left,
					taken: SeizedVault { collateral: 0, debt: 0 },
				};
				let (debt, collateral) = match amm_piece.part_left {
					0 => (0, 0),
					_ => amm_piece.seize(Balance::MAX).ok_or(Error::<T>::NothingToDo)?,
				};
				let collateral = collateral.saturating_add(collateral_left);
				let debt = debt.saturating_add(debt_left);
				// The tab, or what the collateral buys within the cap if that is less (a
				// partial piece's collateral is worth its tab, so slippage comes out of the
				// penalty), but never less than the debt.
				let worth = convert(collateral, in_collateral, in_stable, Rounding::Down)?;
				let buy = with_penalty(debt).min(worth.saturating_sub(cap.mul_ceil(worth)));
				ensure!(buy >= debt, Error::<T>::AmmShortOfDebt);
				let sold = Self::sell(asset, stable_asset, buy, collateral)?;
				T::Vaults::cover_deficit(&engine, buy)?;
				Ok::<_, DispatchError>((amm_piece, collateral.saturating_sub(sold), sold, buy))
			});
			match sale {
				Ok((amm_piece, collateral, sold, tab)) => {
					piece.part_left = amm_piece.part_left;
					piece.add(amm_piece.taken);
					(amm_sold, amm_bought) = (sold, tab);
					(collateral_left, debt_left) = (collateral, 0);
				},
				Err(error) => {
					Self::deposit_event(Event::SwapRefused { asset, owner: owner.clone(), error })
				},
			}
		}

		// 3. An auction, for what fits the room under its caps.
		if piece.part_left != 0 {
			let room = without_penalty(Self::auction_room(asset), Rounding::Down)?
				.saturating_sub(debt_left);
			if room != 0 {
				if let Some((debt, collateral)) = piece.seize(room) {
					debt_left = debt_left.saturating_add(debt);
					collateral_left = collateral_left.saturating_add(collateral);
				}
			}
		}
		ensure!(piece.taken.debt != 0, Error::<T>::AuctionCapReached);

		let mut auction = None;
		let mut returned = 0;
		if debt_left != 0 && collateral_left != 0 {
			if Self::is_dust_lot(asset, collateral_left, in_collateral)? {
				Self::keep_leftover(stable_asset, asset, collateral_left);
				T::Vaults::heal();
				Self::deposit_event(Event::DustKept {
					asset,
					owner: owner.clone(),
					collateral: collateral_left,
					debt: debt_left,
				});
			} else {
				let tab = with_penalty(debt_left);
				auction = Some(Self::start_auction(asset, owner, collateral_left, tab)?);
			}
		} else if collateral_left != 0 {
			if Self::can_receive(asset, owner, collateral_left) {
				Self::pay(asset, owner, collateral_left)?;
				returned = collateral_left;
			} else {
				Self::keep_leftover(stable_asset, asset, collateral_left);
			}
		} else if debt_left != 0 {
			T::Vaults::heal();
		}
		Self::deposit_event(Event::VaultLiquidated {
			asset,
			owner: owner.clone(),
			debt: piece.taken.debt,
			collateral: piece.taken.collateral,
			backstop_repaid: repaid,
			backstop_received: received,
			amm_sold,
			amm_bought,
			auction,
			returned,
			whole: T::Vaults::vault(asset, owner).is_none(),
		});
		Ok(())
	}

	/// Keeps `amount` of `asset` left of a liquidation that is too little for its owner to
	/// hold: the backstop pool of `pool_asset` gains it, as it repaid debt; when that pool
	/// cannot (no deposits left, or no room for another gain asset), the engine adds it to its
	/// seed of the asset, so a liquidation never fails over dust.
	pub(crate) fn keep_leftover(pool_asset: AssetId, asset: AssetId, amount: Balance) {
		if with_storage_layer(|| Self::absorb(pool_asset, 0, GainAsset::Tokens(asset), amount))
			.is_err()
		{
			Seeds::<T>::mutate(asset, |seed| {
				*seed = Some(seed.unwrap_or_default().saturating_add(amount));
			});
		}
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
		let pairs = match T::Lending::liquidation_pairs(&account) {
			Ok(pairs) => pairs,
			Err(error) => return Self::deposit_event(Event::Deferred { item, error }),
		};
		let mut attempts = 0u32;
		let mut progressed = false;
		// The pairs come grouped by debt asset: its pool is read once per group (charged), and
		// again after it repaid.
		let mut pool: Option<(AssetId, Balance)> = None;
		for (debt_asset, collateral_asset) in pairs {
			// The same pair again while it still moves: each success repays up to the close
			// factor, so a deep shortfall is worked off in one round, not one pair a block.
			for _ in 0..PAIR_ATTEMPTS {
				let available = match pool {
					Some((asset, available)) if asset == debt_asset => available,
					_ => {
						if meter.try_consume(T::DbWeight::get().reads(1)).is_err() {
							return Self::requeue_lending(item);
						}
						let available = Self::pool_deposits(debt_asset);
						pool = Some((debt_asset, available));
						available
					},
				};
				let backed = available != 0;
				let book = Self::book_account(debt_asset, collateral_asset)
					.filter(|book| *book != account);
				let routes = [
					backed.then_some(LendingRoute::Backstop { seized_as: SeizedAs::Tokens }),
					backed.then_some(LendingRoute::Backstop { seized_as: SeizedAs::Shares }),
					Some(LendingRoute::Amm { sold: 0 }),
					book.as_ref().map(|_| LendingRoute::TakenOver),
				];
				let mut done = None;
				for route in routes.into_iter().flatten() {
					// The first attempt's backstop share was charged with the queue item.
					let attempt = if attempts == 0 {
						Self::route_weight(route).saturating_sub(T::WeightInfo::execute_lending())
					} else {
						Self::route_weight(route)
					};
					if meter.try_consume(attempt).is_err() {
						return Self::requeue_lending(item);
					}
					attempts = attempts.saturating_add(1);
					let outcome = with_transaction(|| {
						match Self::liquidate_pair(
							&account,
							(debt_asset, collateral_asset),
							available,
							route,
							book.as_ref(),
						) {
							Ok(done) => TransactionOutcome::Commit(Ok(done)),
							Err(error) => TransactionOutcome::Rollback(Err(error)),
						}
					});
					if let Ok(outcome) = outcome {
						done = Some(outcome);
						break;
					}
				}
				let Some((seizure, route)) = done else { break };
				progressed = true;
				if matches!(route, LendingRoute::Backstop { .. }) {
					pool = Some((debt_asset, Self::pool_deposits(debt_asset)));
				}
				Self::deposit_event(Event::LendingLiquidated {
					account: account.clone(),
					debt_asset,
					repaid: seizure.repaid,
					collateral_asset,
					seized: seizure.seized,
					route,
				});
				if !T::Lending::is_liquidatable(&account).unwrap_or(false) {
					return;
				}
			}
		}
		let pairs = T::Lending::liquidation_pairs(&account);
		if pairs.as_ref().is_ok_and(|pairs| pairs.is_empty()) {
			if attempts != 0 && meter.try_consume(T::WeightInfo::execute_lending()).is_err() {
				return Self::requeue_lending(item);
			}
			return match T::Lending::write_off(&account) {
				Ok(()) => Self::deposit_event(Event::LendingWrittenOff { account }),
				Err(error) => Self::deposit_event(Event::Deferred { item, error }),
			};
		}
		if progressed {
			Self::requeue_lending(item);
		} else {
			let deposits = Self::debt_deposits(&pairs.unwrap_or_default());
			let digest = Self::lending_digest(&account, &deposits);
			Uncovered::<T>::insert(&account, digest);
			Self::deposit_event(Event::LendingUncovered { account });
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

	/// What an attempt by `route` may cost: its benchmark, which liquidates an account in as
	/// many markets as an account may be, by that route, until it is healthy (so it bounds one
	/// attempt from above).
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

/// The pieces one vault liquidation takes: what of the vault's liquidation part is left to take,
/// and what has been taken.
struct Piece<'a, T: Config> {
	asset: AssetId,
	owner: &'a T::AccountId,
	part_left: Balance,
	taken: SeizedVault,
}

impl<T: Config> Piece<'_, T> {
	/// Seizes up to `at_most` of what is left of the part into the engine; returns the debt
	/// taken and the collateral usable once the engine's seed is set aside, or `None`, having
	/// taken nothing, when the vault pallet refuses (no part fits `at_most`).
	fn seize(&mut self, at_most: Balance) -> Option<(Balance, Balance)> {
		let engine = Pallet::<T>::account_id();
		let at_most = at_most.min(self.part_left);
		let seized = T::Vaults::seize(self.asset, self.owner, &engine, at_most).ok()?;
		self.part_left = self.part_left.saturating_sub(seized.debt);
		self.add(seized);
		Some((seized.debt, Pallet::<T>::after_seed(self.asset, seized.collateral)))
	}

	/// Counts `seized` as taken.
	fn add(&mut self, seized: SeizedVault) {
		self.taken.debt = self.taken.debt.saturating_add(seized.debt);
		self.taken.collateral = self.taken.collateral.saturating_add(seized.collateral);
	}
}
