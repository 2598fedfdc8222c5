//! # Leverage pallet
//!
//! One-click leverage on Lever's lending pools: a trader reaches a target leverage, or unwinds,
//! in one signed extrinsic that either happens whole at a price the trader accepted or not at
//! all.
//!
//! - [`Pallet::lever_up`] flash-loans the extra collateral, supplies it, borrows the debt asset
//!   the AMM needs to buy back exactly the loan and its fee, swaps, and repays the loan. Short
//!   exposure is the same call with the roles swapped (collateral a stable asset, debt the asset
//!   shorted).
//! - [`Pallet::lever_down`] flash-loans the debt asset, repays debt with it, withdraws the
//!   collateral the AMM needs to buy back the loan and its fee, swaps, and repays the loan; a
//!   full unwind repays everything and withdraws what is left to the trader's wallet.
//! - [`Pallet::expand`] and [`Pallet::shrink`] do the same for a vault: expand flash-loans
//!   collateral, deposits it and mints the lvUSD that buys it back; shrink flash-loans
//!   collateral, sells it for lvUSD, repays and withdraws what pays the loan back (a full close
//!   returns the rest).
//! - Every swap is checked against the oracle: it fails when the AMM pays less than the oracle
//!   value of what it is given by more than the caller's slippage, which is itself bounded by
//!   the governance-set [`SlippageCap`]. A sandwich cannot push a trader into a bad position.
//! - [`Pallet::protect`] opts a vault or a lending position into protective auto-deleverage:
//!   when its ratio falls below the owner's trigger (found by the liquidation engine's offchain
//!   sweep), or at the latest when the engine is about to liquidate it, the chain sells just
//!   enough of its collateral through the AMM, within the owner's slippage of the oracle, to
//!   repay debt back to the owner's target, for a stated fee ([`Config::ProtectionFee`]) paid in
//!   collateral; if that cannot be done, the liquidation goes ahead
//!   ([`lever_primitives::Protection`]).
//! - Every step is one of the lending pools' or vaults' own checked operations (through
//!   [`lever_primitives::LendingPositions`] and [`lever_primitives::VaultPositions`]), so
//!   leverage can do nothing the trader could not do by hand; the result must also meet the
//!   caller's minimum health factor or collateral ratio.
//!
//! The pallet reaches the pools through [`Config::Lending`], the AMM through
//! pallet-asset-conversion's `Swap` and `QuotePrice` traits and prices through
//! [`lever_primitives::PriceProvider`]; it keeps no positions of its own.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impl_protection;
#[cfg(any(test, feature = "std", feature = "try-runtime"))]
mod invariants;
mod lending;
#[cfg(test)]
mod mock;
mod preview;
mod protection;
mod swap;
#[cfg(test)]
mod tests;
pub mod types;
mod vaults;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
pub use lever_primitives::{AmountOrAll, AssetId, Balance};
pub use pallet::*;
pub use protection::{FLOOR_MARGIN, MAX_PROTECTION_RATIO};
pub use types::*;
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, MutateHold},
			fungibles::{metadata::Inspect as InspectMetadata, Mutate},
		},
	};
	use frame_system::pallet_prelude::*;
	use lever_primitives::{LendingPositions, PriceProvider, ProtectedPosition, VaultPositions};
	use pallet_asset_conversion::{QuotePrice, Swap};
	use sp_runtime::{FixedU128, Permill};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The lending pools' checked operations and flash loans.
		type Lending: LendingPositions<Self::AccountId>;

		/// The vaults' checked change.
		type Vaults: VaultPositions<Self::AccountId>;

		/// The AMM (pallet-asset-conversion): exact-output swaps and their quotes.
		type Amm: Swap<Self::AccountId, Balance = Balance, AssetKind = Self::AmmAsset>
			+ QuotePrice<Balance = Balance, AssetKind = Self::AmmAsset>;

		/// How the AMM names a pallet-assets asset.
		type AmmAsset: From<AssetId>;

		/// The tokens (pallet-assets): their decimals, to value amounts at oracle prices, and
		/// the transfer of protection fees.
		type Assets: InspectMetadata<Self::AccountId, AssetId = AssetId, Balance = Balance>
			+ Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>;

		/// The native token, of which [`Config::ProtectionDeposit`] is held per protection.
		type Currency: MutateHold<Self::AccountId, Balance = Balance, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// The runtime's hold reasons, of which this pallet's [`HoldReason`] is one.
		type RuntimeHoldReason: From<HoldReason>;

		/// Native tokens held while a position is protected, so protections cost their
		/// storage (in the native token's smallest unit).
		#[pallet::constant]
		type ProtectionDeposit: Get<Balance>;

		/// The fee of a protective deleverage: this share of the repaid debt's oracle value,
		/// paid in the collateral sold, rounded up.
		#[pallet::constant]
		type ProtectionFee: Get<Permill>;

		/// Who receives protection fees (the treasury).
		type FeeDestination: Get<Self::AccountId>;

		/// The most positions one account may protect.
		#[pallet::constant]
		type MaxProtections: Get<u32>;

		/// Fresh prices, or an error when an asset's price is stale or unknown.
		type Prices: PriceProvider;

		/// The asset the liquidation engine's sales go through when the AMM has no pool of a
		/// pair itself (a stablecoin every listed asset has a pool against), or `None` for one
		/// pool only. One-click leverage always swaps in one pool.
		type SwapHub: Get<Option<AssetId>>;

		/// Who sets the slippage cap.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The slippage cap until governance sets one.
		#[pallet::constant]
		type DefaultSlippageCap: Get<Permill>;

		/// Benchmarked weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates markets, pools, prices and funds for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds native tokens.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a protected position.
		Protection,
	}

	/// Each account's protected positions with their settings and deposits.
	#[pallet::storage]
	pub type Protections<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<Protected, T::MaxProtections>,
		ValueQuery,
	>;

	/// The most any caller may accept between the oracle value of what a swap gives the AMM and
	/// of what it gets back: callers choose their own slippage up to this.
	#[pallet::storage]
	pub type SlippageCap<T: Config> = StorageValue<_, Permill, ValueQuery, T::DefaultSlippageCap>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account levered up: it supplied `supplied` of the collateral asset (its deposit
		/// and the flash loan) and borrowed `borrowed` of the debt asset, which the AMM turned
		/// into the loan and its `flash_fee`.
		LeveredUp {
			who: T::AccountId,
			collateral: AssetId,
			debt: AssetId,
			supplied: Balance,
			borrowed: Balance,
			flash_fee: Balance,
			price_impact: Permill,
			health_factor: Option<FixedU128>,
		},
		/// An account levered down: it repaid `repaid` of the debt asset with a flash loan and
		/// sold `sold` of its collateral to pay the loan and its `flash_fee` back; on a full
		/// unwind `returned` is the collateral withdrawn to its wallet.
		LeveredDown {
			who: T::AccountId,
			collateral: AssetId,
			debt: AssetId,
			repaid: Balance,
			sold: Balance,
			returned: Balance,
			flash_fee: Balance,
			price_impact: Permill,
			health_factor: Option<FixedU128>,
		},
		/// An account expanded its vault: it deposited `deposited` (its deposit and the flash
		/// loan) and minted `minted` lvUSD, which the AMM turned into the loan and its fee.
		VaultExpanded {
			who: T::AccountId,
			asset: AssetId,
			deposited: Balance,
			minted: Balance,
			flash_fee: Balance,
			price_impact: Permill,
			collateral_ratio: Option<FixedU128>,
		},
		/// An account shrank its vault: it sold `sold` flash-loaned collateral for the `repaid`
		/// lvUSD and withdrew what paid the loan back; on a full close `returned` is the
		/// collateral left to its wallet.
		VaultShrunk {
			who: T::AccountId,
			asset: AssetId,
			repaid: Balance,
			sold: Balance,
			returned: Balance,
			flash_fee: Balance,
			price_impact: Permill,
			collateral_ratio: Option<FixedU128>,
		},
		/// Governance set the slippage cap.
		SlippageCapSet { cap: Permill },
		/// `who` protected `position` (or changed its settings), holding `deposit` native
		/// tokens (zero when only the settings changed).
		Protected {
			who: T::AccountId,
			position: ProtectedPosition,
			settings: ProtectionSettings,
			deposit: Balance,
		},
		/// `who` stopped protecting `position`, and `deposit` was released.
		Unprotected { who: T::AccountId, position: ProtectedPosition, deposit: Balance },
		/// The liquidation engine deleveraged `who`'s protected `position`: it repaid `repaid`
		/// of debt by selling `sold` collateral on the AMM, charged `fee` collateral (of which
		/// `flash_fee` paid the flash loan's fee and the rest went to the treasury) and left the
		/// position at `ratio` (collateral ratio or health factor; `None` when no debt is left).
		Deleveraged {
			who: T::AccountId,
			position: ProtectedPosition,
			repaid: Balance,
			sold: Balance,
			fee: Balance,
			flash_fee: Balance,
			price_impact: Permill,
			ratio: Option<FixedU128>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The collateral and debt assets are the same.
		SameAsset,
		/// The slippage asked for is above the governance cap.
		SlippageAboveCap,
		/// The AMM's price is worse than the oracle's by more than the slippage allowed.
		SlippageExceeded,
		/// The AMM has no pool for the pair, or too little liquidity for the swap.
		NoPool,
		/// The target leverage must be above one and the extra exposure above zero.
		InvalidTarget,
		/// The position is at or above the target leverage already.
		AlreadyAtTarget,
		/// The account's collateral does not exceed its debt: there is no equity to lever.
		NoEquity,
		/// The account has no debt in this asset.
		NoDebt,
		/// The resulting health factor or collateral ratio would be below the caller's minimum.
		HealthBelowMinimum,
		/// A swap amount is too small to value at the oracle price.
		SwapTooSmall,
		/// An asset the swap needs valued has never been priced.
		PriceUnknown,
		/// An asset the swap needs valued has a stale price: leverage waits for a fresh one.
		PriceStale,
		/// The swap would take more of the asset than there is to sell.
		SwapCostsTooMuch,
		/// The protection's settings are out of range: the target must be above the trigger,
		/// and the trigger above the vault type's liquidation ratio (or above one for a health
		/// factor), both at most [`MAX_PROTECTION_RATIO`].
		InvalidProtection,
		/// The account protects as many positions as it may.
		TooManyProtections,
		/// The position is not protected.
		NotProtected,
		/// No vault, or no lending market, of the position's assets.
		NoPosition,
		/// The position's collateral cannot pay for its deleverage (it is worth less than its
		/// debt and the costs): it would take from what its owner holds outside it.
		CollateralShort,
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
		/// Levers a lending position up in one extrinsic: supplies `deposit` of `collateral`
		/// from the wallet (may be zero), then adds collateral until the position reaches
		/// `target` (a leverage, collateral value over equity, or an extra amount of
		/// collateral), borrowing `debt` to pay for it through a flash loan and the AMM. Fails,
		/// changing nothing, if the AMM's price is worse than the oracle's by more than
		/// `max_slippage`, or the health factor would end below `min_health`.
		#[pallet::call_index(0)]
		pub fn lever_up(
			origin: OriginFor<T>,
			collateral: AssetId,
			debt: AssetId,
			deposit: Balance,
			target: LeverTarget,
			max_slippage: Permill,
			min_health: FixedU128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let request = LeverUp { collateral, debt, deposit, target, max_slippage, min_health };
			Self::do_lever_up(&who, request).map(|_| ())
		}

		/// Levers a lending position down in one extrinsic: repays `repay` of the `debt` asset
		/// (or all of it) with a flash loan and sells the `collateral` the AMM needs to pay the
		/// loan back. Repaying all also withdraws all the collateral left to the wallet. Fails,
		/// changing nothing, if the AMM's price is worse than the oracle's by more than
		/// `max_slippage`, or debt remains with a health factor below `min_health`.
		#[pallet::call_index(1)]
		pub fn lever_down(
			origin: OriginFor<T>,
			collateral: AssetId,
			debt: AssetId,
			repay: AmountOrAll,
			max_slippage: Permill,
			min_health: FixedU128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let request = LeverDown { collateral, debt, repay, max_slippage, min_health };
			Self::do_lever_down(&who, request).map(|_| ())
		}

		/// Expands the caller's vault of `asset` in one extrinsic: deposits `deposit` from the
		/// wallet (may be zero; opens the vault if needed), then adds collateral until the vault
		/// reaches `target` (collateral value over equity, debt at one dollar, or an extra
		/// amount), minting the lvUSD that pays for it through a flash loan and the AMM. Fails,
		/// changing nothing, if the AMM's price is worse than the oracle's by more than
		/// `max_slippage`, or the collateral ratio would end below `min_ratio`.
		#[pallet::call_index(3)]
		pub fn expand(
			origin: OriginFor<T>,
			asset: AssetId,
			deposit: Balance,
			target: LeverTarget,
			max_slippage: Permill,
			min_ratio: FixedU128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let request = Expand { asset, deposit, target, max_slippage, min_ratio };
			Self::do_expand(&who, request).map(|_| ())
		}

		/// Shrinks the caller's vault of `asset` in one extrinsic: repays `repay` lvUSD (or all
		/// of it) with flash-loaned collateral sold on the AMM, and withdraws the collateral
		/// that pays the loan back. Repaying all closes the vault and returns the collateral
		/// left. Fails, changing nothing, if the AMM's price is worse than the oracle's by more
		/// than `max_slippage`, or debt remains with a collateral ratio below `min_ratio`.
		#[pallet::call_index(4)]
		pub fn shrink(
			origin: OriginFor<T>,
			asset: AssetId,
			repay: AmountOrAll,
			max_slippage: Permill,
			min_ratio: FixedU128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let request = Shrink { asset, repay, max_slippage, min_ratio };
			Self::do_shrink(&who, request).map(|_| ())
		}

		/// Protects the caller's `position` (or changes its settings): when the position's
		/// collateral ratio (a vault) or health factor (a lending position) falls below
		/// `trigger`, or at the latest when the liquidation engine would liquidate it, the chain
		/// sells just enough collateral on the AMM, within `max_slippage` of the oracle (or the
		/// governance cap if lower), to repay debt until the ratio is back at `target` (or 1%
		/// above the lowest the withdrawal of that collateral may leave, the vault type's ratio
		/// for withdrawals or the lending borrow limit, where that is higher), paying
		/// [`Config::ProtectionFee`] of the repaid value in collateral; if that cannot be done,
		/// or would end below `trigger`, nothing happens and liquidation stays the backstop.
		/// Holds [`Config::ProtectionDeposit`] native tokens until `unprotect`.
		#[pallet::call_index(5)]
		pub fn protect(
			origin: OriginFor<T>,
			position: ProtectedPosition,
			trigger: FixedU128,
			target: FixedU128,
			max_slippage: Permill,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_protect(&who, position, ProtectionSettings { trigger, target, max_slippage })
		}

		/// Stops protecting the caller's `position` and releases its deposit.
		#[pallet::call_index(6)]
		pub fn unprotect(origin: OriginFor<T>, position: ProtectedPosition) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unprotect(&who, position)
		}

		/// Sets the most slippage any caller may accept (governance).
		#[pallet::call_index(2)]
		pub fn set_slippage_cap(origin: OriginFor<T>, cap: Permill) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			SlippageCap::<T>::put(cap);
			Self::deposit_event(Event::SlippageCapSet { cap });
			Ok(())
		}
	}
}
