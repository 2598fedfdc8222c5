//! Protective auto-deleverage on the development runtime (its genesis DOT/lvUSD pool and DOT
//! lending market, the real engine, leverage, vault and lending pallets). Alice and Bob hold the
//! same DOT vault, 1,000 DOT at $7.50 against 4,800 lvUSD (156%; the liquidation ratio is
//! 150%), and Alice protects hers with trigger 155%, target 200% and 2% slippage; a lender has
//! supplied the DOT market, from which a vault's deleverage flash-loans the DOT it sells.
//!
//! - DOT falls 8% in one move to $6.90: both vaults are at 143.75%, under the line. In the next
//!   block the engine queues both and in Alice's turn deleverages her vault to 200% instead; Bob's
//!   is liquidated with the 13% penalty.
//! - DOT falls 1.3% to $7.40: both vaults are at 154%, above the line and under Alice's
//!   trigger. The validator's offchain sweep submits her deleverage, the next block includes it,
//!   and her vault is at 200%; Bob's is untouched.

mod common;

use common::{dev_chain, include_flags, set_price, signed, user, Pool};
use frame_support::{
	assert_ok,
	traits::{fungible::Mutate as _, fungibles::Mutate, Hooks},
};
use lever_primitives::ProtectedPosition;
use lever_runtime::{
	currency::UNIT,
	genesis::dev_assets::{TestAsset, DOT},
	AccountId, Assets, Balances, Lending, Leverage, Liquidation, Runtime, RuntimeEvent, System,
	Vaults,
};
use sp_runtime::{FixedU128, Permill};

/// Test account kind for this file's users.
const USERS: u8 = 47;
/// The chain's clock at block zero, in milliseconds.
const START_MS: u64 = 1_800_000_000_000;

fn lvusd_unit() -> u128 {
	lever_runtime::configs::vaults::LVUSD_UNIT
}

fn units(asset: TestAsset, tokens: u128) -> u128 {
	tokens * asset.unit()
}

/// Alice and Bob with the same DOT vault at $7.50, Alice's protected.
fn two_vaults() -> (AccountId, AccountId) {
	System::set_block_number(1);
	pallet_timestamp::Now::<Runtime>::put(START_MS);
	set_price(DOT, 750);
	let (alice, bob) = (user(USERS, 0), user(USERS, 1));
	for who in [&alice, &bob] {
		assert_ok!(Balances::mint_into(who, 10 * UNIT));
		assert_ok!(Assets::mint_into(DOT.id, who, units(DOT, 1_000)));
		assert_ok!(Vaults::open(signed(who), DOT.id, units(DOT, 1_000)));
		assert_ok!(Vaults::mint(signed(who), DOT.id, 4_800 * lvusd_unit()));
	}
	// The DOT a vault's deleverage flash-loans comes from the DOT lending market.
	let lender = user(USERS, 2);
	assert_ok!(Assets::mint_into(DOT.id, &lender, units(DOT, 10_000)));
	assert_ok!(Lending::supply(signed(&lender), DOT.id, units(DOT, 10_000)));
	assert_ok!(Leverage::protect(
		signed(&alice),
		ProtectedPosition::Vault(DOT.id),
		FixedU128::from_rational(155, 100),
		FixedU128::from_u32(2),
		Permill::from_percent(2),
	));
	(alice, bob)
}

/// Runs the next block as a node would with DOT at `dot_cents` (fresh): the sweep's transactions
/// included, `on_initialize`, then the offchain sweep.
fn next_block(pool: &Pool, dot_cents: u128) {
	let block = System::block_number() + 1;
	System::set_block_number(block);
	pallet_timestamp::Now::<Runtime>::put(START_MS + u64::from(block) * 6_000);
	set_price(DOT, dot_cents);
	include_flags(pool);
	Liquidation::on_initialize(block);
	Liquidation::offchain_worker(block);
	lever_runtime::invariants::check_invariants().expect("every pallet's invariants hold");
}

fn ratio(who: &AccountId) -> FixedU128 {
	Vaults::vault_info(who, DOT.id)
		.and_then(|vault| vault.collateral_ratio)
		.expect("the vault has debt")
}

fn liquidated(who: &AccountId) -> bool {
	System::events().iter().any(|record| {
		matches!(&record.event,
			RuntimeEvent::Liquidation(pallet_liquidation::Event::VaultLiquidated { owner, .. })
				if owner == who)
	})
}

fn deleveraged(who: &AccountId) -> Option<(u128, u128)> {
	System::events().iter().find_map(|record| match &record.event {
		RuntimeEvent::Leverage(pallet_leverage::Event::Deleveraged {
			who: owner,
			repaid,
			fee,
			..
		}) if owner == who => Some((*repaid, *fee)),
		_ => None,
	})
}

fn assert_at_target(who: &AccountId) {
	let now = ratio(who);
	let (low, high) = (
		FixedU128::from_rational(1_999_998, 1_000_000),
		FixedU128::from_rational(2_000_002, 1_000_000),
	);
	assert!(now >= low && now <= high, "ratio {now:?}");
}

#[test]
fn an_8_percent_fall_deleverages_the_protected_vault_and_liquidates_the_other() {
	let (mut ext, pool) = dev_chain();
	ext.execute_with(|| {
		let (alice, bob) = two_vaults();
		next_block(&pool, 750);
		System::reset_events();

		next_block(&pool, 690);

		assert!(liquidated(&bob), "Bob's vault is liquidated with the penalty");
		assert!(!liquidated(&alice), "Alice's vault is never liquidated");
		let (repaid, fee) = deleveraged(&alice).expect("Alice's vault is deleveraged");
		assert_at_target(&alice);
		// R = (2 × 4,800 − 6,900) / (2 − c), c < 1 with the genesis pool still at $7.50.
		assert!(repaid > 2_500 * lvusd_unit() && repaid < 2_800 * lvusd_unit(), "{repaid}");
		assert!(fee > 0);
		// A block later nothing more happens to her.
		System::reset_events();
		next_block(&pool, 690);
		assert!(!liquidated(&alice) && deleveraged(&alice).is_none());
	});
}

#[test]
fn the_sweep_deleverages_a_vault_below_its_trigger_before_the_line() {
	let (mut ext, pool) = dev_chain();
	ext.execute_with(|| {
		let (alice, bob) = two_vaults();
		next_block(&pool, 750);
		System::reset_events();
		// The sweep of this block submits Alice's deleverage; the next includes it.
		next_block(&pool, 740);
		assert!(deleveraged(&alice).is_none());
		next_block(&pool, 740);
		assert!(deleveraged(&alice).is_some(), "the sweep's deleverage is included");
		assert_at_target(&alice);
		let bob_ratio = ratio(&bob);
		assert!(bob_ratio > FixedU128::from_rational(150, 100), "{bob_ratio:?}");
		assert!(!liquidated(&alice) && !liquidated(&bob));
	});
}
