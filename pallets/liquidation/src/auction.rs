//! Dutch auctions of liquidated vaults' collateral for lvUSD (Maker's Liquidations 2.0): the
//! price starts at the oracle price × buffer and falls along the type's curve; after the tail,
//! or once it is below the cusp, it starts again from the top. Anyone may `take` part or all of
//! the lot at the current price. Caps bound the debt in auction per type and in total.

use super::*;
use frame_support::{
	ensure,
	storage::{with_transaction, TransactionOutcome},
	traits::{
		fungibles::{metadata::Inspect as InspectMetadata, Inspect},
		Get,
	},
	weights::WeightMeter,
};
use lever_primitives::{convert, VaultLiquidation, STABLE_PRICE};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult, FixedU128, Rounding,
};

impl<T: Config> Pallet<T> {
	/// The auction's price now (lvUSD per whole collateral token) at collateral price `price`,
	/// and when it next starts again from the top.
	pub fn auction_price(
		auction: &Auction<T::AccountId>,
		price: FixedU128,
		now: Seconds,
	) -> (FixedU128, Seconds) {
		let params = Self::auction_params(auction.asset);
		let cycle = params.cycle().unwrap_or(params.tail).max(1);
		let into_cycle = now.saturating_sub(auction.started_at) % cycle;
		let top = price.saturating_mul(params.buffer);
		let resets_at = now.saturating_add(cycle.saturating_sub(into_cycle));
		(top.saturating_mul(params.curve.factor(into_cycle)), resets_at)
	}

	/// Whether `lot` of `asset` is too little to auction at `risk`'s price: below the asset's
	/// minimum balance, or worth less than the minimum tab ([`Config::MinAuctionTab`]), so no
	/// one would take it for its tab.
	pub(crate) fn is_lot_too_small(
		asset: AssetId,
		lot: Balance,
		risk: &lever_primitives::VaultRisk,
	) -> Result<bool, DispatchError> {
		if lot < T::Assets::minimum_balance(asset) {
			return Ok(true);
		}
		let stable = (risk.debt_decimals, STABLE_PRICE);
		let worth = convert(lot, (risk.decimals, risk.price), stable, Rounding::Down)?;
		Ok(worth < T::MinAuctionTab::get())
	}

	/// The most tab a new auction of `asset` may have under the caps: what the type's and the
	/// total cap leave, or nothing when as many auctions run as may.
	pub(crate) fn auction_room(asset: AssetId) -> Balance {
		let book = AuctionBooks::<T>::get();
		if book.running >= T::MaxAuctions::get() {
			return 0;
		}
		let in_type = Self::auction_params(asset)
			.max_debt
			.saturating_sub(DebtInAuction::<T>::get(asset));
		in_type.min(MaxDebtInAuction::<T>::get().saturating_sub(book.total_debt))
	}

	/// Starts an auction of `lot` collateral for `tab` lvUSD, within the caps.
	pub(crate) fn start_auction(
		asset: AssetId,
		owner: &T::AccountId,
		lot: Balance,
		tab: Balance,
	) -> Result<u32, DispatchError> {
		let mut book = AuctionBooks::<T>::get();
		ensure!(book.running < T::MaxAuctions::get(), Error::<T>::AuctionCapReached);
		let in_type = DebtInAuction::<T>::get(asset).saturating_add(tab);
		let id = book.start(tab)?;
		ensure!(
			in_type <= Self::auction_params(asset).max_debt
				&& book.total_debt <= MaxDebtInAuction::<T>::get(),
			Error::<T>::AuctionCapReached
		);
		AuctionBooks::<T>::put(book);
		DebtInAuction::<T>::insert(asset, in_type);
		Auctions::<T>::insert(
			id,
			Auction { asset, owner: owner.clone(), lot, tab, started_at: Clock::<T>::now_secs() },
		);
		Self::deposit_event(Event::AuctionStarted { id, asset, owner: owner.clone(), lot, tab });
		Ok(id)
	}

	/// Lowers the debt in auction of `asset` by `amount`.
	fn release_debt(asset: AssetId, amount: Balance) {
		DebtInAuction::<T>::mutate_exists(asset, |debt| {
			let left = debt.unwrap_or_default().saturating_sub(amount);
			*debt = (left != 0).then_some(left);
		});
		AuctionBooks::<T>::mutate(|book| book.total_debt = book.total_debt.saturating_sub(amount));
	}

	/// Ends auction `id`: one auction fewer runs.
	fn remove_auction(id: u32) {
		Auctions::<T>::remove(id);
		AuctionBooks::<T>::mutate(|book| book.running = book.running.saturating_sub(1));
	}

	/// Sells `who` up to `max_collateral` of auction `id` at its current price, if that is at
	/// most `max_price`; the lvUSD paid is burned against the deficit. A take never leaves a tab
	/// below [`Config::MinAuctionTab`] except by buying the whole lot (it buys less instead,
	/// Maker Clipper's rule), nor a lot below the asset's minimum balance.
	pub(crate) fn do_take(
		who: &T::AccountId,
		id: u32,
		max_collateral: Balance,
		max_price: FixedU128,
	) -> DispatchResult {
		ensure!(max_collateral != 0, Error::<T>::ZeroAmount);
		let mut auction = Auctions::<T>::get(id).ok_or(Error::<T>::NoAuction)?;
		let risk = T::Vaults::risk(auction.asset).map_err(|_| Error::<T>::PriceUnavailable)?;
		let (price, _) = Self::auction_price(&auction, risk.price, Clock::<T>::now_secs());
		ensure!(!price.is_zero(), Error::<T>::PriceUnavailable);
		ensure!(price <= max_price, Error::<T>::PriceTooHigh);
		let collateral = (risk.decimals, price);
		let stable = (risk.debt_decimals, STABLE_PRICE);
		let min_tab = T::MinAuctionTab::get();
		let whole_lot = max_collateral >= auction.lot;
		let mut amount = max_collateral.min(auction.lot);
		let mut owe = convert(amount, collateral, stable, Rounding::Up)?;
		if owe >= auction.tab {
			owe = auction.tab;
			amount = amount.min(convert(owe, stable, collateral, Rounding::Down)?);
		} else if !whole_lot && auction.tab.saturating_sub(owe) < min_tab {
			// Maker Clipper's rule: buy less, leaving the minimum tab; a tab already at the
			// minimum is sold only with the whole lot (which may leave any tab as deficit).
			ensure!(auction.tab > min_tab, Error::<T>::TakeLeavesTooLittle);
			owe = auction.tab.saturating_sub(min_tab);
			amount = amount.min(convert(owe, stable, collateral, Rounding::Down)?);
		}
		ensure!(amount != 0 && owe != 0, Error::<T>::Dust);
		let lot_left = auction.lot.saturating_sub(amount);
		ensure!(
			lot_left == 0 || lot_left >= T::Assets::minimum_balance(auction.asset),
			Error::<T>::TakeLeavesTooLittle
		);
		T::Vaults::cover_deficit(who, owe)?;
		Self::pay(auction.asset, who, amount)?;
		auction.lot = auction.lot.saturating_sub(amount);
		auction.tab = auction.tab.saturating_sub(owe);
		Self::release_debt(auction.asset, owe);
		Self::deposit_event(Event::Taken {
			id,
			who: who.clone(),
			collateral: amount,
			paid: owe,
			price,
		});
		if auction.tab.is_zero() || auction.lot.is_zero() {
			Self::end_auction(id, auction, who)
		} else {
			Auctions::<T>::insert(id, auction);
			Ok(())
		}
	}

	/// Ends an auction whose tab is paid or whose lot is gone: what is left of the lot goes back
	/// to the vault's owner (to `taker` if the owner cannot hold that little), and an unpaid tab
	/// stays as deficit, netted against the surplus.
	fn end_auction(
		id: u32,
		auction: Auction<T::AccountId>,
		taker: &T::AccountId,
	) -> DispatchResult {
		let mut returned = 0;
		if !auction.lot.is_zero() {
			let to = if Self::can_receive(auction.asset, &auction.owner, auction.lot) {
				&auction.owner
			} else {
				taker
			};
			Self::pay(auction.asset, to, auction.lot)?;
			returned = auction.lot;
		}
		if !auction.tab.is_zero() {
			Self::release_debt(auction.asset, auction.tab);
			T::Vaults::heal();
		}
		Self::remove_auction(id);
		Self::deposit_event(Event::AuctionEnded { id, returned, uncovered: auction.tab });
		Ok(())
	}

	/// Cancels auction `id` after the shutdown (Maker's `End.snip`): collateral worth its tab
	/// at the frozen price (rounded up, at most the lot) joins the type's redemption pool, and
	/// the rest goes back to the owner (into the pool too if the owner cannot hold that
	/// little). The tab's debt already counts in the deficit that redemptions burn down.
	pub(crate) fn do_snip(id: u32) -> DispatchResult {
		let auction = Auctions::<T>::get(id).ok_or(Error::<T>::NoAuction)?;
		let price = T::Vaults::shutdown_price(auction.asset).ok_or(Error::<T>::NotShutDown)?;
		let collateral = (T::Assets::decimals(auction.asset), price);
		let stable = (T::Assets::decimals(T::StableAsset::get()), STABLE_PRICE);
		let worth_tab = convert(auction.tab, stable, collateral, Rounding::Up)?;
		let mut redeemed = worth_tab.min(auction.lot);
		let mut returned = auction.lot.saturating_sub(redeemed);
		if returned != 0 && !Self::can_receive(auction.asset, &auction.owner, returned) {
			(redeemed, returned) = (auction.lot, 0);
		}
		if redeemed != 0 {
			T::Vaults::add_to_redemption(&Self::account_id(), auction.asset, redeemed)?;
		}
		if returned != 0 {
			Self::pay(auction.asset, &auction.owner, returned)?;
		}
		Self::release_debt(auction.asset, auction.tab);
		Self::remove_auction(id);
		Self::deposit_event(Event::AuctionSnipped { id, redeemed, returned, tab: auction.tab });
		Ok(())
	}

	/// After the shutdown, cancels running auctions as long as `meter` allows, each at
	/// [`WeightInfo::snip`] plus the read that finds it. One that fails (it cannot: the engine
	/// holds every lot) stops the round, and is reported.
	pub(crate) fn snip_auctions(meter: &mut WeightMeter) {
		let each = T::WeightInfo::snip().saturating_add(T::DbWeight::get().reads(1));
		while meter.try_consume(each).is_ok() {
			let Some(id) = Auctions::<T>::iter_keys().next() else { return };
			let snipped = with_transaction(|| match Self::do_snip(id) {
				Ok(()) => TransactionOutcome::Commit(Ok(())),
				Err(error) => TransactionOutcome::Rollback(Err(error)),
			});
			if let Err(error) = snipped {
				return Self::deposit_event(Event::SnipDeferred { id, error });
			}
		}
	}

	/// Every running auction with its price now (for the runtime API).
	pub fn auction_infos() -> alloc::vec::Vec<AuctionInfo<T::AccountId>> {
		let now = Clock::<T>::now_secs();
		Auctions::<T>::iter()
			.map(|(id, auction)| {
				let oracle = T::Vaults::risk(auction.asset).ok().map(|risk| risk.price);
				let (price, resets_at) =
					Self::auction_price(&auction, oracle.unwrap_or_default(), now);
				AuctionInfo { id, price: oracle.map(|_| price), resets_at, auction }
			})
			.collect()
	}
}
