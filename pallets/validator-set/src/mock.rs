//! A test runtime: balances, pallet-session with one test key per validator, and this pallet as
//! its session manager, with sessions of five blocks, two to eight validators, and 1, 2 and 3
//! validating from genesis.

use crate as pallet_validator_set;
use codec::Encode;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use frame_system::EnsureRoot;
use pallet_session::SessionHandler;
use sp_runtime::{
	impl_opaque_keys,
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	BuildStorage, KeyTypeId, RuntimeAppPublic,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ValidatorSet: pallet_validator_set,
		Session: pallet_session,
	}
);

impl_opaque_keys! {
	/// One test key per validator.
	pub struct MockKeys {
		pub dummy: UintAuthorityId,
	}
}

impl From<UintAuthorityId> for MockKeys {
	fn from(dummy: UintAuthorityId) -> Self {
		Self { dummy }
	}
}

parameter_types! {
	/// The validators whose keys the session handlers were last given, in order.
	pub static InOffice: Vec<u64> = Vec::new();
}

/// Records the validators in office.
pub struct RecordingHandler;

impl SessionHandler<u64> for RecordingHandler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[UintAuthorityId::ID];
	fn on_genesis_session<Ks: OpaqueKeys>(validators: &[(u64, Ks)]) {
		InOffice::set(validators.iter().map(|(who, _)| *who).collect());
	}
	fn on_new_session<Ks: OpaqueKeys>(
		_changed: bool,
		validators: &[(u64, Ks)],
		_queued: &[(u64, Ks)],
	) {
		InOffice::set(validators.iter().map(|(who, _)| *who).collect());
	}
	fn on_disabled(_validator_index: u32) {}
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// The deposit pallet-session holds for registered keys.
pub const KEY_DEPOSIT: u64 = 10;

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = u64;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_validator_set::NeverEndsSession;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionLength, ConstU64<0>>;
	type SessionManager = ValidatorSet;
	type SessionHandler = RecordingHandler;
	type Keys = MockKeys;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<KEY_DEPOSIT>;
}

parameter_types! {
	pub const SessionLength: u64 = 5;
}

impl pallet_validator_set::Config for Test {
	type MaxValidators = ConstU32<8>;
	type MinValidators = ConstU32<2>;
	type SessionLength = SessionLength;
	type ManagerOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Helper;
}

/// Account `seed + 100`, funded, with test key `seed + 100`.
#[cfg(feature = "runtime-benchmarks")]
pub struct Helper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, MockKeys> for Helper {
	fn account_with_keys(seed: u32) -> (u64, MockKeys, Vec<u8>) {
		let who = u64::from(seed) + 100;
		let _ = Balances::force_set_balance(RuntimeOrigin::root(), who, 1_000);
		(who, UintAuthorityId(who).into(), proof(who, who))
	}
}

/// The proof that `who` owns test key `key`.
fn proof(who: u64, key: u64) -> Vec<u8> {
	UintAuthorityId(key)
		.sign(&who.encode())
		.map(|sig| sig.encode())
		.unwrap_or_default()
}

/// Registers test key `key` for `who` through `session.setKeys`, with a valid ownership proof.
pub fn set_keys(who: u64, key: u64) -> sp_runtime::DispatchResult {
	Session::set_keys(RuntimeOrigin::signed(who), UintAuthorityId(key).into(), proof(who, key))
}

/// The genesis validators.
pub const GENESIS: [u64; 3] = [1, 2, 3];

/// Accounts 1 to 20 funded; 1, 2 and 3 validating with keys 1, 2 and 3; at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=20).map(|who| (who, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_validator_set::GenesisConfig::<Test> { validators: GENESIS.to_vec() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_session::GenesisConfig::<Test> {
		keys: GENESIS.iter().map(|&who| (who, who, UintAuthorityId(who).into())).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to and including `n`, each with the pallets' `on_initialize`, and checks the
/// invariants after each.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ValidatorSet::on_initialize(next);
		Session::on_initialize(next);
		ValidatorSet::do_try_state().unwrap();
	}
}

/// Runs to the `count`-th session boundary from now.
pub fn run_sessions(count: u64) {
	let length = SessionLength::get();
	let now = System::block_number();
	run_to((now / length + count) * length);
}
