//! What the calls do, the books, the runtime API's readers and the invariants.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{metadata::Inspect as InspectMetadata, Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use lever_primitives::{
	amount_for_usd, mul_div, usd_value, OnVaultChanged, PriceProvider, RunningAuctions,
};
use sp_runtime::{
	traits::{CheckedDiv, Saturating, Zero},
	ArithmeticError, DispatchError, FixedPointNumber, FixedU128, Rounding, TokenError,
};

impl<T: Config> Pallet<T> {
	/// The collateral type of `asset`, or `UnknownCollateralType`.
	pub(crate) fn collateral_type(asset: AssetId) -> Result<CollateralType, Error<T>> {
		CollateralTypes::<T>::get(asset).ok_or(Error::<T>::UnknownCollateralType)
	}

	/// lvUSD in circulation.
	pub(crate) fn issuance() -> Balance {
		T::Assets::total_issuance(T::StableAsset::get())
	}

	/// Books a change of the debt of one type and of lvUSD issuance so that
	/// `issuance + Surplus = Σ debt + Deficit` keeps holding: whatever the change added to debt
	/// beyond what it issued (fees, rounding up) is the system's surplus.
	pub(crate) fn book(
		debt_before: Balance,
		debt_after: Balance,
		issuance_before: Balance,
		issuance_after: Balance,
	) -> DispatchResult {
		let credits = Surplus::<T>::get()
			.checked_add(debt_after)
			.and_then(|sum| sum.checked_add(issuance_before))
			.ok_or(ArithmeticError::Overflow)?;
		let debits = debt_before.checked_add(issuance_after).ok_or(ArithmeticError::Overflow)?;
		Surplus::<T>::put(credits.checked_sub(debits).ok_or(ArithmeticError::Underflow)?);
		Ok(())
	}

	/// The collateral type of `asset` with fees accrued to now and written back; the fees go
	/// to the surplus.
	pub(crate) fn accrue_type(asset: AssetId) -> Result<CollateralType, DispatchError> {
		let mut collateral_type = Self::collateral_type(asset)?;
		if ShutdownAt::<T>::exists() {
			return Ok(collateral_type);
		}
		let debt_before = collateral_type.total_debt()?;
		collateral_type.accrue(Self::now())?;
		let issuance = Self::issuance();
		Self::book(debt_before, collateral_type.total_debt()?, issuance, issuance)?;
		CollateralTypes::<T>::insert(asset, collateral_type);
		Ok(collateral_type)
	}

	/// Pays `amount` of `asset` out of the pallet's account and returns what pallet-assets swept
	/// along with it (a remainder below the minimum balance). Vaults hold zero or at least the
	/// minimum balance each, so such a remainder can only be redemption-pool dust.
	pub(crate) fn pay_out(
		asset: AssetId,
		to: &T::AccountId,
		amount: Balance,
	) -> Result<Balance, DispatchError> {
		let pallet = Self::account_id();
		let before = T::Assets::balance(asset, &pallet);
		T::Assets::transfer(asset, &pallet, to, amount, Preservation::Expendable)?;
		let paid = before.saturating_sub(T::Assets::balance(asset, &pallet));
		Ok(paid.saturating_sub(amount))
	}

	/// Opens `owner`'s vault of `asset` with `collateral`.
	pub(crate) fn do_open(
		owner: &T::AccountId,
		asset: AssetId,
		collateral: Balance,
	) -> DispatchResult {
		ensure!(!collateral.is_zero(), Error::<T>::ZeroAmount);
		Self::collateral_type(asset)?;
		ensure!(!Vaults::<T>::contains_key(asset, owner), Error::<T>::VaultExists);
		Vaults::<T>::insert(asset, owner, Vault::default());
		Self::deposit_event(Event::VaultOpened { owner: owner.clone(), asset });
		Self::do_adjust(owner, asset, VaultChange { deposit: collateral, ..Default::default() })
	}

	/// Repays all of the vault's debt and takes out all its collateral, which removes it.
	pub(crate) fn do_close(owner: &T::AccountId, asset: AssetId) -> DispatchResult {
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		let change = VaultChange {
			repay: (!vault.normalized_debt.is_zero()).then_some(AmountOrAll::All),
			withdraw: (!vault.collateral.is_zero()).then_some(AmountOrAll::All),
			..Default::default()
		};
		Self::do_adjust(owner, asset, change)
	}

	/// Applies `change` to `owner`'s vault of `asset`: deposit, repay, mint, withdraw, in that
	/// order, then checks the minimum debt, the ceilings and (when it mints or withdraws with
	/// debt) the liquidation ratio at a fresh price. A vault left empty is removed.
	pub(crate) fn do_adjust(
		owner: &T::AccountId,
		asset: AssetId,
		change: VaultChange,
	) -> DispatchResult {
		Self::apply_change(owner, asset, change, RatioCheck::Required)
	}

	/// [`Self::do_adjust`], with the liquidation-ratio check skipped for `RatioCheck::Skip`
	/// (only the genesis build, which has no price, skips it).
	pub(crate) fn apply_change(
		owner: &T::AccountId,
		asset: AssetId,
		change: VaultChange,
		ratio_check: RatioCheck,
	) -> DispatchResult {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let mut collateral_type = Self::accrue_type(asset)?;
		let mut vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		let debt_before = collateral_type.total_debt()?;
		let issuance_before = Self::issuance();
		let stable = T::StableAsset::get();
		let pallet = Self::account_id();
		let dust = T::Assets::minimum_balance(asset);

		let mut deposited = 0;
		if !change.deposit.is_zero() {
			ensure!(vault.collateral.saturating_add(change.deposit) >= dust, Error::<T>::Dust);
			ensure!(
				change.deposit
					<= T::Assets::reducible_balance(
						asset,
						owner,
						Preservation::Expendable,
						Fortitude::Polite
					),
				TokenError::FundsUnavailable
			);
			let before = T::Assets::balance(asset, &pallet);
			T::Assets::transfer(asset, owner, &pallet, change.deposit, Preservation::Expendable)?;
			deposited = T::Assets::balance(asset, &pallet).saturating_sub(before);
			vault.collateral =
				vault.collateral.checked_add(deposited).ok_or(ArithmeticError::Overflow)?;
			collateral_type.collateral = collateral_type
				.collateral
				.checked_add(deposited)
				.ok_or(ArithmeticError::Overflow)?;
		}

		let mut repaid = 0;
		if let Some(repay) = change.repay {
			ensure!(!vault.normalized_debt.is_zero(), Error::<T>::NoDebt);
			let debt = collateral_type.debt_of(vault.normalized_debt)?;
			repaid = match repay {
				AmountOrAll::All => debt,
				AmountOrAll::Amount(amount) => {
					ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
					amount.min(debt)
				},
			};
			let removed = if repaid >= debt {
				vault.normalized_debt
			} else {
				collateral_type.normalized_for_repay(repaid)?
			};
			ensure!(!removed.is_zero(), Error::<T>::ZeroAmount);
			T::Assets::burn_from(
				stable,
				owner,
				repaid,
				Preservation::Expendable,
				Precision::Exact,
				Fortitude::Polite,
			)?;
			vault.normalized_debt = vault.normalized_debt.saturating_sub(removed);
			collateral_type.normalized_debt =
				collateral_type.normalized_debt.saturating_sub(removed);
		}

		if !change.mint.is_zero() {
			ensure!(
				collateral_type.status == CollateralStatus::Active,
				Error::<T>::CollateralTypeNotActive
			);
			let added = collateral_type.normalized_for_mint(change.mint)?;
			vault.normalized_debt =
				vault.normalized_debt.checked_add(added).ok_or(ArithmeticError::Overflow)?;
			collateral_type.normalized_debt = collateral_type
				.normalized_debt
				.checked_add(added)
				.ok_or(ArithmeticError::Overflow)?;
			ensure!(
				collateral_type.total_debt()? <= collateral_type.params.debt_ceiling,
				Error::<T>::DebtCeilingExceeded
			);
			ensure!(
				Self::total_debt_with(asset, &collateral_type)? <= GlobalDebtCeiling::<T>::get(),
				Error::<T>::GlobalDebtCeilingExceeded
			);
			T::Assets::mint_into(stable, owner, change.mint)?;
		}

		let mut withdrawn = 0;
		if let Some(withdraw) = change.withdraw {
			withdrawn = match withdraw {
				AmountOrAll::All => vault.collateral,
				AmountOrAll::Amount(amount) => {
					ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
					amount
				},
			};
			ensure!(withdrawn <= vault.collateral, Error::<T>::InsufficientCollateral);
			vault.collateral = vault.collateral.saturating_sub(withdrawn);
			collateral_type.collateral = collateral_type.collateral.saturating_sub(withdrawn);
			if !withdrawn.is_zero() {
				let swept = Self::pay_out(asset, owner, withdrawn)?;
				collateral_type.redemption_pool =
					collateral_type.redemption_pool.saturating_sub(swept);
			}
		}

		ensure!(vault.collateral.is_zero() || vault.collateral >= dust, Error::<T>::Dust);
		let debt = collateral_type.debt_of(vault.normalized_debt)?;
		if change.repay.is_some() || !change.mint.is_zero() {
			ensure!(
				debt.is_zero() || debt >= collateral_type.params.min_debt,
				Error::<T>::BelowMinimumDebt
			);
		}
		if change.adds_risk() && !debt.is_zero() && ratio_check == RatioCheck::Required {
			ensure!(
				Self::is_safe_at(
					&collateral_type,
					&vault,
					Self::risk_price(asset)?,
					T::Assets::decimals(stable),
					collateral_type.params.liquidation_ratio
				)?,
				Error::<T>::BelowLiquidationRatio
			);
		}

		Self::book(debt_before, collateral_type.total_debt()?, issuance_before, Self::issuance())?;
		CollateralTypes::<T>::insert(asset, collateral_type);
		let closed = vault == Vault::default();
		if closed {
			Vaults::<T>::remove(asset, owner);
		} else {
			Vaults::<T>::insert(asset, owner, vault);
		}
		T::OnVaultChanged::on_vault_changed(asset, owner, vault.collateral, vault.normalized_debt);
		Self::deposit_event(Event::VaultAdjusted {
			owner: owner.clone(),
			asset,
			deposited,
			withdrawn,
			minted: change.mint,
			repaid,
			collateral: vault.collateral,
			debt,
		});
		if closed {
			Self::deposit_event(Event::VaultClosed { owner: owner.clone(), asset });
		}
		Ok(())
	}

	/// All types' debt, with `changed` standing for the type of `asset` and the others accrued to
	/// now in memory.
	fn total_debt_with(asset: AssetId, changed: &CollateralType) -> Result<Balance, DispatchError> {
		let now = Self::now();
		CollateralTypes::<T>::iter().try_fold(0u128, |total, (other, collateral_type)| {
			let debt = if other == asset {
				changed.total_debt()?
			} else {
				collateral_type.accrued(now)?.total_debt()?
			};
			total.checked_add(debt).ok_or_else(|| ArithmeticError::Overflow.into())
		})
	}

	/// The fresh price of `asset` in USD per whole token.
	pub(crate) fn fresh_price(asset: AssetId) -> Result<FixedU128, DispatchError> {
		T::Prices::fresh_value(asset, Error::<T>::PriceUnknown, Error::<T>::PriceStale)
	}

	/// The price of `asset` as collateral for a change that adds risk (a mint or a withdrawal),
	/// in USD per whole token: the lower of its confirmed price and a jump the oracle holds
	/// (`PriceProvider::risk_prices`).
	pub(crate) fn risk_price(asset: AssetId) -> Result<FixedU128, DispatchError> {
		T::Prices::fresh_risk_prices(asset, Error::<T>::PriceUnknown, Error::<T>::PriceStale)
			.map(|prices| prices.collateral)
	}

	/// The USD value of `debt` lvUSD (lvUSD counts at one dollar).
	fn debt_value(debt: Balance) -> Result<FixedU128, ArithmeticError> {
		usd_value(debt, T::Assets::decimals(T::StableAsset::get()), FixedU128::from_u32(1))
			.ok_or(ArithmeticError::Overflow)
	}

	/// Whether the vault's collateral at its fresh confirmed price covers its debt × `ratio` (the
	/// ratio in force): what liquidation decides on, so a held jump neither causes nor prevents
	/// a liquidation until it is confirmed.
	pub(crate) fn is_safe(
		asset: AssetId,
		collateral_type: &CollateralType,
		vault: &Vault,
		ratio: FixedU128,
	) -> Result<bool, DispatchError> {
		let debt_decimals = T::Assets::decimals(T::StableAsset::get());
		Self::is_safe_at(collateral_type, vault, Self::fresh_price(asset)?, debt_decimals, ratio)
	}

	/// Whether the vault's collateral at `price` (USD per whole token) covers its debt (lvUSD
	/// of `debt_decimals` decimals, at one dollar) × `ratio`.
	pub(crate) fn is_safe_at(
		collateral_type: &CollateralType,
		vault: &Vault,
		price: FixedU128,
		debt_decimals: u8,
		ratio: FixedU128,
	) -> Result<bool, DispatchError> {
		let collateral_value = usd_value(vault.collateral, collateral_type.decimals, price)
			.ok_or(ArithmeticError::Overflow)?;
		let debt = collateral_type.debt_of(vault.normalized_debt)?;
		let required = usd_value(debt, debt_decimals, FixedU128::from_u32(1))
			.ok_or(ArithmeticError::Overflow)?
			.saturating_mul(ratio);
		Ok(collateral_value >= required)
	}

	/// Opens or changes the collateral type of `asset` at `now`.
	pub(crate) fn do_set_collateral_type(
		asset: AssetId,
		params: CollateralParams,
		now: Moment,
	) -> DispatchResult {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		ensure!(asset != T::StableAsset::get(), Error::<T>::StableAssetAsCollateral);
		ensure!(T::Assets::asset_exists(asset), Error::<T>::UnknownAsset);
		ensure!(params.is_valid(), Error::<T>::InvalidParams);
		let (collateral_type, ramp_until) = match CollateralTypes::<T>::get(asset) {
			Some(_) => {
				let mut collateral_type = Self::accrue_type(asset)?;
				let ramp_until = collateral_type.set_params(params, now, T::RatioRampPeriod::get());
				(collateral_type, ramp_until)
			},
			None => {
				ensure!(
					CollateralTypes::<T>::count() < T::MaxCollateralTypes::get(),
					Error::<T>::TooManyCollateralTypes
				);
				(CollateralType::new(params, T::Assets::decimals(asset), now), None)
			},
		};
		let pallet = Self::account_id();
		if !frame_system::Pallet::<T>::account_exists(&pallet) {
			frame_system::Pallet::<T>::inc_providers(&pallet);
		}
		CollateralTypes::<T>::insert(asset, collateral_type);
		Self::deposit_event(Event::CollateralTypeSet { asset, params, ramp_until });
		Ok(())
	}

	/// Activates or pauses the collateral type of `asset`.
	pub(crate) fn do_set_collateral_status(
		asset: AssetId,
		status: CollateralStatus,
	) -> DispatchResult {
		let mut collateral_type = Self::accrue_type(asset)?;
		collateral_type.status = status;
		CollateralTypes::<T>::insert(asset, collateral_type);
		Self::deposit_event(Event::CollateralStatusSet { asset, status });
		Ok(())
	}

	/// Sets the global debt ceiling (fees included); below the debt already there it only
	/// stops new minting.
	pub(crate) fn do_set_global_debt_ceiling(ceiling: Balance) -> DispatchResult {
		GlobalDebtCeiling::<T>::put(ceiling);
		Self::deposit_event(Event::GlobalDebtCeilingSet { ceiling });
		Ok(())
	}

	/// Shuts the system down: accrues every type, freezes its fresh price, stops new debt and
	/// fees.
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
		ShutdownAt::<T>::put(Self::now());
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
		let debt_before = collateral_type.total_debt()?;
		collateral_type.normalized_debt =
			collateral_type.normalized_debt.saturating_sub(vault.normalized_debt);
		collateral_type.collateral = collateral_type.collateral.saturating_sub(vault.collateral);
		collateral_type.redemption_pool = collateral_type
			.redemption_pool
			.checked_add(taken)
			.ok_or(ArithmeticError::Overflow)?;
		let moved = debt_before.saturating_sub(collateral_type.total_debt()?);
		Deficit::<T>::try_mutate(|deficit| {
			*deficit = deficit.checked_add(moved).ok_or(ArithmeticError::Overflow)?;
			Ok::<_, DispatchError>(())
		})?;
		CollateralTypes::<T>::insert(asset, collateral_type);
		Vaults::<T>::remove(asset, owner);
		if !returned.is_zero() {
			T::Assets::transfer(
				asset,
				&Self::account_id(),
				owner,
				returned,
				Preservation::Expendable,
			)?;
		}
		T::OnVaultChanged::on_vault_changed(asset, owner, 0, 0);
		Self::deposit_event(Event::VaultSettled {
			owner: owner.clone(),
			asset,
			debt,
			taken,
			returned,
		});
		Ok(())
	}

	/// Fixes redemption once no vault and no liquidation auction is left: every lvUSD then in
	/// circulation redeems an equal share of every type's pool.
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
		let issuance = Self::issuance();
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

	/// A vault as the runtime API reports it, with fees accrued to now.
	pub fn vault_info(owner: &T::AccountId, asset: AssetId) -> Option<VaultInfo> {
		let vault = Vaults::<T>::get(asset, owner)?;
		let collateral_type = CollateralTypes::<T>::get(asset)?.accrued(Self::now()).ok()?;
		let debt = collateral_type.debt_of(vault.normalized_debt).ok()?;
		let debt_value = Self::debt_value(debt).ok()?;
		let tokens = FixedU128::checked_from_rational(
			vault.collateral,
			10u128.checked_pow(u32::from(collateral_type.decimals))?,
		)?;
		let collateral_ratio = T::Prices::price(asset).ok().and_then(|price| {
			usd_value(vault.collateral, collateral_type.decimals, price.value)?
				.checked_div(&debt_value)
		});
		let liquidation_price = debt_value
			.saturating_mul(collateral_type.ratio_in_force(Self::now()))
			.checked_div(&tokens)
			.filter(|_| !debt.is_zero());
		Some(VaultInfo {
			asset,
			collateral: vault.collateral,
			debt,
			collateral_ratio,
			liquidation_price,
		})
	}

	/// Every vault of `owner` as the runtime API reports it.
	pub fn vault_infos(owner: &T::AccountId) -> Vec<VaultInfo> {
		CollateralTypes::<T>::iter_keys()
			.filter_map(|asset| Self::vault_info(owner, asset))
			.collect()
	}

	/// Every collateral type as the runtime API reports it, accrued to now.
	pub fn collateral_type_infos() -> Vec<CollateralTypeInfo> {
		let now = Self::now();
		CollateralTypes::<T>::iter()
			.filter_map(|(asset, collateral_type)| {
				let collateral_type = collateral_type.accrued(now).ok()?;
				Some(CollateralTypeInfo {
					asset,
					status: collateral_type.status,
					params: collateral_type.params,
					rate: collateral_type.rate,
					total_debt: collateral_type.total_debt().ok()?,
					total_collateral: collateral_type.collateral,
				})
			})
			.collect()
	}

	/// The lvUSD books, with every type's fees accrued to now (the surplus includes them).
	pub fn system_info() -> SystemInfo {
		let now = Self::now();
		let (stored_debt, total_debt) = CollateralTypes::<T>::iter_values().fold(
			(0u128, 0u128),
			|(stored, accrued), collateral_type| {
				let stored_debt = collateral_type.total_debt().unwrap_or_default();
				let accrued_debt = collateral_type
					.accrued(now)
					.and_then(|accrued| accrued.total_debt())
					.unwrap_or(stored_debt);
				(stored.saturating_add(stored_debt), accrued.saturating_add(accrued_debt))
			},
		);
		SystemInfo {
			issuance: Self::issuance(),
			total_debt,
			surplus: Surplus::<T>::get().saturating_add(total_debt.saturating_sub(stored_debt)),
			deficit: Deficit::<T>::get(),
			global_debt_ceiling: GlobalDebtCeiling::<T>::get(),
		}
	}

	/// The invariants, checked after every test block:
	/// - the books balance exactly: lvUSD issuance + surplus = Σ types' debt + deficit;
	/// - Σ vaults' normalized debt = the type's, and Σ vaults' debt ≤ the type's debt plus one
	///   unit of rounding per vault;
	/// - Σ vaults' collateral = the type's, and the pallet's account holds exactly every type's
	///   collateral plus its redemption pool;
	/// - rate accumulators are at least one (they never decrease);
	/// - a ramping liquidation ratio is between the ratio it started from and the parameter;
	/// - every vault holds something, its collateral is zero or at least the asset's minimum
	///   balance.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::traits::One;
		let pallet = Self::account_id();
		let mut total_debt: Balance = 0;
		let mut total_normalized: Balance = 0;
		for (asset, collateral_type) in CollateralTypes::<T>::iter() {
			let (mut normalized, mut collateral, mut debts, mut vaults) =
				(0u128, 0u128, 0u128, 0u128);
			for (_, vault) in Vaults::<T>::iter_prefix(asset) {
				ensure!(vault != Vault::default(), "an empty vault is stored");
				ensure!(
					vault.collateral.is_zero()
						|| vault.collateral >= T::Assets::minimum_balance(asset),
					"a vault holds dust"
				);
				normalized = normalized.saturating_add(vault.normalized_debt);
				collateral = collateral.saturating_add(vault.collateral);
				debts = debts.saturating_add(collateral_type.debt_of(vault.normalized_debt)?);
				vaults = vaults.saturating_add(1);
			}
			ensure!(normalized == collateral_type.normalized_debt, "Σ normalized debt differs");
			ensure!(collateral == collateral_type.collateral, "Σ collateral differs");
			let debt = collateral_type.total_debt()?;
			ensure!(debts <= debt.saturating_add(vaults), "Σ vault debt exceeds the type's debt");
			ensure!(collateral_type.rate >= FixedU128::one(), "rate below one");
			if let Some(ramp) = collateral_type.ratio_ramp {
				ensure!(
					ramp.from < collateral_type.params.liquidation_ratio && ramp.start <= ramp.end,
					"a ratio ramp that does not raise the ratio"
				);
			}
			ensure!(
				T::Assets::balance(asset, &pallet)
					== collateral_type.collateral.saturating_add(collateral_type.redemption_pool),
				"the pallet's account does not hold exactly the type's collateral and pool"
			);
			total_debt = total_debt.saturating_add(debt);
			total_normalized = total_normalized.saturating_add(collateral_type.normalized_debt);
		}
		ensure!(
			Self::issuance().saturating_add(Surplus::<T>::get())
				== total_debt.saturating_add(Deficit::<T>::get()),
			"the books do not balance: issuance + surplus ≠ debt + deficit"
		);
		Ok(())
	}
}
