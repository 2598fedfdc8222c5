//! # Oracle pallet
//!
//! Prices for Lever come from the chain's own validators. Each feeder (a validator with an `orcl`
//! key) runs an offchain worker that, once per round of [`Config::FetchInterval`] blocks, fetches
//! every listed asset's price from the HTTP sources configured on its node, takes the median across
//! sources and submits one signed payload, free of fees, through `submit_prices`.
//!
//! On chain, once [`MinFeeders`] feeders have submitted for an asset in the current round,
//! the median of their prices becomes the asset's [`Price`]. The rules that make it safe:
//! - a price older than [`Config::MaxPriceAge`] is stale: [`PriceProvider::price`] returns
//!   [`PriceError::Stale`], never the previous value;
//! - an aggregate more than [`Config::MaxJump`] away from the current price is held (circuit
//!   breaker) and applied only when a later round's aggregate, within [`Config::MaxPriceAge`] of
//!   the hold, agrees with it (rounds without a quorum in between do not matter); while it is
//!   held, actions that add risk value collateral at the lower and debt at the higher of the two
//!   prices ([`PriceProvider::risk_prices`]), and liquidation waits for the confirmation;
//! - submissions are validated in the transaction pool: signed by a current feeder, for the current
//!   round, one per feeder per round (a duplicate or replay never reaches a block).
//!
//! The feeders are the validators in office: the pallet is one of pallet-session's handlers, and
//! each session's validators' `orcl` keys become the feeders (`session.rs`). Governance lists and
//! removes assets, sets the quorum and emergency prices, and freezes assets.
//!
//! ## Terminology
//!
//! - **Feeder**: a validator's `orcl` key, allowed to submit prices; **round**: the blocks of
//!   one submission per feeder; **quorum**: the least feeders whose submissions make a round's
//!   **aggregate** (their median).
//! - **Confirmed price**: the aggregate in force, **fresh** until `MaxPriceAge` after it was set,
//!   **stale** after; what liquidations decide on.
//! - **Circuit breaker**: an aggregate that jumps more than `MaxJump` is **held** until a later
//!   round agrees; while held, **risk prices** value collateral at the lower and debt at the
//!   higher of the confirmed and the held price.
//! - **Emergency price**: one governance sets; **frozen**: an asset whose price only governance
//!   sets, fresh whatever its age.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod api;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod circuit_breaker;
mod governance;
mod impl_price_scenario;
#[cfg(any(test, feature = "std", feature = "try-runtime"))]
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod offchain;
mod prices;
#[cfg(test)]
mod proptests;
mod session;
mod submission;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use api::PriceInfo;
pub use circuit_breaker::PendingPrice;
pub use lever_primitives::{
	AssetId, Moment, Price, PriceError, PriceProvider, PriceSource, RiskPrices,
};
pub use pallet::*;
pub use prices::PriceFeed;
pub use types::*;

/// The chain's clock as this pallet reads it: the one rule for what time it is, see
/// [`lever_primitives::Clock`].
pub type Clock<T> = lever_primitives::Clock<T, <T as Config>::Time>;
pub use weights::WeightInfo;

/// The target of this pallet's log lines.
const LOG_TARGET: &str = "runtime::oracle";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, UnixTime},
	};
	use frame_system::{
		ensure_authorized, offchain::CreateAuthorizedTransaction, pallet_prelude::*,
	};
	use lever_primitives::GovernanceTier;
	use sp_runtime::{FixedU128, Permill};

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
		/// The most feeders there can be; bounds every aggregation.
		#[pallet::constant]
		type MaxFeeders: Get<u32>;

		/// The most assets the oracle prices; bounds every submission.
		#[pallet::constant]
		type MaxAssets: Get<u32>;

		/// Blocks per round: each feeder submits at most once per round.
		#[pallet::constant]
		type FetchInterval: Get<BlockNumberFor<Self>>;

		/// Milliseconds after which a price is stale.
		#[pallet::constant]
		type MaxPriceAge: Get<Moment>;

		/// The largest move of the aggregate in one round that is applied at once; larger moves
		/// wait for the next round to confirm them.
		#[pallet::constant]
		type MaxJump: Get<Permill>;

		/// How long, in milliseconds, a feeder's offchain worker waits for its sources in a
		/// round: every request is sent at once and whatever has not answered by then is
		/// dropped, so a slow source costs its own answer only. Must leave the submission time
		/// to reach the next block's author.
		#[pallet::constant]
		type FetchTimeout: Get<u64>;

		/// The transaction-pool priority of price submissions.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Who lists assets, sets the quorum and emergency prices and freezes and unfreezes prices
		/// (full governance; `docs/GOVERNANCE.md` says who holds it).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who may, at once, freeze an asset's price (the risk council); unfreezing it, like every
		/// other change, is governance's.
		type RiskOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The chain's clock (pallet-timestamp).
		type Time: UnixTime;

		/// Whether open positions are valued at an asset's price: such an asset cannot be
		/// removed.
		type PricedPositions: lever_primitives::PricedPositions;

		/// Benchmarked weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The feeders: the `orcl` keys of the validators in office, sorted, set at each session
	/// that changes them.
	#[pallet::storage]
	pub type Feeders<T: Config> = StorageValue<_, BoundedVec<FeederId, T::MaxFeeders>, ValueQuery>;

	/// The assets the oracle prices, sorted.
	#[pallet::storage]
	pub type Assets<T: Config> = StorageValue<_, BoundedVec<AssetId, T::MaxAssets>, ValueQuery>;

	/// Fresh submissions needed in a round before an asset's price is set (the quorum); set at
	/// genesis and by governance, between 1 and `MaxFeeders`, and never above the feeders in
	/// office when set (the validator set keeps at least this many validators).
	#[pallet::storage]
	pub type MinFeeders<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The last round each feeder submitted for: a feeder submits at most once per round.
	#[pallet::storage]
	pub type LastRound<T: Config> = StorageMap<_, Twox64Concat, FeederId, RoundIndex>;

	/// Each feeder's latest submission per asset.
	#[pallet::storage]
	pub type Submissions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, AssetId, Twox64Concat, FeederId, Submission>;

	/// Each asset's price, held aggregate and freeze ([`PriceFeed`]; check the price's age:
	/// [`PriceProvider::price`] does). Absent for an asset the oracle knows nothing of.
	#[pallet::storage]
	pub type PriceFeeds<T: Config> = StorageMap<_, Twox64Concat, AssetId, PriceFeed>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The initially priced assets.
		pub assets: Vec<AssetId>,
		/// The initial quorum.
		pub min_feeders: u32,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		/// No assets, and a quorum of one.
		fn default() -> Self {
			Self { assets: Vec::new(), min_feeders: 1, _config: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		/// The feeders come from pallet-session's genesis, built before this pallet's.
		fn build(&self) {
			let assets = sorted_unique(self.assets.clone());
			assert!(assets.len() == self.assets.len(), "genesis assets must be unique");
			let assets = BoundedVec::<_, T::MaxAssets>::try_from(assets);
			assert!(assets.is_ok(), "genesis assets must fit MaxAssets");
			let feeders = Feeders::<T>::get();
			assert!(
				(1..=T::MaxFeeders::get()).contains(&self.min_feeders),
				"genesis min_feeders must be between 1 and MaxFeeders"
			);
			assert!(
				feeders.is_empty() || quorum_within(self.min_feeders, feeders.len()),
				"genesis min_feeders must not exceed the number of feeders"
			);
			MinFeeders::<T>::put(self.min_feeders);
			Assets::<T>::put(assets.unwrap_or_default());
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A session changed the feeders (the validators in office); leaving feeders'
		/// submissions are gone.
		FeedersSet { feeders: u32 },
		/// Fewer feeders are in office than the quorum: no price can be set, and prices go
		/// stale, until governance lowers the quorum or validators with `orcl` keys take office.
		QuorumUnreachable { feeders: u32, quorum: u32 },
		/// An asset is now priced.
		AssetAdded { asset: AssetId },
		/// An asset is no longer priced; its price and submissions are gone.
		AssetRemoved { asset: AssetId },
		/// A feeder's prices for a round were accepted.
		PricesSubmitted { feeder: FeederId, round: RoundIndex, assets: u32 },
		/// An asset's price was set from the round's median.
		PriceUpdated { asset: AssetId, value: FixedU128, round: RoundIndex },
		/// The round's median jumped more than `MaxJump`: it is held until the next round.
		PriceJumpHeld { asset: AssetId, current: FixedU128, proposed: FixedU128, round: RoundIndex },
		/// Governance set a price by hand.
		EmergencyPriceSet { asset: AssetId, value: FixedU128 },
		/// Governance froze an asset's price.
		AssetFrozen { asset: AssetId },
		/// Governance unfroze an asset's price: it is fresh again only once feeds renew it.
		AssetUnfrozen { asset: AssetId },
		/// Governance changed the quorum.
		MinFeedersSet { min_feeders: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The key is not a feeder.
		NotFeeder,
		/// The asset is not priced by the oracle.
		UnknownAsset,
		/// The asset is priced already.
		AssetAlreadyListed,
		/// The oracle prices `MaxAssets` assets already.
		TooManyAssets,
		/// The submission is not for the current round.
		WrongRound,
		/// The feeder has submitted for this round already.
		AlreadySubmitted,
		/// The signature does not match the payload and feeder.
		BadSignature,
		/// The submission holds no prices.
		EmptySubmission,
		/// The submission prices an asset twice.
		DuplicateAsset,
		/// A price is zero or absurdly large.
		InvalidPrice,
		/// The asset's price is frozen by governance.
		AssetFrozen,
		/// The asset's price is not frozen.
		AssetNotFrozen,
		/// The quorum must be between 1 and `MaxFeeders`.
		InvalidQuorum,
		/// The quorum would exceed the number of feeders in office, and no price could be set:
		/// add validators first.
		QuorumAboveFeeders,
		/// Open positions are valued at this asset's price: wind its lending market, vault type
		/// and auctions down first (pause them and let the positions close), then remove it.
		AssetInUse,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_offchain_worker(now);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(
				T::FetchInterval::get() >= 2u32.into(),
				"FetchInterval must be at least two blocks: a submission made in a round's block is \
				 included in a later block of the same round"
			);
			assert!(T::MaxFeeders::get() > 0, "MaxFeeders must be at least one");
			assert!(T::MaxPriceAge::get() > 0, "MaxPriceAge must be positive");
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// A feeder's prices for the current round, submitted by its node's offchain worker.
		///
		/// Free and unsigned by an account: it is authorized by the feeder's `orcl` signature over
		/// the payload, checked with the round and the one-per-round rule before it enters the
		/// transaction pool.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_prices(payload.prices.len() as u32, T::MaxFeeders::get()))]
		#[pallet::authorize(Pallet::<T>::authorize_submit_prices)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_prices(payload.prices.len() as u32))]
		pub fn submit_prices(
			origin: OriginFor<T>,
			payload: PricesPayload<T::MaxAssets>,
			signature: FeederSignature,
		) -> DispatchResult {
			// `authorize_submit_prices` verified the signature before the call could dispatch.
			let _ = signature;
			ensure_authorized(origin)?;
			Self::do_submit_prices(payload)
		}

		/// Starts pricing an asset (governance).
		#[pallet::call_index(3)]
		pub fn add_asset(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_add_asset(asset)
		}

		/// Stops pricing an asset and forgets its price (governance). Refused with `AssetInUse`
		/// while open positions are valued at its price.
		#[pallet::call_index(4)]
		pub fn remove_asset(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove_asset(asset)
		}

		/// Sets an asset's price by hand, marked as an emergency price (governance). It ages like
		/// any price unless the asset is frozen; the next accepted aggregate replaces it.
		#[pallet::call_index(5)]
		pub fn set_emergency_price(
			origin: OriginFor<T>,
			asset: AssetId,
			value: FixedU128,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_emergency_price(asset, value)
		}

		/// Freezes an asset's price: feeds are refused and the price holds, fresh, until
		/// unfrozen (governance or the risk council).
		#[pallet::call_index(6)]
		pub fn freeze_asset(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			GovernanceTier::of::<_, T::GovernanceOrigin, T::RiskOrigin>(origin)?;
			Self::do_freeze_asset(asset)
		}

		/// Unfreezes an asset's price (governance).
		#[pallet::call_index(7)]
		pub fn unfreeze_asset(origin: OriginFor<T>, asset: AssetId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_unfreeze_asset(asset)
		}

		/// Sets the quorum: fresh submissions needed in a round to set a price (governance). At
		/// most the number of feeders (else `QuorumAboveFeeders`).
		#[pallet::call_index(8)]
		pub fn set_min_feeders(origin: OriginFor<T>, min_feeders: u32) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_min_feeders(min_feeders)
		}
	}

	/// `items` sorted with duplicates removed.
	pub(crate) fn sorted_unique<I: Ord>(mut items: Vec<I>) -> Vec<I> {
		items.sort();
		items.dedup();
		items
	}
}

/// Feeder keys are session keys: `author_rotateKeys` and `--alice`-style dev keys include one.
impl<T: Config> sp_runtime::BoundToRuntimeAppPublic for Pallet<T> {
	type Public = FeederId;
}
