//! Liveness of lending liquidation on the real runtime (the development genesis, its markets,
//! AMM pools and benchmarked weights, prices set by governance, the validators' offchain sweep):
//! over random loans, backstop deposits, cash drained from the collateral markets and price paths,
//! with a spammer flagging every account every block, a borrower liquidatable after one block is
//! liquidated or written off in the next (whether a price move or a loss written off against its
//! collateral market made it unsafe), no healthy account is liquidated, and every pallet's
//! invariants hold after every block. Only the engine's books may stay unsafe, where no backstop
//! deposit could repay for them, and anyone can still liquidate them. `scripts/test.sh` runs it
//! (256 cases) with the workspace's tests.

mod common;

use common::{dev_chain, include_flags, set_price, signed, user, Pool};
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::{fungibles::Mutate, Hooks},
};
use lever_primitives::{LendingLiquidation, SeizedAs};
use lever_runtime::{
	genesis::dev_assets::{self, TestAsset},
	AccountId, Assets, Lending, Liquidation, Runtime, RuntimeEvent, System,
};
use proptest::prelude::*;
use sp_runtime::{DispatchError, FixedU128, Saturating};

/// Seconds per block.
const BLOCK_SECONDS: u64 = 6;
/// Test account kinds: borrowers, and the lender, drainer, backer, outsider and spammer.
const BORROWER: u8 = 11;
const ACTOR: u8 = 12;

/// One borrower: collateral (DOT or ETH) worth `dollars`, borrowing `utilization` percent of its
/// borrow limit in USDC or in the other volatile asset.
#[derive(Clone, Debug)]
struct LoanPlan {
	eth_collateral: bool,
	dollars: u128,
	utilization: u128,
	usdc_debt: bool,
}

fn loan_plan() -> impl Strategy<Value = LoanPlan> {
	(any::<bool>(), 500u128..60_000, 60u128..100, any::<bool>()).prop_map(
		|(eth_collateral, dollars, utilization, usdc_debt)| LoanPlan {
			eth_collateral,
			dollars,
			utilization,
			usdc_debt,
		},
	)
}

/// What a liquidation may meet: backstop deposits per debt asset in dollars (zero for none) and
/// the share of the DOT and ETH markets' cash a drainer borrows, in percent.
#[derive(Clone, Debug)]
struct World {
	usdc_backstop: u128,
	eth_backstop: u128,
	dot_backstop: u128,
	dot_drain: u128,
	eth_drain: u128,
}

fn world() -> impl Strategy<Value = World> {
	(
		prop_oneof![Just(0u128), 1u128..300_000],
		prop_oneof![Just(0u128), 1u128..300_000],
		prop_oneof![Just(0u128), 1u128..300_000],
		prop_oneof![Just(0u128), 1u128..=100],
		prop_oneof![Just(0u128), 1u128..=100],
	)
		.prop_map(|(usdc_backstop, eth_backstop, dot_backstop, dot_drain, eth_drain)| World {
			usdc_backstop,
			eth_backstop,
			dot_backstop,
			dot_drain,
			eth_drain,
		})
}

fn actor(index: u32) -> AccountId {
	user(ACTOR, index)
}

/// `dollars` worth of `asset` at its reference price, in its smallest unit.
fn worth(asset: TestAsset, dollars: u128) -> u128 {
	dollars * 100 * asset.unit() / u128::from(asset.reference_cents)
}

/// Mints `amount` of `asset` to `who`.
fn fund(asset: TestAsset, who: &AccountId, amount: u128) {
	frame_support::assert_ok!(Assets::mint_into(asset.id, who, amount));
}

/// A lender in every market, the drainer, and the backstop deposits, as `world` says.
fn set_up_world(world: &World) {
	let (dot, eth, usdc) = (dev_assets::DOT, dev_assets::ETH, dev_assets::USDC);
	let lender = actor(0);
	for asset in [dot, eth, usdc] {
		fund(asset, &lender, worth(asset, 1_000_000));
		frame_support::assert_ok!(Lending::supply(
			signed(&lender),
			asset.id,
			worth(asset, 1_000_000)
		));
	}
	let drainer = actor(1);
	fund(usdc, &drainer, worth(usdc, 10_000_000));
	frame_support::assert_ok!(Lending::supply(signed(&drainer), usdc.id, worth(usdc, 10_000_000)));
	for (asset, percent) in [(dot, world.dot_drain), (eth, world.eth_drain)] {
		let cash = pallet_lending::Markets::<Runtime>::get(asset.id).expect("a market").cash;
		let _ = Lending::borrow(signed(&drainer), asset.id, cash * percent / 100);
	}
	let backer = actor(2);
	for (asset, dollars) in
		[(usdc, world.usdc_backstop), (eth, world.eth_backstop), (dot, world.dot_backstop)]
	{
		if dollars != 0 {
			fund(asset, &backer, worth(asset, dollars));
			frame_support::assert_ok!(Liquidation::deposit(
				signed(&backer),
				asset.id,
				worth(asset, dollars)
			));
		}
	}
	// The deposits share in liquidations from two blocks on: the moves come after.
	System::set_block_number(System::block_number() + pallet_liquidation::JOIN_DELAY);
}

/// Opens borrower `index`'s loan as planned; a borrow the markets refuse is skipped.
fn open_loan(index: u32, plan: &LoanPlan) {
	let (dot, eth, usdc) = (dev_assets::DOT, dev_assets::ETH, dev_assets::USDC);
	let who = user(BORROWER, index);
	let collateral = if plan.eth_collateral { eth } else { dot };
	let debt = match (plan.usdc_debt, plan.eth_collateral) {
		(true, _) => usdc,
		(false, true) => dot,
		(false, false) => eth,
	};
	let amount = worth(collateral, plan.dollars);
	fund(collateral, &who, amount);
	frame_support::assert_ok!(Lending::supply(signed(&who), collateral.id, amount));
	let limit = Lending::account_liquidity(&who).expect("fresh prices").borrow_limit;
	let want = limit.saturating_mul(FixedU128::from_rational(plan.utilization, 100));
	let price = FixedU128::from_rational(u128::from(debt.reference_cents), 100);
	let borrow = lever_primitives::amount_for_usd(want, debt.decimals, price).unwrap_or_default();
	let _ = Lending::borrow(signed(&who), debt.id, borrow);
}

/// Every account with debt.
fn debtors() -> Vec<AccountId> {
	pallet_lending::Borrowers::<Runtime>::iter_keys().collect()
}

fn liquidatable(who: &AccountId) -> bool {
	Lending::is_liquidatable(who).unwrap_or(false)
}

/// Every pallet's invariants.
fn check_invariants() {
	lever_runtime::invariants::check_invariants().expect("every pallet's invariants hold");
}

/// Runs one block as a node would: its `on_initialize`, then the offchain sweep; the prices
/// are fed again and the sweep's flags included as the next block would.
fn next_block(start: u64, pool: &Pool, prices: &[(TestAsset, u128)]) {
	let block = System::block_number() + 1;
	System::set_block_number(block);
	pallet_timestamp::Now::<Runtime>::put(start + u64::from(block) * BLOCK_SECONDS * 1_000);
	for (asset, cents) in prices {
		set_price(*asset, *cents);
	}
	include_flags(pool);
	Liquidation::on_initialize(block);
	Liquidation::offchain_worker(block);
	check_invariants();
}

/// Whether `liquidator` could liquidate `who`'s pair for at most `max_repay` in supply shares
/// (tried and rolled back).
fn could_liquidate(
	liquidator: &AccountId,
	who: &AccountId,
	(debt, collateral): (u32, u32),
	max_repay: u128,
) -> bool {
	with_transaction(|| {
		let result = <Lending as LendingLiquidation<AccountId>>::liquidate(
			liquidator,
			who,
			debt,
			collateral,
			max_repay,
			SeizedAs::Shares,
		);
		TransactionOutcome::Rollback(Ok::<_, DispatchError>(result.is_ok()))
	})
	.unwrap_or(false)
}

/// A book that is still unsafe: no backstop deposit behind its debt could liquidate it, and
/// anyone can (in supply shares, tried and rolled back), or it holds nothing and is written off.
fn check_book(outsider: &AccountId, book: &AccountId) -> Result<(), TestCaseError> {
	let pairs = Lending::liquidation_pairs(book).expect("fresh prices");
	for (debt, collateral) in &pairs {
		let deposits =
			pallet_liquidation::BackstopPools::<Runtime>::get(debt).map_or(0, |pool| pool.deposits);
		prop_assert!(
			deposits == 0
				|| !could_liquidate(
					&Liquidation::account_id(),
					book,
					(*debt, *collateral),
					deposits
				),
			"the book {} is unsafe with a backstop behind its debt in {}",
			book,
			debt
		);
	}
	match pairs.first() {
		Some(pair) => prop_assert!(
			could_liquidate(outsider, book, *pair, u128::MAX),
			"nobody can liquidate the book {}",
			book
		),
		None => {
			prop_assert!(with_transaction(|| TransactionOutcome::Rollback(Ok::<_, DispatchError>(
				<Lending as LendingLiquidation<AccountId>>::write_off(book).is_ok()
			)))
			.unwrap_or(false))
		},
	}
	Ok(())
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]
	#[test]
	fn an_unsafe_borrower_is_liquidated_in_the_next_block(
		plans in prop::collection::vec(loan_plan(), 1..12),
		world in world(),
		moves in prop::collection::vec((40u128..115, 40u128..115), 1..4),
	) {
		let (mut ext, pool) = dev_chain();
		ext.execute_with(|| {
			let start = 1_700_000_000_000;
			System::set_block_number(1);
			pallet_timestamp::Now::<Runtime>::put(start + BLOCK_SECONDS * 1_000);
			let (dot, eth, usdc, btc) =
				(dev_assets::DOT, dev_assets::ETH, dev_assets::USDC, dev_assets::BTC);
			let reference = |asset: TestAsset| u128::from(asset.reference_cents);
			let mut prices = vec![
				(dot, reference(dot)),
				(eth, reference(eth)),
				(usdc, reference(usdc)),
				(btc, reference(btc)),
			];
			for (asset, cents) in &prices {
				set_price(*asset, *cents);
			}
			set_up_world(&world);
			for (index, plan) in plans.iter().enumerate() {
				open_loan(index as u32, plan);
			}
			check_invariants();
			let (outsider, spammer) = (actor(3), actor(4));
			for asset in [dot, eth, usdc] {
				fund(asset, &outsider, worth(asset, 10_000_000));
			}
			// Accounts liquidatable after the previous block.
			let mut unsafe_before: Vec<AccountId> = Vec::new();
			let quiet = [(100, 100); 2];
			for (dot_move, eth_move) in moves.into_iter().chain(quiet) {
				prices[0].1 = (prices[0].1 * dot_move / 100).max(1);
				prices[1].1 = (prices[1].1 * eth_move / 100).max(1);
				for _ in 0..2 {
					// The spammer's flags are extrinsics of this block; the next one's
					// on_initialize takes the queue.
					for who in debtors().into_iter().chain([outsider.clone()]) {
						let _ = Liquidation::flag(signed(&spammer), who);
					}
					System::reset_events();
					next_block(start, &pool, &prices);
					let mut acted = Vec::new();
					for record in System::events() {
						if let RuntimeEvent::Liquidation(
							pallet_liquidation::Event::LendingLiquidated { account, .. }
							| pallet_liquidation::Event::LendingWrittenOff { account },
						) = record.event
						{
							prop_assert!(unsafe_before.contains(&account), "{} was healthy", account);
							acted.push(account);
						}
					}
					let unsafe_now: Vec<AccountId> =
						debtors().into_iter().filter(liquidatable).collect();
					for who in &unsafe_now {
						let book = pallet_lending::Books::<Runtime>::contains_key(who);
						prop_assert!(
							book || !unsafe_before.contains(who) || acted.contains(who),
							"{} stayed unsafe for a block and nothing was done",
							who
						);
						if book {
							check_book(&outsider, who)?;
						}
					}
					unsafe_before = unsafe_now;
				}
			}
			prop_assert!(
				unsafe_before.iter().all(pallet_lending::Books::<Runtime>::contains_key),
				"only books are unsafe after two quiet blocks"
			);
			Ok(())
		})?;
	}
}
