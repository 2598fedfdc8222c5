//! A vault and its changes: deposit, repay, mint and withdraw in one checked step, the
//! liquidation ratio at the prices for actions that add risk, and the one place a vault is
//! stored or retired.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungibles::{metadata::Inspect as InspectMetadata, Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use lever_primitives::{custody, stable_value, usd_value, OnVaultChanged, PriceProvider};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Saturating, Zero},
	ArithmeticError, DispatchError, FixedU128, TokenError,
};

/// A vault: one per owner and collateral type.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Vault {
	/// Collateral held for the vault, in the asset's smallest unit.
	pub collateral: Balance,
	/// The vault's debt divided by its type's rate.
	pub normalized_debt: Balance,
}

/// What one call does to a vault, applied in this order: deposit, repay, mint, withdraw.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct VaultChange {
	/// Collateral added, in the asset's smallest unit; zero for none.
	pub deposit: Balance,
	/// lvUSD debt repaid: `Some(Amount(a))` repays a (at most the debt), `Some(All)` all of it
	/// with fees, `None` nothing.
	pub repay: Option<AmountOrAll>,
	/// lvUSD minted, in its smallest unit; zero for none.
	pub mint: Balance,
	/// Collateral taken out: `Some(Amount(a))` a, `Some(All)` all of it, `None` nothing.
	pub withdraw: Option<AmountOrAll>,
}

/// Whether a vault change must leave the vault at or above its liquidation ratio.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RatioCheck {
	/// Checked at a fresh price: every call.
	Required,
	/// Not checked: the genesis build only, which has no price.
	Skip,
}

impl VaultChange {
	/// Whether the change adds risk (mint or withdraw), which needs a fresh price.
	pub fn adds_risk(&self) -> bool {
		!self.mint.is_zero() || self.withdraw.is_some()
	}
}

impl<T: Config> Pallet<T> {
	/// Writes `vault` back, or removes it once it holds nothing, and tells the liquidation
	/// engine's index; returns whether it was removed. The one place a vault is stored or
	/// retired.
	pub(crate) fn put_vault(asset: AssetId, owner: &T::AccountId, vault: Vault) -> bool {
		let closed = vault == Vault::default();
		if closed {
			Vaults::<T>::remove(asset, owner);
		} else {
			Vaults::<T>::insert(asset, owner, vault);
		}
		T::OnVaultChanged::on_vault_changed(asset, owner, vault.collateral, vault.normalized_debt);
		closed
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
		custody::pay_out::<_, T::Assets>(asset, &pallet, to, amount, Preservation::Expendable)
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
		Self::apply_change(owner, owner, asset, change, RatioCheck::Required)
	}

	/// Applies `change` to `owner`'s vault of `asset` with `payer`'s collateral and lvUSD (see
	/// [`Pallet::deposit_for`] and [`Pallet::repay_for`]): only a deposit or a repayment, which
	/// never add risk; minting and withdrawing stay the owner's (`OnlyOwnerAddsRisk`).
	pub(crate) fn do_adjust_for(
		payer: &T::AccountId,
		owner: &T::AccountId,
		asset: AssetId,
		change: VaultChange,
	) -> DispatchResult {
		ensure!(!change.adds_risk(), Error::<T>::OnlyOwnerAddsRisk);
		Self::apply_change(payer, owner, asset, change, RatioCheck::Required)
	}

	/// [`Self::do_adjust`] paid by `payer` (who provides deposits and repayments; the owner
	/// receives mints and withdrawals), with the liquidation-ratio check skipped for
	/// `RatioCheck::Skip` (only the genesis build, which has no price, skips it). Each step is a
	/// method of [`ChangingVault`], which keeps the vault and its type in memory and writes
	/// them once.
	pub(crate) fn apply_change(
		payer: &T::AccountId,
		owner: &T::AccountId,
		asset: AssetId,
		change: VaultChange,
		ratio_check: RatioCheck,
	) -> DispatchResult {
		let mut vault = ChangingVault::<T>::load(payer, owner, asset)?;
		if !change.deposit.is_zero() {
			vault.deposit(change.deposit)?;
		}
		if let Some(repay) = change.repay {
			vault.repay(repay)?;
		}
		if !change.mint.is_zero() {
			vault.mint(change.mint)?;
		}
		if let Some(withdraw) = change.withdraw {
			vault.withdraw(withdraw)?;
		}
		let debt = vault.check(&change, ratio_check)?;
		vault.commit(debt)
	}

	/// All types' debt, with `changed` standing for the type of `asset` and the others accrued to
	/// now in memory.
	fn total_debt_with(asset: AssetId, changed: &CollateralType) -> Result<Balance, DispatchError> {
		let now = Clock::<T>::now_ms();
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

	/// The USD value of `debt` lvUSD, at [`STABLE_PRICE`].
	pub(crate) fn debt_value(debt: Balance) -> Result<FixedU128, ArithmeticError> {
		stable_value(debt, T::Assets::decimals(T::StableAsset::get()))
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
	/// of `debt_decimals` decimals, at [`STABLE_PRICE`]) × `ratio`.
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
		let required = stable_value(debt, debt_decimals)
			.ok_or(ArithmeticError::Overflow)?
			.saturating_mul(ratio);
		Ok(collateral_value >= required)
	}
}

/// A vault while one change applies to it: the vault and its collateral type accrued to now, in
/// memory, with the books as they were before, so every step reads them once and
/// [`ChangingVault::commit`] writes them once.
pub(crate) struct ChangingVault<T: Config> {
	payer: T::AccountId,
	owner: T::AccountId,
	asset: AssetId,
	collateral_type: CollateralType,
	vault: Vault,
	debt_before: Balance,
	issuance_before: Balance,
	deposited: Balance,
	repaid: Balance,
	minted: Balance,
	withdrawn: Balance,
}

impl<T: Config> ChangingVault<T> {
	/// `owner`'s vault of `asset` with its type accrued to now, changed at `payer`'s cost. Fails
	/// after the shutdown, for an unknown type or vault.
	fn load(
		payer: &T::AccountId,
		owner: &T::AccountId,
		asset: AssetId,
	) -> Result<Self, DispatchError> {
		ensure!(!ShutdownAt::<T>::exists(), Error::<T>::ShutDown);
		let collateral_type = Pallet::<T>::accrue_type(asset)?;
		let vault = Vaults::<T>::get(asset, owner).ok_or(Error::<T>::NoVault)?;
		Ok(Self {
			payer: payer.clone(),
			owner: owner.clone(),
			asset,
			debt_before: collateral_type.total_debt()?,
			issuance_before: Pallet::<T>::issuance(),
			collateral_type,
			vault,
			deposited: 0,
			repaid: 0,
			minted: 0,
			withdrawn: 0,
		})
	}

	/// Moves `amount` of collateral from the payer into the vault (what arrives, measured).
	/// Fails if the vault would hold less than the asset's minimum balance or the payer cannot
	/// pay.
	fn deposit(&mut self, amount: Balance) -> DispatchResult {
		let (asset, payer) = (self.asset, &self.payer);
		let dust = T::Assets::minimum_balance(asset);
		ensure!(self.vault.collateral.saturating_add(amount) >= dust, Error::<T>::Dust);
		let reducible =
			T::Assets::reducible_balance(asset, payer, Preservation::Expendable, Fortitude::Polite);
		ensure!(amount <= reducible, TokenError::FundsUnavailable);
		let pallet = Pallet::<T>::account_id();
		let deposited = custody::take_in::<_, T::Assets>(asset, payer, &pallet, amount)?;
		self.vault.collateral =
			self.vault.collateral.checked_add(deposited).ok_or(ArithmeticError::Overflow)?;
		self.collateral_type.collateral = self
			.collateral_type
			.collateral
			.checked_add(deposited)
			.ok_or(ArithmeticError::Overflow)?;
		self.deposited = deposited;
		Ok(())
	}

	/// Burns lvUSD from the payer against the vault's debt: an amount (at most the debt) or all
	/// of it with fees. Fails without debt, for a zero amount or one that removes no
	/// normalized debt, or if the payer cannot pay.
	fn repay(&mut self, repay: AmountOrAll) -> DispatchResult {
		ensure!(!self.vault.normalized_debt.is_zero(), Error::<T>::NoDebt);
		let debt = self.collateral_type.debt_of(self.vault.normalized_debt)?;
		let repaid = match repay {
			AmountOrAll::All => debt,
			AmountOrAll::Amount(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
				amount.min(debt)
			},
		};
		let removed = if repaid >= debt {
			self.vault.normalized_debt
		} else {
			self.collateral_type.normalized_for_repay(repaid)?
		};
		ensure!(!removed.is_zero(), Error::<T>::ZeroAmount);
		T::Assets::burn_from(
			T::StableAsset::get(),
			&self.payer,
			repaid,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		self.vault.normalized_debt = self.vault.normalized_debt.saturating_sub(removed);
		self.collateral_type.normalized_debt =
			self.collateral_type.normalized_debt.saturating_sub(removed);
		self.repaid = repaid;
		Ok(())
	}

	/// Mints `amount` lvUSD to the owner as new debt. Fails unless the type is active, or past
	/// the type's or the global debt ceiling (each counting debt with fees).
	fn mint(&mut self, amount: Balance) -> DispatchResult {
		let collateral_type = &mut self.collateral_type;
		ensure!(
			collateral_type.status == CollateralStatus::Active,
			Error::<T>::CollateralTypeNotActive
		);
		let added = collateral_type.normalized_for_mint(amount)?;
		self.vault.normalized_debt =
			self.vault.normalized_debt.checked_add(added).ok_or(ArithmeticError::Overflow)?;
		collateral_type.normalized_debt = collateral_type
			.normalized_debt
			.checked_add(added)
			.ok_or(ArithmeticError::Overflow)?;
		ensure!(
			collateral_type.total_debt()? <= collateral_type.params.debt_ceiling,
			Error::<T>::DebtCeilingExceeded
		);
		ensure!(
			Pallet::<T>::total_debt_with(self.asset, collateral_type)?
				<= GlobalDebtCeiling::<T>::get(),
			Error::<T>::GlobalDebtCeilingExceeded
		);
		T::Assets::mint_into(T::StableAsset::get(), &self.owner, amount)?;
		self.minted = amount;
		Ok(())
	}

	/// Pays collateral out of the vault to the owner: an amount or all of it. Fails for a zero
	/// amount or more than the vault holds.
	fn withdraw(&mut self, withdraw: AmountOrAll) -> DispatchResult {
		let withdrawn = match withdraw {
			AmountOrAll::All => self.vault.collateral,
			AmountOrAll::Amount(amount) => {
				ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
				amount
			},
		};
		ensure!(withdrawn <= self.vault.collateral, Error::<T>::InsufficientCollateral);
		self.vault.collateral = self.vault.collateral.saturating_sub(withdrawn);
		self.collateral_type.collateral = self.collateral_type.collateral.saturating_sub(withdrawn);
		if !withdrawn.is_zero() {
			let swept = Pallet::<T>::pay_out(self.asset, &self.owner, withdrawn)?;
			self.collateral_type.redemption_pool =
				self.collateral_type.redemption_pool.saturating_sub(swept);
		}
		self.withdrawn = withdrawn;
		Ok(())
	}

	/// Checks the vault after `change` and returns its debt with fees: collateral zero or at
	/// least the minimum balance, debt zero or at least the minimum debt (after a repayment or a
	/// mint), and, for a change that adds risk to a vault with debt, the liquidation ratio at the
	/// collateral's price for actions that add risk (unless `ratio_check` skips it).
	fn check(
		&self,
		change: &VaultChange,
		ratio_check: RatioCheck,
	) -> Result<Balance, DispatchError> {
		let (collateral_type, vault) = (&self.collateral_type, &self.vault);
		let dust = T::Assets::minimum_balance(self.asset);
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
				Pallet::<T>::is_safe_at(
					collateral_type,
					vault,
					Pallet::<T>::risk_price(self.asset)?,
					T::Assets::decimals(T::StableAsset::get()),
					collateral_type.params.liquidation_ratio
				)?,
				Error::<T>::BelowLiquidationRatio
			);
		}
		Ok(debt)
	}

	/// Books the change (fees and debt against issuance), writes the type and the vault once
	/// (removing an empty vault) and says what happened.
	fn commit(self, debt: Balance) -> DispatchResult {
		let (owner, asset) = (self.owner, self.asset);
		Pallet::<T>::book(
			self.debt_before,
			self.collateral_type.total_debt()?,
			self.issuance_before,
			Pallet::<T>::issuance(),
		)?;
		CollateralTypes::<T>::insert(asset, self.collateral_type);
		let closed = Pallet::<T>::put_vault(asset, &owner, self.vault);
		Pallet::<T>::deposit_event(Event::VaultAdjusted {
			owner: owner.clone(),
			asset,
			deposited: self.deposited,
			withdrawn: self.withdrawn,
			minted: self.minted,
			repaid: self.repaid,
			collateral: self.vault.collateral,
			debt,
		});
		if closed {
			Pallet::<T>::deposit_event(Event::VaultClosed { owner, asset });
		}
		Ok(())
	}
}
