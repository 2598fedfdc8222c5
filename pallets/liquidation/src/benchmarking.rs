//! Benchmarks of the calls and of each unit of `on_initialize` work at their worst case. The
//! engine's vault liquidations are measured by route, `n` vaults of one type in one block (the
//! backstop repaying all, an auction after the AMM's quote was refused, the AMM buying all), so
//! the weights tell what a type's first liquidation in a block costs (the items every
//! liquidation of the type shares) and what each more costs; the first receipt of a collateral
//! apart. Also: pools with `MaxGainAssets` collateral gains to pay out; a take that ends its
//! auction; a snip that pays both ways.

use super::*;
use crate::{vault_weight::VaultWeigher, Pallet as Liquidation};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungibles::{metadata::Inspect as InspectMetadata, Inspect},
		EnsureOrigin, Get,
	},
	weights::WeightMeter,
};
use frame_system::RawOrigin;
use lever_primitives::{BenchmarkHelper as _, LendingLiquidation, VaultLiquidation};
use sp_runtime::FixedU128;

/// The benchmark collateral type's asset, clear of any the runtime lists.
const COLLATERAL: AssetId = 62_000;
/// The benchmark pool's asset and its collateral gains.
const POOL: AssetId = 62_100;
/// Decimals of the benchmark assets.
const DECIMALS: u8 = 10;
/// One whole benchmark token.
const UNIT: Balance = 10_000_000_000;

/// `amount` whole lvUSD in its smallest unit.
fn lvusd<T: Config>(amount: Balance) -> Balance {
	amount.saturating_mul(10u128.pow(u32::from(T::Assets::decimals(T::StableAsset::get()))))
}

/// The benchmark collateral type at $10.
fn collateral_type<T: Config>() {
	T::BenchmarkHelper::create_collateral_type(COLLATERAL, DECIMALS);
	T::BenchmarkHelper::set_price(COLLATERAL, FixedU128::from_u32(10));
}

/// A vault of 1,000 tokens ($10,000) owing 6,000 lvUSD: unsafe below $9.
fn vault<T: Config>(index: u32) -> T::AccountId {
	let owner: T::AccountId = account("owner", index, 0);
	T::BenchmarkHelper::open_vault(COLLATERAL, &owner, 1_000 * UNIT, lvusd::<T>(6_000));
	owner
}

/// The collateral falls to $8.50.
fn crash<T: Config>() {
	T::BenchmarkHelper::set_price(COLLATERAL, FixedU128::from_rational(85, 10));
}

/// A depositor of `amount` lvUSD in the lvUSD backstop, borrowed from a safe vault.
fn lvusd_depositor<T: Config>(amount: Balance) -> T::AccountId {
	let depositor: T::AccountId = account("depositor", 0, 0);
	T::BenchmarkHelper::open_vault(COLLATERAL, &depositor, 100_000 * UNIT, amount);
	Liquidation::<T>::do_deposit(&depositor, T::StableAsset::get(), amount).expect("deposit");
	let_deposits_join::<T>();
	depositor
}

/// Moves the block number on until the deposits made so far share in liquidations; the pool
/// moves them into its shares at its next use, inside what is measured.
fn let_deposits_join<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + JOIN_DELAY.into());
}

/// A depositor in the pool of `POOL` at its costliest to change: both its shares and its last
/// addition (which has joined the pool since) have gained each of `MaxGainAssets` assets, and
/// another depositor's addition waits to join at the pool's next use.
fn depositor_with_gains<T: Config>() -> T::AccountId {
	let depositor: T::AccountId = account("depositor", 1, 0);
	let other: T::AccountId = account("depositor", 2, 0);
	T::BenchmarkHelper::create_asset(POOL, DECIMALS);
	T::BenchmarkHelper::fund(POOL, &depositor, 1_000_000 * UNIT);
	T::BenchmarkHelper::fund(POOL, &other, 1_000_000 * UNIT);
	let engine = Liquidation::<T>::account_id();
	for index in 1..=T::MaxGainAssets::get() {
		T::BenchmarkHelper::create_asset(POOL + index, DECIMALS);
	}
	let gains = || {
		for index in 1..=T::MaxGainAssets::get() {
			let asset = POOL + index;
			T::BenchmarkHelper::fund(asset, &engine, 20 * UNIT);
			Liquidation::<T>::after_seed(asset, 20 * UNIT);
			Liquidation::<T>::absorb(POOL, UNIT, GainAsset::Tokens(asset), 10 * UNIT)
				.expect("absorb");
		}
	};
	Liquidation::<T>::do_deposit(&depositor, POOL, 1_000 * UNIT).expect("deposit");
	let_deposits_join::<T>();
	gains();
	Liquidation::<T>::do_deposit(&depositor, POOL, 1_000 * UNIT).expect("deposit");
	let_deposits_join::<T>();
	gains();
	Liquidation::<T>::do_deposit(&other, POOL, 1_000 * UNIT).expect("deposit");
	let_deposits_join::<T>();
	depositor
}

/// An auction of 1,000 benchmark tokens for 6,600 lvUSD, held by the engine, whose owner holds a
/// token (so it can be paid any rest). Returns the owner and the auction's id.
fn auction<T: Config>() -> (T::AccountId, u32) {
	let owner: T::AccountId = account("owner", 0, 0);
	T::BenchmarkHelper::fund(COLLATERAL, &owner, UNIT);
	let engine = Liquidation::<T>::account_id();
	T::BenchmarkHelper::fund(COLLATERAL, &engine, 1_001 * UNIT);
	Liquidation::<T>::after_seed(COLLATERAL, 1_001 * UNIT);
	let id = Liquidation::<T>::start_auction(COLLATERAL, &owner, 1_000 * UNIT, lvusd::<T>(6_600))
		.expect("auction");
	(owner, id)
}

/// The engine's seed of the benchmark collateral, as its first liquidation leaves it.
fn seed_engine<T: Config>() {
	let engine = Liquidation::<T>::account_id();
	let seed = T::Assets::minimum_balance(COLLATERAL);
	T::BenchmarkHelper::fund(COLLATERAL, &engine, seed);
	Liquidation::<T>::after_seed(COLLATERAL, seed);
}

/// `n` vaults of 1,000 tokens, the first owing 6,000 lvUSD and each next 1/58 more (so each
/// sits in its own bucket of the index), after the collateral fell to $8.50: detected and taken
/// from the queue, in its order. Each owner has a lending credit record, which its
/// liquidation resets.
fn queued_vaults<T: Config>(n: u32) -> Vec<T::AccountId> {
	let mut debt = lvusd::<T>(6_000);
	for index in 0..n {
		let owner: T::AccountId = account("owner", index, 0);
		T::BenchmarkHelper::credit_history(&owner);
		T::BenchmarkHelper::open_vault(COLLATERAL, &owner, 1_000 * UNIT, debt);
		debt = debt.saturating_add(debt / 58);
	}
	crash::<T>();
	assert!(Liquidation::<T>::detect(COLLATERAL, &mut WeightMeter::new()));
	let mut queued = Vec::new();
	while let Some(QueueItem::Vault { owner, .. }) = Liquidation::<T>::pop() {
		queued.push(owner);
	}
	assert_eq!(queued.len(), n as usize, "every vault is queued");
	queued
}

/// Liquidates the queued vaults `owners` of the benchmark type one after another, as
/// `on_initialize` does within one block.
fn execute_vaults<T: Config>(owners: &[T::AccountId]) {
	let (mut meter, mut weigher) = (WeightMeter::new(), VaultWeigher::default());
	for owner in owners {
		Liquidation::<T>::execute_vault(COLLATERAL, owner.clone(), &mut meter, &mut weigher);
	}
}

/// Every one of `owners`' vaults is safe again.
fn assert_all_safe<T: Config>(owners: &[T::AccountId]) {
	for owner in owners {
		assert_eq!(T::Vaults::is_unsafe(COLLATERAL, owner), Ok(false), "liquidated to safety");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn on_initialize_base() {
		#[block]
		{
			let _ = T::Vaults::collateral_types();
			let _ = Liquidation::<T>::queue_len();
			let _ = Liquidation::<T>::peek();
		}
	}

	#[benchmark]
	fn detect_type() {
		collateral_type::<T>();
		vault::<T>(0);
		// Marked stalled, and what it depended on has changed since: the digest is computed.
		Stalled::<T>::insert(COLLATERAL, [0u8; 32]);
		#[block]
		{
			assert!(Liquidation::<T>::detect(COLLATERAL, &mut WeightMeter::new()));
		}
		assert!(Scans::<T>::get(COLLATERAL).range.is_some());
		assert!(!Stalled::<T>::contains_key(COLLATERAL));
	}

	#[benchmark]
	fn enqueue_vault() {
		collateral_type::<T>();
		let owner = vault::<T>(0);
		let Some(VaultSlot::Bucket(bucket)) = VaultSlots::<T>::get(COLLATERAL, &owner) else {
			panic!("the vault is indexed");
		};
		#[block]
		{
			Liquidation::<T>::enqueue_vault(COLLATERAL, bucket, owner.clone()).expect("queued");
		}
		assert_eq!(VaultSlots::<T>::get(COLLATERAL, &owner), Some(VaultSlot::Queued));
	}

	#[benchmark]
	fn check_vault() {
		collateral_type::<T>();
		let owner = vault::<T>(0);
		crash::<T>();
		let Some(VaultSlot::Bucket(bucket)) = VaultSlots::<T>::get(COLLATERAL, &owner) else {
			panic!("the vault is indexed");
		};
		#[block]
		{
			let vault = BucketMembers::<T>::get((COLLATERAL, bucket), &owner);
			assert!(vault.is_some());
			assert_eq!(T::Vaults::is_unsafe(COLLATERAL, &owner), Ok(true));
			Liquidation::<T>::enqueue_vault(COLLATERAL, bucket, owner.clone()).expect("queued");
		}
		assert_eq!(Liquidation::<T>::queue_len(), 1);
	}

	/// `n` vaults of one type, each liquidated by the lvUSD backstop alone (it holds 7,000 lvUSD
	/// for each, more than any vault owes), one after another in one block: the slope is what the backstop route costs each vault once the items every
	/// liquidation of the type shares are read and written.
	#[benchmark]
	fn execute_vaults_backstop(n: Linear<1, 7>) {
		collateral_type::<T>();
		seed_engine::<T>();
		lvusd_depositor::<T>(lvusd::<T>(7_000).saturating_mul(n.into()));
		let owners = queued_vaults::<T>(n);
		#[block]
		{
			execute_vaults::<T>(&owners);
		}
		assert_all_safe::<T>(&owners);
		assert_eq!(AuctionBooks::<T>::get().running, 0, "the backstop repaid every vault");
	}

	/// `n` vaults of one type, each liquidated by an auction after the AMM route was quoted and
	/// refused (no backstop deposits, a pool too shallow for the debt), one after another in
	/// one block.
	#[benchmark]
	fn execute_vaults_auction(n: Linear<1, 7>) {
		collateral_type::<T>();
		seed_engine::<T>();
		let owners = queued_vaults::<T>(n);
		T::BenchmarkHelper::create_stable_pool(COLLATERAL, 1_000 * UNIT, lvusd::<T>(8_500));
		#[block]
		{
			execute_vaults::<T>(&owners);
		}
		assert_all_safe::<T>(&owners);
		assert_eq!(AuctionBooks::<T>::get().running, n, "an auction for each vault");
	}

	/// `n` vaults of one type, each liquidated by the AMM (no backstop deposits, a pool at the
	/// oracle price deep enough for every sale within the cap), one after another in one block.
	#[benchmark]
	fn execute_vaults_swap(n: Linear<1, 7>) {
		collateral_type::<T>();
		seed_engine::<T>();
		let owners = queued_vaults::<T>(n);
		T::BenchmarkHelper::create_stable_pool(COLLATERAL, 1_000_000 * UNIT, lvusd::<T>(8_500_000));
		#[block]
		{
			execute_vaults::<T>(&owners);
		}
		assert_all_safe::<T>(&owners);
		assert_eq!(AuctionBooks::<T>::get().running, 0, "the AMM bought every debt");
	}

	/// As `execute_vaults_auction` with one vault, the engine receiving the collateral for the
	/// first time: what a type's first liquidation costs more.
	#[benchmark]
	fn execute_vault_unseeded() {
		collateral_type::<T>();
		let owners = queued_vaults::<T>(1);
		T::BenchmarkHelper::create_stable_pool(COLLATERAL, 1_000 * UNIT, lvusd::<T>(8_500));
		assert!(!Seeds::<T>::contains_key(COLLATERAL));
		#[block]
		{
			execute_vaults::<T>(&owners);
		}
		assert_all_safe::<T>(&owners);
		assert!(Seeds::<T>::contains_key(COLLATERAL));
	}

	#[benchmark]
	fn execute_lending() {
		let borrower: T::AccountId = account("borrower", 0, 0);
		let (debt_asset, _) = T::BenchmarkHelper::liquidatable_borrower(&borrower);
		let depositor: T::AccountId = account("depositor", 2, 0);
		T::BenchmarkHelper::fund(debt_asset, &depositor, 1_000_000 * UNIT);
		Liquidation::<T>::do_deposit(&depositor, debt_asset, 1_000_000 * UNIT).expect("deposit");
		let_deposits_join::<T>();
		Liquidation::<T>::do_flag(&borrower, None).expect("flagged");
		let Some(QueueItem::Lending { account }) = Liquidation::<T>::pop() else {
			panic!("the account is queued");
		};
		#[block]
		{
			Liquidation::<T>::execute_lending(account, &mut WeightMeter::new());
		}
		assert!(Liquidation::<T>::pool_deposits(debt_asset) < 1_000_000 * UNIT);
		let _ = T::Lending::is_liquidatable(&borrower);
	}

	/// A lending account with no backstop behind its debt, liquidated by selling its collateral
	/// through the routing asset (two pools) until it is healthy.
	#[benchmark]
	fn execute_lending_amm() {
		let borrower: T::AccountId = account("borrower", 0, 0);
		let (debt_asset, collateral_asset) = T::BenchmarkHelper::liquidatable_borrower(&borrower);
		T::BenchmarkHelper::create_route(collateral_asset, debt_asset);
		Liquidation::<T>::do_flag(&borrower, None).expect("flagged");
		let Some(QueueItem::Lending { account }) = Liquidation::<T>::pop() else {
			panic!("the account is queued");
		};
		#[block]
		{
			Liquidation::<T>::execute_lending(account, &mut WeightMeter::new());
		}
		assert_eq!(T::Lending::is_liquidatable(&borrower), Ok(false), "sold until healthy");
	}

	/// A lending account that neither a backstop nor the AMM can liquidate (no deposits, no
	/// pools: each AMM attempt is quoted and refused), taken over by its pair's book until it
	/// is healthy.
	#[benchmark]
	fn execute_lending_take_over() {
		let borrower: T::AccountId = account("borrower", 0, 0);
		let (debt_asset, collateral_asset) = T::BenchmarkHelper::liquidatable_borrower(&borrower);
		let book = Liquidation::<T>::book_account(debt_asset, collateral_asset).expect("a book");
		Liquidation::<T>::do_flag(&borrower, None).expect("flagged");
		let Some(QueueItem::Lending { account }) = Liquidation::<T>::pop() else {
			panic!("the account is queued");
		};
		#[block]
		{
			Liquidation::<T>::execute_lending(account, &mut WeightMeter::new());
		}
		assert_eq!(T::Lending::is_liquidatable(&borrower), Ok(false), "taken over until healthy");
		assert_eq!(T::Lending::is_liquidatable(&book), Ok(true), "the book owes");
	}

	#[benchmark]
	fn deposit() {
		let depositor = depositor_with_gains::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(depositor.clone()), POOL, UNIT);
		assert!(
			PoolGains::<T>::get(POOL, GainAsset::Tokens(POOL + 1)).held < UNIT,
			"the gains were paid"
		);
	}

	#[benchmark]
	fn withdraw() {
		let depositor = depositor_with_gains::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(depositor.clone()), POOL, AmountOrAll::All);
		assert!(Deposits::<T>::get(POOL, &depositor).is_none());
	}

	#[benchmark]
	fn take() {
		collateral_type::<T>();
		let taker: T::AccountId = account("taker", 0, 0);
		T::BenchmarkHelper::open_vault(COLLATERAL, &taker, 100_000 * UNIT, lvusd::<T>(20_000));
		let (_, id) = auction::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(taker), id, 1_000 * UNIT, FixedU128::from_u32(1_000));
		assert_eq!(AuctionBooks::<T>::get().running, 0);
	}

	/// A snip that pays both ways: part of the lot to the redemption pool, the rest to the owner.
	#[benchmark]
	fn snip() {
		collateral_type::<T>();
		let (owner, id) = auction::<T>();
		T::BenchmarkHelper::shut_down();
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);
		assert_eq!(AuctionBooks::<T>::get().running, 0);
		assert_eq!(T::Assets::balance(COLLATERAL, &owner), UNIT + 340 * UNIT);
	}

	/// The costliest flag: of one of the engine's books (so no take-over counts as work), with no
	/// backstop deposits, freed by an AMM way from its collateral to its debt through the routing
	/// asset, once found uncoverable (so the digest is compared as well).
	#[benchmark]
	fn flag() {
		let borrower: T::AccountId = account("borrower", 0, 0);
		let (debt_asset, collateral_asset) = T::BenchmarkHelper::liquidatable_borrower(&borrower);
		let book = Liquidation::<T>::book_account(debt_asset, collateral_asset).expect("a book");
		T::Lending::take_over(&book, &borrower, debt_asset, collateral_asset).expect("taken over");
		T::BenchmarkHelper::create_route(collateral_asset, debt_asset);
		Uncovered::<T>::insert(&book, [0u8; 32]);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), book.clone());
		assert!(Flagged::<T>::contains_key(&book));
	}

	#[benchmark]
	fn set_auction_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = T::DefaultAuctionParams::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, COLLATERAL, params);
		assert_eq!(AuctionSettings::<T>::get(COLLATERAL), Some(params));
		Ok(())
	}

	#[benchmark]
	fn set_max_debt_in_auction() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1_000);
		assert_eq!(MaxDebtInAuction::<T>::get(), 1_000);
		Ok(())
	}

	#[benchmark]
	fn set_amm_route() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let route = AmmRoute::Enabled { max_slippage: sp_runtime::Permill::from_percent(1) };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, COLLATERAL, route);
		assert_eq!(AmmRoutes::<T>::get(COLLATERAL), Some(route));
		Ok(())
	}

	/// The stress test (a runtime API, never run in a block) of a 15% fall that makes `n`
	/// vaults of one type liquidatable, with an AMM pool of the type to probe: what each vault
	/// adds to a stress test's cost.
	#[benchmark]
	fn stress_vaults(n: Linear<1, 1_000>) {
		collateral_type::<T>();
		T::BenchmarkHelper::create_stable_pool(COLLATERAL, 10_000 * UNIT, lvusd::<T>(100_000));
		for index in 0..n {
			vault::<T>(index);
		}
		let shocks = [Shock { asset: COLLATERAL, fall: sp_runtime::Permill::from_percent(15) }];
		let report;
		#[block]
		{
			report = Liquidation::<T>::stress(&shocks, 0);
		}
		assert_eq!(report.expect("a stress test").liquidatable_vaults, n);
	}

	/// The stress test of a 20% fall that makes `n` lending accounts liquidatable, each in as
	/// many markets as an account may be in: what each account adds to a stress test's cost.
	#[benchmark]
	fn stress_accounts(n: Linear<1, 200>) {
		let mut collateral = None;
		for index in 0..n {
			collateral = Some(T::BenchmarkHelper::debtor(&account("debtor", index, 0)));
		}
		let asset = collateral.expect("a debtor");
		let shocks = [Shock { asset, fall: sp_runtime::Permill::from_percent(20) }];
		let report;
		#[block]
		{
			report = Liquidation::<T>::stress(&shocks, 0);
		}
		assert_eq!(report.expect("a stress test").liquidatable_accounts, n);
	}

	/// The risk summary (a runtime API) over `v` vaults and `a` lending accounts, every one at
	/// risk: what each adds to its cost.
	#[benchmark]
	fn system_risk(v: Linear<1, 1_000>, a: Linear<1, 200>) {
		collateral_type::<T>();
		for index in 0..v {
			vault::<T>(index);
		}
		let mut collateral = None;
		for index in 0..a {
			collateral = Some(T::BenchmarkHelper::debtor(&account("debtor", index, 0)));
		}
		// At $9.50 the vaults (unsafe below $9) and the accounts (below about $8.75) are within
		// 10% of liquidation.
		let at_risk = FixedU128::from_rational(95, 10);
		T::BenchmarkHelper::set_price(COLLATERAL, at_risk);
		T::BenchmarkHelper::set_price(collateral.expect("a debtor"), at_risk);
		let summary;
		#[block]
		{
			summary = Liquidation::<T>::system_risk();
		}
		let summary = summary.expect("a summary");
		assert_eq!((summary.vaults_at_risk, summary.accounts_at_risk), (v, a));
	}

	impl_benchmark_test_suite!(Liquidation, crate::mock::new_test_ext(), crate::mock::Test);
}
