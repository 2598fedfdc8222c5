//! lvUSD's peg stability module (pallet-psm) on the development genesis: swaps both ways at the
//! genesis fee, the lvUSD it issues counted as reserve-backed in the books, its ceiling, and the
//! shutdown, after which it only redeems and the vaults' redemption counts only vault-backed
//! lvUSD. Every pallet's invariants hold after each scenario.

mod common;

use common::{account, genesis_of, set_price, signed};
use frame_support::{assert_noop, assert_ok, dispatch::DispatchResult};
use lever_primitives::PegStability as _;
use lever_runtime::{
	configs::{
		lending::TreasuryAccount,
		peg::LvusdPsm,
		vaults::{LVUSD, LVUSD_UNIT},
	},
	genesis::dev_assets::{BTC, DOT, ETH, USDC},
	AccountId, Assets, Psm, Runtime, RuntimeEvent, RuntimeOrigin, System, Vaults,
};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring;
use sp_runtime::Permill;

/// The genesis module's fee each way: 0.1%.
const FEE: Permill = Permill::from_parts(1_000);

fn lvusd(who: &AccountId) -> u128 {
	Assets::balance(LVUSD, who)
}

fn swap_in(who: &AccountId, usdc: u128) -> DispatchResult {
	Psm::mint(signed(who), LVUSD, USDC.id, usdc, FEE)
}

fn swap_out(who: &AccountId, lvusd: u128) -> DispatchResult {
	Psm::redeem(signed(who), LVUSD, USDC.id, lvusd, FEE)
}

/// The development genesis at block one with fresh prices, and Alice and Bob.
fn dev_chain(test: impl FnOnce(AccountId, AccountId)) {
	genesis_of(DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(1_700_000_000_000);
		for asset in [DOT, BTC, ETH, USDC] {
			set_price(asset, u128::from(asset.reference_cents));
		}
		test(account(Sr25519Keyring::Alice), account(Sr25519Keyring::Bob));
		lever_runtime::invariants::check_invariants().expect("every pallet's invariants hold");
	});
}

#[test]
fn lvusd_swapped_for_usdc_is_reserve_backed_in_the_books() {
	dev_chain(|_, bob| {
		let treasury = TreasuryAccount::get();
		let (treasury_lvusd, bob_usdc) = (lvusd(&treasury), Assets::balance(USDC.id, &bob));
		assert_ok!(swap_in(&bob, 1_000 * USDC.unit()));
		// 0.1% fee: 999 lvUSD to Bob, 1 to the treasury; 1,000 lvUSD reserve-backed.
		assert_eq!(lvusd(&bob), 999 * LVUSD_UNIT);
		assert_eq!(lvusd(&treasury), treasury_lvusd + LVUSD_UNIT);
		assert_eq!(LvusdPsm::reserve_backed(), 1_000 * LVUSD_UNIT);
		assert_eq!(Vaults::system_info().reserve_backed, 1_000 * LVUSD_UNIT);
		lever_runtime::invariants::check_invariants().expect("the books count it");

		assert_ok!(swap_out(&bob, 500 * LVUSD_UNIT));
		// 0.5 lvUSD of fee; 499.5 burned for 499.5 USDC.
		assert_eq!(lvusd(&bob), 499 * LVUSD_UNIT);
		assert_eq!(Assets::balance(USDC.id, &bob), bob_usdc - 1_000 * USDC.unit() + 499_500_000);
		assert_eq!(lvusd(&treasury), treasury_lvusd + LVUSD_UNIT + LVUSD_UNIT / 2);
		assert_eq!(LvusdPsm::reserve_backed(), 500 * LVUSD_UNIT + LVUSD_UNIT / 2);
	});
}

#[test]
fn the_ceiling_and_the_minimum_swap_bound_what_the_module_takes() {
	dev_chain(|alice, bob| {
		assert_noop!(
			swap_in(&bob, 10_000_000 * USDC.unit() + 1),
			pallet_psm::Error::<Runtime>::ExceedsMaxPsmDebt
		);
		assert_noop!(
			swap_in(&bob, USDC.unit() - 1),
			pallet_psm::Error::<Runtime>::BelowMinimumSwap
		);
		assert_noop!(
			Psm::mint(signed(&bob), LVUSD, USDC.id, 10 * USDC.unit(), Permill::from_parts(999)),
			pallet_psm::Error::<Runtime>::FeeTooHigh
		);
		assert_noop!(
			Psm::mint(signed(&bob), LVUSD, DOT.id, DOT.unit(), FEE),
			pallet_psm::Error::<Runtime>::UnsupportedAsset
		);
		// Nobody but full governance manages the module.
		assert_noop!(
			Psm::set_max_debt(signed(&alice), LVUSD, 0),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Psm::set_max_debt(RuntimeOrigin::root(), LVUSD, 20_000_000 * LVUSD_UNIT));
	});
}

#[test]
fn the_shutdown_stops_issuing_and_reserve_backed_lvusd_redeems_at_the_module() {
	dev_chain(|alice, bob| {
		assert_ok!(Vaults::open(signed(&alice), DOT.id, 1_000 * DOT.unit()));
		assert_ok!(Vaults::mint(signed(&alice), DOT.id, 3_000 * LVUSD_UNIT));
		assert_ok!(swap_in(&bob, 1_000 * USDC.unit()));
		assert_ok!(Vaults::shutdown(RuntimeOrigin::root()));
		assert_noop!(
			swap_in(&bob, 10 * USDC.unit()),
			pallet_psm::Error::<Runtime>::ExceedsMaxPsmDebt
		);

		let owing: Vec<(u32, AccountId)> = pallet_vaults::Vaults::<Runtime>::iter()
			.filter(|(_, _, vault)| vault.normalized_debt > 0)
			.map(|(asset, owner, _)| (asset, owner))
			.collect();
		for (asset, owner) in owing {
			assert_ok!(Vaults::settle_vault(signed(&bob), asset, owner));
		}
		let issuance = Vaults::system_info().issuance;
		assert_ok!(Vaults::fix_redemption(signed(&bob)));
		// Only vault-backed lvUSD shares the vaults' collateral: all but the module's 1,000.
		let fixed = issuance - 1_000 * LVUSD_UNIT;
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Vaults(pallet_vaults::Event::RedemptionFixed { issuance }) if issuance == fixed
		)));
		// Bob takes his USDC back at the module; Alice redeems at the vaults.
		assert_ok!(swap_out(&bob, 999 * LVUSD_UNIT));
		assert_eq!(lvusd(&bob), 0);
		let dot = Assets::balance(DOT.id, &alice);
		assert_ok!(Vaults::redeem(signed(&alice), 3_000 * LVUSD_UNIT));
		assert!(Assets::balance(DOT.id, &alice) > dot);
	});
}
