//! Unit tests: detection and liquidation with no signed call, the backstop's pro-rata math,
//! auctions, caps, deficits, flags and every call's errors, with the invariants of all three
//! pallets checked after every block and at the end of every test.

use crate::{
	mock::*,
	vault_weight::{VaultRoute, VaultWeigher, VaultWork},
	*,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{Pays, PostDispatchInfo},
	traits::{Get, Hooks},
	weights::{RuntimeDbWeight, Weight, WeightMeter},
};
use lever_primitives::{
	convert, mul_div, LendingLiquidation, LendingPositions, RunningAuctions, SeizedAs,
};
use sp_runtime::{DispatchError, FixedU128, Permill, Rounding};

type Error = crate::Error<Test>;

fn origin(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn balance(asset: TestAsset, who: u64) -> Balance {
	Assets::balance(asset.id, who)
}

fn price(cents: u128) -> FixedU128 {
	FixedU128::from_rational(cents, 100)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Liquidation(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// Opens `who`'s vault of `asset` with `tokens` whole tokens and mints `lvusd` lvUSD.
fn open_vault(who: u64, asset: TestAsset, tokens: u128, lvusd: u128) {
	assert_ok!(Vaults::open(origin(who), asset.id, asset.units(tokens)));
	assert_ok!(Vaults::mint(origin(who), asset.id, LVUSD.units(lvusd)));
}

/// Deposits exactly `units` into the backstop pool of `asset` (plus the engine's seed the first
/// time it holds the asset), and lets the deposit join the pool.
fn deposit_units(who: u64, asset: TestAsset, units: Balance) {
	let seed = if Seeds::<Test>::contains_key(asset.id) { 0 } else { asset.min_balance };
	assert_ok!(Liquidation::deposit(origin(who), asset.id, units + seed));
	let_deposits_join();
}

/// Gives `who` `lvusd` lvUSD from an ETH vault at 300% and deposits it in the lvUSD backstop.
fn back_with_lvusd(who: u64, lvusd: u128) {
	open_vault(who, ETH, lvusd / 1_000 + 1, lvusd + 1);
	deposit_units(who, LVUSD, LVUSD.units(lvusd));
}

fn deposit_of(who: u64, pool: TestAsset) -> Balance {
	let deposit = Deposits::<Test>::get(pool.id, who).expect("a deposit");
	Liquidation::compounded(
		pool.id,
		&deposit,
		&BackstopPools::<Test>::get(pool.id).expect("a pool"),
	)
}

fn gain_of(who: u64, pool: TestAsset, asset: TestAsset) -> Balance {
	let deposit = Deposits::<Test>::get(pool.id, who).expect("a deposit");
	let pool_state = BackstopPools::<Test>::get(pool.id).expect("a pool");
	Liquidation::gain(pool.id, &deposit, &pool_state, GainAsset::Tokens(asset.id))
}

fn liquidated_vault() -> (Balance, Balance, Balance, Balance, Option<u32>, Balance) {
	events()
		.into_iter()
		.find_map(|event| match event {
			Event::VaultLiquidated {
				debt,
				collateral,
				backstop_repaid,
				backstop_received,
				auction,
				returned,
				..
			} => Some((debt, collateral, backstop_repaid, backstop_received, auction, returned)),
			_ => None,
		})
		.expect("a vault was liquidated")
}

fn dot_in_stable(units: Balance, dot_price: FixedU128, rounding: Rounding) -> Balance {
	convert(units, (DOT.decimals, dot_price), (LVUSD.decimals, FixedU128::from_u32(1)), rounding)
		.unwrap()
}

fn stable_in_dot(units: Balance, dot_price: FixedU128, rounding: Rounding) -> Balance {
	convert(units, (LVUSD.decimals, FixedU128::from_u32(1)), (DOT.decimals, dot_price), rounding)
		.unwrap()
}

/// A vault has one liquidation price, however it is asked for: the vault pallet's runtime API
/// and the engine's give the same figure, known while the price is stale. Alice's 1,000 DOT
/// against 6,000 lvUSD reach the 150% liquidation ratio at $9.
#[test]
fn a_vault_has_one_liquidation_price_known_while_its_price_is_stale() {
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_000);
		let from_vaults =
			Vaults::vault_info(&ALICE, DOT.id).and_then(|info| info.liquidation_price);
		assert_eq!(from_vaults, Some(price(900)));
		assert_eq!(Liquidation::liquidation_prices(&ALICE).vaults, vec![(DOT.id, from_vaults)]);
		make_stale(DOT);
		assert_eq!(Liquidation::liquidation_prices(&ALICE).vaults, vec![(DOT.id, from_vaults)]);
		assert_eq!(Liquidation::liquidation_prices(&BOB).vaults, vec![]);
	});
}

#[test]
fn a_price_move_liquidates_an_unsafe_vault_with_no_call_at_all() {
	test(|| {
		// Alice: 1,000 DOT at $10 against 6,000 lvUSD (167%). Bob backs 5,000 lvUSD.
		open_vault(ALICE, DOT, 1_000, 6_000);
		back_with_lvusd(BOB, 5_000);
		next_block(6);
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_some(), "safe at $10");

		// At $8.50 the vault is at 142%, below 150%.
		set_price(DOT, price(850));
		System::reset_events();
		next_block(6);
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_none(), "liquidated in the next block");
		assert!(events().contains(&Event::VaultQueued { asset: DOT.id, owner: ALICE }));
		let (debt, collateral, repaid, received, auction, returned) = liquidated_vault();
		assert!(debt > LVUSD.units(6_000) && debt < LVUSD.units(6_001), "debt with fees");
		assert_eq!(collateral, DOT.units(1_000));
		// The backstop repaid all it had and got collateral worth that plus 10%.
		assert_eq!(repaid, LVUSD.units(5_000));
		let expected = stable_in_dot(LVUSD.units(5_500), price(850), Rounding::Down);
		assert_eq!(received, expected);
		assert_eq!(returned, 0);
		// The rest of the debt, with its penalty, is in auction with the rest of the collateral
		// (less the engine's one-time DOT seed).
		let auction = Auctions::<Test>::get(auction.expect("an auction")).expect("running");
		let left = debt - repaid;
		assert_eq!(auction.tab, left + Permill::from_percent(10).mul_ceil(left));
		assert_eq!(auction.lot, DOT.units(1_000) - DOT.min_balance - received);
		// Bob's deposit is spent and he has the DOT.
		assert_eq!(deposit_of(BOB, LVUSD), 0);
		let gain = gain_of(BOB, LVUSD, DOT);
		assert!(gain <= received && received - gain <= 1, "{gain} of {received}");
		assert_ok!(Liquidation::withdraw(origin(BOB), LVUSD.id, AmountOrAll::All));
		assert_eq!(balance(DOT, BOB), DOT.units(STARTING_TOKENS) + gain);
	});
}

/// A vault's liquidation tells of its owner what a liquidation in the pools does: Alice has
/// held 300 USDC for a minute and repaid it (one loan, score 100 under a one-minute policy);
/// when the engine liquidates her DOT vault, her credit record starts afresh at that block.
/// Bob, the backstop, never borrowed and gets no record.
#[test]
fn a_vault_liquidation_resets_the_owners_credit_record() {
	test(|| {
		let policy = pallet_lending::CreditPolicy {
			min_loan_age: 60_000,
			tiers: frame_support::BoundedVec::truncate_from(vec![pallet_lending::CreditTier {
				min_score: 100,
				bonus: Permill::from_percent(5),
			}]),
		};
		assert_ok!(Lending::set_credit_policy(RuntimeOrigin::root(), policy));
		assert_ok!(Lending::supply(origin(CHARLIE), USDC.id, USDC.units(100_000)));
		assert_ok!(Lending::supply(origin(ALICE), DOT.id, DOT.units(100)));
		assert_ok!(Lending::borrow(origin(ALICE), USDC.id, USDC.units(300)));
		next_block(61);
		assert_ok!(Lending::repay(origin(ALICE), USDC.id, AmountOrAll::All));
		assert_eq!(Lending::credit_score(&ALICE), 100);
		assert_eq!(Lending::credit_info(&ALICE).bonus, Permill::from_percent(5));

		open_vault(ALICE, DOT, 1_000, 6_000);
		back_with_lvusd(BOB, 5_000);
		next_block(6);
		set_price(DOT, price(850));
		System::reset_events();
		next_block(6);
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_none(), "liquidated");
		let reset = RuntimeEvent::Lending(pallet_lending::Event::CreditReset { who: ALICE });
		assert!(System::events().iter().any(|record| record.event == reset));
		let now = pallet_timestamp::Now::<Test>::get();
		assert_eq!(
			pallet_lending::Credit::<Test>::get(ALICE),
			Some(pallet_lending::CreditRecord::new(now))
		);
		assert_eq!(Lending::credit_score(&ALICE), 0);
		assert_eq!(Lending::credit_info(&ALICE).bonus, Permill::zero());
		assert!(!pallet_lending::Credit::<Test>::contains_key(BOB));
	});
}

#[test]
fn a_vault_above_the_whole_liquidation_ratio_gives_up_only_what_restores_its_target() {
	test(|| {
		assert_ok!(Vaults::set_collateral_type(
			RuntimeOrigin::root(),
			DOT.id,
			partial_vault_params()
		));
		// Alice: 1,000 DOT for 6,000 lvUSD; Bob backs 5,000 lvUSD.
		open_vault(ALICE, DOT, 1_000, 6_000);
		back_with_lvusd(BOB, 5_000);
		let_deposits_join();
		next_block(6);
		// $8.50: $8,500 for 6,000.0x lvUSD, 141.7%. The part that restores 160% with a 10%
		// penalty: (1.6 × 6,000 − 8,500) / (1.6 − 1.1) = 2,200 lvUSD (plus 1.6/0.5 of the fees).
		set_price(DOT, price(850));
		System::reset_events();
		next_block(6);
		let (debt, collateral, repaid, received, auction, returned) = liquidated_vault();
		assert_eq!(liquidated_whole(), Some(false));
		assert!(debt > LVUSD.units(2_200) && debt < LVUSD.units(2_201), "{debt}");
		// The backstop repaid it (all but what the engine's one-time DOT seed was worth) and got
		// DOT worth it with the 10% penalty: 284.7 DOT, not the 1,000 DOT and 600 lvUSD of
		// penalty a whole liquidation would have cost Alice.
		let seed = dot_in_stable(DOT.min_balance, price(850), Rounding::Up);
		assert!(repaid <= debt && debt - repaid <= seed + 1, "{repaid} of {debt}");
		let with_penalty = repaid + Permill::from_percent(10).mul_ceil(repaid);
		assert_eq!(received, stable_in_dot(with_penalty, price(850), Rounding::Down));
		assert!(collateral >= received && collateral - received <= DOT.min_balance + 1);
		assert_eq!((auction, returned), (None, 0));
		// Alice keeps 715.3 DOT for 3,800 lvUSD: 160%.
		let left = Vaults::vault_info(&ALICE, DOT.id).expect("the vault stays");
		assert_eq!(left.collateral, DOT.units(1_000) - collateral);
		let ratio = left.collateral_ratio.expect("a ratio");
		assert!(
			ratio >= FixedU128::from_rational(160, 100)
				&& ratio < FixedU128::from_rational(1_600_001, 1_000_000),
			"{ratio:?}"
		);
		// It is back in the index, safe, and nothing more happens to it.
		assert!(matches!(VaultSlots::<Test>::get(DOT.id, ALICE), Some(VaultSlot::Bucket(_))));
		System::reset_events();
		next_block(6);
		assert_eq!(liquidated_whole(), None);
		// Below 120% it goes whole: $6.00 gives $4,291.7 for 3,800 lvUSD, 112.9%.
		set_price(DOT, price(600));
		next_block(6);
		assert_eq!(liquidated_whole(), Some(true));
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_none());
	});
}

#[test]
fn healthy_vaults_are_never_touched() {
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_000); // 167% at $10
		open_vault(BOB, DOT, 1_000, 6_600); // 152% at $10
		open_vault(CHARLIE, ETH, 10, 10_000); // 300%
		back_with_lvusd(DAVE, 5_000);
		// At $9.95 Bob is at 150.8%: close to the line, still safe.
		set_price(DOT, price(995));
		for _ in 0..5 {
			next_block(6);
		}
		for who in [ALICE, BOB] {
			assert!(Vaults::vault_info(&who, DOT.id).is_some());
			assert!(matches!(VaultSlots::<Test>::get(DOT.id, who), Some(VaultSlot::Bucket(_))));
		}
		assert!(events().iter().all(|event| !matches!(event, Event::VaultQueued { .. })));
		assert_eq!(Liquidation::queue_len(), 0);
	});
}

#[test]
fn the_boundary_is_checked_again_only_when_a_vault_can_have_crossed() {
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_600);
		next_block(6);
		let scan = Scans::<Test>::get(DOT.id);
		assert!(scan.resume.is_none() && !scan.dirty && scan.range.is_some());
		// Another vault near the line; the next block checks what it must and settles again.
		open_vault(BOB, DOT, 1_000, 6_600);
		next_block(6);
		assert!(!Scans::<Test>::get(DOT.id).dirty);
		// Both cross 150% when the price falls below $9.90.
		set_price(DOT, price(989));
		next_block(6);
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_none());
		assert!(Vaults::vault_info(&BOB, DOT.id).is_none());
	});
}

#[test]
fn a_stale_price_stops_detection_until_it_is_fresh() {
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_000);
		make_stale(DOT);
		next_block(6);
		assert_eq!(Liquidation::queue_len(), 0);
		set_price(DOT, price(800));
		next_block(6);
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_none());
	});
}

#[test]
fn a_queued_vault_made_safe_returns_to_the_index() {
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_000);
		// A budget that detects but cannot execute.
		let detect_only = <() as WeightInfo>::on_initialize_base()
			+ <() as WeightInfo>::detect_type() * 2
			+ <() as WeightInfo>::enqueue_vault() * 2
			+ <() as WeightInfo>::check_vault() * 4;
		LiquidationWeight::set(detect_only);
		set_price(DOT, price(850));
		next_block(6);
		assert_eq!(VaultSlots::<Test>::get(DOT.id, ALICE), Some(VaultSlot::Queued));
		// Alice adds collateral before her turn, then the price recovers.
		assert_ok!(Vaults::deposit(origin(ALICE), DOT.id, DOT.units(200)));
		LiquidationWeight::set(Weight::from_parts(500_000_000_000, u64::MAX));
		System::reset_events();
		next_block(6);
		assert!(events().contains(&Event::NoLongerUnsafe {
			item: QueueItem::Vault { asset: DOT.id, owner: ALICE }
		}));
		assert!(matches!(VaultSlots::<Test>::get(DOT.id, ALICE), Some(VaultSlot::Bucket(_))));
		assert_eq!(
			Vaults::vault_info(&ALICE, DOT.id).map(|info| info.collateral),
			Some(DOT.units(1_200))
		);
	});
}

#[test]
fn the_budget_bounds_the_work_of_each_block() {
	test(|| {
		for who in 1..=6 {
			open_vault(who, DOT, 1_000, 6_000);
		}
		// Each goes to an auction (no deposits, no pool). Room for the first (DOT's auction
		// items and the engine's first receipt of DOT with it), a second, and the most a
		// third may cost: three vaults, less than three alone in their blocks would cost.
		let by_auction = VaultWork::Liquidated { backstop: false, auction: true, swap: false };
		let mut weigher = VaultWeigher::default();
		let first = weigher.weight::<Test>(DOT.id, by_auction, false);
		weigher.charge::<Test>(&mut WeightMeter::new(), DOT.id, by_auction, false);
		let vaults = first
			+ weigher.weight::<Test>(DOT.id, by_auction, true)
			+ weigher.bound::<Test>(DOT.id, true);
		assert!(vaults.all_lt(Liquidation::vault_execution_weight(false) * 2));
		let budget = <() as WeightInfo>::on_initialize_base()
			+ <() as WeightInfo>::detect_type() * 2
			+ <() as WeightInfo>::enqueue_vault() * 6
			+ vaults;
		LiquidationWeight::set(budget);
		set_price(DOT, price(850));
		let mut per_block = Vec::new();
		for _ in 0..4 {
			System::set_block_number(System::block_number() + 1);
			Timestamp::set_timestamp(Timestamp::get() + 6_000);
			System::reset_events();
			let used = Liquidation::on_initialize(System::block_number());
			assert!(used.all_lte(budget), "{used:?} within {budget:?}");
			per_block.push(
				events()
					.iter()
					.filter(|event| {
						matches!(event, Event::VaultLiquidated { auction: Some(_), .. })
					})
					.count(),
			);
			check_invariants();
		}
		// Three fit the first block after detection, DOT's auction items paid once; the rest
		// go in the next.
		assert_eq!(per_block[0], 3);
		assert_eq!(per_block.iter().sum::<usize>(), 6);
	});
}

#[test]
fn a_vault_is_charged_the_routes_it_used_and_its_types_shared_items_once_a_block() {
	test(|| {
		let each = |route: VaultRoute| route.each::<Test>();
		let shared = |route: VaultRoute| route.shared::<Test>();
		let (backstop, auction, swap) =
			(VaultRoute::Backstop, VaultRoute::Auction, VaultRoute::Swap);
		let by = |backstop, auction, swap| VaultWork::Liquidated { backstop, auction, swap };
		// Every charge reads whether the engine holds its seed of the collateral.
		let seed_read =
			<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(1);
		let mut weigher = VaultWeigher::default();
		let mut meter = WeightMeter::new();
		let mut charge = |asset, work, seeded| {
			let before = meter.consumed();
			weigher.charge::<Test>(&mut meter, asset, work, seeded);
			meter.consumed() - before - seed_read
		};
		// DOT's first, by the backstop alone: its work and the backstop's shared items.
		assert_eq!(charge(DOT.id, by(true, false, false), true), each(backstop) + shared(backstop));
		// The next by the backstop: its work only.
		assert_eq!(charge(DOT.id, by(true, false, false), true), each(backstop));
		// Shared with an auction: the auction's shared items are not paid yet.
		assert_eq!(
			charge(DOT.id, by(true, true, false), true),
			each(backstop) + each(auction) + shared(auction)
		);
		// ETH pays its own; unseeded, its first receipt too; an attempt counts every route.
		let first_receipt = <() as WeightInfo>::execute_vault_unseeded()
			- <() as WeightInfo>::execute_vaults_auction(1);
		let every = each(backstop) + each(auction) + each(swap);
		assert_eq!(
			charge(ETH.id, VaultWork::Attempted, false),
			every + shared(backstop) + shared(auction) + shared(swap) + first_receipt
		);
		// What all it took went to the deficit and the backstop's gains counts as the backstop.
		assert_eq!(charge(ETH.id, by(false, false, false), true), each(backstop));
		// The bound is never below a charge: every route's work and unpaid items.
		let fresh = VaultWeigher::default();
		for work in [by(true, false, false), by(true, true, false), by(false, false, true)] {
			assert!(fresh
				.weight::<Test>(DOT.id, work, false)
				.all_lte(fresh.bound::<Test>(DOT.id, false)));
		}
		assert_eq!(weigher.bound::<Test>(DOT.id, true), every + shared(swap) + seed_read);
	});
}

#[test]
fn the_backstop_shares_losses_and_gains_pro_rata() {
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_000);
		back_with_lvusd(BOB, 6_000);
		back_with_lvusd(CHARLIE, 4_000);
		set_price(DOT, price(850));
		next_block(6);
		let (debt, collateral, repaid, received, auction, returned) = liquidated_vault();
		assert_eq!(repaid, debt, "the pool of 10,000 repaid all of it");
		assert_eq!((auction, returned), (None, 0));
		// The liquidation took DOT worth the debt + 10% (and the engine's one-time seed); the
		// rest stays in Alice's vault, which owes nothing.
		assert_eq!(collateral, DOT.min_balance + received);
		let kept = Vaults::vault_info(&ALICE, DOT.id).expect("the vault keeps the rest");
		assert_eq!((kept.collateral, kept.debt), (DOT.units(1_000) - collateral, 0));
		assert_eq!(liquidated_whole(), Some(true));
		// Losses and gains split 60/40, within one unit each.
		let left = LVUSD.units(10_000) - debt;
		let (bob, charlie) = (deposit_of(BOB, LVUSD), deposit_of(CHARLIE, LVUSD));
		assert!(bob.abs_diff(left * 6 / 10) <= 1 && charlie.abs_diff(left * 4 / 10) <= 1);
		let (bob_gain, charlie_gain) = (gain_of(BOB, LVUSD, DOT), gain_of(CHARLIE, LVUSD, DOT));
		assert!(bob_gain.abs_diff(received * 6 / 10) <= 1);
		assert!(charlie_gain.abs_diff(received * 4 / 10) <= 1);
		// Value is conserved: claims are what the pool holds, within rounding.
		let pool = BackstopPools::<Test>::get(LVUSD.id).unwrap();
		assert!(pool.deposits - (bob + charlie) <= 2);
		assert!(
			PoolGains::<Test>::get(LVUSD.id, GainAsset::Tokens(DOT.id)).held
				- (bob_gain + charlie_gain)
				<= 2
		);
		// A later depositor shares nothing of the earlier liquidation.
		back_with_lvusd(DAVE, 1_000);
		assert_eq!(gain_of(DAVE, LVUSD, DOT), 0);
		assert_eq!(deposit_of(DAVE, LVUSD), LVUSD.units(1_000));
		for who in [BOB, CHARLIE, DAVE] {
			assert_ok!(Liquidation::withdraw(origin(who), LVUSD.id, AmountOrAll::All));
		}
		assert_eq!(balance(DOT, BOB), DOT.units(STARTING_TOKENS) + bob_gain);
		assert_eq!(balance(DOT, CHARLIE), DOT.units(STARTING_TOKENS) + charlie_gain);
	});
}

#[test]
fn a_deposit_made_once_a_liquidation_is_foreseen_takes_no_share_of_it() {
	test(|| {
		// Bob has backed lvUSD with 100,000 for long; Alice's vault owes 4,900 lvUSD.
		back_with_lvusd(BOB, 100_000);
		open_vault(ALICE, DOT, 1_000, 4_900);
		open_vault(CHARLIE, ETH, 901, 900_001);
		next_block(6);
		// DOT falls to $7.00 (Alice at 143%), and in the same block Charlie puts 900,000 lvUSD
		// into the pool, to take them out after the liquidation.
		set_price(DOT, price(700));
		assert_ok!(Liquidation::deposit(origin(CHARLIE), LVUSD.id, LVUSD.units(900_000)));
		let shares_from = System::block_number() as u32 + 2;
		assert!(events().contains(&Event::Deposited {
			pool: LVUSD.id,
			who: CHARLIE,
			amount: LVUSD.units(900_000),
			shares_from
		}));
		System::reset_events();
		next_block(6);
		let (debt, _, repaid, received, auction, _) = liquidated_vault();
		assert_eq!((repaid, auction), (debt, None), "the backstop repaid it all");
		assert!(debt >= LVUSD.units(4_900) && debt < LVUSD.units(4_901));
		// 4,900 lvUSD and its 10% penalty in DOT at $7.00: all Bob's.
		assert_eq!(received, stable_in_dot(debt + debt / 10, price(700), Rounding::Down));
		let gain = gain_of(BOB, LVUSD, DOT);
		assert!(gain <= received && received - gain <= 1, "{gain} of {received}");
		assert_eq!(deposit_of(BOB, LVUSD), LVUSD.units(100_000) - debt);
		// Charlie bore nothing and gained nothing: he takes out exactly his 900,000.
		assert_eq!(gain_of(CHARLIE, LVUSD, DOT), 0);
		assert_eq!(deposit_of(CHARLIE, LVUSD), LVUSD.units(900_000));
		let before = balance(LVUSD, CHARLIE);
		assert_ok!(Liquidation::withdraw(origin(CHARLIE), LVUSD.id, AmountOrAll::All));
		assert_eq!(balance(LVUSD, CHARLIE) - before, LVUSD.units(900_000));
		assert_eq!(balance(DOT, CHARLIE), DOT.units(STARTING_TOKENS));
	});
}

#[test]
fn a_deposit_shares_in_liquidations_from_the_second_block_after_it() {
	test(|| {
		// Alice is unsafe below $7.35, Bob below $6.00.
		open_vault(ALICE, DOT, 1_000, 4_900);
		open_vault(BOB, DOT, 1_000, 4_000);
		open_vault(CHARLIE, ETH, 10, 10_001);
		assert_ok!(Liquidation::deposit(origin(CHARLIE), LVUSD.id, LVUSD.units(10_000)));
		let made = System::block_number() as u32;
		// The engine's first lvUSD is its seed.
		let waits = LVUSD.units(10_000) - LVUSD.min_balance;
		assert_eq!(Liquidation::deposit_infos(&CHARLIE)[0].waiting, Some((made + 2, waits)));
		// The next block's liquidation goes to auction: the deposit still waits.
		set_price(DOT, price(700));
		System::reset_events();
		next_block(6);
		let (_, _, repaid, _, auction, _) = liquidated_vault();
		assert_eq!(repaid, 0);
		assert!(auction.is_some());
		assert_eq!(deposit_of(CHARLIE, LVUSD), waits);
		// The one after is the deposit's.
		set_price(DOT, price(590));
		System::reset_events();
		next_block(6);
		assert_eq!(Liquidation::deposit_infos(&CHARLIE)[0].waiting, None);
		let (debt, _, repaid, received, _, _) = liquidated_vault();
		assert_eq!(repaid, debt);
		let gain = gain_of(CHARLIE, LVUSD, DOT);
		assert!(gain <= received && received - gain <= 1, "{gain} of {received}");
		let left = deposit_of(CHARLIE, LVUSD);
		assert!(left <= waits - debt && waits - debt - left <= 1, "{left}");
	});
}

#[test]
fn a_pool_emptied_by_a_liquidation_starts_a_new_epoch() {
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_000);
		back_with_lvusd(BOB, 3_000);
		set_price(DOT, price(850));
		next_block(6);
		assert_eq!(BackstopPools::<Test>::get(LVUSD.id).unwrap().epoch, 1);
		assert_eq!(deposit_of(BOB, LVUSD), 0);
		assert!(gain_of(BOB, LVUSD, DOT) > 0);
		// A new deposit after the epoch is worth what it was deposited.
		back_with_lvusd(CHARLIE, 2_000);
		assert_eq!(deposit_of(CHARLIE, LVUSD), LVUSD.units(2_000));
		assert_eq!(gain_of(CHARLIE, LVUSD, DOT), 0);
	});
}

/// Issue case: three liquidations that each leave one unit in the pool. Before the product was
/// kept above its floor, P went 10^18 → 2.49·10^11 → 62 → 0: the third depositor got nothing
/// for 4,000 lvUSD and every later deposit was worth nothing.
#[test]
fn the_backstop_product_never_collapses() {
	test(|| {
		let exact = pallet_vaults::CollateralParams {
			stability_fee: FixedU128::from_u32(0),
			..vault_params()
		};
		assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, exact));
		let target = LVUSD.units(4_000) + 1;
		for (round, (borrower, depositor)) in [(10, 20), (11, 21), (12, 22)].into_iter().enumerate()
		{
			set_price(DOT, price(700));
			open_vault(borrower, DOT, 1_000, 4_000);
			open_vault(depositor, ETH, 5, 4_001);
			let held = Liquidation::pool_deposits(LVUSD.id);
			deposit_units(depositor, LVUSD, target - held);
			assert_eq!(Liquidation::pool_deposits(LVUSD.id), target);
			System::reset_events();
			set_price(DOT, price(570));
			next_block(6);
			let (debt, _, repaid, received, auction, _) = liquidated_vault();
			assert_eq!((debt, repaid, auction), (LVUSD.units(4_000), LVUSD.units(4_000), None));
			// 4,400 lvUSD of DOT at $5.70, of which this round's depositor holds all but the
			// unit left from earlier rounds.
			assert_eq!(received, stable_in_dot(LVUSD.units(4_400), price(570), Rounding::Down));
			let gain = gain_of(depositor, LVUSD, DOT);
			assert!(
				gain <= received && received - gain <= 2,
				"round {round}: {gain} of {received}"
			);
			assert!(deposit_of(depositor, LVUSD) <= 1);
			let pool = BackstopPools::<Test>::get(LVUSD.id).unwrap();
			assert!(pool.product >= PRODUCT_FLOOR, "round {round}: P = {}", pool.product);
		}
		// A later deposit is worth what was deposited, and comes back whole.
		open_vault(DAVE, ETH, 5, 1_001);
		deposit_units(DAVE, LVUSD, LVUSD.units(1_000));
		assert_eq!(deposit_of(DAVE, LVUSD), LVUSD.units(1_000));
		let before = balance(LVUSD, DAVE);
		assert_ok!(Liquidation::withdraw(origin(DAVE), LVUSD.id, AmountOrAll::All));
		assert_eq!(balance(LVUSD, DAVE), before + LVUSD.units(1_000));
	});
}

/// Issue case: the backstop takes all but one planck of an under-water vault's collateral. That
/// planck was auctioned for the rest of the debt, a lot nobody would ever take, holding a slot
/// and its tab in the caps for good.
#[test]
fn a_dust_lot_is_never_auctioned() {
	test(|| {
		// The engine already holds its DOT seed (from a DOT backstop deposit).
		deposit_units(CHARLIE, DOT, DOT.units(1));
		back_with_lvusd(BOB, 1_000);
		open_vault(ALICE, DOT, 100, 500);
		set_price(DOT, price(100));
		let net_deficit = || {
			pallet_vaults::Deficit::<Test>::get() as i128
				- pallet_vaults::Surplus::<Test>::get() as i128
		};
		let before = net_deficit();
		System::reset_events();
		next_block(6);
		let (debt, collateral, repaid, received, auction, returned) = liquidated_vault();
		assert_eq!(collateral, DOT.units(100));
		// The backstop repays what $100 of DOT affords at a 10% penalty, and gets all but a
		// planck of it.
		assert_eq!(repaid, LVUSD.units(100) * 10 / 11);
		assert_eq!(received, DOT.units(100) - 1);
		// The planck is no lot: it goes to the backstop, the rest of the debt to the deficit.
		assert_eq!((auction, returned), (None, 0));
		assert_eq!(AuctionBooks::<Test>::get().running, 0);
		assert_eq!(AuctionBooks::<Test>::get().total_debt, 0);
		assert!(DOT.units(100) - gain_of(BOB, LVUSD, DOT) <= 1);
		// Net of the few seconds' fees that became surplus.
		let added = net_deficit() - before;
		let left = (debt - repaid) as i128;
		assert!(added <= left && added > left - LVUSD.units(1) as i128, "{added} of {left}");
		assert!(events().contains(&Event::SmallLotKept {
			asset: DOT.id,
			owner: ALICE,
			collateral: 1,
			debt: debt - repaid,
		}));
	});
}

#[test]
fn auction_prices_fall_along_the_curve_and_reset() {
	test(|| {
		let auction = Auction { asset: DOT.id, owner: ALICE, lot: 1, tab: 1, started_at: 1_000 };
		let oracle = price(1_000);
		let at = |seconds: u64| Liquidation::auction_price(&auction, oracle, 1_000 + seconds).0;
		// Default: 120% of the oracle, 1% off every minute, from the top again after an hour.
		assert_eq!(at(0), price(1_200));
		assert_eq!(at(59), price(1_200));
		assert_eq!(at(60), price(1_188));
		assert_eq!(at(120), FixedU128::from_rational(1_176_120, 100_000));
		assert!(at(3_599) < at(3_539) && at(3_599) > price(600));
		assert_eq!(at(3_600), price(1_200));
		// A linear curve to zero over 1,000 s with a 50% cusp resets after 501 s.
		let linear = AuctionParams {
			curve: AuctionCurve::Linear { duration: 1_000 },
			cusp: Permill::from_percent(50),
			..DefaultAuctionParams::get()
		};
		assert_ok!(Liquidation::set_auction_params(RuntimeOrigin::root(), DOT.id, linear));
		assert_eq!(linear.cycle(), Some(501));
		assert_eq!(at(250), price(900));
		assert_eq!(at(500), price(600));
		assert_eq!(at(501), price(1_200));
		assert_eq!(Liquidation::auction_price(&auction, oracle, 1_500).1, 1_000 + 501);
	});
}

/// Alice's vault goes to auction with no backstop: 1,000 DOT for 6,000 lvUSD + 10%. Returns the
/// auction and the vault's debt.
fn alice_in_auction(dot_cents: u128) -> (u32, Balance) {
	open_vault(ALICE, DOT, 1_000, 6_000);
	open_vault(DAVE, ETH, 100, 100_000);
	set_price(DOT, price(dot_cents));
	next_block(6);
	let (debt, _, _, _, auction, _) = liquidated_vault();
	(auction.expect("an auction"), debt)
}

#[test]
fn take_sells_collateral_and_the_tab_paid_returns_the_rest_to_the_owner() {
	test(|| {
		let (id, debt) = alice_in_auction(850);
		let auction = Auctions::<Test>::get(id).unwrap();
		let tab = auction.tab;
		assert_eq!(tab, debt + Permill::from_percent(10).mul_ceil(debt));
		assert_eq!(vault_deficit(), debt);
		// At the top the price is $10.20: Dave buys 100 DOT for 1,020 lvUSD.
		let top = price(1_020);
		let dave_lvusd = balance(LVUSD, DAVE);
		assert_ok!(Liquidation::take(origin(DAVE), id, DOT.units(100), top));
		assert_eq!(balance(LVUSD, DAVE), dave_lvusd - LVUSD.units(1_020));
		assert_eq!(balance(DOT, DAVE), DOT.units(STARTING_TOKENS) + DOT.units(100));
		let auction = Auctions::<Test>::get(id).unwrap();
		assert_eq!(auction.tab, tab - LVUSD.units(1_020));
		// Ten minutes later the price is 0.99^10 of the top; Dave buys the rest of the tab.
		next_block(600);
		let now_price =
			Liquidation::auction_price(&auction, price(850), crate::Clock::<Test>::now_secs()).0;
		assert!(now_price < top);
		assert_ok!(Liquidation::take(origin(DAVE), id, DOT.units(1_000), top));
		assert!(Auctions::<Test>::get(id).is_none());
		let bought = stable_in_dot(auction.tab, now_price, Rounding::Down);
		let returned = auction.lot - bought;
		assert!(events().contains(&Event::AuctionEnded { id, returned, uncovered: 0 }));
		assert_eq!(balance(DOT, ALICE), DOT.units(STARTING_TOKENS) - DOT.units(1_000) + returned);
		// The debt is covered and the penalty is surplus.
		assert_eq!(vault_deficit(), 0);
		assert!(
			pallet_vaults::Surplus::<Test>::get()
				>= Permill::from_percent(10).mul_floor(LVUSD.units(6_000))
		);
		assert_eq!(AuctionBooks::<Test>::get().total_debt, 0);
	});
}

/// Maker Clipper's rule: a take that would leave less than the minimum tab buys less instead,
/// and a tab at the minimum is sold only with the whole lot, which may leave any tab as deficit.
#[test]
fn a_take_never_leaves_a_dust_tab_unless_it_buys_the_whole_lot() {
	test(|| {
		let (id, _) = alice_in_auction(850);
		let top = price(1_020);
		let tab = Auctions::<Test>::get(id).unwrap().tab;
		// Dave asks for what would leave half an lvUSD of tab: he gets what leaves one.
		let almost_all = stable_in_dot(tab - LVUSD.units(1) / 2, top, Rounding::Down);
		let dave_lvusd = balance(LVUSD, DAVE);
		assert_ok!(Liquidation::take(origin(DAVE), id, almost_all, top));
		let auction = Auctions::<Test>::get(id).unwrap();
		assert_eq!(auction.tab, LVUSD.units(1));
		assert_eq!(balance(LVUSD, DAVE), dave_lvusd - (tab - LVUSD.units(1)));
		// Now a take must pay the whole tab or take the whole lot.
		assert_noop!(
			Liquidation::take(origin(DAVE), id, DOT.min_balance, top),
			Error::TakeLeavesTooLittle
		);
		assert_ok!(Liquidation::take(origin(DAVE), id, auction.lot, top));
		assert!(Auctions::<Test>::get(id).is_none());
		assert_eq!(AuctionBooks::<Test>::get().total_debt, 0);
		assert_eq!(vault_deficit(), 0);
	});
}

/// Storage version 0 kept the auction books in three values (the counted map's counter,
/// `NextAuctionId`, `TotalDebtInAuction`). The migration to version 1 rebuilds `AuctionBooks`
/// from the running auctions, never lowers the next identifier (ended auctions keep theirs),
/// removes the old values and runs once.
#[test]
fn the_version_1_migration_rebuilds_the_auction_books_from_the_auctions() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use migrations::v1::{write_v0_layout, MigrateV0ToV1};
	test(|| {
		let (first, _) = alice_in_auction(850);
		// Bob's vault goes to auction too (154% at $8.50, 145% at $8.00), then Alice's is
		// bought whole: auction 1 runs and identifiers 0 and 1 are used.
		open_vault(BOB, DOT, 1_000, 5_500);
		set_price(DOT, price(800));
		next_block(6);
		assert_ok!(Liquidation::take(origin(DAVE), first, DOT.units(1_000), price(2_000)));
		let books = AuctionBooks::<Test>::get();
		let bob = Auctions::<Test>::get(1).expect("Bob's auction");
		assert_eq!(books, AuctionBook { running: 1, next_id: 2, total_debt: bob.tab });

		write_v0_layout::<Test>();
		assert_eq!(AuctionBooks::<Test>::get(), AuctionBook::default());
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(0));
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(AuctionBooks::<Test>::get(), books);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(1));
		assert_ok!(Liquidation::do_try_state());
		// Once only: at version 1 it does nothing, even to books that disagree.
		AuctionBooks::<Test>::mutate(|books| books.running = 9);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(AuctionBooks::<Test>::get().running, 9);
		AuctionBooks::<Test>::put(books);

		// Identifiers past the running auctions (auctions 2 to 6 ended) stay used.
		AuctionBooks::<Test>::mutate(|books| books.next_id = 7);
		write_v0_layout::<Test>();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(AuctionBooks::<Test>::get(), AuctionBook { next_id: 7, ..books });
		assert_ok!(Liquidation::do_try_state());
	});
}

/// Storage version 1 named the backstop pools' storage `Pools`; the migration to version 2
/// moves every pool, as it is, to `BackstopPools`, and runs once.
#[test]
fn the_version_2_migration_moves_the_backstop_pools_to_their_name() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use migrations::v2::{write_v1_layout, MigrateV1ToV2};
	test(|| {
		back_with_lvusd(BOB, 5_000);
		deposit_units(CHARLIE, DOT, DOT.units(10));
		let stored = || -> Vec<_> {
			BackstopPools::<Test>::iter()
				.map(|(asset, pool)| (asset, codec::Encode::encode(&pool)))
				.collect()
		};
		let pools = stored();
		assert_eq!(pools.len(), 2);

		write_v1_layout::<Test>();
		assert_eq!(BackstopPools::<Test>::iter().count(), 0);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(1));
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(stored(), pools);
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(2));
		assert_ok!(Liquidation::do_try_state());
		assert_eq!(deposit_of(BOB, LVUSD), LVUSD.units(5_000));
		// Once only: at version 2 it moves nothing.
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(stored(), pools);
	});
}

/// Issue case: an auction running when governance shuts the vault system down. Every take then
/// failed, the lot stayed in the engine's account for good, Alice lost her excess and lvUSD
/// holders were under-paid at redemption.
#[test]
fn the_shutdown_sends_running_auctions_to_redemption() {
	test(|| {
		// Alice: 10 ETH at $3,000 against 19,000 lvUSD; no backstop and no ETH pool. At $2,800
		// she is at 147%.
		open_vault(ALICE, ETH, 10, 19_000);
		set_price(ETH, price(280_000));
		next_block(6);
		let id = liquidated_vault().4.expect("an auction");
		let Auction { lot, tab, .. } = Auctions::<Test>::get(id).unwrap();
		assert_eq!(lot, ETH.units(10) - ETH.min_balance);
		assert_noop!(Liquidation::snip(origin(DAVE), id), Error::NotShutDown);
		assert_noop!(
			<Vaults as lever_primitives::VaultLiquidation<u64>>::add_to_redemption(
				&DAVE, ETH.id, 1
			),
			pallet_vaults::Error::<Test>::NotShutDown
		);

		assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
		assert_noop!(
			Vaults::fix_redemption(origin(DAVE)),
			pallet_vaults::Error::<Test>::AuctionsRunning
		);
		// Prices move afterwards; the frozen $2,800 counts. The next block cancels the auction:
		// ETH worth the tab to redemption, the rest back to Alice.
		set_price(ETH, price(100_000));
		let alice_eth = balance(ETH, ALICE);
		System::reset_events();
		next_block(6);
		assert!(Auctions::<Test>::get(id).is_none());
		let frozen = (ETH.decimals, price(280_000));
		let redeemed = convert(tab, (LVUSD.decimals, price(100)), frozen, Rounding::Up).unwrap();
		let returned = lot - redeemed;
		assert!(events().contains(&Event::AuctionSnipped { id, redeemed, returned, tab }));
		assert_eq!(balance(ETH, ALICE), alice_eth + returned);
		assert_eq!(AuctionBooks::<Test>::get().total_debt, 0);
		assert_noop!(Liquidation::snip(origin(DAVE), id), Error::NoAuction);

		// Alice's 19,000 lvUSD are all there is: they redeem ETH worth the whole tab (19,000
		// with fees and the 10% penalty) at the frozen price.
		assert_ok!(Vaults::fix_redemption(origin(DAVE)));
		let before = balance(ETH, ALICE);
		assert_ok!(Vaults::redeem(origin(ALICE), LVUSD.units(19_000)));
		assert_eq!(balance(ETH, ALICE) - before, redeemed);
		assert!(tab > LVUSD.units(20_900));
	});
}

/// The permissionless call cancels an auction at once, without waiting for the next block.
#[test]
fn anyone_can_snip_an_auction_after_the_shutdown() {
	test(|| {
		let (id, _) = alice_in_auction(850);
		assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
		assert_ok!(Liquidation::snip(origin(DAVE), id));
		assert!(Auctions::<Test>::get(id).is_none());
		assert_eq!(Liquidation::running_auctions(), 0);
	});
}

fn vault_deficit() -> Balance {
	pallet_vaults::Deficit::<Test>::get()
}

#[test]
fn take_fails_cleanly() {
	test(|| {
		let (id, _) = alice_in_auction(850);
		let top = price(1_020);
		assert_noop!(Liquidation::take(origin(DAVE), id + 1, 1, top), Error::NoAuction);
		assert_noop!(Liquidation::take(origin(DAVE), id, 0, top), Error::ZeroAmount);
		assert_noop!(Liquidation::take(origin(DAVE), id, 1, price(1_019)), Error::PriceTooHigh);
		// Without lvUSD a take fails in the asset pallet and changes nothing.
		assert_noop!(
			Liquidation::take(origin(CHARLIE), id, DOT.units(1), top),
			sp_runtime::TokenError::FundsUnavailable
		);
		make_stale(DOT);
		assert_noop!(
			Liquidation::take(origin(DAVE), id, DOT.units(1), top),
			Error::PriceUnavailable
		);
	});
}

#[test]
fn deficit_stays_only_when_the_collateral_is_gone() {
	test(|| {
		// At $5 the 1,000 DOT are worth $5,000 against 6,000 lvUSD.
		let (id, debt) = alice_in_auction(500);
		assert_eq!(vault_deficit(), debt, "recorded, not lost");
		// Leaving a lot below DOT's minimum balance is refused.
		let lot = Auctions::<Test>::get(id).unwrap().lot;
		assert_noop!(
			Liquidation::take(origin(DAVE), id, lot - DOT.min_balance / 2, price(600)),
			Error::TakeLeavesTooLittle
		);
		// Dave buys every DOT at the top price of $6: 6,000 lvUSD less the seed's share.
		assert_ok!(Liquidation::take(origin(DAVE), id, DOT.units(1_000), price(600)));
		let paid = dot_in_stable(DOT.units(1_000) - DOT.min_balance, price(600), Rounding::Up);
		let ended = events().into_iter().find_map(|event| match event {
			Event::AuctionEnded { uncovered, returned, .. } => Some((uncovered, returned)),
			_ => None,
		});
		let (uncovered, returned) = ended.expect("the auction ended");
		assert_eq!(returned, 0);
		assert!(uncovered > 0);
		// What the sale did not cover is deficit, less the fees' surplus netted against it.
		assert!(paid < debt);
		assert!(vault_deficit() <= debt - paid && vault_deficit() + LVUSD.units(1) >= debt - paid);
		assert_eq!(pallet_vaults::Surplus::<Test>::get().min(vault_deficit()), 0, "healed");
	});
}

/// The `whole` flag of the block's `VaultLiquidated` event, if a vault was liquidated.
fn liquidated_whole() -> Option<bool> {
	events().into_iter().find_map(|event| match event {
		Event::VaultLiquidated { whole, .. } => Some(whole),
		_ => None,
	})
}

#[test]
fn a_full_auction_cap_liquidates_what_fits_keeps_the_backstops_part_and_waits_without_retrying() {
	test(|| {
		let capped = AuctionParams { max_debt: LVUSD.units(1_000), ..DefaultAuctionParams::get() };
		assert_ok!(Liquidation::set_auction_params(RuntimeOrigin::root(), DOT.id, capped));
		open_vault(ALICE, DOT, 1_000, 6_000);
		back_with_lvusd(BOB, 2_000);
		let_deposits_join();
		next_block(6);
		// $8.50: 141.7%, under 150% (and the mock's whole-liquidation ratio).
		set_price(DOT, price(850));
		System::reset_events();
		next_block(6);
		// The backstop repaid all it had, and an auction took what fits the 1,000 lvUSD cap:
		// 909.09 lvUSD of debt for a 1,000 lvUSD tab. The rest stays in the vault.
		let (debt, _, repaid, _, auction, _) = liquidated_vault();
		assert_eq!(repaid, LVUSD.units(2_000));
		assert_eq!(liquidated_whole(), Some(false));
		let auction = Auctions::<Test>::get(auction.expect("an auction")).expect("running");
		assert!(auction.tab <= LVUSD.units(1_000) && auction.tab + 2 >= LVUSD.units(1_000));
		assert_eq!(DebtInAuction::<Test>::get(DOT.id), auction.tab);
		let left = Vaults::vault_info(&ALICE, DOT.id).expect("the rest waits for room");
		assert!(left.debt > LVUSD.units(3_090) && left.debt < LVUSD.units(3_091), "{}", left.debt);
		assert!(debt > LVUSD.units(2_909) && debt < LVUSD.units(2_910), "{debt}");
		assert_eq!(deposit_of(BOB, LVUSD), 0);

		// Next block the vault is tried once more: nothing can take any of it, and nothing of
		// the backstop's part is undone.
		System::reset_events();
		next_block(6);
		assert!(events().iter().any(|event| matches!(
			event,
			Event::Deferred { error, .. } if *error == DispatchError::from(Error::AuctionCapReached)
		)));
		assert!(Stalled::<Test>::contains_key(DOT.id));
		let now = Vaults::vault_info(&ALICE, DOT.id).unwrap();
		assert_eq!(now.collateral, left.collateral, "untouched");
		assert!(now.debt >= left.debt && now.debt - left.debt < LVUSD.units(1), "fees only");
		assert_eq!(deposit_of(BOB, LVUSD), 0);
		// Then it is left alone: no queueing, no retry, block after block.
		for _ in 0..3 {
			System::reset_events();
			next_block(6);
			assert_eq!(events(), vec![]);
			assert!(matches!(VaultSlots::<Test>::get(DOT.id, ALICE), Some(VaultSlot::Bucket(_))));
		}
		// Room under the cap: the rest goes to a second auction and the vault is gone.
		let raised = AuctionParams { max_debt: LVUSD.units(10_000), ..capped };
		assert_ok!(Liquidation::set_auction_params(RuntimeOrigin::root(), DOT.id, raised));
		System::reset_events();
		next_block(6);
		assert_eq!(liquidated_whole(), Some(true));
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_none());
		assert!(!Stalled::<Test>::contains_key(DOT.id));
		assert_eq!(AuctionBooks::<Test>::get().running, 2);
		assert!(DebtInAuction::<Test>::get(DOT.id) <= LVUSD.units(10_000));
	});
}

/// Alice supplies 1,000 DOT ($10,000; liquidation limit $8,000) and borrows 6,900 USDC that Bob
/// supplied.
fn alice_borrows_usdc() {
	assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(100_000)));
	assert_ok!(Lending::supply(origin(ALICE), DOT.id, DOT.units(1_000)));
	assert_ok!(Lending::borrow(origin(ALICE), USDC.id, USDC.units(6_900)));
}

#[test]
fn a_flag_on_a_healthy_account_fails_and_changes_nothing() {
	test(|| {
		alice_borrows_usdc();
		assert_noop!(Liquidation::flag(origin(CHARLIE), ALICE), Error::NotLiquidatable);
		assert_noop!(Liquidation::flag(origin(CHARLIE), DAVE), Error::NotLiquidatable);
	});
}

#[test]
fn a_flagged_account_is_liquidated_by_the_backstop_and_the_flag_is_free() {
	test(|| {
		alice_borrows_usdc();
		deposit_units(CHARLIE, USDC, USDC.units(5_000));
		set_price(DOT, price(800));
		let result = Liquidation::flag(origin(DAVE), ALICE);
		assert_eq!(result, Ok(PostDispatchInfo { actual_weight: None, pays_fee: Pays::No }));
		assert_noop!(Liquidation::flag(origin(DAVE), ALICE), Error::AlreadyQueued);
		next_block(6);
		// Close factor 50%: 3,450 USDC repaid for 3,450 × 1.08 / 8 = 465.75 DOT.
		let liquidated = events().into_iter().find_map(|event| match event {
			Event::LendingLiquidated { repaid, seized, .. } => Some((repaid, seized)),
			_ => None,
		});
		let (repaid, seized) = liquidated.expect("liquidated");
		assert!(repaid >= USDC.units(3_450) && repaid <= USDC.units(3_451));
		let expected = DOT.units(46_575) / 100;
		assert!(seized.abs_diff(expected) <= DOT.units(1) / 100, "{seized}");
		// Still liquidatable after it, so the same pair went again in the same round, until
		// Alice was healthy.
		let rounds = events()
			.iter()
			.filter(|event| matches!(event, Event::LendingLiquidated { .. }))
			.count();
		assert_eq!(rounds, 2);
		assert!(!Flagged::<Test>::contains_key(ALICE));
		assert!(!pallet_lending::Pallet::<Test>::account_liquidity(&ALICE)
			.unwrap()
			.is_liquidatable());
		assert!(deposit_of(CHARLIE, USDC) < USDC.units(5_000) - repaid);
		assert!(gain_of(CHARLIE, USDC, DOT) > seized - DOT.min_balance - 2);
	});
}

/// Case 1 of the review, the permissionless call: with no backstop behind her debt, anyone can
/// liquidate Alice before the engine does.
#[test]
fn anyone_can_liquidate_an_account_the_backstop_does_not_cover() {
	test(|| {
		alice_borrows_usdc();
		set_price(DOT, price(800));
		// Anyone can liquidate her: Charlie repays half the 6,900 USDC for 3,450 × 1.08 / 8 DOT.
		let charlie_dot = balance(DOT, CHARLIE);
		assert_ok!(Lending::liquidate(
			origin(CHARLIE),
			ALICE,
			USDC.id,
			DOT.id,
			USDC.units(10_000),
			lever_primitives::SeizedAs::Tokens
		));
		assert_eq!(balance(DOT, CHARLIE), charlie_dot + DOT.units(46_575) / 100);
	});
}

/// Case 5 of the review: an account no route can liquidate (every attempt fails; here its
/// collateral market is frozen) leaves the queue and is not queued again, free or not, until
/// something its liquidation depends on changes.
#[test]
fn an_uncoverable_account_is_not_queued_again_until_something_changes() {
	test(|| {
		alice_borrows_usdc();
		deposit_units(CHARLIE, USDC, USDC.units(10_000));
		set_price(DOT, price(800));
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		assert_ok!(Lending::set_market_status(
			RuntimeOrigin::root(),
			DOT.id,
			pallet_lending::MarketStatus::Frozen
		));
		next_block(6);
		assert!(events().contains(&Event::LendingUncovered { account: ALICE }));
		assert!(Uncovered::<Test>::contains_key(ALICE));
		for _ in 0..3 {
			assert_noop!(Liquidation::flag(origin(DAVE), ALICE), Error::Unchanged);
			next_block(6);
		}
		// Governance lets the market move again: the engine has work.
		assert_ok!(Lending::set_market_status(
			RuntimeOrigin::root(),
			DOT.id,
			pallet_lending::MarketStatus::Paused
		));
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		next_block(6);
		assert!(events()
			.iter()
			.any(|event| matches!(event, Event::LendingLiquidated { account: ALICE, .. })));
		assert!(!Uncovered::<Test>::contains_key(ALICE));
	});
}

/// Case 2 of the review, rescaled: Bob supplies 1,000,000 USDC, Alice supplies 10,000 DOT and
/// borrows 60,000 USDC, Bob borrows all the DOT cash, Charlie backs USDC with 100,000; DOT falls
/// to $7.30 (health 10,000 × $7.30 × 80% / $60,000 = 0.973), Alice is flagged and the next
/// block runs.
fn alice_liquidated_against_lent_out_dot() {
	assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(1_000_000)));
	assert_ok!(Lending::supply(origin(ALICE), DOT.id, DOT.units(10_000)));
	assert_ok!(Lending::borrow(origin(ALICE), USDC.id, USDC.units(60_000)));
	let cash = pallet_lending::Markets::<Test>::get(DOT.id).unwrap().cash;
	assert_ok!(Lending::borrow(origin(BOB), DOT.id, cash));
	deposit_units(CHARLIE, USDC, USDC.units(100_000));
	set_price(DOT, price(730));
	assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
	next_block(6);
}

/// Case 2 of the review (DOT's fall rescaled to $7.30): Alice's DOT market has lent out all its
/// cash, so the USDC backstop is paid in DOT supply shares, in the next block, and its
/// depositor is paid them as shares until the market has cash again, then as tokens.
#[test]
fn the_backstop_takes_supply_shares_when_the_collateral_market_has_no_cash() {
	test(|| {
		alice_liquidated_against_lent_out_dot();
		let (repaid, seized, route) = events()
			.into_iter()
			.find_map(|event| match event {
				Event::LendingLiquidated { repaid, seized, route, .. } => {
					Some((repaid, seized, route))
				},
				_ => None,
			})
			.expect("liquidated in the next block");
		assert_eq!(route, LendingRoute::Backstop { seized_as: SeizedAs::Shares });
		// Close factor 50%: 30,000 USDC (and a block's interest) for 30,000 × 1.08 / 7.30
		// = 4,438.36 DOT.
		assert!(repaid >= USDC.units(30_000) && repaid < USDC.units(30_001), "{repaid}");
		assert!(seized.abs_diff(DOT.units(443_836) / 100) < DOT.units(1) / 100, "{seized}");
		let engine = Liquidation::account_id();
		let shares = <Lending as LendingLiquidation<u64>>::supply_shares(&engine, DOT.id);
		assert!(shares > 0);
		assert_eq!(PoolGains::<Test>::get(USDC.id, GainAsset::Supply(DOT.id)).held, shares);
		// Charlie withdraws while the market has no cash: he is paid the shares themselves.
		assert_ok!(Liquidation::withdraw(
			origin(CHARLIE),
			USDC.id,
			AmountOrAll::Amount(USDC.units(1_000))
		));
		let charlie = <Lending as LendingLiquidation<u64>>::supply_shares(&CHARLIE, DOT.id);
		assert!(charlie.abs_diff(shares) <= 1, "{charlie} of {shares}");
		assert_eq!(balance(DOT, CHARLIE), DOT.units(STARTING_TOKENS));
		let value = <Lending as LendingPositions<u64>>::supplied(&CHARLIE, DOT.id).unwrap();
		assert!(value.abs_diff(seized) <= 2, "{value} for {seized}");
	});
}

/// With cash in the collateral market, a gain received as supply shares is paid as tokens.
#[test]
fn supply_gains_are_paid_as_tokens_once_the_market_has_cash() {
	test(|| {
		alice_liquidated_against_lent_out_dot();
		// Bob repays his DOT: the market has cash again.
		assert_ok!(Lending::repay(origin(BOB), DOT.id, AmountOrAll::All));
		let gain = Liquidation::gain(
			USDC.id,
			&Deposits::<Test>::get(USDC.id, CHARLIE).unwrap(),
			&BackstopPools::<Test>::get(USDC.id).unwrap(),
			GainAsset::Supply(DOT.id),
		);
		assert!(gain > 0);
		let before = balance(DOT, CHARLIE);
		assert_ok!(Liquidation::withdraw(origin(CHARLIE), USDC.id, AmountOrAll::All));
		let received = balance(DOT, CHARLIE) - before;
		// Over 4,438 DOT, and what the shares earned meanwhile.
		assert!(received > DOT.units(4_438), "{received}");
		assert_eq!(<Lending as LendingLiquidation<u64>>::supply_shares(&CHARLIE, DOT.id), 0);
	});
}

/// Case 5 of the review: lending flags fill at most their share of the queue, so a vault made
/// unsafe is still queued and liquidated.
#[test]
fn lending_flags_never_starve_vault_detection() {
	test(|| {
		MaxFlaggedAccounts::set(3);
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(500_000)));
		deposit_units(CHARLIE, USDC, USDC.units(1_000));
		let borrowers = 10..20u64;
		for who in borrowers.clone() {
			assert_ok!(Lending::supply(origin(who), DOT.id, DOT.units(100)));
			assert_ok!(Lending::borrow(origin(who), USDC.id, USDC.units(690)));
		}
		open_vault(ALICE, ETH, 10, 19_000);
		set_price(DOT, price(800));
		set_price(ETH, price(280_000));
		for who in borrowers.clone().take(3) {
			assert_ok!(Liquidation::flag(origin(DAVE), who));
		}
		for who in borrowers.skip(3) {
			assert_noop!(Liquidation::flag(origin(DAVE), who), Error::QueueFull);
		}
		next_block(6);
		assert!(events()
			.iter()
			.any(|event| matches!(event, Event::VaultLiquidated { owner: ALICE, .. })));
	});
}

/// Case 3 of the review, through the engine: once the ETH is gone, the debt left against DOT
/// dust worth less than one unit of USDC is written off in the same round.
#[test]
fn the_engine_writes_off_debt_left_against_dust_in_the_same_round() {
	test(|| {
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(100_000)));
		assert_ok!(Lending::supply(origin(ALICE), ETH.id, ETH.units(20)));
		assert_ok!(Lending::supply(origin(ALICE), DOT.id, 2 * DOT.min_balance));
		assert_ok!(Lending::borrow(origin(ALICE), USDC.id, USDC.units(40_000)));
		deposit_units(CHARLIE, USDC, USDC.units(100_000));
		// DOT collapses to a millionth of a dollar: Alice's 0.0001 DOT covers no unit of USDC.
		set_price(DOT, FixedU128::from_rational(1, 1_000_000));
		set_price(ETH, price(200_000));
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		for _ in 0..10 {
			next_block(6);
			if !Flagged::<Test>::contains_key(ALICE) {
				break;
			}
		}
		let events = events();
		let last_liquidation = events
			.iter()
			.rposition(|event| matches!(event, Event::LendingLiquidated { .. }))
			.expect("liquidated");
		assert_eq!(
			events.get(last_liquidation + 1),
			Some(&Event::LendingWrittenOff { account: ALICE })
		);
		assert!(pallet_lending::Pallet::<Test>::supply_of(&ALICE, ETH.id).is_none());
		assert!(pallet_lending::Pallet::<Test>::positions_of(&ALICE).is_empty());
		let bad_debt = pallet_lending::BadDebt::<Test>::get(USDC.id);
		assert!(bad_debt > 0, "the rest of the debt is recorded");
		assert_eq!(Liquidation::queue_len(), 0);
	});
}

/// Case 6 of the review: every (debt, collateral) attempt is charged, and the engine stops
/// when its budget is spent, to go on next block.
#[test]
fn every_lending_attempt_is_charged_within_the_budget() {
	test(|| {
		// Alice's collateral is DOT and ETH, in markets governance has frozen: every attempt
		// fails.
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(1_000_000)));
		assert_ok!(Lending::supply(origin(ALICE), DOT.id, DOT.units(1_000)));
		assert_ok!(Lending::supply(origin(ALICE), ETH.id, ETH.units(2)));
		assert_ok!(Lending::borrow(origin(ALICE), USDC.id, USDC.units(10_000)));
		for asset in [DOT, ETH] {
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				asset.id,
				pallet_lending::MarketStatus::Frozen
			));
		}
		deposit_units(CHARLIE, USDC, USDC.units(100_000));
		let idle = Liquidation::on_initialize(System::block_number());
		set_price(DOT, price(500));
		set_price(ETH, price(100_000));
		assert!(pallet_lending::Pallet::<Test>::account_liquidity(&ALICE)
			.unwrap()
			.is_liquidatable());

		let attempt = <Test as Config>::WeightInfo::execute_lending();
		let budget = LiquidationWeight::get();
		// Room for one attempt only: the account goes back in the queue for the next block.
		LiquidationWeight::set(idle + attempt);
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		let used = Liquidation::on_initialize(System::block_number());
		assert!(used.all_lte(idle + attempt), "{used:?}");
		assert!(Flagged::<Test>::contains_key(ALICE));
		assert!(!events().contains(&Event::LendingUncovered { account: ALICE }));
		// With room, every route of both pairs is tried and charged its own benchmark: the
		// backstop taking tokens, the backstop taking supply shares, the AMM and the book.
		LiquidationWeight::set(budget);
		let used = Liquidation::on_initialize(System::block_number());
		let sale = <Test as Config>::WeightInfo::execute_lending_amm();
		let book = <Test as Config>::WeightInfo::execute_lending_take_over();
		assert_eq!(used, idle + attempt * 4 + sale * 2 + book * 2);
		assert!(events().contains(&Event::LendingUncovered { account: ALICE }));
	});
}

/// Case 1 of the review (BTC rescaled to the mock's ETH, DOT's fall to $7.20): Bob supplies 100
/// ETH, Alice supplies 10,000 DOT and borrows 20 ETH, and nobody backs ETH. The AMM has DOT/USDC
/// and ETH/USDC pools at the oracle prices but no DOT/ETH pool.
fn alice_borrows_eth_with_no_backstop() {
	assert_ok!(Lending::supply(origin(BOB), ETH.id, ETH.units(100)));
	assert_ok!(Lending::supply(origin(ALICE), DOT.id, DOT.units(10_000)));
	assert_ok!(Lending::borrow(origin(ALICE), ETH.id, ETH.units(20)));
	create_pool(ETH.id, ETH.units(2_000), USDC.id, USDC.units(6_000_000));
}

/// The engine's AMM route in the last `LendingLiquidated` event: (repaid, seized, sold).
fn sold_on_amm() -> Option<(Balance, Balance, Balance)> {
	events().into_iter().rev().find_map(|event| match event {
		Event::LendingLiquidated { repaid, seized, route: LendingRoute::Amm { sold }, .. } => {
			Some((repaid, seized, sold))
		},
		_ => None,
	})
}

/// Case 1 of the review, the engine's own route: with no backstop deposit and no caller, the
/// engine sells the seized DOT through USDC for the ETH it repays, within the slippage cap,
/// and the bonus the sale did not need goes to the DOT market's reserves.
#[test]
fn the_engine_liquidates_by_the_amm_when_no_backstop_covers_the_debt() {
	test(|| {
		alice_borrows_eth_with_no_backstop();
		set_price(DOT, price(720));
		create_pool(DOT.id, DOT.units(1_000_000), USDC.id, USDC.units(7_200_000));
		let engine = Liquidation::account_id();
		let engine_before = (balance(DOT, engine), balance(ETH, engine));
		let reserves = pallet_lending::Markets::<Test>::get(DOT.id).unwrap().reserves;
		// Health about 0.96: 10,000 × $7.20 × 80% = $57,600 against $60,000.
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		next_block(6);
		let (repaid, seized, sold) = sold_on_amm().expect("the AMM route liquidated Alice");
		// Close factor 50%: 10 ETH (and the interest of one block) for 10 × 3,000 × 1.08 / 7.20
		// = 4,500 DOT.
		assert!(repaid >= ETH.units(10) && repaid < ETH.units(10) + ETH.units(1) / 1_000);
		assert!(seized.abs_diff(DOT.units(4_500)) < DOT.units(1), "{seized}");
		// Two pool fees and the impact of $30,000 in $7.2M and $6M pools: within the 3% cap.
		let sold_value =
			convert(sold, (10, price(720)), (18, price(300_000)), Rounding::Up).unwrap();
		assert!(sold_value > repaid, "the pools' fees are paid");
		assert!(sold_value <= repaid * 100 / 97, "{sold_value} for {repaid}");
		// The DOT market keeps the rest of the bonus; the engine keeps nothing.
		let reserves_now = pallet_lending::Markets::<Test>::get(DOT.id).unwrap().reserves;
		assert!(reserves_now >= reserves + seized - sold);
		assert!(System::events().iter().any(|record| record.event
			== RuntimeEvent::Lending(pallet_lending::Event::BonusToReserves {
				asset: DOT.id,
				amount: seized - sold
			})));
		assert_eq!((balance(DOT, engine), balance(ETH, engine)), engine_before);
		assert!(
			<Lending as LendingPositions<u64>>::debt(&ALICE, ETH.id).unwrap()
				< ETH.units(10) + ETH.units(1) / 1_000
		);
		let left = <Lending as LendingPositions<u64>>::supplied(&ALICE, DOT.id).unwrap();
		// (Alice's first supply left the DOT market's seed, its minimum balance.)
		assert!(left.abs_diff(DOT.units(10_000) - DOT.min_balance - seized) <= 1, "{left}");
	});
}

/// The last `LendingLiquidated` event's route, repayment and seizure.
fn last_route() -> Option<(LendingRoute, Balance, Balance)> {
	events().into_iter().rev().find_map(|event| match event {
		Event::LendingLiquidated { route, repaid, seized, .. } => Some((route, repaid, seized)),
		_ => None,
	})
}

/// `who`'s debt in `asset` and supply of `collateral`, accrued to now.
fn position_of(who: u64, asset: TestAsset, collateral: TestAsset) -> (Balance, Balance) {
	(
		<Lending as LendingPositions<u64>>::debt(&who, asset.id).unwrap(),
		<Lending as LendingPositions<u64>>::supplied(&who, collateral.id).unwrap(),
	)
}

/// The AMM route is refused when the pools would sell the collateral past the slippage cap
/// (here a DOT/USDC pool 17% below the oracle): the collateral is not sold cheap, the pair's
/// book takes Alice over instead, and she is liquidated in the same block all the same.
#[test]
fn the_book_takes_over_rather_than_sell_collateral_past_the_slippage_cap() {
	test(|| {
		alice_borrows_eth_with_no_backstop();
		set_price(DOT, price(720));
		create_pool(DOT.id, DOT.units(1_000_000), USDC.id, USDC.units(6_000_000));
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		next_block(6);
		assert_eq!(sold_on_amm(), None);
		// Close factor 50%: 10 ETH (and a block's interest) for 10 × 3,000 × 1.08 / 7.20 =
		// 4,500 DOT.
		let (route, repaid, seized) = last_route().expect("liquidated");
		assert_eq!(route, LendingRoute::TakenOver);
		assert!(repaid >= ETH.units(10) && repaid < ETH.units(10) + ETH.units(1) / 1_000);
		assert!(seized.abs_diff(DOT.units(4_500)) < DOT.units(1), "{seized}");
		let book = Liquidation::book_account(ETH.id, DOT.id).unwrap();
		let (book_debt, book_dot) = position_of(book, ETH, DOT);
		assert!(book_debt.abs_diff(repaid) <= 1, "{book_debt} for {repaid}");
		assert!(book_dot.abs_diff(seized) <= 1, "{book_dot} for {seized}");
		assert!(pallet_lending::Books::<Test>::contains_key(book));
		assert!(!<Lending as LendingLiquidation<u64>>::is_liquidatable(&ALICE).unwrap());
		assert!(!events().contains(&Event::LendingUncovered { account: ALICE }));
	});
}

/// A book is flagged for free only when the engine can unwind it (a backstop deposit or an
/// AMM way); with a DOT/USDC pool at the oracle price the engine sells its collateral for the
/// debt, keeps the rest of the bonus in the DOT market's reserves and closes the book.
#[test]
fn the_engine_unwinds_a_book_once_the_amm_offers_a_way() {
	test(|| {
		alice_borrows_eth_with_no_backstop();
		set_price(DOT, price(720));
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		next_block(6);
		assert_eq!(last_route().map(|(route, ..)| route), Some(LendingRoute::TakenOver));
		let book = Liquidation::book_account(ETH.id, DOT.id).unwrap();
		// Nothing can repay for the book yet: a flag of it gives the engine nothing to do.
		assert_noop!(Liquidation::flag(origin(DAVE), book), Error::NothingToDo);
		create_pool(DOT.id, DOT.units(1_000_000), USDC.id, USDC.units(7_200_000));
		let reserves = pallet_lending::Markets::<Test>::get(DOT.id).unwrap().reserves;
		let (_, book_dot) = position_of(book, ETH, DOT);
		let result = Liquidation::flag(origin(DAVE), book);
		assert_eq!(result, Ok(PostDispatchInfo { actual_weight: None, pays_fee: Pays::No }));
		next_block(6);
		// Liquidated whole in one sale: about 10 ETH for the DOT it costs in two pools.
		let (route, repaid, seized) = last_route().expect("the book is liquidated");
		let LendingRoute::Amm { sold } = route else { panic!("{route:?}") };
		assert!(repaid >= ETH.units(10) && repaid < ETH.units(10) + ETH.units(1) / 1_000);
		assert_eq!(seized, book_dot);
		assert!(!pallet_lending::Books::<Test>::contains_key(book));
		assert!(pallet_lending::Pallet::<Test>::positions_of(&book).is_empty());
		assert!(System::events().iter().any(|record| record.event
			== RuntimeEvent::Lending(pallet_lending::Event::BookClosed { book })));
		let reserves_now = pallet_lending::Markets::<Test>::get(DOT.id).unwrap().reserves;
		assert!(reserves_now >= reserves + seized - sold, "the bonus stays with DOT suppliers");
	});
}

/// Case 2 of the review with nobody backing USDC: the DOT market has no cash, so neither tokens
/// nor a sale can pay; the book takes Alice over in the next block. When Charlie later backs
/// USDC, the backstop liquidates the book whole, in DOT supply shares.
#[test]
fn a_backstop_deposit_unwinds_a_book_later() {
	test(|| {
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(1_000_000)));
		assert_ok!(Lending::supply(origin(ALICE), DOT.id, DOT.units(10_000)));
		assert_ok!(Lending::borrow(origin(ALICE), USDC.id, USDC.units(60_000)));
		let cash = pallet_lending::Markets::<Test>::get(DOT.id).unwrap().cash;
		assert_ok!(Lending::borrow(origin(BOB), DOT.id, cash));
		set_price(DOT, price(730));
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		next_block(6);
		// 30,000 USDC for 30,000 × 1.08 / 7.30 = 4,438.36 DOT, taken over.
		let (route, repaid, seized) = last_route().expect("liquidated in the next block");
		assert_eq!(route, LendingRoute::TakenOver);
		assert!(repaid >= USDC.units(30_000) && repaid < USDC.units(30_001), "{repaid}");
		assert!(seized.abs_diff(DOT.units(443_836) / 100) < DOT.units(1) / 100, "{seized}");
		let book = Liquidation::book_account(USDC.id, DOT.id).unwrap();
		assert_noop!(Liquidation::flag(origin(DAVE), book), Error::NothingToDo);

		deposit_units(CHARLIE, USDC, USDC.units(100_000));
		assert_ok!(Liquidation::flag(origin(DAVE), book));
		next_block(6);
		let (route, repaid, _) = last_route().expect("the book is liquidated");
		assert_eq!(route, LendingRoute::Backstop { seized_as: SeizedAs::Shares });
		assert!(repaid >= USDC.units(30_000) - 1, "{repaid}");
		assert!(!pallet_lending::Books::<Test>::contains_key(book));
		let engine = Liquidation::account_id();
		let shares = <Lending as LendingLiquidation<u64>>::supply_shares(&engine, DOT.id);
		assert_eq!(PoolGains::<Test>::get(USDC.id, GainAsset::Supply(DOT.id)).held, shares);
		assert!(shares > 0);
	});
}

#[test]
fn deposits_and_withdrawals_fail_cleanly() {
	test(|| {
		assert_noop!(Liquidation::deposit(origin(ALICE), USDC.id, 0), Error::ZeroAmount);
		assert_noop!(Liquidation::deposit(origin(ALICE), 77, 1_000), Error::UnknownAsset);
		assert_noop!(Liquidation::deposit(origin(ALICE), DOT.id, DOT.min_balance - 1), Error::Dust);
		assert_noop!(
			Liquidation::deposit(origin(ALICE), DOT.id, u128::MAX),
			sp_runtime::ArithmeticError::Underflow
		);
		assert_noop!(
			Liquidation::withdraw(origin(ALICE), DOT.id, AmountOrAll::All),
			Error::NoDeposit
		);
		deposit_units(ALICE, DOT, DOT.units(10));
		assert_noop!(
			Liquidation::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(0)),
			Error::ZeroAmount
		);
		assert_noop!(
			Liquidation::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.units(11))),
			Error::ExceedsDeposit
		);
		assert_noop!(
			Liquidation::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.units(10) - 1)),
			Error::Dust
		);
		assert_ok!(Liquidation::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.units(4))));
		assert_eq!(deposit_of(ALICE, DOT), DOT.units(6));
		assert_ok!(Liquidation::withdraw(origin(ALICE), DOT.id, AmountOrAll::All));
		assert!(Deposits::<Test>::get(DOT.id, ALICE).is_none());
		assert_eq!(balance(DOT, ALICE), DOT.units(STARTING_TOKENS) - DOT.min_balance);
	});
}

#[test]
fn the_first_deposit_of_an_asset_must_leave_a_whole_deposit_after_the_seed() {
	test(|| {
		// The engine's first DOT is its seed of the minimum balance: of 1,999,999 planck only
		// 999,999 would be deposited, below the minimum balance, so the deposit is refused.
		assert_noop!(
			Liquidation::deposit(origin(ALICE), DOT.id, 2 * DOT.min_balance - 1),
			Error::Dust
		);
		assert_ok!(Liquidation::deposit(origin(ALICE), DOT.id, 2 * DOT.min_balance));
		assert_eq!(Seeds::<Test>::get(DOT.id), Some(DOT.min_balance));
		let_deposits_join();
		assert_eq!(deposit_of(ALICE, DOT), DOT.min_balance);
		// With the seed in place, the minimum balance is a deposit.
		assert_ok!(Liquidation::deposit(origin(BOB), DOT.id, DOT.min_balance));
	});
}

#[test]
fn a_deposit_compounded_below_the_minimum_balance_can_always_be_closed() {
	test(|| {
		// Bob backs lvUSD with 4,950; Charlie with twice lvUSD's minimum balance, all he holds.
		back_with_lvusd(BOB, 4_950);
		open_vault(DAVE, ETH, 10, 10_000);
		let small = 2 * LVUSD.min_balance;
		assert_ok!(Assets::transfer(origin(DAVE), LVUSD.id, CHARLIE, small));
		assert_ok!(Liquidation::deposit(origin(CHARLIE), LVUSD.id, small));
		assert_eq!(balance(LVUSD, CHARLIE), 0);
		let_deposits_join();
		// Alice's 4,900 lvUSD at $7.00 take 99% of the pool: Charlie's deposit falls below the
		// minimum balance, which his account, holding no lvUSD, cannot receive.
		open_vault(ALICE, DOT, 1_000, 4_900);
		set_price(DOT, price(700));
		next_block(6);
		let (debt, _, repaid, _, _, _) = liquidated_vault();
		assert_eq!(repaid, debt);
		let left = deposit_of(CHARLIE, LVUSD);
		let pool = LVUSD.units(4_950) + small;
		let expected = small - mul_div(small, debt, pool, Rounding::Up).unwrap();
		assert!(left <= expected && expected - left <= 1, "{left} of {expected}");
		// 2·10⁶ × (1 − 4,900.000018645358 / 4,950.000002): 20,202 units, below 10⁶.
		assert_eq!(left, 20_202);
		let gain = gain_of(CHARLIE, LVUSD, DOT);
		assert_eq!(gain, 3_111, "planck of DOT");

		// Withdrawing all closes the deposit: the gain is paid, the dust stays with the engine.
		let engine = balance(LVUSD, Liquidation::account_id());
		System::reset_events();
		assert_ok!(Liquidation::withdraw(origin(CHARLIE), LVUSD.id, AmountOrAll::All));
		assert!(Deposits::<Test>::get(LVUSD.id, CHARLIE).is_none());
		assert_eq!(balance(LVUSD, CHARLIE), 0);
		assert_eq!(balance(LVUSD, Liquidation::account_id()), engine);
		assert_eq!(balance(DOT, CHARLIE), DOT.units(STARTING_TOKENS) + gain);
		assert!(events().contains(&Event::DepositDustKept {
			pool: LVUSD.id,
			who: CHARLIE,
			amount: left
		}));
		// Bob's deposit, the rest of the pool, still withdraws whole.
		let bob = deposit_of(BOB, LVUSD);
		let before = balance(LVUSD, BOB);
		assert_ok!(Liquidation::withdraw(origin(BOB), LVUSD.id, AmountOrAll::All));
		assert_eq!(balance(LVUSD, BOB) - before, bob);
	});
}

#[test]
fn governance_calls_check_origin_and_parameters() {
	test(|| {
		let params = DefaultAuctionParams::get();
		assert_noop!(
			Liquidation::set_auction_params(origin(ALICE), DOT.id, params),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Liquidation::set_max_debt_in_auction(origin(ALICE), 1),
			DispatchError::BadOrigin
		);
		for invalid in [
			AuctionParams { buffer: price(99), ..params },
			AuctionParams { tail: 0, ..params },
			AuctionParams { cusp: Permill::zero(), ..params },
			AuctionParams { curve: AuctionCurve::Linear { duration: 0 }, ..params },
			AuctionParams {
				curve: AuctionCurve::Stairstep { step: 60, cut: Permill::one() },
				..params
			},
			AuctionParams {
				curve: AuctionCurve::Stairstep { step: 60, cut: Permill::from_parts(999_999) },
				cusp: Permill::from_parts(1),
				..params
			},
		] {
			assert_noop!(
				Liquidation::set_auction_params(RuntimeOrigin::root(), DOT.id, invalid),
				Error::InvalidParams
			);
		}
		assert_ok!(Liquidation::set_auction_params(RuntimeOrigin::root(), DOT.id, params));
		assert_eq!(Liquidation::auction_params(DOT.id), params);
	});
}

/// `who` supplies 1,000 DOT and borrows `usdc` USDC that Bob supplied.
fn borrows_usdc(who: u64, usdc: u128) {
	assert_ok!(Lending::supply(origin(who), DOT.id, DOT.units(1_000)));
	assert_ok!(Lending::borrow(origin(who), USDC.id, USDC.units(usdc)));
}

/// The engine's calls the offchain sweep submitted, from the transaction pool.
fn pool_calls(
	pool: &parking_lot::RwLock<sp_core::offchain::testing::PoolState>,
) -> Vec<crate::Call<Test>> {
	use codec::Decode;
	pool.read()
		.transactions
		.iter()
		.map(|bytes| {
			let xt = Extrinsic::decode(&mut &bytes[..]).expect("the pool holds our extrinsics");
			match xt.function {
				RuntimeCall::Liquidation(call) => call,
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

/// The accounts the offchain sweep flagged, from the transaction pool.
fn pool_flags(pool: &parking_lot::RwLock<sp_core::offchain::testing::PoolState>) -> Vec<u64> {
	pool_calls(pool)
		.into_iter()
		.map(|call| match call {
			crate::Call::flag_unsigned { account } => account,
			other => panic!("unexpected call {other:?}"),
		})
		.collect()
}

#[test]
fn the_offchain_sweep_flags_exactly_the_liquidatable_accounts() {
	let (mut ext, pool) = new_offchain_test_ext();
	ext.execute_with(|| {
		use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(500_000)));
		deposit_units(BOB, USDC, USDC.units(100_000));
		for who in 10..=15 {
			borrows_usdc(who, 6_900);
		}
		for who in 16..=18 {
			borrows_usdc(who, 3_000);
		}
		set_price(DOT, price(800));
		// Ten accounts, four a run: three runs cover them all; the cursor then wraps.
		for _ in 0..3 {
			Liquidation::offchain_worker(System::block_number());
		}
		let mut flagged = pool_flags(&pool);
		flagged.sort();
		assert_eq!(flagged, (10..=15).collect::<Vec<_>>());
		// The pool admits a flag for a liquidatable account only, and not once it is queued.
		let call = |account| crate::Call::<Test>::flag_unsigned { account };
		assert!(call(10).authorize(TransactionSource::External).unwrap().is_ok());
		assert!(call(16).authorize(TransactionSource::External).unwrap().is_err());
		assert_ok!(Liquidation::flag_unsigned(frame_system::RawOrigin::Authorized.into(), 10));
		assert!(call(10).authorize(TransactionSource::External).unwrap().is_err());
		assert_noop!(
			Liquidation::flag_unsigned(frame_system::RawOrigin::Authorized.into(), 16),
			Error::NotLiquidatable
		);
		assert_noop!(Liquidation::flag_unsigned(origin(ALICE), 11), DispatchError::BadOrigin);
		assert!(events().contains(&Event::AccountFlagged { account: 10, by: None }));
		check_invariants();
	});
}

/// Found by the runtime fuzzer: a flag the chain refused (the next block began with stale
/// prices) must not silence the sweep. It flags the account again two blocks after its flag
/// while the account is still flaggable, and not while it is queued.
#[test]
fn the_sweep_flags_again_an_account_whose_flag_the_chain_refused() {
	let (mut ext, pool) = new_offchain_test_ext();
	ext.execute_with(|| {
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(500_000)));
		borrows_usdc(10, 6_900);
		set_price(DOT, price(800));
		let block = System::block_number();
		Liquidation::offchain_worker(block);
		assert_eq!(pool_flags(&pool), vec![10]);
		// The chain refused it: the pool drops it, the account is not queued.
		pool.write().transactions.clear();
		System::set_block_number(block + 1);
		Liquidation::offchain_worker(block + 1);
		assert!(pool_flags(&pool).is_empty(), "the flag may still be on its way");
		System::set_block_number(block + 2);
		Liquidation::offchain_worker(block + 2);
		assert_eq!(pool_flags(&pool), vec![10]);
		pool.write().transactions.clear();
		// Once queued it is not flagged again.
		assert_ok!(Liquidation::flag_unsigned(frame_system::RawOrigin::Authorized.into(), 10));
		System::set_block_number(block + 4);
		Liquidation::offchain_worker(block + 4);
		assert!(pool_flags(&pool).is_empty());
		check_invariants();
	});
}

/// Case 7 of the review: the sweep reads only accounts with debt, and those exposed to a moved
/// price first. With 50,000 accounts that only supply and 30 borrowers exposed to ETH and USDC
/// only, a DOT borrower made unsafe is flagged in the first run after the move (four accounts a
/// run in the mock), where going through every borrower in turn would take up to eight runs.
#[test]
fn the_sweep_reads_only_debtors_and_moved_prices_first() {
	let (mut ext, pool) = new_offchain_test_ext();
	ext.execute_with(|| {
		use frame_support::traits::fungibles::Mutate;
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(500_000)));
		deposit_units(BOB, USDC, USDC.units(100_000));
		for who in 100_000..150_000u64 {
			assert_ok!(<Assets as Mutate<u64>>::mint_into(DOT.id, &who, DOT.units(2)));
			assert_ok!(Lending::supply(origin(who), DOT.id, DOT.units(1)));
		}
		for who in 5..=34u64 {
			assert_ok!(Lending::supply(origin(who), ETH.id, ETH.units(1)));
			assert_ok!(Lending::borrow(origin(who), USDC.id, USDC.units(100)));
		}
		assert_eq!(pallet_lending::Borrowers::<Test>::iter_keys().count(), 30);
		borrows_usdc(ALICE, 6_900);
		// The first runs see every price for the first time and go through every borrower.
		for _ in 0..20 {
			Liquidation::offchain_worker(System::block_number());
		}
		assert!(pool_flags(&pool).is_empty(), "nobody is liquidatable yet");
		set_price(DOT, price(800));
		Liquidation::offchain_worker(System::block_number());
		assert_eq!(pool_flags(&pool), vec![ALICE]);
		// It is not flagged again while its flag may still be in the pool.
		for _ in 0..10 {
			Liquidation::offchain_worker(System::block_number());
		}
		assert_eq!(pool_flags(&pool), vec![ALICE]);
	});
}

/// Bob supplies 500,000 USDC; accounts 1,000 to 1,199 each borrow 100 of it against one ETH;
/// Alice borrows 6,900 against 1,000 DOT.
fn two_hundred_eth_debtors_and_alice() {
	use frame_support::traits::fungibles::Mutate;
	assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(500_000)));
	for who in 1_000..1_200u64 {
		assert_ok!(<Assets as Mutate<u64>>::mint_into(ETH.id, &who, ETH.units(2)));
		assert_ok!(Lending::supply(origin(who), ETH.id, ETH.units(1)));
		assert_ok!(Lending::borrow(origin(who), USDC.id, USDC.units(100)));
	}
	borrows_usdc(ALICE, 6_900);
}

/// What the offchain sweep keeps between runs.
fn sweep_state() -> crate::offchain::SweepState<u64> {
	sp_runtime::offchain::storage::StorageValueRef::persistent(crate::offchain::STATE_KEY)
		.get()
		.expect("decodes")
		.expect("the sweep keeps its state")
}

/// The review's finding after the debtor index became `Borrowers` alone: a pass over a moved
/// price reads debtors' positions to find the exposed ones, and must not read every debtor in
/// one run. With 201 debtors, 200 of them exposed to ETH and USDC only, the pass over DOT reads
/// 64 debtors a run (`SweepScan` in the mock), resuming where it stopped, and ends in the fourth
/// run; the DOT borrower it is looking for is flagged by the run that reads it.
#[test]
fn a_pass_over_a_moved_price_reads_a_bounded_number_of_debtors_a_run() {
	let (mut ext, pool) = new_offchain_test_ext();
	ext.execute_with(|| {
		two_hundred_eth_debtors_and_alice();
		let debtors: Vec<u64> = pallet_lending::Borrowers::<Test>::iter_keys().collect();
		assert_eq!(debtors.len(), 201);
		let alice_at = debtors.iter().position(|who| *who == ALICE).expect("Alice owes");
		// The first run sees every price for the first time: no pass.
		Liquidation::offchain_worker(System::block_number());
		set_price(DOT, price(800));
		for run in 1..=4usize {
			Liquidation::offchain_worker(System::block_number());
			let read = (run * SWEEP_SCAN as usize).min(debtors.len());
			let pass = sweep_state().pass;
			if read < debtors.len() {
				let pass = pass.expect("the pass goes on");
				assert_eq!(pass.assets, vec![DOT.id]);
				assert_eq!(pass.cursor, Some(debtors[read - 1]), "run {run} read {read}");
			} else {
				assert_eq!(pass, None, "the pass ended in run {run}");
			}
			if alice_at < read {
				assert!(pool_flags(&pool).contains(&ALICE), "run {run} read Alice");
			}
		}
		assert_eq!(pool_flags(&pool), vec![ALICE]);
	});
}

/// Found in review: a pass whose price moved again while it ran started over at the front, so
/// with a price moving every round a long pass ran forever and the passes behind it never did;
/// its checks took the whole batch, so the round-robin stalled too. Here 200 debtors are exposed
/// to ETH, which moves every run, and Alice, who borrows USDC against DOT, becomes liquidatable
/// when DOT falls. The assets that move during a pass wait for the next one, which covers them
/// all, and a quarter of the batch is the round-robin's: Alice is flagged within the stated
/// bound, 2 · (⌈D / SweepScan⌉ + ⌈E / P⌉ + 1) runs with D = 201 debtors, E = 201 and P = 3 of
/// the mock's 4 checks a run: 144 runs.
#[test]
fn a_price_moving_every_run_never_starves_a_pass() {
	let (mut ext, pool) = new_offchain_test_ext();
	ext.execute_with(|| {
		two_hundred_eth_debtors_and_alice();
		let wiggle = |run: u32| set_price(ETH, price(300_000 + u128::from(run % 7) * 100));
		// The first run sees every price for the first time; then ETH moves every run.
		Liquidation::offchain_worker(System::block_number());
		for run in 0..10 {
			wiggle(run);
			Liquidation::offchain_worker(System::block_number());
		}
		set_price(DOT, price(800));
		let (passes, _) = crate::offchain::share_checks(SWEEP_BATCH);
		let bound = 2 * (201u32.div_ceil(SWEEP_SCAN) + 201u32.div_ceil(passes) + 1);
		assert_eq!(bound, 144);
		let mut runs = 0;
		while !pool_flags(&pool).contains(&ALICE) {
			runs += 1;
			assert!(runs <= bound, "Alice not flagged within {bound} runs");
			wiggle(runs);
			Liquidation::offchain_worker(System::block_number());
		}
		let state = sweep_state();
		assert!(state.next.contains(&ETH.id), "moves during a pass wait for the next: {state:?}");
		assert!(pool_flags(&pool).iter().all(|who| *who == ALICE), "nobody else is unsafe");
	});
}

#[test]
fn liquidation_prices_are_where_positions_turn_unsafe() {
	test(|| {
		// A vault of 1,000 DOT owing 6,000 lvUSD at 150% is liquidated below $9.
		open_vault(ALICE, DOT, 1_000, 6_000);
		// 1,000 DOT at an 80% threshold against 6,400 USDC: liquidatable below $8.
		assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(100_000)));
		borrows_usdc(ALICE, 6_400);
		let prices = Liquidation::liquidation_prices(&ALICE);
		let (asset, vault_price) = prices.vaults[0];
		assert_eq!(asset, DOT.id);
		let vault_price = vault_price.expect("a price");
		assert!(vault_price.into_inner().abs_diff(price(900).into_inner()) < 10u128.pow(12));
		let (asset, lending_price) = prices.lending[0];
		assert_eq!(asset, DOT.id);
		// Alice's first supply left the market's seed, so her collateral is a hair under 1,000.
		let lending_price = lending_price.expect("a price");
		assert!(lending_price > price(800) && lending_price < price(801), "{lending_price:?}");
		assert_eq!(Liquidation::liquidation_prices(&BOB).vaults, vec![]);
		assert_eq!(Liquidation::liquidation_prices(&BOB).lending, vec![(USDC.id, None)]);
	});
}

#[test]
fn a_lending_account_whose_collateral_is_gone_has_its_debt_written_off() {
	test(|| {
		use lever_primitives::LendingLiquidation;
		alice_borrows_usdc();
		deposit_units(CHARLIE, USDC, USDC.units(100_000));
		// Writing off needs the account liquidatable, its collateral gone and some debt.
		assert_noop!(
			<Lending as LendingLiquidation<u64>>::write_off(&ALICE),
			pallet_lending::Error::<Test>::NotLiquidatable
		);
		assert_noop!(
			<Lending as LendingLiquidation<u64>>::write_off(&DAVE),
			pallet_lending::Error::<Test>::NoDebt
		);
		set_price(DOT, price(700));
		assert_noop!(
			<Lending as LendingLiquidation<u64>>::write_off(&ALICE),
			pallet_lending::Error::<Test>::HasCollateral
		);
		// At $3 the 1,000 DOT are worth $3,000 against 6,900 USDC: the backstop takes all of it
		// and the rest is written off in the same round.
		set_price(DOT, price(300));
		assert_ok!(Liquidation::flag(origin(DAVE), ALICE));
		next_block(6);
		assert!(pallet_lending::Pallet::<Test>::supply_of(&ALICE, DOT.id).is_none());
		assert!(events().contains(&Event::LendingWrittenOff { account: ALICE }));
		assert!(pallet_lending::Pallet::<Test>::scaled_debt_of(&ALICE, USDC.id).is_none());
		let bad_debt = pallet_lending::BadDebt::<Test>::get(USDC.id);
		assert!(bad_debt > USDC.units(4_000) && bad_debt < USDC.units(4_200), "{bad_debt}");
		assert!(!Flagged::<Test>::contains_key(ALICE));
		assert_eq!(Liquidation::queue_len(), 0);
	});
}

#[test]
fn a_busy_boundary_never_starves_detection_or_execution() {
	test(|| {
		use frame_support::traits::fungibles::Mutate;
		use lever_primitives::VaultLiquidation;
		// 500 safe vaults at 155.8% in one bucket, the boundary once DOT falls to about $9.72.
		for who in 1_000..1_500u64 {
			assert_ok!(<Assets as Mutate<u64>>::mint_into(DOT.id, &who, DOT.units(1_001)));
			open_vault(who, DOT, 1_000, 6_420);
		}
		// Charlie's ETH vault at 160%; Dave backs lvUSD.
		open_vault(CHARLIE, ETH, 10, 18_750);
		back_with_lvusd(DAVE, 30_000);
		let now = Vaults::risk(DOT.id).unwrap();
		let riskiest = IndexedVault {
			collateral: DOT.units(1_000),
			normalized_debt: pallet_vaults::Vaults::<Test>::get(DOT.id, 1_000)
				.unwrap()
				.normalized_debt,
		}
		.debt_per_collateral();
		let target = riskiest * FixedU128::from_rational(1_003, 1_000);
		assert_eq!(bucket_of(target), bucket_of(riskiest), "one boundary bucket");
		set_price(DOT, now.price * target / now.unsafe_ratio);
		// A budget for 100 vault checks a block of detection: the boundary takes blocks to settle.
		let check_100 =
			<() as WeightInfo>::detect_type() * 2 + <() as WeightInfo>::check_vault() * 100;
		LiquidationWeight::set(<() as WeightInfo>::on_initialize_base() + check_100 * 2);
		let mut blocks = 0;
		loop {
			next_block(6);
			blocks += 1;
			let scan = Scans::<Test>::get(DOT.id);
			if scan.resume.is_none() && !scan.dirty {
				break;
			}
			assert!(blocks < 10, "the boundary settles");
		}
		assert!(blocks >= 3, "{blocks} blocks to check 500 vaults");
		assert_eq!(Liquidation::queue_len(), 0);

		// ETH falls 20%; every block someone adds one planck to a boundary vault.
		set_price(ETH, price(240_000));
		let mut rescans = 0;
		for block in 0..2u64 {
			assert_ok!(Vaults::deposit(origin(1_000 + block), DOT.id, 1));
			rescans += u32::from(Scans::<Test>::get(DOT.id).dirty);
			next_block(6);
		}
		assert!(
			Vaults::vault_info(&CHARLIE, ETH.id).is_none_or(|vault| vault.debt == 0),
			"liquidated within two blocks"
		);
		assert_eq!(rescans, 0, "each touched vault is checked alone");
		for who in 1_000..1_500u64 {
			assert!(Vaults::vault_info(&who, DOT.id).is_some());
		}
	});
}

#[test]
fn a_large_boundary_is_checked_across_blocks_from_a_cursor() {
	test(|| {
		use lever_primitives::VaultLiquidation;
		// Forty vaults between 150.1% and 154% at $10.
		for who in 1..=40u64 {
			open_vault(who, DOT, 1_000, 6_660 - who as u128 * 4);
		}
		// The fullest bucket, and a price that puts the unsafe ratio just above its riskiest vault.
		let mut buckets = std::collections::BTreeMap::<BucketKey, Vec<(FixedU128, u64)>>::new();
		for ((_, bucket), owner, vault) in BucketMembers::<Test>::iter() {
			buckets.entry(bucket).or_default().push((vault.debt_per_collateral(), owner));
		}
		let (bucket, members) = buckets.iter().max_by_key(|(_, members)| members.len()).unwrap();
		assert!(members.len() >= 5, "{buckets:?}");
		let (riskiest, _) = *members.iter().max().unwrap();
		let (_, safest_owner) = *members.iter().min().unwrap();
		let target = riskiest * FixedU128::from_rational(10_000_005, 10_000_000);
		assert_eq!(bucket_of(target), *bucket);
		let now = Vaults::risk(DOT.id).unwrap();
		set_price(DOT, now.price * target / now.unsafe_ratio);
		// The vaults above the bucket are liquidated and the boundary is checked and settled.
		next_block(6);
		let settled = Scans::<Test>::get(DOT.id);
		assert!(settled.resume.is_none() && !settled.dirty);
		assert_eq!(settled.riskiest_safe, riskiest);
		assert_eq!(Liquidation::queue_len(), 0);
		// A vault entering the boundary is checked alone: the boundary stays settled.
		assert_ok!(Vaults::mint(origin(safest_owner), DOT.id, LVUSD.units(1)));
		assert_eq!(Scans::<Test>::get(DOT.id).resume, None);
		assert!(!Scans::<Test>::get(DOT.id).dirty);
		// One that cannot be checked alone (a stale price) makes the whole boundary be checked
		// again once the price is fresh, two vaults a block.
		let fresh = Vaults::risk(DOT.id).unwrap().price;
		make_stale(DOT);
		assert_ok!(Vaults::deposit(origin(safest_owner), DOT.id, 1));
		assert!(Scans::<Test>::get(DOT.id).dirty);
		set_price(DOT, fresh);
		LiquidationWeight::set(
			(<() as WeightInfo>::on_initialize_base()
				+ <() as WeightInfo>::detect_type() * 2
				+ <() as WeightInfo>::check_vault() * 2)
				* 2,
		);
		next_block(6);
		assert!(Scans::<Test>::get(DOT.id).resume.is_some(), "the check continues next block");
		let mut blocks = 1;
		while Scans::<Test>::get(DOT.id).resume.is_some() {
			next_block(6);
			blocks += 1;
		}
		// Every boundary vault checked once: two or three fit a block (the second type's
		// detection allowance is left when the first type stops the loop), plus a block to find
		// the end. Detection spends at most half the budget.
		let low = bucket_of(FixedU128::from_inner(
			target.into_inner() - target.into_inner() / 1_000_000_000,
		));
		let in_range: usize = buckets.range(low..=*bucket).map(|(_, members)| members.len()).sum();
		assert!(
			blocks >= in_range.div_ceil(3) && blocks <= in_range.div_ceil(2) + 1,
			"{blocks} blocks for {in_range} vaults"
		);
		let scan = Scans::<Test>::get(DOT.id);
		assert_eq!(scan.riskiest_safe, riskiest);
		assert!(!scan.dirty);
		assert_eq!(Liquidation::queue_len(), 0, "every vault there is safe");
		// Settled: the next block checks nothing.
		next_block(6);
		assert_eq!(Scans::<Test>::get(DOT.id), scan);
	});
}

/// The AMM route's part of the `VaultLiquidated` event: (collateral sold, lvUSD bought).
fn amm_part() -> (Balance, Balance) {
	events()
		.into_iter()
		.find_map(|event| match event {
			Event::VaultLiquidated { amm_sold, amm_bought, .. } => Some((amm_sold, amm_bought)),
			_ => None,
		})
		.expect("a vault was liquidated")
}

/// The reason the AMM route was refused, if it was.
fn swap_refusal() -> Option<DispatchError> {
	events().into_iter().find_map(|event| match event {
		Event::SwapRefused { error, .. } => Some(error),
		_ => None,
	})
}

/// Alice's vault (1,000 DOT for 6,000 lvUSD) with Bob backing 2,000 lvUSD, DOT at $8.50 and a
/// DOT/lvUSD pool of 100,000 DOT at `pool_cents` a DOT; returns the engine's DOT before.
fn unsafe_vault_beside_a_pool(pool_cents: u128) -> Balance {
	open_vault(ALICE, DOT, 1_000, 6_000);
	back_with_lvusd(BOB, 2_000);
	next_block(6);
	set_price(DOT, price(850));
	create_pool(DOT.id, DOT.units(100_000), LVUSD.id, LVUSD.units(100_000 * pool_cents / 100));
	System::reset_events();
	balance(DOT, Liquidation::account_id())
}

#[test]
fn the_amm_buys_the_debt_the_backstop_left_and_the_owner_keeps_the_rest() {
	test(|| {
		unsafe_vault_beside_a_pool(850);
		let alice_dot = balance(DOT, ALICE);
		let surplus = pallet_vaults::Surplus::<Test>::get();
		next_block(6);
		let (debt, collateral, repaid, received, auction, returned) = liquidated_vault();
		assert_eq!(repaid, LVUSD.units(2_000), "the backstop first");
		assert_eq!(auction, None, "no auction");
		assert_eq!(swap_refusal(), None);
		// The AMM bought the rest of the debt with its 10% penalty...
		let (sold, bought) = amm_part();
		let left = debt - repaid;
		assert_eq!(bought, left + Permill::from_percent(10).mul_ceil(left));
		// ...for DOT worth more at the oracle price by the pool's 0.3% fee and ~0.5% impact.
		let sold_value = dot_in_stable(sold, price(850), Rounding::Up);
		assert!(sold_value > bought, "the pool's fee is paid");
		assert!(sold_value <= bought * 101 / 100, "{sold_value}");
		// The liquidation took only what the backstop and the AMM needed (and the engine's
		// one-time DOT seed): the rest stays in Alice's vault, which owes nothing.
		assert_eq!(collateral, DOT.min_balance + received + sold);
		assert_eq!(returned, 0);
		assert_eq!(balance(DOT, ALICE), alice_dot);
		let kept = Vaults::vault_info(&ALICE, DOT.id).expect("the vault keeps the rest");
		assert_eq!((kept.collateral, kept.debt), (DOT.units(1_000) - collateral, 0));
		assert_eq!(liquidated_whole(), Some(true));
		// The debt is burned and the penalty is surplus; nothing is left to auction.
		assert_eq!(pallet_vaults::Deficit::<Test>::get(), 0);
		// (Surplus also gained the stability fees accrued meanwhile, under a lvUSD.)
		let penalty = Permill::from_percent(10).mul_ceil(left);
		let gained = pallet_vaults::Surplus::<Test>::get() - surplus;
		assert!(gained >= penalty && gained < penalty + LVUSD.units(1), "{gained}");
		assert_eq!(AuctionBooks::<Test>::get().running, 0);
		assert_eq!(AuctionBooks::<Test>::get().total_debt, 0);
	});
}

/// As [`unsafe_vault_beside_a_pool`] at the oracle price, and DOT's issuer freezes the
/// engine's DOT (its seed): the AMM quotes the sale, but the engine cannot pay the pool. Returns
/// the engine's account.
fn unsafe_vault_beside_a_pool_the_engine_cannot_pay() -> u64 {
	unsafe_vault_beside_a_pool(850);
	let engine = Liquidation::account_id();
	assert_ok!(Assets::transfer(origin(ALICE), DOT.id, engine, DOT.min_balance));
	Liquidation::after_seed(DOT.id, DOT.min_balance);
	assert_ok!(Assets::freeze(origin(ALICE), DOT.id, engine));
	engine
}

#[test]
fn a_sale_the_amm_quoted_but_refused_falls_back_to_an_auction_in_the_same_block() {
	test(|| {
		let engine = unsafe_vault_beside_a_pool_the_engine_cannot_pay();
		next_block(6);
		assert_eq!(
			swap_refusal(),
			Some(pallet_assets::Error::<Test, pallet_assets::Instance1>::Frozen.into())
		);
		assert_eq!(amm_part(), (0, 0));
		// Liquidated all the same: the backstop's 2,000 lvUSD and an auction for the rest.
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_none(), "liquidated");
		let (debt, collateral, repaid, received, auction, _) = liquidated_vault();
		assert_eq!(repaid, LVUSD.units(2_000));
		let auction = Auctions::<Test>::get(auction.expect("an auction")).expect("running");
		let left = debt - repaid;
		assert_eq!(auction.tab, left + Permill::from_percent(10).mul_ceil(left));
		assert_eq!(auction.lot, collateral - received);
		assert_ok!(Assets::thaw(origin(ALICE), DOT.id, engine));
	});
}

#[test]
fn a_refused_sale_without_room_for_a_retry_is_charged_once_and_waits() {
	test(|| {
		let engine = unsafe_vault_beside_a_pool_the_engine_cannot_pay();
		assert!(Liquidation::detect(DOT.id, &mut WeightMeter::new()));
		let Some(QueueItem::Vault { asset, owner }) = Liquidation::pop() else {
			panic!("Alice's vault is queued");
		};
		// Room for one attempt at its most: the refused sale takes all of it.
		let mut weigher = VaultWeigher::default();
		let bound = weigher.bound::<Test>(DOT.id, true);
		let mut meter = WeightMeter::with_limit(bound);
		Liquidation::execute_vault(asset, owner, &mut meter, &mut weigher);
		assert_eq!(meter.consumed(), bound, "charged once, within the limit");
		assert_eq!(
			swap_refusal(),
			Some(pallet_assets::Error::<Test, pallet_assets::Instance1>::Frozen.into())
		);
		assert!(events().iter().any(|event| matches!(event, Event::Deferred { .. })));
		assert_eq!(
			<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
			Ok(true),
			"it waits for the next block"
		);
		assert_ok!(Assets::thaw(origin(ALICE), DOT.id, engine));
	});
}

#[test]
fn the_amm_route_respects_the_engines_own_slippage_cap() {
	// A pool 2% under the oracle price: within the 3% cap with its 0.3% fee and ~0.5% impact.
	test(|| {
		unsafe_vault_beside_a_pool(833);
		next_block(6);
		let (sold, bought) = amm_part();
		assert!(bought > 0);
		let sold_value = dot_in_stable(sold, price(850), Rounding::Up);
		// The 3% cap bounds the shortfall as a share of what is sold: bought ≥ 97% of its value.
		assert!(sold_value > bought * 102 / 100, "{sold_value}");
		assert!(bought >= Permill::from_percent(97).mul_floor(sold_value), "{sold_value}");
		assert_eq!(liquidated_vault().4, None, "no auction");
	});
	// The same pool whatever the AMM's cap for traders: the engine's own cap decides.
	test(|| {
		unsafe_vault_beside_a_pool(833);
		assert_ok!(Leverage::set_slippage_cap(RuntimeOrigin::root(), Permill::from_percent(1)));
		next_block(6);
		assert!(amm_part().1 > 0, "sold within the engine's 3%");
	});
	// The same pool once governance lowers the engine's cap for DOT to 2%: refused, and the
	// auction takes over.
	test(|| {
		unsafe_vault_beside_a_pool(833);
		let route = AmmRoute::Enabled { max_slippage: Permill::from_percent(2) };
		assert_ok!(Liquidation::set_amm_route(RuntimeOrigin::root(), DOT.id, route));
		assert!(events().contains(&Event::AmmRouteSet { asset: DOT.id, route }));
		let engine_dot = balance(DOT, Liquidation::account_id());
		next_block(6);
		assert_eq!(
			swap_refusal(),
			Some(pallet_leverage::Error::<Test>::SlippageExceeded.into()),
			"refused at the cap"
		);
		assert_eq!(amm_part(), (0, 0));
		let (debt, _, repaid, received, auction, returned) = liquidated_vault();
		let auction = Auctions::<Test>::get(auction.expect("an auction")).expect("running");
		let left = debt - repaid;
		assert_eq!(auction.tab, left + Permill::from_percent(10).mul_ceil(left));
		assert_eq!(returned, 0);
		// Nothing of the refused swap stayed: the engine holds the backstop's DOT and the lot.
		assert_eq!(balance(DOT, Liquidation::account_id()), engine_dot + DOT.units(1_000));
		assert_eq!(auction.lot, DOT.units(1_000) - DOT.min_balance - received);
	});
}

#[test]
fn governance_can_disable_the_amm_route_per_collateral() {
	test(|| {
		unsafe_vault_beside_a_pool(850);
		assert_noop!(
			Liquidation::set_amm_route(origin(ALICE), DOT.id, AmmRoute::Disabled),
			DispatchError::BadOrigin
		);
		for invalid in [Permill::zero(), Permill::from_percent(11)] {
			assert_noop!(
				Liquidation::set_amm_route(
					RuntimeOrigin::root(),
					DOT.id,
					AmmRoute::Enabled { max_slippage: invalid }
				),
				Error::InvalidParams
			);
		}
		assert_ok!(Liquidation::set_amm_route(RuntimeOrigin::root(), DOT.id, AmmRoute::Disabled));
		next_block(6);
		assert_eq!(swap_refusal(), None, "a disabled route is not tried");
		assert_eq!(amm_part(), (0, 0));
		assert!(liquidated_vault().4.is_some(), "the auction takes the rest");
		// ETH's route is untouched.
		assert_eq!(
			Liquidation::amm_route(ETH.id),
			AmmRoute::Enabled { max_slippage: Permill::from_percent(SLIPPAGE_CAP_PERCENT) }
		);
	});
}

#[test]
fn a_pool_pushed_off_the_oracle_price_in_the_same_block_cannot_buy_the_collateral_cheap() {
	test(|| {
		unsafe_vault_beside_a_pool(850);
		// Charlie dumps 10,000 DOT into the pool just before the block's liquidations: the
		// pool now pays about $7.00 a DOT, 17% under the oracle.
		assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(
			origin(CHARLIE),
			vec![Box::new(AmmAsset::WithId(DOT.id)), Box::new(AmmAsset::WithId(LVUSD.id))],
			DOT.units(10_000),
			1,
			CHARLIE,
			false,
		));
		next_block(6);
		assert_eq!(swap_refusal(), Some(pallet_leverage::Error::<Test>::SlippageExceeded.into()));
		assert_eq!(amm_part(), (0, 0));
		assert!(liquidated_vault().4.is_some(), "the rest is in auction");
	});
}

#[test]
fn the_amm_route_never_sells_more_collateral_than_is_left() {
	test(|| {
		// Alice's vault is underwater at $5: 1,000 DOT ($5,000) for 6,000 lvUSD, no backstop.
		open_vault(ALICE, DOT, 1_000, 6_000);
		next_block(6);
		set_price(DOT, price(500));
		create_pool(DOT.id, DOT.units(100_000), LVUSD.id, LVUSD.units(500_000));
		System::reset_events();
		next_block(6);
		// $5,000 of DOT less the 3% cap buys less than the 6,000 lvUSD debt: refused before the
		// AMM is asked.
		assert_eq!(swap_refusal(), Some(Error::AmmShortOfDebt.into()));
		assert_eq!(amm_part(), (0, 0));
		let auction = Auctions::<Test>::get(liquidated_vault().4.expect("an auction")).unwrap();
		assert_eq!(auction.lot, DOT.units(1_000) - DOT.min_balance);
	});
}

#[test]
fn collateral_too_little_for_its_owner_is_kept_by_the_backstop_or_else_the_engine() {
	test(|| {
		// A DOT seed and 10 DOT units in the engine, as a liquidation would leave them.
		let engine = Liquidation::account_id();
		assert_ok!(Assets::transfer(origin(ALICE), DOT.id, engine, DOT.min_balance + 20));
		Liquidation::after_seed(DOT.id, DOT.min_balance + 20);
		// No lvUSD backstop deposits: the engine keeps the dust with its seed.
		Liquidation::keep_leftover(LVUSD.id, DOT.id, 10);
		assert_eq!(Seeds::<Test>::get(DOT.id), Some(DOT.min_balance + 10));
		// With deposits, the backstop gains it.
		back_with_lvusd(BOB, 1_000);
		Liquidation::keep_leftover(LVUSD.id, DOT.id, 10);
		assert_eq!(Seeds::<Test>::get(DOT.id), Some(DOT.min_balance + 10));
		assert_eq!(PoolGains::<Test>::get(LVUSD.id, GainAsset::Tokens(DOT.id)).held, 10);
	});
}

mod stress {
	use super::*;
	use lever_primitives::VaultLiquidation;
	use sp_runtime::FixedPointNumber;

	fn shock(asset: TestAsset, percent: u32) -> Shock {
		Shock { asset: asset.id, fall: Permill::from_percent(percent) }
	}

	fn root() -> Vec<u8> {
		sp_io::storage::root(sp_runtime::StateVersion::V1)
	}

	fn usd(dollars: u32) -> FixedU128 {
		FixedU128::from_u32(dollars)
	}

	/// Dave's USDC debt, interest included.
	fn daves_debt() -> Balance {
		<Lending as LendingPositions<u64>>::debt(&DAVE, USDC.id).expect("a position")
	}

	/// Alice's vault (1,000 DOT for 6,000 lvUSD, 167% at $10) and Bob's (1,000 DOT for 5,000,
	/// 200%), Charlie backing 5,000 lvUSD, and Dave supplying 1,000 DOT against 6,900 USDC
	/// (liquidation limit $8,000); then a block, so fees and interest accrue.
	fn book() {
		open_vault(ALICE, DOT, 1_000, 6_000);
		open_vault(BOB, DOT, 1_000, 5_000);
		back_with_lvusd(CHARLIE, 5_000);
		assert_ok!(Lending::supply(origin(CHARLIE), USDC.id, USDC.units(100_000)));
		assert_ok!(Lending::supply(origin(DAVE), DOT.id, DOT.units(1_000)));
		assert_ok!(Lending::borrow(origin(DAVE), USDC.id, USDC.units(6_900)));
		next_block(6);
	}

	/// DOT 15% down ($8.50): Alice's vault (142%) and Dave's account ($6,800 limit against
	/// $6,900, health factor 0.9855) are liquidatable, Bob's vault (170%) is not; nothing is
	/// bad debt; and nothing in storage changed. When the fall really happens, the vault pallet
	/// and the pools judge the same.
	#[test]
	fn a_fall_lists_exactly_what_it_makes_liquidatable_and_changes_nothing() {
		test(|| {
			book();
			let before = root();
			let report = Liquidation::stress(&[shock(DOT, 15)], u32::MAX).expect("a stress test");
			assert_eq!(root(), before, "the stress test changed storage");
			assert_eq!(report.prices, vec![(DOT.id, price(850))]);
			assert_eq!((report.liquidatable_vaults, report.liquidatable_accounts), (1, 1));
			let [vault] = report.vaults.as_slice() else { panic!("one vault") };
			assert_eq!(
				(vault.asset, vault.owner, vault.collateral),
				(DOT.id, ALICE, DOT.units(1_000))
			);
			assert!(vault.debt > LVUSD.units(6_000) && vault.debt < LVUSD.units(6_001));
			assert_eq!(vault.value, LVUSD.units(8_500));
			assert_eq!(report.lvusd_backstop, LVUSD.units(5_000));
			assert_eq!(report.lvusd_bad_debt, 0);
			let [dot] = report.vault_types.as_slice() else { panic!("one type") };
			assert_eq!((dot.asset, dot.vaults, dot.debt, dot.bad_debt), (DOT.id, 1, vault.debt, 0));
			assert_eq!(dot.auction_room, Liquidation::auction_room(DOT.id));

			let owed = daves_debt();
			assert!(owed > USDC.units(6_900) && owed < USDC.units(6_901), "{owed}");
			let [dave] = report.accounts.as_slice() else { panic!("one account") };
			assert_eq!(dave.who, DAVE);
			// 1,000 DOT of supply shares, rounded down, at $8.50.
			assert!(dave.collateral_value > usd(8_499) && dave.collateral_value <= usd(8_500));
			assert!(dave.debt_value > usd(6_900) && dave.debt_value < usd(6_901));
			let health = dave.health_factor.expect("a debt");
			assert!(health < FixedU128::saturating_from_rational(6_800, 6_900));
			assert!(health > FixedU128::saturating_from_rational(6_799, 6_900));
			assert_eq!(dave.debts, vec![(USDC.id, owed)]);
			let [usdc] = report.markets.as_slice() else { panic!("one market") };
			assert_eq!(
				(usdc.asset, usdc.accounts, usdc.debt, usdc.bad_debt),
				(USDC.id, 1, owed, 0)
			);

			set_price(DOT, price(850));
			assert_eq!(<Vaults as VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE), Ok(true));
			assert_eq!(<Vaults as VaultLiquidation<u64>>::is_unsafe(DOT.id, &BOB), Ok(false));
			assert_eq!(<Lending as LendingLiquidation<u64>>::is_liquidatable(&DAVE), Ok(true));
		});
	}

	/// DOT 50% down ($5): both vaults are liquidatable; Alice's collateral ($5,000) leaves about
	/// 1,000 lvUSD of her debt uncovered, Bob's covers his 5,000 but for the fees; Dave's $5,000
	/// of collateral leaves about 1,900 of his 6,900 USDC as bad debt.
	#[test]
	fn a_deep_fall_counts_the_bad_debt_per_market_and_for_lvusd() {
		test(|| {
			book();
			let report = Liquidation::stress(&[shock(DOT, 50)], u32::MAX).expect("a stress test");
			let mut owners: Vec<u64> = report.vaults.iter().map(|vault| vault.owner).collect();
			owners.sort();
			assert_eq!(owners, vec![ALICE, BOB]);
			let uncovered: Balance =
				report.vaults.iter().map(|vault| vault.debt - vault.value).sum();
			assert_eq!(report.lvusd_bad_debt, uncovered);
			assert!(
				uncovered > LVUSD.units(1_000) && uncovered < LVUSD.units(1_001),
				"{uncovered}"
			);
			let [usdc] = report.markets.as_slice() else { panic!("one market") };
			assert!(usdc.bad_debt > USDC.units(1_900) && usdc.bad_debt < USDC.units(1_901));
			assert_eq!(usdc.backstop, 0);
		});
	}

	/// A listing limit shortens the lists, never the counts or the figures per type and market.
	#[test]
	fn a_listing_limit_keeps_every_count() {
		test(|| {
			book();
			let whole = Liquidation::stress(&[shock(DOT, 50)], u32::MAX).expect("a stress test");
			let short = Liquidation::stress(&[shock(DOT, 50)], 1).expect("a stress test");
			assert_eq!((short.vaults.len(), short.accounts.len()), (1, 1));
			assert_eq!(short.vaults[0], whole.vaults[0]);
			assert_eq!((short.liquidatable_vaults, short.liquidatable_accounts), (2, 1));
			assert_eq!(short.vault_types, whole.vault_types);
			assert_eq!(short.markets, whole.markets);
			assert_eq!(short.lvusd_bad_debt, whole.lvusd_bad_debt);
			let none = Liquidation::stress(&[shock(DOT, 50)], 0).expect("a stress test");
			assert!(none.vaults.is_empty() && none.accounts.is_empty());
			assert_eq!(none.liquidatable_vaults, 2);
		});
	}

	#[test]
	fn a_stress_test_of_bad_shocks_fails_with_a_typed_error() {
		test(|| {
			book();
			let unpriced = Shock { asset: 77, fall: Permill::from_percent(10) };
			assert_eq!(
				Liquidation::stress(&[unpriced], u32::MAX),
				Err(Error::UnpricedShock.into())
			);
			let twice = [shock(DOT, 10), shock(DOT, 20)];
			assert_eq!(Liquidation::stress(&twice, u32::MAX), Err(Error::DuplicateShock.into()));
			let many: Vec<Shock> =
				ASSETS.iter().map(|asset| shock(*asset, 1)).chain([shock(DOT, 1)]).collect();
			assert_eq!(Liquidation::stress(&many, u32::MAX), Err(Error::TooManyShocks.into()));
			// No shock at all: what is liquidatable now, nothing here.
			let calm = Liquidation::stress(&[], u32::MAX).expect("a stress test");
			assert_eq!((calm.liquidatable_vaults, calm.liquidatable_accounts), (0, 0));
		});
	}

	/// `value` is within a dollar of `dollars` (interest and the rounding of supply shares).
	fn about(value: FixedU128, dollars: u32) -> bool {
		value > usd(dollars - 1) && value < usd(dollars + 1)
	}

	/// The summary with DOT at $9.50: lending supply $109,500 (1,000 DOT and 100,000 USDC),
	/// borrows $6,900, vault collateral $37,000 (2,000 DOT and Charlie's 6 ETH at $3,000),
	/// vault debt 16,001 lvUSD, the lvUSD backstop $5,000. A 10% fall would make Alice's vault
	/// (158% now, 142.5% after) and Dave's account (health factor 1.101 now, 0.991 after)
	/// liquidatable, not Bob's vault (171% after): $12,900 at risk, of which the lvUSD pool's
	/// $5,000 covers Alice's part, 38.76%. Nothing in storage changes.
	#[test]
	fn the_summary_gives_value_locked_concentration_and_the_backstops_coverage_of_debt_at_risk() {
		test(|| {
			book();
			set_price(DOT, price(950));
			let before = root();
			let summary = Liquidation::system_risk().expect("a summary");
			assert_eq!(root(), before, "the summary changed storage");
			assert!(about(summary.supplied, 109_500), "{:?}", summary.supplied);
			assert!(about(summary.borrowed, 6_900), "{:?}", summary.borrowed);
			assert_eq!(summary.utilization, Permill::from_parts(63_013));
			assert_eq!(summary.vault_collateral, usd(37_000));
			assert!(summary.lvusd_debt > LVUSD.units(16_001));
			assert!(summary.lvusd_debt < LVUSD.units(16_002));
			assert!(about(summary.backstop, 5_000));
			assert!(about(summary.value_locked, 151_500), "{:?}", summary.value_locked);
			assert!(about(summary.debt, 22_901), "{:?}", summary.debt);
			let shares: Vec<(AssetId, Balance, Balance, Permill)> = summary
				.collateral
				.iter()
				.map(|share| (share.asset, share.supplied, share.in_vaults, share.share))
				.collect();
			// Dave's 1,000 DOT of supply shares are worth a hair less, rounded down.
			let (dot, supplied, in_vaults, share) = shares[0];
			assert_eq!(
				(dot, in_vaults, share),
				(DOT.id, DOT.units(2_000), Permill::from_parts(194_539))
			);
			assert!(supplied <= DOT.units(1_000) && supplied > DOT.units(999), "{supplied}");
			assert_eq!((shares[1].0, shares[1].2), (USDC.id, 0));
			assert!(shares[1].1 >= USDC.units(100_000));
			assert_eq!(shares[2], (ETH.id, 0, ETH.units(6), Permill::from_parts(122_866)));
			assert_eq!(summary.largest_share, shares[1].3);
			assert_eq!(summary.largest_share, Permill::from_parts(682_593));
			assert!(summary.unpriced.is_empty());
			assert_eq!(summary.at_risk_fall, Permill::from_percent(10));
			assert_eq!((summary.vaults_at_risk, summary.accounts_at_risk), (1, 1));
			assert!(about(summary.debt_at_risk, 12_900), "{:?}", summary.debt_at_risk);
			assert!(about(summary.covered, 5_000), "{:?}", summary.covered);
			assert_eq!(summary.backstop_coverage, Some(Permill::from_parts(387_596)));

			// What the summary calls at risk is what the stress test of the same fall lists.
			let stress = Liquidation::stress(&[shock(DOT, 10)], u32::MAX).expect("a stress test");
			assert_eq!((stress.liquidatable_vaults, stress.liquidatable_accounts), (1, 1));
			assert_eq!((stress.vaults[0].owner, stress.accounts[0].who), (ALICE, DAVE));
		});
	}

	/// With no debt at all the summary has nothing at risk and no coverage to give.
	#[test]
	fn an_empty_system_has_no_debt_at_risk() {
		test(|| {
			let summary = Liquidation::system_risk().expect("a summary");
			assert_eq!(summary.value_locked, usd(0));
			assert_eq!((summary.vaults_at_risk, summary.accounts_at_risk), (0, 0));
			assert_eq!(summary.backstop_coverage, None);
			assert_eq!(summary.utilization, Permill::zero());
		});
	}

	/// A total fall (100%): every vault and account on DOT is liquidatable and all their debt is
	/// bad; the price itself is back afterwards.
	#[test]
	fn a_total_fall_makes_every_debt_bad() {
		test(|| {
			book();
			let report = Liquidation::stress(&[shock(DOT, 100)], u32::MAX).expect("a stress test");
			assert_eq!(report.liquidatable_vaults, 2);
			let debt: Balance = report.vaults.iter().map(|vault| vault.debt).sum();
			assert_eq!(report.lvusd_bad_debt, debt);
			assert_eq!(report.markets[0].bad_debt, daves_debt());
			assert_eq!(TestPrices::price_of(DOT), price(1_000));
		});
	}
}

/// The issue's case: DOT falls 8%. Alice and Bob hold the same vault, 1,000 DOT at $10 against
/// 6,200 lvUSD (161%); Alice protects hers (trigger 155%, target 200%, 2% slippage). At $9.20
/// both are at 148.4%, below the 150% liquidation ratio, and both are queued in the next block:
/// Alice's vault is deleveraged to 200% through the DOT/lvUSD pool (at the oracle price) and
/// never liquidated, paying the pool's fee, the flash loan's (of DOT from the lending market)
/// and the 0.5% protection fee; Bob's is liquidated with the 10% penalty.
#[test]
fn a_protected_vault_is_deleveraged_where_the_same_vault_unprotected_is_liquidated() {
	use lever_primitives::ProtectedPosition;
	test(|| {
		open_vault(ALICE, DOT, 1_000, 6_200);
		open_vault(BOB, DOT, 1_000, 6_200);
		back_with_lvusd(CHARLIE, 10_000);
		create_pool(DOT.id, DOT.units(100_000), LVUSD.id, LVUSD.units(920_000));
		// The DOT the deleverage flash-loans comes from the DOT lending market.
		assert_ok!(Lending::supply(origin(CHARLIE), DOT.id, DOT.units(10_000)));
		let position = ProtectedPosition::Vault(DOT.id);
		assert_ok!(Leverage::protect(
			origin(ALICE),
			position,
			FixedU128::from_rational(155, 100),
			FixedU128::from_u32(2),
			Permill::from_percent(2),
		));
		next_block(6);
		let treasury = balance(DOT, TREASURY);

		set_price(DOT, price(920));
		System::reset_events();
		next_block(6);

		// Bob: liquidated whole, with the penalty; what the backstop did not need of his
		// collateral stays in his vault.
		let bob = Vaults::vault_info(&BOB, DOT.id).map_or(0, |vault| vault.debt);
		assert_eq!(bob, 0, "Bob's debt is taken");
		let penalties: Vec<_> = events()
			.into_iter()
			.filter_map(|event| match event {
				Event::VaultLiquidated { owner, .. } => Some(owner),
				_ => None,
			})
			.collect();
		assert_eq!(penalties, vec![BOB]);
		// Alice: queued with Bob, deleveraged in her turn, at her target and left alone.
		assert!(events().contains(&Event::VaultQueued { asset: DOT.id, owner: ALICE }));
		assert!(events().contains(&Event::NoLongerUnsafe {
			item: QueueItem::Vault { asset: DOT.id, owner: ALICE }
		}));
		let alice = Vaults::vault_info(&ALICE, DOT.id).expect("Alice keeps her vault");
		let ratio = alice.collateral_ratio.expect("debt left");
		assert!(
			ratio >= FixedU128::from_rational(1_999_998, 1_000_000)
				&& ratio <= FixedU128::from_rational(2_000_002, 1_000_000),
			"{ratio:?}"
		);
		// R = (2 × 6,200 − 9,200) / (2 − c) with c ≈ 1.0095 (0.3% pool fee, impact, 0.09%
		// flash fee, 0.5% fee): about 3,230 lvUSD repaid.
		let deleveraged = System::events().into_iter().find_map(|record| match record.event {
			RuntimeEvent::Leverage(pallet_leverage::Event::Deleveraged {
				repaid,
				fee,
				flash_fee,
				..
			}) => Some((repaid, fee, flash_fee)),
			_ => None,
		});
		let (repaid, fee, flash_fee) = deleveraged.expect("Alice's vault was deleveraged");
		assert!(repaid > LVUSD.units(3_200) && repaid < LVUSD.units(3_260), "{repaid}");
		assert!(alice.debt > LVUSD.units(6_200) - repaid - LVUSD.units(1));
		// The fee: 0.5% of the repaid value in DOT at $9.20, rounded up; the flash loan's fee
		// is paid from it and the treasury gets the rest.
		let worth = stable_in_dot(repaid, price(920), Rounding::Up);
		assert_eq!(fee, Permill::from_parts(5_000).mul_ceil(worth));
		assert_eq!(balance(DOT, TREASURY) - treasury, fee - flash_fee);
		// Nothing of Alice's vault is queued, and a block later it is still hers.
		assert!(Liquidation::queued().is_empty());
		next_block(6);
		assert!(Vaults::vault_info(&ALICE, DOT.id).is_some());
	});
}

/// The deleverages the offchain sweep submitted, from the transaction pool.
fn pool_deleverages(
	pool: &parking_lot::RwLock<sp_core::offchain::testing::PoolState>,
) -> Vec<(u64, lever_primitives::ProtectedPosition)> {
	pool_calls(pool)
		.into_iter()
		.map(|call| match call {
			crate::Call::deleverage { owner, position } => (owner, position),
			other => panic!("unexpected call {other:?}"),
		})
		.collect()
}

/// Protects `who`'s DOT vault with `trigger` and `target` (percent) and 2% slippage.
fn protect_dot_vault(who: u64, trigger: u128, target: u128) {
	assert_ok!(Leverage::protect(
		origin(who),
		lever_primitives::ProtectedPosition::Vault(DOT.id),
		FixedU128::from_rational(trigger, 100),
		FixedU128::from_rational(target, 100),
		Permill::from_percent(2),
	));
}

/// At the trigger, before the liquidation line: three vaults of 1,000 DOT against 5,500 lvUSD
/// (182% at $10), protected with triggers of 175%, 160% and 180%. DOT falls 6% to $9.40: every
/// vault is at 171%, safe from liquidation (150%), but below two of the triggers. The sweep
/// (two accounts a run in the mock) submits exactly those two deleverages in two runs, not
/// again while they wait, and the chain admits only those; applied, each vault is at its
/// target.
#[test]
fn the_sweep_deleverages_exactly_the_positions_below_their_trigger() {
	use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
	use lever_primitives::ProtectedPosition;
	let (mut ext, pool) = new_offchain_test_ext();
	ext.execute_with(|| {
		for who in [10, 11, 12] {
			open_vault(who, DOT, 1_000, 5_500);
		}
		protect_dot_vault(10, 175, 200);
		protect_dot_vault(11, 160, 200);
		protect_dot_vault(12, 180, 250);
		assert_ok!(Lending::supply(origin(CHARLIE), DOT.id, DOT.units(10_000)));
		create_pool(DOT.id, DOT.units(100_000), LVUSD.id, LVUSD.units(940_000));
		set_price(DOT, price(940));
		let vault = ProtectedPosition::Vault(DOT.id);

		let block = System::block_number();
		Liquidation::offchain_worker(block);
		Liquidation::offchain_worker(block);
		let mut submitted = pool_deleverages(&pool);
		submitted.sort_by_key(|(owner, _)| *owner);
		assert_eq!(submitted, vec![(10, vault), (12, vault)]);
		// Not again while they may still be on their way.
		Liquidation::offchain_worker(block);
		Liquidation::offchain_worker(block);
		assert_eq!(pool_deleverages(&pool).len(), 2);

		let call = |owner| crate::Call::<Test>::deleverage { owner, position: vault };
		assert!(call(10).authorize(TransactionSource::Local).unwrap().is_ok());
		assert!(call(10).authorize(TransactionSource::InBlock).unwrap().is_ok());
		// Only the block author's own sweep may send this free call.
		assert!(call(10).authorize(TransactionSource::External).unwrap().is_err());
		assert!(call(11).authorize(TransactionSource::Local).unwrap().is_err());
		assert!(call(ALICE).authorize(TransactionSource::Local).unwrap().is_err());
		assert_noop!(Liquidation::deleverage(origin(ALICE), 10, vault), DispatchError::BadOrigin);
		for (owner, target) in [(10, 200), (12, 250)] {
			assert_ok!(Liquidation::deleverage(
				frame_system::RawOrigin::Authorized.into(),
				owner,
				vault
			));
			let ratio = Vaults::vault_info(&owner, DOT.id)
				.and_then(|vault| vault.collateral_ratio)
				.expect("debt left");
			let target = FixedU128::from_rational(target, 100);
			assert!(ratio >= target - FixedU128::from_rational(1, 10_000), "{ratio:?}");
			assert!(ratio <= target + FixedU128::from_rational(1, 10_000), "{ratio:?}");
		}
		// At their targets, neither is below its trigger any more.
		assert!(call(10).authorize(TransactionSource::Local).unwrap().is_err());
		check_invariants();
	});
}

/// A lending account flagged below the liquidation line meets its protection first: Alice
/// supplies 1,000 DOT and borrows 6,900 USDC (health 1.16 at $10) and protects the pair with
/// trigger 1.1 and target 1.3, after protecting `earlier`. DOT falls to $8.50 (health 0.99) and
/// she is flagged. Returns the engine's events of her turn.
fn flagged_protected_account_turn(
	earlier: &[lever_primitives::ProtectedPosition],
) -> Vec<Event<Test>> {
	use lever_primitives::ProtectedPosition;
	assert_ok!(Lending::supply(origin(BOB), USDC.id, USDC.units(500_000)));
	borrows_usdc(ALICE, 6_900);
	let protect = |position| {
		assert_ok!(Leverage::protect(
			origin(ALICE),
			position,
			FixedU128::from_rational(110, 100),
			FixedU128::from_rational(130, 100),
			Permill::from_percent(2),
		));
	};
	earlier.iter().copied().for_each(protect);
	protect(ProtectedPosition::Lending { collateral: DOT.id, debt: USDC.id });
	create_pool(DOT.id, DOT.units(100_000), USDC.id, USDC.units(850_000));
	set_price(DOT, price(850));
	assert_ok!(Liquidation::flag(origin(BOB), ALICE));
	System::reset_events();
	next_block(6);
	events()
}

/// Her turn levered her down to 1.3 through the DOT/USDC pool, within a part in a million, and
/// she was not liquidated.
fn assert_levered_down_to_target(events: &[Event<Test>]) {
	assert!(events.contains(&Event::NoLongerUnsafe { item: QueueItem::Lending { account: ALICE } }));
	assert!(!events.iter().any(|event| matches!(event, Event::LendingLiquidated { .. })));
	let health = Lending::account_liquidity(&ALICE)
		.expect("priced")
		.health_factor()
		.expect("debt left");
	let target = FixedU128::from_rational(130, 100);
	let tolerance = FixedU128::from_rational(13, 10_000_000);
	assert!(health >= target - tolerance && health <= target + tolerance, "{health:?}");
}

/// The positions whose deleverage failed in `events`, in order.
fn protections_failed(events: &[Event<Test>]) -> Vec<(u64, lever_primitives::ProtectedPosition)> {
	events
		.iter()
		.filter_map(|event| match event {
			Event::ProtectionFailed { owner, position, .. } => Some((*owner, *position)),
			_ => None,
		})
		.collect()
}

#[test]
fn a_flagged_protected_account_is_levered_down_instead_of_liquidated() {
	test(|| {
		let events = flagged_protected_account_turn(&[]);
		assert_levered_down_to_target(&events);
		assert!(protections_failed(&events).is_empty());
	});
}

/// An account's protected lending pairs are tried in the order they were protected until one
/// succeeds: Alice first protected selling USDC to repay DOT, which she neither supplies nor
/// owes; that one fails in her turn, and the DOT/USDC pair after it levers her down.
#[test]
fn a_flagged_account_meets_each_protected_pair_until_one_succeeds() {
	use lever_primitives::ProtectedPosition;
	test(|| {
		let unusable = ProtectedPosition::Lending { collateral: USDC.id, debt: DOT.id };
		let events = flagged_protected_account_turn(&[unusable]);
		assert_levered_down_to_target(&events);
		assert_eq!(protections_failed(&events), vec![(ALICE, unusable)]);
	});
}

/// At most `MAX_PAIRS_TRIED` (3) pairs are tried in a turn, so pairs made to fail cannot burn
/// the engine's budget: behind three unusable pairs, Alice's DOT/USDC pair is not reached and
/// she is liquidated.
#[test]
fn a_turn_tries_at_most_three_protected_pairs() {
	use lever_primitives::ProtectedPosition;
	test(|| {
		let pair = |collateral: TestAsset, debt: TestAsset| ProtectedPosition::Lending {
			collateral: collateral.id,
			debt: debt.id,
		};
		let unusable = [pair(USDC, DOT), pair(ETH, DOT), pair(ETH, USDC)];
		let events = flagged_protected_account_turn(&unusable);
		assert_eq!(crate::protection::MAX_PAIRS_TRIED, 3);
		let tried: Vec<_> = unusable.iter().map(|position| (ALICE, *position)).collect();
		assert_eq!(protections_failed(&events), tried);
		assert!(events.iter().any(|event| matches!(event, Event::LendingLiquidated { .. })));
	});
}

/// A position below its trigger whose deleverage fails in the validator's state (the DOT/lvUSD
/// pool pays $9.40 where the oracle says $10, 6% under it, past the owner's 2%) is not
/// submitted, and is not tried again for `BACK_OFF_AFTER_FAILURE` blocks even once it would
/// succeed: positions made to fail cannot crowd the sweep's runs. Alice's vault, 1,000 DOT
/// against 5,500 lvUSD (182% at $10), is protected with trigger 195% and target 220%.
#[test]
fn the_sweep_backs_off_a_position_whose_deleverage_fails() {
	let (mut ext, pool) = new_offchain_test_ext();
	ext.execute_with(|| {
		open_vault(ALICE, DOT, 1_000, 5_500);
		protect_dot_vault(ALICE, 195, 220);
		assert_ok!(Lending::supply(origin(CHARLIE), DOT.id, DOT.units(10_000)));
		create_pool(DOT.id, DOT.units(100_000), LVUSD.id, LVUSD.units(940_000));
		let block = System::block_number();
		Liquidation::offchain_worker(block);
		assert!(pool_deleverages(&pool).is_empty(), "the deleverage would fail");
		// The oracle meets the pool: the deleverage would now succeed.
		set_price(DOT, price(940));
		System::set_block_number(block + 1);
		Liquidation::offchain_worker(block + 1);
		assert!(pool_deleverages(&pool).is_empty(), "backing off");
		let again = block + u64::from(crate::protection::BACK_OFF_AFTER_FAILURE);
		System::set_block_number(again);
		Liquidation::offchain_worker(again);
		assert_eq!(
			pool_deleverages(&pool),
			vec![(ALICE, lever_primitives::ProtectedPosition::Vault(DOT.id))]
		);
	});
}
