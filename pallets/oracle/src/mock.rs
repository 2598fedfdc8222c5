//! A test runtime with the oracle, timestamps and a keystore holding the feeders' `orcl` keys.

use crate::{self as pallet_oracle, types::crypto, FeederId, PricesPayload, RoundIndex};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks, OneSessionHandler},
};
use frame_system::{
	offchain::{CreateAuthorizedTransaction, CreateTransaction, CreateTransactionBase},
	EnsureRoot,
};
use sp_core::{
	offchain::{testing, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt},
	sr25519, Pair as _,
};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{BoundedVec, BuildStorage, FixedU128, Permill};
use std::sync::Arc;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Oracle: pallet_oracle,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Milliseconds between blocks.
pub const BLOCK_TIME: u64 = 6_000;
/// Blocks per round.
pub const FETCH_INTERVAL: u64 = 10;
/// Milliseconds after which a price is stale: three rounds.
pub const MAX_PRICE_AGE: u64 = 3 * FETCH_INTERVAL * BLOCK_TIME;
/// How long the offchain worker waits for its sources, in milliseconds.
pub const FETCH_TIMEOUT: u64 = 3_000;
/// The time of block zero.
pub const GENESIS_TIME: u64 = 1_700_000_000_000;

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

parameter_types! {
	pub const MaxJump: Permill = Permill::from_percent(20);
}

/// The account seated as the risk council (`RiskOrigin`).
pub const RISK_COUNCIL: u64 = 77;

frame_support::ord_parameter_types! {
	pub const RiskCouncil: u64 = RISK_COUNCIL;
}

impl pallet_oracle::Config for Test {
	type MaxFeeders = ConstU32<8>;
	type MaxAssets = ConstU32<4>;
	type FetchInterval = ConstU64<FETCH_INTERVAL>;
	type MaxPriceAge = ConstU64<MAX_PRICE_AGE>;
	type MaxJump = MaxJump;
	type FetchTimeout = ConstU64<FETCH_TIMEOUT>;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type GovernanceOrigin = EnsureRoot<u64>;
	type RiskOrigin = frame_system::EnsureSignedBy<RiskCouncil, u64>;
	type Time = Timestamp;
	type PricedPositions = TestPricedPositions;
	type WeightInfo = ();
}

thread_local! {
	/// The assets the tests say open positions are priced in.
	pub static PRICED_IN: core::cell::RefCell<Vec<u32>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Open positions as the tests set them ([`PRICED_IN`]).
pub struct TestPricedPositions;

impl lever_primitives::PricedPositions for TestPricedPositions {
	fn priced_in(asset: u32) -> bool {
		PRICED_IN.with(|assets| assets.borrow().contains(&asset))
	}
}

/// Transactions the offchain worker submits: authorized calls, no signer.
pub type Extrinsic = sp_runtime::generic::UncheckedExtrinsic<
	u64,
	RuntimeCall,
	(),
	frame_system::AuthorizeCall<Test>,
>;

impl<C> CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = frame_system::AuthorizeCall<Test>;

	fn create_transaction(call: RuntimeCall, extension: Self::Extension) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> Self::Extension {
		frame_system::AuthorizeCall::new()
	}
}

/// DOT, BTC, ETH and USDC, as in the dev genesis.
pub const ASSETS: [u32; 4] = [1, 2, 3, 4];

/// The dev seed of feeder `i`.
pub fn feeder_seed(i: usize) -> String {
	format!("//Feeder{i}")
}

/// Feeder `i`'s public key (in the keystore of every test externalities).
pub fn feeder(i: usize) -> FeederId {
	sr25519::Pair::from_string(&feeder_seed(i), None)
		.map(|pair| FeederId::from(sp_core::Pair::public(&pair)))
		.expect("dev seeds are valid")
}

/// Test externalities: `feeders` feeders (keys in the keystore), a quorum of three (or all
/// feeders, if fewer), the four assets, block 1.
pub fn new_test_ext(feeders: usize) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_oracle::GenesisConfig::<Test> {
		assets: ASSETS.to_vec(),
		min_feeders: feeders.clamp(1, 3) as u32,
		_config: Default::default(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let keystore = MemoryKeystore::new();
	for i in 0..feeders {
		keystore
			.sr25519_generate_new(crypto::KEY_TYPE, Some(&feeder_seed(i)))
			.expect("the memory keystore stores keys");
	}
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt(Arc::new(keystore)));
	ext.execute_with(|| {
		let indices: Vec<usize> = (0..feeders).collect();
		<Oracle as OneSessionHandler<u64>>::on_genesis_session(
			session_keys(&indices).iter().map(|(who, key)| (who, key.clone())),
		);
		go_to_block(1);
	});
	ext
}

/// Validator `i`'s account and feeder key, for each index.
fn session_keys(indices: &[usize]) -> Vec<(u64, FeederId)> {
	indices.iter().map(|&i| (i as u64, feeder(i))).collect()
}

/// A new session with validators `indices` in office (and the same queued), their feeder keys
/// changed: what pallet-session tells the oracle.
pub fn new_session(indices: &[usize]) {
	let keys = session_keys(indices);
	let iter = || keys.iter().map(|(who, key)| (who, key.clone()));
	<Oracle as OneSessionHandler<u64>>::on_new_session(true, iter(), iter());
}

/// A new session in which neither validators nor keys changed (pallet-session then passes the
/// same set, `changed` false).
pub fn new_session_unchanged(indices: &[usize]) {
	let keys = session_keys(indices);
	let iter = || keys.iter().map(|(who, key)| (who, key.clone()));
	<Oracle as OneSessionHandler<u64>>::on_new_session(false, iter(), iter());
}

/// How the mocked HTTP sources answer: sp-core's mock answers every request at once with status
/// 200; here some URIs answer another status and some only after a delay (in milliseconds from
/// the request), which a wait whose deadline comes first does not see.
#[derive(Clone, Default)]
pub struct HttpBehaviour {
	/// URIs answering a status other than 200.
	pub statuses: Vec<(String, u16)>,
	/// URIs answering this many milliseconds after their request.
	pub delays: Vec<(String, u64)>,
}

/// What the offchain worker asked of the HTTP mock, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpCall {
	/// A request to this URI was started.
	Start(String),
	/// A wait for this many requests.
	Wait(usize),
}

/// sp-core's mocked HTTP with [`HttpBehaviour`], recording the calls ([`HttpCall`]).
pub struct MockedHttp {
	inner: testing::TestOffchainExt,
	behaviour: HttpBehaviour,
	started: Vec<(sp_core::offchain::HttpRequestId, u64)>,
	calls: Arc<parking_lot::RwLock<Vec<HttpCall>>>,
}

impl MockedHttp {
	fn delay_of(&self, uri: &str) -> Option<u64> {
		self.behaviour.delays.iter().find(|(u, _)| u == uri).map(|(_, delay)| *delay)
	}
}

impl sp_core::offchain::Externalities for MockedHttp {
	fn is_validator(&self) -> bool {
		self.inner.is_validator()
	}
	fn network_state(&self) -> Result<sp_core::offchain::OpaqueNetworkState, ()> {
		self.inner.network_state()
	}
	fn timestamp(&mut self) -> sp_core::offchain::Timestamp {
		self.inner.timestamp()
	}
	fn sleep_until(&mut self, deadline: sp_core::offchain::Timestamp) {
		self.inner.sleep_until(deadline)
	}
	fn random_seed(&mut self) -> [u8; 32] {
		self.inner.random_seed()
	}
	fn http_request_start(
		&mut self,
		method: &str,
		uri: &str,
		meta: &[u8],
	) -> Result<sp_core::offchain::HttpRequestId, ()> {
		self.calls.write().push(HttpCall::Start(uri.into()));
		let id = self.inner.http_request_start(method, uri, meta)?;
		let now = self.inner.timestamp().unix_millis();
		self.started.push((id, now));
		Ok(id)
	}
	fn http_request_add_header(
		&mut self,
		request_id: sp_core::offchain::HttpRequestId,
		name: &str,
		value: &str,
	) -> Result<(), ()> {
		self.inner.http_request_add_header(request_id, name, value)
	}
	fn http_request_write_body(
		&mut self,
		request_id: sp_core::offchain::HttpRequestId,
		chunk: &[u8],
		deadline: Option<sp_core::offchain::Timestamp>,
	) -> Result<(), sp_core::offchain::HttpError> {
		self.inner.http_request_write_body(request_id, chunk, deadline)
	}
	fn http_response_wait(
		&mut self,
		ids: &[sp_core::offchain::HttpRequestId],
		deadline: Option<sp_core::offchain::Timestamp>,
	) -> Vec<sp_core::offchain::HttpRequestStatus> {
		self.calls.write().push(HttpCall::Wait(ids.len()));
		// Each request's URI and whether it answers after the deadline (a delayed source not
		// answered by then is not asked of sp-core's mock).
		let requests: Vec<(Option<String>, bool)> = ids
			.iter()
			.map(|id| {
				let uri = self.inner.0.read().requests.get(id).map(|request| request.uri.clone());
				let started = self.started.iter().find(|(i, _)| i == id).map_or(0, |(_, at)| *at);
				let delay = uri.as_deref().and_then(|uri| self.delay_of(uri));
				let late = matches!((delay, deadline), (Some(delay), Some(deadline))
					if started.saturating_add(delay) > deadline.unix_millis());
				(uri, late)
			})
			.collect();
		let on_time: Vec<_> = ids
			.iter()
			.zip(&requests)
			.filter(|(_, (_, late))| !late)
			.map(|(id, _)| *id)
			.collect();
		let mut statuses = self.inner.http_response_wait(&on_time, deadline).into_iter();
		requests
			.into_iter()
			.map(|(uri, late)| {
				if late {
					return sp_core::offchain::HttpRequestStatus::DeadlineReached;
				}
				let status =
					statuses.next().unwrap_or(sp_core::offchain::HttpRequestStatus::Invalid);
				match self.behaviour.statuses.iter().find(|(u, _)| Some(u) == uri.as_ref()) {
					Some((_, code)) => sp_core::offchain::HttpRequestStatus::Finished(*code),
					None => status,
				}
			})
			.collect()
	}
	fn http_response_headers(
		&mut self,
		request_id: sp_core::offchain::HttpRequestId,
	) -> Vec<(Vec<u8>, Vec<u8>)> {
		self.inner.http_response_headers(request_id)
	}
	fn http_response_read_body(
		&mut self,
		request_id: sp_core::offchain::HttpRequestId,
		buffer: &mut [u8],
		deadline: Option<sp_core::offchain::Timestamp>,
	) -> Result<usize, sp_core::offchain::HttpError> {
		self.inner.http_response_read_body(request_id, buffer, deadline)
	}
	fn set_authorized_nodes(&mut self, nodes: Vec<sp_core::OpaquePeerId>, authorized_only: bool) {
		self.inner.set_authorized_nodes(nodes, authorized_only)
	}
}

/// Test externalities with the offchain worker's HTTP, storage and transaction pool mocked.
pub fn new_offchain_test_ext(
	feeders: usize,
) -> (
	sp_io::TestExternalities,
	Arc<parking_lot::RwLock<testing::OffchainState>>,
	Arc<parking_lot::RwLock<testing::PoolState>>,
) {
	let (ext, offchain, pool, _) = new_offchain_test_ext_with(feeders, HttpBehaviour::default());
	(ext, offchain, pool)
}

/// Test externalities with the offchain worker mocked, and the mocks' states: the HTTP sources,
/// the transaction pool and the record of the HTTP calls made.
pub type OffchainTest = (
	sp_io::TestExternalities,
	Arc<parking_lot::RwLock<testing::OffchainState>>,
	Arc<parking_lot::RwLock<testing::PoolState>>,
	Arc<parking_lot::RwLock<Vec<HttpCall>>>,
);

/// [`new_offchain_test_ext`] with the sources behaving as `behaviour` says, and the record of
/// what the offchain worker asked of them.
pub fn new_offchain_test_ext_with(feeders: usize, behaviour: HttpBehaviour) -> OffchainTest {
	let mut ext = new_test_ext(feeders);
	let (offchain, offchain_state) = testing::TestOffchainExt::new();
	let (pool, pool_state) = testing::TestTransactionPoolExt::new();
	let calls = Arc::new(parking_lot::RwLock::new(Vec::new()));
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(MockedHttp {
		inner: offchain,
		behaviour,
		started: Vec::new(),
		calls: calls.clone(),
	}));
	ext.register_extension(TransactionPoolExt::new(pool));
	(ext, offchain_state, pool_state, calls)
}

/// Moves to block `n` with the timestamp it would have, checking the invariants on the way.
pub fn go_to_block(n: u64) {
	System::set_block_number(n);
	Timestamp::set_timestamp(GENESIS_TIME + n * BLOCK_TIME);
	Oracle::do_try_state().expect("the oracle's invariants hold");
}

/// Moves to the first block of round `round`.
pub fn go_to_round(round: RoundIndex) {
	go_to_block(u64::from(round) * FETCH_INTERVAL);
}

/// Runs the offchain worker of the current block.
pub fn run_offchain_worker() {
	Oracle::offchain_worker(System::block_number());
}

/// A payload from feeder `i` for `round` with the given (asset, price) pairs.
pub fn payload(
	i: usize,
	round: RoundIndex,
	prices: &[(u32, FixedU128)],
) -> PricesPayload<ConstU32<4>> {
	PricesPayload { feeder: feeder(i), round, prices: BoundedVec::truncate_from(prices.to_vec()) }
}

/// The payload signed by its feeder's key (derived from the feeder's dev seed, so feeders whose
/// keys are not in the keystore can sign too).
pub fn sign(payload: &PricesPayload<ConstU32<4>>) -> crate::FeederSignature {
	let i = (0..64).find(|i| feeder(*i) == payload.feeder).expect("a dev feeder signed");
	let pair = sr25519::Pair::from_string(&feeder_seed(i), None).expect("dev seeds are valid");
	crate::FeederSignature::from(pair.sign(&Oracle::signing_bytes(payload)))
}
