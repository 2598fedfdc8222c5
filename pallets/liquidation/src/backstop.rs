//! Backstop pools, with Liquity's product/sum snapshots: a liquidation that takes debt D and gives
//! collateral G to a pool holding Q adds G·P/Q to the collateral's sum S and multiplies the
//! product P by 1 − D/Q. A deposit d made at (P₀, S₀) is then worth d·P/P₀ and has gained
//! d·(S − S₀)/P₀, in O(collateral assets) whatever the number of depositors or liquidations.
//! Every rounding shrinks claims, so the depositors' claims never exceed what the pool holds.

use super::*;
use frame_support::{
	ensure,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{DepositConsequence, Preservation, Provenance},
	},
	BoundedVec,
};
use lever_primitives::{mul_div, LendingLiquidation};
use sp_runtime::{ArithmeticError, DispatchError, DispatchResult, Rounding};

impl<T: Config> Pallet<T> {
	/// Moves `amount` of `asset` from `from` into the engine and returns what is usable: the first
	/// tokens of an asset the engine has never held stay as its permanent seed (the asset's minimum
	/// balance), so later payouts never reap the engine's account or sweep dust with them.
	pub(crate) fn pull(
		asset: AssetId,
		from: &T::AccountId,
		amount: Balance,
	) -> Result<Balance, DispatchError> {
		let engine = Self::account_id();
		let before = T::Assets::balance(asset, &engine);
		T::Assets::transfer(asset, from, &engine, amount, Preservation::Expendable)?;
		let received = T::Assets::balance(asset, &engine).saturating_sub(before);
		Ok(Self::after_seed(asset, received))
	}

	/// What of `received` tokens of `asset`, just arrived in the engine, is usable once the seed
	/// is set aside.
	pub(crate) fn after_seed(asset: AssetId, received: Balance) -> Balance {
		if Seeds::<T>::contains_key(asset) {
			return received;
		}
		let seed = received.min(T::Assets::minimum_balance(asset));
		Seeds::<T>::insert(asset, seed);
		received.saturating_sub(seed)
	}

	/// Pays `amount` of `asset` out of the engine; its seed keeps its account alive.
	pub(crate) fn pay(asset: AssetId, to: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Assets::transfer(asset, &Self::account_id(), to, amount, Preservation::Preserve)?;
		Ok(())
	}

	/// Whether `to` can receive `amount` of `asset` (it may be below the minimum balance).
	pub(crate) fn can_receive(asset: AssetId, to: &T::AccountId, amount: Balance) -> bool {
		T::Assets::can_deposit(asset, to, amount, Provenance::Extant) == DepositConsequence::Success
	}

	/// A deposit's value now, after the losses it absorbed.
	pub fn compounded(
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &Pool<T::MaxGainAssets>,
	) -> Balance {
		if deposit.epoch != pool.epoch {
			return 0;
		}
		let value = match pool.scale.saturating_sub(deposit.scale) {
			0 => mul_div(deposit.amount, pool.product, deposit.product, Rounding::Down),
			1 => mul_div(
				deposit.amount,
				pool.product,
				deposit.product.saturating_mul(SCALE_FACTOR),
				Rounding::Down,
			),
			_ => Ok(0),
		}
		.unwrap_or_default();
		// Below a billionth of the deposit the product's precision is gone: count it as nothing.
		if value < deposit.amount / SCALE_FACTOR {
			0
		} else {
			value
		}
	}

	/// A deposit's gain of `asset` since its snapshot: tokens in their smallest unit, supply in
	/// shares; rounded down.
	pub fn gain(
		pool_asset: AssetId,
		deposit: &Deposit<T::MaxGainAssets>,
		asset: GainAsset,
	) -> Balance {
		let snapshot = deposit
			.sums
			.iter()
			.find(|(gain_asset, _)| *gain_asset == asset)
			.map_or(0, |(_, sum)| *sum);
		let at_scale = GainSums::<T>::get((pool_asset, asset, deposit.epoch, deposit.scale))
			.saturating_sub(snapshot);
		let next_scale =
			GainSums::<T>::get((pool_asset, asset, deposit.epoch, deposit.scale.saturating_add(1)))
				/ SCALE_FACTOR;
		mul_div(
			deposit.amount,
			at_scale.saturating_add(next_scale),
			deposit.product,
			Rounding::Down,
		)
		.unwrap_or_default()
	}

	/// A new deposit of `amount` with the pool's current snapshots.
	fn snapshot(
		pool_asset: AssetId,
		pool: &Pool<T::MaxGainAssets>,
		amount: Balance,
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
		}
	}

	/// Pays `who` every collateral gain of `deposit`: tokens from the engine's account, supply
	/// shares from the engine's supply (as tokens when the market has the cash). A gain that
	/// cannot be paid now (tokens below the asset's minimum balance, shares of a frozen market)
	/// stays in the pool.
	fn pay_gains(
		pool_asset: AssetId,
		who: &T::AccountId,
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &Pool<T::MaxGainAssets>,
	) -> DispatchResult {
		for asset in pool.gain_assets.iter().copied() {
			let amount = Self::gain(pool_asset, deposit, asset);
			if amount == 0 {
				continue;
			}
			match asset {
				GainAsset::Tokens(tokens) => {
					if !Self::can_receive(tokens, who, amount) {
						continue;
					}
					Self::pay(tokens, who, amount)?;
				},
				GainAsset::Supply(market) => {
					let paid =
						T::Lending::pay_supply_shares(&Self::account_id(), who, market, amount);
					if paid.is_err() {
						continue;
					}
				},
			}
			PoolGains::<T>::mutate(pool_asset, asset, |held| *held = held.saturating_sub(amount));
			Self::deposit_event(Event::GainPaid {
				pool: pool_asset,
				who: who.clone(),
				asset,
				amount,
			});
		}
		Ok(())
	}

	/// Adds `amount` to `who`'s deposit in the backstop pool of `pool_asset`, paying its gains.
	pub(crate) fn do_deposit(
		who: &T::AccountId,
		pool_asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(amount != 0, Error::<T>::ZeroAmount);
		ensure!(T::Assets::asset_exists(pool_asset), Error::<T>::UnknownAsset);
		ensure!(amount >= T::Assets::minimum_balance(pool_asset), Error::<T>::Dust);
		let mut pool = Pools::<T>::get(pool_asset).unwrap_or_default();
		let current = match Deposits::<T>::get(pool_asset, who) {
			Some(deposit) => {
				Self::pay_gains(pool_asset, who, &deposit, &pool)?;
				Self::compounded(&deposit, &pool)
			},
			None => 0,
		};
		let added = Self::pull(pool_asset, who, amount)?;
		ensure!(added != 0, Error::<T>::Dust);
		pool.deposits = pool.deposits.checked_add(added).ok_or(ArithmeticError::Overflow)?;
		let total = current.checked_add(added).ok_or(ArithmeticError::Overflow)?;
		Deposits::<T>::insert(pool_asset, who, Self::snapshot(pool_asset, &pool, total));
		Pools::<T>::insert(pool_asset, pool);
		Self::deposit_event(Event::Deposited { pool: pool_asset, who: who.clone(), amount: added });
		Ok(())
	}

	/// Takes `amount` (or all) of `who`'s deposit out of the pool of `pool_asset`, with its gains.
	pub(crate) fn do_withdraw(
		who: &T::AccountId,
		pool_asset: AssetId,
		amount: AmountOrAll,
	) -> DispatchResult {
		let deposit = Deposits::<T>::get(pool_asset, who).ok_or(Error::<T>::NoDeposit)?;
		let mut pool = Pools::<T>::get(pool_asset).ok_or(Error::<T>::NoDeposit)?;
		let current = Self::compounded(&deposit, &pool);
		let amount = match amount {
			AmountOrAll::All => current,
			AmountOrAll::Amount(amount) => {
				ensure!(amount != 0, Error::<T>::ZeroAmount);
				ensure!(amount <= current, Error::<T>::ExceedsDeposit);
				amount
			},
		};
		let left = current.saturating_sub(amount);
		ensure!(left == 0 || left >= T::Assets::minimum_balance(pool_asset), Error::<T>::Dust);
		Self::pay_gains(pool_asset, who, &deposit, &pool)?;
		if amount != 0 {
			Self::pay(pool_asset, who, amount)?;
		}
		pool.deposits = pool.deposits.saturating_sub(amount);
		if left == 0 {
			Deposits::<T>::remove(pool_asset, who);
		} else {
			Deposits::<T>::insert(pool_asset, who, Self::snapshot(pool_asset, &pool, left));
		}
		Pools::<T>::insert(pool_asset, pool);
		Self::deposit_event(Event::Withdrawn { pool: pool_asset, who: who.clone(), amount });
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
		let mut pool = Pools::<T>::get(pool_asset).unwrap_or_default();
		let held = pool.deposits;
		ensure!(held != 0 && debt <= held, Error::<T>::NoDeposit);
		if collateral != 0 {
			if !pool.gain_assets.contains(&asset) {
				pool.gain_assets.try_push(asset).map_err(|_| Error::<T>::TooManyGainAssets)?;
			}
			let per_unit = mul_div(collateral, pool.product, held, Rounding::Down)?;
			GainSums::<T>::try_mutate((pool_asset, asset, pool.epoch, pool.scale), |sum| {
				*sum = sum.checked_add(per_unit).ok_or(ArithmeticError::Overflow)?;
				Ok::<_, DispatchError>(())
			})?;
			PoolGains::<T>::try_mutate(pool_asset, asset, |gains| {
				*gains = gains.checked_add(collateral).ok_or(ArithmeticError::Overflow)?;
				Ok::<_, DispatchError>(())
			})?;
		}
		if debt != 0 {
			let loss = mul_div(debt, PRECISION, held, Rounding::Up)?;
			let factor = PRECISION.saturating_sub(loss);
			if factor == 0 {
				pool.epoch = pool.epoch.checked_add(1).ok_or(ArithmeticError::Overflow)?;
				pool.scale = 0;
				pool.product = PRECISION;
			} else {
				let product = mul_div(pool.product, factor, PRECISION, Rounding::Down)?;
				if product < SCALE_FACTOR {
					pool.product = mul_div(pool.product, factor, SCALE_FACTOR, Rounding::Down)?;
					pool.scale = pool.scale.checked_add(1).ok_or(ArithmeticError::Overflow)?;
				} else {
					pool.product = product;
				}
			}
			pool.deposits = held.saturating_sub(debt);
		}
		Pools::<T>::insert(pool_asset, pool);
		Self::deposit_event(Event::BackstopAbsorbed { pool: pool_asset, debt, asset, collateral });
		Ok(())
	}

	/// What the pool of `pool_asset` holds in deposits (zero without a pool).
	pub(crate) fn pool_deposits(pool_asset: AssetId) -> Balance {
		Pools::<T>::get(pool_asset).map_or(0, |pool| pool.deposits)
	}

	/// `who`'s deposit in each pool, with its pending gains (for the runtime API): tokens in
	/// their smallest unit, supply in shares.
	pub fn deposit_infos(who: &T::AccountId) -> alloc::vec::Vec<DepositInfo> {
		Pools::<T>::iter()
			.filter_map(|(pool_asset, pool)| {
				let deposit = Deposits::<T>::get(pool_asset, who)?;
				Some(DepositInfo {
					pool: pool_asset,
					deposit: Self::compounded(&deposit, &pool),
					gains: pool
						.gain_assets
						.iter()
						.map(|asset| (*asset, Self::gain(pool_asset, &deposit, *asset)))
						.collect(),
				})
			})
			.collect()
	}

	/// Every backstop pool (for the runtime API).
	pub fn pool_infos() -> alloc::vec::Vec<PoolInfo> {
		Pools::<T>::iter()
			.map(|(asset, pool)| PoolInfo {
				asset,
				deposits: pool.deposits,
				gains: pool
					.gain_assets
					.iter()
					.map(|gain_asset| (*gain_asset, PoolGains::<T>::get(asset, gain_asset)))
					.collect(),
			})
			.collect()
	}
}
