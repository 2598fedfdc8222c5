//! The oracle's logic behind the dispatchables: submission checks, aggregation with the circuit
//! breaker, price reads with staleness, governance, and the invariants.

use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::{
		DispatchResult, InvalidTransaction, TransactionLongevity, TransactionSource,
		TransactionValidityWithRefund, ValidTransaction,
	},
	traits::{Get, UnixTime},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedDiv, Saturating, Zero},
	FixedU128, RuntimeAppPublic, SaturatedConversion,
};

use lever_primitives::PricedPositions;

use crate::{
	types::{is_sane_price, median, quorum_within, PendingPrice, PriceInfo, Submission},
	Assets, Config, Error, Event, FeederId, FeederSignature, Feeders, Frozen, LastRound,
	MinFeeders, Moment, Pallet, Pending, Price, PriceError, PriceSource, Prices, PricesPayload,
	RiskPrices, RoundIndex, Submissions,
};

impl<T: Config> Pallet<T> {
	/// The round of block `n`.
	pub fn round_of(n: BlockNumberFor<T>) -> RoundIndex {
		n.checked_div(&T::FetchInterval::get()).unwrap_or_default().saturated_into()
	}

	/// The current round.
	pub fn current_round() -> RoundIndex {
		Self::round_of(frame_system::Pallet::<T>::block_number())
	}

	/// The chain's time in milliseconds since the Unix epoch.
	pub fn now() -> Moment {
		T::Time::now().as_millis().saturated_into()
	}

	/// The hash of this chain's genesis block, as `CheckGenesis` reads it: what binds feeders'
	/// signatures to this chain.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// The bytes a feeder signs for `payload` on this chain
	/// ([`PricesPayload::signing_bytes`] with [`Pallet::genesis_hash`]).
	pub fn signing_bytes(payload: &PricesPayload<T::MaxAssets>) -> Vec<u8> {
		payload.signing_bytes(Self::genesis_hash().as_ref())
	}

	/// Whether `who` is a feeder.
	pub fn is_feeder(who: &FeederId) -> bool {
		Feeders::<T>::get().binary_search(who).is_ok()
	}

	/// Checks a submission against the chain's state: everything but the signature.
	pub(crate) fn check_submission(payload: &PricesPayload<T::MaxAssets>) -> Result<(), Error<T>> {
		ensure!(Self::is_feeder(&payload.feeder), Error::<T>::NotFeeder);
		ensure!(payload.round == Self::current_round(), Error::<T>::WrongRound);
		ensure!(
			LastRound::<T>::get(&payload.feeder).is_none_or(|last| last < payload.round),
			Error::<T>::AlreadySubmitted
		);
		ensure!(!payload.prices.is_empty(), Error::<T>::EmptySubmission);
		let listed = Assets::<T>::get();
		for (asset, value) in payload.prices.iter() {
			ensure!(listed.binary_search(asset).is_ok(), Error::<T>::UnknownAsset);
			ensure!(!Frozen::<T>::contains_key(asset), Error::<T>::AssetFrozen);
			ensure!(is_sane_price(*value), Error::<T>::InvalidPrice);
		}
		let mut assets: Vec<_> = payload.prices.iter().map(|(asset, _)| *asset).collect();
		assets.sort_unstable();
		let unique = assets.len();
		assets.dedup();
		ensure!(assets.len() == unique, Error::<T>::DuplicateAsset);
		Ok(())
	}

	/// Transaction-pool (and block) validation of `submit_prices`: a current feeder's valid
	/// signature over a payload for the current round, at most one per feeder and round.
	pub(crate) fn authorize_submit_prices(
		_source: TransactionSource,
		payload: &PricesPayload<T::MaxAssets>,
		signature: &FeederSignature,
	) -> TransactionValidityWithRefund {
		Self::check_submission(payload).map_err(|error| match error {
			Error::<T>::NotFeeder => InvalidTransaction::BadSigner,
			Error::<T>::WrongRound if payload.round > Self::current_round() => {
				InvalidTransaction::Future
			},
			Error::<T>::WrongRound | Error::<T>::AlreadySubmitted => InvalidTransaction::Stale,
			_ => InvalidTransaction::Call,
		})?;
		ensure!(
			payload.feeder.verify(&Self::signing_bytes(payload), signature),
			InvalidTransaction::BadProof
		);
		let interval: TransactionLongevity = T::FetchInterval::get().saturated_into();
		let now: TransactionLongevity = frame_system::Pallet::<T>::block_number().saturated_into();
		let round_end = TransactionLongevity::from(payload.round)
			.saturating_add(1)
			.saturating_mul(interval);
		let validity = ValidTransaction::with_tag_prefix("LeverOracle")
			.priority(T::UnsignedPriority::get())
			.and_provides((payload.feeder.clone(), payload.round))
			.longevity(round_end.saturating_sub(now).max(1))
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}

	/// Records a feeder's prices and re-aggregates every asset it priced.
	pub(crate) fn do_submit_prices(payload: PricesPayload<T::MaxAssets>) -> DispatchResult {
		Self::check_submission(&payload)?;
		let PricesPayload { feeder, round, prices } = payload;
		LastRound::<T>::insert(&feeder, round);
		let count = prices.len() as u32;
		let quorum = MinFeeders::<T>::get();
		for (asset, value) in prices {
			Submissions::<T>::insert(asset, &feeder, Submission { value, round });
			Self::aggregate(asset, round, quorum);
		}
		Self::deposit_event(Event::PricesSubmitted { feeder, round, assets: count });
		Ok(())
	}

	/// Sets the asset's price to the median of this round's submissions once there is a quorum.
	fn aggregate(asset: lever_primitives::AssetId, round: RoundIndex, quorum: u32) {
		let mut values: Vec<FixedU128> = Submissions::<T>::iter_prefix_values(asset)
			.filter(|submission| submission.round == round)
			.map(|submission| submission.value)
			.collect();
		if (values.len() as u32) < quorum {
			return;
		}
		if let Some(value) = median(&mut values) {
			Self::apply_aggregate(asset, value, round);
		}
	}

	/// Whether `value` is within `MaxJump` of `reference`.
	pub(crate) fn within_jump(reference: FixedU128, value: FixedU128) -> bool {
		let difference = reference.max(value).saturating_sub(reference.min(value));
		let limit = reference.saturating_mul(FixedU128::from(T::MaxJump::get()));
		difference <= limit
	}

	/// Applies a round's aggregate through the circuit breaker: a jump beyond `MaxJump` from the
	/// current price is held, and applied when the aggregate of a later round, within
	/// `MaxPriceAge` of the hold, agrees with it (within `MaxJump`), however many rounds without
	/// a quorum came between. A held price too old to confirm is replaced by the new aggregate.
	fn apply_aggregate(asset: lever_primitives::AssetId, value: FixedU128, round: RoundIndex) {
		let current = match Prices::<T>::get(asset) {
			Some(current) if !Self::within_jump(current.value, value) => current,
			_ => {
				Pending::<T>::remove(asset);
				return Self::set_price(asset, value, round, PriceSource::Feeds);
			},
		};
		let now = Self::now();
		match Pending::<T>::get(asset) {
			Some(held)
				if held.confirmable_by(round, now, T::MaxPriceAge::get())
					&& Self::within_jump(held.value, value) =>
			{
				Pending::<T>::remove(asset);
				Self::set_price(asset, value, round, PriceSource::Feeds);
			},
			Some(held) if held.round == round => {
				Pending::<T>::insert(asset, PendingPrice { value, ..held });
			},
			_ => {
				Pending::<T>::insert(asset, PendingPrice { value, round, held_at: now });
				Self::deposit_event(Event::PriceJumpHeld {
					asset,
					current: current.value,
					proposed: value,
					round,
				});
			},
		}
	}

	fn set_price(
		asset: lever_primitives::AssetId,
		value: FixedU128,
		round: RoundIndex,
		source: PriceSource,
	) {
		Prices::<T>::insert(asset, Price { value, updated_at: Self::now(), round, source });
		match source {
			PriceSource::Feeds => Self::deposit_event(Event::PriceUpdated { asset, value, round }),
			PriceSource::Emergency => {
				Self::deposit_event(Event::EmergencyPriceSet { asset, value })
			},
		}
	}

	/// The asset's price if it is fresh (or frozen by governance), else why not.
	pub fn fresh_price(asset: lever_primitives::AssetId) -> Result<Price, PriceError> {
		let price = Prices::<T>::get(asset).ok_or(PriceError::Unknown)?;
		if Frozen::<T>::contains_key(asset) {
			return Ok(price);
		}
		let age = Self::now().saturating_sub(price.updated_at);
		ensure!(age <= T::MaxPriceAge::get(), PriceError::Stale);
		Ok(price)
	}

	/// The asset's prices for an action that adds risk: against a held jump, collateral at the
	/// lower and debt at the higher of the fresh price and the held one; the fresh price on both
	/// sides when nothing is held or governance froze the asset (its price is then governance's).
	/// Fails as [`Pallet::fresh_price`] does: a held jump never makes a stale price usable.
	pub fn fresh_risk_prices(asset: lever_primitives::AssetId) -> Result<RiskPrices, PriceError> {
		let price = Self::fresh_price(asset)?;
		Ok(match Pending::<T>::get(asset) {
			Some(held) if !Frozen::<T>::contains_key(asset) => {
				RiskPrices::held(price.value, held.value)
			},
			_ => RiskPrices::at(price.value),
		})
	}

	/// Every priced asset's price, age, freshness, freeze, held aggregate and the prices that
	/// actions adding risk use now.
	pub fn price_infos() -> Vec<PriceInfo> {
		let now = Self::now();
		Assets::<T>::get()
			.into_iter()
			.map(|asset| {
				let price = Prices::<T>::get(asset);
				PriceInfo {
					asset,
					price,
					age_ms: price.map(|p| now.saturating_sub(p.updated_at)),
					fresh: Self::fresh_price(asset).is_ok(),
					frozen: Frozen::<T>::contains_key(asset),
					pending: Pending::<T>::get(asset),
					risk: Self::fresh_risk_prices(asset).ok(),
				}
			})
			.collect()
	}

	pub(crate) fn do_add_feeder(feeder: FeederId) -> DispatchResult {
		Feeders::<T>::try_mutate(|feeders| match feeders.binary_search(&feeder) {
			Ok(_) => Err(Error::<T>::AlreadyFeeder),
			Err(at) => {
				feeders.try_insert(at, feeder.clone()).map_err(|_| Error::<T>::TooManyFeeders)
			},
		})?;
		Self::deposit_event(Event::FeederAdded { feeder });
		Ok(())
	}

	pub(crate) fn do_remove_feeder(feeder: FeederId) -> DispatchResult {
		Feeders::<T>::try_mutate(|feeders| {
			let at = feeders.binary_search(&feeder).map_err(|_| Error::<T>::NotFeeder)?;
			ensure!(
				quorum_within(MinFeeders::<T>::get(), feeders.len().saturating_sub(1)),
				Error::<T>::QuorumAboveFeeders
			);
			feeders.remove(at);
			Ok::<_, Error<T>>(())
		})?;
		LastRound::<T>::remove(&feeder);
		for asset in Assets::<T>::get() {
			Submissions::<T>::remove(asset, &feeder);
		}
		Self::deposit_event(Event::FeederRemoved { feeder });
		Ok(())
	}

	pub(crate) fn do_add_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		Assets::<T>::try_mutate(|assets| match assets.binary_search(&asset) {
			Ok(_) => Err(Error::<T>::AssetAlreadyListed),
			Err(at) => assets.try_insert(at, asset).map_err(|_| Error::<T>::TooManyAssets),
		})?;
		Self::deposit_event(Event::AssetAdded { asset });
		Ok(())
	}

	pub(crate) fn do_remove_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		ensure!(!T::PricedPositions::priced_in(asset), Error::<T>::AssetInUse);
		Assets::<T>::try_mutate(|assets| {
			let at = assets.binary_search(&asset).map_err(|_| Error::<T>::UnknownAsset)?;
			assets.remove(at);
			Ok::<_, Error<T>>(())
		})?;
		Prices::<T>::remove(asset);
		Pending::<T>::remove(asset);
		Frozen::<T>::remove(asset);
		// At most one submission per feeder, and there are at most `MaxFeeders` of them.
		let _ = Submissions::<T>::clear_prefix(asset, T::MaxFeeders::get(), None);
		Self::deposit_event(Event::AssetRemoved { asset });
		Ok(())
	}

	fn ensure_listed(asset: lever_primitives::AssetId) -> DispatchResult {
		ensure!(Assets::<T>::get().binary_search(&asset).is_ok(), Error::<T>::UnknownAsset);
		Ok(())
	}

	pub(crate) fn do_set_emergency_price(
		asset: lever_primitives::AssetId,
		value: FixedU128,
	) -> DispatchResult {
		Self::ensure_listed(asset)?;
		ensure!(is_sane_price(value), Error::<T>::InvalidPrice);
		Pending::<T>::remove(asset);
		Self::set_price(asset, value, Self::current_round(), PriceSource::Emergency);
		Ok(())
	}

	pub(crate) fn do_freeze_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		Self::ensure_listed(asset)?;
		ensure!(!Frozen::<T>::contains_key(asset), Error::<T>::AssetFrozen);
		Frozen::<T>::insert(asset, ());
		Self::deposit_event(Event::AssetFrozen { asset });
		Ok(())
	}

	pub(crate) fn do_unfreeze_asset(asset: lever_primitives::AssetId) -> DispatchResult {
		ensure!(Frozen::<T>::take(asset).is_some(), Error::<T>::AssetNotFrozen);
		Self::deposit_event(Event::AssetUnfrozen { asset });
		Ok(())
	}

	pub(crate) fn do_set_min_feeders(min_feeders: u32) -> DispatchResult {
		ensure!((1..=T::MaxFeeders::get()).contains(&min_feeders), Error::<T>::InvalidQuorum);
		ensure!(
			quorum_within(min_feeders, Feeders::<T>::get().len()),
			Error::<T>::QuorumAboveFeeders
		);
		MinFeeders::<T>::put(min_feeders);
		Self::deposit_event(Event::MinFeedersSet { min_feeders });
		Ok(())
	}

	/// The oracle's invariants, checked after every test block, by the runtime's tests (std) and
	/// by try-runtime.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let feeders = Feeders::<T>::get();
		let assets = Assets::<T>::get();
		ensure!(feeders.windows(2).all(|w| matches!(w, [a, b] if a < b)), "feeders sorted, unique");
		ensure!(assets.windows(2).all(|w| matches!(w, [a, b] if a < b)), "assets sorted, unique");
		let listed = |asset: &lever_primitives::AssetId| assets.binary_search(asset).is_ok();
		let round = Self::current_round();
		ensure!(
			(1..=T::MaxFeeders::get()).contains(&MinFeeders::<T>::get()),
			"the quorum is between 1 and MaxFeeders"
		);
		ensure!(
			feeders.is_empty() || quorum_within(MinFeeders::<T>::get(), feeders.len()),
			"the quorum is at most the number of feeders"
		);
		for (asset, feeder, submission) in Submissions::<T>::iter() {
			ensure!(listed(&asset), "submissions only for listed assets");
			ensure!(feeders.binary_search(&feeder).is_ok(), "submissions only from feeders");
			ensure!(is_sane_price(submission.value), "submitted prices are sane");
			ensure!(submission.round <= round, "no submission from the future");
		}
		for feeder in LastRound::<T>::iter_keys() {
			ensure!(feeders.binary_search(&feeder).is_ok(), "last rounds only for feeders");
		}
		for (asset, price) in Prices::<T>::iter() {
			ensure!(listed(&asset), "prices only for listed assets");
			ensure!(is_sane_price(price.value), "prices are sane");
			ensure!(price.round <= round, "no price from the future");
		}
		for (asset, held) in Pending::<T>::iter() {
			ensure!(listed(&asset), "held prices only for listed assets");
			ensure!(is_sane_price(held.value), "held prices are sane");
			ensure!(Prices::<T>::contains_key(asset), "a price is held only against a price");
		}
		for asset in Frozen::<T>::iter_keys() {
			ensure!(listed(&asset), "only listed assets are frozen");
		}
		Ok(())
	}
}
