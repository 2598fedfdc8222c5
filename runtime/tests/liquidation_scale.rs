//! The liquidation engine at scale, on the real runtime with its benchmarked weights: 10,000 vaults
//! and 2,000 lending accounts of varied sizes, then DOT falls 50% in one block. Every block keeps
//! the engine within its budget (a quarter of the block), every position unsafe at the crash is
//! liquidated (vaults whole, or in part back to their target ratio) within the number of blocks the
//! per-item weights predict, and no safe position is touched. `scripts/scale-test.sh` runs it and
//! prints the report.

mod common;

use common::{dev_chain, include_flags, set_price, signed, user, Pool};
use frame_support::{
	assert_ok,
	traits::{fungibles::Mutate, Get, Hooks},
	weights::Weight,
};
use lever_primitives::{LendingLiquidation, VaultLiquidation};
use lever_runtime::{
	configs::{liquidation::LiquidationWeight, vaults::LVUSD_UNIT},
	genesis::dev_assets,
	AccountId, Assets, Lending, Liquidation, Runtime, RuntimeEvent, RuntimeOrigin, System, Vaults,
};
use pallet_liquidation::{Shock, WeightInfo as _};
use sp_runtime::Permill;
use std::collections::BTreeSet;

/// Vaults and lending accounts in the test.
const VAULTS: u32 = 10_000;
const LENDING_ACCOUNTS: u32 = 2_000;
/// Seconds per block.
const BLOCK_SECONDS: u64 = 6;
/// The runtime's weights for the engine's work.
type Weights = <Runtime as pallet_liquidation::Config>::WeightInfo;

/// A deterministic pseudo-random sequence (64-bit LCG), so every run builds the same book.
struct Sequence(u64);

impl Sequence {
	fn next(&mut self, below: u64) -> u64 {
		self.0 = self
			.0
			.wrapping_mul(6_364_136_223_846_793_005)
			.wrapping_add(1_442_695_040_888_963_407);
		(self.0 >> 33) % below
	}
}

/// Sets every test asset's price (fresh for a minute), DOT at `dot_cents`.
fn set_prices(dot_cents: u128) {
	for (asset, cents) in [
		(dev_assets::DOT, dot_cents),
		(dev_assets::ETH, 300_000),
		(dev_assets::BTC, 6_000_000),
		(dev_assets::USDC, 100),
	] {
		set_price(asset, cents);
	}
}

/// Opens the vaults: 60% DOT, 25% ETH, 15% BTC, collateral worth $300 to $3,300, at collateral
/// ratios from 155% to 400% (about 6.5 million lvUSD in all, inside the genesis ceilings).
fn open_vaults(sequence: &mut Sequence) -> Vec<(u32, AccountId)> {
	let mut vaults = Vec::new();
	for index in 0..VAULTS {
		let owner = user(1, index);
		let (asset, dollars_per_token) = match sequence.next(100) {
			0..60 => (dev_assets::DOT, 10),
			60..85 => (dev_assets::ETH, 3_000),
			_ => (dev_assets::BTC, 60_000),
		};
		let dollars = 300 + sequence.next(3_000) as u128;
		let ratio_percent = 155 + sequence.next(245) as u128;
		let collateral = dollars * asset.unit() / dollars_per_token;
		let debt = (dollars * 100 / ratio_percent).max(100) * LVUSD_UNIT;
		assert_ok!(Assets::mint_into(asset.id, &owner, collateral));
		assert_ok!(Vaults::open(signed(&owner), asset.id, collateral));
		if Vaults::mint(signed(&owner), asset.id, debt).is_ok() {
			vaults.push((asset.id, owner));
		}
	}
	vaults
}

/// Lending accounts: 75% supply DOT, the rest ETH, worth $500 to $50,000, and borrow USDC at 30%
/// to 98% of their borrow limit, from a lender's 40 million USDC.
fn open_lending_accounts(sequence: &mut Sequence) -> Vec<AccountId> {
	let (dot, eth, usdc) = (dev_assets::DOT, dev_assets::ETH, dev_assets::USDC);
	let lender = user(2, u32::MAX);
	assert_ok!(Assets::mint_into(usdc.id, &lender, 40_000_000 * usdc.unit()));
	assert_ok!(Lending::supply(signed(&lender), usdc.id, 40_000_000 * usdc.unit()));
	let mut accounts = Vec::new();
	for index in 0..LENDING_ACCOUNTS {
		let who = user(2, index);
		let (asset, dollars_per_token, collateral_factor) =
			if sequence.next(4) < 3 { (dot, 10, 65) } else { (eth, 3_000, 75) };
		let dollars = 500 + sequence.next(49_500) as u128;
		let collateral = dollars * asset.unit() / dollars_per_token;
		let utilization = 30 + sequence.next(69) as u128;
		let borrow = dollars * collateral_factor / 100 * utilization / 100 * usdc.unit();
		assert_ok!(Assets::mint_into(asset.id, &who, collateral));
		assert_ok!(Lending::supply(signed(&who), asset.id, collateral));
		assert_ok!(Lending::borrow(signed(&who), usdc.id, borrow));
		accounts.push(who);
	}
	accounts
}

/// Backstop deposits: 3 million lvUSD (borrowed against BTC) and 20 million USDC.
fn fund_backstops() {
	let backer = user(3, 0);
	let (btc, usdc) = (dev_assets::BTC, dev_assets::USDC);
	assert_ok!(Assets::mint_into(btc.id, &backer, 200 * btc.unit()));
	assert_ok!(Vaults::open(signed(&backer), btc.id, 200 * btc.unit()));
	assert_ok!(Vaults::mint(signed(&backer), btc.id, 3_000_000 * LVUSD_UNIT));
	assert_ok!(Liquidation::deposit(signed(&backer), 10, 3_000_000 * LVUSD_UNIT));
	assert_ok!(Assets::mint_into(usdc.id, &backer, 20_000_000 * usdc.unit()));
	assert_ok!(Liquidation::deposit(signed(&backer), usdc.id, 20_000_000 * usdc.unit()));
}

#[test]
fn a_fifty_percent_crash_is_liquidated_within_the_predicted_blocks_and_budget() {
	let (mut ext, pool) = dev_chain();
	ext.execute_with(|| {
		let start = 1_700_000_000_000;
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(start);
		set_prices(1_000);
		let mut sequence = Sequence(42);
		let vaults = open_vaults(&mut sequence);
		let accounts = open_lending_accounts(&mut sequence);
		fund_backstops();
		assert_eq!(vaults.len() as u32, VAULTS, "every vault opened");

		// The crash, once the backstop deposits share in liquidations.
		let crash_block = 1 + pallet_liquidation::JOIN_DELAY;
		System::set_block_number(crash_block);
		pallet_timestamp::Now::<Runtime>::put(
			start + u64::from(crash_block - 1) * BLOCK_SECONDS * 1_000,
		);
		// The stress test foresees the crash: DOT 50% down from $10.
		let shock = Shock { asset: dev_assets::DOT.id, fall: Permill::from_percent(50) };
		let report = Liquidation::stress(&[shock], u32::MAX).expect("a stress test");
		set_prices(500);
		let unsafe_vaults: BTreeSet<(u32, AccountId)> = vaults
			.iter()
			.filter(|(asset, owner)| Vaults::is_unsafe(*asset, owner).expect("fresh prices"))
			.cloned()
			.collect();
		let unsafe_accounts: BTreeSet<AccountId> = accounts
			.iter()
			.filter(|who| Lending::is_liquidatable(who).expect("fresh prices"))
			.cloned()
			.collect();
		let foreseen_vaults: BTreeSet<(u32, AccountId)> =
			report.vaults.iter().map(|vault| (vault.asset, vault.owner.clone())).collect();
		let foreseen_accounts: BTreeSet<AccountId> =
			report.accounts.iter().map(|account| account.who.clone()).collect();
		assert_eq!(report.liquidatable_vaults as usize, unsafe_vaults.len());
		assert_eq!(report.liquidatable_accounts as usize, unsafe_accounts.len());
		assert_eq!(foreseen_vaults, unsafe_vaults, "the stress test foresaw other vaults");
		assert_eq!(foreseen_accounts, unsafe_accounts, "the stress test foresaw other accounts");
		let safe_vaults: Vec<_> = vaults
			.iter()
			.filter(|vault| !unsafe_vaults.contains(vault))
			.map(|(asset, owner)| ((*asset, owner.clone()), Vaults::vault(*asset, owner)))
			.collect();

		// What the weights predict: each unsafe vault is queued and executed once (the routes
		// it used; DOT's shared items once a block, and room for the most the last vault
		// admitted in a block may cost); each unsafe lending account is flagged by the sweep
		// (200 accounts a block) and executed at most six rounds (50% close-factor rounds until
		// it is healthy or its collateral is gone, then the write-off). The queue is shared, so
		// the bound for everything is all that work over the budget left after each block's
		// fixed cost, plus the sweep and the detecting block.
		let budget = LiquidationWeight::get();
		let per_block_base = Weights::on_initialize_base()
			+ Weights::detect_type() * 3
			+ Liquidation::vault_execution_weight(false);
		let vault_work = (Weights::enqueue_vault() + Liquidation::vault_liquidation_weight())
			.saturating_mul(unsafe_vaults.len() as u64);
		let lending_work =
			Weights::execute_lending().saturating_mul(6 * unsafe_accounts.len() as u64);
		let usable = budget.ref_time() - per_block_base.ref_time();
		let sweep_batch: u32 = <Runtime as pallet_liquidation::Config>::SweepBatch::get();
		let sweep_blocks = (LENDING_ACCOUNTS + 2).div_ceil(sweep_batch);
		let predicted = (vault_work.ref_time() + lending_work.ref_time()).div_ceil(usable) as u32
			+ sweep_blocks
			+ 1;
		// Detection queues the vaults as each block's budget allows, and lending accounts flagged
		// meanwhile take their turn in the same queue, so the vaults' bound is the same.
		let predicted_vaults = predicted;

		let mut vaults_done = None;
		let per_block = run_blocks(start, crash_block, predicted, &pool, |blocks| {
			let vaults_left = unsafe_vaults
				.iter()
				.filter(|(asset, owner)| Vaults::is_unsafe(*asset, owner).unwrap_or(false))
				.count();
			let accounts_left = unsafe_accounts
				.iter()
				.filter(|who| Lending::is_liquidatable(who).unwrap_or(false))
				.count();
			if vaults_left == 0 && vaults_done.is_none() {
				vaults_done = Some(blocks);
			}
			vaults_left == 0 && accounts_left == 0
		});

		let vault_blocks = vaults_done.unwrap_or(per_block.len() as u32);
		assert!(vault_blocks <= predicted_vaults, "vaults took {vault_blocks} blocks");
		for ((asset, owner), before) in safe_vaults {
			assert_eq!(Vaults::vault(asset, &owner), before, "a safe vault was touched");
		}
		lever_runtime::invariants::check_invariants().expect("every pallet's invariants hold");

		// Vaults from 120% to 150% at the crash were liquidated in part and kept the rest of
		// their debt; a vault taken whole owes nothing (it may keep collateral no route needed).
		let kept = unsafe_vaults
			.iter()
			.filter(|(asset, owner)| {
				Vaults::vault(*asset, owner).is_some_and(|(_, debt)| debt != 0)
			})
			.count();
		let blocks = per_block.len();
		println!("SCALE vaults={VAULTS} lending_accounts={LENDING_ACCOUNTS}");
		println!(
			"SCALE vaults_liquidated_whole={} vaults_liquidated_in_part={kept}",
			unsafe_vaults.len() - kept
		);
		println!(
			"SCALE unsafe_vaults={} unsafe_accounts={} blocks={blocks} predicted_max={predicted} \
			 vault_blocks={} predicted_vault_blocks={predicted_vaults} sweep_blocks={sweep_blocks}",
			unsafe_vaults.len(),
			unsafe_accounts.len(),
			vaults_done.unwrap_or(blocks as u32),
		);
		println!(
			"SCALE per_item_ref_time_ns enqueue={} execute_vault={} execute_vault_type={} \
			 execute_lending={} budget={}",
			Weights::enqueue_vault().ref_time() / 1_000,
			Liquidation::vault_liquidation_weight().ref_time() / 1_000,
			Liquidation::vault_type_weight(true).ref_time() / 1_000,
			Weights::execute_lending().ref_time() / 1_000,
			budget.ref_time() / 1_000
		);
		for (index, (liquidated, percent)) in per_block.iter().enumerate() {
			println!(
				"SCALE block={} liquidations={liquidated} budget_used_percent={percent}",
				index + 1
			);
		}
	});
}

/// Runs blocks from `first`, each as a node would: the engine's `on_initialize` (which must stay
/// within its budget), the offchain sweep, then the next block includes the flags it submitted
/// and DOT's crash price is fed again. Stops after the first block after which `done` (given the
/// blocks run) holds and the queue is empty; fails if that takes `limit` blocks. Returns each
/// block's liquidations (vaults, lending pairs and write-offs) and percent of the budget used.
fn run_blocks(
	start: u64,
	first: u32,
	limit: u32,
	pool: &Pool,
	mut done: impl FnMut(u32) -> bool,
) -> Vec<(usize, u64)> {
	let budget = LiquidationWeight::get();
	let mut per_block = Vec::new();
	let mut tally = std::collections::BTreeMap::<String, usize>::new();
	let mut block = first;
	loop {
		System::reset_events();
		let used: Weight = Liquidation::on_initialize(block);
		assert!(used.all_lte(budget), "block {block}: {used:?} over the budget {budget:?}");
		for record in System::events() {
			if let RuntimeEvent::Liquidation(event) = &record.event {
				let name = format!("{event:?}");
				let name = name.split([' ', '{', '(']).next().unwrap_or_default().to_owned();
				*tally.entry(name).or_default() += 1;
			}
		}
		let liquidated = System::events()
			.iter()
			.filter(|record| {
				matches!(
					record.event,
					RuntimeEvent::Liquidation(
						pallet_liquidation::Event::VaultLiquidated { .. }
							| pallet_liquidation::Event::LendingLiquidated { .. }
							| pallet_liquidation::Event::LendingWrittenOff { .. }
					)
				)
			})
			.count();
		per_block.push((liquidated, used.ref_time() * 100 / budget.ref_time()));
		Liquidation::offchain_worker(block);
		if done(per_block.len() as u32) && Liquidation::queue_len() == 0 {
			let events: Vec<String> =
				tally.iter().map(|(name, count)| format!("{name}={count}")).collect();
			println!("SCALE-EVENTS {}", events.join(" "));
			return per_block;
		}
		assert!(block < first + limit, "not done after {limit} blocks");
		block += 1;
		System::set_block_number(block);
		pallet_timestamp::Now::<Runtime>::put(start + u64::from(block - 1) * BLOCK_SECONDS * 1_000);
		set_prices(500);
		include_flags(pool);
	}
}

/// `who`'s debt in `asset`, accrued to now.
fn debt(who: &AccountId, asset: u32) -> u128 {
	<Lending as lever_primitives::LendingPositions<AccountId>>::debt(who, asset).unwrap_or(0)
}

/// The lending side alone, with the routes scarce: DOT's cash is fully lent out (so no DOT can be
/// paid or sold), and the USDC backstop holds half the debt that DOT's 50% fall makes unsafe.
/// Every account unsafe at the crash is liquidated (by the backstop while it lasts, then by the
/// pairs' books) or written off, within the blocks the weights predict and every block's budget;
/// what the books hold afterwards is reported.
#[test]
fn half_covered_backstops_and_lent_out_dot_still_liquidate_every_account() {
	let (mut ext, pool) = dev_chain();
	ext.execute_with(|| {
		let start = 1_700_000_000_000;
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(start);
		set_prices(1_000);
		let (dot, usdc) = (dev_assets::DOT, dev_assets::USDC);
		let mut sequence = Sequence(7);
		let accounts = open_lending_accounts(&mut sequence);
		// A drainer supplies USDC and borrows every unit of DOT cash (caps raised for it).
		let drainer = user(4, 0);
		for asset in [dot, usdc] {
			let mut params = pallet_lending::Markets::<Runtime>::get(asset.id).expect("market").params;
			params.supply_cap = u128::MAX / 4;
			params.borrow_cap = u128::MAX / 4;
			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), asset.id, params));
		}
		assert_ok!(Assets::mint_into(usdc.id, &drainer, 1_000_000_000 * usdc.unit()));
		assert_ok!(Lending::supply(signed(&drainer), usdc.id, 1_000_000_000 * usdc.unit()));
		let cash = pallet_lending::Markets::<Runtime>::get(dot.id).expect("market").cash;
		assert_ok!(Lending::borrow(signed(&drainer), dot.id, cash));
		assert_eq!(pallet_lending::Markets::<Runtime>::get(dot.id).expect("market").cash, 0);

		// The backer deposits half the debt the crash will make unsafe, early enough for the
		// deposit to share in liquidations when the crash comes.
		set_prices(500);
		let unsafe_accounts: BTreeSet<AccountId> = accounts
			.iter()
			.filter(|who| Lending::is_liquidatable(who).expect("fresh prices"))
			.cloned()
			.collect();
		let unsafe_debt: u128 = unsafe_accounts.iter().map(|who| debt(who, usdc.id)).sum();
		set_prices(1_000);
		let backer = user(3, 1);
		assert_ok!(Assets::mint_into(usdc.id, &backer, unsafe_debt / 2));
		assert_ok!(Liquidation::deposit(signed(&backer), usdc.id, unsafe_debt / 2));
		let crash_block = 1 + pallet_liquidation::JOIN_DELAY;
		System::set_block_number(crash_block);
		pallet_timestamp::Now::<Runtime>::put(
			start + u64::from(crash_block - 1) * BLOCK_SECONDS * 1_000,
		);
		set_prices(500);

		// Each unsafe account is flagged by the sweep and executed in at most six rounds, each
		// trying at most every route: the backstop for tokens and for shares, the AMM and the
		// book.
		let budget = LiquidationWeight::get();
		let per_block_base = Weights::on_initialize_base() + Weights::detect_type() * 3;
		let round = Weights::execute_lending() * 2 +
			Weights::execute_lending_amm() +
			Weights::execute_lending_take_over();
		let lending_work = round.saturating_mul(6 * unsafe_accounts.len() as u64);
		let usable = budget.ref_time() - per_block_base.ref_time();
		let sweep_batch: u32 = <Runtime as pallet_liquidation::Config>::SweepBatch::get();
		let sweep_blocks = (LENDING_ACCOUNTS + 2).div_ceil(sweep_batch);
		let predicted = lending_work.ref_time().div_ceil(usable) as u32 + sweep_blocks + 1;

		let (mut by_backstop, mut taken_over, mut written_off) = (0, 0, 0);
		let mut count_routes = || {
			for record in System::events() {
				match record.event {
					RuntimeEvent::Liquidation(pallet_liquidation::Event::LendingLiquidated {
						route,
						..
					}) => match route {
						pallet_liquidation::LendingRoute::TakenOver => taken_over += 1,
						_ => by_backstop += 1,
					},
					RuntimeEvent::Liquidation(pallet_liquidation::Event::LendingWrittenOff {
						..
					}) => written_off += 1,
					_ => {},
				}
			}
		};
		let per_block = run_blocks(start, crash_block, predicted, &pool, |_| {
			count_routes();
			unsafe_accounts.iter().all(|who| !Lending::is_liquidatable(who).unwrap_or(false))
		});
		Liquidation::do_try_state().expect("engine invariants hold");
		Lending::do_try_state().expect("lending invariants hold");
		let books: Vec<AccountId> = pallet_lending::Books::<Runtime>::iter_keys().collect();
		let book_debt: u128 = books.iter().map(|book| debt(book, usdc.id)).sum();

		let blocks = per_block.len();
		let dollars = |amount: u128| amount / usdc.unit();
		println!(
			"SCALE-SCARCE lending_accounts={LENDING_ACCOUNTS} unsafe_accounts={} 			 unsafe_debt_usd={} backstop_usd={} blocks={blocks} predicted_max={predicted} 			 backstop_liquidations={by_backstop} taken_over={taken_over} 			 written_off={written_off} books={} book_debt_usd={} max_budget_used_percent={}",
			unsafe_accounts.len(),
			dollars(unsafe_debt),
			dollars(unsafe_debt / 2),
			books.len(),
			dollars(book_debt),
			per_block.iter().map(|(_, percent)| *percent).max().unwrap_or(0),
		);
	});
}
