//! Backstop pools, with Liquity's product/sum snapshots: a liquidation that takes debt D and gives
//! collateral G to a pool holding Q adds G·P/Q to the collateral's sum S and multiplies the
//! product P by 1 − D/Q. A deposit d made at (P₀, S₀) is then worth d·P/P₀ and has gained
//! d·(S − S₀)/P₀, in O(collateral assets) whatever the number of depositors or liquidations.
//!
//! Rounding (Liquity v2's scheme): P has 36 digits and is rescaled by 10⁹ before it would fall
//! below 10²⁷ ([`Pool::take_loss`]), so it never reaches zero within an epoch and every loss
//! rounds away at most 10⁻²⁷ of the deposits; S is 256 bits wide and carries the remainder of
//! each division into the next ([`Gains::carry`]). Every rounding shrinks claims, so the
//! depositors' claims never exceed what the pool holds; what rounding leaves over is at most one
//! unit per deposit, withdrawal and liquidation. A gain that cannot be paid when its deposit
//! changes stays the depositor's ([`Deposit::unpaid`]).

use super::*;
use frame_support::{
	ensure,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{DepositConsequence, Preservation, Provenance},
	},
	BoundedVec,
};
use lever_primitives::LendingLiquidation;
use sp_core::{U256, U512};
use sp_runtime::{ArithmeticError, DispatchError, DispatchResult};

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

	/// A deposit's value now, after the losses it absorbed (see [`Pool::value_of`]).
	pub fn compounded(
		deposit: &Deposit<T::MaxGainAssets>,
		pool: &Pool<T::MaxGainAssets>,
	) -> Balance {
		pool.value_of(deposit)
	}

	/// A deposit's gain of `asset`: what it earned since its snapshot, across at most
	/// [`SCALE_SPAN`] rescales (`d · Σᵢ (Sᵢ − S₀) / 10⁹ⁱ / P₀`, rounded down once), plus what it
	/// earned before and could not be paid. Tokens in their smallest unit, supply in shares.
	pub fn gain(
		pool_asset: AssetId,
		deposit: &Deposit<T::MaxGainAssets>,
		asset: GainAsset,
	) -> Balance {
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
		let earned = wide_mul_div(wide(deposit.amount), sums, divisor).unwrap_or(0);
		earned.saturating_add(deposit.unpaid(asset))
	}

	/// A new deposit of `amount` with the pool's current snapshots, keeping `unpaid` gains.
	fn snapshot(
		pool_asset: AssetId,
		pool: &Pool<T::MaxGainAssets>,
		amount: Balance,
		unpaid: BoundedVec<(GainAsset, Balance), T::MaxGainAssets>,
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
		pool: &Pool<T::MaxGainAssets>,
	) -> Result<BoundedVec<(GainAsset, Balance), T::MaxGainAssets>, DispatchError> {
		let mut unpaid = alloc::vec::Vec::new();
		for asset in pool.gain_assets.iter().copied() {
			let amount = Self::gain(pool_asset, deposit, asset);
			if amount == 0 {
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
				unpaid.push((asset, amount));
				continue;
			}
			PoolGains::<T>::mutate(pool_asset, asset, |gains| {
				gains.held = gains.held.saturating_sub(amount)
			});
			Self::deposit_event(Event::GainPaid {
				pool: pool_asset,
				who: who.clone(),
				asset,
				amount,
			});
		}
		Ok(BoundedVec::truncate_from(unpaid))
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
		let (current, unpaid) = match Deposits::<T>::get(pool_asset, who) {
			Some(deposit) => (
				Self::compounded(&deposit, &pool),
				Self::pay_gains(pool_asset, who, &deposit, &pool)?,
			),
			None => (0, BoundedVec::new()),
		};
		let added = Self::pull(pool_asset, who, amount)?;
		ensure!(added != 0, Error::<T>::Dust);
		pool.deposits = pool.deposits.checked_add(added).ok_or(ArithmeticError::Overflow)?;
		let total = current.checked_add(added).ok_or(ArithmeticError::Overflow)?;
		Deposits::<T>::insert(pool_asset, who, Self::snapshot(pool_asset, &pool, total, unpaid));
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
		let unpaid = Self::pay_gains(pool_asset, who, &deposit, &pool)?;
		if amount != 0 {
			Self::pay(pool_asset, who, amount)?;
		}
		pool.deposits = pool.deposits.saturating_sub(amount);
		if left == 0 && unpaid.is_empty() {
			Deposits::<T>::remove(pool_asset, who);
		} else {
			Deposits::<T>::insert(pool_asset, who, Self::snapshot(pool_asset, &pool, left, unpaid));
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
				Ok::<_, DispatchError>(())
			})?;
		}
		pool.take_loss(debt)?;
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
					.map(|gain_asset| (*gain_asset, PoolGains::<T>::get(asset, gain_asset).held))
					.collect(),
			})
			.collect()
	}
}
