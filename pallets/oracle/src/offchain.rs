//! The feeder's offchain worker: once per round, fetch every listed asset's price from the HTTP
//! sources configured on this node, take the median across sources, sign one payload with each
//! local feeder key and submit it to the transaction pool.
//!
//! Sources live in the node's persistent offchain storage under `lever/oracle/sources/<asset id>`
//! (set by `lever-node --price-source` or the `offchain_localStorageSet` RPC): UTF-8 text, one
//! source per line, `URL JSON-POINTER`, e.g. `http://127.0.0.1:8000/price/DOT /usd`.

use alloc::{format, string::ToString, vec::Vec};
use frame_support::{traits::Get, BoundedVec};
use frame_system::{
	offchain::{CreateAuthorizedTransaction, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use sp_runtime::{
	offchain::{
		http,
		storage::{MutateStorageError, StorageRetrievalError, StorageValueRef},
		Duration, StorageKind,
	},
	traits::{One, Saturating},
	FixedU128, RuntimeAppPublic,
};

use crate::{
	types::{is_sane_price, median, parse_decimal, parse_sources, PriceSource},
	AssetId, Assets, Call, Config, FeederId, Feeders, LastRound, Pallet, PricesPayload, RoundIndex,
	LOG_TARGET,
};

/// The prefix of the offchain storage keys holding each asset's sources.
pub const SOURCES_KEY_PREFIX: &str = "lever/oracle/sources/";
/// The offchain storage key recording the last round this node submitted for.
const LAST_SUBMITTED_ROUND_KEY: &[u8] = b"lever/oracle/last-submitted-round";
/// The largest answer read from a source; a price needs far less.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// Why a source's answer was dropped.
#[derive(Debug, PartialEq, Eq)]
pub enum FetchError {
	/// The request could not be sent, failed, or had not answered by the round's deadline.
	Http,
	/// The source answered with a status other than 200.
	Status(u16),
	/// The answer is not JSON.
	NotJson,
	/// The JSON has nothing at the pointer.
	MissingField,
	/// The value at the pointer is not a non-negative decimal number.
	NotANumber,
	/// The price is zero or absurdly large.
	Insane,
}

/// The offchain storage key of an asset's source list.
pub fn sources_key(asset: AssetId) -> Vec<u8> {
	format!("{SOURCES_KEY_PREFIX}{asset}").into_bytes()
}

impl<T: Config> Pallet<T> {
	/// Runs once per block on nodes with offchain workers; does the round's work on a node that
	/// holds a feeder key, once per round.
	pub(crate) fn run_offchain_worker(now: BlockNumberFor<T>) {
		// A submission is included at the earliest in the next block, which must be in this round.
		let position = now % T::FetchInterval::get();
		if position.saturating_add(One::one()) >= T::FetchInterval::get() {
			return;
		}
		let round = Self::round_of(now);
		let feeders = Feeders::<T>::get();
		let local_feeders: Vec<FeederId> = FeederId::all()
			.into_iter()
			.filter(|key| feeders.binary_search(key).is_ok())
			.filter(|key| LastRound::<T>::get(key).is_none_or(|last| last < round))
			.collect();
		if local_feeders.is_empty() {
			return;
		}
		let last_submitted = StorageValueRef::persistent(LAST_SUBMITTED_ROUND_KEY);
		if let Ok(Some(last)) = last_submitted.get::<RoundIndex>() {
			if last >= round {
				return;
			}
		}

		let prices = Self::fetch_prices();
		if prices.is_empty() {
			log::warn!(target: LOG_TARGET, "round {round}: no asset has a usable source, nothing submitted");
			return;
		}
		let Ok(prices) = BoundedVec::<_, T::MaxAssets>::try_from(prices) else {
			log::error!(target: LOG_TARGET, "round {round}: more prices than MaxAssets");
			return;
		};

		// Claim the round before submitting, so a slow block cannot make this node submit twice.
		let claimed =
			last_submitted.mutate(|last: Result<Option<RoundIndex>, StorageRetrievalError>| {
				match last {
					Ok(Some(last)) if last >= round => Err(()),
					_ => Ok(round),
				}
			});
		if let Err(MutateStorageError::ValueFunctionFailed(()))
		| Err(MutateStorageError::ConcurrentModification(_)) = claimed
		{
			return;
		}

		for feeder in local_feeders {
			let payload = PricesPayload::<T::MaxAssets> { feeder, round, prices: prices.clone() };
			Self::submit(payload);
		}
	}

	/// Signs a payload with its feeder's key and submits it to the transaction pool.
	fn submit(payload: PricesPayload<T::MaxAssets>) {
		let Some(signature) = payload.feeder.sign(&Self::signing_bytes(&payload)) else {
			log::error!(target: LOG_TARGET, "the feeder key vanished from the keystore");
			return;
		};
		let round = payload.round;
		let assets = payload.prices.len();
		let call = Call::<T>::submit_prices { payload, signature };
		let xt =
			<T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(call.into());
		match SubmitTransaction::<T, Call<T>>::submit_transaction(xt) {
			Ok(()) => log::info!(target: LOG_TARGET, "round {round}: submitted {assets} prices"),
			Err(()) => {
				log::warn!(target: LOG_TARGET, "round {round}: the pool refused the submission")
			},
		}
	}

	/// The median price across each listed, unfrozen asset's sources, for the assets with at
	/// least one good answer. Every request is sent before any is awaited, all under one deadline
	/// ([`Config::FetchTimeout`] from now): a slow or hanging source costs its own answer only.
	fn fetch_prices() -> Vec<(AssetId, FixedU128)> {
		let deadline =
			sp_io::offchain::timestamp().add(Duration::from_millis(T::FetchTimeout::get()));
		let mut sent = Vec::new();
		for asset in Assets::<T>::get().into_iter().filter(|asset| !Self::feed(*asset).frozen) {
			for source in Self::sources(asset) {
				match http::Request::get(&source.url).deadline(deadline).send() {
					Ok(request) => sent.push((asset, source, request)),
					Err(_) => {
						log::warn!(target: LOG_TARGET, "asset {asset}: dropped {}: {:?}", source.url, FetchError::Http)
					},
				}
			}
		}
		let (sources, requests): (Vec<_>, Vec<_>) = sent
			.into_iter()
			.map(|(asset, source, request)| ((asset, source), request))
			.unzip();
		let responses = http::PendingRequest::try_wait_all(requests, deadline);
		let mut answers = alloc::collections::BTreeMap::<AssetId, Vec<FixedU128>>::new();
		for ((asset, source), response) in sources.into_iter().zip(responses) {
			let answer = match response {
				Ok(Ok(response)) => Self::read_price(&source, response, deadline),
				Ok(Err(_)) | Err(_) => Err(FetchError::Http),
			};
			match answer {
				Ok(price) => answers.entry(asset).or_default().push(price),
				Err(error) => {
					log::warn!(target: LOG_TARGET, "asset {asset}: dropped {}: {error:?}", source.url)
				},
			}
		}
		answers
			.into_iter()
			.filter_map(|(asset, mut prices)| median(&mut prices).map(|price| (asset, price)))
			.collect()
	}

	/// An asset's sources, as configured on this node.
	fn sources(asset: AssetId) -> Vec<PriceSource> {
		// Raw UTF-8 text, not SCALE: operators write it with `offchain_localStorageSet`.
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &sources_key(asset))
			.map(|raw| parse_sources(&alloc::string::String::from_utf8_lossy(&raw)))
			.unwrap_or_default()
	}

	/// Reads a source's price from its answer, the body read by `deadline`.
	pub(crate) fn read_price(
		source: &PriceSource,
		response: http::Response,
		deadline: sp_runtime::offchain::Timestamp,
	) -> Result<FixedU128, FetchError> {
		if response.code != 200 {
			return Err(FetchError::Status(response.code));
		}
		let mut body = response.body();
		body.deadline(deadline);
		let bytes: Vec<u8> = body.by_ref().take(MAX_BODY_BYTES).collect();
		if body.error().is_some() {
			return Err(FetchError::Http);
		}
		let json: serde_json::Value =
			serde_json::from_slice(&bytes).map_err(|_| FetchError::NotJson)?;
		let text = match json.pointer(&source.pointer).ok_or(FetchError::MissingField)? {
			serde_json::Value::Number(number) => number.to_string(),
			serde_json::Value::String(text) => text.clone(),
			_ => return Err(FetchError::NotANumber),
		};
		let price = parse_decimal(&text).ok_or(FetchError::NotANumber)?;
		if !is_sane_price(price) {
			return Err(FetchError::Insane);
		}
		Ok(price)
	}
}
