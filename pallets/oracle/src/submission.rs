//! Feeders' submissions: one signed payload per feeder and round, authorized without a fee by its
//! signature (bound to this chain), and the round's median once a quorum has submitted.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::{
		DispatchResult, InvalidTransaction, TransactionLongevity, TransactionSource,
		TransactionValidityWithRefund, ValidTransaction,
	},
	traits::Get,
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	traits::{CheckedDiv, Zero},
	FixedU128, RuntimeAppPublic, SaturatedConversion,
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
			ensure!(!Self::feed(*asset).frozen, Error::<T>::AssetFrozen);
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

	/// Sets the asset's confirmed price to `value` now, from `round` and `source`, and lets go of
	/// any aggregate held against the old price (every way a price is set replaces it).
	pub(crate) fn set_price(
		asset: lever_primitives::AssetId,
		value: FixedU128,
		round: RoundIndex,
		source: PriceSource,
	) {
		let price = Price { value, updated_at: Clock::<T>::now_ms(), round, source };
		Self::update_feed(asset, |feed| {
			feed.price = Some(price);
			feed.held = None;
		});
		match source {
			PriceSource::Feeds => Self::deposit_event(Event::PriceUpdated { asset, value, round }),
			PriceSource::Emergency => {
				Self::deposit_event(Event::EmergencyPriceSet { asset, value })
			},
		}
	}
}
