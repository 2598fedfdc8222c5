//! Property tests: random sequences of every vault call, lvUSD transfers, savings, savings-rate
//! changes, price moves, time and an emergency shutdown with settlement and redemption, by
//! several accounts. After every step the invariants (the books above all, and the savings
//! pot's solvency) hold, and a call that fails leaves the storage root unchanged; at the end
//! every saver can take all its savings out.

use crate::{mock::*, *};
// The runtime pallet, not the storage map of the same name.
use crate::mock::Vaults;
use lever_primitives::VaultLiquidation;
use lever_test_support::Amount;
use proptest::prelude::*;
use sp_runtime::{
	traits::Saturating, DispatchError, DispatchResult, FixedPointNumber, FixedU128, StateVersion,
};

/// The collateral types the sequences use.
const TYPES: [TestAsset; 2] = [DOT, ETH];
/// The accounts that act.
const USERS: [u64; 3] = [ALICE, BOB, CHARLIE];

/// One step of a sequence.
#[derive(Clone, Debug)]
enum Step {
	Open {
		who: usize,
		kind: usize,
		amount: Amount,
	},
	Deposit {
		who: usize,
		kind: usize,
		amount: Amount,
	},
	Withdraw {
		who: usize,
		kind: usize,
		amount: Option<Amount>,
	},
	/// Mints this percentage of what the vault could carry at the liquidation ratio.
	Mint {
		who: usize,
		kind: usize,
		percent: u32,
	},
	Repay {
		who: usize,
		kind: usize,
		amount: Option<Amount>,
	},
	Close {
		who: usize,
		kind: usize,
	},
	/// Sends this percentage of the sender's lvUSD to another user.
	Send {
		from: usize,
		to: usize,
		percent: u32,
	},
	/// Moves a price by this many percent (from −40 to +40).
	MovePrice {
		kind: usize,
		percent: i32,
	},
	/// Lets this many seconds pass.
	Advance {
		seconds: u64,
	},
	/// The liquidation engine takes up to this percentage of the part of the vault one
	/// liquidation takes, as it does when the backstop or the auction room bounds a piece.
	Liquidate {
		owner: usize,
		kind: usize,
		percent: u32,
	},
	/// Governance shuts the system down.
	Shutdown,
	/// Someone settles a vault after the shutdown.
	Settle {
		by: usize,
		owner: usize,
		kind: usize,
	},
	/// A keeper settles every vault, one call each.
	SettleAll,
	/// Someone fixes redemption.
	Fix {
		by: usize,
	},
	/// A holder redeems this percentage of its lvUSD.
	Redeem {
		who: usize,
		percent: u32,
	},
	/// Puts this percentage of the user's lvUSD in the savings pot.
	Save {
		who: usize,
		percent: u32,
	},
	/// Takes savings out: an amount, or all.
	WithdrawSavings {
		who: usize,
		amount: Option<Amount>,
	},
	/// Governance sets the savings rate to this many percent a year (above the maximum at 21+).
	SetSavingsRate {
		percent: u32,
	},
}

/// Ordinary amounts up to 1,000 tokens, and edge values.
fn amount() -> impl Strategy<Value = Amount> {
	lever_test_support::amount(100_000)
}

fn step() -> impl Strategy<Value = Step> {
	let who = 0..USERS.len();
	let kind = 0..TYPES.len();
	prop_oneof![
		3 => (who.clone(), kind.clone(), amount())
			.prop_map(|(who, kind, amount)| Step::Open { who, kind, amount }),
		2 => (who.clone(), kind.clone(), amount())
			.prop_map(|(who, kind, amount)| Step::Deposit { who, kind, amount }),
		2 => (who.clone(), kind.clone(), proptest::option::of(amount()))
			.prop_map(|(who, kind, amount)| Step::Withdraw { who, kind, amount }),
		4 => (who.clone(), kind.clone(), 1u32..=100)
			.prop_map(|(who, kind, percent)| Step::Mint { who, kind, percent }),
		2 => (who.clone(), kind.clone(), proptest::option::of(amount()))
			.prop_map(|(who, kind, amount)| Step::Repay { who, kind, amount }),
		1 => (who.clone(), kind.clone()).prop_map(|(who, kind)| Step::Close { who, kind }),
		1 => (who.clone(), who.clone(), 1u32..=100)
			.prop_map(|(from, to, percent)| Step::Send { from, to, percent }),
		2 => (kind.clone(), -40i32..=40).prop_map(|(kind, percent)| Step::MovePrice { kind, percent }),
		2 => (1u64..=60 * 86_400).prop_map(|seconds| Step::Advance { seconds }),
		3 => (who.clone(), kind.clone(), prop_oneof![1 => 1u32..100, 1 => Just(100u32)])
			.prop_map(|(owner, kind, percent)| Step::Liquidate { owner, kind, percent }),
		1 => Just(Step::Shutdown),
		3 => (who.clone(), who.clone(), kind.clone())
			.prop_map(|(by, owner, kind)| Step::Settle { by, owner, kind }),
		1 => Just(Step::SettleAll),
		1 => who.clone().prop_map(|by| Step::Fix { by }),
		2 => (who.clone(), 1u32..=100).prop_map(|(who, percent)| Step::Redeem { who, percent }),
		3 => (who.clone(), 1u32..=100).prop_map(|(who, percent)| Step::Save { who, percent }),
		2 => (who.clone(), proptest::option::of(amount()))
			.prop_map(|(who, amount)| Step::WithdrawSavings { who, amount }),
		1 => (0u32..=25).prop_map(|percent| Step::SetSavingsRate { percent }),
	]
}

/// The root of the whole state.
fn storage_root() -> Vec<u8> {
	sp_io::storage::root(StateVersion::V1)
}

fn or_all(amount: Option<Amount>, asset: TestAsset) -> AmountOrAll {
	amount.map_or(AmountOrAll::All, |amount| AmountOrAll::Amount(amount.units(asset)))
}

/// `percent` of the lvUSD the vault could still mint at its liquidation ratio.
fn share_of_headroom(who: u64, asset: TestAsset, percent: u32) -> Balance {
	let Some(info) = Vaults::vault_info(&who, asset.id) else { return 0 };
	let value =
		lever_primitives::usd_value(info.collateral, asset.decimals, TestPrices::price_of(asset))
			.unwrap_or_default();
	let capacity = value / params().liquidation_ratio;
	let capacity = capacity.saturating_mul_int(LVUSD.units(1));
	capacity.saturating_sub(info.debt).saturating_mul(u128::from(percent)) / 100
}

/// Who receives seized collateral.
const ENGINE: u64 = 9;

/// What the vault's collateral is worth in lvUSD units at the current price, and its debt.
fn worth_and_debt(owner: u64, asset: TestAsset) -> Option<(Balance, Balance)> {
	let info = Vaults::vault_info(&owner, asset.id)?;
	let price = TestPrices::price_of(asset);
	let stable = (LVUSD.decimals, FixedU128::from_u32(1));
	let worth = lever_primitives::convert(
		info.collateral,
		(asset.decimals, price),
		stable,
		sp_runtime::Rounding::Down,
	)
	.ok()?;
	Some((worth, info.debt))
}

/// Takes `percent` of the vault's liquidation part, as the engine does, and checks the rule:
/// a vault is left with nothing or at least the minimum debt; given its whole part it is left
/// at or above the target ratio; in a partial liquidation the collateral taken is worth at most
/// the debt taken with the penalty (the owner loses no more than the penalty on the part).
fn liquidate(owner: u64, asset: TestAsset, percent: u32) -> DispatchResult {
	let part = Vaults::liquidation_part(asset.id, &owner)?;
	let at_most = lever_primitives::mul_div(part, percent.into(), 100, sp_runtime::Rounding::Up)
		.map_err(DispatchError::from)?;
	let (worth, _) = worth_and_debt(owner, asset).expect("an unsafe vault exists");
	let info = Vaults::vault_info(&owner, asset.id).expect("an unsafe vault exists");
	let mut previewed = None;
	let seized = Vaults::seize(asset.id, &owner, &ENGINE, |_, preview| {
		previewed = Some(preview(at_most)?);
		Ok(lever_primitives::SeizedVault { debt: at_most, collateral: Balance::MAX })
	})?
	.ok_or(Error::<Test>::NotUnsafe)?;
	assert_eq!(previewed, Some(seized), "what the engine was shown is what was taken");
	assert!(seized.debt <= at_most.max(part), "{seized:?} beyond {at_most} of {part}");
	let params = CollateralTypes::<Test>::get(asset.id).expect("a type").params;
	let taken_worth = lever_primitives::mul_div(
		worth,
		seized.collateral,
		info.collateral,
		sp_runtime::Rounding::Down,
	)
	.expect("no overflow");
	// A partial piece costs the owner the penalty on it and no more; a whole liquidation's
	// pieces take the vault's share, and the engine returns what the debt did not need.
	if part < info.debt {
		let with_penalty = seized.debt + params.liquidation_penalty.mul_ceil(seized.debt);
		assert!(taken_worth <= with_penalty + 1, "{taken_worth} for {with_penalty}");
	}
	if let Some((worth, debt)) = worth_and_debt(owner, asset) {
		assert!(debt >= params.min_debt, "{debt} left, under the minimum");
		if at_most >= part {
			// The worth is rounded down to lvUSD units, or to whole collateral units' worth
			// where lvUSD has more decimals; the debt taken to one normalized unit.
			let granularity = 10u128.pow(LVUSD.decimals.saturating_sub(asset.decimals).into());
			let needed = params.target_ratio.saturating_mul_int(debt);
			assert!(worth + granularity + 2 >= needed, "{worth} left for {debt}: under the target");
		}
	}
	Ok(())
}

/// Runs one step: the invariants hold after it, and a failure leaves the storage root as it was.
fn run(step: &Step) {
	if let Step::SettleAll = step {
		for by in 0..USERS.len() {
			for kind in 0..TYPES.len() {
				run(&Step::Settle { by, owner: by, kind });
			}
		}
		return;
	}
	let root_before = storage_root();
	let signed = |who: usize| RuntimeOrigin::signed(USERS[who]);
	let result = match *step {
		Step::Open { who, kind, amount } => {
			Vaults::open(signed(who), TYPES[kind].id, amount.units(TYPES[kind]))
		},
		Step::Deposit { who, kind, amount } => {
			Vaults::deposit(signed(who), TYPES[kind].id, amount.units(TYPES[kind]))
		},
		Step::Withdraw { who, kind, amount } => {
			Vaults::withdraw(signed(who), TYPES[kind].id, or_all(amount, TYPES[kind]))
		},
		Step::Mint { who, kind, percent } => {
			let amount = share_of_headroom(USERS[who], TYPES[kind], percent);
			Vaults::mint(signed(who), TYPES[kind].id, amount)
		},
		Step::Repay { who, kind, amount } => {
			Vaults::repay(signed(who), TYPES[kind].id, or_all(amount, LVUSD))
		},
		Step::Close { who, kind } => Vaults::close(signed(who), TYPES[kind].id),
		Step::Send { from, to, percent } => {
			let amount =
				Assets::balance(LVUSD.id, USERS[from]).saturating_mul(percent.into()) / 100;
			Assets::transfer_keep_alive(signed(from), LVUSD.id, USERS[to], amount)
		},
		Step::MovePrice { kind, percent } => {
			let asset = TYPES[kind];
			let factor = FixedU128::from_rational((100 + percent) as u128, 100);
			set_price(asset, TestPrices::price_of(asset).saturating_mul(factor));
			Ok(())
		},
		Step::Advance { seconds } => {
			advance(seconds);
			Ok(())
		},
		Step::Liquidate { owner, kind, percent } => liquidate(USERS[owner], TYPES[kind], percent),
		Step::Shutdown => Vaults::shutdown(RuntimeOrigin::root()),
		Step::Settle { by, owner, kind } => {
			Vaults::settle_vault(signed(by), TYPES[kind].id, USERS[owner])
		},
		Step::Fix { by } => Vaults::fix_redemption(signed(by)),
		Step::SettleAll => Ok(()),
		Step::Redeem { who, percent } => {
			let amount = Assets::balance(LVUSD.id, USERS[who]).saturating_mul(percent.into()) / 100;
			Vaults::redeem(signed(who), amount)
		},
		Step::Save { who, percent } => {
			let amount = Assets::balance(LVUSD.id, USERS[who]).saturating_mul(percent.into()) / 100;
			Vaults::save(signed(who), amount)
		},
		Step::WithdrawSavings { who, amount } => {
			Vaults::withdraw_savings(signed(who), or_all(amount, LVUSD))
		},
		Step::SetSavingsRate { percent } => Vaults::set_savings_rate(
			RuntimeOrigin::root(),
			FixedU128::from_rational(percent.into(), 100),
		),
	};
	if result.is_err() {
		assert_eq!(storage_root(), root_before, "{step:?} failed but changed storage");
	}
	check_invariants();
}

/// Every user opens a DOT vault with 1,000 DOT and mints 1,000 lvUSD, so repayments, transfers
/// and redemptions have lvUSD from the first step.
fn open_vaults() {
	for who in USERS {
		Vaults::open(RuntimeOrigin::signed(who), DOT.id, DOT.units(1_000)).expect("opening vaults");
		Vaults::mint(RuntimeOrigin::signed(who), DOT.id, LVUSD.units(1_000)).expect("minting");
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	#[test]
	fn random_sequences_keep_the_books_and_invariants(steps in proptest::collection::vec(step(), 1..80)) {
		new_test_ext().execute_with(|| {
			open_vaults();
			for step in &steps {
				run(step);
			}
			// Liveness: whatever happened, every saver takes all its savings out.
			for who in USERS {
				if crate::Savings::<Test>::contains_key(who) {
					let expected = Vaults::savings_of(&who);
					let before = Assets::balance(LVUSD.id, who);
					Vaults::withdraw_savings(RuntimeOrigin::signed(who), AmountOrAll::All)
						.expect("a saver can always withdraw all");
					prop_assert!(Assets::balance(LVUSD.id, who) - before >= expected);
				}
			}
			check_invariants();
			Ok(())
		})?;
	}
}
