//! A test runtime with real balances, assets and timestamps, four markets and a price feed the
//! tests set by hand (fresh, stale or missing per asset).

use crate::{self as pallet_lending, InterestRateModel, MarketParams};
use frame_support::{
	derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU64, Hooks},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use lever_primitives::Balance;
use sp_runtime::{BuildStorage, Permill};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Lending: pallet_lending,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
	/// Real database weights, so that the multi-block migration's steps are bounded in tests.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
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
/// Milliseconds over which a lowered liquidation threshold ramps in: one day.
pub const RAMP_PERIOD: u64 = 86_400_000;

/// Users.
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;
/// Where reserves go.
pub const TREASURY: u64 = 99;

/// Polkadot: 10 decimals, $7.50.
pub const DOT: TestAsset =
	TestAsset { id: 1, symbol: "DOT", decimals: 10, min_balance: 1_000_000, price_cents: 750 };
/// USD Coin: 6 decimals, $1.
pub const USDC: TestAsset =
	TestAsset { id: 2, symbol: "USDC", decimals: 6, min_balance: 1_000, price_cents: 100 };
/// Ether: 18 decimals, $3500.
pub const ETH: TestAsset = TestAsset {
	id: 3,
	symbol: "ETH",
	decimals: 18,
	min_balance: 1_000_000_000_000,
	price_cents: 350_000,
};
/// Bitcoin: 8 decimals, $60000.
pub const BTC: TestAsset =
	TestAsset { id: 4, symbol: "BTC", decimals: 8, min_balance: 100, price_cents: 6_000_000 };
/// An asset in pallet-assets without a market.
pub const NO_MARKET: TestAsset =
	TestAsset { id: 5, symbol: "NOM", decimals: 12, min_balance: 1, price_cents: 100 };
/// Every test asset.
pub const ASSETS: [TestAsset; 5] = [DOT, USDC, ETH, BTC, NO_MARKET];
/// Whole tokens of every asset each user starts with.
pub const STARTING_TOKENS: u128 = 1_000_000;

parameter_types! {
	pub const LendingPalletId: PalletId = PalletId(*b"lvr/lend");
	pub const Treasury: u64 = TREASURY;
	/// A stale collateral counts at twice its last price when deciding liquidation.
	pub const StaleCollateralMarkup: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_u32(2);
}

pub use lever_test_support::{
	forget_price, hold_price, make_stale, set_price, TestAsset, RISK_COUNCIL,
};

/// A price feed the tests control (fresh, stale or missing per asset), dated by the mock's clock.
pub type TestPrices = lever_test_support::TestPrices<Timestamp>;

/// Creates assets and prices for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl lever_primitives::BenchmarkHelper for TestBenchmarkHelper {
	fn create_asset(asset: lever_primitives::AssetId, decimals: u8) {
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

	fn set_price(asset: lever_primitives::AssetId, value: sp_runtime::FixedU128) {
		lever_test_support::set_price_of(asset, value);
	}

	fn set_time(now: lever_primitives::Moment) {
		pallet_timestamp::Now::<Test>::put(now);
	}
}

/// Flash loans may run any call but the lending pallet's own.
pub struct NotLendingCalls;

impl frame_support::traits::Contains<RuntimeCall> for NotLendingCalls {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Lending(_))
	}
}

/// The flash-loan fee: 0.09%, like Aave's.
pub const FLASH_LOAN_FEE: Permill = Permill::from_parts(900);

parameter_types! {
	pub const FlashLoanFee: Permill = FLASH_LOAN_FEE;
}

parameter_types! {
	/// A credit tier adds at most five points to a collateral factor.
	pub const MaxCreditBonus: Permill = Permill::from_percent(5);
	/// A collateral factor raised by credit stays five points below the liquidation threshold.
	pub const CreditFloor: Permill = Permill::from_percent(5);
}

impl pallet_lending::Config for Test {
	type Assets = Assets;
	type Prices = TestPrices;
	type StaleCollateralMarkup = StaleCollateralMarkup;
	type Time = Timestamp;
	type PalletId = LendingPalletId;
	type GovernanceOrigin = EnsureRoot<u64>;
	type RiskOrigin = frame_system::EnsureSignedBy<lever_test_support::RiskCouncil, u64>;
	type Treasury = Treasury;
	type MaxMarkets = ConstU32<8>;
	type MaxMarketsPerAccount = ConstU32<3>;
	type ThresholdRampPeriod = ConstU64<RAMP_PERIOD>;
	type FlashLoanCalls = NotLendingCalls;
	type MaxFlashLoanCalls = ConstU32<4>;
	type FlashLoanFee = FlashLoanFee;
	type MaxCreditBonus = MaxCreditBonus;
	type CreditFloor = CreditFloor;
	type MaxCreditTiers = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Risk parameters with a collateral factor and liquidation threshold, the default rate model,
/// 10% reserve factor, 8% bonus, 50% close factor and no practical caps.
pub fn params(collateral_factor: u32, liquidation_threshold: u32) -> MarketParams {
	MarketParams {
		rate_model: InterestRateModel::default(),
		reserve_factor: Permill::from_percent(10),
		collateral_factor: Permill::from_percent(collateral_factor),
		liquidation_threshold: Permill::from_percent(liquidation_threshold),
		liquidation_bonus: Permill::from_percent(8),
		close_factor: Permill::from_percent(50),
		supply_cap: u128::MAX / 4,
		borrow_cap: u128::MAX / 4,
		min_debt: 0,
	}
}

/// Genesis: every user holds `STARTING_TOKENS` of every asset; DOT, USDC, ETH and BTC have
/// markets (DOT 70%/80%, USDC 80%/85%, ETH 75%/82%, BTC 70%/78%) and fresh prices.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let users = [ALICE, BOB, CHARLIE];
	pallet_balances::GenesisConfig::<Test> {
		balances: users.iter().chain([TREASURY].iter()).map(|who| (*who, 1_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: ASSETS.iter().map(|asset| (asset.id, ALICE, true, asset.min_balance)).collect(),
		metadata: ASSETS
			.iter()
			.map(|asset| {
				(
					asset.id,
					asset.symbol.as_bytes().to_vec(),
					asset.symbol.as_bytes().to_vec(),
					asset.decimals,
				)
			})
			.collect(),
		accounts: ASSETS
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
	pallet_lending::GenesisConfig::<Test> {
		markets: vec![
			(DOT.id, params(70, 80)),
			(USDC.id, params(80, 85)),
			(ETH.id, params(75, 82)),
			(BTC.id, params(70, 78)),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		lever_test_support::reset_prices(&ASSETS);
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
	Lending::do_try_state().expect("lending invariants hold");
}

/// Ends the block (checking the invariants) and starts the next `seconds` later.
pub fn advance(seconds: u64) {
	check_invariants();
	Lending::on_finalize(System::block_number());
	System::set_block_number(System::block_number() + 1);
	Timestamp::set_timestamp(Timestamp::get() + seconds * 1_000);
}
