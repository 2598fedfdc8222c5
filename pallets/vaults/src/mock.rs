//! A test runtime with real balances, assets and timestamps, lvUSD, two collateral types and a
//! price feed the tests set by hand (fresh, stale or missing per asset). lvUSD's peg stability
//! module (pallet-psm, which needs 32-byte accounts) is tested with the runtime
//! (`runtime/tests/peg.rs`).

use crate::{self as pallet_vaults, CollateralParams};
use frame_support::{
	derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU64, Hooks},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use lever_primitives::{AssetId, Balance};
use sp_runtime::{BuildStorage, FixedU128, Permill};
use std::{cell::RefCell, collections::BTreeMap};

/// Milliseconds over which a raised liquidation ratio moves in: one day.
pub const RAMP_PERIOD: u64 = 86_400_000;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Vaults: pallet_vaults,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<u64>>;
	type ForceOrigin = EnsureRoot<u64>;
	type Freezer = ();
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

/// The time of block one.
pub const GENESIS_TIME: u64 = 1_700_000_000_000;

/// Users.
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;

/// Polkadot: 10 decimals, $7.50.
pub const DOT: TestAsset =
	TestAsset { id: 1, symbol: "DOT", decimals: 10, min_balance: 1_000_000, price_cents: 750 };
/// Ether: 18 decimals, $3500.
pub const ETH: TestAsset = TestAsset {
	id: 3,
	symbol: "ETH",
	decimals: 18,
	min_balance: 1_000_000_000_000,
	price_cents: 350_000,
};
/// An asset with no collateral type.
pub const BTC: TestAsset =
	TestAsset { id: 4, symbol: "BTC", decimals: 8, min_balance: 100, price_cents: 6_000_000 };
/// The stablecoin: 12 decimals, counted at $1.
pub const LVUSD: TestAsset =
	TestAsset { id: 100, symbol: "lvUSD", decimals: 12, min_balance: 1_000_000, price_cents: 100 };
/// Every test asset.
pub const ASSETS: [TestAsset; 4] = [DOT, ETH, BTC, LVUSD];
/// Whole tokens of every collateral asset each user starts with.
pub const STARTING_TOKENS: u128 = 1_000_000;

parameter_types! {
	pub const VaultsPalletId: PalletId = PalletId(*b"lvr/vlts");
	pub const StableAsset: AssetId = LVUSD.id;
	/// At most 20% a year.
	pub MaxSavingsRate: FixedU128 = FixedU128::from_rational(20, 100);
	/// A saver keeps at least one lvUSD in the pot.
	pub const MinSavings: Balance = 1_000_000_000_000;
}

thread_local! {
	/// The last change reported for each vault: (collateral, normalized debt).
	pub static REPORTED: RefCell<BTreeMap<(AssetId, u64), (Balance, Balance)>> =
		const { RefCell::new(BTreeMap::new()) };
}

pub use lever_test_support::{
	forget_price, hold_price, make_stale, set_price, TestAsset, RISK_COUNCIL,
};

/// A price feed the tests control (fresh, stale or missing per asset), dated by the mock's clock.
pub type TestPrices = lever_test_support::TestPrices<Timestamp>;

/// Records what the pallet reports, as the liquidation engine's index would.
pub struct RecordVaultChanges;

impl lever_primitives::OnVaultChanged<u64> for RecordVaultChanges {
	fn on_vault_changed(asset: AssetId, owner: &u64, collateral: Balance, normalized: Balance) {
		REPORTED.with(|reported| {
			reported.borrow_mut().insert((asset, *owner), (collateral, normalized))
		});
	}
}

/// Creates assets and prices for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl lever_primitives::BenchmarkHelper for TestBenchmarkHelper {
	fn create_asset(asset: AssetId, decimals: u8) {
		use frame_support::assert_ok;
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), asset, ALICE, true, 1));
		assert_ok!(Assets::force_set_metadata(
			RuntimeOrigin::root(),
			asset,
			b"Bench".to_vec(),
			b"BNC".to_vec(),
			decimals,
			false
		));
	}

	fn set_price(asset: AssetId, value: FixedU128) {
		lever_test_support::set_price_of(asset, value);
	}

	fn set_time(now: lever_primitives::Moment) {
		pallet_timestamp::Now::<Test>::put(now);
	}
}

impl pallet_vaults::Config for Test {
	type Assets = Assets;
	type StableAsset = StableAsset;
	type Prices = TestPrices;
	type Time = Timestamp;
	type PalletId = VaultsPalletId;
	type GovernanceOrigin = EnsureRoot<u64>;
	type RiskOrigin = frame_system::EnsureSignedBy<lever_test_support::RiskCouncil, u64>;
	type ShutdownOrigin = frame_support::traits::EitherOfDiverse<
		EnsureRoot<u64>,
		frame_system::EnsureSignedBy<lever_test_support::RiskCouncil, u64>,
	>;
	type MaxCollateralTypes = ConstU32<3>;
	type RatioRampPeriod = ConstU64<RAMP_PERIOD>;
	type OnVaultChanged = RecordVaultChanges;
	type Auctions = ();
	type PegStability = ();
	type MaxSavingsRate = MaxSavingsRate;
	type MinSavings = MinSavings;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// 150% liquidation ratio, 5% a year, a 1,000,000 lvUSD ceiling, 100 lvUSD minimum debt, a
/// 13% penalty, partial liquidation to 160% and whole below 120%.
pub fn params() -> CollateralParams {
	CollateralParams {
		liquidation_ratio: FixedU128::from_rational(150, 100),
		stability_fee: FixedU128::from_rational(5, 100),
		debt_ceiling: LVUSD.units(1_000_000),
		min_debt: LVUSD.units(100),
		liquidation_penalty: Permill::from_percent(13),
		target_ratio: FixedU128::from_rational(160, 100),
		whole_liquidation_ratio: FixedU128::from_rational(120, 100),
	}
}

/// Genesis: every user holds `STARTING_TOKENS` of DOT, ETH and BTC and no lvUSD; DOT and ETH are
/// collateral types with [`params`]; a 1,500,000 lvUSD global ceiling; fresh prices.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let users = [ALICE, BOB, CHARLIE];
	pallet_balances::GenesisConfig::<Test> {
		balances: users.iter().map(|who| (*who, 1_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let collateral = [DOT, ETH, BTC];
	pallet_assets::GenesisConfig::<Test> {
		assets: ASSETS.iter().map(|asset| (asset.id, ALICE, true, asset.min_balance)).collect(),
		metadata: ASSETS
			.iter()
			.map(|asset| {
				let symbol = asset.symbol.as_bytes().to_vec();
				(asset.id, symbol.clone(), symbol, asset.decimals)
			})
			.collect(),
		accounts: collateral
			.iter()
			.flat_map(|asset| {
				users.iter().map(|who| (asset.id, *who, asset.units(STARTING_TOKENS)))
			})
			.collect(),
		next_asset_id: None,
		reserves: Vec::new(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_vaults::GenesisConfig::<Test> {
		collateral_types: vec![(DOT.id, params()), (ETH.id, params())],
		global_debt_ceiling: LVUSD.units(1_500_000),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		lever_test_support::reset_prices(&ASSETS);
		REPORTED.with(|reported| reported.borrow_mut().clear());
		System::set_block_number(1);
		Timestamp::set_timestamp(GENESIS_TIME);
	});
	ext
}

/// Runs a test in the genesis state and checks the invariants at its end.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		check_invariants();
	});
}

/// The pallet's invariants hold.
pub fn check_invariants() {
	Vaults::do_try_state().expect("vault invariants hold");
}

/// Ends the block (checking the invariants) and starts the next `seconds` later.
pub fn advance(seconds: u64) {
	check_invariants();
	Vaults::on_finalize(System::block_number());
	System::set_block_number(System::block_number() + 1);
	Timestamp::set_timestamp(Timestamp::get() + seconds * 1_000);
}
