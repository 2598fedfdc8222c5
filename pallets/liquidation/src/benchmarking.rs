//! Benchmarks of the calls and of each unit of `on_initialize` work at their worst case: a
//! partial liquidation that the backstop covers in part, whose AMM route is quoted and refused
//! and that starts an auction (with and without the engine's seed of the collateral); one that
//! the backstop and the AMM cover; pools with `MaxGainAssets`
//! collateral gains to pay out; a take that ends its auction; a snip that pays both ways.

use super::*;
use crate::Pallet as Liquidation;
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

/// Detects the crashed benchmark vault and takes it from the queue.
fn queued_vault<T: Config>() -> T::AccountId {
	assert!(Liquidation::<T>::detect(COLLATERAL, &mut WeightMeter::new()));
	let Some(QueueItem::Vault { asset, owner }) = Liquidation::<T>::pop() else {
		panic!("the vault is queued");
	};
	assert_eq!(asset, COLLATERAL);
	owner
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

	/// A vault liquidated in part by the backstop (1,000 lvUSD of the 2,200 that restore its
	/// target ratio) and an auction, after the AMM route was quoted and refused; the engine
	/// already holds the collateral.
	#[benchmark]
	fn execute_vault() {
		collateral_type::<T>();
		seed_engine::<T>();
		lvusd_depositor::<T>(lvusd::<T>(1_000));
		let owner = vault::<T>(0);
		crash::<T>();
		// A pool too shallow for the rest of the debt: the AMM route is quoted, then refused.
		T::BenchmarkHelper::create_stable_pool(COLLATERAL, 1_000 * UNIT, lvusd::<T>(8_500));
		let queued = queued_vault::<T>();
		#[block]
		{
			Liquidation::<T>::execute_vault(COLLATERAL, queued, &mut WeightMeter::new());
		}
		assert!(!T::Vaults::is_unsafe(COLLATERAL, &owner).unwrap_or(false));
		assert_eq!(AuctionBooks::<T>::get().running, 1);
	}

	/// As `execute_vault`, the engine receiving the collateral for the first time.
	#[benchmark]
	fn execute_vault_unseeded() {
		collateral_type::<T>();
		lvusd_depositor::<T>(lvusd::<T>(1_000));
		let owner = vault::<T>(0);
		crash::<T>();
		T::BenchmarkHelper::create_stable_pool(COLLATERAL, 1_000 * UNIT, lvusd::<T>(8_500));
		let queued = queued_vault::<T>();
		assert!(!Seeds::<T>::contains_key(COLLATERAL));
		#[block]
		{
			Liquidation::<T>::execute_vault(COLLATERAL, queued, &mut WeightMeter::new());
		}
		assert!(!T::Vaults::is_unsafe(COLLATERAL, &owner).unwrap_or(false));
		assert!(Seeds::<T>::contains_key(COLLATERAL));
	}

	/// A vault liquidated in part by the backstop (1,000 lvUSD) and the AMM (the rest); the
	/// engine already holds the collateral.
	#[benchmark]
	fn execute_vault_swap() {
		collateral_type::<T>();
		seed_engine::<T>();
		lvusd_depositor::<T>(lvusd::<T>(1_000));
		let owner = vault::<T>(0);
		crash::<T>();
		// A pool at the oracle price, deep enough to buy the rest of the debt within the cap.
		T::BenchmarkHelper::create_stable_pool(COLLATERAL, 100_000 * UNIT, lvusd::<T>(850_000));
		let queued = queued_vault::<T>();
		#[block]
		{
			Liquidation::<T>::execute_vault(COLLATERAL, queued, &mut WeightMeter::new());
		}
		assert!(!T::Vaults::is_unsafe(COLLATERAL, &owner).unwrap_or(false));
		assert_eq!(AuctionBooks::<T>::get().running, 0, "the AMM bought the rest of the debt");
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

	impl_benchmark_test_suite!(Liquidation, crate::mock::new_test_ext(), crate::mock::Test);
}
