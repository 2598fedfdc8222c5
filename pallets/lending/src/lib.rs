//! # Lending pallet
//!
//! Multi-asset lending pools. Each pallet-assets asset can have one market, created by
//! governance with a kinked utilization rate model and risk parameters. Users supply an asset for
//! interest-bearing shares, enable supplies as collateral and borrow against them.
//!
//! How it stays safe and cheap:
//! - Interest accrues lazily per market in O(1) ([`Market::accrue`]) before every action and is
//!   computed to the moment for every health check; no account is ever iterated.
//! - Supply is shares × exchange rate, debt is scaled debt × borrow index; every rounding favours
//!   the protocol (shares down on supply and up on withdrawal, debt up, repaid debt down).
//! - An account is in at most [`Config::MaxMarketsPerAccount`] markets, so a health check is
//!   bounded. A borrow or a collateral withdrawal must leave the debt within the borrow limit
//!   (collateral factor); the account is liquidatable once its debt exceeds the liquidation limit
//!   (liquidation threshold). Both need fresh prices; repay and supply never do.
//! - Cash is tracked in storage, so tokens sent to the pallet's account never move the exchange
//!   rate. The first supply of a market leaves the asset's minimum balance in the account for
//!   good (the market's seed), so paying out cash never reaps the account.
//! - No parameter change makes a healthy account liquidatable at once: raising a liquidation
//!   threshold is immediate, lowering one ramps linearly over [`Config::ThresholdRampPeriod`], and
//!   nothing else governance sets enters the health factor.
//!
//! Flash loans lend a market's cash for the length of one extrinsic: the borrower's inner calls
//! run, then the amount and a fee (to reserves) must come back, or the whole extrinsic is undone.
//! Inner calls pass [`Config::FlashLoanCalls`], which keeps the pools' own calls out, and a flash
//! loan cannot start while another is open.
//!
//! An unhealthy account can be liquidated by anyone through [`Pallet::liquidate`] (close factor,
//! bonus, tokens or supply shares), and by the liquidation engine through
//! [`lever_primitives::LendingLiquidation`], by the same rule; collateral too small to liquidate
//! counts as nothing, and the debt it cannot cover is written off. One-click leverage reaches the
//! pools through [`lever_primitives::LendingPositions`].
//!
//! ## Terminology
//!
//! - **Market**: one asset's pool: its **cash** (tokens in the pallet's account), **reserves**
//!   (the protocol's share of interest) and the **seed** (the asset's minimum balance, kept for
//!   good by the first supply).
//! - **Supply shares**: what a supplier holds; worth shares × **exchange rate**, which grows with
//!   interest. **Suppliers' assets** (the supply cap's quantity): cash + borrows − reserves.
//! - **Scaled debt**: a borrower's debt divided by the market's **borrow index**, which grows
//!   with interest; debt = scaled debt × index, rounded up.
//! - **Utilization**: borrows over cash + borrows; it sets the borrow rate on the kinked
//!   **interest rate model**.
//! - **Collateral factor**: the share of collateral value that may be borrowed against (the
//!   **borrow limit**); **liquidation threshold**: the share above which debt makes the account
//!   liquidatable (the **liquidation limit**); **health factor**: liquidation limit over debt.
//! - **Close factor**: the most of one debt a liquidation may repay; **liquidation bonus**: the
//!   extra collateral a liquidator receives; **book**: the liquidation engine's account that
//!   takes a position over when no one can repay; **bad debt**: what a **write-off** leaves the
//!   suppliers once reserves are spent.
//! - **Minimum debt**: the least debt an account may keep in a market; **dust**: an amount below
//!   the asset's minimum balance in pallet-assets.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod account;
mod api;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod credit;
mod exposure;
mod flash;
mod governance;
mod health;
mod impl_lending_positions;
mod impl_priced_positions;
mod interest;
#[cfg(any(test, feature = "std", feature = "try-runtime"))]
mod invariants;
mod liquidation;
mod market;
pub mod migrations;
#[cfg(test)]
mod mock;
mod pools;
mod positions;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
pub mod weights;

pub use account::{Position, PositionsOf};
pub use api::{AccountPosition, CreditInfo, MarketInfo, MarketPosition};
pub use credit::{
	CreditPolicy, CreditPolicyOf, CreditRecord, CreditTerms, CreditTier, Spell,
	DEFAULT_MIN_LOAN_AGE, MAX_SCORE,
};
pub use health::{Valuation, ValuationError};
pub use interest::*;
pub use lever_primitives::{
	compounded_yearly, AccountLiquidity, AmountOrAll, AssetId, Balance, Moment, SeizedAs,
	SECONDS_PER_YEAR,
};
pub use market::*;
pub use pallet::*;
pub use pools::{Pool, PoolId};

/// A permissioned pool in the genesis config: its issuer, the accounts holding its credential
/// and the assets whose markets are in it.
pub type GenesisPool<AccountId> = (AccountId, alloc::vec::Vec<AccountId>, alloc::vec::Vec<AssetId>);
pub use positions::SupplyPosition;
pub use weights::WeightInfo;

/// The chain's clock as this pallet reads it: the one rule for what time it is, see
/// [`lever_primitives::Clock`].
pub type Clock<T> = lever_primitives::Clock<T, <T as Config>::Time>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::GetDispatchInfo,
		pallet_prelude::*,
		traits::{
			fungibles::{metadata::Inspect as InspectMetadata, Inspect, Mutate},
			BuildGenesisConfig, Contains, UnixTime,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use lever_primitives::{GovernanceTier, PriceProvider};
	use sp_runtime::{FixedU128, Permill};

	/// The storage layout's version; see `migrations.rs` for each step.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>, RuntimeCall: GetDispatchInfo>
	{
		/// The tokens lent and borrowed (pallet-assets).
		type Assets: Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ InspectMetadata<Self::AccountId>;

		/// Fresh prices, or an error when an asset's price is stale or unknown.
		type Prices: PriceProvider;

		/// How many times its last price a collateral whose price is stale counts for when
		/// deciding whether an account is liquidatable (its debt in a stale asset counts as
		/// zero): at least one, and high enough that no real move since the price went stale
		/// could exceed it.
		#[pallet::constant]
		type StaleCollateralMarkup: Get<sp_runtime::FixedU128>;

		/// The chain's clock (pallet-timestamp).
		type Time: UnixTime;

		/// The pallet's identifier; its account holds every market's cash.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Who creates markets, sets their parameters and status, and moves reserves (full
		/// governance; `docs/GOVERNANCE.md` says who holds it).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who may, at once, change a market only to reduce risk (the risk council): lower its
		/// collateral factor, liquidation threshold (ramped in as any lowering) or caps, and pause
		/// or freeze it. Any other change from it fails with `RiskIncreasing`.
		type RiskOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Where governance sends reserves.
		type Treasury: Get<Self::AccountId>;

		/// The most markets there can be.
		#[pallet::constant]
		type MaxMarkets: Get<u32>;

		/// The most markets one account may supply to or borrow from; bounds every health check.
		#[pallet::constant]
		type MaxMarketsPerAccount: Get<u32>;

		/// Milliseconds over which a lowered liquidation threshold moves to its new value.
		#[pallet::constant]
		type ThresholdRampPeriod: Get<Moment>;

		/// The calls a flash loan may run. Never this pallet's own: they would reach the pools'
		/// accounting while a loan is out.
		type FlashLoanCalls: Contains<<Self as frame_system::Config>::RuntimeCall>;

		/// The most inner calls one flash loan may run.
		#[pallet::constant]
		type MaxFlashLoanCalls: Get<u32>;

		/// The fee on a flash loan, a share of the amount (rounded up), paid to the market's
		/// reserves.
		#[pallet::constant]
		type FlashLoanFee: Get<Permill>;

		/// The most a credit tier may add to a collateral factor (see `credit.rs`).
		#[pallet::constant]
		type MaxCreditBonus: Get<Permill>;

		/// How far below the liquidation threshold a collateral factor raised by credit stays
		/// at least: the margin no score removes.
		#[pallet::constant]
		type CreditFloor: Get<Permill>;

		/// The most tiers a credit policy may have.
		#[pallet::constant]
		type MaxCreditTiers: Get<u32>;

		/// Benchmarked weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates assets and prices for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: lever_primitives::BenchmarkHelper;
	}

	/// The markets, by asset.
	#[pallet::storage]
	pub type Markets<T: Config> = CountedStorageMap<_, Twox64Concat, AssetId, Market>;

	/// Each account's position in every market it is in: its supply and scaled debt, sorted by
	/// asset, at most `MaxMarketsPerAccount` (see `account.rs`). Absent for an account in no
	/// market.
	#[pallet::storage]
	pub type Positions<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, PositionsOf<T>>;

	/// Debt written off in each market beyond what its reserves could absorb: the suppliers'
	/// loss, recorded.
	#[pallet::storage]
	pub type BadDebt<T: Config> = StorageMap<_, Twox64Concat, AssetId, Balance, ValueQuery>;

	/// The accounts with debt, and only those (see `exposure.rs`).
	#[pallet::storage]
	pub type Borrowers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// The books: accounts of the liquidation engine holding debt and collateral it took over
	/// from liquidated borrowers when no one could repay at once
	/// ([`lever_primitives::LendingLiquidation::take_over`]). A book may be liquidated whenever
	/// it owes, whatever its health factor, so it is unwound as soon as a liquidator, a backstop
	/// or the AMM can; a book that no longer owes is closed and what it still holds goes to its
	/// markets' reserves.
	#[pallet::storage]
	pub type Books<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Whether a flash loan is open: set for the length of one loan's inner calls, so no second
	/// loan starts inside it. Never true between extrinsics.
	#[pallet::storage]
	pub type FlashLoanOpen<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The permissioned pools, by identifier (see `pools.rs`).
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, PoolId, Pool<T::AccountId>>;

	/// The identifier the next pool gets.
	#[pallet::storage]
	pub type NextPoolId<T: Config> = StorageValue<_, PoolId, ValueQuery>;

	/// Who holds each pool's credential: granted and revoked by the pool's issuer or governance.
	#[pallet::storage]
	pub type Credentials<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Blake2_128Concat, T::AccountId, ()>;

	/// Each account's borrowing history as the credit score counts it, from its first borrow
	/// (see `credit.rs`).
	#[pallet::storage]
	pub type Credit<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, CreditRecord>;

	/// Governance's credit policy: the minimum loan age and the tiers; the default
	/// ([`CreditPolicy::default`]) while unset.
	#[pallet::storage]
	pub type CreditPolicies<T: Config> = StorageValue<_, CreditPolicyOf<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Markets open from the first block: asset and parameters.
		pub markets: Vec<(AssetId, MarketParams)>,
		/// Permissioned pools open from the first block, numbered from zero in this order: the
		/// issuer, the credential holders and the assets whose markets (in `markets`) are in
		/// the pool.
		pub pools: Vec<GenesisPool<T::AccountId>>,
		/// The credit policy from the first block; the default one when `None`.
		pub credit_policy: Option<CreditPolicyOf<T>>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (asset, params) in &self.markets {
				let created = Pallet::<T>::do_create_market(*asset, *params, 0);
				assert!(created.is_ok(), "genesis market {asset} is invalid: {created:?}");
			}
			for (issuer, members, assets) in &self.pools {
				let pool = Pallet::<T>::do_create_pool(issuer.clone());
				assert!(pool.is_ok(), "genesis pool is invalid: {pool:?}");
				let pool = pool.unwrap_or_default();
				for member in members {
					let granted = Pallet::<T>::do_set_credential(
						pools::Grantor::Governance,
						pool,
						member.clone(),
						true,
					);
					assert!(granted.is_ok(), "genesis credential is invalid: {granted:?}");
				}
				for asset in assets {
					let set = Pallet::<T>::do_set_market_pool(*asset, Some(pool));
					assert!(set.is_ok(), "genesis pool market {asset} is invalid: {set:?}");
				}
			}
			if let Some(policy) = &self.credit_policy {
				let set = Pallet::<T>::do_set_credit_policy(policy.clone());
				assert!(set.is_ok(), "the genesis credit policy is invalid: {set:?}");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance opened a market.
		MarketCreated { asset: AssetId, params: MarketParams },
		/// Governance changed a market's parameters; `ramp_until` is when a lowered liquidation
		/// threshold is fully in force.
		MarketParamsSet { asset: AssetId, params: MarketParams, ramp_until: Option<Moment> },
		/// Governance changed what a market allows.
		MarketStatusSet { asset: AssetId, status: MarketStatus },
		/// An account supplied `amount` for `shares`.
		Supplied { who: T::AccountId, asset: AssetId, amount: Balance, shares: Balance },
		/// An account withdrew `amount` by burning `shares`.
		Withdrawn { who: T::AccountId, asset: AssetId, amount: Balance, shares: Balance },
		/// An account borrowed.
		Borrowed { who: T::AccountId, asset: AssetId, amount: Balance },
		/// An account repaid; `remaining` is its debt left.
		Repaid { who: T::AccountId, asset: AssetId, amount: Balance, remaining: Balance },
		/// An account's supply now backs its borrowing.
		CollateralEnabled { who: T::AccountId, asset: AssetId },
		/// An account's supply no longer backs its borrowing.
		CollateralDisabled { who: T::AccountId, asset: AssetId },
		/// Governance sent reserves to the treasury.
		ReservesTransferred { asset: AssetId, amount: Balance, to: T::AccountId },
		/// A liquidator repaid `repaid` of an unhealthy account's debt and took `seized` of its
		/// collateral, as tokens or as supply shares worth that much.
		Liquidated {
			liquidator: T::AccountId,
			borrower: T::AccountId,
			debt_asset: AssetId,
			repaid: Balance,
			collateral_asset: AssetId,
			seized: Balance,
			seized_as: SeizedAs,
		},
		/// The debt of an account whose collateral is worth nothing against it was written off:
		/// reserves absorbed `from_reserves` and the suppliers the rest, recorded as the market's
		/// bad debt.
		DebtWrittenOff { who: T::AccountId, asset: AssetId, debt: Balance, from_reserves: Balance },
		/// Collateral too small to cover one unit of an account's debts went to its market's
		/// reserves when the debts were written off.
		CollateralWrittenOff { who: T::AccountId, asset: AssetId, amount: Balance },
		/// A book took over `debt` of a liquidatable borrower's debt in `debt_asset` and `seized`
		/// of its collateral (as supply shares, worth the debt plus the liquidation bonus): the
		/// borrower is liquidated without anyone repaying yet; the book owes the debt now.
		DebtTakenOver {
			book: T::AccountId,
			borrower: T::AccountId,
			debt_asset: AssetId,
			debt: Balance,
			collateral_asset: AssetId,
			seized: Balance,
		},
		/// A book owes nothing any more and is closed; what it still held went to its markets'
		/// reserves ([`Event::BonusToReserves`]).
		BookClosed { book: T::AccountId },
		/// `from` paid `to` `shares` of its supply of `asset`, worth `value`, as tokens or by
		/// moving the shares (the liquidation engine paying a backstop depositor's gain).
		SupplyPaid {
			from: T::AccountId,
			to: T::AccountId,
			asset: AssetId,
			shares: Balance,
			value: Balance,
			paid_as: SeizedAs,
		},
		/// `amount` of `asset` went to the market's reserves: seized collateral a liquidator
		/// that paid by selling collateral (the liquidation engine's AMM route) did not need for
		/// the sale (the part of the liquidation bonus the protocol keeps), or what a closed
		/// book still held.
		BonusToReserves { asset: AssetId, amount: Balance },
		/// An account borrowed `amount` for one extrinsic and paid it back with `fee`, which went
		/// to the market's reserves.
		FlashLoaned { who: T::AccountId, asset: AssetId, amount: Balance, fee: Balance },
		/// Governance created a permissioned pool whose credential `issuer` grants.
		PoolCreated { pool: PoolId, issuer: T::AccountId },
		/// Governance made `issuer` the pool's issuer.
		PoolIssuerSet { pool: PoolId, issuer: T::AccountId },
		/// `who` holds the pool's credential now: it may supply to and borrow from the pool's
		/// markets.
		CredentialGranted { pool: PoolId, who: T::AccountId },
		/// `who` no longer holds the pool's credential: in the pool's markets it may only repay,
		/// withdraw and disable collateral.
		CredentialRevoked { pool: PoolId, who: T::AccountId },
		/// Governance put the market of `asset` in `pool`, or made it public (`None`).
		MarketPoolSet { asset: AssetId, pool: Option<PoolId> },
		/// `who` repaid a loan in full after the minimum loan age: it has `repaid` such loans,
		/// has proven it can repay `proven` USD, and its credit score is `score` now.
		LoanRepaidInFull { who: T::AccountId, repaid: u32, proven: FixedU128, score: u32 },
		/// `who` was liquidated or its debt written off: its credit score starts again from zero.
		CreditReset { who: T::AccountId },
		/// Governance set the credit policy.
		CreditPolicySet { policy: CreditPolicyOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The account still has collateral: liquidate it before writing off its debt.
		HasCollateral,
		/// The amount, or what it would leave behind, is below the asset's minimum balance; use
		/// `All` to empty a position.
		Dust,
		/// There is no market for this asset.
		UnknownMarket,
		/// pallet-assets has no such asset.
		UnknownAsset,
		/// The asset has a market already.
		MarketExists,
		/// There are `MaxMarkets` markets already.
		TooManyMarkets,
		/// The interest rate model is invalid: the kink must be strictly between 0% and 100%
		/// and the rate at full utilization at most 1000% a year.
		InvalidRateModel,
		/// The risk parameters are inconsistent: reserve factor below 100%, collateral factor
		/// below liquidation threshold, threshold × (1 + bonus) at most 100%, close factor and
		/// caps above zero.
		InvalidRiskParams,
		/// The market is paused or frozen: no supply or borrowing.
		MarketNotActive,
		/// The market is frozen: nothing moves.
		MarketFrozen,
		/// The supply would exceed the market's supply cap.
		SupplyCapExceeded,
		/// The borrow would exceed the market's borrow cap.
		BorrowCapExceeded,
		/// The market has not enough cash for this.
		NotEnoughCash,
		/// The account has no supply in this market.
		NoSupply,
		/// The account supplied less than this.
		InsufficientSupply,
		/// The account has no debt in this market.
		NoDebt,
		/// The account is in `MaxMarketsPerAccount` markets already.
		TooManyAccountMarkets,
		/// The debt would exceed the borrow limit of the account's collateral.
		InsufficientCollateral,
		/// An asset the account needs valued has never been priced.
		PriceUnknown,
		/// An asset the account needs valued has a stale price: borrowing and collateral
		/// withdrawal wait for a fresh one (repay and supply work).
		PriceStale,
		/// The asset cannot be collateral (its collateral factor is zero).
		NotCollateralAsset,
		/// The supply is collateral already.
		CollateralAlreadyEnabled,
		/// The supply is not collateral.
		CollateralNotEnabled,
		/// The market's reserves are smaller than this.
		NotEnoughReserves,
		/// The account's health factor is not below one.
		NotLiquidatable,
		/// A borrower cannot liquidate itself.
		SelfLiquidation,
		/// A liquidator paying by a sale claims to have spent more collateral than it received.
		SaleTooCostly,
		/// A borrow or a partial repayment would leave a debt below the market's minimum debt:
		/// borrow more, or repay all of it.
		BelowMinDebt,
		/// A flash loan is open already: flash loans do not nest.
		NestedFlashLoan,
		/// A flash loan's inner call is not one flash loans may run (no lending calls).
		FlashLoanCallNotAllowed,
		/// The borrower did not hold the amount and fee when the flash loan's inner calls ended.
		FlashLoanNotRepaid,
		/// The risk council may only make changes that reduce risk; this one needs full
		/// governance (`GovernanceOrigin`).
		RiskIncreasing,
		/// Supplying for another account needs that account to be in the market already.
		BeneficiaryNotInMarket,
		/// The market is in a permissioned pool and the account holds no credential of it:
		/// only members may supply, borrow, enable collateral or take flash loans there; anyone
		/// may repay, withdraw and liquidate. Ask the pool's issuer for a credential.
		NotMember,
		/// There is no such permissioned pool.
		UnknownPool,
		/// Only the pool's issuer, or governance, grants and revokes its credential.
		NotIssuer,
		/// The account holds the pool's credential already.
		CredentialExists,
		/// The account holds no credential of the pool.
		NoCredential,
		/// The credit policy is invalid: the minimum loan age must be positive, the tiers'
		/// least scores strictly increasing and at most 1000, and each bonus at most
		/// `MaxCreditBonus`.
		InvalidCreditPolicy,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxMarketsPerAccount::get() > 0, "MaxMarketsPerAccount must be positive");
			assert!(T::MaxMarkets::get() > 0, "MaxMarkets must be positive");
			assert!(T::FlashLoanFee::get() < Permill::one(), "FlashLoanFee must be below 100%");
			assert!(T::MaxCreditTiers::get() > 0, "MaxCreditTiers must be positive");
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Supplies `amount` of `asset` for shares that earn interest; a new supply is collateral
		/// if the asset can be. The first supply of a market leaves the asset's minimum balance
		/// in the pallet for good.
		#[pallet::call_index(0)]
		pub fn supply(origin: OriginFor<T>, asset: AssetId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_supply(&who, &who, asset, amount)
		}

		/// Withdraws `amount` of `asset`, or the whole supply. Collateral can only leave while
		/// the account's debt stays within its borrow limit at fresh prices.
		#[pallet::call_index(1)]
		pub fn withdraw(
			origin: OriginFor<T>,
			asset: AssetId,
			amount: AmountOrAll,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(&who, asset, amount).map(|_| ())
		}

		/// Borrows `amount` of `asset`; the debt must stay within the borrow limit at fresh
		/// prices and reach the market's minimum debt (`BelowMinDebt`).
		#[pallet::call_index(2)]
		pub fn borrow(origin: OriginFor<T>, asset: AssetId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_borrow(&who, asset, amount)
		}

		/// Repays `amount` of the account's debt in `asset` (at most the debt), or all of it; a
		/// partial repayment must leave at least the market's minimum debt (`BelowMinDebt`).
		#[pallet::call_index(3)]
		pub fn repay(origin: OriginFor<T>, asset: AssetId, amount: AmountOrAll) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_repay(&who, &who, asset, amount).map(|_| ())
		}

		/// Makes the account's supply of `asset` back its borrowing.
		#[pallet::call_index(4)]
		pub fn enable_collateral(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_collateral(&who, asset, true)
		}

		/// Stops the account's supply of `asset` backing its borrowing, if the debt stays within
		/// the borrow limit without it.
		#[pallet::call_index(5)]
		pub fn disable_collateral(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_collateral(&who, asset, false)
		}

		/// Opens a market for a pallet-assets asset (governance).
		#[pallet::call_index(6)]
		pub fn create_market(
			origin: OriginFor<T>,
			asset: AssetId,
			params: MarketParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_create_market(asset, params, Clock::<T>::now_ms())
		}

		/// Changes a market's parameters (governance, or the risk council for a change that only
		/// reduces risk). A cap may be set below current usage, which only stops new supply or
		/// borrowing; a lowered liquidation threshold ramps in over `ThresholdRampPeriod`.
		#[pallet::call_index(7)]
		pub fn set_market_params(
			origin: OriginFor<T>,
			asset: AssetId,
			params: MarketParams,
		) -> DispatchResult {
			let tier = GovernanceTier::of::<_, T::GovernanceOrigin, T::RiskOrigin>(origin)?;
			Self::do_set_market_params(tier, asset, params)
		}

		/// Activates, pauses or freezes a market (governance; the risk council may only pause or
		/// freeze).
		#[pallet::call_index(8)]
		pub fn set_market_status(
			origin: OriginFor<T>,
			asset: AssetId,
			status: MarketStatus,
		) -> DispatchResult {
			let tier = GovernanceTier::of::<_, T::GovernanceOrigin, T::RiskOrigin>(origin)?;
			Self::do_set_market_status(tier, asset, status)
		}

		/// Sends `amount` of a market's reserves to the treasury (governance).
		#[pallet::call_index(9)]
		pub fn transfer_reserves(
			origin: OriginFor<T>,
			asset: AssetId,
			amount: Balance,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_transfer_reserves(asset, amount)
		}

		/// Lends `amount` of a market's cash to the caller, runs `calls` as the caller, then takes
		/// back `amount` plus the flash-loan fee, which goes to the market's reserves. If the
		/// caller does not hold both when the calls end, or any call fails, nothing happens at
		/// all. Inner calls cannot be lending calls, and flash loans do not nest.
		#[pallet::call_index(10)]
		#[pallet::weight({
			let inner = calls.iter().fold(Weight::zero(), |total, call| {
				total.saturating_add(call.get_dispatch_info().call_weight)
			});
			T::WeightInfo::flash_loan().saturating_add(inner)
		})]
		pub fn flash_loan(
			origin: OriginFor<T>,
			asset: AssetId,
			amount: Balance,
			calls: BoundedVec<<T as frame_system::Config>::RuntimeCall, T::MaxFlashLoanCalls>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_flash_loan(&who, asset, amount, |_fee| Self::dispatch_inner_calls(&who, calls))
		}

		/// Liquidates part of an unhealthy `borrower` (health factor below one at fresh
		/// prices): the caller repays up to `max_repay` of its debt in `debt_asset`, at most the
		/// close factor (all of it when the rest would be dust), and receives collateral of
		/// `collateral_asset` worth the repaid value plus that market's liquidation bonus, as
		/// tokens or, when the market has lent its cash out, as supply shares. When what would be
		/// left of that collateral is too small to liquidate, all of it goes and the repayment
		/// matches it. Anyone may call it; a frozen market refuses it.
		#[pallet::call_index(11)]
		pub fn liquidate(
			origin: OriginFor<T>,
			borrower: T::AccountId,
			debt_asset: AssetId,
			collateral_asset: AssetId,
			max_repay: Balance,
			seized_as: SeizedAs,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_liquidate(
				&who,
				&borrower,
				debt_asset,
				collateral_asset,
				max_repay,
				seized_as,
				|seizure| Ok(seizure.seized),
			)
			.map(|_| ())
		}

		/// Supplies `amount` of the caller's `asset` for shares credited to `beneficiary`, which
		/// must already be in the market (`BeneficiaryNotInMarket`): e.g. to top up the
		/// collateral of an account at risk. As [`Pallet::supply`] otherwise.
		#[pallet::call_index(12)]
		pub fn supply_for(
			origin: OriginFor<T>,
			beneficiary: T::AccountId,
			asset: AssetId,
			amount: Balance,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_supply(&payer, &beneficiary, asset, amount)
		}

		/// Repays `amount` of `borrower`'s debt in `asset` (at most the debt), or all of it, with
		/// the caller's tokens: e.g. to rescue a position from liquidation. As [`Pallet::repay`]
		/// otherwise.
		#[pallet::call_index(13)]
		pub fn repay_for(
			origin: OriginFor<T>,
			borrower: T::AccountId,
			asset: AssetId,
			amount: AmountOrAll,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_repay(&payer, &borrower, asset, amount).map(|_| ())
		}

		/// Creates a permissioned pool whose credential `issuer` grants and revokes (governance).
		/// Its markets are put in it with [`Pallet::set_market_pool`].
		#[pallet::call_index(14)]
		pub fn create_pool(origin: OriginFor<T>, issuer: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_create_pool(issuer).map(|_| ())
		}

		/// Makes `issuer` the issuer of `pool` (governance); credentials granted stay.
		#[pallet::call_index(15)]
		pub fn set_pool_issuer(
			origin: OriginFor<T>,
			pool: PoolId,
			issuer: T::AccountId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_pool_issuer(pool, issuer)
		}

		/// Grants `who` the credential of `pool`: it may then supply to and borrow from the
		/// pool's markets. The pool's issuer or governance.
		#[pallet::call_index(16)]
		pub fn grant_credential(
			origin: OriginFor<T>,
			pool: PoolId,
			who: T::AccountId,
		) -> DispatchResult {
			let grantor = Self::grantor(origin)?;
			Self::do_set_credential(grantor, pool, who, true)
		}

		/// Revokes `who`'s credential of `pool`: in the pool's markets it may then only repay,
		/// withdraw and disable collateral, and it is liquidated as anyone. The pool's issuer or
		/// governance.
		#[pallet::call_index(17)]
		pub fn revoke_credential(
			origin: OriginFor<T>,
			pool: PoolId,
			who: T::AccountId,
		) -> DispatchResult {
			let grantor = Self::grantor(origin)?;
			Self::do_set_credential(grantor, pool, who, false)
		}

		/// Puts the market of `asset` in `pool`, so that only the pool's members may supply to
		/// and borrow from it, or makes it public with `None` (governance). Positions already
		/// open stay; an account without the credential may only leave them.
		#[pallet::call_index(18)]
		pub fn set_market_pool(
			origin: OriginFor<T>,
			asset: AssetId,
			pool: Option<PoolId>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_market_pool(asset, pool)
		}

		/// Sets the credit policy (governance): how long a loan must be held before repaying it
		/// counts, and the tiers of collateral-factor bonus that credit scores earn, each at most
		/// `MaxCreditBonus`. Applies from the next valuation of every account.
		#[pallet::call_index(19)]
		pub fn set_credit_policy(
			origin: OriginFor<T>,
			policy: CreditPolicyOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_credit_policy(policy)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The account holding every market's cash.
		pub fn account_id() -> T::AccountId {
			sp_runtime::traits::AccountIdConversion::into_account_truncating(&T::PalletId::get())
		}

		/// The asset's decimals as pallet-assets records them.
		pub(crate) fn asset_decimals(asset: AssetId) -> u8 {
			T::Assets::decimals(asset)
		}

		/// Whether pallet-assets knows the asset.
		pub(crate) fn asset_exists(asset: AssetId) -> bool {
			T::Assets::asset_exists(asset)
		}

		/// Governance, or else the signed account, granting or revoking a credential; any
		/// other origin is `BadOrigin`.
		fn grantor(origin: OriginFor<T>) -> Result<pools::Grantor<T::AccountId>, DispatchError> {
			match T::GovernanceOrigin::try_origin(origin) {
				Ok(_) => Ok(pools::Grantor::Governance),
				Err(origin) => Ok(pools::Grantor::Signed(ensure_signed(origin)?)),
			}
		}
	}
}
