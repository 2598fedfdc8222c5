//! The pallets whose benchmarks `lever-node benchmark pallet` runs (with `runtime-benchmarks`),
//! and the assets and prices Lever's pallets' benchmarks create through the runtime.

use crate::{AccountId, AssetId, Balance, RuntimeOrigin};
pub use crate::{
	AssetConversion, AssetRegistry, Assets, Balances, ConvictionVoting, Lending, Leverage,
	Liquidation, Multisig, Oracle, Preimage, Proxy, Psm, Referenda, RiskCouncil, Runtime,
	Scheduler, Sudo, Timestamp, TrackPeriods, Utility, ValidatorSet, Vaults,
};
pub use frame_benchmarking::baseline::Pallet as Baseline;
use frame_support::traits::Get;
use frame_support::{assert_ok, traits::fungibles::Mutate};
pub use frame_system_benchmarking::{
	extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
};
use lever_primitives::BenchmarkHelper as _;
use pallet_liquidation::BenchmarkHelper as _;
pub use pallet_xcm::benchmarking::Pallet as PalletXcmExtrinsicsBenchmark;
use sp_runtime::FixedU128;
use sp_runtime::Permill;

impl frame_benchmarking::baseline::Config for Runtime {}
impl frame_system_benchmarking::Config for Runtime {}

/// pallet-xcm's benchmarks. Lever has no XCM transport, so there is no reachable destination:
/// the benchmarks of `send` and of the transfers report `Weight::MAX`, which keeps those calls out
/// of every block until a transport exists. Local execution is benchmarked with LVR.
impl pallet_xcm::benchmarking::Config for Runtime {
	type DeliveryHelper = ();

	fn get_asset() -> xcm::latest::Asset {
		xcm::latest::Asset {
			id: xcm::latest::AssetId(xcm::latest::Location::here()),
			fun: xcm::latest::Fungibility::Fungible(crate::currency::UNIT),
		}
	}

	/// A message's calls can be batched with pallet-utility, so `weigh_message` is measured
	/// at that worst case.
	fn batch_call(calls: alloc::vec::Vec<crate::RuntimeCall>) -> Option<crate::RuntimeCall> {
		Some(crate::RuntimeCall::Utility(pallet_utility::Call::batch_all { calls }))
	}
}

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking::baseline, Baseline::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_assets, Assets]
	[pallet_asset_registry, AssetRegistry]
	[pallet_asset_conversion, AssetConversion]
	[pallet_xcm, PalletXcmExtrinsicsBenchmark::<Runtime>]
	[pallet_oracle, Oracle]
	[pallet_lending, Lending]
	[pallet_vaults, Vaults]
	[pallet_psm, Psm]
	[pallet_liquidation, Liquidation]
	[pallet_leverage, Leverage]
	[pallet_utility, Utility]
	[pallet_proxy, Proxy]
	[pallet_multisig, Multisig]
	[pallet_collective, RiskCouncil]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_track_periods, TrackPeriods]
	[pallet_validator_set, ValidatorSet]
);

/// Validators for the validator set's benchmarks: a funded account with freshly generated
/// session keys. Each key's `orcl` half has a submission for every asset the oracle can price
/// (up to `MaxAssets`, listing benchmark assets from 60,000), so a rotation that replaces the
/// feeders removes as many submissions as there can be.
pub struct SessionKeysHelper;

impl pallet_validator_set::BenchmarkHelper<AccountId, crate::SessionKeys> for SessionKeysHelper {
	fn account_with_keys(seed: u32) -> (AccountId, crate::SessionKeys, alloc::vec::Vec<u8>) {
		use codec::Encode;
		use frame_support::traits::fungible::Mutate as _;
		let who: AccountId = frame_benchmarking::account("validator", seed, 0);
		assert_ok!(Balances::mint_into(&who, 1_000 * crate::currency::UNIT));
		let generated = crate::SessionKeys::generate(&who.encode(), None);
		let max_assets = <Runtime as pallet_oracle::Config>::MaxAssets::get();
		let mut assets = pallet_oracle::Assets::<Runtime>::get().into_inner();
		let mut next = 60_000;
		while (assets.len() as u32) < max_assets {
			if !assets.contains(&next) {
				assets.push(next);
			}
			next += 1;
		}
		assets.sort();
		pallet_oracle::Assets::<Runtime>::put(frame_support::BoundedVec::truncate_from(
			assets.clone(),
		));
		let submission = pallet_oracle::Submission { value: FixedU128::from_u32(1), round: 0 };
		for asset in assets {
			pallet_oracle::Submissions::<Runtime>::insert(
				asset,
				&generated.keys.oracle,
				submission,
			);
		}
		(who, generated.keys, generated.proof.encode())
	}
}

/// Creates benchmark assets in pallet-assets and prices them through the oracle's emergency
/// price, which is fresh while the benchmark runs.
pub struct AssetsAndPrices;

impl lever_primitives::BenchmarkHelper for AssetsAndPrices {
	fn create_asset(asset: AssetId, decimals: u8) {
		let owner = sp_runtime::MultiAddress::Id(crate::configs::lending::TreasuryAccount::get());
		let created = Assets::force_create(RuntimeOrigin::root(), asset.into(), owner, true, 1);
		assert!(created.is_ok(), "benchmark asset {asset} created: {created:?}");
		let named = Assets::force_set_metadata(
			RuntimeOrigin::root(),
			asset.into(),
			b"Benchmark".to_vec(),
			b"BNCH".to_vec(),
			decimals,
			false,
		);
		assert!(named.is_ok(), "benchmark asset {asset} named: {named:?}");
	}

	fn set_price(asset: AssetId, value: FixedU128) {
		if !pallet_oracle::Assets::<Runtime>::get().contains(&asset) {
			let listed = Oracle::add_asset(RuntimeOrigin::root(), asset);
			assert!(listed.is_ok(), "benchmark asset {asset} priced: {listed:?}");
		}
		let priced = Oracle::set_emergency_price(RuntimeOrigin::root(), asset, value);
		assert!(priced.is_ok(), "benchmark price of {asset} set: {priced:?}");
	}

	fn set_time(now: lever_primitives::Moment) {
		pallet_timestamp::Now::<Runtime>::put(now);
	}
}

/// pallet-psm's benchmark stablecoins. Its internal ones (indices below 100) it creates through
/// `fungibles::Create`, which must take pallet-assets' next free identifier (the runtime's
/// `AutoIncAssetId`), so they are that identifier; its reserves (from index 100) it creates with
/// [`Self::create_asset`], from 62,000 on, clear of the runtime's assets and the other
/// benchmarks'.
impl pallet_psm::BenchmarkHelper<AssetId, AccountId> for AssetsAndPrices {
	fn get_asset_id(asset_index: u32) -> AssetId {
		match pallet_assets::NextAssetId::<Runtime>::get() {
			Some(next) if asset_index < 100 => next,
			_ => 62_000 + asset_index,
		}
	}

	fn create_asset(asset: AssetId, _owner: &AccountId, decimals: u8) {
		<Self as lever_primitives::BenchmarkHelper>::create_asset(asset, decimals);
	}
}

/// The first of the markets `liquidatable_borrower` opens, clear of any the runtime lists.
const FIRST_LENDING_ASSET: AssetId = 62_200;
/// The first of the markets `debtor` opens for the stress test's benchmarks.
const FIRST_STRESS_ASSET: AssetId = 62_600;
/// Decimals of the benchmark assets.
const DECIMALS: u8 = 10;
/// One whole benchmark token.
const UNIT: Balance = 10_000_000_000;

/// A market with a 70% collateral factor, 80% threshold, 8% bonus and 50% close factor.
fn benchmark_market() -> pallet_lending::MarketParams {
	pallet_lending::MarketParams {
		rate_model: Default::default(),
		reserve_factor: Permill::from_percent(10),
		collateral_factor: Permill::from_percent(70),
		liquidation_threshold: Permill::from_percent(80),
		liquidation_bonus: Permill::from_percent(8),
		close_factor: Permill::from_percent(50),
		supply_cap: Balance::MAX / 4,
		borrow_cap: Balance::MAX / 4,
		min_debt: 0,
	}
}

impl pallet_liquidation::BenchmarkHelper<AccountId> for AssetsAndPrices {
	fn create_collateral_type(asset: AssetId, decimals: u8) {
		Self::create_asset(asset, decimals);
		Self::set_price(asset, FixedU128::from_u32(10));
		let params = pallet_vaults::CollateralParams {
			liquidation_ratio: FixedU128::from_rational(150, 100),
			stability_fee: FixedU128::from_rational(2, 100),
			debt_ceiling: Balance::MAX / 16,
			min_debt: 0,
			liquidation_penalty: Permill::from_percent(10),
			target_ratio: FixedU128::from_rational(160, 100),
			whole_liquidation_ratio: FixedU128::from_rational(120, 100),
		};
		assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), asset, params));
		assert_ok!(Vaults::set_global_debt_ceiling(RuntimeOrigin::root(), Balance::MAX / 4));
	}

	fn fund(asset: AssetId, who: &AccountId, amount: Balance) {
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(asset, who, amount));
	}

	fn open_vault(asset: AssetId, who: &AccountId, collateral: Balance, debt: Balance) {
		Self::fund(asset, who, collateral);
		assert_ok!(Vaults::open(RuntimeOrigin::signed(who.clone()), asset, collateral));
		assert_ok!(Vaults::mint(RuntimeOrigin::signed(who.clone()), asset, debt));
	}

	/// The worst case: the borrower is in as many markets as an account may be, borrowing one
	/// asset against a large collateral and small supplies in every other market. One
	/// liquidation at the close factor makes it healthy, so the engine's benchmarks measure one
	/// attempt (the engine charges each attempt apart).
	fn liquidatable_borrower(who: &AccountId) -> (AssetId, AssetId) {
		let (debt, collateral) = markets_for(who, FIRST_LENDING_ASSET);
		Self::fund(collateral, who, 1_000 * UNIT);
		assert_ok!(Lending::supply(RuntimeOrigin::signed(who.clone()), collateral, 1_000 * UNIT));
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(who.clone()), debt, 7_000 * UNIT));
		// $10,000 + $6 of collateral at 80% no longer covers 7,000 once it is worth $8.50 a
		// token ($6,804.80). Half the debt repaid with an 8% bonus takes $3,780 of it, and the
		// $4,726 left at 80% ($3,780.80) covers the 3,500 still owed.
		Self::set_price(collateral, FixedU128::from_rational(17, 2));
		(debt, collateral)
	}

	/// In every market an account may be in, as `liquidatable_borrower` is, owing 7,000 tokens
	/// at $1 against 1,000 at $10 ($8,004.80 of liquidation limit), and $6,404.80 of limit
	/// once the collateral falls 20%. The markets hold cash for 1,400 such debtors.
	fn debtor(who: &AccountId) -> AssetId {
		if !pallet_lending::Markets::<Runtime>::contains_key(FIRST_STRESS_ASSET) {
			open_markets(FIRST_STRESS_ASSET, 10_000_000 * UNIT);
		}
		let (debt, collateral) = join_markets(who, FIRST_STRESS_ASSET);
		Self::fund(collateral, who, 1_000 * UNIT);
		assert_ok!(Lending::supply(RuntimeOrigin::signed(who.clone()), collateral, 1_000 * UNIT));
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(who.clone()), debt, 7_000 * UNIT));
		collateral
	}

	/// Two pools through the routing asset (USDC at $1): `from` at $8.50 (100,000 tokens) and
	/// `to` at $1 (1,000,000 tokens), the prices `liquidatable_borrower` leaves.
	fn create_route(from: AssetId, to: AssetId) {
		use frame_support::traits::fungible::Mutate as _;
		let usdc = crate::genesis::dev_assets::USDC;
		let usdc_units = |dollars: Balance| dollars * usdc.unit();
		Self::set_price(usdc.id, FixedU128::from_u32(1));
		let provider: AccountId = frame_benchmarking::account("provider", 2, 0);
		assert_ok!(Balances::mint_into(&provider, 1_000 * crate::currency::UNIT));
		// A hundredth more of each side than the pools take: the AMM never empties an account.
		let spare = |amount: Balance| amount + amount / 100;
		for (asset, tokens, dollars) in [(from, 100_000, 850_000), (to, 1_000_000, 1_000_000)] {
			Self::fund(asset, &provider, spare(tokens * UNIT));
			Self::fund(usdc.id, &provider, spare(usdc_units(dollars)));
			create_pool(&provider, asset, tokens * UNIT, usdc.id, usdc_units(dollars));
		}
	}

	/// The provider mints the lvUSD from a vault of `asset` worth ten times as much at the
	/// pool's price, and keeps a hundredth more of each side than the pool takes (the AMM never
	/// empties its account).
	fn create_stable_pool(asset: AssetId, amount: Balance, stable: Balance) {
		use frame_support::traits::fungible::Mutate as _;
		let provider: AccountId = frame_benchmarking::account("provider", 1, 0);
		assert_ok!(Balances::mint_into(&provider, 1_000 * crate::currency::UNIT));
		let spare = |amount: Balance| amount + amount / 100;
		Self::open_vault(asset, &provider, 10 * amount, spare(stable));
		Self::fund(asset, &provider, spare(amount));
		create_pool(&provider, asset, amount, crate::configs::vaults::LVUSD, stable);
	}

	fn shut_down() {
		use lever_primitives::PriceProvider;
		for asset in pallet_vaults::CollateralTypes::<Runtime>::iter_keys() {
			let last = crate::Oracle::last_price(asset);
			Self::set_price(asset, last.map_or(FixedU128::from_u32(10), |price| price.value));
		}
		assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
	}
	fn credit_history(who: &AccountId) {
		let record = pallet_lending::CreditRecord::new(0);
		pallet_lending::Credit::<Runtime>::insert(who, record);
	}
}

/// Opens an AMM pool of `a` and `b` with `amount_a` and `amount_b` of `provider`'s funds.
fn create_pool(provider: &AccountId, a: AssetId, amount_a: Balance, b: AssetId, amount_b: Balance) {
	use crate::configs::amm::AmmAsset;
	let (a, b) = (AmmAsset::WithId(a), AmmAsset::WithId(b));
	let origin = || RuntimeOrigin::signed(provider.clone());
	let boxed = |kind: &AmmAsset| alloc::boxed::Box::new(kind.clone());
	assert_ok!(AssetConversion::create_pool(origin(), boxed(&a), boxed(&b)));
	assert_ok!(AssetConversion::add_liquidity(
		origin(),
		boxed(&a),
		boxed(&b),
		amount_a,
		amount_b,
		1,
		1,
		provider.clone(),
	));
}

/// The first of the markets `leverage_pair` opens, clear of `liquidatable_borrower`'s.
const FIRST_LEVERAGE_ASSET: AssetId = 62_300;

/// `MaxMarketsPerAccount` lending markets from `first`, each with 100,000 tokens of cash: the
/// first (the debt) at $1, the second (the collateral) at $10, and `who` supplying one token to
/// each of the others, so its health checks value as many markets as an account can have.
/// Returns (debt, collateral).
fn markets_for(who: &AccountId, first: AssetId) -> (AssetId, AssetId) {
	open_markets(first, 100_000 * UNIT);
	join_markets(who, first)
}

/// Opens `MaxMarketsPerAccount` lending markets from `first`, each at $1 with `cash` tokens a
/// lender supplied.
fn open_markets(first: AssetId, cash: Balance) {
	let markets: u32 = <Runtime as pallet_lending::Config>::MaxMarketsPerAccount::get();
	let lender: AccountId = frame_benchmarking::account("lender", 0, 0);
	for asset in first..first + markets {
		AssetsAndPrices::create_asset(asset, DECIMALS);
		AssetsAndPrices::set_price(asset, FixedU128::from_u32(1));
		assert_ok!(Lending::create_market(RuntimeOrigin::root(), asset, benchmark_market()));
		AssetsAndPrices::fund(asset, &lender, cash);
		assert_ok!(Lending::supply(RuntimeOrigin::signed(lender.clone()), asset, cash));
	}
}

/// Prices the second of the markets from `first` (the collateral) at $10 and has `who` supply
/// one token to each market after it. Returns (debt, collateral): the first two.
fn join_markets(who: &AccountId, first: AssetId) -> (AssetId, AssetId) {
	let markets: u32 = <Runtime as pallet_lending::Config>::MaxMarketsPerAccount::get();
	let (debt, collateral) = (first, first + 1);
	AssetsAndPrices::set_price(collateral, FixedU128::from_u32(10));
	for asset in first + 2..first + markets {
		AssetsAndPrices::fund(asset, who, UNIT);
		assert_ok!(Lending::supply(RuntimeOrigin::signed(who.clone()), asset, UNIT));
	}
	(debt, collateral)
}

impl pallet_leverage::BenchmarkHelper<AccountId> for AssetsAndPrices {
	/// The worst case: the trader is in every market an account may be in once it levers up,
	/// and the pair's pool holds 1,000,000 collateral tokens against 10,000,000 debt tokens.
	fn leverage_pair(trader: &AccountId) -> (AssetId, AssetId) {
		use frame_support::traits::fungible::Mutate as _;
		let (debt, collateral) = markets_for(trader, FIRST_LEVERAGE_ASSET);
		let provider: AccountId = frame_benchmarking::account("provider", 0, 0);
		assert_ok!(Balances::mint_into(&provider, 1_000 * crate::currency::UNIT));
		// One token more than the pool takes: the AMM never empties the provider's account.
		Self::fund(collateral, &provider, 1_000_001 * UNIT);
		Self::fund(debt, &provider, 10_000_001 * UNIT);
		create_pool(&provider, collateral, 1_000_000 * UNIT, debt, 10_000_000 * UNIT);
		Self::fund(collateral, trader, 1_000 * UNIT);
		(collateral, debt)
	}

	/// A $10 collateral type with a lending market (100,000 tokens of cash) and a pool of
	/// 100,000 tokens against 1,000,000 lvUSD that a provider minted from a vault.
	fn vault_asset(trader: &AccountId) -> AssetId {
		use crate::configs::vaults::LVUSD;
		use frame_support::traits::fungible::Mutate as _;
		let asset = FIRST_VAULT_ASSET;
		<Self as pallet_liquidation::BenchmarkHelper<AccountId>>::create_collateral_type(
			asset, DECIMALS,
		);
		assert_ok!(Lending::create_market(RuntimeOrigin::root(), asset, benchmark_market()));
		let lender: AccountId = frame_benchmarking::account("lender", 0, 0);
		Self::fund(asset, &lender, 100_000 * UNIT);
		assert_ok!(Lending::supply(RuntimeOrigin::signed(lender), asset, 100_000 * UNIT));
		let provider: AccountId = frame_benchmarking::account("provider", 0, 0);
		assert_ok!(Balances::mint_into(&provider, 1_000 * crate::currency::UNIT));
		let lvusd = 1_000_000 * crate::configs::vaults::LVUSD_UNIT;
		Self::open_vault(asset, &provider, 1_000_000 * UNIT, lvusd);
		// One token more than the pool takes: the AMM never empties the provider's account.
		Self::fund(asset, &provider, 100_001 * UNIT);
		let pooled_lvusd = lvusd - crate::configs::vaults::LVUSD_UNIT;
		create_pool(&provider, asset, 100_000 * UNIT, LVUSD, pooled_lvusd);
		Self::fund(asset, trader, 1_000 * UNIT);
		asset
	}

	fn set_vault_min_debt(asset: AssetId, min_debt: Balance) {
		let mut params = pallet_vaults::CollateralTypes::<crate::Runtime>::get(asset)
			.expect("the benchmark vault's collateral type exists")
			.params;
		params.min_debt = min_debt;
		assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), asset, params));
	}

	fn set_borrow_min_debt(asset: AssetId, min_debt: Balance) {
		let mut params = pallet_lending::Markets::<crate::Runtime>::get(asset)
			.expect("the benchmark pair's debt market exists")
			.params;
		params.min_debt = min_debt;
		assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), asset, params));
	}
}

/// The asset `vault_asset` lists, clear of the other benchmark assets.
const FIRST_VAULT_ASSET: AssetId = 62_400;
