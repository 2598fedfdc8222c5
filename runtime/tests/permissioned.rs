//! A permissioned pool on the development genesis: governance puts the ETH market in a pool whose
//! credential Alice issues; a member borrows from it and an outsider is refused; the member,
//! revoked, is liquidated by the liquidation engine with no credential involved, exactly as in a
//! public market. Every pallet's invariants hold after every block.

mod common;

use common::{account, dev_chain, include_flags, set_price, signed, Pool};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use lever_primitives::LendingLiquidation;
use lever_runtime::{
	genesis::dev_assets::{TestAsset, BTC, DOT, ETH, USDC},
	AccountId, Lending, Liquidation, Runtime, RuntimeEvent, RuntimeOrigin, System,
};
use pallet_lending::{AmountOrAll, Error, PoolId};
use sp_keyring::Sr25519Keyring;

/// The first pool governance creates.
const POOL: PoolId = 0;
const START: u64 = 1_700_000_000_000;

/// Every test asset at its reference price, DOT at `dot_cents`.
fn feed(dot_cents: u128) {
	for asset in [BTC, ETH, USDC] {
		set_price(asset, u128::from(asset.reference_cents));
	}
	set_price(DOT, dot_cents);
}

/// The next block as a node runs it: prices fed, the sweep's flags included, the engine's
/// `on_initialize`, then the offchain sweep; every pallet's invariants hold after it.
fn next_block(pool: &Pool, dot_cents: u128) {
	let block = System::block_number() + 1;
	System::set_block_number(block);
	pallet_timestamp::Now::<Runtime>::put(START + u64::from(block) * 6_000);
	feed(dot_cents);
	include_flags(pool);
	Liquidation::on_initialize(block);
	Liquidation::offchain_worker(block);
	lever_runtime::invariants::check_invariants().expect("every pallet's invariants hold");
}

/// `who`'s ETH debt, interest included.
fn eth_debt(who: &AccountId) -> u128 {
	let position = Lending::account_position(who);
	position.markets.iter().find(|m| m.asset == ETH.id).map_or(0, |m| m.borrowed)
}

fn units(asset: TestAsset, tokens: u128) -> u128 {
	asset.unit() * tokens
}

/// Governance (root: a referendum, or the dev chain's sudo key) creates the pool with Alice as
/// issuer and puts ETH's market in it; Alice grants herself and Bob the credential.
fn eth_pool(alice: &AccountId, bob: &AccountId) {
	assert_ok!(Lending::create_pool(RuntimeOrigin::root(), alice.clone()));
	assert_ok!(Lending::set_market_pool(RuntimeOrigin::root(), ETH.id, Some(POOL)));
	for member in [alice, bob] {
		assert_ok!(Lending::grant_credential(signed(alice), POOL, member.clone()));
	}
}

#[test]
fn a_member_borrows_from_the_pool_an_outsider_is_refused_and_the_engine_liquidates_as_ever() {
	let (mut ext, pool) = dev_chain();
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(START);
		feed(u128::from(DOT.reference_cents));
		let alice = account(Sr25519Keyring::Alice);
		let bob = account(Sr25519Keyring::Bob);
		let charlie = account(Sr25519Keyring::Charlie);
		eth_pool(&alice, &bob);

		// Alice lends 100 ETH in the pool. Bob puts up 1,000 DOT ($7,500, borrow limit
		// $5,250) in the public market and borrows 1.4 ETH ($4,900) from the pool.
		assert_ok!(Lending::supply(signed(&alice), ETH.id, units(ETH, 100)));
		assert_ok!(Lending::supply(signed(&bob), DOT.id, units(DOT, 1_000)));
		assert_ok!(Lending::borrow(signed(&bob), ETH.id, units(ETH, 14) / 10));

		// Charlie holds no credential: the pool refuses him, the public markets do not.
		let refused = || Error::<Runtime>::NotMember;
		assert_noop!(Lending::supply(signed(&charlie), ETH.id, units(ETH, 1)), refused());
		assert_ok!(Lending::supply(signed(&charlie), DOT.id, units(DOT, 1_000)));
		assert_noop!(Lending::borrow(signed(&charlie), ETH.id, units(ETH, 1) / 10), refused());
		assert_ok!(Lending::borrow(signed(&charlie), DOT.id, units(DOT, 100)));

		// Revoked, Bob may still repay, not borrow.
		assert_ok!(Lending::revoke_credential(signed(&alice), POOL, bob.clone()));
		assert_noop!(Lending::borrow(signed(&bob), ETH.id, units(ETH, 1) / 10), refused());
		assert_ok!(Lending::repay(signed(&bob), ETH.id, AmountOrAll::Amount(units(ETH, 1) / 10)));

		// DOT falls to $6: 1,000 × $6 × 75% = $4,500 is under Bob's $4,550 of ETH debt. The
		// engine finds and liquidates him within two blocks, with nobody's credential.
		System::reset_events();
		next_block(&pool, 600);
		assert_eq!(
			<Lending as LendingLiquidation<AccountId>>::is_liquidatable(&bob),
			Ok(true),
			"Bob is unsafe at $6"
		);
		let debt_before = eth_debt(&bob);
		next_block(&pool, 600);
		next_block(&pool, 600);
		let liquidated = System::events().iter().any(|record| {
			matches!(
				&record.event,
				RuntimeEvent::Liquidation(pallet_liquidation::Event::LendingLiquidated {
					account, ..
				}) if *account == bob
			)
		});
		assert!(liquidated, "the engine liquidated Bob");
		let debt_after = eth_debt(&bob);
		assert!(debt_after < debt_before, "Bob's ETH debt fell from {debt_before} to {debt_after}");
	});
}
