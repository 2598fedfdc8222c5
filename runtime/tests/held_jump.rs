//! Issue case: DOT falls from $7.50 to $4.50 in one oracle round. The circuit breaker holds the
//! jump and `price(DOT)` still returns $7.50, fresh, until a later round confirms it; meanwhile
//! anyone could supply DOT bought at $4.50 and borrow or mint against $7.50. Through the real
//! oracle (the development feeder's signed rounds), lending and vault pallets of the development
//! runtime: nothing that adds risk (a borrow, a mint, a withdrawal of collateral) values DOT
//! above $4.50 while the fall is held, and liquidation decides on confirmed prices only.

mod common;

use common::{dev_chain, signed, user};
use frame_support::{assert_noop, assert_ok, traits::fungibles::Mutate, BoundedVec};
use lever_primitives::{
	AmountOrAll, LendingLiquidation, PriceProvider, RiskPrices, VaultLiquidation,
};
use lever_runtime::{
	genesis::dev_assets::{self, DOT, USDC},
	AccountId, Assets, Lending, Oracle, Runtime, System, Vaults,
};
use pallet_oracle::{FeederId, FeederSignature, PricesPayload};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Get, FixedPointNumber, FixedU128};

/// The chain's clock at block zero, in milliseconds.
const START_MS: u64 = 1_800_000_000_000;
/// Milliseconds per block.
const BLOCK_MS: u64 = 6_000;
/// Test account kind for this file's users.
const USERS: u8 = 31;

fn dollars(cents: u128) -> FixedU128 {
	FixedU128::from_rational(cents, 100)
}

/// Moves to the first block of the next oracle round.
fn next_round() {
	let interval: u32 = <Runtime as pallet_oracle::Config>::FetchInterval::get();
	let block = (System::block_number() / interval + 1) * interval;
	System::set_block_number(block);
	pallet_timestamp::Now::<Runtime>::put(START_MS + u64::from(block) * BLOCK_MS);
}

/// The development feeder (Alice) submits this round: DOT at `dot_cents`, every other test asset
/// at its reference price.
fn feed(dot_cents: u128) {
	let feeder = Sr25519Keyring::Alice.pair();
	let prices = dev_assets::ALL
		.iter()
		.map(|asset| {
			let cents = if asset.id == DOT.id { dot_cents } else { asset.reference_cents.into() };
			(asset.id, dollars(cents))
		})
		.collect();
	let payload = PricesPayload {
		feeder: FeederId::from(feeder.public()),
		round: Oracle::current_round(),
		prices: BoundedVec::truncate_from(prices),
	};
	let signature = FeederSignature::from(feeder.sign(&Oracle::signing_bytes(&payload)));
	assert_ok!(Oracle::submit_prices(
		frame_system::RawOrigin::Authorized.into(),
		payload,
		signature
	));
}

/// `tokens` whole tokens of `asset` in its smallest unit.
fn units(asset: dev_assets::TestAsset, tokens: u128) -> u128 {
	tokens * asset.unit()
}

#[test]
fn nothing_that_adds_risk_uses_the_old_price_while_a_fall_is_held() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		next_round();
		feed(750);
		let (lender, borrower, minter) = (user(USERS, 0), user(USERS, 1), user(USERS, 2));
		assert_ok!(Assets::mint_into(USDC.id, &lender, units(USDC, 100_000)));
		for who in [&borrower, &minter] {
			assert_ok!(Assets::mint_into(DOT.id, who, units(DOT, 2_000)));
		}
		assert_ok!(Lending::supply(signed(&lender), USDC.id, units(USDC, 100_000)));
		assert_ok!(Lending::supply(signed(&borrower), DOT.id, units(DOT, 1_000)));
		assert_ok!(Vaults::open(signed(&minter), DOT.id, units(DOT, 1_000)));
		let factor = pallet_lending::Markets::<Runtime>::get(DOT.id)
			.expect("a DOT market")
			.params
			.collateral_factor;
		let ratio = pallet_vaults::CollateralTypes::<Runtime>::get(DOT.id)
			.expect("a DOT collateral type")
			.params
			.liquidation_ratio;
		// The most 1,000 DOT secure at `cents`: a USDC borrow and an lvUSD mint.
		let borrow_limit = |cents: u128| factor * (units(USDC, 1_000) * cents / 100);
		let mint_limit =
			|cents: u128| (dollars(cents) / ratio).saturating_mul_int(1_000 * lvusd_unit());

		// The fall is held: `price` says $7.50, fresh; what adds risk sees $4.50.
		next_round();
		feed(450);
		assert_eq!(Oracle::price(DOT.id).map(|price| price.value), Ok(dollars(750)));
		assert_eq!(
			Oracle::risk_prices(DOT.id),
			Ok(RiskPrices { collateral: dollars(450), debt: dollars(750) })
		);
		assert_eq!(borrow_limit(750), units(USDC, 5_250), "70% of $7,500");
		assert_noop!(
			Lending::borrow(signed(&borrower), USDC.id, borrow_limit(750)),
			pallet_lending::Error::<Runtime>::InsufficientCollateral
		);
		assert_noop!(
			Lending::borrow(signed(&borrower), USDC.id, borrow_limit(450) + 1),
			pallet_lending::Error::<Runtime>::InsufficientCollateral
		);
		assert_noop!(
			Vaults::mint(signed(&minter), DOT.id, mint_limit(750)),
			pallet_vaults::Error::<Runtime>::BelowLiquidationRatio
		);
		assert_noop!(
			Vaults::mint(signed(&minter), DOT.id, mint_limit(450) + lvusd_unit()),
			pallet_vaults::Error::<Runtime>::BelowLiquidationRatio
		);
		// At $4.50 they may, to a dollar below the limit (the supply's value rounds down).
		assert_ok!(Lending::borrow(signed(&borrower), USDC.id, borrow_limit(450) - units(USDC, 1)));
		assert_ok!(Vaults::mint(signed(&minter), DOT.id, mint_limit(450) - lvusd_unit()));
		// Neither may take collateral out now.
		assert_noop!(
			Lending::withdraw(signed(&borrower), DOT.id, AmountOrAll::Amount(units(DOT, 1))),
			pallet_lending::Error::<Runtime>::InsufficientCollateral
		);
		assert_noop!(
			Vaults::withdraw(signed(&minter), DOT.id, AmountOrAll::Amount(units(DOT, 1))),
			pallet_vaults::Error::<Runtime>::BelowLiquidationRatio
		);
		// Liquidation decides on the confirmed $7.50: a held fall to $3.00 would make both
		// positions unsafe, yet neither is liquidatable until it is confirmed.
		next_round();
		feed(300);
		assert_eq!(Oracle::price(DOT.id).map(|price| price.value), Ok(dollars(750)));
		assert!(!<Lending as LendingLiquidation<AccountId>>::is_liquidatable(&borrower)
			.expect("valued"));
		assert_eq!(<Vaults as VaultLiquidation<AccountId>>::is_unsafe(DOT.id, &minter), Ok(false));

		// The next round agreeing at $3.00 confirms it: both are liquidatable.
		next_round();
		feed(300);
		assert_eq!(Oracle::price(DOT.id).map(|price| price.value), Ok(dollars(300)));
		assert_eq!(Oracle::risk_prices(DOT.id), Ok(RiskPrices::at(dollars(300))));
		assert!(
			<Lending as LendingLiquidation<AccountId>>::is_liquidatable(&borrower).expect("valued")
		);
		assert_eq!(<Vaults as VaultLiquidation<AccountId>>::is_unsafe(DOT.id, &minter), Ok(true));
	});
}

/// lvUSD's smallest units per whole lvUSD.
fn lvusd_unit() -> u128 {
	let decimals = <Assets as frame_support::traits::fungibles::metadata::Inspect<_>>::decimals(
		<Runtime as pallet_vaults::Config>::StableAsset::get(),
	);
	10u128.pow(u32::from(decimals))
}
