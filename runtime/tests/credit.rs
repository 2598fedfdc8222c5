//! The credit score on the development genesis, whose policy counts a loan held 30 seconds and
//! gives a score of 100 two more points of collateral factor: Bob repays a loan in full, his
//! score rises to 100 and ETH lends him 77% of its value instead of 75%, up to the $1,000 he
//! proved; a liquidation of his vault resets it. Every pallet's invariants hold at the end.

mod common;

use common::{account, dev_chain, set_price, signed};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use lever_runtime::{
	configs::vaults::LVUSD_UNIT,
	genesis::{
		dev_assets::{TestAsset, BTC, DOT, ETH, USDC},
		lending::TEST_MIN_LOAN_AGE_MS,
	},
	AccountId, Lending, Liquidation, Runtime, RuntimeEvent, RuntimeOrigin, System, Vaults,
};
use pallet_lending::{AmountOrAll, Error};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{FixedU128, Permill};

const START: u64 = 1_700_000_000_000;

/// Moves the clock to `at` and feeds every test asset at its reference price.
fn at(moment: u64) {
	pallet_timestamp::Now::<Runtime>::put(moment);
	for asset in [BTC, DOT, ETH, USDC] {
		set_price(asset, u128::from(asset.reference_cents));
	}
}

fn units(asset: TestAsset, tokens: u128) -> u128 {
	asset.unit() * tokens
}

/// The first block at [`START`]: Charlie lends 100,000 USDC (and 1 ETH, the ETH market's seed)
/// and Bob supplies 10 ETH at $3,500 ($35,000, borrow limit 75% = $26,250). Returns Bob.
fn bob_supplies_eth() -> AccountId {
	System::set_block_number(1);
	at(START);
	let bob = account(Sr25519Keyring::Bob);
	let charlie = account(Sr25519Keyring::Charlie);
	assert_ok!(Lending::supply(signed(&charlie), USDC.id, units(USDC, 100_000)));
	assert_ok!(Lending::supply(signed(&charlie), ETH.id, units(ETH, 1)));
	assert_ok!(Lending::supply(signed(&bob), ETH.id, units(ETH, 10)));
	bob
}

#[test]
fn repaying_a_loan_raises_the_score_and_the_collateral_factor() {
	let (mut ext, _pool) = dev_chain();
	ext.execute_with(|| {
		let bob = bob_supplies_eth();
		assert_noop!(
			Lending::borrow(signed(&bob), USDC.id, units(USDC, 26_900)),
			Error::<Runtime>::InsufficientCollateral
		);
		assert_eq!(Lending::credit_info(&bob).score, 0);

		assert_ok!(Lending::borrow(signed(&bob), USDC.id, units(USDC, 1_000)));
		at(START + TEST_MIN_LOAN_AGE_MS + 1_000);
		System::reset_events();
		assert_ok!(Lending::repay(signed(&bob), USDC.id, AmountOrAll::All));
		let counted = System::events().iter().any(|record| {
			matches!(
				&record.event,
				RuntimeEvent::Lending(pallet_lending::Event::LoanRepaidInFull {
					who, repaid: 1, score: 100, ..
				}) if *who == bob
			)
		});
		assert!(counted, "the loan counted");

		let credit = Lending::credit_info(&bob);
		assert_eq!(credit.score, 100);
		assert_eq!(credit.bonus, Permill::from_percent(2));
		assert_eq!(credit.proven, FixedU128::from_u32(1_000));
		assert_eq!(credit.min_loan_age, TEST_MIN_LOAN_AGE_MS);
		// 77% of $35,000 = $26,950: $700 more, under the $1,000 proven. The liquidation limit
		// (82%) is the same as without credit.
		let liquidity = Lending::account_liquidity(&bob).expect("fresh prices");
		assert_eq!(liquidity.borrow_limit, FixedU128::from_u32(26_950));
		assert_eq!(liquidity.liquidation_limit, FixedU128::from_u32(28_700));
		assert_ok!(Lending::borrow(signed(&bob), USDC.id, units(USDC, 26_900)));
		assert_noop!(
			Lending::borrow(signed(&bob), USDC.id, units(USDC, 100)),
			Error::<Runtime>::InsufficientCollateral
		);
		lever_runtime::invariants::check_invariants().expect("every pallet's invariants hold");
	});
}

/// What a vault's liquidation tells of its owner counts as a liquidation in the pools does: Bob,
/// with a score of 100 from a loan repaid, opens a DOT vault of 1,000 DOT ($7,500) owing 4,900
/// lvUSD (153%); DOT falls to $7 (143%, under 150%) and the engine liquidates the vault in the
/// next block's `on_initialize`, with no call: his credit record starts afresh, score 0.
#[test]
fn a_vault_liquidation_resets_the_owners_score() {
	let (mut ext, _pool) = dev_chain();
	ext.execute_with(|| {
		let bob = bob_supplies_eth();
		assert_ok!(Lending::borrow(signed(&bob), USDC.id, units(USDC, 1_000)));
		let repaid_at = START + TEST_MIN_LOAN_AGE_MS + 1_000;
		at(repaid_at);
		assert_ok!(Lending::repay(signed(&bob), USDC.id, AmountOrAll::All));
		assert_eq!(Lending::credit_info(&bob).score, 100);

		assert_ok!(Vaults::open(signed(&bob), DOT.id, units(DOT, 1_000)));
		assert_ok!(Vaults::mint(signed(&bob), DOT.id, 4_900 * LVUSD_UNIT));
		System::set_block_number(2);
		at(repaid_at + 6_000);
		set_price(DOT, 700);
		System::reset_events();
		Liquidation::on_initialize(2);
		let liquidated = System::events().iter().any(|record| {
			matches!(
				&record.event,
				RuntimeEvent::Liquidation(pallet_liquidation::Event::VaultLiquidated {
					owner, ..
				}) if *owner == bob
			)
		});
		assert!(liquidated, "the engine liquidated Bob's vault");
		let reset = RuntimeEvent::Lending(pallet_lending::Event::CreditReset { who: bob.clone() });
		assert!(System::events().iter().any(|record| record.event == reset));
		let credit = Lending::credit_info(&bob);
		assert_eq!(
			(credit.score, credit.bonus, credit.proven),
			(0, Permill::zero(), FixedU128::from_u32(0))
		);
		assert_eq!(credit.record.map(|record| record.since), Some(repaid_at + 6_000));
		lever_runtime::invariants::check_invariants().expect("every pallet's invariants hold");
	});
}

/// Governance may set a new policy; the risk council and users may not.
#[test]
fn only_governance_sets_the_credit_policy() {
	let (mut ext, _pool) = dev_chain();
	ext.execute_with(|| {
		let policy = Lending::credit_policy();
		let bob = account(Sr25519Keyring::Bob);
		assert_noop!(
			Lending::set_credit_policy(signed(&bob), policy.clone()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Lending::set_credit_policy(RuntimeOrigin::root(), policy));
	});
}
