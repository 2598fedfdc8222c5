//! Emergency shutdown: every vault settles at the shutdown price, then every vault-backed lvUSD
//! redeems an equal share of the collateral left. The peg stability module stops issuing at the
//! shutdown, and what it issued against its reserves redeems there, so no lvUSD is claimed twice.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use lever_primitives::{amount_for_usd, mul_div, PegStability, RunningAuctions};
use sp_runtime::{traits::Zero, ArithmeticError, DispatchError, Rounding};

impl<T: Config> Pallet<T> {
	/// Shuts the system down: accrues every type, freezes its fresh price, stops new debt and
	/// fees, and stops the peg stability module's issuing. The savings pot pays no interest from
	/// then on.
	pub(crate) fn do_shutdown() -> DispatchResult {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let assets: Vec<AssetId> = CollateralTypes::<T>::iter_keys().collect();
		let mut prices = Vec::with_capacity(assets.len());
		for asset in assets {
			let mut collateral_type = Self::accrue_type(asset)?;
			let price = Self::fresh_price(asset)?;
			collateral_type.shutdown_price = Some(price);
			CollateralTypes::<T>::insert(asset, collateral_type);
			prices.push((asset, price));
		}
		Pot::<T>::put(Self::accrue_savings());
		T::PegStability::stop_issuing()?;
		ShutdownAt::<T>::put(Clock::<T>::now_ms());
		Self::deposit_event(Event::Shutdown { prices });
		Ok(())
	}

	/// Settles a vault after the shutdown: the collateral worth its debt at the frozen price
	/// (rounded up, at most all of it) goes to the type's redemption pool, the rest back to the
	/// owner (a remainder below the minimum balance stays in the pool), and the debt moves to
	/// the deficit that redemptions burn down.
	pub(crate) fn do_settle_vault(asset: AssetId, owner: &T::AccountId) -> DispatchResult {
		ensure!(ShutdownAt::<T>::exists(), Error::<T>::NotShutDown);
		let mut collateral_type = Self::collateral_type(asset)?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		let price = collateral_type.shutdown_price.ok_or(Error::<T>::NotShutDown)?;
		let debt = collateral_type.debt_of(vault.normalized_debt)?;
		let covering = if debt.is_zero() {
			0
		} else {
			amount_for_usd(Self::debt_value(debt)?, collateral_type.decimals, price)
				.ok_or(ArithmeticError::Overflow)?
				.saturating_add(1)
		};
		let mut taken = covering.min(vault.collateral);
		let mut returned = vault.collateral.saturating_sub(taken);
		if returned < T::Assets::minimum_balance(asset) {
			taken = vault.collateral;
			returned = 0;
		}
		Self::move_to_deficit(&mut collateral_type, vault.normalized_debt, vault.collateral)?;
		collateral_type.redemption_pool = collateral_type
			.redemption_pool
			.checked_add(taken)
			.ok_or(ArithmeticError::Overflow)?;
		if !returned.is_zero() {
			// Paid as every payout is: what pallet-assets sweeps along leaves the pool.
			let swept = Self::pay_out(asset, owner, returned)?;
			collateral_type.redemption_pool = collateral_type.redemption_pool.saturating_sub(swept);
		}
		CollateralTypes::<T>::insert(asset, collateral_type);
		Self::put_vault(asset, owner, Vault::default());
		Self::deposit_event(Event::VaultSettled {
			owner: owner.clone(),
			asset,
			debt,
			taken,
			returned,
		});
		Ok(())
	}

	/// Fixes redemption once no vault and no liquidation auction is left: every vault-backed
	/// lvUSD then in circulation (all but what the peg stability module issued against its
	/// reserves) redeems an equal share of every type's pool.
	pub(crate) fn do_fix_redemption() -> DispatchResult {
		ensure!(ShutdownAt::<T>::exists(), Error::<T>::NotShutDown);
		ensure!(!IssuanceAtFix::<T>::exists(), Error::<T>::RedemptionAlreadyFixed);
		ensure!(
			CollateralTypes::<T>::iter_values()
				.all(|collateral_type| collateral_type.normalized_debt.is_zero()),
			Error::<T>::VaultsUnsettled
		);
		ensure!(T::Auctions::running_auctions() == 0, Error::<T>::AuctionsRunning);
		let assets: Vec<AssetId> = CollateralTypes::<T>::iter_keys().collect();
		for asset in assets {
			CollateralTypes::<T>::mutate(asset, |maybe_type| {
				if let Some(collateral_type) = maybe_type {
					collateral_type.redeemable_at_fix = collateral_type.redemption_pool;
				}
			});
		}
		let issuance = Self::issuance().saturating_sub(T::PegStability::reserve_backed());
		IssuanceAtFix::<T>::put(issuance);
		Self::deposit_event(Event::RedemptionFixed { issuance });
		Ok(())
	}

	/// Moves `amount` of `asset` from `from` into the type's redemption pool, after the shutdown
	/// and before redemption is fixed.
	pub(crate) fn do_add_to_redemption(
		from: &T::AccountId,
		asset: AssetId,
		amount: Balance,
	) -> DispatchResult {
		ensure!(ShutdownAt::<T>::exists(), Error::<T>::NotShutDown);
		ensure!(!IssuanceAtFix::<T>::exists(), Error::<T>::RedemptionAlreadyFixed);
		let mut collateral_type = Self::collateral_type(asset)?;
		T::Assets::transfer(asset, from, &Self::account_id(), amount, Preservation::Preserve)?;
		collateral_type.redemption_pool = collateral_type
			.redemption_pool
			.checked_add(amount)
			.ok_or(ArithmeticError::Overflow)?;
		CollateralTypes::<T>::insert(asset, collateral_type);
		Self::deposit_event(Event::AddedToRedemption { asset, from: from.clone(), amount });
		Ok(())
	}

	/// Burns `amount` lvUSD from `who` for `amount / issuance at the fix` of every pool, rounded
	/// down; the burned lvUSD settles as much deficit.
	pub(crate) fn do_redeem(who: &T::AccountId, amount: Balance) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let issuance = IssuanceAtFix::<T>::get().ok_or(Error::<T>::RedemptionNotFixed)?;
		T::Assets::burn_from(
			T::StableAsset::get(),
			who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		Deficit::<T>::try_mutate(|deficit| {
			*deficit = deficit.checked_sub(amount).ok_or(ArithmeticError::Underflow)?;
			Ok::<_, DispatchError>(())
		})?;
		let assets: Vec<AssetId> = CollateralTypes::<T>::iter_keys().collect();
		for asset in assets {
			let mut collateral_type = Self::collateral_type(asset)?;
			let share =
				mul_div(amount, collateral_type.redeemable_at_fix, issuance, Rounding::Down)?
					.min(collateral_type.redemption_pool);
			if share.is_zero() {
				continue;
			}
			let swept = Self::pay_out(asset, who, share)?;
			collateral_type.redemption_pool =
				collateral_type.redemption_pool.saturating_sub(share.saturating_add(swept));
			CollateralTypes::<T>::insert(asset, collateral_type);
		}
		Self::deposit_event(Event::Redeemed { who: who.clone(), amount });
		Ok(())
	}
}
