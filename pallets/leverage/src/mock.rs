//! A test runtime with the real lending and vault pallets and the real AMM
//! (pallet-asset-conversion over pallet-assets) wired to the leverage pallet, and a price feed
//! the tests set by hand.

use crate::{self as pallet_leverage};
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		tokens::fungible::NativeOrWithId, AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64,
		Hooks,
	},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use lever_primitives::Balance;
use pallet_lending::{InterestRateModel, MarketParams};
use sp_runtime::{BuildStorage, Permill};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Assets: pallet_assets::<Instance1>,
		PoolAssets: pallet_assets::<Instance2>,
		AssetConversion: pallet_asset_conversion,
		Lending: pallet_lending,
		Vaults: pallet_vaults,
		Leverage: pallet_leverage,
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

parameter_types! {
	pub const LendingPalletId: PalletId = PalletId(*b"lvr/lend");
	pub const Treasury: u64 = TREASURY;
	/// A stale collateral counts at twice its last price when deciding liquidation.
	pub const StaleCollateralMarkup: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_u32(2);
	pub const FlashLoanFee: Permill = FLASH_LOAN_FEE;
	pub const DefaultSlippageCap: Permill = Permill::from_percent(5);
	// Distinct in its first four bytes: u64 accounts keep only "modl" and those.
	pub const VaultsPalletId: PalletId = PalletId(*b"vlts/mck");
	pub const StableAsset: lever_primitives::AssetId = LVUSD.id;
	pub const SwapHub: Option<lever_primitives::AssetId> = Some(USDC.id);
}

parameter_types! {
	/// A credit tier adds at most five points to a collateral factor.
	pub const MaxCreditBonus: Permill = Permill::from_percent(5);
	/// A collateral factor raised by credit stays five points below the liquidation threshold.
	pub const CreditFloor: Permill = Permill::from_percent(5);
}

/// Flash loans in these tests run no inner calls of their own: leverage calls the pools
/// directly.
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
	type ThresholdRampPeriod = ConstU64<86_400_000>;
	type FlashLoanCalls = frame_support::traits::Nothing;
	type MaxFlashLoanCalls = ConstU32<1>;
	type FlashLoanFee = FlashLoanFee;
	type MaxCreditBonus = MaxCreditBonus;
	type CreditFloor = CreditFloor;
	type MaxCreditTiers = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
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
	type OnVaultChanged = ();
	type Auctions = ();
	type PegStability = ();
	type MaxSavingsRate = MaxSavingsRate;
	type MinSavings = MinSavings;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

impl pallet_leverage::Config for Test {
	type Lending = Lending;
	type Vaults = Vaults;
	type Amm = AssetConversion;
	type AmmAsset = AmmAsset;
	type Assets = Assets;
	type Prices = TestPrices;
	type GovernanceOrigin = EnsureRoot<u64>;
	type DefaultSlippageCap = DefaultSlippageCap;
	type SwapHub = SwapHub;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ProtectionDeposit = ProtectionDeposit;
	type ProtectionFee = ProtectionFee;
	type FeeDestination = Treasury;
	type MaxProtections = ConstU32<2>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

parameter_types! {
	/// Held per protected position.
	pub const ProtectionDeposit: u128 = PROTECTION_DEPOSIT;
	/// 0.5% of the repaid value.
	pub const ProtectionFee: Permill = Permill::from_parts(5_000);
}

/// Native tokens held per protected position.
pub const PROTECTION_DEPOSIT: u128 = 1_000;

/// The time of block one.
pub const GENESIS_TIME: u64 = 1_700_000_000_000;
/// The flash-loan fee: 0.09%.
pub const FLASH_LOAN_FEE: Permill = Permill::from_parts(900);

/// The trader.
pub const ALICE: u64 = 1;
/// A lender who supplies both markets.
pub const BOB: u64 = 2;
/// Another trader, who sandwiches.
pub const CHARLIE: u64 = 3;
/// Provides the AMM's liquidity.
pub const LP: u64 = 4;
/// Where reserves and pool fees go.
pub const TREASURY: u64 = 99;

/// Polkadot: 10 decimals, $7.50.
pub const DOT: TestAsset =
	TestAsset { id: 1, symbol: "DOT", decimals: 10, min_balance: 1_000_000, price_cents: 750 };
/// USD Coin: 6 decimals, $1.
pub const USDC: TestAsset =
	TestAsset { id: 2, symbol: "USDC", decimals: 6, min_balance: 1_000, price_cents: 100 };
/// An asset without a market or a pool.
pub const NOM: TestAsset =
	TestAsset { id: 3, symbol: "NOM", decimals: 12, min_balance: 1, price_cents: 100 };
/// The vaults' stablecoin: 12 decimals, counted at $1.
pub const LVUSD: TestAsset =
	TestAsset { id: 10, symbol: "lvUSD", decimals: 12, min_balance: 1_000_000, price_cents: 100 };
/// Every test asset.
pub const ASSETS: [TestAsset; 4] = [DOT, USDC, NOM, LVUSD];
/// Whole tokens of every asset each account starts with.
pub const STARTING_TOKENS: u128 = 10_000_000;
/// DOT in the DOT/USDC pool at genesis ($7.5M a side at $7.50).
pub const POOL_DOT: u128 = 1_000_000;
/// DOT in the DOT/lvUSD pool at genesis ($1.5M a side), from LP's genesis vault.
pub const POOL_DOT_LVUSD: u128 = 200_000;

pub use lever_test_support::{make_stale, set_price, TestAsset};

/// A price feed the tests control, dated by the mock's clock.
pub type TestPrices = lever_test_support::TestPrices<Timestamp>;

/// Creates assets, markets, pools and prices for the benchmarks.
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

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64> for TestBenchmarkHelper {
	fn leverage_pair(trader: &u64) -> (lever_primitives::AssetId, lever_primitives::AssetId) {
		use frame_support::traits::fungibles::Mutate;
		frame_support::assert_ok!(Assets::mint_into(DOT.id, trader, DOT.units(1_000)));
		(DOT.id, USDC.id)
	}

	fn vault_asset(trader: &u64) -> lever_primitives::AssetId {
		Self::leverage_pair(trader).0
	}

	fn set_vault_min_debt(asset: lever_primitives::AssetId, min_debt: Balance) {
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

	fn set_borrow_min_debt(asset: lever_primitives::AssetId, min_debt: Balance) {
		let mut params = pallet_lending::Markets::<Test>::get(asset)
			.expect("the benchmark pair's debt market exists")
			.params;
		params.min_debt = min_debt;
		frame_support::assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), asset, params));
	}
}

/// Market parameters like the dev chain's DOT (70%/75%) and USDC (80%/87%), no practical caps.
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

/// Vault parameters like the dev chain's DOT: 150% liquidation ratio, 2% fee, 100 lvUSD minimum.
pub fn vault_params() -> pallet_vaults::CollateralParams {
	pallet_vaults::CollateralParams {
		liquidation_ratio: sp_runtime::FixedU128::from_rational(150, 100),
		stability_fee: sp_runtime::FixedU128::from_rational(2, 100),
		debt_ceiling: LVUSD.units(100_000_000),
		min_debt: LVUSD.units(100),
		liquidation_penalty: Permill::from_percent(10),
		target_ratio: sp_runtime::FixedU128::from_rational(160, 100),
		whole_liquidation_ratio: sp_runtime::FixedU128::from_rational(150, 100),
	}
}

/// Genesis: every account holds `STARTING_TOKENS` of every asset but lvUSD, and some LVR; DOT
/// and USDC have lending markets that Bob supplied (100,000 DOT and 2,000,000 USDC), a DOT/USDC
/// pool at the oracle price with `POOL_DOT` DOT, DOT is vault collateral, and LP's genesis
/// vault (2,000,000 DOT for 3,000,000 lvUSD) seeds a DOT/lvUSD pool at the oracle price.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let accounts = [ALICE, BOB, CHARLIE, LP, TREASURY];
	pallet_balances::GenesisConfig::<Test> {
		balances: accounts.iter().map(|who| (*who, 1_000_000_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test, pallet_assets::Instance1> {
		assets: ASSETS.iter().map(|asset| (asset.id, ALICE, true, asset.min_balance)).collect(),
		metadata: ASSETS
			.iter()
			.map(|asset| {
				let symbol = asset.symbol.as_bytes().to_vec();
				(asset.id, symbol.clone(), symbol, asset.decimals)
			})
			.collect(),
		accounts: ASSETS
			.iter()
			.filter(|asset| asset.id != LVUSD.id)
			.flat_map(|asset| {
				accounts.iter().map(|who| (asset.id, *who, asset.units(STARTING_TOKENS)))
			})
			.collect(),
		next_asset_id: None,
		reserves: Vec::new(),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_vaults::GenesisConfig::<Test> {
		collateral_types: vec![(DOT.id, vault_params())],
		global_debt_ceiling: LVUSD.units(200_000_000),
		vaults: vec![(LP, DOT.id, DOT.units(2_000_000), LVUSD.units(3_000_000))],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_asset_conversion::GenesisConfig::<Test> {
		pools: vec![
			(
				NativeOrWithId::WithId(DOT.id),
				NativeOrWithId::WithId(USDC.id),
				LP,
				DOT.units(POOL_DOT),
				USDC.units(POOL_DOT * 750 / 100),
			),
			(
				NativeOrWithId::WithId(DOT.id),
				NativeOrWithId::WithId(LVUSD.id),
				LP,
				DOT.units(POOL_DOT_LVUSD),
				LVUSD.units(POOL_DOT_LVUSD * 750 / 100),
			),
		],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_lending::GenesisConfig::<Test> {
		markets: vec![(DOT.id, params(70, 75)), (USDC.id, params(80, 87))],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		lever_test_support::reset_prices(&ASSETS);
		System::set_block_number(1);
		Timestamp::set_timestamp(GENESIS_TIME);
		for (asset, tokens) in [(DOT, 100_000), (USDC, 2_000_000)] {
			frame_support::assert_ok!(Lending::supply(
				RuntimeOrigin::signed(BOB),
				asset.id,
				asset.units(tokens)
			));
		}
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

/// The lending pools' and the vaults' invariants hold.
pub fn check_invariants() {
	Lending::do_try_state().expect("lending invariants hold");
	Vaults::do_try_state().expect("vault invariants hold");
	Leverage::do_try_state().expect("leverage invariants hold");
}

/// Ends the block (checking the invariants) and starts the next `seconds` later.
pub fn advance(seconds: u64) {
	check_invariants();
	Lending::on_finalize(System::block_number());
	System::set_block_number(System::block_number() + 1);
	Timestamp::set_timestamp(Timestamp::get() + seconds * 1_000);
}
