//! Property test: over random vaults, backstop deposits and price paths, the block after each
//! price move liquidates exactly the vaults that move made unsafe, never a safe one, and every
//! invariant of the engine, the vaults and the lending pools holds after every block.

use crate::{mock::*, *};
use frame_support::traits::Hooks;
use lever_primitives::VaultLiquidation;
use proptest::prelude::*;
use sp_runtime::FixedU128;

/// One user's vault: collateral type (DOT or ETH), whole tokens, and the share of its maximum
/// debt minted, in percent.
#[derive(Clone, Debug)]
struct VaultPlan {
	eth: bool,
	tokens: u128,
	utilization: u128,
}

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
	frame_support::assert_ok!(Cdp::open(RuntimeOrigin::signed(who), asset.id, asset.units(tokens)));
	let _ = Cdp::mint(RuntimeOrigin::signed(who), asset.id, debt);
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

	#[test]
	fn exactly_the_vaults_made_unsafe_are_liquidated(
		plans in prop::collection::vec(vault_plan(), 1..30),
		backstop in 0u128..50_000,
		moves in prop::collection::vec((30u128..130, 30u128..130), 1..5),
	) {
		new_test_ext().execute_with(|| {
			for (index, plan) in plans.iter().enumerate() {
				open(index as u64 + 1, plan);
			}
			if backstop >= 20 {
				// The last user borrows lvUSD against ETH and backs the pool with it.
				let backer = USERS;
				frame_support::assert_ok!(Cdp::open(RuntimeOrigin::signed(backer), ETH.id, ETH.units(100)));
				frame_support::assert_ok!(Cdp::mint(RuntimeOrigin::signed(backer), ETH.id, LVUSD.units(backstop)));
				frame_support::assert_ok!(Liquidation::deposit(RuntimeOrigin::signed(backer), LVUSD.id, LVUSD.units(backstop)));
			}
			let mut dot = FixedU128::from_rational(DOT.price_cents, 100);
			let mut eth = FixedU128::from_rational(ETH.price_cents, 100);
			for (dot_move, eth_move) in moves {
				dot = dot * FixedU128::from_rational(dot_move, 100);
				eth = eth * FixedU128::from_rational(eth_move, 100);
				set_price(DOT, dot);
				set_price(ETH, eth);
				check_invariants();
				System::set_block_number(System::block_number() + 1);
				Timestamp::set_timestamp(Timestamp::get() + 6_000);
				let before: Vec<(AssetId, u64, bool)> = pallet_cdp::Vaults::<Test>::iter()
					.filter(|(_, _, vault)| vault.normalized_debt != 0)
					.map(|(asset, owner, _)| {
						(asset, owner, Cdp::is_unsafe(asset, &owner).expect("fresh prices"))
					})
					.collect();
				Liquidation::on_initialize(System::block_number());
				for (asset, owner, was_unsafe) in before {
					let gone = Cdp::vault(asset, &owner).is_none();
					prop_assert_eq!(gone, was_unsafe, "vault ({}, {})", asset, owner);
				}
				prop_assert_eq!(Liquidation::queue_len(), 0);
			}
			check_invariants();
			Ok(())
		})?;
	}
}
