//! The engine's invariants, checked by `try_state` and after every test block.

use super::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungibles::Inspect, Get},
};
use lever_primitives::{LendingLiquidation, VaultLiquidation};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Checks that the queue, the index, the pools and the auctions agree with each other and
	/// with what the engine's account holds.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_queue()?;
		Self::check_index()?;
		Self::check_holdings()
	}

	/// The queue holds each position once, within its bound; vault items are marked queued in
	/// the index and lending items flagged.
	fn check_queue() -> Result<(), TryRuntimeError> {
		ensure!(Self::queue_len() <= T::MaxQueueLength::get(), "queue over its bound");
		let items = Self::queued();
		ensure!(items.len() as u32 == Self::queue_len(), "queue has holes");
		let mut vaults = 0usize;
		let mut accounts = 0usize;
		for item in &items {
			match item {
				QueueItem::Vault { asset, owner } => {
					vaults += 1;
					ensure!(
						VaultSlots::<T>::get(asset, owner) == Some(VaultSlot::Queued),
						"queued vault not marked queued"
					);
				},
				QueueItem::Lending { account } => {
					accounts += 1;
					ensure!(Flagged::<T>::contains_key(account), "queued account not flagged");
				},
			}
		}
		let marked = VaultSlots::<T>::iter_values().filter(|slot| *slot == VaultSlot::Queued);
		ensure!(marked.count() == vaults, "a vault marked queued is not in the queue once");
		ensure!(Flagged::<T>::iter_keys().count() == accounts, "a flag is not in the queue once");
		Ok(())
	}

	/// The index holds every vault with debt, as it is, in the bucket of its ratio or in the
	/// queue, and nothing else; sizes and occupancy bits agree.
	fn check_index() -> Result<(), TryRuntimeError> {
		let mut in_buckets = 0usize;
		for asset in T::Vaults::collateral_types() {
			for (owner, collateral, normalized_debt) in T::Vaults::vaults_with_debt(asset) {
				match VaultSlots::<T>::get(asset, &owner) {
					Some(VaultSlot::Bucket(bucket)) => {
						in_buckets += 1;
						ensure!(
							BucketMembers::<T>::get((asset, bucket), &owner)
								== Some(IndexedVault { collateral, normalized_debt }),
							"the index holds a vault other than it is"
						);
					},
					Some(VaultSlot::Queued) => {},
					None => return Err("a vault with debt is not indexed".into()),
				}
			}
		}
		// A queued vault may have been repaid since; its turn takes it out of the index.
		let bucketed = VaultSlots::<T>::iter_values().filter(|slot| *slot != VaultSlot::Queued);
		ensure!(bucketed.count() == in_buckets, "a bucket holds a vault without debt");
		let mut sizes = BTreeMap::<(AssetId, BucketKey), u32>::new();
		for ((asset, bucket), owner, vault) in BucketMembers::<T>::iter() {
			ensure!(bucket == bucket_of(vault.debt_per_collateral()), "vault in the wrong bucket");
			ensure!(vault.normalized_debt != 0, "vault without debt indexed");
			ensure!(
				VaultSlots::<T>::get(asset, &owner) == Some(VaultSlot::Bucket(bucket)),
				"bucket member's slot disagrees"
			);
			*sizes.entry((asset, bucket)).or_default() += 1;
		}
		let slots = VaultSlots::<T>::iter_values()
			.filter(|slot| matches!(slot, VaultSlot::Bucket(_)))
			.count();
		ensure!(
			slots == sizes.values().map(|size| *size as usize).sum::<usize>(),
			"slot without member"
		);
		ensure!(
			BucketSizes::<T>::iter().collect::<BTreeMap<_, _>>() == sizes,
			"bucket sizes disagree with members"
		);
		for (asset, words) in Occupancy::<T>::iter() {
			for (word, value) in words.iter().enumerate() {
				for bit in 0..64u16 {
					let bucket = ((word as u16) << MANTISSA_BITS) | bit;
					let occupied = value & (1u64 << bit) != 0;
					ensure!(
						occupied == sizes.contains_key(&(asset, bucket)),
						"occupancy bit disagrees with bucket size"
					);
				}
			}
		}
		for (asset, bucket) in sizes.keys() {
			let words = Occupancy::<T>::get(asset);
			let word = words.get(usize::from(bucket >> MANTISSA_BITS)).copied().unwrap_or(0);
			ensure!(word & (1u64 << (bucket & 63)) != 0, "occupied bucket without its bit");
		}
		Ok(())
	}

	/// Every pool's product is within its range and every deposit's snapshot one the pool had;
	/// waiting deposits agree with the pool's list and their join records; depositors' claims
	/// never exceed what the pools hold, and no gain is stranded beyond rounding; the debt in
	/// auction is the sum of the tabs; the engine's account holds at least the seeds, pools,
	/// token gains and lots, and its lending supply at least the shares the pools gained.
	fn check_holdings() -> Result<(), TryRuntimeError> {
		let mut owed = BTreeMap::<AssetId, Balance>::new();
		let mut owed_shares = BTreeMap::<AssetId, Balance>::new();
		for (pool_asset, pool) in BackstopPools::<T>::iter() {
			ensure!(
				(PRODUCT_FLOOR..=PRODUCT_UNIT).contains(&pool.product),
				"a pool's product left its range"
			);
			let mut claims = 0u128;
			let mut depositors = 0u128;
			let mut gains = BTreeMap::<GainAsset, Balance>::new();
			let mut waiting = BTreeMap::<u32, (u32, Balance)>::new();
			for (_, deposit) in Deposits::<T>::iter_prefix(pool_asset) {
				ensure!(
					(PRODUCT_FLOOR..=PRODUCT_UNIT).contains(&deposit.product)
						&& (deposit.epoch, deposit.scale) <= (pool.epoch, pool.scale),
					"a deposit's snapshot is not one the pool had"
				);
				ensure!(
					deposit.unpaid.iter().all(|(asset, _)| pool.gain_assets.contains(asset)),
					"a deposit is owed a gain the pool never received"
				);
				if let Some((made, amount)) = deposit.waiting {
					ensure!(amount != 0, "a deposit waits with nothing");
					let (depositors, total) = waiting.entry(made).or_default();
					*depositors += 1;
					*total = total.saturating_add(amount);
				}
				depositors += 1;
				claims = claims.saturating_add(Self::compounded(pool_asset, &deposit, &pool));
				for asset in pool.gain_assets.iter() {
					*gains.entry(*asset).or_default() +=
						Self::gain(pool_asset, &deposit, &pool, *asset);
				}
			}
			// Each block's waiting deposits: counted in its join record, in the pool's waiting
			// list until they join and with the snapshots they joined with after.
			let joins = Joins::<T>::iter_prefix(pool_asset).collect::<BTreeMap<_, _>>();
			ensure!(
				joins.keys().eq(waiting.keys()),
				"join records disagree with the deposits waiting"
			);
			for (made, join) in &joins {
				let (depositors, total) = waiting.get(made).copied().unwrap_or_default();
				ensure!(join.depositors == depositors, "a join record miscounts its deposits");
				let listed = pool.waiting.iter().find(|(block, _)| block == made);
				match listed {
					Some((_, amount)) => ensure!(
						*amount == total && join.snapshot.is_none(),
						"a pool's waiting deposits disagree with its depositors'"
					),
					None => ensure!(join.snapshot.is_some(), "joined deposits without a snapshot"),
				}
			}
			ensure!(
				pool.waiting.iter().all(|(made, _)| joins.contains_key(made)),
				"a pool waits for deposits no one made"
			);
			let holds = pool.deposits.saturating_add(pool.all_waiting());
			ensure!(claims <= holds, "deposits claim more than the pool holds");
			ensure!(
				holds.saturating_sub(claims) <= pool.rounding,
				"a deposit is stranded: no depositor owns it"
			);
			*owed.entry(pool_asset).or_default() += holds;
			for asset in pool.gain_assets.iter() {
				let record = PoolGains::<T>::get(pool_asset, asset);
				let held = record.held;
				let claimed = gains.get(asset).copied().unwrap_or(0);
				ensure!(claimed <= held, "gains claim more than the pool received");
				// No gain stranded: what no deposit claims is rounding, of the settlements so
				// far, of the present deposits' shares (two each), and of the sum S (the
				// carry, below one unit per 10²⁷ of product).
				let rounding = record
					.unclaimable
					.saturating_add(depositors.saturating_mul(2))
					.saturating_add(record.carry / PRODUCT_FLOOR)
					.saturating_add(1);
				ensure!(
					held.saturating_sub(claimed) <= rounding,
					"a gain is stranded: no deposit claims it"
				);
				match asset {
					GainAsset::Tokens(tokens) => *owed.entry(*tokens).or_default() += held,
					GainAsset::Supply(market) => *owed_shares.entry(*market).or_default() += held,
				}
			}
		}
		let mut in_auction = BTreeMap::<AssetId, Balance>::new();
		let mut total = 0u128;
		for (_, auction) in Auctions::<T>::iter() {
			ensure!(auction.lot != 0 && auction.tab != 0, "an auction that should have ended");
			ensure!(
				auction.lot >= T::Assets::minimum_balance(auction.asset),
				"an auction's lot is below the asset's minimum balance"
			);
			*in_auction.entry(auction.asset).or_default() += auction.tab;
			total += auction.tab;
			*owed.entry(auction.asset).or_default() += auction.lot;
		}
		ensure!(
			DebtInAuction::<T>::iter().collect::<BTreeMap<_, _>>() == in_auction,
			"debt in auction per type disagrees with the tabs"
		);
		let book = AuctionBooks::<T>::get();
		ensure!(book.total_debt == total, "total debt in auction disagrees");
		ensure!(
			u64::from(book.running) == Auctions::<T>::iter_keys().count() as u64,
			"the running auctions' count disagrees"
		);
		ensure!(
			Auctions::<T>::iter_keys().all(|id| id < book.next_id),
			"an auction's identifier is not below the next one"
		);
		for (asset, seed) in Seeds::<T>::iter() {
			*owed.entry(asset).or_default() += seed;
		}
		let engine = Self::account_id();
		for (asset, amount) in owed {
			ensure!(
				T::Assets::balance(asset, &engine) >= amount,
				"the engine holds less than it owes"
			);
		}
		for (market, shares) in owed_shares {
			ensure!(
				T::Lending::supply_shares(&engine, market) >= shares,
				"the engine supplies fewer shares than the pools gained"
			);
		}
		Ok(())
	}
}
