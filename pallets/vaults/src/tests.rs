//! Unit tests: every call's success and errors, fee accrual against hand-computed values, the
//! books, with the invariants checked after every block and at the end of every test.

use crate::{mock::*, *};
// The runtime pallet, not the storage map of the same name.
use crate::mock::Vaults;
use frame_support::{assert_noop, assert_ok, assert_storage_noop};
use lever_primitives::SECONDS_PER_YEAR;
use sp_runtime::{traits::One, DispatchError, FixedU128, Permill, TokenError};

type Error = crate::Error<Test>;

fn balance(asset: TestAsset, who: u64) -> Balance {
	Assets::balance(asset.id, who)
}

fn vault(who: u64, asset: TestAsset) -> Option<Vault> {
	crate::Vaults::<Test>::get(asset.id, who)
}

fn debt(who: u64, asset: TestAsset) -> Balance {
	Vaults::vault_info(&who, asset.id).map_or(0, |info| info.debt)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn origin(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Alice opens a DOT vault with 1,000 DOT ($7,500; 5,000 lvUSD at most at 150%) and mints
/// `lvusd` lvUSD.
fn alice_mints(lvusd: u128) {
	assert_ok!(Vaults::open(origin(ALICE), DOT.id, DOT.units(1_000)));
	assert_ok!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(lvusd)));
}

fn assert_close(actual: FixedU128, expected: FixedU128, relative: FixedU128) {
	let difference = if actual > expected { actual - expected } else { expected - actual };
	assert!(
		difference <= expected * relative,
		"{actual:?} is not {expected:?} within {relative:?}"
	);
}

mod vaults {
	use super::*;

	#[test]
	fn open_mint_repay_and_close() {
		test(|| {
			assert_ok!(Vaults::open(origin(ALICE), DOT.id, DOT.units(1_000)));
			assert_eq!(
				vault(ALICE, DOT),
				Some(Vault { collateral: DOT.units(1_000), normalized_debt: 0 })
			);
			assert_eq!(balance(DOT, Vaults::account_id()), DOT.units(1_000));
			assert_ok!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(3_000)));
			assert_eq!(balance(LVUSD, ALICE), LVUSD.units(3_000));
			assert_eq!(debt(ALICE, DOT), LVUSD.units(3_000));
			assert_eq!(
				last_event(),
				Event::VaultAdjusted {
					owner: ALICE,
					asset: DOT.id,
					deposited: 0,
					withdrawn: 0,
					minted: LVUSD.units(3_000),
					repaid: 0,
					collateral: DOT.units(1_000),
					debt: LVUSD.units(3_000)
				}
				.into()
			);
			assert_ok!(Vaults::repay(
				origin(ALICE),
				DOT.id,
				AmountOrAll::Amount(LVUSD.units(1_000))
			));
			assert_eq!(debt(ALICE, DOT), LVUSD.units(2_000));
			assert_ok!(Vaults::close(origin(ALICE), DOT.id));
			assert_eq!(vault(ALICE, DOT), None);
			assert_eq!(balance(DOT, ALICE), DOT.units(STARTING_TOKENS));
			assert_eq!(balance(LVUSD, ALICE), 0);
			assert_eq!(last_event(), Event::VaultClosed { owner: ALICE, asset: DOT.id }.into());
			assert_eq!(REPORTED.with(|r| r.borrow().get(&(DOT.id, ALICE)).copied()), Some((0, 0)));
		});
	}

	#[test]
	fn deposit_and_withdraw() {
		test(|| {
			alice_mints(1_000);
			assert_ok!(Vaults::deposit(origin(ALICE), DOT.id, DOT.units(500)));
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(1_500));
			// 1,000 lvUSD at 150% needs $1,500: 200 DOT stay.
			assert_ok!(Vaults::withdraw(
				origin(ALICE),
				DOT.id,
				AmountOrAll::Amount(DOT.units(1_300))
			));
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(200));
			assert_eq!(
				REPORTED.with(|r| r.borrow().get(&(DOT.id, ALICE)).copied()),
				Some((DOT.units(200), vault(ALICE, DOT).unwrap().normalized_debt))
			);
		});
	}

	/// `None` repays and withdraws nothing; `Some(All)` repays the debt with fees or withdraws
	/// everything.
	#[test]
	fn a_change_with_none_repays_and_withdraws_nothing() {
		test(|| {
			alice_mints(1_000);
			assert_ok!(Vaults::adjust(origin(ALICE), DOT.id, DOT.units(1), 0, None, None));
			assert_eq!(debt(ALICE, DOT), LVUSD.units(1_000));
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(1_001));
			assert_eq!(balance(LVUSD, ALICE), LVUSD.units(1_000));
			assert_ok!(Vaults::adjust(origin(ALICE), DOT.id, 0, 0, Some(AmountOrAll::All), None));
			assert_eq!(debt(ALICE, DOT), 0);
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(1_001));
		});
	}

	#[test]
	fn adjust_deposits_and_mints_or_repays_and_withdraws_at_once() {
		test(|| {
			assert_ok!(Vaults::open(origin(ALICE), DOT.id, DOT.units(10)));
			assert_ok!(Vaults::adjust(
				origin(ALICE),
				DOT.id,
				DOT.units(990),
				LVUSD.units(4_000),
				None,
				None
			));
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(1_000));
			assert_eq!(debt(ALICE, DOT), LVUSD.units(4_000));
			assert_ok!(Vaults::adjust(
				origin(ALICE),
				DOT.id,
				0,
				0,
				Some(AmountOrAll::Amount(LVUSD.units(2_000))),
				Some(AmountOrAll::Amount(DOT.units(500)))
			));
			assert_eq!(debt(ALICE, DOT), LVUSD.units(2_000));
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(500));
			// Too much at once: nothing happens.
			assert_noop!(
				Vaults::adjust(
					origin(ALICE),
					DOT.id,
					DOT.units(10),
					LVUSD.units(1_000),
					None,
					None
				),
				Error::BelowLiquidationRatio
			);
			assert_ok!(Vaults::adjust(
				origin(ALICE),
				DOT.id,
				0,
				0,
				Some(AmountOrAll::All),
				Some(AmountOrAll::All)
			));
			assert_eq!(vault(ALICE, DOT), None);
		});
	}

	#[test]
	fn bad_vault_calls_are_refused_and_change_nothing() {
		test(|| {
			assert_noop!(Vaults::open(origin(ALICE), DOT.id, 0), Error::ZeroAmount);
			assert_noop!(
				Vaults::open(origin(ALICE), BTC.id, BTC.units(1)),
				Error::UnknownCollateralType
			);
			assert_noop!(Vaults::open(origin(ALICE), DOT.id, DOT.min_balance - 1), Error::Dust);
			assert_noop!(
				Vaults::open(origin(ALICE), DOT.id, DOT.units(STARTING_TOKENS + 1)),
				TokenError::FundsUnavailable
			);
			assert_noop!(
				Vaults::open(origin(ALICE), DOT.id, u128::MAX),
				TokenError::FundsUnavailable
			);
			assert_noop!(Vaults::open(RuntimeOrigin::root(), DOT.id, 1), DispatchError::BadOrigin);
			assert_noop!(Vaults::deposit(origin(ALICE), DOT.id, DOT.units(1)), Error::NoVault);
			assert_noop!(Vaults::mint(origin(ALICE), DOT.id, 1), Error::NoVault);
			assert_noop!(Vaults::close(origin(ALICE), DOT.id), Error::NoVault);
			alice_mints(1_000);
			assert_noop!(Vaults::open(origin(ALICE), DOT.id, DOT.units(1)), Error::VaultExists);
			assert_noop!(Vaults::deposit(origin(ALICE), DOT.id, 0), Error::ZeroAmount);
			assert_noop!(Vaults::mint(origin(ALICE), DOT.id, 0), Error::ZeroAmount);
			assert_noop!(
				Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(0)),
				Error::ZeroAmount
			);
			assert_noop!(
				Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(u128::MAX)),
				Error::InsufficientCollateral
			);
			assert_noop!(
				Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.units(1_000) - 1)),
				Error::Dust
			);
			assert_noop!(Vaults::mint(origin(BOB), DOT.id, LVUSD.units(100)), Error::NoVault);
		});
	}
}

/// Depositing and repaying for another account's vault: the payer's collateral and lvUSD, the
/// owner's vault, and never a change that adds risk.
mod on_behalf {
	use super::*;

	#[test]
	fn deposit_for_adds_the_payers_collateral_to_the_owners_vault() {
		test(|| {
			alice_mints(1_000);
			let charlie_before = balance(DOT, CHARLIE);
			assert_ok!(Vaults::deposit_for(origin(CHARLIE), ALICE, DOT.id, DOT.units(500)));
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(1_500));
			assert_eq!(balance(DOT, CHARLIE), charlie_before - DOT.units(500));
			assert_eq!(vault(CHARLIE, DOT), None, "the payer has no vault");
			assert_eq!(
				REPORTED.with(|r| r.borrow().get(&(DOT.id, ALICE)).copied()),
				Some((DOT.units(1_500), vault(ALICE, DOT).unwrap().normalized_debt))
			);
		});
	}

	#[test]
	fn repay_for_burns_the_payers_lvusd_against_the_owners_debt() {
		test(|| {
			alice_mints(1_000);
			// Charlie mints lvUSD of his own to pay with.
			assert_ok!(Vaults::open(origin(CHARLIE), DOT.id, DOT.units(1_000)));
			assert_ok!(Vaults::mint(origin(CHARLIE), DOT.id, LVUSD.units(2_000)));
			assert_ok!(Vaults::repay_for(
				origin(CHARLIE),
				ALICE,
				DOT.id,
				AmountOrAll::Amount(LVUSD.units(400))
			));
			assert_eq!(debt(ALICE, DOT), LVUSD.units(600));
			assert_eq!(balance(LVUSD, ALICE), LVUSD.units(1_000), "the owner pays nothing");
			assert_eq!(balance(LVUSD, CHARLIE), LVUSD.units(1_600));
			assert_ok!(Vaults::repay_for(origin(CHARLIE), ALICE, DOT.id, AmountOrAll::All));
			assert_eq!(debt(ALICE, DOT), 0);
			assert_eq!(vault(ALICE, DOT).unwrap().collateral, DOT.units(1_000), "the vault stays");
		});
	}

	#[test]
	fn on_behalf_changes_follow_the_rules_and_need_a_vault() {
		test(|| {
			assert_noop!(
				Vaults::deposit_for(origin(CHARLIE), ALICE, DOT.id, DOT.units(1)),
				Error::NoVault
			);
			alice_mints(1_000);
			assert_noop!(Vaults::deposit_for(origin(CHARLIE), ALICE, DOT.id, 0), Error::ZeroAmount);
			assert_noop!(
				Vaults::deposit_for(origin(CHARLIE), ALICE, DOT.id, Balance::MAX),
				TokenError::FundsUnavailable
			);
			assert_noop!(
				Vaults::repay_for(origin(CHARLIE), ALICE, DOT.id, AmountOrAll::All),
				TokenError::FundsUnavailable
			);
			assert_noop!(
				Vaults::repay_for(origin(CHARLIE), BOB, DOT.id, AmountOrAll::All),
				Error::NoVault
			);
		});
	}

	#[test]
	fn only_the_owner_adds_risk() {
		test(|| {
			alice_mints(1_000);
			let adds_risk = [
				VaultChange { mint: LVUSD.units(1), ..Default::default() },
				VaultChange {
					withdraw: Some(AmountOrAll::Amount(DOT.units(1))),
					..Default::default()
				},
				VaultChange { deposit: DOT.units(10), mint: LVUSD.units(1), ..Default::default() },
			];
			for change in adds_risk {
				assert_noop!(
					Vaults::do_adjust_for(&CHARLIE, &ALICE, DOT.id, change),
					Error::OnlyOwnerAddsRisk
				);
			}
		});
	}
}

mod risk {
	use super::*;

	#[test]
	fn minting_stops_at_the_liquidation_ratio() {
		test(|| {
			assert_ok!(Vaults::open(origin(ALICE), DOT.id, DOT.units(1_000)));
			assert_noop!(
				Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(5_000) + 1),
				Error::BelowLiquidationRatio
			);
			assert_ok!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(5_000)));
			assert_noop!(
				Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.min_balance)),
				Error::BelowLiquidationRatio
			);
		});
	}

	#[test]
	fn no_mint_or_withdrawal_against_a_held_drop_and_liquidation_waits_for_it() {
		test(|| {
			// 1,000 DOT at $7.50 back 5,000 lvUSD at 150%; the feeds' jump to $4.50 is held.
			assert_ok!(Vaults::open(origin(ALICE), DOT.id, DOT.units(1_000)));
			assert_ok!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(2_000)));
			hold_price(DOT, FixedU128::from_rational(450, 100));
			// At $4.50 the DOT back 3,000 lvUSD: minting beyond that is refused.
			assert_noop!(
				Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(3_000)),
				Error::BelowLiquidationRatio
			);
			assert_noop!(
				Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(1_000) + 1),
				Error::BelowLiquidationRatio
			);
			// 2,000 lvUSD need 666.67 DOT at $4.50 (400 at $7.50).
			assert_noop!(
				Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.units(334))),
				Error::BelowLiquidationRatio
			);
			assert_ok!(Vaults::withdraw(
				origin(ALICE),
				DOT.id,
				AmountOrAll::Amount(DOT.units(333))
			));
			// Liquidation decides on the confirmed price: 667 DOT at $7.50 are safe; confirmed
			// at $3.00 they are not.
			assert_eq!(
				<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
				Ok(false)
			);
			hold_price(DOT, FixedU128::from_u32(3));
			assert_eq!(
				<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
				Ok(false)
			);
			set_price(DOT, FixedU128::from_u32(3));
			assert_eq!(
				<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
				Ok(true)
			);
		});
	}

	#[test]
	fn debt_is_zero_or_at_least_the_minimum() {
		test(|| {
			assert_ok!(Vaults::open(origin(ALICE), DOT.id, DOT.units(1_000)));
			assert_noop!(
				Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(100) - 1),
				Error::BelowMinimumDebt
			);
			assert_ok!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(150)));
			assert_noop!(
				Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::Amount(LVUSD.units(51))),
				Error::BelowMinimumDebt
			);
			assert_ok!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::Amount(LVUSD.units(50))));
			assert_ok!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::All));
			assert_noop!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::All), Error::NoDebt);
		});
	}

	#[test]
	fn ceilings_cap_new_debt() {
		test(|| {
			let mut capped = params();
			capped.debt_ceiling = LVUSD.units(2_000);
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, capped));
			assert_ok!(Vaults::open(origin(ALICE), DOT.id, DOT.units(1_000)));
			assert_noop!(
				Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(2_001)),
				Error::DebtCeilingExceeded
			);
			assert_ok!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(2_000)));
			assert_ok!(Vaults::set_global_debt_ceiling(RuntimeOrigin::root(), LVUSD.units(3_000)));
			assert_ok!(Vaults::open(origin(BOB), ETH.id, ETH.units(10)));
			assert_noop!(
				Vaults::mint(origin(BOB), ETH.id, LVUSD.units(1_001)),
				Error::GlobalDebtCeilingExceeded
			);
			assert_ok!(Vaults::mint(origin(BOB), ETH.id, LVUSD.units(1_000)));
		});
	}

	#[test]
	fn a_stale_price_blocks_minting_and_withdrawing_but_not_deposits_or_repayments() {
		test(|| {
			alice_mints(1_000);
			make_stale(DOT);
			assert_noop!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(100)), Error::PriceStale);
			assert_noop!(
				Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.units(1))),
				Error::PriceStale
			);
			assert_ok!(Vaults::deposit(origin(ALICE), DOT.id, DOT.units(1)));
			assert_ok!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::All));
			// Without debt collateral leaves without a price.
			assert_ok!(Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(DOT.units(1))));
			forget_price(DOT);
			assert_noop!(
				Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(100)),
				Error::PriceUnknown
			);
		});
	}

	#[test]
	fn a_paused_type_takes_no_new_debt() {
		test(|| {
			alice_mints(1_000);
			assert_ok!(Vaults::set_collateral_status(
				RuntimeOrigin::root(),
				DOT.id,
				CollateralStatus::Paused
			));
			assert_noop!(
				Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(100)),
				Error::CollateralTypeNotActive
			);
			assert_ok!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::All));
			assert_ok!(Vaults::close(origin(ALICE), DOT.id));
		});
	}

	#[test]
	fn repaying_needs_the_lvusd() {
		test(|| {
			alice_mints(1_000);
			assert_ok!(Assets::transfer(origin(ALICE), LVUSD.id, BOB, LVUSD.units(500)));
			assert_noop!(
				Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::All),
				TokenError::FundsUnavailable
			);
			assert_ok!(Assets::transfer(origin(BOB), LVUSD.id, ALICE, LVUSD.units(500)));
			assert_ok!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::All));
		});
	}
}

mod fees {
	use super::*;

	#[test]
	fn one_year_at_five_percent_compounded_every_second() {
		test(|| {
			alice_mints(1_000);
			advance(SECONDS_PER_YEAR);
			let rate = Vaults::accrue_type(DOT.id).unwrap().rate;
			// (1 + 0.05 / 31,536,000)^31,536,000 = 1.05127109633...
			let expected = FixedU128::from_inner(1_051_271_096_334_354_600);
			assert_close(rate, expected, FixedU128::from_rational(1, 1_000_000_000));
			let owed = debt(ALICE, DOT);
			assert_close(
				FixedU128::from_rational(owed, LVUSD.units(1)),
				FixedU128::from_rational(1_051_271_096, 1_000_000),
				FixedU128::from_rational(1, 1_000_000_000),
			);
			// The fees are the system's surplus.
			assert_eq!(Vaults::system_info().surplus, owed - LVUSD.units(1_000));
		});
	}

	#[test]
	fn repaying_a_year_later_burns_the_fees_and_the_surplus_keeps_them() {
		test(|| {
			alice_mints(1_000);
			assert_ok!(Vaults::open(origin(BOB), DOT.id, DOT.units(1_000)));
			assert_ok!(Vaults::mint(origin(BOB), DOT.id, LVUSD.units(1_000)));
			advance(SECONDS_PER_YEAR);
			let owed = debt(ALICE, DOT);
			assert_ok!(Assets::transfer(origin(BOB), LVUSD.id, ALICE, owed - LVUSD.units(1_000)));
			assert_ok!(Vaults::close(origin(ALICE), DOT.id));
			let books = Vaults::system_info();
			assert_eq!(books.issuance, LVUSD.units(1_000) - (owed - LVUSD.units(1_000)));
			assert_eq!(books.issuance + books.surplus, books.total_debt + books.deficit);
			assert!(books.surplus >= 2 * (owed - LVUSD.units(1_000)) - 2);
		});
	}

	#[test]
	fn rates_never_move_without_time() {
		test(|| {
			alice_mints(1_000);
			let before = CollateralTypes::<Test>::get(DOT.id).unwrap();
			Vaults::accrue_type(DOT.id).unwrap();
			assert_eq!(CollateralTypes::<Test>::get(DOT.id).unwrap(), before);
			assert_eq!(before.rate, FixedU128::one());
		});
	}
}

mod governance {
	use super::*;

	#[test]
	fn open_and_change_a_collateral_type() {
		test(|| {
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), BTC.id, params()));
			assert_eq!(
				last_event(),
				Event::CollateralTypeSet { asset: BTC.id, params: params(), ramp_until: None }
					.into()
			);
			assert_eq!(CollateralTypes::<Test>::get(BTC.id).unwrap().decimals, BTC.decimals);
			assert_ok!(Vaults::open(origin(ALICE), BTC.id, BTC.units(1)));
			let mut changed = params();
			changed.liquidation_ratio = FixedU128::from_rational(175, 100);
			changed.target_ratio = FixedU128::from_rational(185, 100);
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), BTC.id, changed));
			assert_eq!(CollateralTypes::<Test>::get(BTC.id).unwrap().params, changed);
			assert_ok!(Vaults::set_collateral_status(
				RuntimeOrigin::root(),
				BTC.id,
				CollateralStatus::Paused
			));
			assert_eq!(
				last_event(),
				Event::CollateralStatusSet { asset: BTC.id, status: CollateralStatus::Paused }
					.into()
			);
		});
	}

	#[test]
	fn a_raised_ratio_ramps_in_for_liquidation_and_applies_to_mints_at_once() {
		test(|| {
			// Alice at 156.25%: 1,000 DOT at $7.50 against 4,800 lvUSD.
			alice_mints(4_800);
			let now = Timestamp::get();
			let stricter = CollateralParams {
				liquidation_ratio: FixedU128::from_rational(160, 100),
				target_ratio: FixedU128::from_rational(170, 100),
				..params()
			};
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, stricter));
			assert_eq!(
				last_event(),
				Event::CollateralTypeSet {
					asset: DOT.id,
					params: stricter,
					ramp_until: Some(now + RAMP_PERIOD)
				}
				.into()
			);
			// Not liquidatable the moment it is raised; no new risk against the new ratio.
			assert_eq!(
				<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
				Ok(false)
			);
			assert_noop!(Vaults::mint(origin(ALICE), DOT.id, 1), Error::BelowLiquidationRatio);
			assert_noop!(
				Vaults::withdraw(origin(ALICE), DOT.id, AmountOrAll::Amount(1)),
				Error::BelowLiquidationRatio
			);
			assert_ok!(Vaults::deposit(origin(ALICE), DOT.id, 1));
			// Half-way the line is at 155%; three quarters in, at 157.5%, Alice is below it.
			advance(RAMP_PERIOD / 2 / 1_000);
			set_price(DOT, FixedU128::from_rational(75, 10));
			let collateral_type = CollateralTypes::<Test>::get(DOT.id).unwrap();
			assert_eq!(
				collateral_type.ratio_in_force(Timestamp::get()),
				FixedU128::from_rational(155, 100)
			);
			assert_eq!(
				<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
				Ok(false)
			);
			advance(RAMP_PERIOD / 4 / 1_000);
			set_price(DOT, FixedU128::from_rational(75, 10));
			assert_eq!(
				<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
				Ok(true)
			);
			// Lowering it back applies at once and ends the ramp.
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, params()));
			assert_eq!(CollateralTypes::<Test>::get(DOT.id).unwrap().ratio_ramp, None);
			assert_eq!(
				<Vaults as lever_primitives::VaultLiquidation<u64>>::is_unsafe(DOT.id, &ALICE),
				Ok(false)
			);
		});
	}

	#[test]
	fn ceilings_count_debt_with_fees_and_may_be_lowered_below_it() {
		test(|| {
			// Ceilings of 2,050 lvUSD; Alice owes 2,000 and, a year later at 5%, about 2,102.
			let capped = CollateralParams { debt_ceiling: LVUSD.units(2_050), ..params() };
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, capped));
			alice_mints(2_000);
			advance(SECONDS_PER_YEAR);
			set_price(DOT, FixedU128::from_rational(75, 10));
			assert!(debt(ALICE, DOT) > LVUSD.units(2_100));
			assert_noop!(Vaults::mint(origin(ALICE), DOT.id, 1), Error::DebtCeilingExceeded);
			// Governance may lower a ceiling below the debt: it only stops new debt.
			let lowered = CollateralParams { debt_ceiling: LVUSD.units(1_000), ..params() };
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, lowered));
			assert_ok!(Vaults::set_global_debt_ceiling(RuntimeOrigin::root(), LVUSD.units(1_000)));
			assert_ok!(Vaults::open(origin(BOB), ETH.id, ETH.units(10)));
			assert_noop!(
				Vaults::mint(origin(BOB), ETH.id, LVUSD.units(100)),
				Error::GlobalDebtCeilingExceeded
			);
			assert_ok!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::Amount(LVUSD.units(500))));
		});
	}

	/// The risk council (`RiskOrigin`) raises a type's ratios, lowers its ceiling or the global
	/// one and pauses it at once; every other change, and every change that raises risk, is
	/// refused and changes nothing, while governance may make each of them. A supermajority of
	/// the council (`ShutdownOrigin`) may shut the system down.
	#[test]
	fn the_risk_council_may_only_reduce_a_collateral_types_risk() {
		test(|| {
			let council = || RuntimeOrigin::signed(RISK_COUNCIL);
			let now = Timestamp::get();
			let safer = CollateralParams {
				liquidation_ratio: FixedU128::from_rational(160, 100),
				target_ratio: FixedU128::from_rational(170, 100),
				debt_ceiling: LVUSD.units(500_000),
				..params()
			};
			assert_ok!(Vaults::set_collateral_type(council(), DOT.id, safer));
			assert_eq!(CollateralTypes::<Test>::get(DOT.id).unwrap().params, safer);
			// The raised ratio ramps in for liquidation as it does for governance.
			assert_eq!(
				last_event(),
				Event::CollateralTypeSet {
					asset: DOT.id,
					params: safer,
					ramp_until: Some(now + RAMP_PERIOD)
				}
				.into()
			);

			let riskier = [
				CollateralParams { liquidation_ratio: FixedU128::from_rational(155, 100), ..safer },
				CollateralParams { target_ratio: FixedU128::from_rational(165, 100), ..safer },
				CollateralParams { debt_ceiling: safer.debt_ceiling + 1, ..safer },
				CollateralParams { stability_fee: FixedU128::from_rational(6, 100), ..safer },
				CollateralParams { min_debt: LVUSD.units(200), ..safer },
				CollateralParams { liquidation_penalty: Permill::from_percent(12), ..safer },
				CollateralParams {
					whole_liquidation_ratio: FixedU128::from_rational(125, 100),
					..safer
				},
				// Higher in one respect, lower in another.
				CollateralParams {
					liquidation_ratio: FixedU128::from_rational(165, 100),
					debt_ceiling: safer.debt_ceiling + 1,
					..safer
				},
			];
			for params in riskier {
				assert_noop!(
					Vaults::set_collateral_type(council(), DOT.id, params),
					Error::RiskIncreasing
				);
				assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, params));
				assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, safer));
			}
			// Listing a new collateral type is governance's alone.
			assert_noop!(
				Vaults::set_collateral_type(council(), BTC.id, params()),
				Error::RiskIncreasing
			);

			assert_ok!(Vaults::set_collateral_status(council(), DOT.id, CollateralStatus::Paused));
			assert_noop!(
				Vaults::set_collateral_status(council(), DOT.id, CollateralStatus::Active),
				Error::RiskIncreasing
			);
			assert_ok!(Vaults::set_collateral_status(
				RuntimeOrigin::root(),
				DOT.id,
				CollateralStatus::Active
			));

			let ceiling = GlobalDebtCeiling::<Test>::get();
			assert_ok!(Vaults::set_global_debt_ceiling(council(), ceiling - 1));
			assert_noop!(
				Vaults::set_global_debt_ceiling(council(), ceiling),
				Error::RiskIncreasing
			);
			assert_ok!(Vaults::set_global_debt_ceiling(RuntimeOrigin::root(), ceiling));

			assert_noop!(Vaults::shutdown(origin(ALICE)), DispatchError::BadOrigin);
			assert_ok!(Vaults::shutdown(council()));
			assert!(ShutdownAt::<Test>::get().is_some());
		});
	}

	#[test]
	fn bad_governance_calls_are_refused_and_change_nothing() {
		test(|| {
			let root = RuntimeOrigin::root;
			assert_noop!(
				Vaults::set_collateral_type(origin(ALICE), BTC.id, params()),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Vaults::set_collateral_type(root(), LVUSD.id, params()),
				Error::StableAssetAsCollateral
			);
			assert_noop!(Vaults::set_collateral_type(root(), 77, params()), Error::UnknownAsset);
			let invalid = [
				CollateralParams { liquidation_ratio: FixedU128::one(), ..params() },
				CollateralParams { stability_fee: FixedU128::from_rational(101, 100), ..params() },
				CollateralParams { debt_ceiling: 0, ..params() },
				CollateralParams { min_debt: LVUSD.units(1_000_001), ..params() },
			];
			for params in invalid {
				assert_noop!(
					Vaults::set_collateral_type(root(), BTC.id, params),
					Error::InvalidParams
				);
			}
			// A liquidation ratio must cover the penalty: 113% with a 13% penalty, not 112%.
			let under_water = CollateralParams {
				liquidation_ratio: FixedU128::from_rational(112, 100),
				..params()
			};
			assert_noop!(
				Vaults::set_collateral_type(root(), BTC.id, under_water),
				Error::InvalidParams
			);
			assert_noop!(
				Vaults::set_global_debt_ceiling(origin(ALICE), LVUSD.units(5_000)),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Vaults::set_collateral_status(root(), BTC.id, CollateralStatus::Paused),
				Error::UnknownCollateralType
			);
			assert_ok!(Vaults::set_collateral_type(root(), BTC.id, params()));
			assert_ok!(Assets::force_create(root(), 9, ALICE, true, 1));
			assert_noop!(
				Vaults::set_collateral_type(root(), 9, params()),
				Error::TooManyCollateralTypes
			);
		});
	}
}

mod runtime_api {
	use super::*;

	#[test]
	fn vaults_types_and_books_are_reported() {
		test(|| {
			alice_mints(3_000);
			let info = Vaults::vault_info(&ALICE, DOT.id).unwrap();
			assert_eq!(info.collateral, DOT.units(1_000));
			assert_eq!(info.debt, LVUSD.units(3_000));
			// $7,500 over 3,000 lvUSD; 3,000 × 1.5 / 1,000 DOT = $4.50.
			assert_eq!(info.collateral_ratio, Some(FixedU128::from_rational(25, 10)));
			assert_eq!(info.liquidation_price, Some(FixedU128::from_rational(45, 10)));
			let types = Vaults::collateral_type_infos();
			let dot = types.iter().find(|info| info.asset == DOT.id).unwrap();
			assert_eq!(dot.total_debt, LVUSD.units(3_000));
			assert_eq!(dot.total_collateral, DOT.units(1_000));
			let books = Vaults::system_info();
			assert_eq!(books.issuance, LVUSD.units(3_000));
			assert_eq!(books.total_debt, LVUSD.units(3_000));
			assert_eq!(books.deficit, 0);
			assert_eq!(books.global_debt_ceiling, LVUSD.units(1_500_000));
			make_stale(DOT);
			assert_eq!(Vaults::vault_info(&ALICE, DOT.id).unwrap().collateral_ratio, None);
			assert_eq!(Vaults::vault_info(&BOB, DOT.id), None);
		});
	}
}

mod shutdown {
	use super::*;

	/// Alice owes 3,000 lvUSD on 1,000 DOT, Bob 1,000 on 1 ETH; Alice gives Charlie 1,000.
	fn vaults_and_holders() {
		alice_mints(3_000);
		assert_ok!(Vaults::open(origin(BOB), ETH.id, ETH.units(1)));
		assert_ok!(Vaults::mint(origin(BOB), ETH.id, LVUSD.units(1_000)));
		assert_ok!(Assets::transfer(origin(ALICE), LVUSD.id, CHARLIE, LVUSD.units(1_000)));
	}

	#[test]
	fn shutdown_settles_vaults_at_frozen_prices_and_lvusd_redeems_pro_rata() {
		test(|| {
			vaults_and_holders();
			assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
			assert_eq!(
				last_event(),
				Event::Shutdown {
					prices: vec![
						(DOT.id, FixedU128::from_rational(750, 100)),
						(ETH.id, FixedU128::from_u32(3_500))
					]
				}
				.into()
			);
			// Prices move afterwards; the frozen ones count.
			set_price(DOT, FixedU128::from_u32(1));
			advance(SECONDS_PER_YEAR);
			assert_noop!(Vaults::fix_redemption(origin(CHARLIE)), Error::VaultsUnsettled);
			assert_noop!(
				Vaults::redeem(origin(CHARLIE), LVUSD.units(1)),
				Error::RedemptionNotFixed
			);

			let alice_dot = balance(DOT, ALICE);
			assert_ok!(Vaults::settle_vault(origin(CHARLIE), DOT.id, ALICE));
			// 3,000 lvUSD at $7.50 takes 400 DOT (and a unit for rounding); 600 go back.
			let taken = DOT.units(400) + 1;
			assert_eq!(balance(DOT, ALICE), alice_dot + DOT.units(1_000) - taken);
			assert_eq!(
				last_event(),
				Event::VaultSettled {
					owner: ALICE,
					asset: DOT.id,
					debt: LVUSD.units(3_000),
					taken,
					returned: DOT.units(1_000) - taken
				}
				.into()
			);
			assert_noop!(Vaults::settle_vault(origin(CHARLIE), DOT.id, ALICE), Error::NoVault);
			assert_ok!(Vaults::settle_vault(origin(CHARLIE), ETH.id, BOB));
			assert_eq!(Vaults::system_info().deficit, LVUSD.units(4_000));

			assert_ok!(Vaults::fix_redemption(origin(CHARLIE)));
			assert_eq!(
				last_event(),
				Event::RedemptionFixed { issuance: LVUSD.units(4_000) }.into()
			);
			assert_noop!(Vaults::fix_redemption(origin(CHARLIE)), Error::RedemptionAlreadyFixed);

			let (dot, eth) = (balance(DOT, CHARLIE), balance(ETH, CHARLIE));
			assert_ok!(Vaults::redeem(origin(CHARLIE), LVUSD.units(1_000)));
			// A quarter of each pool: 100 DOT ($750) and 0.0714 ETH ($250) for 1,000 lvUSD.
			assert_eq!(balance(DOT, CHARLIE) - dot, taken / 4);
			let eth_share = balance(ETH, CHARLIE) - eth;
			assert_eq!(
				eth_share,
				CollateralTypes::<Test>::get(ETH.id).unwrap().redeemable_at_fix / 4
			);
			assert_eq!(eth_share / 1_000_000_000_000, ETH.units(1) / 14 / 1_000_000_000_000);
			assert_ok!(Vaults::redeem(origin(ALICE), LVUSD.units(2_000)));
			assert_ok!(Vaults::redeem(origin(BOB), LVUSD.units(1_000)));
			let books = Vaults::system_info();
			assert_eq!((books.issuance, books.deficit), (0, 0));
			assert!(CollateralTypes::<Test>::get(DOT.id).unwrap().redemption_pool <= 1);
		});
	}

	#[test]
	fn an_underwater_vault_gives_all_its_collateral_and_holders_share_the_loss() {
		test(|| {
			vaults_and_holders();
			set_price(DOT, FixedU128::from_u32(2));
			assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
			assert_ok!(Vaults::settle_vault(origin(ALICE), DOT.id, ALICE));
			assert_eq!(
				CollateralTypes::<Test>::get(DOT.id).unwrap().redemption_pool,
				DOT.units(1_000)
			);
			assert_ok!(Vaults::settle_vault(origin(ALICE), ETH.id, BOB));
			assert_ok!(Vaults::fix_redemption(origin(ALICE)));
			let dot = balance(DOT, CHARLIE);
			assert_ok!(Vaults::redeem(origin(CHARLIE), LVUSD.units(1_000)));
			// $2,000 of DOT backs 3,000 lvUSD: a quarter of the pool, 250 DOT, is $500.
			assert_eq!(balance(DOT, CHARLIE) - dot, DOT.units(250));
		});
	}

	#[test]
	fn after_shutdown_vaults_only_settle() {
		test(|| {
			vaults_and_holders();
			assert_noop!(Vaults::shutdown(origin(ALICE)), DispatchError::BadOrigin);
			make_stale(ETH);
			assert_noop!(Vaults::shutdown(RuntimeOrigin::root()), Error::PriceStale);
			set_price(ETH, FixedU128::from_u32(3_500));
			assert_noop!(Vaults::settle_vault(origin(ALICE), DOT.id, ALICE), Error::NotShutDown);
			assert_noop!(Vaults::fix_redemption(origin(ALICE)), Error::NotShutDown);
			assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
			assert_noop!(Vaults::shutdown(RuntimeOrigin::root()), Error::ShutDown);
			assert_noop!(Vaults::mint(origin(ALICE), DOT.id, LVUSD.units(100)), Error::ShutDown);
			assert_noop!(Vaults::deposit(origin(ALICE), DOT.id, DOT.units(1)), Error::ShutDown);
			assert_noop!(Vaults::repay(origin(ALICE), DOT.id, AmountOrAll::All), Error::ShutDown);
			assert_noop!(Vaults::open(origin(CHARLIE), DOT.id, DOT.units(1)), Error::ShutDown);
			assert_noop!(
				Vaults::set_collateral_type(RuntimeOrigin::root(), BTC.id, params()),
				Error::ShutDown
			);
			assert_noop!(Vaults::settle_vault(origin(ALICE), DOT.id, CHARLIE), Error::NoVault);
			assert_noop!(
				Vaults::settle_vault(RuntimeOrigin::none(), DOT.id, ALICE),
				DispatchError::BadOrigin
			);
			// Fees stop.
			let rate = CollateralTypes::<Test>::get(DOT.id).unwrap().rate;
			advance(SECONDS_PER_YEAR);
			assert_ok!(Vaults::settle_vault(origin(ALICE), DOT.id, ALICE));
			assert_eq!(CollateralTypes::<Test>::get(DOT.id).unwrap().rate, rate);
			assert_ok!(Vaults::settle_vault(origin(ALICE), ETH.id, BOB));
			assert_ok!(Vaults::fix_redemption(origin(ALICE)));
			assert_noop!(Vaults::redeem(origin(CHARLIE), 0), Error::ZeroAmount);
			assert_noop!(
				Vaults::redeem(origin(CHARLIE), LVUSD.units(1_001)),
				TokenError::FundsUnavailable
			);
		});
	}
}

mod liquidation {
	use super::*;
	use lever_primitives::{SeizedVault, VaultLiquidation};

	const KEEPER: u64 = 9;

	/// Seizes up to `at_most` of `owner`'s vault of `asset` for the keeper, as the engine
	/// names it.
	fn seize(
		asset: AssetId,
		owner: &u64,
		at_most: Balance,
	) -> Result<Option<SeizedVault>, DispatchError> {
		let at_most = SeizedVault { debt: at_most, collateral: Balance::MAX };
		<Vaults as VaultLiquidation<u64>>::seize(asset, owner, &KEEPER, |_, _| Ok(at_most))
	}

	#[test]
	fn an_unsafe_vault_is_seized_whole_and_proceeds_cover_the_deficit() {
		test(|| {
			alice_mints(3_000);
			assert_eq!(Vaults::is_unsafe(DOT.id, &ALICE), Ok(false));
			assert_storage_noop!(assert_eq!(seize(DOT.id, &ALICE, Balance::MAX), Ok(None)));
			// DOT at $4: 1,000 DOT are $4,000, under 3,000 lvUSD × 150%.
			set_price(DOT, FixedU128::from_u32(4));
			assert_eq!(Vaults::is_unsafe(DOT.id, &ALICE), Ok(true));
			let seized = seize(DOT.id, &ALICE, Balance::MAX).unwrap().expect("unsafe");
			assert_eq!(
				seized,
				SeizedVault { collateral: DOT.units(1_000), debt: LVUSD.units(3_000) }
			);
			assert_eq!(balance(DOT, KEEPER), DOT.units(1_000));
			assert_eq!(vault(ALICE, DOT), None);
			assert_eq!(Vaults::system_info().deficit, LVUSD.units(3_000));
			assert_eq!(REPORTED.with(|r| r.borrow().get(&(DOT.id, ALICE)).copied()), Some((0, 0)));
			check_invariants();
			// The liquidation's proceeds, here Alice's own 3,000 lvUSD, burn the deficit down.
			assert_eq!(Vaults::cover_deficit(&ALICE, LVUSD.units(2_000)), Ok(LVUSD.units(2_000)));
			assert_eq!(Vaults::system_info().deficit, LVUSD.units(1_000));
			assert_eq!(Vaults::cover_deficit(&ALICE, LVUSD.units(1_000)), Ok(LVUSD.units(1_000)));
			let books = Vaults::system_info();
			assert_eq!((books.issuance, books.deficit, books.surplus), (0, 0, 0));
		});
	}

	#[test]
	fn seizing_needs_a_fresh_price_a_vault_and_a_running_system() {
		test(|| {
			alice_mints(3_000);
			set_price(DOT, FixedU128::from_u32(4));
			make_stale(DOT);
			assert_noop!(seize(DOT.id, &ALICE, Balance::MAX), Error::PriceStale);
			set_price(DOT, FixedU128::from_u32(4));
			assert_noop!(seize(DOT.id, &BOB, Balance::MAX), Error::NoVault);
			assert_noop!(Vaults::cover_deficit(&ALICE, 0), Error::ZeroAmount);
			assert_noop!(Vaults::cover_deficit(&BOB, LVUSD.units(1)), TokenError::FundsUnavailable);
			// Burning with no deficit is all surplus.
			assert_eq!(Vaults::cover_deficit(&ALICE, LVUSD.units(100)), Ok(0));
			assert_eq!(Vaults::system_info().surplus, LVUSD.units(100));
			assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
			assert_noop!(seize(DOT.id, &ALICE, Balance::MAX), Error::ShutDown);
		});
	}

	#[test]
	fn a_partial_liquidation_takes_what_restores_the_target_ratio() {
		test(|| {
			// 1,000 DOT for 4,000 lvUSD; DOT $7.50 → $5.70: $5,700, 142.5%, under 150%.
			alice_mints(4_000);
			set_price(DOT, FixedU128::from_rational(570, 100));
			// x = (1.6 × 4,000 − 5,700) / (1.6 − 1 − 0.13) = 1,489.361702127660 (rounded up).
			let part = Vaults::liquidation_part(DOT.id, &ALICE).unwrap();
			assert_eq!(part, 1_489_361_702_127_660);
			let seized = seize(DOT.id, &ALICE, part).unwrap().expect("unsafe");
			// Worth the part and its 13% at $5.70: 1,682.978723404255 lvUSD, 295.2594251586 DOT.
			assert_eq!(seized, SeizedVault { collateral: 2_952_594_251_586, debt: part });
			let left = vault(ALICE, DOT).expect("the vault stays");
			assert_eq!(left.collateral, DOT.units(1_000) - 2_952_594_251_586);
			assert_eq!(debt(ALICE, DOT), LVUSD.units(4_000) - part);
			// Back at 160.0000000000094%: safe, and no second piece can be taken.
			assert_eq!(Vaults::is_unsafe(DOT.id, &ALICE), Ok(false));
			assert_storage_noop!(assert_eq!(seize(DOT.id, &ALICE, Balance::MAX), Ok(None)));
			assert_noop!(Vaults::liquidation_part(DOT.id, &ALICE), Error::NotUnsafe);
			assert_eq!(Vaults::system_info().deficit, part);
			assert_eq!(
				REPORTED.with(|r| r.borrow().get(&(DOT.id, ALICE)).copied()),
				Some((left.collateral, left.normalized_debt))
			);
			check_invariants();
		});
	}

	#[test]
	fn the_engine_sees_the_vault_and_what_any_amount_takes_before_anything_moves() {
		test(|| {
			alice_mints(4_000);
			set_price(DOT, FixedU128::from_rational(570, 100));
			// An engine that names nothing it can take, or fails, changes nothing.
			assert_noop!(
				<Vaults as VaultLiquidation<u64>>::seize(DOT.id, &ALICE, &KEEPER, |_, _| {
					Ok(SeizedVault { debt: 0, collateral: Balance::MAX })
				}),
				Error::NothingToSeize
			);
			let refused = DispatchError::Other("no route");
			assert_noop!(
				<Vaults as VaultLiquidation<u64>>::seize(DOT.id, &ALICE, &KEEPER, |_, _| Err(
					refused
				)),
				refused
			);
			let mut shown = None;
			let seized = <Vaults as VaultLiquidation<u64>>::seize(
				DOT.id,
				&ALICE,
				&KEEPER,
				|found, preview| {
					shown = Some((*found, preview(LVUSD.units(1_000))?, preview(Balance::MAX)?));
					Ok(SeizedVault { debt: LVUSD.units(1_000), collateral: Balance::MAX })
				},
			)
			.unwrap()
			.expect("unsafe");
			let (found, thousand, all) = shown.expect("shown");
			assert_eq!(
				(found.collateral, found.value, found.debt, found.part),
				(DOT.units(1_000), LVUSD.units(5_700), LVUSD.units(4_000), 1_489_361_702_127_660)
			);
			assert_eq!(found.risk.price, FixedU128::from_rational(570, 100));
			// 1,000 lvUSD of a partial liquidation take collateral worth 1,130 lvUSD at $5.70.
			assert_eq!(
				thousand,
				SeizedVault { collateral: 1_982_456_140_350, debt: LVUSD.units(1_000) }
			);
			assert_eq!(seized, thousand);
			// All of the debt takes all of the collateral.
			assert_eq!(all, SeizedVault { collateral: DOT.units(1_000), debt: LVUSD.units(4_000) });
			assert_eq!(debt(ALICE, DOT), LVUSD.units(3_000));
			// 801.75 DOT ($4,570) left for 3,000 lvUSD: 152%, safe again.
			assert_storage_noop!(assert_eq!(seize(DOT.id, &ALICE, Balance::MAX), Ok(None)));
			check_invariants();
		});
	}

	#[test]
	fn the_engine_may_take_less_collateral_and_the_vault_keeps_the_rest() {
		let seize_with = |collateral: Balance| {
			let at_most = SeizedVault { debt: Balance::MAX, collateral };
			<Vaults as VaultLiquidation<u64>>::seize(DOT.id, &ALICE, &KEEPER, |_, _| Ok(at_most))
		};
		test(|| {
			// $3.50: 1,000 DOT ($3,500) for 3,000 lvUSD, 116.7%: taken whole.
			alice_mints(3_000);
			set_price(DOT, FixedU128::from_rational(350, 100));
			let seized = seize_with(DOT.units(900)).unwrap().expect("unsafe");
			assert_eq!(
				seized,
				SeizedVault { collateral: DOT.units(900), debt: LVUSD.units(3_000) }
			);
			// The vault owes nothing and keeps the 100 DOT the engine did not need.
			assert_eq!(
				vault(ALICE, DOT),
				Some(Vault { collateral: DOT.units(100), normalized_debt: 0 })
			);
			assert_eq!(
				REPORTED.with(|r| r.borrow().get(&(DOT.id, ALICE)).copied()),
				Some((DOT.units(100), 0))
			);
			check_invariants();
		});
		test(|| {
			// Leaving less than DOT's minimum balance, it takes it all and the vault is gone.
			alice_mints(3_000);
			set_price(DOT, FixedU128::from_rational(350, 100));
			let seized =
				seize_with(DOT.units(1_000) - DOT.min_balance + 1).unwrap().expect("unsafe");
			assert_eq!(seized.collateral, DOT.units(1_000));
			assert_eq!(vault(ALICE, DOT), None);
			check_invariants();
		});
	}

	#[test]
	fn vaults_below_the_whole_liquidation_ratio_or_the_minimum_debt_are_taken_whole() {
		test(|| {
			alice_mints(4_000);
			// $4.70: 117.5%, under 120%.
			set_price(DOT, FixedU128::from_rational(470, 100));
			assert_eq!(Vaults::liquidation_part(DOT.id, &ALICE), Ok(LVUSD.units(4_000)));
			// $5.70 but a 3,000 lvUSD minimum debt: the part (1,489.36) would leave 2,510.64.
			let strict = CollateralParams { min_debt: LVUSD.units(3_000), ..params() };
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, strict));
			set_price(DOT, FixedU128::from_rational(570, 100));
			assert_eq!(Vaults::liquidation_part(DOT.id, &ALICE), Ok(LVUSD.units(4_000)));
			// Asked for less, seizing leaves exactly the minimum debt rather than less.
			let seized = seize(DOT.id, &ALICE, LVUSD.units(1_500)).unwrap().expect("unsafe");
			assert_eq!(seized.debt, LVUSD.units(1_000));
			assert_eq!(debt(ALICE, DOT), LVUSD.units(3_000));
			assert_noop!(seize(DOT.id, &ALICE, LVUSD.units(500)), Error::NothingToSeize);
			// A part is never below the minimum debt: at 149% the rule's part is 702.13 lvUSD of
			// the 3,000 left, under a 1,000 lvUSD minimum, so 1,000 it is.
			let floor = CollateralParams { min_debt: LVUSD.units(1_000), ..params() };
			assert_ok!(Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, floor));
			let left = vault(ALICE, DOT).unwrap();
			let price = FixedU128::from_rational(3_000 * 149, 100)
				/ FixedU128::from_rational(left.collateral, DOT.units(1));
			set_price(DOT, price);
			assert_eq!(Vaults::liquidation_part(DOT.id, &ALICE), Ok(LVUSD.units(1_000)));
			check_invariants();
		});
	}

	#[test]
	fn invalid_partial_liquidation_parameters_are_refused() {
		test(|| {
			let cases = [
				CollateralParams { target_ratio: FixedU128::from_rational(150, 100), ..params() },
				CollateralParams {
					whole_liquidation_ratio: FixedU128::from_rational(151, 100),
					..params()
				},
				CollateralParams {
					whole_liquidation_ratio: FixedU128::from_rational(99, 100),
					..params()
				},
			];
			for params in cases {
				assert_noop!(
					Vaults::set_collateral_type(RuntimeOrigin::root(), DOT.id, params),
					Error::InvalidParams
				);
			}
		});
	}
}

mod migrations {
	use super::*;
	use crate::migrations::v1::{write_v0_layout, MigrateV0ToV1};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	/// Storage version 0 kept the pallet's storage under the prefix of its old name, `Cdp`; the
	/// migration to version 1 moves every key to the pallet's name as it is, and runs once.
	#[test]
	fn the_version_1_migration_moves_the_storage_to_the_pallets_name() {
		test(|| {
			alice_mints(1_000);
			let alices = vault(ALICE, DOT);
			let types: Vec<_> = CollateralTypes::<Test>::iter().collect();
			let ceiling = GlobalDebtCeiling::<Test>::get();

			write_v0_layout::<Test>();
			assert_eq!(crate::Vaults::<Test>::iter().count(), 0);
			assert_eq!(CollateralTypes::<Test>::iter().count(), 0);
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(1));
			assert_eq!(vault(ALICE, DOT), alices);
			assert_eq!(CollateralTypes::<Test>::iter().collect::<Vec<_>>(), types);
			assert_eq!(GlobalDebtCeiling::<Test>::get(), ceiling);
			assert_eq!(debt(ALICE, DOT), LVUSD.units(1_000));
			// Once only: at version 1 it does nothing.
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(vault(ALICE, DOT), alices);
		});
	}
}

mod savings {
	use super::*;
	use lever_primitives::compounded_yearly;
	use sp_runtime::FixedPointNumber;

	fn savings(who: u64) -> Balance {
		Vaults::savings_of(&who)
	}

	fn set_rate(percent: u128) {
		assert_ok!(Vaults::set_savings_rate(
			RuntimeOrigin::root(),
			FixedU128::from_rational(percent, 100)
		));
	}

	/// The DOT type's fees accrue into surplus: Alice deposits a unit of DOT, which accrues it.
	fn book_the_fees() {
		assert_ok!(Vaults::deposit(origin(ALICE), DOT.id, DOT.units(1)));
	}

	#[test]
	fn a_year_at_four_percent_pays_the_compounded_rate_out_of_surplus() {
		test(|| {
			alice_mints(3_000);
			set_rate(4);
			assert_ok!(Vaults::save(origin(ALICE), LVUSD.units(1_000)));
			assert_eq!(savings(ALICE), LVUSD.units(1_000));
			advance(SECONDS_PER_YEAR);
			book_the_fees();
			let surplus = Surplus::<Test>::get();
			// 5% a year on 3,000 lvUSD: 153.81 lvUSD of fees.
			assert!(surplus > LVUSD.units(153) && surplus < LVUSD.units(154));

			// (1 + 0.04 / 31,536,000)^31,536,000 − 1 = 4.0811%: 40.81 lvUSD on 1,000.
			let expected = LVUSD.units(1_000)
				+ compounded_yearly(FixedU128::from_rational(4, 100))
					.saturating_mul_int(LVUSD.units(1_000));
			assert_close(
				FixedU128::from_inner(savings(ALICE)),
				FixedU128::from_inner(expected),
				FixedU128::from_rational(1, 1_000_000_000),
			);
			let before = balance(LVUSD, ALICE);
			assert_ok!(Vaults::withdraw_savings(origin(ALICE), AmountOrAll::All));
			let withdrawn = balance(LVUSD, ALICE) - before;
			assert_close(
				FixedU128::from_inner(withdrawn),
				FixedU128::from_inner(expected),
				FixedU128::from_rational(1, 1_000_000_000),
			);
			// The interest came out of surplus, to the unit it was rounded up to.
			let paid = withdrawn - LVUSD.units(1_000);
			assert!(surplus - Surplus::<Test>::get() >= paid);
			assert!(surplus - Surplus::<Test>::get() <= paid + 1);
			assert_eq!(crate::Savings::<Test>::get(ALICE), 0);
			assert_eq!(Pot::<Test>::get().shares, 0);
		});
	}

	#[test]
	fn interest_never_exceeds_the_surplus_over_the_deficit() {
		test(|| {
			alice_mints(3_000);
			set_rate(20);
			assert_ok!(Vaults::save(origin(ALICE), LVUSD.units(2_000)));
			advance(SECONDS_PER_YEAR);
			book_the_fees();
			let surplus = Surplus::<Test>::get();
			// 20% on 2,000 lvUSD would be 442.81 lvUSD; the surplus holds 153.81.
			assert!(surplus < LVUSD.units(154));
			assert_ok!(Vaults::save(origin(ALICE), LVUSD.units(1)));
			assert!(Surplus::<Test>::get() <= 1);
			assert!(savings(ALICE) + 3 >= LVUSD.units(2_001) + surplus);
			assert!(savings(ALICE) <= LVUSD.units(2_001) + surplus);

			// A year later with no new surplus, nothing more is paid, nor owed later.
			let index = Pot::<Test>::get().index;
			advance(SECONDS_PER_YEAR);
			assert_ok!(Vaults::save(origin(ALICE), LVUSD.units(1)));
			assert_eq!(Pot::<Test>::get().index, index);
		});
	}

	#[test]
	fn after_the_shutdown_no_interest_is_paid_and_savers_withdraw() {
		test(|| {
			alice_mints(3_000);
			set_rate(4);
			assert_ok!(Vaults::save(origin(ALICE), LVUSD.units(1_000)));
			advance(SECONDS_PER_YEAR);
			book_the_fees();
			assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
			let at_shutdown = savings(ALICE);
			assert!(at_shutdown > LVUSD.units(1_040));
			advance(SECONDS_PER_YEAR);
			assert_eq!(savings(ALICE), at_shutdown);
			let before = balance(LVUSD, ALICE);
			assert_ok!(Vaults::withdraw_savings(origin(ALICE), AmountOrAll::All));
			assert_eq!(balance(LVUSD, ALICE) - before, at_shutdown);
		});
	}

	#[test]
	fn savers_share_the_interest_by_their_shares() {
		test(|| {
			alice_mints(3_000);
			assert_ok!(Assets::transfer(origin(ALICE), LVUSD.id, BOB, LVUSD.units(1_000)));
			set_rate(5);
			assert_ok!(Vaults::save(origin(ALICE), LVUSD.units(1_000)));
			advance(SECONDS_PER_YEAR / 2);
			book_the_fees();
			// Bob joins half way: his 1,000 buy fewer shares at the grown index.
			assert_ok!(Vaults::save(origin(BOB), LVUSD.units(1_000)));
			assert!(crate::Savings::<Test>::get(BOB) < crate::Savings::<Test>::get(ALICE));
			advance(SECONDS_PER_YEAR / 2);
			book_the_fees();
			// Alice earns a year, Bob half of one: 5.127% and 2.532%.
			let alice = savings(ALICE);
			let bob = savings(BOB);
			assert!(alice > LVUSD.units(1_051) && alice < LVUSD.units(1_052), "{alice}");
			assert!(bob > LVUSD.units(1_025) && bob < LVUSD.units(1_026), "{bob}");
			// Each takes out what it was shown; the last out takes the pot's crumbs too.
			let before = balance(LVUSD, BOB);
			assert_ok!(Vaults::withdraw_savings(origin(BOB), AmountOrAll::All));
			assert_eq!(balance(LVUSD, BOB) - before, bob);
			let before = balance(LVUSD, ALICE);
			assert_ok!(Vaults::withdraw_savings(origin(ALICE), AmountOrAll::All));
			assert!(balance(LVUSD, ALICE) - before >= alice);
			assert_eq!(balance(LVUSD, Vaults::savings_account()), 0);
		});
	}

	#[test]
	fn bad_savings_calls_change_nothing() {
		test(|| {
			alice_mints(3_000);
			assert_noop!(Vaults::save(origin(ALICE), 0), Error::ZeroAmount);
			assert_noop!(Vaults::save(origin(ALICE), LVUSD.units(1) - 1), Error::SavingsDust);
			assert_noop!(Vaults::save(origin(ALICE), u128::MAX), TokenError::FundsUnavailable);
			assert_noop!(Vaults::save(origin(BOB), LVUSD.units(10)), TokenError::FundsUnavailable);
			assert_noop!(
				Vaults::withdraw_savings(origin(ALICE), AmountOrAll::All),
				Error::NoSavings
			);
			assert_ok!(Vaults::save(origin(ALICE), LVUSD.units(10)));
			assert_noop!(
				Vaults::withdraw_savings(origin(ALICE), AmountOrAll::Amount(0)),
				Error::ZeroAmount
			);
			assert_noop!(
				Vaults::withdraw_savings(origin(ALICE), AmountOrAll::Amount(LVUSD.units(11))),
				Error::InsufficientSavings
			);
			assert_noop!(
				Vaults::withdraw_savings(origin(ALICE), AmountOrAll::Amount(u128::MAX)),
				Error::InsufficientSavings
			);
			assert_noop!(
				Vaults::withdraw_savings(origin(ALICE), AmountOrAll::Amount(LVUSD.units(9) + 1)),
				Error::SavingsDust
			);
			assert_ok!(Vaults::withdraw_savings(
				origin(ALICE),
				AmountOrAll::Amount(LVUSD.units(9))
			));
			assert_eq!(savings(ALICE), LVUSD.units(1));
		});
	}

	#[test]
	fn the_savings_rate_is_governance_s_and_the_council_may_only_lower_it() {
		test(|| {
			let council = || RuntimeOrigin::signed(RISK_COUNCIL);
			let rate = |percent| FixedU128::from_rational(percent, 100);
			assert_noop!(Vaults::set_savings_rate(origin(BOB), rate(1)), DispatchError::BadOrigin);
			assert_noop!(
				Vaults::set_savings_rate(RuntimeOrigin::root(), rate(21)),
				Error::InvalidSavingsRate
			);
			assert_noop!(Vaults::set_savings_rate(council(), rate(1)), Error::RiskIncreasing);
			assert_ok!(Vaults::set_savings_rate(RuntimeOrigin::root(), rate(20)));
			assert_eq!(last_event(), Event::SavingsRateSet { rate: rate(20) }.into());
			assert_ok!(Vaults::set_savings_rate(council(), rate(2)));
			assert_eq!(Pot::<Test>::get().rate, rate(2));
		});
	}
}
