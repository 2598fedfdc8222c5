//! # Liquidation engine
//!
//! Finds unsafe vaults and lending accounts and liquidates them in `on_initialize`, with no
//! keeper and no signed call, within a fixed share of every block.
//!
//! - Vaults of one collateral type share a price and a rate, so a vault is unsafe exactly when its
//!   debt per collateral (normalized debt / collateral) is above the type's unsafe ratio. The index
//!   keeps every vault with debt in a bucket of its debt per collateral (64 buckets per doubling),
//!   moved in O(1) on each change the vault pallet reports. After a price or rate move, the buckets
//!   wholly above the unsafe ratio are queued whole and the boundary bucket is checked vault by
//!   vault, so detection costs O(unsafe vaults + buckets crossed), not O(vaults).
//! - Lending accounts depend on many prices; anyone may `flag` one (the fee is refunded when the
//!   flag gives the engine work), and each flag is re-checked on chain. Flagged accounts hold at
//!   most `MaxFlaggedAccounts` of the queue, so vaults always find room, and an account found
//!   uncoverable is not queued again until something it depends on changes.
//! - The queue lives in storage and is drained in `on_initialize` under a [`WeightMeter`] limited
//!   to [`Config::LiquidationWeight`], each item benchmarked; every item is re-checked first.
//! - Protection ([`Config::Protection`], `protection.rs`): the offchain sweep finds protected
//!   positions below their owner's trigger and submits their deleverage (collateral sold on the
//!   AMM within the owner's slippage, debt repaid to the owner's target) as an authorized call
//!   only the block author's node may send; and before a queued protected position is
//!   liquidated, the deleverage is tried first, the liquidation's re-check then leaving a
//!   deleveraged position alone. A failed deleverage changes nothing.
//! - Execution: a vault gives up the part of its debt that restores its type's target ratio, or all
//!   of it when it is too thin (the vault pallet's rule), shared between the routes before anything
//!   moves and taken from the vault at once. The backstop pool of the debt asset repays as much
//!   debt as its deposits and the collateral allow and receives collateral at the liquidation
//!   discount, shared pro rata by Liquity's product/sum snapshots. The AMM then buys a vault's
//!   remaining debt (with its penalty) with its remaining collateral, if it can within the engine's
//!   own cap on slippage against the oracle price (per collateral asset, or disabled); otherwise
//!   that debt goes to a Dutch auction that anyone can `take`, as far as the auction caps leave
//!   room. Debt left once all collateral is gone stays in the vault pallet's deficit, netted
//!   against its surplus. A type whose unsafe vaults no route can take is left alone ([`Stalled`])
//!   until what that depends on changes.
//!
//! ## Terminology
//!
//! - **Unsafe**: a vault below its type's liquidation ratio, or a lending account with health
//!   factor below one, at confirmed fresh prices.
//! - **Debt per collateral**: a vault's normalized debt over its collateral, what the **index**
//!   sorts vaults by into **buckets**; the **unsafe ratio** is the debt per collateral above which
//!   a vault of a type is unsafe at the current price and rate.
//! - **Queue**: positions waiting to be liquidated, oldest first; a lending account enters it by
//!   a **flag**; one left **uncovered** (no route could move it) waits until what it depends on
//!   changes, and a type whose vaults no route can take is **stalled**.
//! - **Backstop pool**: deposits of one asset that repay debt in that asset and receive the
//!   seized collateral at the liquidation discount, shared pro rata (a depositor's **compounded
//!   deposit** and **gains**).
//! - **AMM route**: selling seized collateral on the chain's AMM within the engine's own cap on
//!   slippage against the oracle.
//! - **Auction**: a Dutch auction of a **lot** (collateral) for a **tab** (debt with penalty),
//!   starting at the **top** price and falling until the **cusp** or the **tail**, then starting
//!   again; the **auction caps** bound the debt in auctions per type and in all.
//! - **Book**: the lending pools' account of a (debt, collateral) pair that takes a lending
//!   position over when no one can repay at once.
//! - **Dust**: an amount below the asset's minimum balance in pallet-assets; a lot worth less
//!   than the minimum tab is **too small** to auction and is kept instead.
//! - **Stress test**: what a **shock** (a fall of some prices) would make liquidatable, what could
//!   absorb it and the **bad debt** it would leave, judged by the engine's own rules
//!   (`stress.rs`, for the risk runtime API).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod amm;
mod auction;
mod backstop;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod execution;
mod impl_on_vault_changed;
mod impl_priced_positions;
mod impl_running_auctions;
mod index;
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
mod offchain;
#[cfg(test)]
mod proptests;
mod protection;
mod queue;
mod stress;
mod summary;
#[cfg(test)]
mod tests;
pub mod types;
mod vault_weight;
mod vaults;
pub mod weights;

pub use lever_primitives::{AmountOrAll, AssetId, Balance, Seconds};
pub use pallet::*;
pub use stress::{
	MarketStress, Shock, StressReport, StressedAccount, StressedVault, VaultTypeStress,
};
pub use summary::{CollateralShare, SystemRisk, AT_RISK_FALL};

/// The chain's clock as this pallet reads it: the one rule for what time it is, see
/// [`lever_primitives::Clock`].
pub type Clock<T> = lever_primitives::Clock<T, <T as Config>::Time>;
pub use types::*;
pub use weights::WeightInfo;

/// Sets up what the engine's benchmarks liquidate, in the runtime's vault and lending pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId>: lever_primitives::BenchmarkHelper {
	/// Creates `asset` with `decimals` decimals and makes it a vault collateral type with a 150%
	/// liquidation ratio and a 10% penalty.
	fn create_collateral_type(asset: AssetId, decimals: u8);
	/// Gives `who` `amount` of `asset` (any asset but lvUSD).
	fn fund(asset: AssetId, who: &AccountId, amount: Balance);
	/// Gives `who` `collateral` of `asset` in a new vault that mints `debt` lvUSD to `who`.
	fn open_vault(asset: AssetId, who: &AccountId, collateral: Balance, debt: Balance);
	/// Makes `who` a lending account that is liquidatable now and returns its debt asset and
	/// its largest collateral asset.
	fn liquidatable_borrower(who: &AccountId) -> (AssetId, AssetId);
	/// Opens AMM pools at the oracle prices through which `from` sells for `to` by the longest
	/// route the engine takes (through the routing asset unless one of them is it), deep enough
	/// for the liquidation of a [`Self::liquidatable_borrower`].
	fn create_route(from: AssetId, to: AssetId);
	/// Opens an AMM pool of `asset` against lvUSD holding `amount` and `stable`, from a
	/// provider's funds (its lvUSD minted from a vault).
	fn create_stable_pool(asset: AssetId, amount: Balance, stable: Balance);
	/// Shuts the vault system down, every collateral type priced fresh first (an unpriced
	/// type at $10).
	fn shut_down();
	/// Gives `who` a lending credit record, as any account that has borrowed in the pools has,
	/// so the reset a liquidation makes of it ([`lever_primitives::LendingLiquidation::reset_credit`]) is measured.
	fn credit_history(who: &AccountId);
	/// Makes `who` a lending account with debt, in as many markets as an account may be in
	/// (the markets opened at the first call, funded for many such accounts), that a 20% fall
	/// of the returned collateral asset's price makes liquidatable.
	fn debtor(who: &AccountId) -> AssetId;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		migrations::MultiStepMigrator,
		pallet_prelude::*,
		traits::{
			fungibles::{metadata::Inspect as InspectMetadata, Mutate},
			UnixTime,
		},
		weights::WeightMeter,
		PalletId,
	};
	use frame_system::{
		ensure_authorized, offchain::CreateAuthorizedTransaction, pallet_prelude::*,
	};
	use lever_primitives::{
		LendingLiquidation, OracleSwap, PriceProvider, PriceScenario, ProtectedPosition,
		Protection, VaultLiquidation,
	};
	use sp_runtime::{
		traits::{AccountIdConversion, BlakeTwo256, Hash, TrailingZeroInput},
		FixedU128,
	};

	/// The storage layout's version; [`crate::migrations`] holds the migration to each.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ CreateAuthorizedTransaction<Call<Self>>
	{
		/// The tokens: lvUSD, collateral and lending assets (pallet-assets).
		type Assets: Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ InspectMetadata<Self::AccountId>;

		/// The vaults to watch and liquidate.
		type Vaults: VaultLiquidation<Self::AccountId>;

		/// The lending accounts to liquidate.
		type Lending: LendingLiquidation<Self::AccountId>;

		/// The oracle: the last prices a stress test shocks, and the shocked prices put in
		/// place for its length.
		type Prices: PriceProvider + PriceScenario;

		/// The AMM route: sells seized collateral for the debt at the oracle price, within the
		/// engine's own cap on slippage (`()` for a chain without an AMM).
		type Swaps: OracleSwap<Self::AccountId>;

		/// The owners' protective deleverages, tried before a protected position is liquidated
		/// (`()` for none).
		type Protection: Protection<Self::AccountId>;

		/// The engine's AMM route for a collateral asset governance has not configured.
		#[pallet::constant]
		type DefaultAmmRoute: Get<AmmRoute>;

		/// lvUSD, the debt asset of every vault.
		#[pallet::constant]
		type StableAsset: Get<AssetId>;

		/// The chain's clock (pallet-timestamp).
		type Time: UnixTime;

		/// The engine's identifier; its account holds the backstop deposits, their gains and the
		/// collateral in auction.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Who may set auction parameters and caps.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most positions waiting in the queue.
		#[pallet::constant]
		type MaxQueueLength: Get<u32>;

		/// The most collateral assets one backstop pool can receive.
		#[pallet::constant]
		type MaxGainAssets: Get<u32>;

		/// The most shocks one stress test takes (one per asset).
		#[pallet::constant]
		type MaxShocks: Get<u32>;

		/// The most auctions at once.
		#[pallet::constant]
		type MaxAuctions: Get<u32>;

		/// The weight `on_initialize` may spend on detection and liquidation in one block.
		#[pallet::constant]
		type LiquidationWeight: Get<Weight>;

		/// The auction parameters of a collateral type governance has not configured.
		#[pallet::constant]
		type DefaultAuctionParams: Get<AuctionParams>;

		/// The most debt in all auctions at once, until governance sets it.
		#[pallet::constant]
		type DefaultMaxDebtInAuction: Get<Balance>;

		/// The smallest tab an auction may be left with: a take either pays the whole tab or
		/// leaves at least this much.
		#[pallet::constant]
		type MinAuctionTab: Get<Balance>;

		/// The most lending accounts in the queue at once, below `MaxQueueLength`: the rest of
		/// the queue is kept for vaults, so flags can never starve vault detection.
		#[pallet::constant]
		type MaxFlaggedAccounts: Get<u32>;

		/// How many lending accounts the offchain sweep checks per block, at least four: up to
		/// three quarters for the accounts exposed to moved prices, the rest for every account
		/// with debt in turn.
		#[pallet::constant]
		type SweepBatch: Get<u32>;

		/// How many accounts with debt the offchain sweep's passes over a moved price may read
		/// per block (each read is the account's key and its positions, in the node's own
		/// database), to find the ones exposed to that price: what bounds a run's cost.
		#[pallet::constant]
		type SweepScan: Get<u32>;

		/// How many accounts that protect positions the offchain sweep checks per block, in
		/// turn: a protected position whose ratio falls below its trigger is deleveraged within
		/// ⌈P / ProtectionSweep⌉ + 1 blocks for P such accounts.
		#[pallet::constant]
		type ProtectionSweep: Get<u32>;

		/// The transaction pool priority of the sweep's unsigned flags.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Blocks an unsigned flag stays valid in the pool, which holds one per account at a time.
		#[pallet::constant]
		type FlagLongevity: Get<TransactionLongevity>;

		/// Weights of the calls and of each unit of hook work, from the benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates assets, prices and positions for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Where the index keeps each vault with debt: a bucket, or the queue.
	#[pallet::storage]
	pub type VaultSlots<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AssetId, Blake2_128Concat, T::AccountId, VaultSlot>;

	/// The vaults in each bucket of each collateral type, as last reported.
	#[pallet::storage]
	pub type BucketMembers<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		(AssetId, BucketKey),
		Blake2_128Concat,
		T::AccountId,
		IndexedVault,
	>;

	/// How many vaults each bucket holds.
	#[pallet::storage]
	pub type BucketSizes<T: Config> =
		StorageMap<_, Twox64Concat, (AssetId, BucketKey), u32, ValueQuery>;

	/// Which buckets of each collateral type hold vaults: one bit per bucket, one word per
	/// binary exponent, so detection finds the buckets above a ratio without reading any.
	#[pallet::storage]
	pub type Occupancy<T: Config> = StorageMap<
		_,
		Twox64Concat,
		AssetId,
		BoundedVec<u64, ConstU32<OCCUPANCY_WORDS>>,
		ValueQuery,
	>;

	/// How far detection has checked each collateral type's boundary buckets.
	#[pallet::storage]
	pub type Scans<T: Config> = StorageMap<_, Twox64Concat, AssetId, BoundaryScan, ValueQuery>;

	/// The queue's first slot.
	#[pallet::storage]
	pub type QueueHead<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The queue's next free slot.
	#[pallet::storage]
	pub type QueueTail<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The positions waiting to be liquidated, oldest first.
	#[pallet::storage]
	pub type Queue<T: Config> = StorageMap<_, Twox64Concat, u32, QueueItem<T::AccountId>>;

	/// Lending accounts in the queue, so each is queued once; at most `MaxFlaggedAccounts`.
	#[pallet::storage]
	pub type Flagged<T: Config> = CountedStorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Lending accounts no backstop could cover when their turn came, with a digest of what
	/// their liquidation depended on (the pools' state of the account, the backstop deposits of
	/// its debts): not queued again until that changes.
	#[pallet::storage]
	pub type Uncovered<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, [u8; 32]>;

	/// Collateral types an unsafe vault of which no route could take any part of (no backstop
	/// deposits, the AMM refused, no auction room), with a digest of what that depended on
	/// ([`Pallet::stall_digest`]): detection passes over the type until it changes, so the
	/// engine never retries its vaults every block for nothing.
	#[pallet::storage]
	pub type Stalled<T: Config> = StorageMap<_, Twox64Concat, AssetId, [u8; 32]>;

	/// The backstop pool of each asset.
	#[pallet::storage]
	pub type BackstopPools<T: Config> =
		StorageMap<_, Twox64Concat, AssetId, BackstopPool<T::MaxGainAssets>>;

	/// Liquity's sum S per (pool, gain, epoch, scale), in units of [`PRODUCT_UNIT`]: collateral
	/// gained per unit deposited, weighted by the product at the time (256 bits wide).
	#[pallet::storage]
	pub type GainSums<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, AssetId>,
			NMapKey<Twox64Concat, GainAsset>,
			NMapKey<Twox64Concat, u32>,
			NMapKey<Twox64Concat, u32>,
		),
		sp_core::U256,
		ValueQuery,
	>;

	/// What the engine keeps of each asset it has held, so its account is never reaped: the
	/// asset's minimum balance, taken from the first tokens it received.
	#[pallet::storage]
	pub type Seeds<T: Config> = StorageMap<_, Twox64Concat, AssetId, Balance>;

	/// Collateral each pool has received and not paid out, per gain, with the rounding carried
	/// into its next sum.
	#[pallet::storage]
	pub type PoolGains<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AssetId, Twox64Concat, GainAsset, Gains, ValueQuery>;

	/// Each depositor's stake per pool.
	#[pallet::storage]
	pub type Deposits<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		AssetId,
		Blake2_128Concat,
		T::AccountId,
		Deposit<T::MaxGainAssets>,
	>;

	/// The deposits of each block waiting to join each backstop pool, with the pool's snapshots
	/// from the moment they joined; kept while a deposit's waiting part refers to them.
	#[pallet::storage]
	pub type Joins<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AssetId, Twox64Concat, u32, Join<T::MaxGainAssets>>;

	/// The engine's AMM route per collateral asset, where governance set it.
	#[pallet::storage]
	pub type AmmRoutes<T: Config> = StorageMap<_, Twox64Concat, AssetId, AmmRoute>;

	/// Auction parameters per collateral type, where governance set them.
	#[pallet::storage]
	pub type AuctionSettings<T: Config> = StorageMap<_, Twox64Concat, AssetId, AuctionParams>;

	/// Running auctions.
	#[pallet::storage]
	pub type Auctions<T: Config> = StorageMap<_, Twox64Concat, u32, Auction<T::AccountId>>;

	/// How many auctions run, the next one's identifier and the debt in all of them, in one
	/// value so starting or ending an auction writes it once.
	#[pallet::storage]
	pub type AuctionBooks<T: Config> = StorageValue<_, AuctionBook, ValueQuery>;

	/// Debt (with penalty) in each collateral type's auctions.
	#[pallet::storage]
	pub type DebtInAuction<T: Config> = StorageMap<_, Twox64Concat, AssetId, Balance, ValueQuery>;

	/// The default of [`MaxDebtInAuction`].
	#[pallet::type_value]
	pub fn DefaultMaxDebtInAuction<T: Config>() -> Balance {
		T::DefaultMaxDebtInAuction::get()
	}

	/// The most debt in all auctions at once (Maker's Hole).
	#[pallet::storage]
	pub type MaxDebtInAuction<T: Config> =
		StorageValue<_, Balance, ValueQuery, DefaultMaxDebtInAuction<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Detection found the vault unsafe and queued it.
		VaultQueued { asset: AssetId, owner: T::AccountId },
		/// A lending account was flagged as liquidatable and queued; `by` is the signer, if any.
		AccountFlagged { account: T::AccountId, by: Option<T::AccountId> },
		/// A queued position was safe when its turn came and was left alone.
		NoLongerUnsafe { item: QueueItem<T::AccountId> },
		/// A queued position could not be liquidated now and went back to the end of the queue.
		Deferred { item: QueueItem<T::AccountId>, error: DispatchError },
		/// A vault was liquidated: the debt and collateral taken from it, what the backstop
		/// repaid and received, the collateral sold on the AMM and the lvUSD it bought, the
		/// auction its remaining debt went to, the collateral returned to the owner (what the
		/// engine was left with when the vault could keep none), and whether all its debt was
		/// taken (else what is left is at or above its target ratio, or waits for auction room;
		/// collateral no route needed stays in the vault either way).
		VaultLiquidated {
			asset: AssetId,
			owner: T::AccountId,
			debt: Balance,
			collateral: Balance,
			backstop_repaid: Balance,
			backstop_received: Balance,
			amm_sold: Balance,
			amm_bought: Balance,
			auction: Option<u32>,
			returned: Balance,
			whole: bool,
		},
		/// The AMM route could not buy a vault's remaining debt with its remaining collateral
		/// (no pool, no fresh price, too shallow, or past the slippage cap): the auction takes
		/// it instead.
		SwapRefused { asset: AssetId, owner: T::AccountId, error: DispatchError },
		/// The engine liquidated part of a lending account: `repaid` of its debt in
		/// `debt_asset` for `seized` of its collateral in `collateral_asset`, by `route`.
		LendingLiquidated {
			account: T::AccountId,
			debt_asset: AssetId,
			repaid: Balance,
			collateral_asset: AssetId,
			seized: Balance,
			route: LendingRoute,
		},
		/// A lending account's collateral was gone, or covered no unit of its debts: its
		/// remaining debt was written off in the lending pools (reserves first).
		LendingWrittenOff { account: T::AccountId },
		/// No route could liquidate any pair of a liquidatable lending account (no backstop
		/// deposits, no AMM pool deep enough within the slippage cap, or no cash for the
		/// collateral): it is left to `lending.liquidate`, which anyone may call, until what it
		/// depends on changes.
		LendingUncovered { account: T::AccountId },
		/// `who` added `amount` to the backstop pool of `pool`; it shares in liquidations from
		/// block `shares_from` (with any part of the deposit still waiting).
		Deposited { pool: AssetId, who: T::AccountId, amount: Balance, shares_from: u32 },
		/// `who` took `amount` out of the backstop pool of `pool`.
		Withdrawn { pool: AssetId, who: T::AccountId, amount: Balance },
		/// `who` was paid `amount` of a collateral gain from the backstop pool of `pool` (tokens
		/// in their smallest unit, supply in shares).
		GainPaid { pool: AssetId, who: T::AccountId, asset: GainAsset, amount: Balance },
		/// The backstop pool of `pool` repaid `debt` and received `collateral` of `asset`
		/// (tokens in their smallest unit, supply in shares).
		BackstopAbsorbed { pool: AssetId, debt: Balance, asset: GainAsset, collateral: Balance },
		/// A liquidation left too little collateral to auction (below the asset's minimum
		/// balance, or worth less than the minimum tab): the backstop (or the engine's seed)
		/// kept the `collateral`, and the `debt` left joined the deficit.
		SmallLotKept { asset: AssetId, owner: T::AccountId, collateral: Balance, debt: Balance },
		/// An auction started for a liquidated vault's remaining debt.
		AuctionStarted { id: u32, asset: AssetId, owner: T::AccountId, lot: Balance, tab: Balance },
		/// `who` bought `collateral` from an auction for `paid` lvUSD.
		Taken { id: u32, who: T::AccountId, collateral: Balance, paid: Balance, price: FixedU128 },
		/// An auction ended: collateral `returned` to the owner, `uncovered` debt left as deficit.
		AuctionEnded { id: u32, returned: Balance, uncovered: Balance },
		/// After the shutdown, an auction was cancelled (Maker's `End.snip`): `redeemed`
		/// collateral, worth its `tab` at the frozen price (or all of the lot if less), joined the
		/// redemption pool, and the rest was `returned` to the vault's owner.
		AuctionSnipped { id: u32, redeemed: Balance, returned: Balance, tab: Balance },
		/// The engine could not cancel auction `id` after the shutdown; `snip` tries again.
		SnipDeferred { id: u32, error: DispatchError },
		/// Governance set a collateral type's auction parameters.
		AuctionParamsSet { asset: AssetId, params: AuctionParams },
		/// Governance set the cap on debt in all auctions.
		MaxDebtInAuctionSet { amount: Balance },
		/// Governance set the engine's AMM route for selling `asset`.
		AmmRouteSet { asset: AssetId, route: AmmRoute },
		/// The protective deleverage of `owner`'s `position` failed when it was about to be
		/// liquidated (it changed nothing): the liquidation went ahead.
		ProtectionFailed { owner: T::AccountId, position: ProtectedPosition, error: DispatchError },
		/// `who`'s deposit in the backstop pool of `pool` was closed with `amount` left, below
		/// the asset's minimum balance, that `who`'s account (holding none of the asset) could not
		/// receive: the engine kept it, as it keeps a lot too small to auction.
		DepositDustKept { pool: AssetId, who: T::AccountId, amount: Balance },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The asset does not exist.
		UnknownAsset,
		/// The amount, or what it would leave, is below the asset's minimum balance.
		Dust,
		/// The account has no deposit in this pool.
		NoDeposit,
		/// The amount is more than the deposit is worth now.
		ExceedsDeposit,
		/// The account is not liquidatable.
		NotLiquidatable,
		/// The position is already queued.
		AlreadyQueued,
		/// The queue is full (for lending accounts: their share of it); the position will be
		/// found again once there is room.
		QueueFull,
		/// No backstop has deposits to repay the account's debts, and it has collateral to
		/// seize: liquidate it with `lending.liquidate`.
		NothingToDo,
		/// The engine found the account uncoverable and nothing its liquidation depends on has
		/// changed since.
		Unchanged,
		/// No such auction.
		NoAuction,
		/// The auction's price is above the caller's limit.
		PriceTooHigh,
		/// The take would leave a lot below the asset's minimum balance, or it is a partial take
		/// of a tab already at the minimum: take more, or the whole lot.
		TakeLeavesTooLittle,
		/// The parameters are out of range.
		InvalidParams,
		/// The pool has received as many collateral assets as it can.
		TooManyGainAssets,
		/// The auction caps or the auction count leave no room for this debt now (for a vault:
		/// nor could the backstop or the AMM take any part of it).
		AuctionCapReached,
		/// An auction's price needs its collateral's fresh price.
		PriceUnavailable,
		/// The vault system is not shut down: auctions run until taken.
		NotShutDown,
		/// Governance disabled the engine's AMM route for this collateral.
		AmmRouteDisabled,
		/// The collateral would not buy the debt on the AMM within the engine's slippage cap.
		AmmShortOfDebt,
		/// A stress test shocks an asset the oracle has never priced.
		UnpricedShock,
		/// A stress test shocks the same asset twice.
		DuplicateShock,
		/// A stress test has more shocks than `MaxShocks`.
		TooManyShocks,
		/// The position is not protected, or its ratio is not below its trigger.
		NotTriggered,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Detects and liquidates within [`Config::LiquidationWeight`], except while a
		/// multi-block migration runs: a state half migrated is none to liquidate on, so the
		/// engine waits the migration's blocks (its only added delay) and goes on after.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let mut meter = WeightMeter::with_limit(T::LiquidationWeight::get());
			meter.consume(T::DbWeight::get().reads(1));
			if !<T as frame_system::Config>::MultiBlockMigrator::ongoing() {
				Self::do_liquidations(&mut meter);
			}
			meter.consumed()
		}

		fn offchain_worker(n: BlockNumberFor<T>) {
			Self::run_offchain_sweep(n);
			Self::sweep_protections(n);
		}

		fn integrity_test() {
			let per_block = T::WeightInfo::on_initialize_base()
				.saturating_add(T::WeightInfo::detect_type().saturating_mul(8))
				.saturating_add(Self::vault_execution_weight(false))
				.saturating_add(T::WeightInfo::execute_lending())
				.saturating_add(Self::protection_weight().saturating_mul(2));
			assert!(
				per_block.all_lte(T::LiquidationWeight::get()),
				"the liquidation budget must fit the base cost and one protected liquidation of each kind"
			);
			assert!(
				T::MaxFlaggedAccounts::get() < T::MaxQueueLength::get(),
				"lending accounts must leave room in the queue for vaults"
			);
			assert!(
				T::DefaultAuctionParams::get().is_valid(),
				"the default auction parameters must be valid"
			);
			assert!(T::DefaultAmmRoute::get().is_valid(), "the default AMM route must be valid");
			assert!(
				offchain::share_checks(T::SweepBatch::get()).1 != 0 && T::SweepScan::get() != 0,
				"the sweep must check at least four accounts a run (one for its round-robin) and read some"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `amount` of `pool`'s asset to its backstop pool, first paying out any collateral
		/// gains. Deposits repay liquidated debt in that asset and earn the seized collateral at
		/// the liquidation discount. What is added must be at least the asset's minimum balance
		/// after the engine's one-time seed (the first minimum balance of an asset it receives),
		/// else `Dust`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::deposit())]
		pub fn deposit(origin: OriginFor<T>, pool: AssetId, amount: Balance) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deposit(&who, pool, amount)
		}

		/// Takes `amount` (or all) of the caller's deposit out of `pool`'s backstop pool, with
		/// every collateral gain. Deposits can be withdrawn at any time. A partial withdrawal must
		/// leave at least the minimum balance (else `Dust`); a whole deposit that losses brought
		/// below it, which the caller's account cannot receive, closes with `DepositDustKept`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		pub fn withdraw(
			origin: OriginFor<T>,
			pool: AssetId,
			amount: AmountOrAll,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(&who, pool, amount)
		}

		/// Buys up to `max_collateral` from auction `auction` at its current price, paying lvUSD,
		/// if that price is at most `max_price` (lvUSD per whole collateral token).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::take())]
		pub fn take(
			origin: OriginFor<T>,
			auction: u32,
			max_collateral: Balance,
			max_price: FixedU128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_take(&who, auction, max_collateral, max_price)
		}

		/// Queues a liquidatable lending account. Free when it gives the engine work: the account
		/// is liquidatable, a backstop has deposits for one of its debts (or its debt is to be
		/// written off), and it is not known uncoverable as it stands. Fails, and changes nothing,
		/// otherwise.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::flag())]
		pub fn flag(origin: OriginFor<T>, account: T::AccountId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_flag(&account, Some(who))?;
			Ok(Pays::No.into())
		}

		/// Queues a liquidatable lending account, submitted by a validator's offchain sweep: free
		/// and unsigned, admitted only when a signed `flag` of it would succeed.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::flag())]
		#[pallet::authorize(Pallet::<T>::authorize_flag)]
		#[pallet::weight_of_authorize(T::WeightInfo::flag())]
		pub fn flag_unsigned(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			ensure_authorized(origin)?;
			Self::do_flag(&account, None)
		}

		/// Deleverages `owner`'s protected `position` to its target, submitted by the block
		/// author's offchain sweep when the position's ratio is below its trigger: free and
		/// unsigned, admitted only from the author's own node (locally, or in a block), when the
		/// position is below its trigger and the deleverage would succeed now, after every paid
		/// transaction.
		#[pallet::call_index(9)]
		#[pallet::weight(Pallet::<T>::deleverage_weight(*position))]
		#[pallet::authorize(Pallet::<T>::authorize_deleverage)]
		#[pallet::weight_of_authorize(Pallet::<T>::deleverage_weight(*position))]
		pub fn deleverage(
			origin: OriginFor<T>,
			owner: T::AccountId,
			position: ProtectedPosition,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			T::Protection::deleverage(&owner, position).map(|_| ())
		}

		/// After the vault system's shutdown, cancels auction `auction` (anyone may call; the
		/// engine also does it in `on_initialize`, as many per block as its budget allows): the
		/// lot's worth of the tab at the frozen price joins the redemption pool, the rest goes
		/// back to the vault's owner, and the tab stays in the deficit that redemptions burn.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::snip())]
		pub fn snip(origin: OriginFor<T>, auction: u32) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_snip(auction)
		}

		/// Sets a collateral type's auction parameters.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_auction_params())]
		pub fn set_auction_params(
			origin: OriginFor<T>,
			asset: AssetId,
			params: AuctionParams,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(params.is_valid(), Error::<T>::InvalidParams);
			AuctionSettings::<T>::insert(asset, params);
			Self::deposit_event(Event::AuctionParamsSet { asset, params });
			Ok(())
		}

		/// Sets the cap on debt in all auctions at once.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_max_debt_in_auction())]
		pub fn set_max_debt_in_auction(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			MaxDebtInAuction::<T>::put(amount);
			Self::deposit_event(Event::MaxDebtInAuctionSet { amount });
			Ok(())
		}

		/// Sets the engine's AMM route for selling `asset` (vault collateral or lending
		/// collateral): disabled, or enabled with a slippage cap above zero and at most 10%.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_amm_route())]
		pub fn set_amm_route(
			origin: OriginFor<T>,
			asset: AssetId,
			route: AmmRoute,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_amm_route(asset, route)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The engine's account: backstop deposits, their gains and collateral in auction.
		pub fn account_id() -> T::AccountId {
			T::PalletId::get().into_account_truncating()
		}

		/// The engine's book for lending debt in `debt_asset` against collateral in
		/// `collateral_asset`: the account that takes over such a pair when no backstop and no
		/// sale can repay it at once ([`LendingRoute::TakenOver`]). One per pair, so a book is in
		/// two markets at most. Derived from a hash of the engine's id and the pair (as
		/// pallet-proxy derives pure accounts), so it differs from the engine's account however
		/// short the account type; `None` only for an account type no bytes decode to.
		pub fn book_account(
			debt_asset: AssetId,
			collateral_asset: AssetId,
		) -> Option<T::AccountId> {
			let entropy =
				BlakeTwo256::hash_of(&(T::PalletId::get(), *b"book", debt_asset, collateral_asset));
			T::AccountId::decode(&mut TrailingZeroInput::new(entropy.as_ref())).ok()
		}

		/// A collateral type's auction parameters.
		pub fn auction_params(asset: AssetId) -> AuctionParams {
			AuctionSettings::<T>::get(asset).unwrap_or_else(T::DefaultAuctionParams::get)
		}
	}
}
