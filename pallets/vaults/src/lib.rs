//! # Vault pallet (collateralized debt positions)
//!
//! Users lock a collateral asset in a vault and mint lvUSD, a pallet-assets stablecoin, against it.
//! This pallet mints and burns lvUSD for vaults, savings interest and redemption; the only other
//! minter and burner is the peg stability module ([`Config::PegStability`]), against its reserves. Each owner has at most one vault per collateral
//! type (as in Acala): the vault is keyed by (collateral asset, owner), so wallets find it without
//! an index and a user who wants two positions in one asset uses two accounts.
//!
//! How it stays safe and cheap:
//! - A vault stores collateral and normalized debt; its debt is normalized debt × its type's
//!   rate accumulator, which the stability fee grows once per type, compounded every second
//!   (Maker's `rate`). Fees accrue in O(1) per type, never per vault.
//! - Minting and withdrawing must leave the vault at or above its type's liquidation ratio at a
//!   fresh oracle price; depositing and repaying never need a price. Debt is zero or at least
//!   the type's minimum; per-type and global ceilings cap new debt, fees included. A raised
//!   liquidation ratio applies to mints and withdrawals at once and ramps in for liquidation
//!   over [`Config::RatioRampPeriod`], so no vault becomes liquidatable the moment it is raised.
//! - The lvUSD books balance exactly after every call (`do_try_state` checks it):
//!   `lvUSD issuance + Surplus = Σ types' debt + Deficit + reserve-backed lvUSD`. Fees and every rounding unit (always
//!   in the system's favour) go to [`Surplus`]; bad debt goes to [`Deficit`].
//! - Every vault change is reported through [`Config::OnVaultChanged`], so the liquidation engine
//!   can keep its index of vaults; it seizes unsafe vaults through
//!   [`lever_primitives::VaultLiquidation`]: the part that restores the type's target ratio
//!   ([`CollateralType::liquidation_part`]), or the whole vault when it is too thin.
//!
//! ## Terminology
//!
//! - **Vault**: one owner's collateral and debt in one **collateral type** (one asset).
//! - **Normalized debt**: a vault's debt divided by its type's **rate** (the accumulator the
//!   **stability fee** grows); **debt**: normalized debt × rate, fees included, rounded up.
//! - **Liquidation ratio**: the least collateral value per unit of debt a vault must keep;
//!   **target ratio**: what a partial liquidation restores; **whole-liquidation ratio**: below
//!   it a liquidation takes everything; **penalty**: the share of debt added when liquidated.
//! - **Liquidation price**: the collateral price at which a vault reaches the liquidation ratio
//!   in force ([`CollateralType::liquidation_price`]).
//! - **Debt ceiling**: the most debt, fees included, a type (or all types: the global ceiling)
//!   may carry after a mint; **minimum debt**: the least debt a vault may carry.
//! - **Books**: lvUSD issuance + **surplus** (fees) = Σ debt + **deficit** (debt a liquidation
//!   took that its proceeds have not yet covered) + **reserve-backed** lvUSD (what the peg
//!   stability module issued 1:1 against other stablecoins, [`Config::PegStability`]).
//! - **Savings rate**: the yearly rate lvUSD in the **savings pot** earns out of surplus (Maker's
//!   DSR); a saver holds **shares**, each worth the pot's **index** in lvUSD ([`SavingsPot`]).
//! - **Shutdown**: the end of minting; each vault **settles** at the **shutdown price** into the
//!   type's **redemption pool**, from which lvUSD **redeems**.
//! - **Dust**: an amount below the asset's minimum balance in pallet-assets.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod api;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod books;
mod collateral_type;
mod governance;
mod impl_priced_positions;
mod impl_vault_positions;
#[cfg(any(test, feature = "std", feature = "try-runtime"))]
mod invariants;
mod liquidation;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod proptests;
mod savings;
mod shutdown;
#[cfg(test)]
mod tests;
mod vault;
pub mod weights;

pub use api::{CollateralTypeInfo, SavingsInfo, SystemInfo};
pub use collateral_type::*;
pub use lever_primitives::{AmountOrAll, AssetId, Balance, Moment, VaultInfo};
pub use pallet::*;
pub use savings::SavingsPot;
pub use vault::{RatioCheck, Vault, VaultChange};

/// The chain's clock as this pallet reads it: the one rule for what time it is, see
/// [`lever_primitives::Clock`].
pub type Clock<T> = lever_primitives::Clock<T, <T as Config>::Time>;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungibles::{metadata::Inspect as InspectMetadata, Mutate},
			BuildGenesisConfig, UnixTime,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use lever_primitives::{GovernanceTier, OnVaultChanged, PriceProvider};
	use sp_runtime::FixedU128;

	/// The storage layout's version; [`crate::migrations`] holds the migration to each.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The collateral tokens and lvUSD (pallet-assets).
		type Assets: Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ InspectMetadata<Self::AccountId>;

		/// The lvUSD asset, which this pallet and the peg stability module alone mint and burn.
		#[pallet::constant]
		type StableAsset: Get<AssetId>;

		/// Fresh prices, or an error when an asset's price is stale or unknown.
		type Prices: PriceProvider;

		/// The chain's clock (pallet-timestamp).
		type Time: UnixTime;

		/// The pallet's identifier; its account holds every vault's collateral.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Who sets collateral types, their status and the global ceiling (full
		/// governance; `docs/GOVERNANCE.md` says who holds it).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who may, at once, change a collateral type or the global ceiling only to reduce risk
		/// (the risk council): raise a type's liquidation ratio (ramped in as any raise) or
		/// target ratio, lower its debt ceiling or the global one, and pause it. Any other change
		/// from it fails with `RiskIncreasing`.
		type RiskOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who may shut the system down (`docs/GOVERNANCE.md` says who holds it).
		type ShutdownOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most collateral types there can be; bounds the global ceiling check.
		#[pallet::constant]
		type MaxCollateralTypes: Get<u32>;

		/// Milliseconds over which a raised liquidation ratio moves in for liquidation (it
		/// applies to mints and withdrawals at once).
		#[pallet::constant]
		type RatioRampPeriod: Get<Moment>;

		/// Told of every vault change (the liquidation engine's index).
		type OnVaultChanged: OnVaultChanged<Self::AccountId>;

		/// The liquidation engine's auctions: after a shutdown, redemption is fixed only once
		/// none is running (their collateral joins the redemption pools first).
		type Auctions: lever_primitives::RunningAuctions;

		/// The peg stability module beside the vaults: what it issued against reserves counts in
		/// lvUSD's books, and the shutdown stops its issuing.
		type PegStability: lever_primitives::PegStability;

		/// The highest savings rate governance may set (yearly, compounded every second).
		#[pallet::constant]
		type MaxSavingsRate: Get<FixedU128>;

		/// The least lvUSD a saver may keep in the savings pot (at least lvUSD's minimum
		/// balance): bounds how many savers a given sum can spread over.
		#[pallet::constant]
		type MinSavings: Get<Balance>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates assets and prices for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: lever_primitives::BenchmarkHelper;
	}

	/// The collateral types, by collateral asset.
	#[pallet::storage]
	pub type CollateralTypes<T: Config> =
		CountedStorageMap<_, Twox64Concat, AssetId, CollateralType>;

	/// The vaults, by collateral asset and owner.
	#[pallet::storage]
	pub type Vaults<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AssetId, Blake2_128Concat, T::AccountId, Vault>;

	/// The most debt all collateral types together may carry, before accrued fees.
	#[pallet::storage]
	pub type GlobalDebtCeiling<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// lvUSD the system has earned (stability fees and rounding) and not spent.
	#[pallet::storage]
	pub type Surplus<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Debt no vault backs any more (bad debt), not yet covered by surplus.
	#[pallet::storage]
	pub type Deficit<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// When governance shut the system down: no new debt, fees stop, prices frozen.
	#[pallet::storage]
	pub type ShutdownAt<T: Config> = StorageValue<_, Moment, OptionQuery>;

	/// The vault-backed lvUSD in circulation when redemption was fixed (every vault settled):
	/// lvUSD issued against the peg stability module's reserves redeems there instead.
	#[pallet::storage]
	pub type IssuanceAtFix<T: Config> = StorageValue<_, Balance, OptionQuery>;

	/// The savings pot: its rate, index, shares and last accrual ([`SavingsPot`]).
	#[pallet::storage]
	pub type Pot<T: Config> = StorageValue<_, SavingsPot, ValueQuery>;

	/// Each saver's shares of the savings pot.
	#[pallet::storage]
	pub type Savings<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Balance, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Collateral types open from the first block.
		pub collateral_types: Vec<(AssetId, CollateralParams)>,
		/// The global debt ceiling.
		pub global_debt_ceiling: Balance,
		/// Vaults open from the first block, as `(owner, collateral asset, collateral, debt)`:
		/// the owner's collateral is deposited and the debt minted to it in lvUSD. There is no
		/// price at genesis, so the liquidation ratio is the chain spec's author's to respect;
		/// an unsafe vault is liquidated at the first fresh price.
		pub vaults: Vec<(T::AccountId, AssetId, Balance, Balance)>,
		/// The savings rate from the first block (yearly, at most `MaxSavingsRate`).
		pub savings_rate: FixedU128,
		/// Stablecoins the peg stability module swaps 1:1 with lvUSD from the first block, as
		/// `(asset, ceiling of lvUSD issued against it, swap fee each way)`.
		pub peg_reserves: Vec<(AssetId, Balance, sp_runtime::Permill)>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			GlobalDebtCeiling::<T>::put(self.global_debt_ceiling);
			for (asset, params) in &self.collateral_types {
				let created =
					Pallet::<T>::do_set_collateral_type(GovernanceTier::Full, *asset, *params, 0);
				assert!(created.is_ok(), "genesis collateral type {asset} is invalid: {created:?}");
			}
			for (owner, asset, collateral, debt) in &self.vaults {
				let opened = Pallet::<T>::do_open(owner, *asset, *collateral).and_then(|_| {
					let change = VaultChange { mint: *debt, ..Default::default() };
					Pallet::<T>::apply_change(owner, owner, *asset, change, RatioCheck::Skip)
				});
				assert!(opened.is_ok(), "genesis vault of {asset} is invalid: {opened:?}");
			}
			assert!(
				self.savings_rate <= T::MaxSavingsRate::get(),
				"the genesis savings rate is above MaxSavingsRate"
			);
			Pot::<T>::mutate(|pot| pot.rate = self.savings_rate);
			for (reserve, ceiling, fee) in &self.peg_reserves {
				let opened = <T::PegStability as lever_primitives::PegStability>::open_at_genesis(
					*reserve, *ceiling, *fee,
				);
				assert!(opened.is_ok(), "genesis peg reserve {reserve} is invalid: {opened:?}");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance opened or changed a collateral type; `ramp_until` is when a raised
		/// liquidation ratio is fully in force for liquidation.
		CollateralTypeSet { asset: AssetId, params: CollateralParams, ramp_until: Option<Moment> },
		/// Governance changed what a collateral type allows.
		CollateralStatusSet { asset: AssetId, status: CollateralStatus },
		/// Governance changed the global debt ceiling.
		GlobalDebtCeilingSet { ceiling: Balance },
		/// A vault was opened.
		VaultOpened { owner: T::AccountId, asset: AssetId },
		/// A vault changed: what went in and out, and what it holds and owes now.
		VaultAdjusted {
			owner: T::AccountId,
			asset: AssetId,
			deposited: Balance,
			withdrawn: Balance,
			minted: Balance,
			repaid: Balance,
			collateral: Balance,
			debt: Balance,
		},
		/// A vault was closed: its debt repaid and its collateral returned.
		VaultClosed { owner: T::AccountId, asset: AssetId },
		/// Governance shut the system down at these frozen prices (asset, USD per token).
		Shutdown { prices: Vec<(AssetId, FixedU128)> },
		/// After the shutdown a vault's debt was settled against its collateral at the frozen
		/// price: `taken` went to the redemption pool, `returned` to the owner.
		VaultSettled {
			owner: T::AccountId,
			asset: AssetId,
			debt: Balance,
			taken: Balance,
			returned: Balance,
		},
		/// Every vault is settled: each lvUSD of `issuance` now redeems its share of every pool.
		RedemptionFixed { issuance: Balance },
		/// After the shutdown, `amount` of `asset` from `from` (an auction the shutdown
		/// cancelled) joined the type's redemption pool.
		AddedToRedemption { asset: AssetId, from: T::AccountId, amount: Balance },
		/// An lvUSD holder burned `amount` for its share of the collateral pools.
		Redeemed { who: T::AccountId, amount: Balance },
		/// The liquidation engine seized `debt` of an unsafe vault (all of it, or the part a
		/// partial liquidation takes) with `collateral`; the debt is now deficit.
		VaultSeized { owner: T::AccountId, asset: AssetId, collateral: Balance, debt: Balance },
		/// Liquidation proceeds burned: `covered` of `amount` covered deficit, the rest is surplus.
		DeficitCovered { from: T::AccountId, amount: Balance, covered: Balance },
		/// Surplus netted against deficit.
		Healed { amount: Balance },
		/// A saver put `amount` lvUSD in the savings pot for `shares`.
		Saved { who: T::AccountId, amount: Balance, shares: Balance },
		/// A saver took `amount` lvUSD out of the savings pot, giving up `shares`.
		SavingsWithdrawn { who: T::AccountId, amount: Balance, shares: Balance },
		/// The savings pot accrued: `paid` lvUSD of interest came out of surplus, and one share
		/// is now worth `index` lvUSD.
		SavingsAccrued { paid: Balance, index: FixedU128 },
		/// Governance set the savings rate (yearly, compounded every second).
		SavingsRateSet { rate: FixedU128 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The collateral left would be below the asset's minimum balance: withdraw all.
		Dust,
		/// There is no collateral type for this asset.
		UnknownCollateralType,
		/// pallet-assets has no such asset.
		UnknownAsset,
		/// There are `MaxCollateralTypes` collateral types already.
		TooManyCollateralTypes,
		/// lvUSD cannot be its own collateral.
		StableAssetAsCollateral,
		/// The parameters are inconsistent: they need a liquidation ratio above 100% and at
		/// least 1 + the penalty, a fee of at most 100% a year, a non-zero ceiling and a minimum
		/// debt not above it.
		InvalidParams,
		/// The account has a vault of this type already.
		VaultExists,
		/// The account has no vault of this type.
		NoVault,
		/// The collateral type is paused: no new debt.
		CollateralTypeNotActive,
		/// The vault would be below its type's liquidation ratio.
		BelowLiquidationRatio,
		/// The type's debt would exceed its ceiling.
		DebtCeilingExceeded,
		/// All types' debt would exceed the global ceiling.
		GlobalDebtCeilingExceeded,
		/// The vault's debt would be above zero but below the type's minimum: repay all.
		BelowMinimumDebt,
		/// The vault holds less collateral than this.
		InsufficientCollateral,
		/// The vault owes nothing.
		NoDebt,
		/// The collateral has never been priced.
		PriceUnknown,
		/// The collateral's price is stale: minting and withdrawing wait for a fresh one
		/// (deposit and repay work).
		PriceStale,
		/// The system is shut down: vaults are settled and lvUSD redeemed instead.
		ShutDown,
		/// The system is not shut down.
		NotShutDown,
		/// Redemption is fixed already.
		RedemptionAlreadyFixed,
		/// Some vaults are not settled yet: settle them first (anyone may).
		VaultsUnsettled,
		/// Redemption is not fixed yet: every vault must be settled first.
		RedemptionNotFixed,
		/// The vault is at or above its liquidation ratio, or owes nothing: it is not unsafe.
		NotUnsafe,
		/// The liquidation may take no part of the vault: any part within what was asked would
		/// leave less than the minimum debt.
		NothingToSeize,
		/// Liquidation auctions are still running: they settle into the redemption pools first.
		AuctionsRunning,
		/// The risk council may only make changes that reduce risk; this one needs full
		/// governance (`GovernanceOrigin`).
		RiskIncreasing,
		/// Only a vault's owner may mint against it or take collateral out.
		OnlyOwnerAddsRisk,
		/// The saver would hold less than `MinSavings` in the pot, or the deposit buys no
		/// share: save more, or withdraw all.
		SavingsDust,
		/// The account has no savings.
		NoSavings,
		/// The account's savings are less than this.
		InsufficientSavings,
		/// The savings rate is above `MaxSavingsRate`.
		InvalidSavingsRate,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Opens the caller's vault of collateral `asset` with a first deposit.
		#[pallet::call_index(0)]
		pub fn open(origin: OriginFor<T>, asset: AssetId, collateral: Balance) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_open(&owner, asset, collateral)
		}

		/// Adds collateral to the caller's vault; needs no price.
		#[pallet::call_index(1)]
		pub fn deposit(origin: OriginFor<T>, asset: AssetId, amount: Balance) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_adjust(&owner, asset, VaultChange { deposit: amount, ..Default::default() })
		}

		/// Takes collateral out of the caller's vault; with debt, the vault must stay at or
		/// above the liquidation ratio at a fresh price.
		#[pallet::call_index(2)]
		pub fn withdraw(
			origin: OriginFor<T>,
			asset: AssetId,
			amount: AmountOrAll,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_adjust(
				&owner,
				asset,
				VaultChange { withdraw: Some(amount), ..Default::default() },
			)
		}

		/// Mints lvUSD against the caller's vault, within the ceilings and the liquidation ratio
		/// at a fresh price.
		#[pallet::call_index(3)]
		pub fn mint(origin: OriginFor<T>, asset: AssetId, amount: Balance) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Self::do_adjust(&owner, asset, VaultChange { mint: amount, ..Default::default() })
		}

		/// Burns the caller's lvUSD to repay the vault's debt (at most the debt), or all of it;
		/// needs no price.
		#[pallet::call_index(4)]
		pub fn repay(origin: OriginFor<T>, asset: AssetId, amount: AmountOrAll) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_adjust(
				&owner,
				asset,
				VaultChange { repay: Some(amount), ..Default::default() },
			)
		}

		/// Repays all the vault's debt, returns all its collateral and removes it.
		#[pallet::call_index(5)]
		pub fn close(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_close(&owner, asset)
		}

		/// Changes the vault in one step, atomically: `deposit` collateral and `mint` lvUSD, or
		/// `repay` lvUSD and `withdraw` collateral (any combination; zero or `None` for none).
		#[pallet::call_index(6)]
		pub fn adjust(
			origin: OriginFor<T>,
			asset: AssetId,
			deposit: Balance,
			mint: Balance,
			repay: Option<AmountOrAll>,
			withdraw: Option<AmountOrAll>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_adjust(&owner, asset, VaultChange { deposit, repay, mint, withdraw })
		}

		/// Opens or changes a collateral type (governance; the risk council may only change an
		/// existing type to reduce risk). A raised liquidation ratio applies to mints and
		/// withdrawals at once and ramps in for liquidation over `RatioRampPeriod`; a lowered one
		/// applies at once. A ceiling below the debt already there stops new debt.
		#[pallet::call_index(7)]
		pub fn set_collateral_type(
			origin: OriginFor<T>,
			asset: AssetId,
			params: CollateralParams,
		) -> DispatchResult {
			let tier = GovernanceTier::of::<_, T::GovernanceOrigin, T::RiskOrigin>(origin)?;
			Self::do_set_collateral_type(tier, asset, params, Clock::<T>::now_ms())
		}

		/// Activates or pauses a collateral type (governance; the risk council may only pause).
		#[pallet::call_index(8)]
		pub fn set_collateral_status(
			origin: OriginFor<T>,
			asset: AssetId,
			status: CollateralStatus,
		) -> DispatchResult {
			let tier = GovernanceTier::of::<_, T::GovernanceOrigin, T::RiskOrigin>(origin)?;
			Self::do_set_collateral_status(tier, asset, status)
		}

		/// Sets the global debt ceiling (governance; the risk council may only lower it), fees
		/// included; below the debt already there it stops new debt.
		#[pallet::call_index(9)]
		pub fn set_global_debt_ceiling(origin: OriginFor<T>, ceiling: Balance) -> DispatchResult {
			let tier = GovernanceTier::of::<_, T::GovernanceOrigin, T::RiskOrigin>(origin)?;
			Self::do_set_global_debt_ceiling(tier, ceiling)
		}

		/// Shuts the system down (`ShutdownOrigin`): freezes every collateral type's price (each must
		/// be fresh), stops new debt and fees. Then anyone settles vaults, fixes redemption once
		/// all are settled, and lvUSD holders redeem.
		#[pallet::call_index(10)]
		pub fn shutdown(origin: OriginFor<T>) -> DispatchResult {
			T::ShutdownOrigin::ensure_origin(origin)?;
			Self::do_shutdown()
		}

		/// After a shutdown, settles `owner`'s vault of `asset` (anyone may call): its debt is
		/// covered from its collateral at the frozen price and the rest goes back to the owner.
		#[pallet::call_index(11)]
		pub fn settle_vault(
			origin: OriginFor<T>,
			asset: AssetId,
			owner: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_vault(asset, &owner)
		}

		/// Fixes redemption once every vault is settled (anyone may call).
		#[pallet::call_index(12)]
		pub fn fix_redemption(origin: OriginFor<T>) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_fix_redemption()
		}

		/// Burns `amount` of the caller's lvUSD for its pro-rata share of every collateral pool.
		#[pallet::call_index(13)]
		pub fn redeem(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_redeem(&who, amount)
		}

		/// Adds the caller's collateral to `owner`'s vault of `asset`: e.g. to rescue it from
		/// liquidation. Needs no price; only the owner may take it out.
		#[pallet::call_index(14)]
		pub fn deposit_for(
			origin: OriginFor<T>,
			owner: T::AccountId,
			asset: AssetId,
			amount: Balance,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let change = VaultChange { deposit: amount, ..Default::default() };
			Self::do_adjust_for(&payer, &owner, asset, change)
		}

		/// Burns the caller's lvUSD to repay `owner`'s vault debt of `asset` (at most the debt),
		/// or all of it; a partial repayment must leave at least the minimum debt. Needs no price.
		#[pallet::call_index(15)]
		pub fn repay_for(
			origin: OriginFor<T>,
			owner: T::AccountId,
			asset: AssetId,
			amount: AmountOrAll,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			let change = VaultChange { repay: Some(amount), ..Default::default() };
			Self::do_adjust_for(&payer, &owner, asset, change)
		}

		/// Puts `amount` of the caller's lvUSD in the savings pot, where it earns the savings
		/// rate out of the system's surplus; the caller must keep at least `MinSavings` there.
		#[pallet::call_index(16)]
		pub fn save(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
			let saver = ensure_signed(origin)?;
			Self::do_save(&saver, amount)
		}

		/// Takes `amount` lvUSD (or all, interest included) of the caller's savings out of the
		/// pot; what stays must be at least `MinSavings`. Works at any time, shutdown included.
		#[pallet::call_index(17)]
		pub fn withdraw_savings(origin: OriginFor<T>, amount: AmountOrAll) -> DispatchResult {
			let saver = ensure_signed(origin)?;
			Self::do_withdraw_savings(&saver, amount)
		}

		/// Sets the savings rate, yearly and compounded every second, at most `MaxSavingsRate`
		/// (governance; the risk council may only lower it). Interest up to now is paid at the
		/// old rate first.
		#[pallet::call_index(18)]
		pub fn set_savings_rate(origin: OriginFor<T>, rate: FixedU128) -> DispatchResult {
			let tier = GovernanceTier::of::<_, T::GovernanceOrigin, T::RiskOrigin>(origin)?;
			Self::do_set_savings_rate(tier, rate)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The account holding every vault's collateral.
		pub fn account_id() -> T::AccountId {
			sp_runtime::traits::AccountIdConversion::into_account_truncating(&T::PalletId::get())
		}
	}
}
