//! Liquidating one queued vault: the engine plans the liquidation while the vault pallet holds
//! the vault's numbers ([`VaultLiquidation::seize`]), so one liquidation reads the collateral
//! type, the price and the vault once and takes from the vault once, then pays each route.

use super::*;
use crate::vault_weight::{VaultRoute, VaultWeigher, VaultWork};
use frame_support::{
	ensure,
	storage::{with_storage_layer, with_transaction, TransactionOutcome},
	traits::Get,
	weights::{Weight, WeightMeter},
};
use lever_primitives::{
	convert, mul_div, LendingLiquidation, OracleSwap, SeizePreview, SeizedVault, SwapQuote,
	UnsafeVault, VaultLiquidation, VaultRisk, STABLE_PRICE,
};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError, FixedU128, Rounding,
};

/// What the backstop and the AMM took of a seized vault, and what they left
/// ([`Pallet::share_seized`]).
struct VaultProceeds {
	/// lvUSD the backstop repaid.
	repaid: Balance,
	/// Collateral the backstop received for it.
	received: Balance,
	/// Collateral the AMM sold.
	amm_sold: Balance,
	/// lvUSD the AMM bought with it.
	amm_bought: Balance,
	/// Debt no one repaid.
	debt_left: Balance,
	/// Collateral no one took.
	collateral_left: Balance,
}

/// How one vault liquidation is shared between the routes, decided before anything moves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct VaultPlan {
	/// The collateral type's risk at the liquidation's price.
	risk: VaultRisk,
	/// The debt to take from the vault: its liquidation part, or less where the auction caps
	/// leave no room for the rest.
	debt: Balance,
	/// The most collateral to take: what goes with `debt`, less what the backstop and the AMM
	/// leave unused (it stays in the vault).
	collateral: Balance,
	/// All the vault owes.
	owed: Balance,
	/// What the lvUSD backstop repays of `debt` and receives of the collateral.
	backstop: (Balance, Balance),
	/// The AMM's quote for buying the rest of the debt with the rest of the collateral within
	/// the engine's cap; `None` when an auction takes the rest (or nothing is left).
	sale: Option<SwapQuote>,
	/// The room under the auction caps, once read: the most tab an auction of the rest may
	/// have.
	room: Option<Balance>,
}

/// Why a vault liquidation changed nothing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Stopped {
	/// The AMM refused a sale it had quoted (nothing else changes the pool in between, so
	/// this is rare): the liquidation may be tried again without the AMM.
	SaleFailed(DispatchError),
	/// Anything else.
	Failed(DispatchError),
}

impl<T: Config> Pallet<T> {
	/// The most one queued vault may cost alone in its block ([`VaultWeigher::bound`]): every
	/// route's work and shared items, unless the engine is `seeded` with the collateral
	/// ([`Seeds`]) its first receipt of it, and the read that tells which.
	pub fn vault_execution_weight(seeded: bool) -> Weight {
		VaultWeigher::default().bound::<T>(0, seeded)
	}

	/// The most a vault liquidation costs once its type's shared items are paid for in the
	/// block: the backstop's work and the heavier of an auction's and the AMM's (a
	/// liquidation uses the backstop, one of the others, or both), with the read of the seed.
	pub fn vault_liquidation_weight() -> Weight {
		let [backstop, auction, swap] = VaultRoute::ALL.map(VaultRoute::each::<T>);
		backstop
			.saturating_add(auction.max(swap))
			.saturating_add(T::DbWeight::get().reads(1))
	}

	/// What a collateral type pays once a block at most: the items its liquidations by each
	/// route share ([`VaultRoute::shared`]), and unless the engine is `seeded` with the
	/// collateral its first receipt of it.
	pub fn vault_type_weight(seeded: bool) -> Weight {
		VaultRoute::ALL
			.iter()
			.fold(VaultWeigher::first_receipt::<T>(seeded), |weight, route| {
				weight.saturating_add(route.shared::<T>())
			})
	}

	/// Liquidates a queued vault if it is still unsafe and puts what is left of it back in the
	/// index; `weigher` charges `meter` what each attempt did (the caller checked that `meter`
	/// can take [`VaultWeigher::bound`]). When the AMM refuses a sale it quoted, the vault is
	/// liquidated again without the AMM if `meter` can take another bound; otherwise it waits
	/// for detection. A vault of which no part could be liquidated (no backstop deposits, no
	/// AMM, no auction room) marks its type stalled ([`Stalled`]) until what liquidation
	/// depends on changes.
	pub(crate) fn execute_vault(
		asset: AssetId,
		owner: T::AccountId,
		meter: &mut WeightMeter,
		weigher: &mut VaultWeigher,
	) {
		// A protected vault deleveraged to its target is safe when its liquidation re-checks it.
		Self::protect_vault(asset, &owner, meter);
		let seeded = Seeds::<T>::contains_key(asset);
		let work = |outcome: &Result<Option<VaultWork>, Stopped>| match outcome {
			Ok(Some(work)) => *work,
			_ => VaultWork::Attempted,
		};
		let mut outcome = Self::try_liquidate_vault(asset, &owner, true);
		weigher.charge::<T>(meter, asset, work(&outcome), seeded);
		if let Err(Stopped::SaleFailed(error)) = outcome {
			Self::deposit_event(Event::SwapRefused { asset, owner: owner.clone(), error });
			if meter.can_consume(weigher.bound::<T>(asset, seeded)) {
				outcome = Self::try_liquidate_vault(asset, &owner, false);
				weigher.charge::<T>(meter, asset, work(&outcome), seeded);
			}
		}
		Self::reindex(asset, &owner);
		if matches!(outcome, Ok(Some(_))) || T::Vaults::vault(asset, &owner).is_none() {
			return;
		}
		let item = QueueItem::Vault { asset, owner };
		match outcome {
			Ok(_) => Self::deposit_event(Event::NoLongerUnsafe { item }),
			Err(Stopped::SaleFailed(error) | Stopped::Failed(error)) => {
				if error == Error::<T>::AuctionCapReached.into() {
					Self::stall(asset);
				}
				Self::deposit_event(Event::Deferred { item, error });
			},
		}
	}

	/// [`Pallet::liquidate_vault`] as one transaction: all of it, or nothing.
	fn try_liquidate_vault(
		asset: AssetId,
		owner: &T::AccountId,
		with_amm: bool,
	) -> Result<Option<VaultWork>, Stopped> {
		with_transaction(|| match Self::liquidate_vault(asset, owner, with_amm) {
			Ok(liquidated) => TransactionOutcome::Commit(Ok(liquidated)),
			Err(stopped) => TransactionOutcome::Rollback(Err(stopped)),
		})
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

	/// Liquidates the part of an unsafe vault its type's rule gives (what restores the target
	/// ratio, or all of it), taken from the vault at once and shared in this order:
	/// 1. the lvUSD backstop repays as much as its deposits allow at the liquidation discount
	///    and receives collateral worth that with the penalty;
	/// 2. the AMM buys the rest of the debt with the penalty, or what the collateral buys
	///    within the engine's slippage cap if less (but at least the debt), quoted before
	///    anything moves (with `with_amm`);
	/// 3. otherwise an auction takes the rest, and the liquidation takes only as much as fits
	///    the room under the auction caps (Maker's rule): the rest stays in the vault, which is
	///    liquidated further once there is room. Collateral too little to auction
	///    ([`Pallet::is_lot_too_small`]) is kept as the backstop's gain and the debt left joins the
	///    deficit.
	///
	/// What no one needs goes back to the owner, and the owner's lending credit record starts
	/// afresh ([`LendingLiquidation::reset_credit`]). Returns the routes it used, or `None` when the
	/// vault was not unsafe. Fails,
	/// having taken nothing, with `AuctionCapReached` when no route could take any part, and
	/// with [`Stopped::SaleFailed`] when the AMM refused a sale it had quoted.
	fn liquidate_vault(
		asset: AssetId,
		owner: &T::AccountId,
		with_amm: bool,
	) -> Result<Option<VaultWork>, Stopped> {
		let engine = Self::account_id();
		let deposits = Self::pool_deposits(T::StableAsset::get());
		let mut plan = None;
		let seized = T::Vaults::seize(asset, owner, &engine, |found, preview| {
			let chosen = Self::plan_vault(asset, owner, found, preview, deposits, with_amm)?;
			plan = Some(chosen);
			Ok(SeizedVault { debt: chosen.debt, collateral: chosen.collateral })
		})?;
		let (Some(seized), Some(plan)) = (seized, plan) else {
			return Ok(None);
		};
		let proceeds = Self::share_seized(asset, &plan, &seized)?;
		let (auction, returned) = Self::place_leftover(asset, owner, &plan, &proceeds)?;
		T::Lending::reset_credit(owner);
		Self::deposit_event(Event::VaultLiquidated {
			asset,
			owner: owner.clone(),
			debt: seized.debt,
			collateral: seized.collateral,
			backstop_repaid: proceeds.repaid,
			backstop_received: proceeds.received,
			amm_sold: proceeds.amm_sold,
			amm_bought: proceeds.amm_bought,
			auction,
			returned,
			whole: seized.debt >= plan.owed,
		});
		Ok(Some(VaultWork::Liquidated {
			backstop: proceeds.repaid != 0,
			auction: auction.is_some(),
			swap: proceeds.amm_sold != 0,
		}))
	}

	/// Shares what was `seized` by `plan`: the engine's seed first, then the backstop's part
	/// (it repays and receives collateral), then the AMM's sale; what they raised is burned
	/// against the deficit at once. Returns what each took and what is left.
	fn share_seized(
		asset: AssetId,
		plan: &VaultPlan,
		seized: &SeizedVault,
	) -> Result<VaultProceeds, Stopped> {
		let usable = Self::after_seed(asset, seized.collateral);
		let (repaid, received) = (plan.backstop.0, plan.backstop.1.min(usable));
		if repaid != 0 {
			Self::absorb(T::StableAsset::get(), repaid, GainAsset::Tokens(asset), received)?;
		}
		let mut proceeds = VaultProceeds {
			repaid,
			received,
			amm_sold: 0,
			amm_bought: 0,
			debt_left: seized.debt.saturating_sub(repaid),
			collateral_left: usable.saturating_sub(received),
		};
		let engine = Self::account_id();
		if let Some(quote) = plan.sale {
			T::Swaps::buy_quoted(&engine, &quote).map_err(Stopped::SaleFailed)?;
			(proceeds.amm_sold, proceeds.amm_bought) = (quote.amount_in, quote.amount_out);
			proceeds.collateral_left = proceeds.collateral_left.saturating_sub(quote.amount_in);
			proceeds.debt_left = 0;
		}
		let raised = repaid.saturating_add(proceeds.amm_bought);
		if raised != 0 {
			T::Vaults::cover_deficit(&engine, raised)?;
		}
		Ok(proceeds)
	}

	/// Places what the backstop and the AMM left: debt with collateral goes to auction (within
	/// the room under the caps), or, when the collateral is too little to auction, the engine
	/// keeps it and the debt joins the deficit; collateral with no debt left goes back to the
	/// owner (or is kept if the owner cannot receive it); debt with no collateral joins the
	/// deficit. Returns the auction started, if any, and the collateral returned.
	fn place_leftover(
		asset: AssetId,
		owner: &T::AccountId,
		plan: &VaultPlan,
		proceeds: &VaultProceeds,
	) -> Result<(Option<u32>, Balance), Stopped> {
		let stable_asset = T::StableAsset::get();
		let (debt_left, collateral_left) = (proceeds.debt_left, proceeds.collateral_left);
		if debt_left != 0 && collateral_left != 0 {
			if Self::is_lot_too_small(asset, collateral_left, &plan.risk)? {
				Self::keep_leftover(stable_asset, asset, collateral_left);
				T::Vaults::heal();
				Self::deposit_event(Event::SmallLotKept {
					asset,
					owner: owner.clone(),
					collateral: collateral_left,
					debt: debt_left,
				});
				return Ok((None, 0));
			}
			// Within the room: rounding in the collateral's share can only shave the penalty.
			let room = plan.room.unwrap_or_else(|| Self::auction_room(asset));
			let tab = with_penalty(&plan.risk, debt_left).min(room);
			let auction = Self::start_auction(asset, owner, collateral_left, tab)?;
			return Ok((Some(auction), 0));
		}
		if collateral_left != 0 {
			if Self::can_receive(asset, owner, collateral_left) {
				Self::pay(asset, owner, collateral_left)?;
				return Ok((None, collateral_left));
			}
			Self::keep_leftover(stable_asset, asset, collateral_left);
		} else if debt_left != 0 {
			T::Vaults::heal();
		}
		Ok((None, 0))
	}

	/// Plans the liquidation of `found` ([`Pallet::liquidate_vault`]) from what taking any
	/// amount takes (`preview`), with `deposits` in the lvUSD backstop. Emits `SwapRefused`
	/// when the AMM's quote is refused. Fails with `AuctionCapReached` when no route could take
	/// any part.
	fn plan_vault(
		asset: AssetId,
		owner: &T::AccountId,
		found: &UnsafeVault,
		preview: SeizePreview<'_>,
		deposits: Balance,
		with_amm: bool,
	) -> Result<VaultPlan, DispatchError> {
		let risk = found.risk;
		let part = preview(found.part)?;
		let usable = part.collateral.saturating_sub(Self::seed_due(asset, part.collateral));
		let (repaid, received) = Self::backstop_share(&risk, deposits, part.debt, usable)?;
		let all = VaultPlan {
			risk,
			debt: found.part,
			collateral: Balance::MAX,
			owed: found.debt,
			backstop: (repaid, received),
			sale: None,
			room: None,
		};
		let (debt_left, collateral_left) =
			(part.debt.saturating_sub(repaid), usable.saturating_sub(received));
		// What no route needs stays in the vault.
		let leaving = |unused: Balance| part.collateral.saturating_sub(unused);
		if collateral_left == 0 {
			return Ok(all);
		}
		if debt_left == 0 {
			return Ok(VaultPlan { collateral: leaving(collateral_left), ..all });
		}
		if let Some(cap) = Self::amm_route(asset).max_slippage().filter(|_| with_amm) {
			match Self::quote_sale(&risk, asset, debt_left, collateral_left, cap) {
				Ok(quote) => {
					let unused = collateral_left.saturating_sub(quote.amount_in);
					return Ok(VaultPlan { sale: Some(quote), collateral: leaving(unused), ..all });
				},
				Err(error) => {
					Self::deposit_event(Event::SwapRefused { asset, owner: owner.clone(), error })
				},
			}
		}
		Self::fit_auction_room(asset, all, Self::auction_room(asset), part, preview, deposits)
	}

	/// Fits `plan` (the whole `part` planned through the backstop with `deposits`, no sale) to
	/// `room`, the tab an auction may still take, and records the room in it: unchanged when
	/// the debt the backstop leaves fits the room (a room below the minimum tab fits none),
	/// otherwise the most debt whose rest after the backstop fits. The backstop pays for
	/// `backed` of the part's debt (its collateral is worth that with the penalty): a piece up
	/// to its deposits' share of that leaves it all the collateral and no lot (under water, the
	/// unbacked debt joins the deficit); a larger one leaves the room the rest. Fails with
	/// `AuctionCapReached` when no piece fits.
	fn fit_auction_room(
		asset: AssetId,
		plan: VaultPlan,
		room: Balance,
		part: SeizedVault,
		preview: SeizePreview<'_>,
		deposits: Balance,
	) -> Result<VaultPlan, DispatchError> {
		let plan = VaultPlan { room: Some(room), ..plan };
		let risk = plan.risk;
		let mut room_debt = without_penalty(&risk, room, Rounding::Down)?;
		if room_debt < without_penalty(&risk, T::MinAuctionTab::get(), Rounding::Up)? {
			room_debt = 0;
		}
		if part.debt.saturating_sub(plan.backstop.0) <= room_debt {
			return Ok(plan);
		}
		let usable = part.collateral.saturating_sub(Self::seed_due(asset, part.collateral));
		let worth = Self::worth(&risk, usable)?;
		let backed = part.debt.min(without_penalty(&risk, worth, Rounding::Down)?);
		let backstop_only = match backed {
			0 => 0,
			_ => mul_div(deposits, part.debt, backed, Rounding::Down)?,
		};
		let with_room = deposits.saturating_add(room_debt);
		let room_piece = match mul_div(backed, with_room, part.debt, Rounding::Down)? {
			repaid if repaid >= deposits => with_room,
			_ => 0,
		};
		let limit = backstop_only.max(room_piece).min(part.debt);
		let piece = preview(limit)
			.ok()
			.filter(|piece| piece.debt != 0)
			.ok_or(Error::<T>::AuctionCapReached)?;
		let usable = piece.collateral.saturating_sub(Self::seed_due(asset, piece.collateral));
		let backstop = Self::backstop_share(&risk, deposits, piece.debt, usable)?;
		Ok(VaultPlan { debt: limit, backstop, ..plan })
	}

	/// What the lvUSD backstop with `deposits` repays of `debt` and receives of `collateral`
	/// (usable, in the engine): as much as the deposits allow and the collateral pays for at
	/// the liquidation discount, and collateral worth that with the penalty, rounded down;
	/// nothing when that rounds to no collateral. A rest below the minimum tab's debt leaves
	/// collateral too little to auction, which the backstop keeps as well.
	fn backstop_share(
		risk: &VaultRisk,
		deposits: Balance,
		debt: Balance,
		collateral: Balance,
	) -> Result<(Balance, Balance), DispatchError> {
		let worth = Self::worth(risk, collateral)?;
		let repaid = deposits.min(debt).min(without_penalty(risk, worth, Rounding::Down)?);
		if repaid == 0 {
			return Ok((0, 0));
		}
		let in_stable = (risk.debt_decimals, STABLE_PRICE);
		let received = convert(
			with_penalty(risk, repaid),
			in_stable,
			(risk.decimals, risk.price),
			Rounding::Down,
		)?
		.min(collateral);
		Ok(if received == 0 { (0, 0) } else { (repaid, received) })
	}

	/// The AMM's quote for buying, with `collateral` of `asset`, the tab of `debt`, or what the
	/// collateral buys within `cap` if that is less (a partial piece's collateral is worth its
	/// tab, so slippage comes out of the penalty). Fails with `AmmShortOfDebt` when that is
	/// less than the debt or costs more than `collateral`, or with the AMM's refusal.
	fn quote_sale(
		risk: &VaultRisk,
		asset: AssetId,
		debt: Balance,
		collateral: Balance,
		cap: sp_runtime::Permill,
	) -> Result<SwapQuote, DispatchError> {
		let worth = Self::worth(risk, collateral)?;
		let buy = with_penalty(risk, debt).min(worth.saturating_sub(cap.mul_ceil(worth)));
		ensure!(buy >= debt, Error::<T>::AmmShortOfDebt);
		let quote = T::Swaps::quote_buy(asset, T::StableAsset::get(), buy, cap)?;
		ensure!(quote.amount_in <= collateral, Error::<T>::AmmShortOfDebt);
		Ok(quote)
	}

	/// `collateral` of the vault's asset in lvUSD's smallest unit at the liquidation's price,
	/// rounded down.
	fn worth(risk: &VaultRisk, collateral: Balance) -> Result<Balance, DispatchError> {
		let in_stable = (risk.debt_decimals, STABLE_PRICE);
		Ok(convert(collateral, (risk.decimals, risk.price), in_stable, Rounding::Down)?)
	}

	/// Keeps `amount` of `asset` left of a liquidation that is too little for its owner to
	/// hold: the backstop pool of `pool_asset` gains it, as it repaid debt; when that pool
	/// cannot (no deposits left, or no room for another gain asset), the engine adds it to its
	/// seed of the asset, so a liquidation never fails over a leftover.
	pub(crate) fn keep_leftover(pool_asset: AssetId, asset: AssetId, amount: Balance) {
		if with_storage_layer(|| Self::absorb(pool_asset, 0, GainAsset::Tokens(asset), amount))
			.is_err()
		{
			Seeds::<T>::mutate(asset, |seed| {
				*seed = Some(seed.unwrap_or_default().saturating_add(amount));
			});
		}
	}
}

/// `debt` with the liquidation penalty, rounded up: the tab.
fn with_penalty(risk: &VaultRisk, debt: Balance) -> Balance {
	debt.saturating_add(risk.penalty.mul_ceil(debt))
}

/// The debt whose tab is `tab`, rounded as asked.
fn without_penalty(
	risk: &VaultRisk,
	tab: Balance,
	rounding: Rounding,
) -> Result<Balance, DispatchError> {
	let with = 1_000_000u128.saturating_add(u128::from(risk.penalty.deconstruct()));
	Ok(mul_div(tab, 1_000_000, with, rounding)?)
}

impl From<DispatchError> for Stopped {
	fn from(error: DispatchError) -> Self {
		Stopped::Failed(error)
	}
}
