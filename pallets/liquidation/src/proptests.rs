//! Property tests, with every invariant of the engine, the vaults and the lending pools checked
//! after every block:
//! - vaults: over random vaults, backstop deposits and price paths, the block after each price
//!   move liquidates exactly the vaults that move made unsafe, never a safe one, and a stress
//!   test of a falling move made before it lists exactly those vaults; and whatever
//!   users do to the vaults of a busy boundary every block, another unsafe vault is liquidated
//!   within two blocks;
//! - lending: over random loans, backstop levels, AMM pools, drained cash and price paths with a
//!   spammer flagging everything, every account unsafe after a move is liquidated or written off
//!   in the block after its flag, and a stress test of a falling move made before it lists
//!   exactly the accounts it makes liquidatable; only the engine's books may stay unsafe, where no backstop
//!   could repay for them, and anyone can still liquidate them;
//! - backstop: over random deposits, withdrawals and liquidations that leave anything from half
//!   the pool to one unit of it, every claim follows an exact model of the pro-rata rules, no
//!   claim the model values above its rounding becomes zero, and the claims never exceed what
//!   the pool holds nor fall short of it by more than one unit per depositor and operation.

use crate::{mock::*, *};
use frame_support::traits::Hooks;
use lever_primitives::VaultLiquidation;
use proptest::prelude::*;
use sp_runtime::{traits::Saturating, FixedU128, Permill};

/// One user's vault: collateral type (DOT or ETH), whole tokens, and the share of its maximum
/// debt minted, in percent.
#[derive(Clone, Debug)]
struct VaultPlan {
	eth: bool,
	tokens: u128,
	utilization: u128,
}

/// A vault's collateral and normalized debt, as the vault pallet reports them.
type VaultState = (Balance, Balance);

fn vault_plan() -> impl Strategy<Value = VaultPlan> {
	(any::<bool>(), 1u128..5_000, 10u128..100).prop_map(|(eth, tokens, utilization)| VaultPlan {
		eth,
		tokens,
		utilization,
	})
}

fn open(who: u64, plan: &VaultPlan) {
	let asset = if plan.eth { ETH } else { DOT };
	let tokens = if plan.eth { plan.tokens.div_ceil(100) } else { plan.tokens };
	let value_cents = tokens * asset.price_cents;
	// At most collateral / 150%, and at least the 10 lvUSD minimum debt.
	let debt =
		(LVUSD.units(value_cents) / 100 * 2 / 3 * plan.utilization / 100).max(LVUSD.units(10));
	frame_support::assert_ok!(Vaults::open(
		RuntimeOrigin::signed(who),
		asset.id,
		asset.units(tokens)
	));
	let _ = Vaults::mint(RuntimeOrigin::signed(who), asset.id, debt);
}

/// The stress test of DOT and ETH moving to `dot_move` and `eth_move` percent of their prices,
/// where both fall or hold (a shock only falls); `None` where one rises.
fn stress_of(dot_move: u128, eth_move: u128) -> Option<StressReport<u64>> {
	if dot_move > 100 || eth_move > 100 {
		return None;
	}
	let fall = |percent: u128| Permill::from_percent(100 - percent as u32);
	let shocks = [
		Shock { asset: DOT.id, fall: fall(dot_move) },
		Shock { asset: ETH.id, fall: fall(eth_move) },
	];
	Some(Liquidation::stress(&shocks, u32::MAX).expect("a stress test"))
}

/// A lending credit record with one loan repaid, as every vault owner of
/// `exactly_the_vaults_made_unsafe_are_liquidated` starts with.
fn repaid_once() -> pallet_lending::CreditRecord {
	pallet_lending::CreditRecord { repaid: 1, ..pallet_lending::CreditRecord::new(GENESIS_TIME) }
}

/// From 20 whole lvUSD, the last user borrows `backstop` lvUSD against ETH and backs the
/// vaults' pool with it (joined by the next block); below that, no backstop.
fn back_the_vaults(backstop: u128) {
	if backstop < 20 {
		return;
	}
	let backer = RuntimeOrigin::signed(USERS);
	frame_support::assert_ok!(Vaults::open(backer.clone(), ETH.id, ETH.units(100)));
	frame_support::assert_ok!(Vaults::mint(backer.clone(), ETH.id, LVUSD.units(backstop)));
	frame_support::assert_ok!(Liquidation::deposit(backer, LVUSD.id, LVUSD.units(backstop)));
	let_deposits_join();
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

	#[test]
	fn exactly_the_vaults_made_unsafe_are_liquidated(
		plans in prop::collection::vec(vault_plan(), 1..30),
		backstop in 0u128..50_000,
		moves in prop::collection::vec((30u128..130, 30u128..130), 1..5),
		partial in any::<bool>(),
	) {
		new_test_ext().execute_with(|| {
			if partial {
				// Vaults from 120% to 150% are liquidated in part, back to 160%.
				for asset in [DOT, ETH] {
					frame_support::assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), asset.id, partial_vault_params()));
				}
			}
			for (index, plan) in plans.iter().enumerate() {
				let owner = index as u64 + 1;
				pallet_lending::Credit::<Test>::insert(owner, repaid_once());
				open(owner, plan);
			}
			back_the_vaults(backstop);
			let mut dot = FixedU128::from_rational(DOT.price_cents, 100);
			let mut eth = FixedU128::from_rational(ETH.price_cents, 100);
			let mut reset = alloc::collections::BTreeSet::new();
			for (dot_move, eth_move) in moves {
				System::set_block_number(System::block_number() + 1);
				Timestamp::set_timestamp(Timestamp::get() + 6_000);
				// The stress test of the same move, where both prices fall or hold, made before
				// it happens: it must list exactly the vaults the move makes unsafe.
				let foreseen = stress_of(dot_move, eth_move).map(|report| {
					report.vaults.iter().map(|vault| (vault.asset, vault.owner)).collect::<Vec<_>>()
				});
				dot = dot * FixedU128::from_rational(dot_move, 100);
				eth = eth * FixedU128::from_rational(eth_move, 100);
				set_price(DOT, dot);
				set_price(ETH, eth);
				check_invariants();
				let before: Vec<(AssetId, u64, bool, Option<VaultState>)> =
					pallet_vaults::Vaults::<Test>::iter()
						.filter(|(_, _, vault)| vault.normalized_debt != 0)
						.map(|(asset, owner, _)| {
							let was_unsafe = Vaults::is_unsafe(asset, &owner).expect("fresh prices");
							(asset, owner, was_unsafe, Vaults::vault(asset, &owner))
						})
						.collect();
				if let Some(mut foreseen) = foreseen {
					let mut unsafe_now: Vec<(AssetId, u64)> = before
						.iter()
						.filter(|(_, _, was_unsafe, _)| *was_unsafe)
						.map(|(asset, owner, _, _)| (*asset, *owner))
						.collect();
					foreseen.sort();
					unsafe_now.sort();
					prop_assert_eq!(foreseen, unsafe_now, "the stress test foresaw other vaults");
				}
				Liquidation::on_initialize(System::block_number());
				// An unsafe vault is liquidated whole, or in part back to a safe ratio, and its
				// owner's credit record starts afresh; a safe one is not touched.
				let now_ms = Timestamp::get();
				for (asset, owner, was_unsafe, was) in before {
					let record = pallet_lending::Credit::<Test>::get(owner);
					if owner == USERS {
						prop_assert_eq!(record, None, "the backer never borrowed in the pools");
					} else if was_unsafe {
						prop_assert_eq!(record, Some(pallet_lending::CreditRecord::new(now_ms)), "{}'s credit kept", owner);
						reset.insert(owner);
					} else if !reset.contains(&owner) {
						prop_assert_eq!(record, Some(repaid_once()), "{}'s credit changed", owner);
					}
					let now = Vaults::vault(asset, &owner);
					if was_unsafe {
						// Taken whole, the vault is gone or keeps only collateral no route needed.
						let whole = now.is_none_or(|(_, normalized_debt)| normalized_debt == 0);
						let liquidated = whole
							|| (now != was && !Vaults::is_unsafe(asset, &owner).expect("fresh prices"));
						prop_assert!(liquidated, "vault ({}, {}) left unsafe", asset, owner);
						prop_assert!(partial || whole, "vault ({}, {}) not whole", asset, owner);
					} else {
						prop_assert_eq!(now, was, "vault ({}, {}) touched", asset, owner);
					}
				}
				prop_assert_eq!(Liquidation::queue_len(), 0);
			}
			check_invariants();
			Ok(())
		})?;
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

	/// Under any auction cap, a liquidation takes only what the backstop pays for and the room
	/// under the cap holds: no auction's tab exceeds it, an unsafe vault the engine could take
	/// nothing of leaves its type stalled (its owner keeps everything), and once governance
	/// raises the cap every unsafe vault is liquidated within two blocks.
	#[test]
	fn auction_caps_bound_what_is_taken_and_raising_them_liquidates_the_rest(
		plans in prop::collection::vec(vault_plan(), 1..20),
		backstop in 0u128..20_000,
		cap in prop_oneof![0u128..1_000, 0u128..30_000],
		fall in 50u128..95,
		partial in any::<bool>(),
	) {
		new_test_ext().execute_with(|| {
			let params = if partial { partial_vault_params() } else { vault_params() };
			frame_support::assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, params));
			let capped = AuctionParams { max_debt: LVUSD.units(cap), ..DefaultAuctionParams::get() };
			frame_support::assert_ok!(Liquidation::set_auction_params(RuntimeOrigin::root(), DOT.id, capped));
			for (index, plan) in plans.iter().enumerate() {
				open(index as u64 + 1, &VaultPlan { eth: false, ..plan.clone() });
			}
			back_the_vaults(backstop);
			set_price(DOT, FixedU128::from_rational(DOT.price_cents * fall, 10_000));
			let unsafe_vaults = || -> Vec<u64> {
				pallet_vaults::Vaults::<Test>::iter_prefix(DOT.id)
					.filter(|(owner, _)| Vaults::is_unsafe(DOT.id, owner).expect("fresh prices"))
					.map(|(owner, _)| owner)
					.collect()
			};
			for _ in 0..3 {
				let before: Vec<(u64, Option<VaultState>)> =
					unsafe_vaults().into_iter().map(|owner| (owner, Vaults::vault(DOT.id, &owner))).collect();
				next_block(6);
				prop_assert!(DebtInAuction::<Test>::get(DOT.id) <= LVUSD.units(cap));
				for (owner, was) in before {
					let now = Vaults::vault(DOT.id, &owner);
					if now == was {
						// Nothing could be taken: the backstop has nothing, or could pay only for
						// a part that would leave less than the minimum debt, and the room under
						// the cap does not hold the vault's tab.
						prop_assert!(Stalled::<Test>::contains_key(DOT.id), "vault {} untouched, not stalled", owner);
						let debt = Vaults::vault_info(&owner, DOT.id).expect("untouched").debt;
						let tab = debt + params.liquidation_penalty.mul_ceil(debt);
						let deposits = Liquidation::pool_deposits(LVUSD.id);
						prop_assert!(
							deposits == 0 || (deposits < debt && debt <= params.min_debt),
							"vault {} left beside the backstop's {}", owner, deposits
						);
						prop_assert!(Liquidation::auction_room(DOT.id) < tab, "vault {} left with room for it", owner);
					}
					if let (Some((_, debt_now)), Some((_, debt_was))) = (now, was) {
						prop_assert!(debt_now <= debt_was, "vault {} owes more", owner);
					}
				}
			}
			let open_cap = AuctionParams { max_debt: LVUSD.units(1_000_000_000), ..DefaultAuctionParams::get() };
			frame_support::assert_ok!(Liquidation::set_auction_params(RuntimeOrigin::root(), DOT.id, open_cap));
			next_block(6);
			next_block(6);
			prop_assert_eq!(unsafe_vaults(), Vec::<u64>::new(), "unsafe vaults left after the cap rose");
			check_invariants();
			Ok(())
		})?;
	}
}

/// What one user does to a vault of the boundary: add collateral, mint, repay or withdraw, of
/// an amount from one unit to about a tenth of the vault.
#[derive(Clone, Debug)]
enum Touch {
	Deposit(u128),
	Mint(u128),
	Repay(u128),
	Withdraw(u128),
}

fn touch() -> impl Strategy<Value = (u64, Touch)> {
	let amount = prop_oneof![Just(1u128), 1u128..1_000_000_000_000_000];
	(0u64..200, 0u8..4, amount).prop_map(|(vault, kind, amount)| {
		let touch = match kind {
			0 => Touch::Deposit(amount),
			1 => Touch::Mint(amount),
			2 => Touch::Repay(amount),
			_ => Touch::Withdraw(amount),
		};
		(vault, touch)
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

	/// Whatever users do to the vaults of a settled boundary, every block, an unsafe vault of
	/// another type is liquidated within two blocks and the boundary is never checked again
	/// whole.
	#[test]
	fn touching_the_boundary_never_delays_a_liquidation(
		vaults in 50u64..200,
		touches in prop::collection::vec(prop::collection::vec(touch(), 0..8), 2),
		eth_fall in 20u128..60,
	) {
		use frame_support::traits::fungibles::Mutate;
		new_test_ext().execute_with(|| {
			for who in 1_000..1_000 + vaults {
				frame_support::assert_ok!(<Assets as Mutate<u64>>::mint_into(DOT.id, &who, DOT.units(2_000)));
				frame_support::assert_ok!(Vaults::open(RuntimeOrigin::signed(who), DOT.id, DOT.units(1_000)));
				frame_support::assert_ok!(Vaults::mint(RuntimeOrigin::signed(who), DOT.id, LVUSD.units(6_420)));
			}
			frame_support::assert_ok!(Vaults::open(RuntimeOrigin::signed(CHARLIE), ETH.id, ETH.units(10)));
			frame_support::assert_ok!(Vaults::mint(RuntimeOrigin::signed(CHARLIE), ETH.id, LVUSD.units(18_750)));
			// DOT at the price that puts the vaults' bucket on the boundary.
			let now = Vaults::risk(DOT.id).expect("fresh");
			let ratio = pallet_vaults::Vaults::<Test>::get(DOT.id, 1_000).expect("open");
			let ratio = FixedU128::from_rational(ratio.normalized_debt, ratio.collateral);
			set_price(DOT, now.price * ratio * FixedU128::from_rational(1_003, 1_000) / now.unsafe_ratio);
			LiquidationWeight::set(
				<() as WeightInfo>::on_initialize_base()
					+ (<() as WeightInfo>::detect_type() * 2 + <() as WeightInfo>::check_vault() * 40) * 2,
			);
			for _ in 0..10 {
				next_block(6);
			}
			let settled = Scans::<Test>::get(DOT.id);
			prop_assert!(settled.resume.is_none() && !settled.dirty);
			set_price(ETH, FixedU128::from_rational(ETH.price_cents * (100 - eth_fall), 10_000));
			for block in touches {
				for (vault, touch) in block {
					let who = RuntimeOrigin::signed(1_000 + vault % vaults);
					let _ = match touch {
						Touch::Deposit(amount) => Vaults::deposit(who, DOT.id, amount),
						Touch::Mint(amount) => Vaults::mint(who, DOT.id, amount),
						Touch::Repay(amount) => Vaults::repay(who, DOT.id, lever_primitives::AmountOrAll::Amount(amount)),
						Touch::Withdraw(amount) => Vaults::withdraw(who, DOT.id, lever_primitives::AmountOrAll::Amount(amount)),
					};
					prop_assert!(!Scans::<Test>::get(DOT.id).dirty, "a vault is checked alone");
				}
				next_block(6);
			}
			prop_assert!(Vaults::vault(ETH.id, &CHARLIE).is_none(), "liquidated within two blocks");
			Ok(())
		})?;
	}
}

/// One lending borrower: collateral (DOT or ETH) in whole tokens (ETH in hundredths), and the
/// share of its borrow limit it borrows, in percent, of USDC or of the other volatile asset.
#[derive(Clone, Debug)]
struct LoanPlan {
	eth_collateral: bool,
	tokens: u128,
	utilization: u128,
	usdc_debt: bool,
}

fn loan_plan() -> impl Strategy<Value = LoanPlan> {
	(any::<bool>(), 10u128..5_000, 60u128..100, any::<bool>()).prop_map(
		|(eth_collateral, tokens, utilization, usdc_debt)| LoanPlan {
			eth_collateral,
			tokens,
			utilization,
			usdc_debt,
		},
	)
}

/// The world a lending liquidation may meet: backstop deposits per debt asset (whole tokens,
/// zero for none), whether the AMM has DOT/USDC and ETH/USDC pools, and the share of the DOT
/// and ETH markets' cash a drainer borrows, in percent.
#[derive(Clone, Debug)]
struct World {
	usdc_backstop: u128,
	eth_backstop: u128,
	dot_backstop: u128,
	dot_pool: bool,
	eth_pool: bool,
	dot_drain: u128,
	eth_drain: u128,
}

fn world() -> impl Strategy<Value = World> {
	(
		prop_oneof![Just(0u128), 1u128..200_000],
		prop_oneof![Just(0u128), 1u128..50],
		prop_oneof![Just(0u128), 1u128..20_000],
		any::<bool>(),
		any::<bool>(),
		prop_oneof![Just(0u128), 1u128..=100],
		prop_oneof![Just(0u128), 1u128..=100],
	)
		.prop_map(
			|(
				usdc_backstop,
				eth_backstop,
				dot_backstop,
				dot_pool,
				eth_pool,
				dot_drain,
				eth_drain,
			)| {
				World {
					usdc_backstop,
					eth_backstop,
					dot_backstop,
					dot_pool,
					eth_pool,
					dot_drain,
					eth_drain,
				}
			},
		)
}

/// Who lends, drains, backs and liquidates in the lending property test.
const LENDER: u64 = USERS - 3;
const DRAINER: u64 = USERS - 2;
const BACKER: u64 = USERS - 1;
const OUTSIDER: u64 = USERS;
/// A spammer with nothing at stake, flagging every account every block.
const SPAMMER: u64 = USERS - 4;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Opens `who`'s loan as planned; a borrow the market cannot pay is skipped.
fn open_loan(who: u64, plan: &LoanPlan) {
	let (collateral, tokens) = if plan.eth_collateral {
		(ETH, ETH.units(plan.tokens) / 100)
	} else {
		(DOT, DOT.units(plan.tokens))
	};
	let debt = match (plan.usdc_debt, plan.eth_collateral) {
		(true, _) => USDC,
		(false, true) => DOT,
		(false, false) => ETH,
	};
	frame_support::assert_ok!(Lending::supply(signed(who), collateral.id, tokens));
	let limit = pallet_lending::Pallet::<Test>::account_liquidity(&who)
		.expect("fresh")
		.borrow_limit;
	let want = limit.saturating_mul(FixedU128::from_rational(plan.utilization, 100));
	let price = FixedU128::from_rational(debt.price_cents, 100);
	let amount = lever_primitives::amount_for_usd(want, debt.decimals, price).unwrap_or(0);
	let _ = Lending::borrow(signed(who), debt.id, amount);
}

/// Lends into every market, drains, backs and pools as `world` says.
fn set_up_world(world: &World) {
	for (asset, tokens) in [(USDC, 500_000), (DOT, 20_000), (ETH, 100)] {
		frame_support::assert_ok!(Lending::supply(signed(LENDER), asset.id, asset.units(tokens)));
	}
	frame_support::assert_ok!(Lending::supply(signed(DRAINER), USDC.id, USDC.units(1_000_000)));
	for (asset, percent) in [(DOT, world.dot_drain), (ETH, world.eth_drain)] {
		let cash = pallet_lending::Markets::<Test>::get(asset.id).expect("market").cash;
		let _ = Lending::borrow(signed(DRAINER), asset.id, cash * percent / 100);
	}
	for (asset, tokens) in
		[(USDC, world.usdc_backstop), (ETH, world.eth_backstop), (DOT, world.dot_backstop)]
	{
		if tokens != 0 {
			frame_support::assert_ok!(Liquidation::deposit(
				signed(BACKER),
				asset.id,
				asset.units(tokens)
			));
		}
	}
	let_deposits_join();
	if world.dot_pool {
		create_pool(DOT.id, DOT.units(500_000), USDC.id, USDC.units(5_000_000));
	}
	if world.eth_pool {
		create_pool(ETH.id, ETH.units(2_000), USDC.id, USDC.units(6_000_000));
	}
}

/// The lending accounts with debt.
fn debtors() -> Vec<u64> {
	let mut debtors: Vec<u64> = pallet_lending::Positions::<Test>::iter()
		.filter(|(_, positions)| positions.iter().any(|(_, p)| p.scaled_debt.is_some()))
		.map(|(who, _)| who)
		.collect();
	debtors.sort();
	debtors.dedup();
	debtors
}

fn liquidatable(who: u64) -> bool {
	<Lending as lever_primitives::LendingLiquidation<u64>>::is_liquidatable(&who).unwrap_or(false)
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

	/// Liveness of lending liquidation: over random loans, backstop levels, AMM pools, cash
	/// drained from the collateral markets and price paths, with a spammer flagging every
	/// account every block, no borrower is liquidatable two blocks after a price move (flagged
	/// in the first, liquidated or written off in the second). Only the engine's books may be,
	/// and only where no backstop deposit could repay for them; a third party's
	/// `lending.liquidate` taking supply shares (or a write-off) still succeeds on them. The
	/// engine never liquidates an account that was healthy, and every invariant holds after
	/// every block.
	#[test]
	fn every_unsafe_lending_account_is_liquidated_in_the_block_after_its_flag(
		plans in prop::collection::vec(loan_plan(), 1..12),
		world in world(),
		moves in prop::collection::vec((40u128..115, 40u128..115), 1..4),
	) {
		new_test_ext().execute_with(|| {
			set_up_world(&world);
			for (index, plan) in plans.iter().enumerate() {
				open_loan(index as u64 + 1, plan);
			}
			let mut dot = FixedU128::from_rational(DOT.price_cents, 100);
			let mut eth = FixedU128::from_rational(ETH.price_cents, 100);
			for (dot_move, eth_move) in moves {
				// The stress test of the same move, where both prices fall or hold, made before
				// it happens: it must list exactly the accounts the move makes liquidatable.
				let foreseen = stress_of(dot_move, eth_move).map(|report| {
					report.accounts.iter().map(|account| account.who).collect::<Vec<_>>()
				});
				dot = dot * FixedU128::from_rational(dot_move, 100);
				eth = eth * FixedU128::from_rational(eth_move, 100);
				set_price(DOT, dot);
				set_price(ETH, eth);
				if let Some(mut foreseen) = foreseen {
					foreseen.sort();
					let unsafe_now: Vec<u64> =
						debtors().into_iter().filter(|who| liquidatable(*who)).collect();
					prop_assert_eq!(foreseen, unsafe_now, "the stress test foresaw other accounts");
				}
				for _ in 0..2 {
					for who in debtors().into_iter().chain([OUTSIDER]) {
						let _ = Liquidation::flag(signed(SPAMMER), who);
					}
					let unsafe_before: Vec<u64> =
						debtors().into_iter().filter(|who| liquidatable(*who)).collect();
					System::reset_events();
					next_block(6);
					for event in System::events() {
						if let RuntimeEvent::Liquidation(
							Event::LendingLiquidated { account, .. } | Event::LendingWrittenOff { account },
						) = event.event
						{
							prop_assert!(unsafe_before.contains(&account), "{} was healthy", account);
						}
					}
				}
				for who in debtors() {
					if !liquidatable(who) {
						continue;
					}
					prop_assert!(
						pallet_lending::Books::<Test>::contains_key(who),
						"{} is unsafe two blocks after the move and is no book",
						who
					);
					let pairs = <Lending as lever_primitives::LendingLiquidation<u64>>::liquidation_pairs(&who)
						.expect("fresh prices");
					// The backstop route could not have moved anything: no deposits, or too few
					// to repay a unit of scaled debt.
					for (debt, collateral) in &pairs {
						let deposits = Liquidation::pool_deposits(*debt);
						if deposits == 0 {
							continue;
						}
						let could = frame_support::storage::with_transaction(|| {
							let result = <Lending as lever_primitives::LendingLiquidation<u64>>::liquidate(
								&Liquidation::account_id(),
								&who,
								*debt,
								*collateral,
								deposits,
								lever_primitives::SeizedAs::Shares,
							);
							frame_support::storage::TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(result.is_ok()))
						});
						prop_assert!(!could.unwrap_or(true), "{} is unsafe with a backstop behind its debt in {}", who, debt);
					}
					match pairs.first() {
						Some((debt, collateral)) => prop_assert!(
							Lending::liquidate(
								signed(OUTSIDER),
								who,
								*debt,
								*collateral,
								u128::MAX,
								lever_primitives::SeizedAs::Shares
							)
							.is_ok(),
							"nobody can liquidate {}",
							who
						),
						None => prop_assert!(
							<Lending as lever_primitives::LendingLiquidation<u64>>::write_off(&who).is_ok()
						),
					}
				}
				check_invariants();
			}
			Ok(())
		})?;
	}
}

/// One operation on the DOT backstop pool (a lending pool: lvUSD would unbalance the vaults'
/// books, which only a vault may mint into), whose minimum balance of 10⁶ units makes dust
/// reachable: deposits near it, and losses that compound a deposit below it.
#[derive(Clone, Debug)]
enum PoolStep {
	/// A depositor (0–4) adds whole DOT plus some units.
	Deposit { who: u8, dot: u128, units: u128 },
	/// A depositor takes out a share of its deposit, in percent (100: all of it).
	Withdraw { who: u8, percent: u128 },
	/// A liquidation repays the pool's deposits less `left` (a share of them in millionths
	/// when `share`, else units) and gives the pool `bonus` USDC units per DOT unit repaid.
	Liquidate { left: u128, share: bool, bonus: u128 },
}

/// The most USDC units a liquidation gives per DOT unit repaid.
const MAX_BONUS: u128 = 2_200;

fn pool_step() -> impl Strategy<Value = PoolStep> {
	prop_oneof![
		(0u8..5, prop_oneof![0u128..3, 0u128..2_000_000], 0u128..3_000_000)
			.prop_map(|(who, dot, units)| PoolStep::Deposit { who, dot, units }),
		(0u8..5, 1u128..=100).prop_map(|(who, percent)| PoolStep::Withdraw { who, percent }),
		(
			prop_oneof![0u128..3, 0u128..1_000_000, 0u128..3_000_000],
			any::<bool>(),
			0u128..MAX_BONUS
		)
			.prop_map(|(left, share, bonus)| PoolStep::Liquidate { left, share, bonus }),
	]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

	#[test]
	fn backstop_claims_follow_the_pro_rata_rules(steps in prop::collection::vec(pool_step(), 1..40)) {
		use frame_support::{
			storage::{with_transaction, TransactionOutcome},
			traits::{
				fungibles::Mutate,
				tokens::{Fortitude, Precision, Preservation},
			},
		};
		use sp_runtime::DispatchError;
		new_test_ext().execute_with(|| {
			let engine = Liquidation::account_id();
			let pool_id = DOT.id;
			let usdc = GainAsset::Tokens(USDC.id);
			// Accounts that hold nothing but what they are given to deposit.
			let depositor = |who: u8| USERS + 1 + u64::from(who);
			// The model: each depositor's exact value sharing in liquidations, its waiting part
			// (block made, amount) and its unpaid gain. One block per step.
			let mut value = [0f64; 5];
			let mut waiting = [None::<(u32, f64)>; 5];
			let mut owed = [0f64; 5];
			// Σ |each change of owed|: what f64's rounding of `owed` is relative to.
			let mut flow = [0f64; 5];
			let mut operations = 0u128;
			for step in steps {
				System::set_block_number(System::block_number() + 1);
				let now = System::block_number() as u32;
				for who in 0..5 {
					if let Some((made, amount)) = waiting[who] {
						if made + JOIN_DELAY <= now {
							value[who] += amount;
							waiting[who] = None;
						}
					}
				}
				match step {
					PoolStep::Deposit { who, dot, units } => {
						let amount = DOT.units(dot) + units;
						let account = depositor(who);
						// An account holding no DOT cannot be given less than the minimum balance.
						if Assets::mint_into(pool_id, &account, amount).is_err() {
							continue;
						}
						let before = Assets::balance(USDC.id, account);
						let seeded = Seeds::<Test>::contains_key(pool_id);
						if Liquidation::deposit(RuntimeOrigin::signed(account), pool_id, amount).is_err() {
							continue;
						}
						let seed = if seeded { 0 } else { DOT.min_balance };
						// A deposit waits from now, with what waited before.
						let waited = waiting[who as usize].map_or(0.0, |(_, amount)| amount);
						waiting[who as usize] = Some((now, waited + (amount - seed) as f64));
						let paid = (Assets::balance(USDC.id, account) - before) as f64;
						owed[who as usize] -= paid;
						flow[who as usize] += paid;
					},
					PoolStep::Withdraw { who, percent } => {
						let account = depositor(who);
						let Some(deposit) = Deposits::<Test>::get(pool_id, account) else { continue };
						let pool = BackstopPools::<Test>::get(pool_id).unwrap();
						let current = Liquidation::compounded(pool_id, &deposit, &pool);
						let amount = if percent == 100 {
							AmountOrAll::All
						} else {
							AmountOrAll::Amount(current * percent / 100)
						};
						let (dot_before, usdc_before) =
							(Assets::balance(pool_id, account), Assets::balance(USDC.id, account));
						let result = Liquidation::withdraw(RuntimeOrigin::signed(account), pool_id, amount);
						// All of a deposit can always be taken out, whatever its owner holds.
						prop_assert!(percent != 100 || result.is_ok(), "{:?}", result);
						if result.is_err() {
							continue;
						}
						let taken = (Assets::balance(pool_id, account) - dot_before) as f64;
						// What waits is taken first.
						let (made, waits) = waiting[who as usize].unwrap_or((now, 0.0));
						let from_waiting = waits.min(taken);
						waiting[who as usize] = (waits - from_waiting > 0.0).then_some((made, waits - from_waiting));
						value[who as usize] -= taken - from_waiting;
						if percent == 100 {
							(value[who as usize], waiting[who as usize]) = (0.0, None);
						}
						let paid = (Assets::balance(USDC.id, account) - usdc_before) as f64;
						owed[who as usize] -= paid;
						flow[who as usize] += paid;
					},
					PoolStep::Liquidate { left, share, bonus } => {
						let held = Liquidation::pool_deposits(pool_id);
						let left = if share { held / 1_000_000 * left } else { left };
						if held == 0 || left >= held {
							continue;
						}
						let debt = held - left;
						let gained = debt * bonus;
						// What execution does: the pool's tokens repay, the collateral arrives.
						Assets::burn_from(pool_id, &engine, debt, Preservation::Preserve, Precision::Exact, Fortitude::Polite).unwrap();
						let seed = if Seeds::<Test>::contains_key(USDC.id) { 0 } else { USDC.min_balance };
						Assets::mint_into(USDC.id, &engine, gained + seed).unwrap();
						let received = Liquidation::after_seed(USDC.id, gained + seed);
						prop_assert!(Liquidation::absorb(pool_id, debt, usdc, received).is_ok());
						// Pro rata of what the pool held (rounding dust in it shares too).
						for who in 0..5 {
							let share = received as f64 * value[who] / held as f64;
							owed[who] += share;
							flow[who] += share;
							value[who] *= left as f64 / held as f64;
						}
					},
				}
				operations += 1;
				check_invariants();
				// Nothing stuck: every deposit can be taken out whole now (tried, rolled back).
				for who in 0..5u8 {
					let account = depositor(who);
					if !Deposits::<Test>::contains_key(pool_id, account) {
						continue;
					}
					let whole = with_transaction(|| {
						let all = Liquidation::withdraw(RuntimeOrigin::signed(account), pool_id, AmountOrAll::All);
						TransactionOutcome::Rollback(Ok::<_, DispatchError>(all))
					});
					prop_assert!(matches!(whole, Ok(Ok(_))), "{}'s deposit is stuck: {:?}", who, whole);
				}
				let pool = BackstopPools::<Test>::get(pool_id).unwrap_or_default();
				let mut claims = 0u128;
				let mut gains = 0u128;
				for who in 0..5u8 {
					let deposit = Deposits::<Test>::get(pool_id, depositor(who));
					let claim = deposit.as_ref().map_or(0, |deposit| Liquidation::compounded(pool_id, deposit, &pool));
					let gain = deposit.as_ref().map_or(0, |deposit| Liquidation::gain(pool_id, deposit, &pool, usdc));
					let waits = waiting[who as usize].map_or(0.0, |(_, amount)| amount);
					let (model, model_gain) = (value[who as usize] + waits, owed[who as usize]);
					// Rounding: a unit per operation, and f64's 10⁻¹² of the amounts.
					let slack = operations as f64 + 1e-12 * model.max(claim as f64);
					prop_assert!((claim as f64 - model).abs() <= slack, "{}: claim {} vs {}", who, claim, model);
					// A unit of dust in the pool shares in gains as a deposit would; f64's rounding
					// is relative to all that flowed through the model, not to what is left.
					let scale = flow[who as usize].max(gain as f64);
					let gain_slack = (operations * MAX_BONUS) as f64 + 1e-12 * scale;
					prop_assert!((gain as f64 - model_gain).abs() <= gain_slack, "{}: gain {} vs {}", who, gain, model_gain);
					claims += claim;
					gains += gain;
				}
				let holds = pool.deposits + pool.all_waiting();
				prop_assert!(claims <= holds);
				prop_assert!(holds - claims <= 5 + operations, "{} held, {} claimed", holds, claims);
				let held = PoolGains::<Test>::get(pool_id, usdc).held;
				prop_assert!(gains <= held);
				prop_assert!(held - gains <= (5 + operations) * MAX_BONUS, "{} held, {} claimed", held, gains);
			}
			Ok(())
		})?;
	}
}
