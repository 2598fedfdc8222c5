//! A test runtime with the oracle, timestamps and a keystore holding the feeders' `orcl` keys.

use crate::{self as pallet_oracle, types::crypto, FeederId, PricesPayload, RoundIndex};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
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

impl pallet_oracle::Config for Test {
	type MaxFeeders = ConstU32<8>;
	type MaxAssets = ConstU32<4>;
	type FetchInterval = ConstU64<FETCH_INTERVAL>;
	type MaxPriceAge = ConstU64<MAX_PRICE_AGE>;
	type MaxJump = MaxJump;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type GovernanceOrigin = EnsureRoot<u64>;
	type Time = Timestamp;
	type WeightInfo = ();
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

/// Test externalities: `feeders` feeders (keys in the keystore), the four assets, block 1.
pub fn new_test_ext(feeders: usize) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_oracle::GenesisConfig::<Test> {
		feeders: (0..feeders).map(feeder).collect(),
		assets: ASSETS.to_vec(),
		min_feeders: 3,
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
	ext.execute_with(|| go_to_block(1));
	ext
}

/// sp-core's mocked HTTP answers every request with status 200; this wrapper answers the URIs in
/// `statuses` with the given status instead, so error answers can be tested too.
pub struct StatusOverride {
	inner: testing::TestOffchainExt,
	statuses: Vec<(String, u16)>,
}

impl sp_core::offchain::Externalities for StatusOverride {
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
		self.inner.http_request_start(method, uri, meta)
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
		let statuses = self.inner.http_response_wait(ids, deadline);
		let state = self.inner.0.read();
		ids.iter()
			.zip(statuses)
			.map(|(id, status)| {
				let uri = state.requests.get(id).map(|r| r.uri.clone());
				match self.statuses.iter().find(|(u, _)| Some(u) == uri.as_ref()) {
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
	new_offchain_test_ext_with_statuses(feeders, Vec::new())
}

/// [`new_offchain_test_ext`], with the given URIs answering the given HTTP statuses.
pub fn new_offchain_test_ext_with_statuses(
	feeders: usize,
	statuses: Vec<(String, u16)>,
) -> (
	sp_io::TestExternalities,
	Arc<parking_lot::RwLock<testing::OffchainState>>,
	Arc<parking_lot::RwLock<testing::PoolState>>,
) {
	let mut ext = new_test_ext(feeders);
	let (offchain, offchain_state) = testing::TestOffchainExt::new();
	let (pool, pool_state) = testing::TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(StatusOverride { inner: offchain, statuses }));
	ext.register_extension(TransactionPoolExt::new(pool));
	(ext, offchain_state, pool_state)
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
