//! A test runtime with the real vault and lending pallets, the real AMM
//! (pallet-asset-conversion) and the leverage pallet's oracle-checked swaps wired to the engine,
//! real balances, assets and timestamps, and a price feed the tests set by hand.

use crate::{self as pallet_liquidation, AmmRoute, AuctionCurve, AuctionParams};
use frame_support::{
	derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, Hooks},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use lever_primitives::{AssetId, Balance};
use sp_runtime::{BuildStorage, FixedU128, Permill};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Assets: pallet_assets::<Instance1>,
		PoolAssets: pallet_assets::<Instance2>,
		AssetConversion: pallet_asset_conversion,
		Vaults: pallet_vaults,
		Lending: pallet_lending,
		Leverage: pallet_leverage,
		Liquidation: pallet_liquidation,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config<pallet_assets::Instance1> for Test {
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

lever_test_support::test_amm!(Test, treasury: Treasury);

/// The time of block one.
pub const GENESIS_TIME: u64 = 1_700_000_000_000;

/// Named users; accounts 1 to [`USERS`] all start with tokens.
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;
pub const DAVE: u64 = 4;
/// How many users start with tokens.
pub const USERS: u64 = 40;
/// The lending pools' treasury.
pub const TREASURY: u64 = 999;
/// The governance cap on an AMM swap's slippage against the oracle, in percent.
pub const SLIPPAGE_CAP_PERCENT: u32 = 3;

/// Polkadot: 10 decimals, $10.
pub const DOT: TestAsset =
	TestAsset { id: 1, symbol: "DOT", decimals: 10, min_balance: 1_000_000, price_cents: 1_000 };
/// A dollar stablecoin with 6 decimals.
pub const USDC: TestAsset =
	TestAsset { id: 2, symbol: "USDC", decimals: 6, min_balance: 1, price_cents: 100 };
/// Ether: 18 decimals, $3000.
pub const ETH: TestAsset = TestAsset {
	id: 3,
	symbol: "ETH",
	decimals: 18,
	min_balance: 1_000_000_000_000,
	price_cents: 300_000,
};
/// lvUSD: 12 decimals, counted at $1.
pub const LVUSD: TestAsset =
	TestAsset { id: 100, symbol: "lvUSD", decimals: 12, min_balance: 1_000_000, price_cents: 100 };
/// Every test asset.
pub const ASSETS: [TestAsset; 4] = [DOT, USDC, ETH, LVUSD];
/// Whole tokens of every asset but lvUSD each user starts with.
pub const STARTING_TOKENS: u128 = 1_000_000;

parameter_types! {
	// Distinct in their first four bytes: a u64 account keeps only those.
	pub const VaultsPalletId: PalletId = PalletId(*b"vlts/mck");
	pub const LendingPalletId: PalletId = PalletId(*b"lend/pol");
	pub const LiquidationPalletId: PalletId = PalletId(*b"liqd/eng");
	pub const StableAsset: AssetId = LVUSD.id;
	pub const Treasury: u64 = TREASURY;
	/// A stale collateral counts at twice its last price when deciding liquidation.
	pub const StaleCollateralMarkup: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_u32(2);
	pub const SlippageCap: Permill = Permill::from_percent(SLIPPAGE_CAP_PERCENT);
	pub const SwapHub: Option<AssetId> = Some(USDC.id);
	pub static LiquidationWeight: Weight = Weight::from_parts(500_000_000_000, u64::MAX);
	pub static MaxFlaggedAccounts: u32 = 250;
	pub const DefaultAmmRoute: AmmRoute = AmmRoute::Enabled { max_slippage: Permill::from_percent(SLIPPAGE_CAP_PERCENT) };
	pub const DefaultAuctionParams: AuctionParams = AuctionParams {
		buffer: FixedU128::from_rational(120, 100),
		curve: AuctionCurve::Stairstep { step: 60, cut: Permill::from_percent(99) },
		tail: 3_600,
		cusp: Permill::from_percent(40),
		max_debt: 1_000_000_000_000_000_000,
	};
}

pub use lever_test_support::{make_stale, set_price, TestAsset};

/// A price feed the tests control (fresh, stale or missing per asset), dated by the mock's clock.
pub type TestPrices = lever_test_support::TestPrices<Timestamp>;

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

#[cfg(feature = "runtime-benchmarks")]
impl pallet_liquidation::BenchmarkHelper<u64> for TestBenchmarkHelper {
	fn create_collateral_type(asset: AssetId, decimals: u8) {
		use lever_primitives::BenchmarkHelper;
		Self::create_asset(asset, decimals);
		Self::set_price(asset, FixedU128::from_u32(10));
		frame_support::assert_ok!(Vaults::set_collateral_type(
			RuntimeOrigin::root(),
			asset,
			partial_vault_params()
		));
	}

	fn fund(asset: AssetId, who: &u64, amount: Balance) {
		use frame_support::traits::fungibles::Mutate;
		frame_support::assert_ok!(<Assets as Mutate<u64>>::mint_into(asset, who, amount));
	}

	fn open_vault(asset: AssetId, who: &u64, collateral: Balance, debt: Balance) {
		Self::fund(asset, who, collateral);
		frame_support::assert_ok!(Vaults::open(RuntimeOrigin::signed(*who), asset, collateral));
		frame_support::assert_ok!(Vaults::mint(RuntimeOrigin::signed(*who), asset, debt));
	}

	fn liquidatable_borrower(who: &u64) -> (AssetId, AssetId) {
		use frame_support::assert_ok;
		let supplier = 7_777;
		Self::fund(USDC.id, &supplier, USDC.units(100_000));
		assert_ok!(Lending::supply(RuntimeOrigin::signed(supplier), USDC.id, USDC.units(100_000)));
		Self::fund(DOT.id, who, DOT.units(1_000));
		assert_ok!(Lending::supply(RuntimeOrigin::signed(*who), DOT.id, DOT.units(1_000)));
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(*who), USDC.id, USDC.units(6_900)));
		set_price(DOT, FixedU128::from_u32(8));
		(USDC.id, DOT.id)
	}

	/// DOT for USDC, the mock's routing asset: one pool.
	fn create_route(from: AssetId, to: AssetId) {
		assert_eq!((from, to), (DOT.id, USDC.id), "the mock's borrower sells DOT for USDC");
		create_pool(DOT.id, DOT.units(100_000), USDC.id, USDC.units(800_000));
	}

	fn create_stable_pool(asset: AssetId, amount: Balance, stable: Balance) {
		create_pool(asset, amount, LVUSD.id, stable);
	}

	fn shut_down() {
		use lever_primitives::{BenchmarkHelper, PriceProvider};
		for asset in pallet_vaults::CollateralTypes::<Test>::iter_keys() {
			let last = TestPrices::last_price(asset);
			Self::set_price(asset, last.map_or(FixedU128::from_u32(10), |price| price.value));
		}
		frame_support::assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
	}
	fn credit_history(who: &u64) {
		let record = pallet_lending::CreditRecord::new(0);
		pallet_lending::Credit::<Test>::insert(who, record);
	}

	/// 1,000 DOT at $10 against 6,900 USDC (a liquidation limit of $8,000, $6,400 at $8); a
	/// supplier adds the USDC it borrows.
	fn debtor(who: &u64) -> AssetId {
		use frame_support::assert_ok;
		set_price(DOT, FixedU128::from_u32(10));
		let supplier = 7_778;
		Self::fund(USDC.id, &supplier, USDC.units(10_000));
		assert_ok!(Lending::supply(RuntimeOrigin::signed(supplier), USDC.id, USDC.units(10_000)));
		Self::fund(DOT.id, who, DOT.units(1_000));
		assert_ok!(Lending::supply(RuntimeOrigin::signed(*who), DOT.id, DOT.units(1_000)));
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(*who), USDC.id, USDC.units(6_900)));
		DOT.id
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_leverage::BenchmarkHelper<u64> for TestBenchmarkHelper {
	fn leverage_pair(trader: &u64) -> (AssetId, AssetId) {
		use pallet_liquidation::BenchmarkHelper;
		create_pool(DOT.id, DOT.units(100_000), USDC.id, USDC.units(1_000_000));
		Self::fund(DOT.id, trader, DOT.units(1_000));
		(DOT.id, USDC.id)
	}

	fn vault_asset(trader: &u64) -> AssetId {
		use pallet_liquidation::BenchmarkHelper;
		create_pool(DOT.id, DOT.units(100_000), LVUSD.id, LVUSD.units(1_000_000));
		Self::fund(DOT.id, trader, DOT.units(1_000));
		DOT.id
	}

	fn set_vault_min_debt(asset: AssetId, min_debt: Balance) {
		let mut params = pallet_vaults::CollateralTypes::<Test>::get(asset)
			.expect("the benchmark vault's collateral type exists")
			.params;
		params.min_debt = min_debt;
		frame_support::assert_ok!(Vaults::set_collateral_type(
			RuntimeOrigin::root(),
			asset,
			params
		));
	}

	fn set_borrow_min_debt(asset: AssetId, min_debt: Balance) {
		let mut params = pallet_lending::Markets::<Test>::get(asset)
			.expect("the benchmark pair's debt market exists")
			.params;
		params.min_debt = min_debt;
		frame_support::assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), asset, params));
	}
}

/// Provides the AMM's pools.
pub const POOL_PROVIDER: u64 = 888;

/// Gives [`POOL_PROVIDER`] `amount` of `asset` and a hundredth more, as the AMM never empties
/// its account. lvUSD comes from its DOT vault, at ten times the debt at $10 a DOT.
pub fn fund_pool_provider(asset: AssetId, amount: Balance) {
	use frame_support::{assert_ok, traits::fungibles::Mutate};
	use lever_primitives::VaultPositions;
	let amount = amount + amount / 100;
	if asset == LVUSD.id {
		let collateral = DOT.units(amount / LVUSD.units(1) + 1);
		assert_ok!(<Assets as Mutate<u64>>::mint_into(DOT.id, &POOL_PROVIDER, collateral));
		assert_ok!(<Vaults as VaultPositions<u64>>::adjust(
			&POOL_PROVIDER,
			DOT.id,
			collateral,
			amount,
			None,
			None
		));
	} else {
		assert_ok!(<Assets as Mutate<u64>>::mint_into(asset, &POOL_PROVIDER, amount));
	}
}

/// Opens an AMM pool of `a` and `b` holding `amount_a` and `amount_b`, which
/// [`POOL_PROVIDER`] is given first.
pub fn create_pool(a: AssetId, amount_a: Balance, b: AssetId, amount_b: Balance) {
	use frame_support::{assert_ok, traits::fungible::Mutate};
	assert_ok!(Balances::mint_into(&POOL_PROVIDER, 1_000_000));
	fund_pool_provider(a, amount_a);
	fund_pool_provider(b, amount_b);
	let (a, b) = (AmmAsset::WithId(a), AmmAsset::WithId(b));
	assert_ok!(AssetConversion::create_pool(
		RuntimeOrigin::signed(POOL_PROVIDER),
		Box::new(a.clone()),
		Box::new(b.clone()),
	));
	assert_ok!(AssetConversion::add_liquidity(
		RuntimeOrigin::signed(POOL_PROVIDER),
		Box::new(a),
		Box::new(b),
		amount_a,
		amount_b,
		1,
		1,
		POOL_PROVIDER,
	));
}

frame_support::parameter_types! {
	/// The vaults' savings rate: at most 20% a year.
	pub MaxSavingsRate: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_rational(20, 100);
	/// A saver keeps at least one lvUSD in the pot.
	pub const MinSavings: lever_primitives::Balance = 1_000_000_000_000;
}

impl pallet_vaults::Config for Test {
	type Assets = Assets;
	type StableAsset = StableAsset;
	type Prices = TestPrices;
	type Time = Timestamp;
	type PalletId = VaultsPalletId;
	type GovernanceOrigin = EnsureRoot<u64>;
	type RiskOrigin = EnsureRoot<u64>;
	type ShutdownOrigin = EnsureRoot<u64>;
	type MaxCollateralTypes = ConstU32<4>;
	type RatioRampPeriod = ConstU64<86_400_000>;
	type OnVaultChanged = Liquidation;
	type Auctions = Liquidation;
	type PegStability = ();
	type MaxSavingsRate = MaxSavingsRate;
	type MinSavings = MinSavings;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
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
	type RiskOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type MaxMarkets = ConstU32<8>;
	type MaxMarketsPerAccount = ConstU32<4>;
	type ThresholdRampPeriod = ConstU64<86_400>;
	type FlashLoanCalls = frame_support::traits::Nothing;
	type MaxFlashLoanCalls = ConstU32<1>;
	type FlashLoanFee = ();
	type MaxCreditBonus = MaxCreditBonus;
	type CreditFloor = CreditFloor;
	type MaxCreditTiers = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Transactions the offchain sweep submits: authorized calls, no signer.
pub type Extrinsic = sp_runtime::generic::UncheckedExtrinsic<
	u64,
	RuntimeCall,
	(),
	frame_system::AuthorizeCall<Test>,
>;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	type Extension = frame_system::AuthorizeCall<Test>;

	fn create_transaction(call: RuntimeCall, extension: Self::Extension) -> Extrinsic {
		Extrinsic::new_transaction(call, extension)
	}
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> Self::Extension {
		frame_system::AuthorizeCall::new()
	}
}

/// How many lending accounts the sweep checks per run in the tests.
pub const SWEEP_BATCH: u32 = 4;

/// How many accounts with debt the sweep's passes read per run in the tests.
pub const SWEEP_SCAN: u32 = 64;

/// The oracle-checked swaps of the engine's AMM route.
impl pallet_leverage::Config for Test {
	type Lending = Lending;
	type Vaults = Vaults;
	type Amm = AssetConversion;
	type AmmAsset = AmmAsset;
	type Assets = Assets;
	type Prices = TestPrices;
	type GovernanceOrigin = EnsureRoot<u64>;
	type DefaultSlippageCap = SlippageCap;
	type SwapHub = SwapHub;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ProtectionDeposit = ConstU128<1_000>;
	type ProtectionFee = ProtectionFee;
	type FeeDestination = Treasury;
	type MaxProtections = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

parameter_types! {
	/// 0.5% of the repaid value, as in the runtime.
	pub const ProtectionFee: Permill = Permill::from_parts(5_000);
}

impl pallet_liquidation::Config for Test {
	type Assets = Assets;
	type Vaults = Vaults;
	type Lending = Lending;
	type Prices = TestPrices;
	type Swaps = Leverage;
	type Protection = Leverage;
	type StableAsset = StableAsset;
	type Time = Timestamp;
	type PalletId = LiquidationPalletId;
	type GovernanceOrigin = EnsureRoot<u64>;
	type MaxQueueLength = ConstU32<1_000>;
	type MaxFlaggedAccounts = MaxFlaggedAccounts;
	type MaxGainAssets = ConstU32<4>;
	type MaxShocks = ConstU32<4>;
	type MaxAuctions = ConstU32<100>;
	type LiquidationWeight = LiquidationWeight;
	type DefaultAuctionParams = DefaultAuctionParams;
	type DefaultAmmRoute = DefaultAmmRoute;
	type DefaultMaxDebtInAuction = ConstU128<{ u128::MAX }>;
	type MinAuctionTab = ConstU128<1_000_000_000_000>;
	type SweepBatch = ConstU32<SWEEP_BATCH>;
	type SweepScan = ConstU32<SWEEP_SCAN>;
	type ProtectionSweep = ConstU32<2>;
	type UnsignedPriority = ConstU64<{ 1 << 20 }>;
	type FlagLongevity = ConstU64<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Vault parameters: 150% liquidation ratio, 2% a year, 10% penalty, 10 lvUSD minimum debt;
/// every liquidation whole (a partial one would restore 160%).
pub fn vault_params() -> pallet_vaults::CollateralParams {
	pallet_vaults::CollateralParams {
		liquidation_ratio: FixedU128::from_rational(150, 100),
		stability_fee: FixedU128::from_rational(2, 100),
		debt_ceiling: LVUSD.units(100_000_000),
		min_debt: LVUSD.units(10),
		liquidation_penalty: Permill::from_percent(10),
		target_ratio: FixedU128::from_rational(160, 100),
		whole_liquidation_ratio: FixedU128::from_rational(150, 100),
	}
}

/// [`vault_params`] with partial liquidation: vaults from 120% to 150% go back to 160%.
pub fn partial_vault_params() -> pallet_vaults::CollateralParams {
	pallet_vaults::CollateralParams {
		whole_liquidation_ratio: FixedU128::from_rational(120, 100),
		..vault_params()
	}
}

/// Market parameters: collateral factor and threshold as given, 8% bonus, 50% close factor.
pub fn market_params(collateral_factor: u32, threshold: u32) -> pallet_lending::MarketParams {
	pallet_lending::MarketParams {
		rate_model: Default::default(),
		reserve_factor: Permill::from_percent(10),
		collateral_factor: Permill::from_percent(collateral_factor),
		liquidation_threshold: Permill::from_percent(threshold),
		liquidation_bonus: Permill::from_percent(8),
		close_factor: Permill::from_percent(50),
		supply_cap: u128::MAX / 4,
		borrow_cap: u128::MAX / 4,
		min_debt: 0,
	}
}

/// Genesis: users 1 to [`USERS`] hold `STARTING_TOKENS` of DOT, USDC and ETH; DOT and ETH are
/// collateral types; DOT, USDC and ETH have lending markets; prices are fresh.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let users: Vec<u64> = (1..=USERS).collect();
	pallet_balances::GenesisConfig::<Test> {
		balances: users.iter().chain([TREASURY].iter()).map(|who| (*who, 1_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let collateral = [DOT, USDC, ETH];
	pallet_assets::GenesisConfig::<Test, pallet_assets::Instance1> {
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
		collateral_types: vec![(DOT.id, vault_params()), (ETH.id, vault_params())],
		global_debt_ceiling: LVUSD.units(200_000_000),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_lending::GenesisConfig::<Test> {
		markets: vec![
			(DOT.id, market_params(70, 80)),
			(USDC.id, market_params(80, 85)),
			(ETH.id, market_params(75, 82)),
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

/// Test externalities with the offchain worker's storage and transaction pool mocked.
pub fn new_offchain_test_ext() -> (
	sp_io::TestExternalities,
	std::sync::Arc<parking_lot::RwLock<sp_core::offchain::testing::PoolState>>,
) {
	use sp_core::offchain::{testing, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt};
	let mut ext = new_test_ext();
	let (offchain, _) = testing::TestOffchainExt::new();
	let (pool, pool_state) = testing::TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	(ext, pool_state)
}

/// Runs a test in the genesis state and checks the invariants at its end.
pub fn test(body: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		body();
		check_invariants();
	});
}

/// Every pallet's invariants hold.
pub fn check_invariants() {
	Liquidation::do_try_state().expect("liquidation invariants hold");
	Vaults::do_try_state().expect("vault invariants hold");
	Lending::do_try_state().expect("lending invariants hold");
	Leverage::do_try_state().expect("leverage invariants hold");
}

/// Moves the block number on by [`crate::JOIN_DELAY`], with no hook and no time passing, so that
/// backstop deposits made until now share in the next liquidations.
pub fn let_deposits_join() {
	System::set_block_number(System::block_number() + u64::from(crate::JOIN_DELAY));
}

/// Ends the block (checking the invariants) and runs the next one's `on_initialize`, `seconds`
/// later.
pub fn next_block(seconds: u64) {
	check_invariants();
	System::set_block_number(System::block_number() + 1);
	Timestamp::set_timestamp(Timestamp::get() + seconds * 1_000);
	Liquidation::on_initialize(System::block_number());
}
