//! Backstop pools, with Liquity's product/sum snapshots: a liquidation that takes debt D and gives
//! collateral G to a pool holding Q adds G·P/Q to the collateral's sum S and multiplies the
//! product P by 1 − D/Q. A deposit d made at (P₀, S₀) is then worth d·P/P₀ and has gained
//! d·(S − S₀)/P₀, in O(collateral assets) whatever the number of depositors or liquidations.
//!
//! Rounding (Liquity v2's scheme): P has 36 digits and is rescaled by 10⁹ before it would fall
//! below 10²⁷ ([`BackstopPool::take_loss`]), so it never reaches zero within an epoch and every
//! loss rounds away at most 10⁻²⁷ of the deposits; S is 256 bits wide and carries the remainder of
//! each division into the next ([`Gains::carry`]). Every rounding shrinks claims, so the
//! depositors' claims never exceed what the pool holds; what rounding leaves over is at most one
//! unit per deposit, withdrawal and liquidation. A gain that cannot be paid when its deposit
//! changes stays the depositor's ([`Deposit::unpaid`]).
//!
//! A deposit shares in liquidations only from [`JOIN_DELAY`] blocks after it was made: until then
//! it waits beside the pool ([`BackstopPool::waiting`], [`Deposit::waiting`]), bearing no loss and
//! earning no gain, so a deposit made once a liquidation can be foreseen and withdrawn after it
//! takes nothing from the depositors who bore the risk. The deposits of one block join at the
//! pool's first use from then on, all with the snapshots of that moment ([`Joins`]).

use super::*;
use frame_support::{
	ensure,
	traits::{
		fungibles::Inspect,
		tokens::{DepositConsequence, Preservation, Provenance},
	},
	BoundedVec,
};
use lever_primitives::{custody, mul_div, LendingLiquidation};
use sp_core::{U256, U512};
use sp_runtime::{
	traits::SaturatedConversion, ArithmeticError, DispatchError, DispatchResult, Rounding,
};

/// Gains owed to a depositor that could not be paid when its deposit changed.
type Unpaid<T> = BoundedVec<(GainAsset, Balance), <T as Config>::MaxGainAssets>;

impl<T: Config> Pallet<T> {
	/// Moves `amount` of `asset` from `from` into the engine and returns what is usable: the first
	/// tokens of an asset the engine has never held stay as its permanent seed (the asset's minimum
	/// balance), so later payouts never reap the engine's account or sweep dust with them.
	pub(crate) fn pull(
		asset: AssetId,
		from: &T::AccountId,
		amount: Balance,
	) -> Result<Balance, DispatchError> {
		let received = custody::take_in::<_, T::Assets>(asset, from, &Self::account_id(), amount)?;
		Ok(Self::after_seed(asset, received))
	}

	/// What of `received` tokens of `asset`, just arrived in the engine, is usable once the seed
	/// is set aside.
	pub(crate) fn after_seed(asset: AssetId, received: Balance) -> Balance {
		let seed = Self::seed_due(asset, received);
		if seed != 0 || !Seeds::<T>::contains_key(asset) {
			Seeds::<T>::insert(asset, seed);
		}
		received.saturating_sub(seed)
	}

	/// What of `received` tokens of `asset` [`Pallet::after_seed`] would set aside as the
	/// engine's seed: the asset's minimum balance (or all, if less) while the engine has none.
	pub(crate) fn seed_due(asset: AssetId, received: Balance) -> Balance {
		let seeded = Seeds::<T>::contains_key(asset);
		custody::seed_due(seeded, received, T::Assets::minimum_balance(asset))
	}

	/// Pays `amount` of `asset` out of the engine; its seed keeps its account alive.
	pub(crate) fn pay(asset: AssetId, to: &T::AccountId, amount: Balance) -> DispatchResult {
		let engine = Self::account_id();
		custody::pay_out::<_, T::Assets>(asset, &engine, to, amount, Preservation::Preserve)?;
		Ok(())
	}

	/// Whether `to` can receive `amount` of `asset` (it may be below the minimum balance).
	pub(crate) fn can_receive(asset: AssetId, to: &T::AccountId, amount: Balance) -> bool {
		T::Assets::can_deposit(asset, to, amount, Provenance::Extant) == DepositConsequence::Success
	}

	/// The current block, as the backstop counts its deposits' waits.
	fn block() -> u32 {
		frame_system::Pallet::<T>::block_number().saturated_into()
	}

	/// The pool of `pool_asset` with the deposits that have waited long enough moved into its
	/// shares, and their joining snapshots recorded ([`Joins`]). Callers that change the pool
	/// write it back.
	pub(crate) fn pool(pool_asset: AssetId) -> Option<BackstopPool<T::MaxGainAssets>> {
		let mut pool = BackstopPools::<T>::get(pool_asset)?;
		let now = Self::block();
		for (made, amount) in pool.waiting.clone() {
			if !has_joined(made, now) {
				continue;
			}
			pool.deposits = pool.deposits.saturating_add(amount);
			pool.unwait(made, amount);
			let snapshot = Self::snapshot(pool_asset, &pool, 0, BoundedVec::new(), None);
			Joins::<T>::mutate(pool_asset, made, |join| {
				if let Some(join) = join {
					join.snapshot = Some(snapshot);
				}
			});
		}
		Some(pool)
	}

	/// The waiting part of `deposit` once it has joined the pool, as a deposit with the
	/// snapshots it joined with (the pool's current ones if it joined since the pool's last
	/// use); `None` while it waits or when there is none.
	fn joined_part(
		pool_asset: AssetId,
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &BackstopPool<T::MaxGainAssets>,
	) -> Option<Deposit<T::MaxGainAssets>> {
		let (made, amount) = deposit.waiting?;
		if !has_joined(made, Self::block()) {
			return None;
		}
		let snapshot = Joins::<T>::get(pool_asset, made)
			.and_then(|join| join.snapshot)
			.unwrap_or_else(|| Self::snapshot(pool_asset, pool, 0, BoundedVec::new(), None));
		Some(Deposit { amount, ..snapshot })
	}

	/// What of `deposit` still waits to join the pool.
	fn still_waiting(deposit: &Deposit<T::MaxGainAssets>) -> Option<(u32, Balance)> {
		deposit.waiting.filter(|(made, _)| !has_joined(*made, Self::block()))
	}

	/// A deposit's two parts now: the value of its shares after the losses they absorbed (see
	/// [`BackstopPool::value_of`]), a waiting part that has joined counted in, and the part that
	/// still waits, whole.
	fn parts(
		pool_asset: AssetId,
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &BackstopPool<T::MaxGainAssets>,
	) -> (Balance, Option<(u32, Balance)>) {
		let joined =
			Self::joined_part(pool_asset, deposit, pool).map_or(0, |joined| pool.value_of(&joined));
		(pool.value_of(deposit).saturating_add(joined), Self::still_waiting(deposit))
	}

	/// A deposit's value now: its shares and its waiting part ([`Pallet::parts`]).
	pub fn compounded(
		pool_asset: AssetId,
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &BackstopPool<T::MaxGainAssets>,
	) -> Balance {
		let (shares, waiting) = Self::parts(pool_asset, deposit, pool);
		shares.saturating_add(waiting.map_or(0, |(_, amount)| amount))
	}

	/// A deposit's gain of `asset`: what its shares and its joined waiting part earned since
	/// their snapshots, plus what it earned before and could not be paid. Tokens in their
	/// smallest unit, supply in shares.
	pub fn gain(
		pool_asset: AssetId,
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &BackstopPool<T::MaxGainAssets>,
		asset: GainAsset,
	) -> Balance {
		let joined = Self::joined_part(pool_asset, deposit, pool)
			.map_or(0, |joined| Self::earned(pool_asset, &joined, asset));
		Self::earned(pool_asset, deposit, asset)
			.saturating_add(joined)
			.saturating_add(deposit.unpaid(asset))
	}

	/// What `deposit` earned of `asset` since its snapshot, across at most [`SCALE_SPAN`]
	/// rescales: `d · Σᵢ (Sᵢ − S₀) / 10⁹ⁱ / P₀`, rounded down once.
	fn earned(
		pool_asset: AssetId,
		deposit: &Deposit<T::MaxGainAssets>,
		asset: GainAsset,
	) -> Balance {
		if deposit.amount == 0 {
			return 0;
		}
		let snapshot = deposit.sum(asset);
		// Σᵢ Sᵢ · 10^(9·(SPAN − i)), over the scales the deposit is followed across.
		let mut sums = U512::zero();
		for step in 0..=SCALE_SPAN {
			let scale = deposit.scale.saturating_add(step);
			let mut sum = GainSums::<T>::get((pool_asset, asset, deposit.epoch, scale));
			if step == 0 {
				sum = sum.saturating_sub(snapshot);
			}
			let weighted = U512::from(sum).saturating_mul(scale_power(SCALE_SPAN - step));
			sums = sums.saturating_add(weighted);
		}
		let divisor = wide(deposit.product).saturating_mul(scale_power(SCALE_SPAN));
		wide_mul_div(wide(deposit.amount), sums, divisor).unwrap_or(0)
	}

	/// Counts one more deposit waiting since block `made`.
	fn enter_join(pool_asset: AssetId, made: u32) {
		Joins::<T>::mutate(pool_asset, made, |join| {
			let join = join.get_or_insert(Join { depositors: 0, snapshot: None });
			join.depositors = join.depositors.saturating_add(1);
		});
	}

	/// Counts one deposit fewer waiting since block `made`; the record goes with the last.
	fn leave_join(pool_asset: AssetId, made: u32) {
		Joins::<T>::mutate_exists(pool_asset, made, |join| {
			if let Some(record) = join {
				record.depositors = record.depositors.saturating_sub(1);
				if record.depositors == 0 {
					*join = None;
				}
			}
		});
	}

	/// Settles `who`'s deposit before it changes: pays its gains, returning those that cannot
	/// be paid now, and ends its join record once its waiting part has joined (its value is then
	/// in the shares of [`Pallet::parts`]).
	fn settle(
		pool_asset: AssetId,
		who: &T::AccountId,
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &BackstopPool<T::MaxGainAssets>,
	) -> Unpaid<T> {
		let unpaid = Self::pay_gains(pool_asset, who, deposit, pool);
		if let Some((made, _)) =
			deposit.waiting.filter(|(made, _)| has_joined(*made, Self::block()))
		{
			Self::leave_join(pool_asset, made);
		}
		unpaid
	}

	/// A new deposit of `amount` with the pool's current snapshots, keeping `unpaid` gains and
	/// the `waiting` part.
	fn snapshot(
		pool_asset: AssetId,
		pool: &BackstopPool<T::MaxGainAssets>,
		amount: Balance,
		unpaid: BoundedVec<(GainAsset, Balance), T::MaxGainAssets>,
		waiting: Option<(u32, Balance)>,
	) -> Deposit<T::MaxGainAssets> {
		let sums = pool
			.gain_assets
			.iter()
			.map(|asset| (*asset, GainSums::<T>::get((pool_asset, *asset, pool.epoch, pool.scale))))
			.collect::<alloc::vec::Vec<_>>();
		Deposit {
			amount,
			product: pool.product,
			epoch: pool.epoch,
			scale: pool.scale,
			sums: BoundedVec::truncate_from(sums),
			unpaid,
			waiting,
		}
	}

	/// Pays `who` every collateral gain of `deposit`: tokens from the engine's account, supply
	/// shares from the engine's supply (as tokens when the market has the cash). Returns the
	/// gains that cannot be paid now (tokens below the asset's minimum balance, shares of a
	/// frozen market): they stay in the pool, owed to `who` in the next snapshot.
	fn pay_gains(
		pool_asset: AssetId,
		who: &T::AccountId,
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &BackstopPool<T::MaxGainAssets>,
	) -> BoundedVec<(GainAsset, Balance), T::MaxGainAssets> {
		let mut unpaid = alloc::vec::Vec::new();
		for asset in pool.gain_assets.iter().copied() {
			let amount = Self::gain(pool_asset, deposit, pool, asset);
			let rounded =
				|gains: &mut Gains| gains.unclaimable = gains.unclaimable.saturating_add(2);
			if amount == 0 {
				PoolGains::<T>::mutate(pool_asset, asset, rounded);
				continue;
			}
			let paid = match asset {
				GainAsset::Tokens(tokens) => {
					Self::can_receive(tokens, who, amount) && Self::pay(tokens, who, amount).is_ok()
				},
				GainAsset::Supply(market) => {
					T::Lending::pay_supply_shares(&Self::account_id(), who, market, amount).is_ok()
				},
			};
			if !paid {
				PoolGains::<T>::mutate(pool_asset, asset, rounded);
				unpaid.push((asset, amount));
				continue;
			}
			PoolGains::<T>::mutate(pool_asset, asset, |gains| {
				gains.held = gains.held.saturating_sub(amount);
				rounded(gains);
			});
			Self::deposit_event(Event::GainPaid {
				pool: pool_asset,
				who: who.clone(),
				asset,
				amount,
			});
		}
		BoundedVec::truncate_from(unpaid)
	}

	/// Adds `amount` to `who`'s deposit in the backstop pool of `pool_asset`, paying its gains.
	pub(crate) fn do_deposit(
		who: &T::AccountId,
		pool_asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(amount != 0, Error::<T>::ZeroAmount);
		ensure!(T::Assets::asset_exists(pool_asset), Error::<T>::UnknownAsset);
		// What is added, after the engine's seed, is never dust: every deposit starts at least
		// the minimum balance (one that losses later bring below it is closed by `do_withdraw`).
		ensure!(
			amount.saturating_sub(Self::seed_due(pool_asset, amount))
				>= T::Assets::minimum_balance(pool_asset),
			Error::<T>::Dust
		);
		let mut pool = Self::pool(pool_asset).unwrap_or_default();
		let ((shares, waiting), unpaid) = match Deposits::<T>::get(pool_asset, who) {
			Some(deposit) => (
				Self::parts(pool_asset, &deposit, &pool),
				Self::settle(pool_asset, who, &deposit, &pool),
			),
			None => ((0, None), BoundedVec::new()),
		};
		let added = Self::pull(pool_asset, who, amount)?;
		// What waited before waits again from now, with what is added.
		let now = Self::block();
		let mut waits = added;
		if let Some((made, amount)) = waiting {
			pool.unwait(made, amount);
			Self::leave_join(pool_asset, made);
			waits = waits.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		}
		pool.wait(now, waits)?;
		pool.rounding = pool.rounding.saturating_add(2);
		Self::enter_join(pool_asset, now);
		let deposit = Self::snapshot(pool_asset, &pool, shares, unpaid, Some((now, waits)));
		Deposits::<T>::insert(pool_asset, who, deposit);
		BackstopPools::<T>::insert(pool_asset, pool);
		Self::deposit_event(Event::Deposited {
			pool: pool_asset,
			who: who.clone(),
			amount: added,
			shares_from: now.saturating_add(JOIN_DELAY),
		});
		Ok(())
	}

	/// Takes `amount` (or all) of `who`'s deposit out of the pool of `pool_asset`, with its gains.
	pub(crate) fn do_withdraw(
		who: &T::AccountId,
		pool_asset: AssetId,
		amount: AmountOrAll,
	) -> DispatchResult {
		let deposit = Deposits::<T>::get(pool_asset, who).ok_or(Error::<T>::NoDeposit)?;
		let mut pool = Self::pool(pool_asset).ok_or(Error::<T>::NoDeposit)?;
		let (shares, waiting) = Self::parts(pool_asset, &deposit, &pool);
		let current = shares.saturating_add(waiting.map_or(0, |(_, amount)| amount));
		let amount = match amount {
			AmountOrAll::All => current,
			AmountOrAll::Amount(amount) => {
				ensure!(amount != 0, Error::<T>::ZeroAmount);
				ensure!(amount <= current, Error::<T>::ExceedsDeposit);
				amount
			},
		};
		let minimum = T::Assets::minimum_balance(pool_asset);
		let left = current.saturating_sub(amount);
		ensure!(left == 0 || left >= minimum, Error::<T>::Dust);
		// A whole deposit below the minimum balance (losses compounded it there) that `who`'s
		// account cannot receive is dust: the deposit closes and the engine keeps it, so a
		// withdrawal of all never depends on what else `who` holds.
		let dust = left == 0
			&& amount != 0
			&& amount < minimum
			&& !Self::can_receive(pool_asset, who, amount);
		let unpaid = Self::settle(pool_asset, who, &deposit, &pool);
		if amount != 0 && !dust {
			Self::pay(pool_asset, who, amount)?;
		}
		// What waits goes first: it never shared in a loss.
		let (waiting, from_shares) = match waiting {
			Some((made, waits)) => {
				let taken = waits.min(amount);
				pool.unwait(made, taken);
				let still = waits.saturating_sub(taken);
				if still == 0 {
					Self::leave_join(pool_asset, made);
				}
				((still != 0).then_some((made, still)), amount.saturating_sub(taken))
			},
			None => (None, amount),
		};
		pool.deposits = pool.deposits.saturating_sub(from_shares);
		pool.rounding = pool.rounding.saturating_add(1);
		let shares = shares.saturating_sub(from_shares);
		if left == 0 && unpaid.is_empty() {
			Deposits::<T>::remove(pool_asset, who);
		} else {
			let deposit = Self::snapshot(pool_asset, &pool, shares, unpaid, waiting);
			Deposits::<T>::insert(pool_asset, who, deposit);
		}
		BackstopPools::<T>::insert(pool_asset, pool);
		let who = who.clone();
		Self::deposit_event(if dust {
			Event::DepositDustKept { pool: pool_asset, who, amount }
		} else {
			Event::Withdrawn { pool: pool_asset, who, amount }
		});
		Ok(())
	}

	/// The pool of `pool_asset` repays `debt` (already spent from its deposits by the caller)
	/// and receives `collateral` of `asset` (tokens or supply shares), shared pro rata by the
	/// snapshots.
	pub(crate) fn absorb(
		pool_asset: AssetId,
		debt: Balance,
		asset: GainAsset,
		collateral: Balance,
	) -> DispatchResult {
		let mut pool = Self::pool(pool_asset).unwrap_or_default();
		let held = pool.deposits;
		ensure!(held != 0 && debt <= held, Error::<T>::NoDeposit);
		if collateral != 0 {
			if !pool.gain_assets.contains(&asset) {
				pool.gain_assets.try_push(asset).map_err(|_| Error::<T>::TooManyGainAssets)?;
			}
			PoolGains::<T>::try_mutate(pool_asset, asset, |gains| {
				// S += (G · P + carry) / Q, the remainder carried to the next gain.
				let numerator = U256::from(collateral)
					.checked_mul(U256::from(pool.product))
					.and_then(|product| product.checked_add(U256::from(gains.carry)))
					.ok_or(ArithmeticError::Overflow)?;
				let (per_unit, carry) = numerator.div_mod(U256::from(held));
				GainSums::<T>::try_mutate((pool_asset, asset, pool.epoch, pool.scale), |sum| {
					*sum = sum.checked_add(per_unit).ok_or(ArithmeticError::Overflow)?;
					Ok::<_, DispatchError>(())
				})?;
				gains.carry = carry.low_u128();
				gains.held = gains.held.checked_add(collateral).ok_or(ArithmeticError::Overflow)?;
				let unowned = mul_div(collateral, pool.rounding, held, Rounding::Up)?;
				gains.unclaimable = gains.unclaimable.saturating_add(unowned);
				Ok::<_, DispatchError>(())
			})?;
		}
		pool.take_loss(debt)?;
		BackstopPools::<T>::insert(pool_asset, pool);
		Self::deposit_event(Event::BackstopAbsorbed { pool: pool_asset, debt, asset, collateral });
		Ok(())
	}

	/// What the pool of `pool_asset` holds in deposits that share in liquidations now (zero
	/// without a pool).
	pub(crate) fn pool_deposits(pool_asset: AssetId) -> Balance {
		BackstopPools::<T>::get(pool_asset)
			.map_or(0, |pool| pool.deposits.saturating_add(pool.joined_by(Self::block())))
	}

	/// `who`'s deposit in each pool, with its pending gains (for the runtime API): tokens in
	/// their smallest unit, supply in shares.
	pub fn deposit_infos(who: &T::AccountId) -> alloc::vec::Vec<DepositInfo> {
		BackstopPools::<T>::iter()
			.filter_map(|(pool_asset, pool)| {
				let deposit = Deposits::<T>::get(pool_asset, who)?;
				Some(DepositInfo {
					pool: pool_asset,
					deposit: Self::compounded(pool_asset, &deposit, &pool),
					waiting: Self::still_waiting(&deposit)
						.map(|(made, amount)| (made.saturating_add(JOIN_DELAY), amount)),
					gains: pool
						.gain_assets
						.iter()
						.map(|asset| (*asset, Self::gain(pool_asset, &deposit, &pool, *asset)))
						.collect(),
				})
			})
			.collect()
	}

	/// Every backstop pool (for the runtime API).
	pub fn backstop_pool_infos() -> alloc::vec::Vec<BackstopPoolInfo> {
		let now = Self::block();
		BackstopPools::<T>::iter()
			.map(|(asset, pool)| {
				let joined = pool.joined_by(now);
				BackstopPoolInfo {
					asset,
					deposits: pool.deposits.saturating_add(joined),
					waiting: pool.all_waiting().saturating_sub(joined),
					gains: pool
						.gain_assets
						.iter()
						.map(|gain_asset| {
							(*gain_asset, PoolGains::<T>::get(asset, gain_asset).held)
						})
						.collect(),
				}
			})
			.collect()
	}
}
