//! Unit tests: every call's success and errors, interest against hand-computed values, health
//! and liquidation, with the invariants checked after every block and at the end of every test.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use lever_primitives::LendingLiquidation;
use sp_runtime::{
	traits::{One, Zero},
	DispatchError, DispatchResult, FixedU128, Permill, TokenError,
};

type Error = crate::Error<Test>;

fn balance(asset: TestAsset, who: u64) -> Balance {
	Assets::balance(asset.id, who)
}

fn market(asset: TestAsset) -> Market {
	Markets::<Test>::get(asset.id).unwrap()
}

/// The markets `who` is in, by asset.
fn markets_of(who: u64) -> Vec<AssetId> {
	Lending::positions_of(&who).into_iter().map(|(asset, _)| asset).collect()
}

/// Supplies exactly `amount` to `who`'s position (plus the seed if the market has none yet).
fn supply_units(who: u64, asset: TestAsset, amount: Balance) {
	let seed = if market(asset).seed.is_zero() { asset.min_balance } else { 0 };
	assert_ok!(Lending::supply(RuntimeOrigin::signed(who), asset.id, amount + seed));
}

/// Supplies `tokens` whole tokens (plus the seed if needed).
fn supply(who: u64, asset: TestAsset, tokens: u128) {
	supply_units(who, asset, asset.units(tokens));
}

/// Bob supplies 10,000 USDC; Alice supplies 100 DOT ($750, borrow limit $525, liquidation limit
/// $600) and borrows `usdc` USDC.
fn alice_borrows(usdc: u128) {
	supply(BOB, USDC, 10_000);
	supply(ALICE, DOT, 100);
	assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(usdc)));
}

/// Bob supplies 10,000 USDC; Alice supplies 10,000 DOT and borrows 5,000 USDC: 50% utilization.
fn big_loan() {
	supply(BOB, USDC, 10_000);
	supply(ALICE, DOT, 10_000);
	assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(5_000)));
}

fn price(cents: u128) -> FixedU128 {
	FixedU128::from_rational(cents, 100)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn assert_close(actual: FixedU128, expected: FixedU128, relative: FixedU128) {
	let difference = if actual > expected { actual - expected } else { expected - actual };
	assert!(
		difference <= expected * relative,
		"{actual:?} differs from {expected:?} by more than {relative:?} relative"
	);
}

mod supply {
	use super::*;

	#[test]
	fn first_supply_seeds_the_market_and_mints_one_share_per_unit() {
		test(|| {
			let amount = DOT.units(10);
			assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), DOT.id, amount));
			let credited = amount - DOT.min_balance;
			let market = market(DOT);
			assert_eq!(market.seed, DOT.min_balance);
			assert_eq!(market.cash, credited);
			assert_eq!(market.total_shares, credited);
			assert_eq!(
				Lending::supply_of(&ALICE, DOT.id),
				Some(SupplyPosition { shares: credited, collateral: true })
			);
			assert_eq!(markets_of(ALICE), vec![DOT.id]);
			assert_eq!(balance(DOT, ALICE), DOT.units(STARTING_TOKENS) - amount);
			assert_eq!(balance(DOT, Lending::account_id()), amount);
			assert_eq!(
				last_event(),
				Event::Supplied { who: ALICE, asset: DOT.id, amount: credited, shares: credited }
					.into()
			);
		});
	}

	#[test]
	fn later_supplies_get_shares_at_the_exchange_rate_rounded_down() {
		test(|| {
			alice_borrows(500);
			advance(30 * 86_400);
			supply(CHARLIE, USDC, 1_000);
			let market = market(USDC);
			let shares = Lending::supply_of(&CHARLIE, USDC.id).unwrap().shares;
			assert!(market.exchange_rate().unwrap() > FixedU128::one());
			// Charlie's shares are worth at most what he paid.
			assert!(market.value_of_shares(shares).unwrap() <= USDC.units(1_000));
			assert!(market.value_of_shares(shares + 1).unwrap() > USDC.units(1_000) - 2);
		});
	}

	#[test]
	fn supply_of_an_asset_that_cannot_be_collateral_is_not_collateral() {
		test(|| {
			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), BTC.id, params(0, 0)));
			supply(ALICE, BTC, 1);
			assert!(!Lending::supply_of(&ALICE, BTC.id).unwrap().collateral);
		});
	}

	#[test]
	fn bad_supplies_are_refused_and_change_nothing() {
		test(|| {
			let alice = RuntimeOrigin::signed(ALICE);
			assert_noop!(Lending::supply(alice.clone(), DOT.id, 0), Error::ZeroAmount);
			assert_noop!(Lending::supply(alice.clone(), NO_MARKET.id, 1_000), Error::UnknownMarket);
			assert_noop!(Lending::supply(alice.clone(), 77, 1_000), Error::UnknownMarket);
			// The first supply must cover the seed and a minimum balance.
			assert_noop!(
				Lending::supply(alice.clone(), DOT.id, 2 * DOT.min_balance - 1),
				Error::Dust
			);
			assert_noop!(
				Lending::supply(alice.clone(), DOT.id, u128::MAX),
				Error::SupplyCapExceeded
			);
			assert_noop!(
				Lending::supply(alice.clone(), DOT.id, DOT.units(STARTING_TOKENS + 1)),
				TokenError::FundsUnavailable
			);
			assert_noop!(
				Lending::supply(RuntimeOrigin::root(), DOT.id, DOT.units(1)),
				DispatchError::BadOrigin
			);
			supply(ALICE, DOT, 1);
			assert_noop!(Lending::supply(alice.clone(), DOT.id, DOT.min_balance - 1), Error::Dust);
		});
	}

	#[test]
	fn supply_over_the_cap_is_refused() {
		test(|| {
			let mut capped = params(70, 80);
			capped.supply_cap = DOT.units(100);
			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), DOT.id, capped));
			supply(ALICE, DOT, 60);
			assert_noop!(
				Lending::supply(RuntimeOrigin::signed(BOB), DOT.id, DOT.units(41)),
				Error::SupplyCapExceeded
			);
			supply(BOB, DOT, 40);
		});
	}

	#[test]
	fn paused_and_frozen_markets_take_no_supply() {
		test(|| {
			for status in [MarketStatus::Paused, MarketStatus::Frozen] {
				assert_ok!(Lending::set_market_status(RuntimeOrigin::root(), DOT.id, status));
				assert_noop!(
					Lending::supply(RuntimeOrigin::signed(ALICE), DOT.id, DOT.units(1)),
					Error::MarketNotActive
				);
			}
		});
	}

	#[test]
	fn supply_works_with_a_stale_price() {
		test(|| {
			make_stale(DOT);
			supply(ALICE, DOT, 5);
		});
	}

	#[test]
	fn an_account_is_in_at_most_max_markets_per_account() {
		test(|| {
			supply(ALICE, DOT, 1);
			supply(ALICE, USDC, 1);
			supply(ALICE, ETH, 1);
			assert_noop!(
				Lending::supply(RuntimeOrigin::signed(ALICE), BTC.id, BTC.units(1)),
				Error::TooManyAccountMarkets
			);
			assert_ok!(Lending::withdraw(RuntimeOrigin::signed(ALICE), ETH.id, AmountOrAll::All));
			supply(ALICE, BTC, 1);
		});
	}
}

mod withdraw {
	use super::*;

	#[test]
	fn withdraw_an_amount_then_all() {
		test(|| {
			supply(ALICE, DOT, 10);
			let before = balance(DOT, ALICE);
			assert_ok!(Lending::withdraw(
				RuntimeOrigin::signed(ALICE),
				DOT.id,
				AmountOrAll::Amount(DOT.units(4))
			));
			assert_eq!(balance(DOT, ALICE), before + DOT.units(4));
			assert_eq!(Lending::supply_of(&ALICE, DOT.id).unwrap().shares, DOT.units(6));
			assert_ok!(Lending::withdraw(RuntimeOrigin::signed(ALICE), DOT.id, AmountOrAll::All));
			assert_eq!(balance(DOT, ALICE), before + DOT.units(10));
			assert_eq!(Lending::supply_of(&ALICE, DOT.id), None);
			assert!(Lending::positions_of(&ALICE).is_empty());
			assert_eq!(
				last_event(),
				Event::Withdrawn {
					who: ALICE,
					asset: DOT.id,
					amount: DOT.units(6),
					shares: DOT.units(6)
				}
				.into()
			);
			// The seed stays, so the pallet's account lives on.
			assert_eq!(balance(DOT, Lending::account_id()), DOT.min_balance);
		});
	}

	#[test]
	fn suppliers_earn_the_interest_less_reserves() {
		test(|| {
			big_loan();
			advance(365 * 86_400);
			let before = balance(USDC, BOB);
			assert_ok!(Lending::repay(RuntimeOrigin::signed(ALICE), USDC.id, AmountOrAll::All));
			assert_ok!(Lending::withdraw(RuntimeOrigin::signed(BOB), USDC.id, AmountOrAll::All));
			let earned = balance(USDC, BOB) - before - USDC.units(10_000);
			let market = market(USDC);
			// Interest = earned + reserves (to a unit of rounding), reserves = 10% of it.
			let interest = earned + market.reserves;
			assert!(interest > USDC.units(500), "a year at 50% utilization pays over 10%");
			assert!(market.reserves >= interest / 10 - 1 && market.reserves <= interest / 10 + 1);
		});
	}

	#[test]
	fn bad_withdrawals_are_refused_and_change_nothing() {
		test(|| {
			let alice = RuntimeOrigin::signed(ALICE);
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::All),
				Error::NoSupply
			);
			assert_noop!(
				Lending::withdraw(alice.clone(), 77, AmountOrAll::All),
				Error::UnknownMarket
			);
			supply(ALICE, DOT, 10);
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::Amount(0)),
				Error::ZeroAmount
			);
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::Amount(DOT.min_balance - 1)),
				Error::Dust
			);
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::Amount(u128::MAX)),
				Error::InsufficientSupply
			);
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::Amount(DOT.units(11))),
				Error::InsufficientSupply
			);
			// Leaving less than the minimum balance behind is dust: withdraw all instead.
			assert_noop!(
				Lending::withdraw(
					alice.clone(),
					DOT.id,
					AmountOrAll::Amount(DOT.units(10) - DOT.min_balance + 1)
				),
				Error::Dust
			);
			assert_noop!(
				Lending::withdraw(RuntimeOrigin::none(), DOT.id, AmountOrAll::All),
				DispatchError::BadOrigin
			);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Frozen
			));
			assert_noop!(Lending::withdraw(alice, DOT.id, AmountOrAll::All), Error::MarketFrozen);
		});
	}

	#[test]
	fn cash_lent_out_cannot_be_withdrawn() {
		test(|| {
			supply(BOB, USDC, 1_000);
			supply(ALICE, DOT, 1_000);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(900)));
			assert_noop!(
				Lending::withdraw(
					RuntimeOrigin::signed(BOB),
					USDC.id,
					AmountOrAll::Amount(USDC.units(101))
				),
				Error::NotEnoughCash
			);
			assert_ok!(Lending::withdraw(
				RuntimeOrigin::signed(BOB),
				USDC.id,
				AmountOrAll::Amount(USDC.units(100))
			));
		});
	}

	#[test]
	fn collateral_leaves_only_within_the_borrow_limit_at_fresh_prices() {
		test(|| {
			alice_borrows(350);
			let alice = RuntimeOrigin::signed(ALICE);
			// $350 of debt needs $500 of DOT at 70%: 66.67 DOT stay, 33.33 may go.
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::Amount(DOT.units(34))),
				Error::InsufficientCollateral
			);
			make_stale(DOT);
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::Amount(DOT.units(1))),
				Error::PriceStale
			);
			make_stale(USDC);
			set_price(DOT, price(750));
			assert_noop!(
				Lending::withdraw(alice.clone(), DOT.id, AmountOrAll::Amount(DOT.units(1))),
				Error::PriceStale
			);
			set_price(USDC, price(100));
			assert_ok!(Lending::withdraw(alice, DOT.id, AmountOrAll::Amount(DOT.units(33))));
		});
	}

	#[test]
	fn without_debt_collateral_leaves_even_with_a_stale_price() {
		test(|| {
			supply(ALICE, DOT, 10);
			make_stale(DOT);
			assert_ok!(Lending::withdraw(RuntimeOrigin::signed(ALICE), DOT.id, AmountOrAll::All));
		});
	}

	#[test]
	fn a_paused_market_still_pays_out() {
		test(|| {
			supply(ALICE, DOT, 10);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Paused
			));
			assert_ok!(Lending::withdraw(RuntimeOrigin::signed(ALICE), DOT.id, AmountOrAll::All));
		});
	}
}

mod borrow {
	use super::*;

	#[test]
	fn borrow_within_the_limit() {
		test(|| {
			alice_borrows(500);
			assert_eq!(balance(USDC, ALICE), USDC.units(STARTING_TOKENS + 500));
			let scaled = Lending::scaled_debt_of(&ALICE, USDC.id).unwrap();
			assert_eq!(market(USDC).debt_of(scaled).unwrap(), USDC.units(500));
			assert_eq!(
				last_event(),
				Event::Borrowed { who: ALICE, asset: USDC.id, amount: USDC.units(500) }.into()
			);
			assert_eq!(markets_of(ALICE), vec![DOT.id, USDC.id]);
			let liquidity = Lending::account_liquidity(&ALICE).unwrap();
			assert_eq!(liquidity.collateral_value, FixedU128::from_u32(750));
			assert_eq!(liquidity.borrow_limit, FixedU128::from_u32(525));
			assert_eq!(liquidity.liquidation_limit, FixedU128::from_u32(600));
			assert_eq!(liquidity.debt_value, FixedU128::from_u32(500));
			assert_eq!(liquidity.health_factor(), Some(FixedU128::from_rational(12, 10)));
		});
	}

	#[test]
	fn borrow_up_to_the_limit_and_not_a_unit_more() {
		test(|| {
			alice_borrows(525);
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.min_balance),
				Error::InsufficientCollateral
			);
		});
	}

	#[test]
	fn bad_borrows_are_refused_and_change_nothing() {
		test(|| {
			supply(BOB, USDC, 1_000);
			supply(ALICE, DOT, 100);
			let alice = RuntimeOrigin::signed(ALICE);
			assert_noop!(Lending::borrow(alice.clone(), USDC.id, 0), Error::ZeroAmount);
			assert_noop!(
				Lending::borrow(alice.clone(), USDC.id, USDC.min_balance - 1),
				Error::Dust
			);
			assert_noop!(Lending::borrow(alice.clone(), NO_MARKET.id, 1_000), Error::UnknownMarket);
			assert_noop!(
				Lending::borrow(alice.clone(), USDC.id, USDC.units(1_001)),
				Error::NotEnoughCash
			);
			assert_noop!(Lending::borrow(alice.clone(), USDC.id, u128::MAX), Error::NotEnoughCash);
			assert_noop!(
				Lending::borrow(alice.clone(), USDC.id, USDC.units(526)),
				Error::InsufficientCollateral
			);
			// Charlie has no collateral at all.
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(1)),
				Error::InsufficientCollateral
			);
			make_stale(DOT);
			assert_noop!(Lending::borrow(alice.clone(), USDC.id, USDC.units(1)), Error::PriceStale);
			set_price(DOT, price(750));
			make_stale(USDC);
			assert_noop!(Lending::borrow(alice.clone(), USDC.id, USDC.units(1)), Error::PriceStale);
			set_price(USDC, price(100));
			assert_noop!(
				Lending::borrow(RuntimeOrigin::root(), USDC.id, USDC.units(1)),
				DispatchError::BadOrigin
			);
			for status in [MarketStatus::Paused, MarketStatus::Frozen] {
				assert_ok!(Lending::set_market_status(RuntimeOrigin::root(), USDC.id, status));
				assert_noop!(
					Lending::borrow(alice.clone(), USDC.id, USDC.units(1)),
					Error::MarketNotActive
				);
			}
		});
	}

	#[test]
	fn an_unpriced_asset_cannot_be_borrowed() {
		test(|| {
			supply(BOB, ETH, 10);
			supply(ALICE, DOT, 100);
			forget_price(ETH);
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(ALICE), ETH.id, ETH.units(1) / 100),
				Error::PriceUnknown
			);
		});
	}

	#[test]
	fn borrows_over_the_cap_are_refused() {
		test(|| {
			let mut capped = params(80, 85);
			capped.borrow_cap = USDC.units(300);
			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), USDC.id, capped));
			alice_borrows(200);
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(101)),
				Error::BorrowCapExceeded
			);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(100)));
		});
	}

	#[test]
	fn debt_in_a_new_market_counts_against_max_markets_per_account() {
		test(|| {
			supply(BOB, BTC, 1);
			supply(ALICE, DOT, 100);
			supply(ALICE, USDC, 100);
			supply(ALICE, ETH, 1);
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(ALICE), BTC.id, BTC.units(1) / 1_000),
				Error::TooManyAccountMarkets
			);
		});
	}
}

mod repay {
	use super::*;

	/// USDC's market with a minimum debt of 300 USDC.
	fn usdc_min_debt_300() {
		assert_ok!(Lending::set_market_params(
			RuntimeOrigin::root(),
			USDC.id,
			MarketParams { min_debt: USDC.units(300), ..params(80, 85) }
		));
	}

	/// Case 5 of the review: a borrow must reach the market's minimum debt and a partial
	/// repayment must leave it, so a borrowing account costs real collateral; repaying all of
	/// it is always allowed.
	#[test]
	fn debts_below_the_markets_minimum_are_neither_opened_nor_left() {
		test(|| {
			usdc_min_debt_300();
			supply(BOB, USDC, 10_000);
			supply(ALICE, DOT, 100);
			let alice = RuntimeOrigin::signed(ALICE);
			assert_noop!(
				Lending::borrow(alice.clone(), USDC.id, USDC.units(299)),
				Error::BelowMinDebt
			);
			assert_ok!(Lending::borrow(alice.clone(), USDC.id, USDC.units(400)));
			// A second, small borrow is fine: the debt is above the minimum.
			assert_ok!(Lending::borrow(alice.clone(), USDC.id, USDC.units(1)));
			assert_noop!(
				Lending::repay(alice.clone(), USDC.id, AmountOrAll::Amount(USDC.units(102))),
				Error::BelowMinDebt
			);
			assert_ok!(Lending::repay(
				alice.clone(),
				USDC.id,
				AmountOrAll::Amount(USDC.units(100))
			));
			assert_ok!(Lending::repay(alice, USDC.id, AmountOrAll::All));
			assert!(Lending::scaled_debt_of(&ALICE, USDC.id).is_none());
		});
	}

	/// A liquidation whose close factor would leave less than the minimum debt repays all of it
	/// (Aave v3.3's minimum-leftover rule, on the debt side).
	#[test]
	fn a_liquidation_closes_the_whole_debt_rather_than_leave_less_than_the_minimum() {
		test(|| {
			usdc_min_debt_300();
			alice_borrows(500);
			// DOT at $6: half the debt would leave 250 USDC, under the 300 minimum.
			set_price(DOT, price(600));
			let seizure = <Lending as LendingLiquidation<u64>>::liquidate(
				&CHARLIE,
				&ALICE,
				USDC.id,
				DOT.id,
				USDC.units(1_000),
				SeizedAs::Tokens,
			)
			.unwrap();
			// All 500 USDC for 500 × 1.08 / 6 = 90 DOT.
			assert_eq!((seizure.repaid, seizure.seized), (USDC.units(500), DOT.units(90)));
			assert!(Lending::scaled_debt_of(&ALICE, USDC.id).is_none());
		});
	}

	#[test]
	fn repay_part_then_all_with_interest() {
		test(|| {
			alice_borrows(500);
			advance(86_400);
			let alice = RuntimeOrigin::signed(ALICE);
			assert_ok!(Lending::repay(
				alice.clone(),
				USDC.id,
				AmountOrAll::Amount(USDC.units(200))
			));
			let scaled = Lending::scaled_debt_of(&ALICE, USDC.id).unwrap();
			let debt = market(USDC).debt_of(scaled).unwrap();
			assert!(debt > USDC.units(300), "a day of interest is owed on top");
			assert_eq!(
				last_event(),
				Event::Repaid {
					who: ALICE,
					asset: USDC.id,
					amount: USDC.units(200),
					remaining: debt
				}
				.into()
			);
			let before = balance(USDC, ALICE);
			assert_ok!(Lending::repay(alice, USDC.id, AmountOrAll::All));
			assert_eq!(balance(USDC, ALICE), before - debt);
			assert_eq!(Lending::scaled_debt_of(&ALICE, USDC.id), None);
			assert_eq!(markets_of(ALICE), vec![DOT.id]);
		});
	}

	#[test]
	fn repaying_more_than_the_debt_repays_the_debt() {
		test(|| {
			alice_borrows(500);
			let before = balance(USDC, ALICE);
			assert_ok!(Lending::repay(
				RuntimeOrigin::signed(ALICE),
				USDC.id,
				AmountOrAll::Amount(u128::MAX)
			));
			assert_eq!(balance(USDC, ALICE), before - USDC.units(500));
			assert_eq!(Lending::scaled_debt_of(&ALICE, USDC.id), None);
		});
	}

	#[test]
	fn repay_works_with_stale_prices_and_in_a_paused_market() {
		test(|| {
			alice_borrows(500);
			make_stale(DOT);
			make_stale(USDC);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				USDC.id,
				MarketStatus::Paused
			));
			assert_ok!(Lending::repay(RuntimeOrigin::signed(ALICE), USDC.id, AmountOrAll::All));
		});
	}

	#[test]
	fn bad_repayments_are_refused_and_change_nothing() {
		test(|| {
			let alice = RuntimeOrigin::signed(ALICE);
			assert_noop!(Lending::repay(alice.clone(), USDC.id, AmountOrAll::All), Error::NoDebt);
			assert_noop!(Lending::repay(alice.clone(), 77, AmountOrAll::All), Error::UnknownMarket);
			alice_borrows(500);
			assert_noop!(
				Lending::repay(alice.clone(), USDC.id, AmountOrAll::Amount(0)),
				Error::ZeroAmount
			);
			assert_noop!(
				Lending::repay(
					alice.clone(),
					USDC.id,
					AmountOrAll::Amount(USDC.units(500) - USDC.min_balance + 1)
				),
				Error::Dust
			);
			assert_noop!(
				Lending::repay(RuntimeOrigin::root(), USDC.id, AmountOrAll::All),
				DispatchError::BadOrigin
			);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				USDC.id,
				MarketStatus::Frozen
			));
			assert_noop!(Lending::repay(alice, USDC.id, AmountOrAll::All), Error::MarketFrozen);
		});
	}
}

/// Supplying and repaying for another account: the payer's tokens, the beneficiary's position,
/// and nothing that adds risk or fills another's market slots.
mod on_behalf {
	use super::*;

	/// The value of `who`'s supply of `asset`, interest included.
	fn supplied(who: u64, asset: TestAsset) -> Balance {
		let shares = Lending::supply_of(&who, asset.id).map_or(0, |position| position.shares);
		market(asset).value_of_shares(shares).unwrap()
	}

	#[test]
	fn supply_for_credits_the_beneficiary_with_the_payers_tokens() {
		test(|| {
			alice_borrows(500);
			let (alice_before, charlie_before) = (supplied(ALICE, DOT), balance(DOT, CHARLIE));
			assert_ok!(Lending::supply_for(
				RuntimeOrigin::signed(CHARLIE),
				ALICE,
				DOT.id,
				DOT.units(10)
			));
			assert_eq!(supplied(ALICE, DOT), alice_before + DOT.units(10));
			assert_eq!(balance(DOT, CHARLIE), charlie_before - DOT.units(10));
			assert!(markets_of(CHARLIE).is_empty(), "the payer holds no position");
			assert!(
				Lending::supply_of(&ALICE, DOT.id).is_some_and(|position| position.collateral),
				"the supply stays collateral"
			);
		});
	}

	#[test]
	fn supply_for_an_account_outside_the_market_is_refused() {
		test(|| {
			alice_borrows(500);
			// Bob supplies USDC only: nobody can put him in the DOT market.
			assert_noop!(
				Lending::supply_for(RuntimeOrigin::signed(CHARLIE), BOB, DOT.id, DOT.units(10)),
				Error::BeneficiaryNotInMarket
			);
			assert_noop!(
				Lending::supply_for(RuntimeOrigin::signed(CHARLIE), 99, DOT.id, DOT.units(10)),
				Error::BeneficiaryNotInMarket
			);
		});
	}

	#[test]
	fn supply_for_follows_the_rules_of_supply() {
		test(|| {
			alice_borrows(500);
			let charlie = RuntimeOrigin::signed(CHARLIE);
			assert_noop!(Lending::supply_for(charlie.clone(), ALICE, DOT.id, 0), Error::ZeroAmount);
			assert_noop!(
				Lending::supply_for(charlie.clone(), ALICE, DOT.id, DOT.min_balance - 1),
				Error::Dust
			);
			assert_noop!(
				Lending::supply_for(charlie.clone(), ALICE, DOT.id, Balance::MAX),
				Error::SupplyCapExceeded
			);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Paused
			));
			assert_noop!(
				Lending::supply_for(charlie, ALICE, DOT.id, DOT.units(10)),
				Error::MarketNotActive
			);
		});
	}

	#[test]
	fn repay_for_clears_the_borrowers_debt_with_the_payers_tokens() {
		test(|| {
			alice_borrows(500);
			advance(86_400);
			let (alice_before, charlie_before) = (balance(USDC, ALICE), balance(USDC, CHARLIE));
			assert_ok!(Lending::repay_for(
				RuntimeOrigin::signed(CHARLIE),
				ALICE,
				USDC.id,
				AmountOrAll::All
			));
			let RuntimeEvent::Lending(Event::Repaid { who, amount: debt, remaining, .. }) =
				last_event()
			else {
				panic!("a repayment")
			};
			assert_eq!((who, remaining), (ALICE, 0));
			assert!(debt > USDC.units(500), "a day of interest is repaid too: {debt}");
			assert_eq!(Lending::scaled_debt_of(&ALICE, USDC.id), None);
			assert_eq!(balance(USDC, ALICE), alice_before, "the borrower pays nothing");
			assert_eq!(balance(USDC, CHARLIE), charlie_before - debt);
		});
	}

	#[test]
	fn repay_for_follows_the_rules_of_repay() {
		test(|| {
			let charlie = RuntimeOrigin::signed(CHARLIE);
			assert_noop!(
				Lending::repay_for(charlie.clone(), ALICE, USDC.id, AmountOrAll::All),
				Error::NoDebt
			);
			alice_borrows(500);
			assert_noop!(
				Lending::repay_for(charlie.clone(), ALICE, USDC.id, AmountOrAll::Amount(0)),
				Error::ZeroAmount
			);
			assert_noop!(
				Lending::repay_for(charlie.clone(), ALICE, 77, AmountOrAll::All),
				Error::UnknownMarket
			);
			let almost_all = USDC.units(500) - 1;
			assert_noop!(
				Lending::repay_for(charlie, ALICE, USDC.id, AmountOrAll::Amount(almost_all)),
				Error::Dust
			);
		});
	}
}

mod collateral {
	use super::*;

	#[test]
	fn disable_and_enable_collateral() {
		test(|| {
			supply(ALICE, DOT, 10);
			let alice = RuntimeOrigin::signed(ALICE);
			assert_ok!(Lending::disable_collateral(alice.clone(), DOT.id));
			assert_eq!(
				last_event(),
				Event::CollateralDisabled { who: ALICE, asset: DOT.id }.into()
			);
			assert!(!Lending::supply_of(&ALICE, DOT.id).unwrap().collateral);
			assert_eq!(Lending::account_liquidity(&ALICE).unwrap().borrow_limit, FixedU128::zero());
			assert_ok!(Lending::enable_collateral(alice, DOT.id));
			assert_eq!(last_event(), Event::CollateralEnabled { who: ALICE, asset: DOT.id }.into());
			assert_eq!(
				Lending::account_liquidity(&ALICE).unwrap().borrow_limit,
				FixedU128::from_rational(525, 10)
			);
		});
	}

	#[test]
	fn bad_collateral_changes_are_refused_and_change_nothing() {
		test(|| {
			let alice = RuntimeOrigin::signed(ALICE);
			assert_noop!(Lending::enable_collateral(alice.clone(), DOT.id), Error::NoSupply);
			assert_noop!(Lending::disable_collateral(alice.clone(), 77), Error::UnknownMarket);
			alice_borrows(500);
			assert_noop!(
				Lending::enable_collateral(alice.clone(), DOT.id),
				Error::CollateralAlreadyEnabled
			);
			assert_noop!(
				Lending::disable_collateral(alice.clone(), DOT.id),
				Error::InsufficientCollateral
			);
			make_stale(USDC);
			assert_noop!(Lending::disable_collateral(alice.clone(), DOT.id), Error::PriceStale);
			set_price(USDC, price(100));
			supply(ALICE, ETH, 1);
			assert_ok!(Lending::disable_collateral(alice.clone(), ETH.id));
			assert_noop!(
				Lending::disable_collateral(alice.clone(), ETH.id),
				Error::CollateralNotEnabled
			);
			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), ETH.id, params(0, 0)));
			assert_noop!(
				Lending::enable_collateral(alice.clone(), ETH.id),
				Error::NotCollateralAsset
			);
			assert_noop!(
				Lending::enable_collateral(RuntimeOrigin::none(), ETH.id),
				DispatchError::BadOrigin
			);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Frozen
			));
			assert_noop!(Lending::disable_collateral(alice, DOT.id), Error::MarketFrozen);
		});
	}
}

mod governance {
	use super::*;

	fn create_asset(id: AssetId) {
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), id, ALICE, true, 1));
	}

	#[test]
	fn create_a_market() {
		test(|| {
			assert_ok!(Lending::create_market(RuntimeOrigin::root(), NO_MARKET.id, params(50, 60)));
			assert_eq!(
				last_event(),
				Event::MarketCreated { asset: NO_MARKET.id, params: params(50, 60) }.into()
			);
			let market = market(NO_MARKET);
			assert_eq!(market.decimals, NO_MARKET.decimals);
			assert_eq!(market.status, MarketStatus::Active);
			assert_eq!(market.borrow_index, FixedU128::one());
			supply(ALICE, NO_MARKET, 5);
		});
	}

	#[test]
	fn bad_markets_are_refused_and_change_nothing() {
		test(|| {
			let root = RuntimeOrigin::root;
			assert_noop!(
				Lending::create_market(RuntimeOrigin::signed(ALICE), NO_MARKET.id, params(50, 60)),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Lending::create_market(root(), DOT.id, params(50, 60)),
				Error::MarketExists
			);
			assert_noop!(Lending::create_market(root(), 77, params(50, 60)), Error::UnknownAsset);
			let mut bad_model = params(50, 60);
			bad_model.rate_model.kink = Permill::zero();
			assert_noop!(
				Lending::create_market(root(), NO_MARKET.id, bad_model),
				Error::InvalidRateModel
			);
			bad_model.rate_model.kink = Permill::one();
			assert_noop!(
				Lending::create_market(root(), NO_MARKET.id, bad_model),
				Error::InvalidRateModel
			);
			bad_model = params(50, 60);
			bad_model.rate_model.slope_above_kink = FixedU128::from_u32(10);
			assert_noop!(
				Lending::create_market(root(), NO_MARKET.id, bad_model),
				Error::InvalidRateModel
			);
			let invalid = [
				MarketParams { reserve_factor: Permill::one(), ..params(50, 60) },
				params(60, 60),
				params(70, 60),
				MarketParams { liquidation_bonus: Permill::from_percent(70), ..params(50, 60) },
				MarketParams { close_factor: Permill::zero(), ..params(50, 60) },
				MarketParams { supply_cap: 0, ..params(50, 60) },
				MarketParams { borrow_cap: 0, ..params(50, 60) },
			];
			for params in invalid {
				assert_noop!(
					Lending::create_market(root(), NO_MARKET.id, params),
					Error::InvalidRiskParams
				);
			}
		});
	}

	#[test]
	fn markets_are_bounded_by_max_markets() {
		test(|| {
			for id in 10..14 {
				create_asset(id);
			}
			assert_ok!(Lending::create_market(RuntimeOrigin::root(), NO_MARKET.id, params(50, 60)));
			for id in 10..13 {
				assert_ok!(Lending::create_market(RuntimeOrigin::root(), id, params(50, 60)));
			}
			assert_noop!(
				Lending::create_market(RuntimeOrigin::root(), 13, params(50, 60)),
				Error::TooManyMarkets
			);
		});
	}

	/// A supply cap bounds the suppliers' assets, not their shares: once a write-off has cost
	/// USDC's suppliers 314.814815 USDC, 10,000 USDC of shares hold 9,685.185185 USDC, and a cap
	/// of 10,000 USDC admits 314.814815 USDC more (worth more shares than that), never one
	/// unit past it.
	#[test]
	fn the_supply_cap_bounds_the_suppliers_assets_after_a_loss() {
		test(|| {
			alice_borrows(500);
			assert_ok!(Lending::set_market_params(
				RuntimeOrigin::root(),
				USDC.id,
				MarketParams { close_factor: Permill::one(), ..params(80, 85) }
			));
			// At $2 her 100 DOT repay $200 / 1.08 = 185.185185 USDC; the rest is written off.
			set_price(DOT, price(200));
			assert_ok!(<Lending as LendingLiquidation<u64>>::liquidate(
				&CHARLIE,
				&ALICE,
				USDC.id,
				DOT.id,
				u128::MAX,
				SeizedAs::Tokens,
			));
			assert_ok!(Lending::write_off(&ALICE));
			assert_eq!(BadDebt::<Test>::get(USDC.id), 314_814_815);
			assert_eq!(market(USDC).total_supply(), Ok(USDC.units(10_000) - 314_814_815));
			assert!(market(USDC).exchange_rate().unwrap() < FixedU128::one());

			assert_ok!(Lending::set_market_params(
				RuntimeOrigin::root(),
				USDC.id,
				MarketParams { supply_cap: USDC.units(10_000), ..params(80, 85) }
			));
			assert_noop!(
				Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, 314_814_816),
				Error::SupplyCapExceeded
			);
			assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, 314_814_815));
			assert_eq!(market(USDC).total_supply(), Ok(USDC.units(10_000)));
			assert!(market(USDC).total_shares > USDC.units(10_000));
			assert_noop!(
				Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.min_balance),
				Error::SupplyCapExceeded
			);
		});
	}

	/// Caps count interest, and governance may set them below usage, as vault debt ceilings: a
	/// cap below what is supplied or owed stops new supply or borrowing and nothing else.
	#[test]
	fn caps_count_interest_and_below_usage_only_stop_new_supply_and_borrowing() {
		test(|| {
			big_loan();
			advance(365 * 86_400);
			assert_ok!(Lending::accrue_market(USDC.id));
			let supplied = market(USDC).total_supply().unwrap();
			let borrowed = market(USDC).total_borrows().unwrap();
			assert!(borrowed > USDC.units(5_000) && supplied > USDC.units(10_000));
			let capped =
				|supply_cap, borrow_cap| MarketParams { supply_cap, borrow_cap, ..params(80, 85) };

			assert_ok!(Lending::set_market_params(
				RuntimeOrigin::root(),
				USDC.id,
				capped(supplied + USDC.units(10), borrowed + USDC.units(10))
			));
			assert_noop!(
				Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(10) + 1),
				Error::SupplyCapExceeded
			);
			assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(10)));
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(10) + 1),
				Error::BorrowCapExceeded
			);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(10)));

			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), USDC.id, capped(1, 1)));
			assert_noop!(
				Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(1)),
				Error::SupplyCapExceeded
			);
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(1)),
				Error::BorrowCapExceeded
			);
			assert_ok!(Lending::repay(
				RuntimeOrigin::signed(ALICE),
				USDC.id,
				AmountOrAll::Amount(USDC.units(1_000))
			));
			assert_ok!(Lending::withdraw(
				RuntimeOrigin::signed(BOB),
				USDC.id,
				AmountOrAll::Amount(USDC.units(1_000))
			));

			assert_noop!(
				Lending::set_market_params(RuntimeOrigin::root(), 77, capped(1, 1)),
				Error::UnknownMarket
			);
			assert_noop!(
				Lending::set_market_params(RuntimeOrigin::signed(ALICE), USDC.id, params(80, 85)),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn a_lowered_liquidation_threshold_ramps_in_so_nobody_is_liquidated_at_once() {
		test(|| {
			alice_borrows(500);
			// Health factor 600 / 500 = 1.2. Lowering DOT's threshold to 60% would make it 0.9.
			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), DOT.id, params(50, 60)));
			let ramp_until = GENESIS_TIME + RAMP_PERIOD;
			assert_eq!(
				last_event(),
				Event::MarketParamsSet {
					asset: DOT.id,
					params: params(50, 60),
					ramp_until: Some(ramp_until)
				}
				.into()
			);
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			// Half way the threshold is 70%: health factor 1.05.
			advance(RAMP_PERIOD / 2_000);
			assert_eq!(
				market(DOT).liquidation_threshold_at(Timestamp::get()),
				Permill::from_percent(70)
			);
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			advance(RAMP_PERIOD / 2_000);
			assert!(Lending::is_liquidatable(&ALICE).unwrap());
			// Raising a threshold takes effect at once and ends any ramp.
			assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), DOT.id, params(70, 80)));
			assert_eq!(market(DOT).threshold_ramp, None);
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
		});
	}

	#[test]
	fn status_changes_are_governance_only() {
		test(|| {
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Paused
			));
			assert_eq!(
				last_event(),
				Event::MarketStatusSet { asset: DOT.id, status: MarketStatus::Paused }.into()
			);
			assert_noop!(
				Lending::set_market_status(
					RuntimeOrigin::signed(ALICE),
					DOT.id,
					MarketStatus::Active
				),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Lending::set_market_status(RuntimeOrigin::root(), 77, MarketStatus::Active),
				Error::UnknownMarket
			);
		});
	}

	/// The risk council (`RiskOrigin`) lowers a market's factors, threshold and caps and pauses
	/// or freezes it at once; every other change, and every change that raises risk, is refused
	/// and changes nothing, while governance may make each of them.
	#[test]
	fn the_risk_council_may_only_reduce_a_markets_risk() {
		test(|| {
			let council = || RuntimeOrigin::signed(RISK_COUNCIL);
			let current = market(DOT).params;
			let safer = MarketParams {
				collateral_factor: Permill::from_percent(60),
				liquidation_threshold: Permill::from_percent(75),
				supply_cap: current.supply_cap / 2,
				borrow_cap: current.borrow_cap / 2,
				..current
			};
			assert_ok!(Lending::set_market_params(council(), DOT.id, safer));
			assert_eq!(market(DOT).params, safer);
			// The lowered threshold ramps in as it does for governance.
			assert!(market(DOT).threshold_ramp.is_some());

			let riskier = [
				MarketParams { collateral_factor: Permill::from_percent(65), ..safer },
				MarketParams { liquidation_threshold: Permill::from_percent(76), ..safer },
				MarketParams { supply_cap: safer.supply_cap + 1, ..safer },
				MarketParams { borrow_cap: safer.borrow_cap + 1, ..safer },
				MarketParams { liquidation_bonus: Permill::from_percent(7), ..safer },
				MarketParams { close_factor: Permill::from_percent(40), ..safer },
				MarketParams { reserve_factor: Permill::from_percent(20), ..safer },
				MarketParams { min_debt: 1, ..safer },
				MarketParams {
					rate_model: InterestRateModel {
						base_rate: FixedU128::from_rational(3, 100),
						..safer.rate_model
					},
					..safer
				},
				// Lower in one respect, higher in another.
				MarketParams {
					collateral_factor: Permill::from_percent(50),
					borrow_cap: safer.borrow_cap + 1,
					..safer
				},
			];
			for params in riskier {
				assert_noop!(
					Lending::set_market_params(council(), DOT.id, params),
					Error::RiskIncreasing
				);
				assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), DOT.id, params));
				assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), DOT.id, safer));
			}

			assert_ok!(Lending::set_market_status(council(), DOT.id, MarketStatus::Paused));
			assert_ok!(Lending::set_market_status(council(), DOT.id, MarketStatus::Frozen));
			assert_eq!(market(DOT).status, MarketStatus::Frozen);
			for status in [MarketStatus::Paused, MarketStatus::Active] {
				assert_noop!(
					Lending::set_market_status(council(), DOT.id, status),
					Error::RiskIncreasing
				);
			}
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Active
			));

			// Listing a market and moving reserves are governance's alone.
			assert_noop!(
				Lending::create_market(council(), NO_MARKET.id, params(50, 60)),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Lending::transfer_reserves(council(), USDC.id, 1),
				DispatchError::BadOrigin
			);
			// Nobody else acts for either.
			assert_noop!(
				Lending::set_market_params(RuntimeOrigin::signed(ALICE), DOT.id, safer),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Lending::set_market_status(
					RuntimeOrigin::signed(ALICE),
					DOT.id,
					MarketStatus::Frozen
				),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn reserves_go_to_the_treasury() {
		test(|| {
			big_loan();
			advance(365 * 86_400);
			assert_ok!(Lending::repay(RuntimeOrigin::signed(ALICE), USDC.id, AmountOrAll::All));
			let reserves = market(USDC).reserves;
			assert!(reserves > USDC.units(50));
			assert_noop!(
				Lending::transfer_reserves(RuntimeOrigin::root(), USDC.id, reserves + 1),
				Error::NotEnoughReserves
			);
			assert_noop!(
				Lending::transfer_reserves(RuntimeOrigin::root(), USDC.id, 0),
				Error::ZeroAmount
			);
			assert_noop!(
				Lending::transfer_reserves(RuntimeOrigin::signed(ALICE), USDC.id, 1),
				DispatchError::BadOrigin
			);
			assert_ok!(Lending::transfer_reserves(RuntimeOrigin::root(), USDC.id, reserves));
			assert_eq!(balance(USDC, TREASURY), reserves);
			assert_eq!(market(USDC).reserves, 0);
			assert_eq!(
				last_event(),
				Event::ReservesTransferred { asset: USDC.id, amount: reserves, to: TREASURY }
					.into()
			);
		});
	}

	#[test]
	fn reserves_lent_out_wait_for_cash() {
		test(|| {
			big_loan();
			advance(365 * 86_400);
			assert_ok!(Lending::repay(RuntimeOrigin::signed(ALICE), USDC.id, AmountOrAll::All));
			supply(ALICE, DOT, 10_000);
			let cash = market(USDC).cash;
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, cash - 1));
			assert_noop!(
				Lending::transfer_reserves(RuntimeOrigin::root(), USDC.id, 2),
				Error::NotEnoughCash
			);
		});
	}
}

mod interest {
	use super::*;

	#[test]
	fn the_default_model_has_its_kink_at_80_percent() {
		let model = InterestRateModel::default();
		let rate = |percent| model.yearly_borrow_rate(FixedU128::from_rational(percent, 100));
		assert_eq!(rate(0), FixedU128::from_rational(2, 100));
		assert_eq!(rate(50), FixedU128::from_rational(145, 1_000));
		assert_eq!(rate(80), FixedU128::from_rational(22, 100));
		assert_eq!(rate(90), FixedU128::from_rational(72, 100));
		assert_eq!(rate(100), FixedU128::from_rational(122, 100));
		assert_eq!(rate(150), FixedU128::from_rational(122, 100));
	}

	#[test]
	fn one_year_at_half_utilization_matches_the_hand_computed_figures() {
		test(|| {
			supply(BOB, USDC, 2_000);
			supply(ALICE, DOT, 1_000);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(1_000)));
			assert_eq!(market(USDC).utilization().unwrap(), FixedU128::from_rational(1, 2));
			advance(SECONDS_PER_YEAR);
			let market = Lending::accrue_market(USDC.id).unwrap();
			// 2% + 20% × 50/80 = 14.5% a year, accrued once: index 1.145.
			let tolerance = FixedU128::from_rational(1, 1_000_000_000);
			assert_close(market.borrow_index, FixedU128::from_rational(1_145, 1_000), tolerance);
			// Debt 1145 USDC; reserves 10% of the 145 interest; suppliers own 1000 cash + 1145
			// borrows − 14.5 reserves = 2130.5, an exchange rate of 1.06525.
			let scaled = Lending::scaled_debt_of(&ALICE, USDC.id).unwrap();
			assert_eq!(market.debt_of(scaled).unwrap(), USDC.units(1_145));
			assert_eq!(market.reserves, 14_500_000);
			assert_eq!(market.total_supply().unwrap(), 2_130_500_000);
			assert_close(
				market.exchange_rate().unwrap(),
				FixedU128::from_rational(106_525, 100_000),
				tolerance,
			);
		});
	}

	#[test]
	fn accrual_every_block_compounds() {
		test(|| {
			supply(BOB, USDC, 2_000);
			supply(ALICE, DOT, 1_000);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(1_000)));
			let hours: u64 = 24;
			for _ in 0..hours {
				advance(3_600);
				Lending::accrue_market(USDC.id).unwrap();
			}
			let compounded = Lending::accrue_market(USDC.id).unwrap().borrow_index;
			// At least simple interest at the starting rate; utilization rises as interest
			// accrues, so a little more.
			let simple = FixedU128::one()
				+ FixedU128::from_rational(145, 1_000)
					* FixedU128::from_rational(
						u128::from(hours) * 3_600,
						u128::from(SECONDS_PER_YEAR),
					);
			assert!(compounded > simple);
			assert_close(compounded, simple, FixedU128::from_rational(1, 100_000));
		});
	}

	#[test]
	fn indexes_never_move_without_time() {
		test(|| {
			alice_borrows(500);
			let before = market(USDC);
			Lending::accrue_market(USDC.id).unwrap();
			assert_eq!(market(USDC), before);
			// Less than a second does nothing either.
			Timestamp::set_timestamp(Timestamp::get() + 999);
			Lending::accrue_market(USDC.id).unwrap();
			assert_eq!(market(USDC).borrow_index, before.borrow_index);
		});
	}

	#[test]
	fn the_runtime_api_reports_rates_and_apys() {
		test(|| {
			supply(BOB, USDC, 2_000);
			supply(ALICE, DOT, 1_000);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(1_000)));
			let info =
				Lending::market_infos().into_iter().find(|info| info.asset == USDC.id).unwrap();
			assert_eq!(info.utilization, FixedU128::from_rational(1, 2));
			assert_eq!(info.total_borrows, USDC.units(1_000));
			assert_eq!(info.total_supply, USDC.units(2_000));
			assert_eq!(info.cash, USDC.units(1_000));
			// e^0.145 − 1 = 0.1560396; supply: 14.5% × 50% × 90% = 6.525% → e^0.06525 − 1.
			let tolerance = FixedU128::from_rational(1, 1_000_000);
			assert_close(
				info.borrow_apy,
				FixedU128::from_rational(1_560_396, 10_000_000),
				tolerance,
			);
			assert_close(info.supply_apy, FixedU128::from_rational(674_258, 10_000_000), tolerance);
		});
	}
}

mod health {
	use super::*;

	#[test]
	fn the_runtime_api_reports_positions_and_health() {
		test(|| {
			alice_borrows(500);
			let position = Lending::account_position(&ALICE);
			assert_eq!(
				position.markets,
				vec![
					MarketPosition {
						asset: DOT.id,
						supplied: DOT.units(100),
						shares: DOT.units(100),
						collateral: true,
						borrowed: 0
					},
					MarketPosition {
						asset: USDC.id,
						supplied: 0,
						shares: 0,
						collateral: false,
						borrowed: USDC.units(500)
					},
				]
			);
			assert_eq!(position.health_factor, Some(FixedU128::from_rational(12, 10)));
			make_stale(DOT);
			let position = Lending::account_position(&ALICE);
			assert_eq!(position.liquidity, Err(ValuationError::PriceStale(DOT.id)));
			assert_eq!(position.health_factor, None);
		});
	}

	#[test]
	fn interest_alone_can_make_an_account_liquidatable() {
		test(|| {
			supply(BOB, USDC, 600);
			supply(ALICE, DOT, 100);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(520)));
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			advance(365 * 86_400);
			assert!(Lending::is_liquidatable(&ALICE).unwrap());
		});
	}
}

mod liquidation {
	use super::*;

	fn liquidate(max_repay: Balance) -> Result<lever_primitives::LendingSeizure, DispatchError> {
		<Lending as LendingLiquidation<u64>>::liquidate(
			&CHARLIE,
			&ALICE,
			USDC.id,
			DOT.id,
			max_repay,
			SeizedAs::Tokens,
		)
	}

	#[test]
	fn a_price_drop_lets_a_liquidator_repay_the_close_factor_for_collateral_plus_bonus() {
		test(|| {
			alice_borrows(500);
			assert_noop!(liquidate(USDC.units(1_000)), Error::NotLiquidatable);
			// DOT at $6: liquidation limit $480 < $500 of debt.
			set_price(DOT, price(600));
			assert!(Lending::is_liquidatable(&ALICE).unwrap());
			let charlie_usdc = balance(USDC, CHARLIE);
			let charlie_dot = balance(DOT, CHARLIE);
			let seizure = liquidate(USDC.units(1_000)).unwrap();
			// Half the debt ($250) is repaid for $270 of DOT: 45 DOT.
			assert_eq!(seizure.repaid, USDC.units(250));
			assert_eq!(seizure.seized, DOT.units(45));
			assert_eq!(balance(USDC, CHARLIE), charlie_usdc - USDC.units(250));
			assert_eq!(balance(DOT, CHARLIE), charlie_dot + DOT.units(45));
			let position = Lending::account_position(&ALICE);
			assert_eq!(position.markets[0].supplied, DOT.units(55));
			assert_eq!(position.markets[1].borrowed, USDC.units(250));
			// 55 × $6 × 80% / $250 = 1.056.
			assert_eq!(position.health_factor, Some(FixedU128::from_rational(1_056, 1_000)));
			assert_eq!(
				last_event(),
				Event::Liquidated {
					liquidator: CHARLIE,
					borrower: ALICE,
					debt_asset: USDC.id,
					repaid: USDC.units(250),
					collateral_asset: DOT.id,
					seized: DOT.units(45),
					seized_as: SeizedAs::Tokens,
				}
				.into()
			);
			assert_noop!(liquidate(USDC.units(1_000)), Error::NotLiquidatable);
		});
	}

	/// The engine's AMM route, seen from the pools: the liquidator receives the seized DOT
	/// before it repays, spends some of it (here on nothing: it holds the USDC already), and
	/// what it did not spend becomes the DOT market's reserves.
	#[test]
	fn a_liquidator_paying_by_a_sale_returns_what_it_did_not_spend_to_reserves() {
		test(|| {
			alice_borrows(500);
			set_price(DOT, price(600));
			let sale = |spent: fn(Balance) -> Balance| {
				<Lending as LendingLiquidation<u64>>::liquidate_with_sale(
					&CHARLIE,
					&ALICE,
					USDC.id,
					DOT.id,
					USDC.units(1_000),
					move |seizure| {
						// Paid before the repayment is taken.
						assert!(Assets::balance(DOT.id, CHARLIE) >= seizure.seized);
						Ok(spent(seizure.seized))
					},
				)
			};
			assert_noop!(sale(|seized| seized + 1), Error::SaleTooCostly);
			let charlie_dot = balance(DOT, CHARLIE);
			let reserves = Markets::<Test>::get(DOT.id).unwrap().reserves;
			let cash = Markets::<Test>::get(DOT.id).unwrap().cash;
			let seizure = sale(|seized| seized - DOT.units(5)).unwrap();
			// Half the debt ($250) for 45 DOT, of which 40 were "spent".
			assert_eq!((seizure.repaid, seizure.seized), (USDC.units(250), DOT.units(45)));
			assert_eq!(balance(DOT, CHARLIE), charlie_dot + DOT.units(40));
			let market = Markets::<Test>::get(DOT.id).unwrap();
			assert_eq!(market.reserves, reserves + DOT.units(5));
			assert_eq!(market.cash, cash - DOT.units(40));
			assert!(System::events().iter().any(|record| record.event
				== Event::BonusToReserves { asset: DOT.id, amount: DOT.units(5) }.into()));
			assert_eq!(Lending::account_position(&ALICE).markets[0].supplied, DOT.units(55));
		});
	}

	/// Case 4 of the review: Alice's collateral includes 0.001 ETH whose price is stale. Even at
	/// twice its last price ($7 × 82% = $5.74) it cannot save her 100 DOT at $6 ($480 against
	/// $500), so she is liquidated on the fresh pair; the stale one is never touched.
	#[test]
	fn a_stale_collateral_never_blocks_a_liquidation_fresh_prices_prove() {
		test(|| {
			alice_borrows(500);
			supply_units(ALICE, ETH, ETH.units(1) / 1_000);
			set_price(DOT, price(600));
			make_stale(ETH);
			assert!(Lending::is_liquidatable(&ALICE).unwrap());
			assert_eq!(
				<Lending as LendingLiquidation<u64>>::liquidation_pairs(&ALICE),
				Ok(vec![(USDC.id, DOT.id)])
			);
			let stale_pair = <Lending as LendingLiquidation<u64>>::liquidate(
				&CHARLIE,
				&ALICE,
				USDC.id,
				ETH.id,
				USDC.units(1_000),
				SeizedAs::Tokens,
			);
			assert_eq!(stale_pair, Err(Error::PriceStale.into()));
			let seizure = liquidate(USDC.units(1_000)).unwrap();
			assert_eq!((seizure.repaid, seizure.seized), (USDC.units(250), DOT.units(45)));
			// Nor may anyone write her off while a price is stale.
			assert_noop!(
				<Lending as LendingLiquidation<u64>>::write_off(&ALICE),
				Error::PriceStale
			);
		});
	}

	/// A stale price never makes an account liquidatable: a stale collateral counts at twice its
	/// last price, a stale debt at nothing.
	#[test]
	fn a_stale_price_never_makes_an_account_liquidatable() {
		test(|| {
			alice_borrows(500);
			// 0.03 ETH ($105 × 82% = $86.10) keeps her safe with DOT at $6: $566.10 > $500.
			supply_units(ALICE, ETH, ETH.units(3) / 100);
			set_price(DOT, price(600));
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			make_stale(ETH);
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			assert_noop!(liquidate(USDC.units(1_000)), Error::NotLiquidatable);
			// Her debt's price stale: it counts as nothing, however low DOT goes.
			set_price(ETH, price(350_000));
			set_price(DOT, price(100));
			make_stale(USDC);
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			// The runtime API and anything that adds risk still refuse the stale price.
			assert_eq!(
				Lending::account_position(&ALICE).liquidity,
				Err(ValuationError::PriceStale(USDC.id))
			);
		});
	}

	#[test]
	fn when_collateral_runs_out_the_repayment_shrinks_to_match() {
		test(|| {
			alice_borrows(500);
			assert_ok!(Lending::set_market_params(
				RuntimeOrigin::root(),
				USDC.id,
				MarketParams { close_factor: Permill::one(), ..params(80, 85) }
			));
			// DOT at $5: 100 DOT are worth $500, which covers $462.96 of debt with the bonus.
			set_price(DOT, price(500));
			let seizure = liquidate(USDC.units(1_000)).unwrap();
			assert_eq!(seizure.seized, DOT.units(100));
			assert_eq!(seizure.repaid, 462_962_962);
			assert_eq!(Lending::supply_of(&ALICE, DOT.id), None);
		});
	}

	#[test]
	fn liquidation_needs_fresh_prices_an_enabled_collateral_and_unfrozen_markets() {
		test(|| {
			alice_borrows(500);
			set_price(DOT, price(600));
			// A stale debt counts as nothing in the owner's favour: nothing proves her unsafe.
			make_stale(USDC);
			assert_noop!(liquidate(USDC.units(100)), Error::NotLiquidatable);
			set_price(USDC, price(100));
			assert_noop!(liquidate(0), Error::ZeroAmount);
			assert_noop!(
				<Lending as LendingLiquidation<u64>>::liquidate(
					&CHARLIE,
					&ALICE,
					USDC.id,
					ETH.id,
					1_000,
					SeizedAs::Tokens
				),
				Error::CollateralNotEnabled
			);
			assert_noop!(
				<Lending as LendingLiquidation<u64>>::liquidate(
					&CHARLIE,
					&ALICE,
					ETH.id,
					DOT.id,
					1_000,
					SeizedAs::Tokens
				),
				Error::NoDebt
			);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Frozen
			));
			assert_noop!(liquidate(USDC.units(100)), Error::MarketFrozen);
		});
	}
}

/// The cases of the review of lending liquidation, in the dev genesis' numbers where the mock
/// allows: BTC at $95,000 and DOT's liquidation threshold at 75%, as on the dev chain.
mod liquidation_always_completes {
	use super::*;

	/// BTC at its dev-genesis price and DOT at its dev-genesis threshold (lowered, so after the
	/// ramp), before anyone borrows.
	fn dev_genesis_risk() {
		set_price(BTC, price(9_500_000));
		assert_ok!(Lending::set_market_params(RuntimeOrigin::root(), DOT.id, params(70, 75)));
		advance(RAMP_PERIOD / 1_000 + 1);
		set_price(BTC, price(9_500_000));
	}

	fn signed_liquidate(
		who: u64,
		debt: TestAsset,
		collateral: TestAsset,
		max_repay: Balance,
		seized_as: SeizedAs,
	) -> DispatchResult {
		Lending::liquidate(
			RuntimeOrigin::signed(who),
			ALICE,
			debt.id,
			collateral.id,
			max_repay,
			seized_as,
		)
	}

	/// Case 1: no backstop behind BTC; anyone liquidates Alice with the signed call.
	#[test]
	fn anyone_liquidates_an_unhealthy_account_with_the_signed_call() {
		test(|| {
			dev_genesis_risk();
			supply(BOB, BTC, 10);
			supply(ALICE, DOT, 10_000);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), BTC.id, BTC.units(1) / 2));
			assert_noop!(
				signed_liquidate(CHARLIE, BTC, DOT, BTC.units(1), SeizedAs::Tokens),
				Error::NotLiquidatable
			);
			// DOT at $6: 10,000 × $6 × 75% = $45,000 against $47,500 of debt (health 0.947).
			set_price(DOT, price(600));
			let health = Lending::account_position(&ALICE).health_factor.unwrap();
			assert_close(
				health,
				FixedU128::from_rational(45_000, 47_500),
				FixedU128::from_rational(1, 1_000_000),
			);
			let charlie_btc = balance(BTC, CHARLIE);
			let charlie_dot = balance(DOT, CHARLIE);
			assert_ok!(signed_liquidate(CHARLIE, BTC, DOT, BTC.units(1), SeizedAs::Tokens));
			// The close factor: 0.25 BTC repaid for 0.25 × 95,000 × 1.08 / 6.00 = 4,275 DOT.
			assert_eq!(balance(BTC, CHARLIE), charlie_btc - BTC.units(1) / 4);
			assert_eq!(balance(DOT, CHARLIE), charlie_dot + DOT.units(4_275));
			assert_eq!(
				last_event(),
				Event::Liquidated {
					liquidator: CHARLIE,
					borrower: ALICE,
					debt_asset: BTC.id,
					repaid: BTC.units(1) / 4,
					collateral_asset: DOT.id,
					seized: DOT.units(4_275),
					seized_as: SeizedAs::Tokens,
				}
				.into()
			);
			let position = Lending::account_position(&ALICE);
			assert_eq!(position.markets[0].supplied, DOT.units(5_725));
			assert_eq!(position.markets[1].borrowed, BTC.units(1) / 4);
		});
	}

	#[test]
	fn bad_signed_liquidations_are_refused_and_change_nothing() {
		test(|| {
			alice_borrows(500);
			set_price(DOT, price(600));
			assert_noop!(
				Lending::liquidate(
					RuntimeOrigin::none(),
					ALICE,
					USDC.id,
					DOT.id,
					1,
					SeizedAs::Tokens
				),
				DispatchError::BadOrigin
			);
			assert_noop!(
				signed_liquidate(CHARLIE, USDC, DOT, 0, SeizedAs::Tokens),
				Error::ZeroAmount
			);
			assert_noop!(
				signed_liquidate(ALICE, USDC, DOT, USDC.units(100), SeizedAs::Tokens),
				Error::SelfLiquidation
			);
			assert_noop!(
				signed_liquidate(CHARLIE, NO_MARKET, DOT, 1, SeizedAs::Tokens),
				Error::UnknownMarket
			);
			// A stale collateral counts at twice its last price: she is not provably unsafe.
			make_stale(DOT);
			assert_noop!(
				signed_liquidate(CHARLIE, USDC, DOT, USDC.units(100), SeizedAs::Tokens),
				Error::NotLiquidatable
			);
		});
	}

	/// How the engine pays a backstop depositor's gain of supply shares: the shares' value as
	/// tokens while the market has the cash, the shares themselves while it has none; never more
	/// shares than the payer has, never in a frozen market, and a failure changes nothing.
	#[test]
	fn supply_shares_are_paid_as_tokens_with_cash_and_as_shares_without() {
		test(|| {
			supply(BOB, DOT, 100);
			let pay = |shares| {
				<Lending as LendingLiquidation<u64>>::pay_supply_shares(
					&BOB, &CHARLIE, DOT.id, shares,
				)
			};
			let bob_shares = Lending::supply_of(&BOB, DOT.id).unwrap().shares;
			assert_noop!(pay(0), Error::ZeroAmount);
			assert_noop!(pay(bob_shares + 1), Error::InsufficientSupply);
			// With cash: 10 DOT of shares (exchange rate one) arrive as 10 DOT.
			let charlie_dot = balance(DOT, CHARLIE);
			assert_eq!(pay(DOT.units(10)), Ok((DOT.units(10), SeizedAs::Tokens)));
			assert_eq!(balance(DOT, CHARLIE), charlie_dot + DOT.units(10));
			assert_eq!(Lending::supply_of(&CHARLIE, DOT.id), None);
			// Without cash: the shares move, not collateral for Charlie.
			supply(ALICE, USDC, 10_000);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), DOT.id, market(DOT).cash));
			assert_eq!(pay(DOT.units(10)), Ok((DOT.units(10), SeizedAs::Shares)));
			assert_eq!(
				Lending::supply_of(&CHARLIE, DOT.id),
				Some(SupplyPosition { shares: DOT.units(10), collateral: false })
			);
			assert_eq!(
				Lending::supply_of(&BOB, DOT.id).unwrap().shares,
				bob_shares - DOT.units(20)
			);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				DOT.id,
				MarketStatus::Frozen
			));
			assert_noop!(pay(DOT.units(1)), Error::MarketFrozen);
		});
	}

	/// Case 2: the DOT market has lent out all its cash. Tokens cannot be paid; supply shares
	/// can (Aave's receive-aToken).
	#[test]
	fn a_market_without_cash_pays_the_liquidator_in_supply_shares() {
		test(|| {
			dev_genesis_risk();
			supply(BOB, USDC, 100_000);
			supply(ALICE, DOT, 10_000);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(50_000)));
			// Bob borrows every unit of DOT cash.
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), DOT.id, market(DOT).cash));
			assert_eq!(market(DOT).cash, 0);
			// DOT at $6.50: 10,000 × $6.50 × 75% = $48,750 against $50,000 (health 0.975).
			set_price(DOT, price(650));
			assert!(Lending::is_liquidatable(&ALICE).unwrap());
			assert_noop!(
				signed_liquidate(CHARLIE, USDC, DOT, USDC.units(100_000), SeizedAs::Tokens),
				Error::NotEnoughCash
			);
			let alice_shares = Lending::supply_of(&ALICE, DOT.id).unwrap().shares;
			let total_shares = market(DOT).total_shares;
			assert_ok!(signed_liquidate(CHARLIE, USDC, DOT, USDC.units(100_000), SeizedAs::Shares));
			// 25,000 USDC repaid for 25,000 × 1.08 / 6.50 = 4,153.8461538461 DOT, in shares at
			// an exchange rate of one (no time has passed).
			let seized = 41_538_461_538_461;
			let received = Lending::supply_of(&CHARLIE, DOT.id).unwrap();
			assert_eq!(received, SupplyPosition { shares: seized, collateral: false });
			assert_eq!(Lending::supply_of(&ALICE, DOT.id).unwrap().shares, alice_shares - seized);
			assert_eq!(market(DOT).total_shares, total_shares);
			assert_eq!(market(DOT).cash, 0);
			assert_eq!(Lending::account_position(&ALICE).markets[1].borrowed, USDC.units(25_000));
			assert_eq!(
				last_event(),
				Event::Liquidated {
					liquidator: CHARLIE,
					borrower: ALICE,
					debt_asset: USDC.id,
					repaid: USDC.units(25_000),
					collateral_asset: DOT.id,
					seized,
					seized_as: SeizedAs::Shares,
				}
				.into()
			);
		});
	}

	/// The engine's book for (USDC, DOT) in these tests.
	const BOOK: u64 = 99;

	/// Case 2 with no one to repay: Alice's 10,000 DOT (all lent out) back 50,000 USDC of
	/// debt, DOT falls to $6.50 (health 0.975), and the book takes over.
	fn book_takes_over_alice() -> lever_primitives::LendingSeizure {
		dev_genesis_risk();
		supply(BOB, USDC, 100_000);
		supply(ALICE, DOT, 10_000);
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(50_000)));
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), DOT.id, market(DOT).cash));
		set_price(DOT, price(650));
		<Lending as LendingLiquidation<u64>>::take_over(&BOOK, &ALICE, USDC.id, DOT.id).unwrap()
	}

	/// A take-over liquidates the borrower by the same rule as a liquidator would, moving debt
	/// and supply shares instead of tokens: nothing needs cash, and the markets' totals stay.
	#[test]
	fn a_book_takes_over_debt_and_collateral_without_cash() {
		test(|| {
			let seized = 41_538_461_538_461;
			let alice_shares = 10_000 * DOT.units(1);
			let totals =
				|asset: TestAsset| (market(asset).total_shares, market(asset).scaled_borrows);
			// Charlie seeds the DOT market, so Alice's supply is exactly 10,000 DOT of shares.
			supply(CHARLIE, DOT, 1);
			let (dot, usdc) = (totals(DOT), totals(USDC));
			let seizure = book_takes_over_alice();
			// Close factor 50%: 25,000 USDC for 25,000 × 1.08 / 6.50 = 4,153.8461538461 DOT.
			assert_eq!(seizure.repaid, USDC.units(25_000));
			assert_eq!(seizure.seized, seized);
			assert_eq!(seizure.seized_as, SeizedAs::Shares);
			assert_eq!(
				last_event(),
				Event::DebtTakenOver {
					book: BOOK,
					borrower: ALICE,
					debt_asset: USDC.id,
					debt: USDC.units(25_000),
					collateral_asset: DOT.id,
					seized,
				}
				.into()
			);
			assert_eq!(
				Lending::supply_of(&BOOK, DOT.id),
				Some(SupplyPosition { shares: seized, collateral: true })
			);
			assert_eq!(Lending::supply_of(&ALICE, DOT.id).unwrap().shares, alice_shares - seized);
			assert_eq!(Lending::scaled_debt_of(&BOOK, USDC.id), Some(USDC.units(25_000)));
			assert_eq!(Lending::scaled_debt_of(&ALICE, USDC.id), Some(USDC.units(25_000)));
			assert_eq!(market(DOT).cash, 0);
			assert_eq!(market(DOT).total_shares, dot.0 + alice_shares);
			assert_eq!(market(USDC).scaled_borrows, usdc.1 + USDC.units(50_000));
			assert!(Books::<Test>::contains_key(BOOK));
			// Alice is healthy again (5,846.15 × $6.50 × 75% / $25,000 = 1.14); the book may be
			// liquidated whenever it owes, even once healthy (DOT at $10: health 1.25).
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			set_price(DOT, price(1_000));
			assert!(Lending::is_liquidatable(&BOOK).unwrap());
			assert_noop!(
				<Lending as LendingLiquidation<u64>>::take_over(&BOOK, &ALICE, USDC.id, DOT.id),
				Error::NotLiquidatable
			);
			assert_noop!(
				<Lending as LendingLiquidation<u64>>::take_over(&BOOK, &BOOK, USDC.id, DOT.id),
				Error::SelfLiquidation
			);
		});
	}

	/// A book is liquidated whole, here by anyone with the signed call while the DOT market has
	/// no cash; the unit of debt the rounding leaves is written off and the book is closed.
	#[test]
	fn anyone_liquidates_a_book_whole_and_it_closes() {
		test(|| {
			let seizure = book_takes_over_alice();
			assert_ok!(Lending::liquidate(
				RuntimeOrigin::signed(CHARLIE),
				BOOK,
				USDC.id,
				DOT.id,
				USDC.units(100_000),
				SeizedAs::Shares
			));
			// All 4,153.85 DOT of shares go for 25,000 USDC less the unit the rounding keeps.
			let charlie = Lending::supply_of(&CHARLIE, DOT.id).unwrap();
			assert_eq!(charlie.shares, seizure.seized);
			assert_eq!(Lending::supply_of(&BOOK, DOT.id), None);
			let left = Lending::account_position(&BOOK).markets[0].borrowed;
			assert!(left <= 1, "{left}");
			if left == 1 {
				assert_ok!(<Lending as LendingLiquidation<u64>>::write_off(&BOOK));
			}
			assert!(!Books::<Test>::contains_key(BOOK));
			assert!(Lending::positions_of(&BOOK).is_empty());
			assert_eq!(last_event(), Event::BookClosed { book: BOOK }.into());
		});
	}

	/// A book whose liquidation leaves collateral once its debt is repaid (a liquidator paid in
	/// tokens here, for less than all of it) is closed, and the rest goes to the reserves.
	#[test]
	fn a_repaid_book_gives_what_it_still_holds_to_reserves() {
		test(|| {
			book_takes_over_alice();
			// Bob repays the DOT he borrowed, so the market has cash; DOT recovers to $8.
			let owed = Lending::account_position(&BOB).markets[0].borrowed;
			assert_ok!(Lending::repay(RuntimeOrigin::signed(BOB), DOT.id, AmountOrAll::All));
			assert!(owed > 0);
			set_price(DOT, price(800));
			let reserves = market(DOT).reserves;
			assert_ok!(Lending::liquidate(
				RuntimeOrigin::signed(CHARLIE),
				BOOK,
				USDC.id,
				DOT.id,
				USDC.units(100_000),
				SeizedAs::Tokens
			));
			// 25,000 USDC for 25,000 × 1.08 / 8 = 3,375 DOT; the other 778.85 DOT are the
			// protocol's.
			assert_eq!(Lending::supply_of(&BOOK, DOT.id), None);
			assert!(!Books::<Test>::contains_key(BOOK));
			let kept = market(DOT).reserves - reserves;
			assert_eq!(kept, 41_538_461_538_461 - DOT.units(3_375));
			assert!(System::events().iter().any(|record| record.event
				== Event::BonusToReserves { asset: DOT.id, amount: kept }.into()));
		});
	}

	/// Case 3: after the ETH is gone, about 0.11 BTC of debt is left against 0.0001 DOT (worth
	/// less than one satoshi): that collateral counts as nothing and the debt is written off.
	#[test]
	fn debt_left_against_dust_collateral_is_written_off() {
		test(|| {
			dev_genesis_risk();
			supply(BOB, BTC, 10);
			supply(ALICE, ETH, 20);
			supply_units(ALICE, DOT, DOT.min_balance);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), BTC.id, BTC.units(1) / 2));
			set_price(ETH, price(200_000));
			let liquidate = || {
				<Lending as LendingLiquidation<u64>>::liquidate(
					&CHARLIE,
					&ALICE,
					BTC.id,
					ETH.id,
					BTC.units(1),
					SeizedAs::Tokens,
				)
				.unwrap()
			};
			assert_eq!(
				Lending::liquidation_pairs(&ALICE),
				Ok(vec![(BTC.id, ETH.id)]),
				"the DOT dust covers no satoshi"
			);
			// Half the debt each time at $2,000 an ETH with 8% bonus.
			let first = liquidate();
			assert_eq!((first.repaid, first.seized), (25_000_000, 12_825 * ETH.units(1) / 1_000));
			let second = liquidate();
			assert_eq!(
				(second.repaid, second.seized),
				(12_500_000, 64_125 * ETH.units(1) / 10_000)
			);
			// 0.7625 ETH ($1,525) is left: all of it goes, for $1,525 / 1.08 of BTC.
			let third = liquidate();
			assert_eq!((third.repaid, third.seized), (1_486_354, 7_625 * ETH.units(1) / 10_000));
			let left = 12_500_000 - 1_486_354;
			assert!(Lending::is_liquidatable(&ALICE).unwrap());
			assert_eq!(Lending::liquidation_pairs(&ALICE), Ok(vec![]));

			let dot_reserves = market(DOT).reserves;
			assert_ok!(Lending::write_off(&ALICE));
			assert_eq!(BadDebt::<Test>::get(BTC.id), left);
			assert_eq!(market(DOT).reserves, dot_reserves + DOT.min_balance);
			assert!(Lending::positions_of(&ALICE).is_empty());
			assert!(System::events().iter().any(|record| record.event
				== Event::DebtWrittenOff {
					who: ALICE,
					asset: BTC.id,
					debt: left,
					from_reserves: 0
				}
				.into()));
			assert!(System::events().iter().any(|record| record.event
				== Event::CollateralWrittenOff {
					who: ALICE,
					asset: DOT.id,
					amount: DOT.min_balance
				}
				.into()));
		});
	}

	#[test]
	fn collateral_a_liquidation_could_take_is_never_written_off() {
		test(|| {
			alice_borrows(500);
			assert_noop!(Lending::write_off(&ALICE), Error::NotLiquidatable);
			set_price(DOT, price(600));
			assert_noop!(Lending::write_off(&ALICE), Error::HasCollateral);
			assert_noop!(Lending::write_off(&BOB), Error::NoDebt);
		});
	}

	/// Aave v3.3's minimum-leftover rule: when the close factor would leave collateral that
	/// covers no unit of the debt, all of it goes.
	#[test]
	fn a_liquidation_never_leaves_collateral_too_small_to_liquidate() {
		test(|| {
			alice_borrows(500);
			assert_ok!(Lending::set_market_params(
				RuntimeOrigin::root(),
				USDC.id,
				MarketParams { close_factor: Permill::one(), ..params(80, 85) }
			));
			// At $5.4000000001, the whole debt with its bonus ($540) takes all but 186 planck of
			// the 100 DOT (worth $0.0000001, under one micro-USDC): those go too.
			set_price(DOT, FixedU128::from_inner(5_400_000_000_100_000_000));
			let seizure = liquidate_all();
			assert_eq!(seizure.seized, DOT.units(100));
			assert_eq!(Lending::supply_of(&ALICE, DOT.id), None);
			assert_eq!(seizure.repaid, USDC.units(500));
		});
	}

	fn liquidate_all() -> lever_primitives::LendingSeizure {
		<Lending as LendingLiquidation<u64>>::liquidate(
			&CHARLIE,
			&ALICE,
			USDC.id,
			DOT.id,
			u128::MAX,
			SeizedAs::Tokens,
		)
		.unwrap()
	}
}

mod no_value_extraction {
	use super::*;

	#[test]
	fn tiny_supply_and_withdraw_cycles_never_pay_out_more_than_went_in() {
		test(|| {
			big_loan();
			advance(86_400);
			let start = balance(USDC, CHARLIE);
			for round in 0..200u128 {
				let amount = USDC.min_balance + round % 7;
				assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, amount));
				assert_ok!(Lending::withdraw(
					RuntimeOrigin::signed(CHARLIE),
					USDC.id,
					AmountOrAll::All
				));
				assert!(balance(USDC, CHARLIE) <= start);
			}
			for round in 0..200u128 {
				let amount = USDC.min_balance + round % 7;
				assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, 3 * amount));
				let _ = Lending::withdraw(
					RuntimeOrigin::signed(CHARLIE),
					USDC.id,
					AmountOrAll::Amount(amount),
				);
				assert_ok!(Lending::withdraw(
					RuntimeOrigin::signed(CHARLIE),
					USDC.id,
					AmountOrAll::All
				));
				assert!(balance(USDC, CHARLIE) <= start);
			}
		});
	}

	#[test]
	fn tiny_borrow_and_repay_cycles_never_leave_the_borrower_ahead() {
		test(|| {
			supply(BOB, USDC, 10_000);
			supply(CHARLIE, DOT, 100);
			let start = balance(USDC, CHARLIE);
			for round in 0..200u128 {
				let amount = USDC.min_balance + round % 11;
				assert_ok!(Lending::borrow(RuntimeOrigin::signed(CHARLIE), USDC.id, amount));
				if round % 3 == 0 {
					advance(1);
				}
				let _ = Lending::repay(
					RuntimeOrigin::signed(CHARLIE),
					USDC.id,
					AmountOrAll::Amount(amount / 2),
				);
				assert_ok!(Lending::repay(
					RuntimeOrigin::signed(CHARLIE),
					USDC.id,
					AmountOrAll::All
				));
				assert!(balance(USDC, CHARLIE) <= start);
			}
		});
	}
}

mod flash_loan {
	use super::*;
	use frame_support::{storage::with_storage_layer, traits::ConstU32, BoundedVec};
	use lever_primitives::LendingPositions;

	/// Calls for a flash loan's inner list.
	fn calls(list: Vec<RuntimeCall>) -> BoundedVec<RuntimeCall, ConstU32<4>> {
		BoundedVec::try_from(list).expect("at most four calls")
	}

	fn remark() -> RuntimeCall {
		RuntimeCall::System(frame_system::Call::remark { remark: b"inside".to_vec() })
	}

	fn transfer(to: u64, asset: TestAsset, amount: Balance) -> RuntimeCall {
		RuntimeCall::Assets(pallet_assets::Call::transfer { id: asset.id, target: to, amount })
	}

	#[test]
	fn a_repaid_loan_pays_its_fee_to_reserves_and_leaves_suppliers_whole() {
		test(|| {
			supply(BOB, USDC, 10_000);
			let before = market(USDC);
			let rate = before.exchange_rate().unwrap();
			let alice_before = balance(USDC, ALICE);
			let amount = USDC.units(5_000);
			// 0.09% of 5,000 USDC.
			let fee = USDC.units(45) / 10;
			assert_eq!(Lending::flash_loan_fee(amount), fee);

			assert_ok!(Lending::flash_loan(
				RuntimeOrigin::signed(ALICE),
				USDC.id,
				amount,
				calls(vec![remark(), transfer(CHARLIE, USDC, USDC.units(1))]),
			));

			let after = market(USDC);
			assert_eq!(after.cash, before.cash + fee);
			assert_eq!(after.reserves, before.reserves + fee);
			assert_eq!(after.exchange_rate().unwrap(), rate);
			assert_eq!(balance(USDC, ALICE), alice_before - fee - USDC.units(1));
			assert_eq!(
				last_event(),
				RuntimeEvent::Lending(crate::Event::FlashLoaned {
					who: ALICE,
					asset: USDC.id,
					amount,
					fee
				})
			);
			assert!(!FlashLoanOpen::<Test>::get());
		});
	}

	#[test]
	fn a_loan_not_paid_back_changes_nothing() {
		test(|| {
			supply(BOB, USDC, 10_000);
			let amount = USDC.units(5_000);
			// Alice sends away everything she holds once the loan is in, then cannot repay.
			let everything = balance(USDC, ALICE) + amount;
			assert_noop!(
				Lending::flash_loan(
					RuntimeOrigin::signed(ALICE),
					USDC.id,
					amount,
					calls(vec![transfer(CHARLIE, USDC, everything)]),
				),
				Error::FlashLoanNotRepaid
			);
			// Short by the fee alone is not repaid either.
			assert_noop!(
				Lending::flash_loan(
					RuntimeOrigin::signed(ALICE),
					USDC.id,
					amount,
					calls(vec![transfer(CHARLIE, USDC, balance(USDC, ALICE) - 1)]),
				),
				Error::FlashLoanNotRepaid
			);
		});
	}

	#[test]
	fn a_failing_inner_call_undoes_the_loan_with_its_error() {
		test(|| {
			supply(BOB, USDC, 10_000);
			assert_noop!(
				Lending::flash_loan(
					RuntimeOrigin::signed(ALICE),
					USDC.id,
					USDC.units(100),
					calls(vec![remark(), transfer(CHARLIE, ETH, u128::MAX)]),
				),
				pallet_assets::Error::<Test>::BalanceLow
			);
		});
	}

	#[test]
	fn flash_loans_do_not_nest_and_cannot_reach_the_pools() {
		test(|| {
			supply(BOB, USDC, 10_000);
			supply(BOB, DOT, 1_000);
			let nested = RuntimeCall::Lending(crate::Call::flash_loan {
				asset: DOT.id,
				amount: DOT.units(1),
				calls: calls(vec![]),
			});
			let supply_call =
				RuntimeCall::Lending(crate::Call::supply { asset: USDC.id, amount: USDC.units(1) });
			for call in [nested, supply_call] {
				assert_noop!(
					Lending::flash_loan(
						RuntimeOrigin::signed(ALICE),
						USDC.id,
						USDC.units(100),
						calls(vec![call]),
					),
					Error::FlashLoanCallNotAllowed
				);
			}
			// Through the pallet's trait, a loan inside a loan is refused as well.
			assert_noop!(
				with_storage_layer(|| {
					<Lending as LendingPositions<u64>>::flash_loan(
						&ALICE,
						USDC.id,
						USDC.units(100),
						|_| {
							<Lending as LendingPositions<u64>>::flash_loan(
								&ALICE,
								DOT.id,
								DOT.units(1),
								|_| Ok(()),
							)
						},
					)
				}),
				Error::NestedFlashLoan
			);
		});
	}

	#[test]
	fn bad_loans_are_refused_with_a_clear_error() {
		test(|| {
			supply(BOB, USDC, 10_000);
			let loan = |asset: AssetId, amount: Balance| {
				Lending::flash_loan(RuntimeOrigin::signed(ALICE), asset, amount, calls(vec![]))
			};
			assert_noop!(loan(USDC.id, 0), Error::ZeroAmount);
			assert_noop!(loan(NO_MARKET.id, 1), Error::UnknownMarket);
			assert_noop!(loan(USDC.id, market(USDC).cash + 1), Error::NotEnoughCash);
			assert_noop!(loan(USDC.id, u128::MAX), Error::NotEnoughCash);
			assert_noop!(
				Lending::flash_loan(RuntimeOrigin::none(), USDC.id, 1, calls(vec![])),
				DispatchError::BadOrigin
			);
			assert_ok!(Lending::set_market_status(
				RuntimeOrigin::root(),
				USDC.id,
				MarketStatus::Paused
			));
			assert_noop!(loan(USDC.id, USDC.units(1)), Error::MarketNotActive);
		});
	}

	#[test]
	fn a_supply_made_with_the_loan_keeps_the_books_exact() {
		test(|| {
			supply(BOB, DOT, 1_000);
			let cash = market(DOT).cash;
			let amount = DOT.units(500);
			// Alice supplies the loaned DOT and repays the loan from her own tokens, as
			// one-click leverage does with swapped tokens.
			assert_ok!(with_storage_layer(|| {
				<Lending as LendingPositions<u64>>::flash_loan(&ALICE, DOT.id, amount, |_| {
					<Lending as LendingPositions<u64>>::supply(&ALICE, DOT.id, amount)
				})
			}));
			let fee = Lending::flash_loan_fee(amount);
			assert_eq!(market(DOT).cash, cash + amount + fee);
			// No interest has accrued: the exchange rate is one.
			assert_eq!(<Lending as LendingPositions<u64>>::supplied(&ALICE, DOT.id), Ok(amount));
		});
	}
}

/// While the oracle holds a jump, everything that adds risk values collateral at the lower and
/// debt at the higher of the confirmed and the held price; liquidation waits for confirmation.
mod held_jump {
	use super::*;

	fn borrow(who: u64, asset: TestAsset, amount: Balance) -> DispatchResult {
		Lending::borrow(RuntimeOrigin::signed(who), asset.id, amount)
	}

	/// Bob supplies 10,000 USDC; Alice supplies 1,000 DOT at $7.50 ($7,500, borrow limit 70%:
	/// $5,250), then DOT's jump to $4.50 is held.
	fn dot_drop_held() {
		supply(BOB, USDC, 10_000);
		supply(ALICE, DOT, 1_000);
		hold_price(DOT, price(450));
	}

	#[test]
	fn no_borrow_against_a_collateral_price_the_feeds_already_contradict() {
		test(|| {
			dot_drop_held();
			// 70% of $7,500 is refused: the collateral counts at $4.50 ($3,150 limit).
			assert_noop!(borrow(ALICE, USDC, USDC.units(5_250)), Error::InsufficientCollateral);
			assert_noop!(borrow(ALICE, USDC, USDC.units(3_151)), Error::InsufficientCollateral);
			assert_ok!(borrow(ALICE, USDC, USDC.units(3_150)));
			// Confirmed at $4.50, the limit is the same; confirmed back at $7.50 it is not.
			set_price(DOT, price(450));
			assert_noop!(borrow(ALICE, USDC, USDC.units(1)), Error::InsufficientCollateral);
			set_price(DOT, price(750));
			assert_ok!(borrow(ALICE, USDC, USDC.units(2_100)));
		});
	}

	#[test]
	fn no_collateral_withdrawal_or_disabling_against_a_held_drop() {
		test(|| {
			// Alice: 1,000 DOT and 1 ETH ($3,500 at 75%: $2,625) against 3,500 USDC.
			supply(BOB, USDC, 10_000);
			supply(ALICE, DOT, 1_000);
			supply(ALICE, ETH, 1);
			assert_ok!(borrow(ALICE, USDC, USDC.units(3_500)));
			hold_price(DOT, price(450));
			// Without ETH, DOT counts $3,150 at $4.50 ($5,250 at $7.50): refused.
			assert_noop!(
				Lending::disable_collateral(RuntimeOrigin::signed(ALICE), ETH.id),
				Error::InsufficientCollateral
			);
			// $5,775 of limit leaves $2,275 spare: 722.2 DOT at $4.50 (833.3 at $7.50).
			let withdraw = |tokens| {
				Lending::withdraw(
					RuntimeOrigin::signed(ALICE),
					DOT.id,
					AmountOrAll::Amount(DOT.units(tokens)),
				)
			};
			assert_noop!(withdraw(723), Error::InsufficientCollateral);
			assert_ok!(withdraw(722));
		});
	}

	#[test]
	fn a_held_jump_up_of_the_debt_counts_against_the_borrower() {
		test(|| {
			// Alice borrows DOT against 10,000 USDC (limit $8,000); DOT's jump to $10 is held.
			supply(BOB, DOT, 10_000);
			supply(ALICE, USDC, 10_000);
			hold_price(DOT, price(1_000));
			// 1,000 DOT is $7,500 confirmed but $10,000 held: refused; 800 DOT is $8,000.
			assert_noop!(borrow(ALICE, DOT, DOT.units(1_000)), Error::InsufficientCollateral);
			assert_noop!(borrow(ALICE, DOT, DOT.units(801)), Error::InsufficientCollateral);
			assert_ok!(borrow(ALICE, DOT, DOT.units(800)));
		});
	}

	#[test]
	fn liquidation_waits_for_a_held_drop_to_be_confirmed() {
		test(|| {
			// 5,000 USDC against 1,000 DOT: liquidation limit 80% of $7,500 = $6,000.
			supply(BOB, USDC, 10_000);
			supply(ALICE, DOT, 1_000);
			assert_ok!(borrow(ALICE, USDC, USDC.units(5_000)));
			hold_price(DOT, price(450));
			// At the held $4.50 the limit would be $3,600: not liquidatable until confirmed.
			assert!(!Lending::is_liquidatable(&ALICE).unwrap());
			assert_noop!(
				<Lending as LendingLiquidation<u64>>::liquidate(
					&CHARLIE,
					&ALICE,
					USDC.id,
					DOT.id,
					USDC.units(1_000),
					SeizedAs::Tokens
				),
				Error::NotLiquidatable
			);
			set_price(DOT, price(450));
			assert!(Lending::is_liquidatable(&ALICE).unwrap());
		});
	}
}

/// The index holds an account while it owes, whatever else it does: entering a new market,
/// borrowing more and repaying part leave it indexed. The accounts exposed to an asset
/// are the debtors with a position in its market, read from their positions, in the index's
/// order and from any cursor; an account that only supplies is never listed.
#[test]
fn the_debtor_index_changes_only_when_an_account_starts_or_stops_owing() {
	test(|| {
		alice_borrows(500);
		supply(CHARLIE, BTC, 1);
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(CHARLIE), DOT.id, DOT.units(10)));
		assert!(Borrowers::<Test>::contains_key(CHARLIE));
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(10)));
		assert_ok!(Lending::repay(
			RuntimeOrigin::signed(CHARLIE),
			DOT.id,
			AmountOrAll::Amount(DOT.units(5))
		));
		assert!(Borrowers::<Test>::contains_key(CHARLIE));

		let mut everyone = <Lending as LendingLiquidation<u64>>::debtors(None, 10);
		everyone.sort();
		assert_eq!(everyone, vec![ALICE, CHARLIE]);
		let exposed = |asset: AssetId, after: Option<&u64>, max, max_read| {
			<Lending as LendingLiquidation<u64>>::exposed(&[asset], after, max, max_read)
		};
		let btc = exposed(BTC.id, None, 10, 10);
		assert_eq!((btc.found, btc.read, btc.done), (vec![CHARLIE], 2, true));
		let dot = exposed(DOT.id, None, 10, 10);
		assert_eq!(dot.found.len(), 2, "Alice's collateral and Charlie's debt");
		let first = exposed(DOT.id, None, 1, 10);
		assert_eq!((first.read, first.done), (1, false), "it stops at the first found");
		let rest = exposed(DOT.id, first.cursor.as_ref(), 10, 10);
		assert_eq!([first.found, rest.found].concat(), dot.found, "a cursor resumes after it");
		// A stretch reads at most `max_read` debtors, exposed or not, and says where it stopped.
		let one = exposed(ETH.id, None, 10, 1);
		assert_eq!((one.found.len(), one.read, one.done), (0, 1, false));
		let none = exposed(ETH.id, one.cursor.as_ref(), 10, 0);
		assert_eq!((none.read, none.done, none.cursor), (0, false, one.cursor));
		let end = exposed(ETH.id, one.cursor.as_ref(), 10, 1);
		assert_eq!((end.found.len(), end.read, end.done), (0, 1, true));
		// Several assets at once: each debtor exposed to any of them, once.
		let either = <Lending as LendingLiquidation<u64>>::exposed(&[BTC.id, DOT.id], None, 10, 10);
		assert_eq!(either.found, dot.found, "Charlie is exposed to both, listed once");

		assert_ok!(Lending::repay(RuntimeOrigin::signed(CHARLIE), DOT.id, AmountOrAll::All));
		assert_ok!(Lending::repay(RuntimeOrigin::signed(CHARLIE), USDC.id, AmountOrAll::All));
		assert!(!Borrowers::<Test>::contains_key(CHARLIE), "no debt, not indexed");
		assert!(
			<Lending as LendingLiquidation<u64>>::exposed(&[BTC.id], None, 10, 10)
				.found
				.is_empty(),
			"nothing exposed"
		);
		assert_eq!(<Lending as LendingLiquidation<u64>>::debtors(None, 10), vec![ALICE]);
	});
}

mod migrations {
	use super::*;
	use crate::migrations::{
		v1::{self, LendingPositionsV1},
		v2::{self, LendingIndexV2},
	};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use frame_support::{
		migrations::SteppedMigration,
		weights::{Weight, WeightMeter},
	};

	/// Every account's positions and the accounts with debt.
	type Index = (Vec<(u64, Vec<(AssetId, Position)>)>, Vec<u64>);

	/// The index now, sorted.
	fn index() -> Index {
		let mut positions: Vec<_> =
			Positions::<Test>::iter().map(|(who, held)| (who, held.into_inner())).collect();
		positions.sort_by_key(|(who, _)| *who);
		let mut debtors: Vec<_> = Borrowers::<Test>::iter_keys().collect();
		debtors.sort();
		(positions, debtors)
	}

	/// Alice borrows 500 USDC against DOT; Charlie borrows DOT and USDC against BTC.
	fn two_debtors() {
		alice_borrows(500);
		supply(CHARLIE, BTC, 1);
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(CHARLIE), DOT.id, DOT.units(10)));
		assert_ok!(Lending::borrow(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(10)));
	}

	/// Runs migration `M` from its start, each step with `limit`, until it ends; returns how
	/// many steps it took. Fails a step that errs, and a migration that takes 20 steps.
	fn steps_to_end<M: SteppedMigration>(limit: Weight) -> u32 {
		let mut cursor = None;
		for steps in 1..20 {
			let mut meter = WeightMeter::with_limit(limit);
			cursor = M::step(cursor, &mut meter).expect("every step makes progress");
			if cursor.is_none() {
				return steps;
			}
		}
		panic!("the migration does not end within 20 steps");
	}

	/// Version 0 kept supplies, debts and market lists in maps of their own and counted each
	/// debtor's debts. The multi-block migration moves them into one item per account, over as
	/// many steps as each step's weight allows, and every position, index entry and invariant
	/// reads as before; a second run has nothing to move.
	#[test]
	fn the_version_1_migration_moves_each_accounts_positions_into_one_item_over_several_steps() {
		test(|| {
			two_debtors();
			let before = index();
			assert_eq!(before.0.len(), 3);
			assert_eq!(before.1, vec![ALICE, CHARLIE]);

			v1::write_v0_layout::<Test>();
			assert_eq!(Positions::<Test>::iter().count(), 0);
			assert_eq!(v1::v0::Supplies::<Test>::iter().count(), 3);
			assert_eq!(v1::v0::Borrows::<Test>::iter().count(), 3);
			assert_eq!(v1::v0::Debtors::<Test>::get(CHARLIE), Some(2));
			let two_entries = <Test as frame_system::Config>::DbWeight::get().reads_writes(8, 4);
			let steps = steps_to_end::<LendingPositionsV1<Test>>(two_entries);
			// Three supplies, three debts, three lists and two debtors, two a step.
			assert!(steps >= 6, "{steps} steps");
			assert_eq!(index(), before);
			assert_eq!(v1::v0::AccountMarkets::<Test>::iter_keys().count(), 0);
			assert_eq!(v1::v0::Debtors::<Test>::iter_keys().count(), 0);
			let counter = frame_support::storage::storage_prefix(b"Lending", b"CounterForDebtors");
			assert!(!frame_support::storage::unhashed::exists(&counter), "the old count is gone");
			let mut meter = WeightMeter::new();
			assert_eq!(LendingPositionsV1::<Test>::step(None, &mut meter), Ok(None));
			assert_eq!(index(), before, "a second run moves nothing");
		});
	}

	/// A step without the weight of one entry moves nothing and says what it needs.
	#[test]
	fn a_step_without_room_for_one_entry_asks_for_more_weight() {
		test(|| {
			alice_borrows(500);
			v1::write_v0_layout::<Test>();
			let mut meter = WeightMeter::with_limit(Weight::zero());
			assert!(matches!(
				LendingPositionsV1::<Test>::step(None, &mut meter),
				Err(frame_support::migrations::SteppedMigrationError::InsufficientWeight { .. })
			));
			assert_eq!(v1::v0::Supplies::<Test>::iter().count(), 2);
			// Put back for the invariants at the end.
			let mut meter = WeightMeter::new();
			assert_eq!(LendingPositionsV1::<Test>::step(None, &mut meter), Ok(None));
		});
	}

	/// Version 1 also indexed every market of every debtor (`Exposures`) and counted the
	/// borrowers. The upgrade's block drops the count and sets version 2; the multi-block
	/// migration removes every exposure, two a step here, and every position and debtor reads
	/// as before; a second run has nothing to remove.
	#[test]
	fn the_version_2_migration_drops_the_exposures_and_the_count_and_keeps_the_debtors() {
		test(|| {
			two_debtors();
			let before = index();
			v2::write_v1_layout::<Test>();
			// Alice: DOT and USDC; Charlie: BTC, DOT and USDC.
			assert_eq!(v2::v1::Exposures::<Test>::iter().count(), 5);
			assert_eq!(v2::v1::CounterForBorrowers::<Test>::get(), Some(2));
			assert_eq!(Lending::on_chain_storage_version(), StorageVersion::new(1));

			v2::MarkV2::<Test>::on_runtime_upgrade();
			assert_eq!(Lending::on_chain_storage_version(), StorageVersion::new(2));
			assert!(!v2::v1::CounterForBorrowers::<Test>::exists(), "the count is gone");
			let two_entries = <Test as frame_system::Config>::DbWeight::get().reads_writes(2, 2);
			let steps = steps_to_end::<LendingIndexV2<Test>>(two_entries);
			assert_eq!(steps, 3, "five exposures, two a step");
			assert_eq!(v2::v1::Exposures::<Test>::iter().count(), 0);
			assert_eq!(index(), before);
			let mut meter = WeightMeter::new();
			assert_eq!(LendingIndexV2::<Test>::step(None, &mut meter), Ok(None));
			assert_eq!(index(), before, "a second run removes nothing");
		});
	}

	/// Version 2's markets had no pool. The upgrade's block rewrites each one public, with every
	/// other field as it was, and sets version 3; a second run changes nothing.
	#[test]
	fn the_version_3_migration_makes_every_market_public_and_keeps_the_rest() {
		use crate::migrations::v3::{write_v2_layout, MigrateV2ToV3};
		test(|| {
			two_debtors();
			let markets: Vec<(AssetId, Market)> = Markets::<Test>::iter().collect();
			write_v2_layout::<Test>();

			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert_eq!(Lending::on_chain_storage_version(), StorageVersion::new(3));
			let mut after: Vec<(AssetId, Market)> = Markets::<Test>::iter().collect();
			after.sort_by_key(|(asset, _)| *asset);
			let mut expected = markets;
			expected.sort_by_key(|(asset, _)| *asset);
			assert_eq!(after, expected);
			assert_eq!(
				MigrateV2ToV3::<Test>::on_runtime_upgrade(),
				Weight::zero()
					.saturating_add(<Test as frame_system::Config>::DbWeight::get().reads(1))
			);
			assert_eq!(Markets::<Test>::iter().count(), expected.len());
		});
	}
}

mod permissioned_pools {
	use super::*;
	use lever_primitives::LendingPositions;

	/// The pool's issuer.
	const ISSUER: u64 = 50;
	/// The pool the tests create first.
	const POOL: PoolId = 0;

	/// Governance creates the pool with [`ISSUER`] and puts the USDC market in it; the issuer
	/// grants Alice and Bob the credential. Charlie has none.
	fn usdc_pool() {
		assert_ok!(Lending::create_pool(RuntimeOrigin::root(), ISSUER));
		assert_ok!(Lending::set_market_pool(RuntimeOrigin::root(), USDC.id, Some(POOL)));
		for member in [ALICE, BOB] {
			assert_ok!(Lending::grant_credential(RuntimeOrigin::signed(ISSUER), POOL, member));
		}
	}

	/// In the pool: Bob supplies 10,000 USDC; Alice supplies 100 DOT in the public market and
	/// borrows 500 USDC from the pool.
	fn alice_borrows_from_the_pool() {
		usdc_pool();
		alice_borrows(500);
	}

	#[test]
	fn members_supply_and_borrow_in_the_pool() {
		test(|| {
			alice_borrows_from_the_pool();
			assert_eq!(balance(USDC, ALICE), USDC.units(STARTING_TOKENS + 500));
			assert_eq!(Lending::account_position(&ALICE).markets[1].borrowed, USDC.units(500));
			assert_eq!(market(USDC).pool, Some(POOL));
			let info = Lending::market_infos();
			let pools: Vec<_> = info.iter().map(|m| (m.asset, m.pool)).collect();
			assert!(pools.contains(&(USDC.id, Some(POOL))));
			assert!(pools.contains(&(DOT.id, None)));
			assert_eq!(Lending::memberships(&ALICE), vec![POOL]);
			assert_eq!(Lending::memberships(&CHARLIE), Vec::<PoolId>::new());
		});
	}

	#[test]
	fn every_entry_by_an_account_without_the_credential_is_refused_and_changes_nothing() {
		test(|| {
			alice_borrows_from_the_pool();
			supply(CHARLIE, DOT, 100);
			let charlie = RuntimeOrigin::signed(CHARLIE);
			let units = USDC.units(10);
			assert_noop!(Lending::supply(charlie.clone(), USDC.id, units), Error::NotMember);
			assert_noop!(Lending::borrow(charlie.clone(), USDC.id, units), Error::NotMember);
			// Paying for a member, or a member paying for an outsider, needs both.
			assert_noop!(
				Lending::supply_for(charlie.clone(), ALICE, USDC.id, units),
				Error::NotMember
			);
			assert_noop!(
				Lending::flash_loan(charlie.clone(), USDC.id, units, Default::default()),
				Error::NotMember
			);
			// Through the trait one-click leverage uses.
			assert_noop!(
				<Lending as LendingPositions<u64>>::supply(&CHARLIE, USDC.id, units),
				Error::NotMember
			);
			assert_noop!(
				<Lending as LendingPositions<u64>>::borrow(&CHARLIE, USDC.id, units),
				Error::NotMember
			);
			// The public markets are open to Charlie as ever.
			assert_ok!(Lending::borrow(charlie, DOT.id, DOT.units(1)));
		});
	}

	#[test]
	fn a_revoked_member_can_only_repay_withdraw_and_disable_collateral() {
		test(|| {
			alice_borrows_from_the_pool();
			supply(ALICE, USDC, 100);
			assert_ok!(Lending::revoke_credential(RuntimeOrigin::signed(ISSUER), POOL, ALICE));
			assert_eq!(
				last_event(),
				RuntimeEvent::Lending(Event::CredentialRevoked { pool: POOL, who: ALICE })
			);
			let alice = RuntimeOrigin::signed(ALICE);
			let units = USDC.units(10);
			assert_noop!(Lending::borrow(alice.clone(), USDC.id, units), Error::NotMember);
			assert_noop!(Lending::supply(alice.clone(), USDC.id, units), Error::NotMember);
			assert_ok!(Lending::disable_collateral(alice.clone(), USDC.id));
			assert_noop!(Lending::enable_collateral(alice.clone(), USDC.id), Error::NotMember);
			assert_ok!(Lending::repay(
				alice.clone(),
				USDC.id,
				AmountOrAll::Amount(USDC.units(200))
			));
			assert_ok!(Lending::repay(alice.clone(), USDC.id, AmountOrAll::All));
			assert_ok!(Lending::withdraw(alice.clone(), USDC.id, AmountOrAll::All));
			assert_ok!(Lending::withdraw(alice, DOT.id, AmountOrAll::All));
			assert!(Lending::positions_of(&ALICE).is_empty());
		});
	}

	#[test]
	fn anyone_liquidates_a_pool_borrower_and_anyone_repays_for_it() {
		test(|| {
			alice_borrows_from_the_pool();
			assert_ok!(Lending::revoke_credential(RuntimeOrigin::signed(ISSUER), POOL, ALICE));
			// DOT at $6: liquidation limit $480 < $500 of debt. Charlie holds no credential.
			set_price(DOT, price(600));
			assert_ok!(Lending::liquidate(
				RuntimeOrigin::signed(CHARLIE),
				ALICE,
				USDC.id,
				DOT.id,
				USDC.units(1_000),
				SeizedAs::Tokens,
			));
			// Half the debt ($250) is repaid for $270 of DOT: 45 DOT, as in a public market.
			assert_eq!(Lending::account_position(&ALICE).markets[1].borrowed, USDC.units(250));
			assert_eq!(balance(DOT, CHARLIE), DOT.units(STARTING_TOKENS + 45));
			assert_ok!(Lending::repay_for(
				RuntimeOrigin::signed(CHARLIE),
				ALICE,
				USDC.id,
				AmountOrAll::All
			));
			assert_eq!(Lending::scaled_debt_of(&ALICE, USDC.id), None);
		});
	}

	#[test]
	fn a_liquidator_paid_in_pool_shares_may_withdraw_them() {
		test(|| {
			usdc_pool();
			assert_ok!(Lending::set_market_pool(RuntimeOrigin::root(), DOT.id, Some(POOL)));
			alice_borrows(500);
			set_price(DOT, price(600));
			assert_ok!(Lending::liquidate(
				RuntimeOrigin::signed(CHARLIE),
				ALICE,
				USDC.id,
				DOT.id,
				USDC.units(1_000),
				SeizedAs::Shares,
			));
			assert!(Lending::supply_of(&CHARLIE, DOT.id).is_some());
			assert_ok!(Lending::withdraw(RuntimeOrigin::signed(CHARLIE), DOT.id, AmountOrAll::All));
			assert_eq!(balance(DOT, CHARLIE), DOT.units(STARTING_TOKENS + 45));
		});
	}

	#[test]
	fn governance_opens_a_pool_market_to_everyone() {
		test(|| {
			alice_borrows_from_the_pool();
			assert_noop!(
				Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(10)),
				Error::NotMember
			);
			assert_ok!(Lending::set_market_pool(RuntimeOrigin::root(), USDC.id, None));
			assert_eq!(
				last_event(),
				RuntimeEvent::Lending(Event::MarketPoolSet { asset: USDC.id, pool: None })
			);
			assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), USDC.id, USDC.units(10)));
		});
	}

	#[test]
	fn the_issuer_and_governance_grant_and_revoke_and_nobody_else() {
		test(|| {
			assert_ok!(Lending::create_pool(RuntimeOrigin::root(), ISSUER));
			assert_eq!(
				last_event(),
				RuntimeEvent::Lending(Event::PoolCreated { pool: POOL, issuer: ISSUER })
			);
			assert_noop!(
				Lending::grant_credential(RuntimeOrigin::signed(ALICE), POOL, ALICE),
				Error::NotIssuer
			);
			assert_noop!(
				Lending::grant_credential(RuntimeOrigin::none(), POOL, ALICE),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Lending::grant_credential(RuntimeOrigin::signed(ISSUER), 7, ALICE),
				Error::UnknownPool
			);
			assert_ok!(Lending::grant_credential(RuntimeOrigin::root(), POOL, ALICE));
			assert_noop!(
				Lending::grant_credential(RuntimeOrigin::signed(ISSUER), POOL, ALICE),
				Error::CredentialExists
			);
			assert_noop!(
				Lending::revoke_credential(RuntimeOrigin::signed(ISSUER), POOL, BOB),
				Error::NoCredential
			);
			assert_noop!(
				Lending::revoke_credential(RuntimeOrigin::signed(BOB), POOL, ALICE),
				Error::NotIssuer
			);
			// A new issuer: the old one may no longer grant; credentials granted stay.
			assert_ok!(Lending::set_pool_issuer(RuntimeOrigin::root(), POOL, CHARLIE));
			assert_noop!(
				Lending::grant_credential(RuntimeOrigin::signed(ISSUER), POOL, BOB),
				Error::NotIssuer
			);
			assert_ok!(Lending::grant_credential(RuntimeOrigin::signed(CHARLIE), POOL, BOB));
			assert!(Lending::is_member(POOL, &ALICE) && Lending::is_member(POOL, &BOB));
			assert_ok!(Lending::revoke_credential(RuntimeOrigin::root(), POOL, ALICE));
			assert!(!Lending::is_member(POOL, &ALICE));
		});
	}

	#[test]
	fn only_governance_creates_pools_and_moves_markets() {
		test(|| {
			assert_noop!(
				Lending::create_pool(RuntimeOrigin::signed(ALICE), ISSUER),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Lending::set_pool_issuer(RuntimeOrigin::root(), POOL, ISSUER),
				Error::UnknownPool
			);
			assert_noop!(
				Lending::set_market_pool(RuntimeOrigin::root(), USDC.id, Some(POOL)),
				Error::UnknownPool
			);
			assert_ok!(Lending::create_pool(RuntimeOrigin::root(), ISSUER));
			assert_noop!(
				Lending::set_market_pool(RuntimeOrigin::signed(ISSUER), USDC.id, Some(POOL)),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Lending::set_market_pool(RuntimeOrigin::root(), NO_MARKET.id, Some(POOL)),
				Error::UnknownMarket
			);
			assert_noop!(
				Lending::set_pool_issuer(RuntimeOrigin::signed(ISSUER), POOL, ALICE),
				DispatchError::BadOrigin
			);
			assert_ok!(Lending::create_pool(RuntimeOrigin::root(), ISSUER));
			assert_eq!(NextPoolId::<Test>::get(), 2);
		});
	}
}

mod credit {
	use super::*;
	use frame_support::BoundedVec;

	/// Loans count after a minute.
	const MIN_LOAN_AGE_MS: u64 = 60_000;

	/// A policy: loans count after [`MIN_LOAN_AGE_MS`]; a score of 100 adds five points to each
	/// collateral factor.
	fn policy() -> CreditPolicyOf<Test> {
		CreditPolicy {
			min_loan_age: MIN_LOAN_AGE_MS,
			tiers: BoundedVec::truncate_from(vec![CreditTier {
				min_score: 100,
				bonus: Permill::from_percent(5),
			}]),
		}
	}

	fn set_policy() {
		assert_ok!(Lending::set_credit_policy(RuntimeOrigin::root(), policy()));
	}

	fn record(who: u64) -> CreditRecord {
		Credit::<Test>::get(who).expect("a credit record")
	}

	fn usd(dollars: u32) -> FixedU128 {
		FixedU128::from_u32(dollars)
	}

	fn repay_all(who: u64, asset: TestAsset) {
		assert_ok!(Lending::repay(RuntimeOrigin::signed(who), asset.id, AmountOrAll::All));
	}

	/// Alice (100 DOT, borrow limit $525) holds 300 USDC for a minute and repays it: one loan,
	/// $300 proven, score 100, and DOT's collateral factor for her is 75% instead of 70%
	/// (80% threshold less the 5% floor), adding $37.50 of borrow limit, under the $300 cap.
	#[test]
	fn a_loan_held_for_the_minimum_age_and_repaid_counts_and_raises_the_borrow_limit() {
		test(|| {
			set_policy();
			alice_borrows(300);
			assert_eq!(Lending::credit_score(&ALICE), 0);
			advance(61);
			repay_all(ALICE, USDC);
			assert_eq!(
				last_event(),
				Event::LoanRepaidInFull { who: ALICE, repaid: 1, proven: usd(300), score: 100 }
					.into()
			);
			let credit = Lending::credit_info(&ALICE);
			assert_eq!(credit.score, 100);
			assert_eq!(credit.bonus, Permill::from_percent(5));
			assert_eq!(credit.proven, usd(300));
			let liquidity = Lending::account_liquidity(&ALICE).unwrap();
			assert_eq!(liquidity.borrow_limit, price(56_250));
			assert_eq!(liquidity.liquidation_limit, price(60_000), "the threshold never moves");
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(560)));
		});
	}

	/// Without the history, the same borrow of $560 is over the $525 limit.
	#[test]
	fn without_a_history_the_plain_collateral_factor_applies() {
		test(|| {
			set_policy();
			alice_borrows(300);
			assert_noop!(
				Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(260)),
				Error::InsufficientCollateral
			);
			assert_eq!(Lending::account_liquidity(&ALICE).unwrap().borrow_limit, price(52_500));
		});
	}

	/// A loan repaid 30 seconds after its borrow does not count, nor does one whose clock a
	/// second borrow restarted.
	#[test]
	fn loans_repaid_before_the_minimum_age_since_the_last_borrow_do_not_count() {
		test(|| {
			set_policy();
			alice_borrows(300);
			advance(30);
			repay_all(ALICE, USDC);
			assert_eq!(record(ALICE).repaid, 0);
			assert_eq!(record(ALICE).spell, None);

			let alice = RuntimeOrigin::signed(ALICE);
			assert_ok!(Lending::borrow(alice.clone(), USDC.id, USDC.units(300)));
			advance(50);
			assert_ok!(Lending::borrow(alice, USDC.id, USDC.units(10)));
			advance(50);
			repay_all(ALICE, USDC);
			assert_eq!(record(ALICE).repaid, 0, "the second borrow restarted the clock");
			assert_eq!(Lending::credit_score(&ALICE), 0);
		});
	}

	/// A peak repaid at once proves nothing: Alice borrows $500 and repays $400 in the same
	/// block, holds $100 for a minute and repays it. She proved $100, not $500.
	#[test]
	fn a_peak_repaid_before_the_minimum_age_proves_nothing() {
		test(|| {
			set_policy();
			alice_borrows(500);
			let alice = RuntimeOrigin::signed(ALICE);
			assert_ok!(Lending::repay(alice, USDC.id, AmountOrAll::Amount(USDC.units(400))));
			advance(61);
			repay_all(ALICE, USDC);
			assert_eq!(record(ALICE).repaid, 1);
			assert_eq!(record(ALICE).proven, usd(100));
			// The bonus adds at most the $100 proven: 750 × 5% = $37.50 here, so all of it.
			assert_eq!(Lending::account_liquidity(&ALICE).unwrap().borrow_limit, price(56_250));
		});
	}

	/// A repayment by someone else counts for the borrower, who held the debt; the payer's
	/// record does not change.
	#[test]
	fn a_repayment_for_a_borrower_counts_for_the_borrower() {
		test(|| {
			set_policy();
			alice_borrows(300);
			advance(61);
			assert_ok!(Lending::repay_for(
				RuntimeOrigin::signed(CHARLIE),
				ALICE,
				USDC.id,
				AmountOrAll::All
			));
			assert_eq!(record(ALICE).repaid, 1);
			assert_eq!(Credit::<Test>::get(CHARLIE), None);
		});
	}

	/// Liquidation resets the record: the score starts from zero and nothing is proven.
	#[test]
	fn a_liquidation_resets_the_score() {
		test(|| {
			set_policy();
			alice_borrows(300);
			advance(61);
			repay_all(ALICE, USDC);
			assert_eq!(Lending::credit_score(&ALICE), 100);
			assert_ok!(Lending::borrow(RuntimeOrigin::signed(ALICE), USDC.id, USDC.units(500)));
			set_price(DOT, price(600));
			assert_ok!(<Lending as LendingLiquidation<u64>>::liquidate(
				&CHARLIE,
				&ALICE,
				USDC.id,
				DOT.id,
				USDC.units(100),
				SeizedAs::Tokens,
			));
			assert!(System::events()
				.iter()
				.any(|record| record.event == Event::CreditReset { who: ALICE }.into()));
			assert_eq!(Lending::credit_score(&ALICE), 0);
			assert_eq!(record(ALICE).proven, FixedU128::zero());
			assert_eq!(record(ALICE).spell, None);
			assert_eq!(Lending::credit_info(&ALICE).bonus, Permill::zero());
		});
	}

	#[test]
	fn the_score_follows_its_formula_and_caps() {
		let day = 86_400_000;
		let record = CreditRecord {
			since: 0,
			spell: None,
			repaid: 1,
			debt_time: 10 * day,
			proven: FixedU128::zero(),
		};
		// 100 for the loan, 10 for the days with debt, 200 × 73 / 365 = 40 for the age.
		assert_eq!(record.score(73 * day), 150);
		let veteran = CreditRecord { repaid: 7, debt_time: 400 * day, ..record };
		// 5 loans count (500), days with debt cap at 300, age at 200.
		assert_eq!(veteran.score(2 * 365 * day), 1_000);
		assert_eq!(CreditRecord::new(5).score(4), 0, "a clock before the record counts nothing");
	}

	#[test]
	fn a_raised_collateral_factor_stays_below_the_threshold_less_the_floor() {
		let terms = |bonus| CreditTerms { bonus: Permill::from_percent(bonus), cap: usd(1) };
		let factor = |terms: CreditTerms, cf, lt| {
			terms.collateral_factor(
				Permill::from_percent(cf),
				Permill::from_percent(lt),
				Permill::from_percent(5),
			)
		};
		assert_eq!(factor(terms(5), 70, 80), Permill::from_percent(75));
		assert_eq!(factor(terms(2), 75, 82), Permill::from_percent(77));
		assert_eq!(factor(terms(5), 75, 82), Permill::from_percent(77));
		assert_eq!(factor(terms(5), 80, 84), Permill::from_percent(80), "never below the factor");
		assert_eq!(factor(CreditTerms::NONE, 70, 80), Permill::from_percent(70));
	}

	#[test]
	fn governance_sets_a_valid_policy_and_nothing_else() {
		test(|| {
			let tier =
				|min_score, bonus| CreditTier { min_score, bonus: Permill::from_percent(bonus) };
			let with = |min_loan_age, tiers: Vec<CreditTier>| CreditPolicy {
				min_loan_age,
				tiers: BoundedVec::truncate_from(tiers),
			};
			let set = |policy| Lending::set_credit_policy(RuntimeOrigin::root(), policy);
			assert_noop!(
				Lending::set_credit_policy(RuntimeOrigin::signed(ALICE), policy()),
				DispatchError::BadOrigin
			);
			assert_noop!(set(with(0, vec![])), Error::InvalidCreditPolicy);
			assert_noop!(set(with(1, vec![tier(100, 6)])), Error::InvalidCreditPolicy);
			assert_noop!(set(with(1, vec![tier(1_001, 1)])), Error::InvalidCreditPolicy);
			assert_noop!(
				set(with(1, vec![tier(300, 1), tier(300, 2)])),
				Error::InvalidCreditPolicy
			);
			assert_noop!(
				set(with(1, vec![tier(300, 1), tier(200, 2)])),
				Error::InvalidCreditPolicy
			);
			assert_eq!(Lending::credit_policy(), CreditPolicy::default());
			let good = with(1, vec![tier(100, 2), tier(400, 5)]);
			assert_ok!(set(good.clone()));
			assert_eq!(last_event(), Event::CreditPolicySet { policy: good.clone() }.into());
			assert_eq!(Lending::credit_policy(), good);
			assert_eq!(good.bonus_for(99), Permill::zero());
			assert_eq!(good.bonus_for(100), Permill::from_percent(2));
			assert_eq!(good.bonus_for(1_000), Permill::from_percent(5));
		});
	}
}
