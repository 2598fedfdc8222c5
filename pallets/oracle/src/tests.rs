//! Unit tests of the oracle: submissions and their validation, aggregation, staleness, the
//! circuit breaker, governance, and the offchain worker against mocked HTTP sources.

use crate::{
	mock::*, offchain::sources_key, types::MAX_SANE_PRICE, Error, Event, LastRound, PendingPrice,
	Price, PriceError, PriceFeed, PriceProvider, PriceSource, RiskPrices, Submissions,
};
use codec::Decode;
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::Authorize,
};
use frame_system::RawOrigin;
use sp_core::offchain::{testing::PendingRequest, StorageKind};
use sp_runtime::{traits::Zero, DispatchError, FixedU128};

const DOT: u32 = 1;
const BTC: u32 = 2;
const ETH: u32 = 3;

fn usd(n: u128) -> FixedU128 {
	FixedU128::from_inner(n * 1_000_000_000_000_000_000)
}

fn usd_milli(n: u128) -> FixedU128 {
	FixedU128::from_inner(n * 1_000_000_000_000_000)
}

/// Validates a submission as the transaction pool does.
fn validate(
	payload: &crate::PricesPayload<frame_support::traits::ConstU32<4>>,
) -> Result<(), TransactionValidityError> {
	let call =
		crate::Call::<Test>::submit_prices { payload: payload.clone(), signature: sign(payload) };
	call.authorize(TransactionSource::External)
		.expect("submit_prices is authorized")
		.map(|_| ())
}

/// Dispatches a signed submission with the authorized origin, as a block does.
fn dispatch(
	payload: crate::PricesPayload<frame_support::traits::ConstU32<4>>,
) -> sp_runtime::DispatchResult {
	let signature = sign(&payload);
	Oracle::submit_prices(RawOrigin::Authorized.into(), payload, signature)
}

/// Validates then dispatches, as a submission that reaches a block goes.
fn submit(i: usize, prices: &[(u32, FixedU128)]) {
	let payload = payload(i, Oracle::current_round(), prices);
	assert_ok!(validate(&payload));
	assert_ok!(dispatch(payload));
}

/// The time of round `round`'s first block.
fn round_time(round: u32) -> u64 {
	GENESIS_TIME + u64::from(round) * FETCH_INTERVAL * BLOCK_TIME
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Oracle(event) => Some(event),
			_ => None,
		})
		.collect()
}

#[test]
fn the_median_becomes_the_price_once_a_quorum_submitted() {
	new_test_ext(4).execute_with(|| {
		go_to_round(1);
		submit(0, &[(DOT, usd(7))]);
		submit(1, &[(DOT, usd(8))]);
		assert_eq!(Oracle::feed(DOT).price, None, "two of the three needed");
		assert_eq!(Oracle::price(DOT), Err(PriceError::Unknown));
		submit(2, &[(DOT, usd(9))]);
		let price = Oracle::price(DOT).expect("a quorum sets the price");
		assert_eq!(price.value, usd(8));
		assert_eq!(price.round, 1);
		assert_eq!(price.source, PriceSource::Feeds);
		assert_eq!(price.updated_at, GENESIS_TIME + 10 * BLOCK_TIME);
		submit(3, &[(DOT, usd(10))]);
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(FixedU128::from_rational(85, 10)));
		assert!(events().contains(&Event::PriceUpdated { asset: DOT, value: usd(8), round: 1 }));
		assert!(events().contains(&Event::PricesSubmitted {
			feeder: feeder(0),
			round: 1,
			assets: 1
		}));
	});
}

#[test]
fn one_lying_feeder_of_three_cannot_move_the_price() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		submit(0, &[(DOT, usd_milli(7_500)), (BTC, usd(95_000))]);
		submit(1, &[(DOT, usd_milli(75_000)), (BTC, usd(950_000))]);
		submit(2, &[(DOT, usd_milli(7_510)), (BTC, usd(95_100))]);
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd_milli(7_510)));
		assert_eq!(Oracle::price(BTC).map(|p| p.value), Ok(usd(95_100)));
	});
}

#[test]
fn submissions_from_old_rounds_do_not_count_toward_the_quorum() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		submit(0, &[(DOT, usd(7))]);
		submit(1, &[(DOT, usd(7))]);
		go_to_round(2);
		submit(2, &[(DOT, usd(7))]);
		assert_eq!(Oracle::price(DOT), Err(PriceError::Unknown));
	});
}

#[test]
fn a_price_without_new_rounds_goes_stale_and_is_never_served() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(7))]));
		let set_at = System::block_number();
		go_to_block(set_at + MAX_PRICE_AGE / BLOCK_TIME);
		assert!(Oracle::price(DOT).is_ok(), "exactly MaxPriceAge old is still fresh");
		go_to_block(set_at + MAX_PRICE_AGE / BLOCK_TIME + 1);
		assert_eq!(Oracle::price(DOT), Err(PriceError::Stale));
		assert!(Oracle::feed(DOT).price.is_some(), "the old value is kept for display only");
		let info = Oracle::price_infos().into_iter().find(|info| info.asset == DOT).unwrap();
		assert!(!info.fresh);
		assert_eq!(info.age_ms, Some(MAX_PRICE_AGE + BLOCK_TIME));
	});
}

#[test]
fn the_circuit_breaker_holds_a_jump_until_the_next_round_confirms_it() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(10))]));
		go_to_round(2);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(15))]));
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd(10)), "a 50% jump is held");
		assert_eq!(
			Oracle::feed(DOT).held,
			Some(PendingPrice { value: usd(15), round: 2, held_at: round_time(2) })
		);
		assert!(events().contains(&Event::PriceJumpHeld {
			asset: DOT,
			current: usd(10),
			proposed: usd(15),
			round: 2
		}));
		go_to_round(3);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(15))]));
		assert_eq!(Oracle::price(DOT).map(|p| (p.value, p.round)), Ok((usd(15), 3)));
		assert_eq!(Oracle::feed(DOT).held, None);
	});
}

/// Issue case: DOT moves from $7.50 to $4.50 in one round; the jump is held and `price` still
/// returns $7.50, fresh. Actions that add risk must not value DOT collateral at $7.50 meanwhile:
/// `risk_prices` gives collateral the lower and debt the higher of the two, and the runtime API
/// shows it beside the confirmed and the held price.
#[test]
fn actions_that_add_risk_see_both_sides_of_a_held_jump() {
	new_test_ext(3).execute_with(|| {
		let dollars = |cents: u128| FixedU128::from_rational(cents, 100);
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, dollars(750))]));
		assert_eq!(Oracle::risk_prices(DOT), Ok(RiskPrices::at(dollars(750))));
		go_to_round(2);
		(0..3).for_each(|i| submit(i, &[(DOT, dollars(450))]));
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(dollars(750)), "the drop is held");
		let held = RiskPrices { collateral: dollars(450), debt: dollars(750) };
		assert_eq!(Oracle::risk_prices(DOT), Ok(held));
		let info = Oracle::price_infos().into_iter().find(|info| info.asset == DOT).unwrap();
		assert_eq!((info.pending.map(|p| p.value), info.risk), (Some(dollars(450)), Some(held)));
		// A held jump up counts against debt; confirmation ends the hold.
		go_to_round(3);
		(0..3).for_each(|i| submit(i, &[(DOT, dollars(450))]));
		assert_eq!(Oracle::risk_prices(DOT), Ok(RiskPrices::at(dollars(450))));
		go_to_round(4);
		(0..3).for_each(|i| submit(i, &[(DOT, dollars(750))]));
		assert_eq!(
			Oracle::risk_prices(DOT),
			Ok(RiskPrices { collateral: dollars(450), debt: dollars(750) })
		);
		// Stale is stale, held or not; a frozen price is governance's, on both sides.
		go_to_block(System::block_number() + MAX_PRICE_AGE / BLOCK_TIME + 1);
		assert_eq!(Oracle::risk_prices(DOT), Err(PriceError::Stale));
		assert_ok!(Oracle::freeze_asset(RuntimeOrigin::root(), DOT));
		assert_eq!(Oracle::risk_prices(DOT), Ok(RiskPrices::at(dollars(450))));
	});
}

/// The stress test's what-if prices: inside `with_prices`, DOT (held jump and all) and a
/// never-priced asset read as fresh at the given values; afterwards every feed and the storage
/// root are as before, whatever the closure wrote.
#[test]
fn what_if_prices_hold_only_inside_the_scenario() {
	use lever_primitives::PriceScenario;
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(10))]));
		go_to_round(2);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(15))]));
		let feed = Oracle::feed(DOT);
		assert!(feed.held.is_some());
		let root = || sp_io::storage::root(sp_runtime::StateVersion::V1);
		let before = root();
		let seen = Oracle::with_prices(&[(DOT, usd(5)), (ETH, usd(2_000))], || {
			System::set_block_number(999);
			(Oracle::price(DOT).map(|p| p.value), Oracle::risk_prices(DOT), Oracle::price(ETH))
		})
		.expect("a scenario");
		assert_eq!(seen.0, Ok(usd(5)));
		assert_eq!(seen.1, Ok(RiskPrices::at(usd(5))), "no jump is held in the scenario");
		assert_eq!(seen.2.map(|p| p.value), Ok(usd(2_000)));
		assert_eq!(Oracle::feed(DOT), feed);
		assert_eq!(Oracle::price(ETH), Err(PriceError::Unknown));
		assert_eq!(root(), before, "the scenario left storage changed");
	});
}

/// Issue case: four feeders with a quorum of three, one down and another missing every other
/// round. A jump from $7.50 to $4.50 was held again at every round that reached the quorum (only
/// the very next round could confirm it) and the price went stale for as long as the gaps
/// lasted. A held jump is confirmed by the next round that reaches the quorum within
/// `MaxPriceAge` of it, so the price stays fresh while quorums keep agreeing.
#[test]
fn a_held_jump_is_confirmed_by_the_next_quorum_however_many_rounds_were_missed() {
	new_test_ext(4).execute_with(|| {
		go_to_round(1);
		(0..4).for_each(|i| submit(i, &[(DOT, usd_milli(7_500))]));
		for round in 2..=31 {
			go_to_round(round);
			// Feeder 0 is down; feeder 1 submits in even rounds only.
			let feeders: &[usize] = if round % 2 == 0 { &[1, 2, 3] } else { &[2, 3] };
			feeders.iter().for_each(|i| submit(*i, &[(DOT, usd_milli(4_500))]));
			if round == 2 {
				assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd_milli(7_500)), "held");
			}
			if round == 4 {
				assert_eq!(
					Oracle::price(DOT).map(|p| (p.value, p.round)),
					Ok((usd_milli(4_500), 4))
				);
				assert_eq!(Oracle::feed(DOT).held, None);
			}
			for block in 1..FETCH_INTERVAL {
				go_to_block(u64::from(round) * FETCH_INTERVAL + block);
				assert!(Oracle::price(DOT).is_ok(), "stale in round {round}, block {block}");
			}
		}
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd_milli(4_500)));
	});
}

/// Storage version 0 held prices without a time; the migration to version 1 drops them (they
/// cannot be decoded, nor confirmed safely), keeps the prices, and runs once; the migration to
/// version 2 then moves each price into its feed. A jump still there is held again by the next
/// round and confirmed by the one after.
#[test]
fn the_version_1_migration_drops_holds_without_a_time_and_keeps_prices() {
	use crate::migrations::{v1, v1_layout, v2};
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(10))]));
		let price = Oracle::feed(DOT).price;
		v2::write_v1_layout::<Test>();
		// A version-0 hold: (value, round).
		frame_support::storage::unhashed::put_raw(
			&v1_layout::Pending::<Test>::hashed_key_for(DOT),
			&(usd(15), 1u32).encode(),
		);
		StorageVersion::new(0).put::<crate::Pallet<Test>>();
		assert_eq!(v1_layout::Pending::<Test>::get(DOT), None, "a version-0 hold does not decode");
		v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(v1_layout::Pending::<Test>::iter_keys().count(), 0);
		assert_eq!(v1_layout::Prices::<Test>::get(DOT), price);
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(1));
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Oracle::feed(DOT), PriceFeed { price, held: None, frozen: false });
		go_to_round(2);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(15))]));
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd(10)), "held again");
		go_to_round(3);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(15))]));
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd(15)));
	});
}

/// Version 2 keeps an asset's price, held jump and freeze in one item: the migration moves each
/// of version 1's three maps into it, unchanged, once, and leaves none of the old entries.
#[test]
fn the_version_2_migration_moves_prices_holds_and_freezes_into_one_feed_per_asset() {
	use crate::migrations::{v1_layout, v2};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(10)), (BTC, usd(60_000))]));
		go_to_round(2);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(15))]));
		assert_ok!(Oracle::freeze_asset(RuntimeOrigin::root(), BTC));
		assert_ok!(Oracle::freeze_asset(RuntimeOrigin::root(), ETH));
		let feeds: Vec<_> = crate::PriceFeeds::<Test>::iter().collect();
		assert_eq!(feeds.len(), 3, "DOT priced and held, BTC priced and frozen, ETH frozen");
		assert!(Oracle::feed(DOT).held.is_some());
		assert_eq!(Oracle::feed(ETH), PriceFeed { price: None, held: None, frozen: true });

		v2::write_v1_layout::<Test>();
		assert_eq!(crate::PriceFeeds::<Test>::iter().count(), 0);
		assert_eq!(v1_layout::Prices::<Test>::iter().count(), 2);
		assert_eq!(v1_layout::Pending::<Test>::iter().count(), 1);
		assert_eq!(v1_layout::Frozen::<Test>::iter().count(), 2);
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		let mut after: Vec<_> = crate::PriceFeeds::<Test>::iter().collect();
		after.sort_by_key(|(asset, _)| *asset);
		let mut before = feeds;
		before.sort_by_key(|(asset, _)| *asset);
		assert_eq!(after, before);
		assert_eq!(v1_layout::Prices::<Test>::iter().count(), 0);
		assert_eq!(v1_layout::Pending::<Test>::iter().count(), 0);
		assert_eq!(v1_layout::Frozen::<Test>::iter().count(), 0);
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(2));
		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(crate::PriceFeeds::<Test>::iter().count(), 3, "runs once");
	});
}

#[test]
fn an_unconfirmed_jump_is_dropped() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(10))]));
		go_to_round(2);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(100))]));
		go_to_round(3);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(11))]));
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd(11)));
		assert_eq!(Oracle::feed(DOT).held, None);
		go_to_round(4);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(100))]));
		// Four rounds later the hold is older than MaxPriceAge (three rounds): held anew.
		go_to_round(8);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(100))]));
		assert_eq!(
			Oracle::feed(DOT).price.map(|p| p.value),
			Some(usd(11)),
			"a hold older than MaxPriceAge does not confirm"
		);
		assert_eq!(
			Oracle::feed(DOT).held,
			Some(PendingPrice { value: usd(100), round: 8, held_at: round_time(8) })
		);
		go_to_round(11);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(100))]));
		assert_eq!(Oracle::price(DOT).map(|p| (p.value, p.round)), Ok((usd(100), 11)));
	});
}

#[test]
fn pool_validation_rejects_unknown_feeders_replays_wrong_rounds_and_bad_signatures() {
	new_test_ext(3).execute_with(|| {
		go_to_round(2);
		let stranger = payload(5, 2, &[(DOT, usd(7))]);
		// Feeder 5's key is not in the keystore: sign with it directly.
		let stranger_pair =
			<sp_core::sr25519::Pair as sp_core::Pair>::from_string(&feeder_seed(5), None).unwrap();
		let stranger_signature = crate::FeederSignature::from(sp_core::Pair::sign(
			&stranger_pair,
			&Oracle::signing_bytes(&stranger),
		));
		let call = crate::Call::<Test>::submit_prices {
			payload: stranger.clone(),
			signature: stranger_signature,
		};
		assert_eq!(
			call.authorize(TransactionSource::External).unwrap().map(|_| ()),
			Err(InvalidTransaction::BadSigner.into())
		);

		assert_eq!(
			validate(&payload(0, 1, &[(DOT, usd(7))])),
			Err(InvalidTransaction::Stale.into())
		);
		assert_eq!(
			validate(&payload(0, 3, &[(DOT, usd(7))])),
			Err(InvalidTransaction::Future.into())
		);

		let honest = payload(0, 2, &[(DOT, usd(7))]);
		let mut forged = honest.clone();
		forged.prices = sp_runtime::BoundedVec::truncate_from(vec![(DOT, usd(70))]);
		let call = crate::Call::<Test>::submit_prices { payload: forged, signature: sign(&honest) };
		assert_eq!(
			call.authorize(TransactionSource::External).unwrap().map(|_| ()),
			Err(InvalidTransaction::BadProof.into())
		);

		assert_ok!(validate(&honest));
		assert_ok!(dispatch(honest.clone()));
		assert_eq!(validate(&honest), Err(InvalidTransaction::Stale.into()), "a replay");
		for bad in [
			payload(1, 2, &[]),
			payload(1, 2, &[(99, usd(7))]),
			payload(1, 2, &[(DOT, FixedU128::zero())]),
			payload(1, 2, &[(DOT, usd(MAX_SANE_PRICE + 1))]),
			payload(1, 2, &[(DOT, usd(7)), (DOT, usd(8))]),
		] {
			assert_eq!(validate(&bad), Err(InvalidTransaction::Call.into()), "{bad:?}");
		}
	});
}

/// Issue case: the signed bytes were the context and (feeder, round, prices), nothing of the
/// chain's own, so the same `orcl` key on two networks (a testnet and a mainnet, or a relaunched
/// chain) let anyone replay one network's submissions on the other. They now include the
/// genesis hash: a signature made for another chain, or in the old format, is a bad proof.
#[test]
fn a_signature_made_for_another_chain_is_refused() {
	new_test_ext(3).execute_with(|| {
		go_to_round(2);
		let honest = payload(0, 2, &[(DOT, usd(7))]);
		let pair =
			<sp_core::sr25519::Pair as sp_core::Pair>::from_string(&feeder_seed(0), None).unwrap();
		let signed_as = |bytes: Vec<u8>| {
			let signature = crate::FeederSignature::from(sp_core::Pair::sign(&pair, &bytes));
			let call = crate::Call::<Test>::submit_prices { payload: honest.clone(), signature };
			call.authorize(TransactionSource::External).unwrap().map(|_| ())
		};
		let genesis = Oracle::genesis_hash();
		let other_chain = sp_core::H256::repeat_byte(1);
		assert_ne!(genesis, other_chain);
		assert_eq!(
			signed_as(honest.signing_bytes(other_chain.as_ref())),
			Err(InvalidTransaction::BadProof.into())
		);
		let mut version_1 = b"lever/oracle/prices/v1".to_vec();
		version_1.extend(codec::Encode::encode(&honest));
		assert_eq!(signed_as(version_1), Err(InvalidTransaction::BadProof.into()));
		assert_ok!(signed_as(honest.signing_bytes(genesis.as_ref())));
		assert_ok!(dispatch(honest));
	});
}

#[test]
fn pool_validity_is_tagged_per_feeder_and_round_and_lives_until_the_round_ends() {
	new_test_ext(3).execute_with(|| {
		go_to_block(23);
		let payload = payload(0, 2, &[(DOT, usd(7))]);
		let call = crate::Call::<Test>::submit_prices {
			payload: payload.clone(),
			signature: sign(&payload),
		};
		let (validity, _) = call.authorize(TransactionSource::External).unwrap().unwrap();
		assert_eq!(validity.longevity, 7, "blocks 23..30 are left in round 2");
		assert_eq!(validity.priority, 1 << 20);
		assert_eq!(validity.provides.len(), 1);
		assert!(validity.requires.is_empty());
		let other = crate::mock::payload(1, 2, &[(DOT, usd(7))]);
		let other_call =
			crate::Call::<Test>::submit_prices { payload: other.clone(), signature: sign(&other) };
		let (other_validity, _) =
			other_call.authorize(TransactionSource::External).unwrap().unwrap();
		assert_ne!(validity.provides, other_validity.provides);
	});
}

#[test]
fn dispatch_rejects_what_validation_rejects_and_changes_nothing() {
	new_test_ext(3).execute_with(|| {
		go_to_round(2);
		assert_noop!(dispatch(payload(5, 2, &[(DOT, usd(7))])), Error::<Test>::NotFeeder);
		assert_noop!(dispatch(payload(0, 1, &[(DOT, usd(7))])), Error::<Test>::WrongRound);
		assert_noop!(dispatch(payload(0, 2, &[])), Error::<Test>::EmptySubmission);
		assert_noop!(dispatch(payload(0, 2, &[(99, usd(7))])), Error::<Test>::UnknownAsset);
		assert_noop!(
			dispatch(payload(0, 2, &[(DOT, FixedU128::zero())])),
			Error::<Test>::InvalidPrice
		);
		assert_noop!(
			dispatch(payload(0, 2, &[(DOT, usd(7)), (DOT, usd(7))])),
			Error::<Test>::DuplicateAsset
		);
		let signature = sign(&payload(0, 2, &[(DOT, usd(7))]));
		assert_noop!(
			Oracle::submit_prices(
				RuntimeOrigin::root(),
				payload(0, 2, &[(DOT, usd(7))]),
				signature
			),
			DispatchError::BadOrigin
		);
		assert_ok!(dispatch(payload(0, 2, &[(DOT, usd(7))])));
		assert_eq!(LastRound::<Test>::get(feeder(0)), Some(2));
		assert_noop!(dispatch(payload(0, 2, &[(DOT, usd(7))])), Error::<Test>::AlreadySubmitted);
		assert_ok!(Oracle::freeze_asset(RuntimeOrigin::root(), BTC));
		assert_noop!(dispatch(payload(1, 2, &[(BTC, usd(7))])), Error::<Test>::AssetFrozen);
	});
}

#[test]
fn the_feeders_follow_the_validators_in_office() {
	new_test_ext(2).execute_with(|| {
		go_to_round(1);
		submit(0, &[(DOT, usd(7))]);
		new_session(&[1, 5]);
		assert!(Oracle::is_feeder(&feeder(5)));
		assert!(!Oracle::is_feeder(&feeder(0)));
		assert_eq!(Submissions::<Test>::get(DOT, feeder(0)), None, "its submissions go with it");
		assert_eq!(LastRound::<Test>::get(feeder(0)), None);
		assert!(events().contains(&Event::FeedersSet { feeders: 2 }));
		// Duplicates count once; beyond `MaxFeeders` (8) the first by key are kept.
		new_session(&[1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
		assert_eq!(crate::Feeders::<Test>::get().len(), 8);
		assert!(crate::Feeders::<Test>::get().windows(2).all(|w| w[0] < w[1]));
		// A session that changes nothing leaves the feeders and their submissions alone.
		go_to_round(2);
		submit(1, &[(DOT, usd(7))]);
		let before = crate::Feeders::<Test>::get();
		new_session_unchanged(&[0]);
		assert_eq!(crate::Feeders::<Test>::get(), before);
		assert!(Submissions::<Test>::get(DOT, feeder(1)).is_some());
	});
}

#[test]
fn fewer_feeders_than_the_quorum_is_reported_and_no_price_is_set() {
	new_test_ext(3).execute_with(|| {
		new_session(&[0, 1]);
		assert!(events().contains(&Event::QuorumUnreachable { feeders: 2, quorum: 3 }));
		go_to_round(1);
		submit(0, &[(DOT, usd(7))]);
		submit(1, &[(DOT, usd(7))]);
		assert_eq!(Oracle::price(DOT), Err(PriceError::Unknown));
		Oracle::do_try_state().unwrap();
	});
}

#[test]
fn governance_sets_the_quorum() {
	new_test_ext(3).execute_with(|| {
		assert_noop!(
			Oracle::set_min_feeders(RuntimeOrigin::signed(1), 2),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Oracle::set_min_feeders(RuntimeOrigin::root(), 0),
			Error::<Test>::InvalidQuorum
		);
		assert_noop!(
			Oracle::set_min_feeders(RuntimeOrigin::root(), 9),
			Error::<Test>::InvalidQuorum
		);
		// Issue case: no quorum above the number of feeders in office; no price could be set.
		// (Removing validators below the quorum is the validator set's refusal.)
		assert_noop!(
			Oracle::set_min_feeders(RuntimeOrigin::root(), 4),
			Error::<Test>::QuorumAboveFeeders
		);
		assert_ok!(Oracle::set_min_feeders(RuntimeOrigin::root(), 2));
		assert!(events().contains(&Event::MinFeedersSet { min_feeders: 2 }));
		new_session(&[0, 1]);
		assert_noop!(
			Oracle::set_min_feeders(RuntimeOrigin::root(), 3),
			Error::<Test>::QuorumAboveFeeders
		);
		go_to_round(1);
		submit(0, &[(DOT, usd(7))]);
		assert_eq!(Oracle::price(DOT), Err(PriceError::Unknown));
		submit(1, &[(DOT, usd(9))]);
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd(8)));
	});
}

#[test]
fn governance_manages_assets() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(7))]));
		assert_noop!(
			Oracle::add_asset(RuntimeOrigin::root(), DOT),
			Error::<Test>::AssetAlreadyListed
		);
		assert_noop!(Oracle::add_asset(RuntimeOrigin::root(), 9), Error::<Test>::TooManyAssets);
		assert_noop!(Oracle::remove_asset(RuntimeOrigin::signed(1), DOT), DispatchError::BadOrigin);
		// Issue case: no asset that open positions are valued in loses its price.
		PRICED_IN.with(|assets| assets.borrow_mut().push(DOT));
		assert_noop!(Oracle::remove_asset(RuntimeOrigin::root(), DOT), Error::<Test>::AssetInUse);
		PRICED_IN.with(|assets| assets.borrow_mut().clear());
		assert_ok!(Oracle::remove_asset(RuntimeOrigin::root(), DOT));
		assert_eq!(Oracle::feed(DOT).price, None);
		assert_eq!(Submissions::<Test>::iter_prefix(DOT).count(), 0);
		assert_eq!(Oracle::price(DOT), Err(PriceError::Unknown));
		assert_noop!(Oracle::remove_asset(RuntimeOrigin::root(), DOT), Error::<Test>::UnknownAsset);
		assert_ok!(Oracle::add_asset(RuntimeOrigin::root(), 9));
		assert!(events().contains(&Event::AssetAdded { asset: 9 }));
	});
}

#[test]
fn emergency_prices_are_marked_and_replaced_by_the_next_aggregate() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		assert_noop!(
			Oracle::set_emergency_price(RuntimeOrigin::signed(1), DOT, usd(5)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Oracle::set_emergency_price(RuntimeOrigin::root(), 99, usd(5)),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Oracle::set_emergency_price(RuntimeOrigin::root(), DOT, FixedU128::zero()),
			Error::<Test>::InvalidPrice
		);
		assert_ok!(Oracle::set_emergency_price(RuntimeOrigin::root(), DOT, usd(5)));
		assert_eq!(
			Oracle::price(DOT).map(|p| (p.value, p.source)),
			Ok((usd(5), PriceSource::Emergency))
		);
		assert!(events().contains(&Event::EmergencyPriceSet { asset: DOT, value: usd(5) }));
		go_to_round(2);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(5))]));
		assert_eq!(Oracle::price(DOT).map(|p| p.source), Ok(PriceSource::Feeds));
	});
}

#[test]
fn a_frozen_price_holds_fresh_and_refuses_feeds_until_unfrozen() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(7))]));
		assert_noop!(Oracle::freeze_asset(RuntimeOrigin::signed(1), DOT), DispatchError::BadOrigin);
		assert_noop!(
			Oracle::unfreeze_asset(RuntimeOrigin::root(), DOT),
			Error::<Test>::AssetNotFrozen
		);
		assert_ok!(Oracle::freeze_asset(RuntimeOrigin::root(), DOT));
		assert_noop!(Oracle::freeze_asset(RuntimeOrigin::root(), DOT), Error::<Test>::AssetFrozen);
		assert_noop!(Oracle::freeze_asset(RuntimeOrigin::root(), 99), Error::<Test>::UnknownAsset);
		go_to_round(20);
		assert_eq!(Oracle::price(DOT).map(|p| p.value), Ok(usd(7)), "frozen: fresh at any age");
		assert_eq!(
			validate(&payload(0, 20, &[(DOT, usd(8))])),
			Err(InvalidTransaction::Call.into())
		);
		assert_ok!(Oracle::unfreeze_asset(RuntimeOrigin::root(), DOT));
		assert!(!Oracle::feed(DOT).frozen);
		assert_eq!(Oracle::price(DOT), Err(PriceError::Stale), "unfrozen: the age counts again");
		assert!(events().contains(&Event::AssetUnfrozen { asset: DOT }));
	});
}

/// The risk council (`RiskOrigin`) may freeze a price at once but not unfreeze it, nor make any
/// other change governance makes.
#[test]
fn the_risk_council_may_freeze_a_price_but_not_unfreeze_it() {
	new_test_ext(3).execute_with(|| {
		go_to_round(1);
		(0..3).for_each(|i| submit(i, &[(DOT, usd(7))]));
		let council = || RuntimeOrigin::signed(RISK_COUNCIL);
		assert_ok!(Oracle::freeze_asset(council(), DOT));
		assert!(Oracle::feed(DOT).frozen);
		assert_noop!(Oracle::unfreeze_asset(council(), DOT), DispatchError::BadOrigin);
		assert_noop!(Oracle::set_min_feeders(council(), 1), DispatchError::BadOrigin);
		assert_noop!(Oracle::add_asset(council(), 99), DispatchError::BadOrigin);
		assert_noop!(Oracle::remove_asset(council(), DOT), DispatchError::BadOrigin);
		assert_noop!(Oracle::set_emergency_price(council(), DOT, usd(6)), DispatchError::BadOrigin);
		assert_ok!(Oracle::unfreeze_asset(RuntimeOrigin::root(), DOT));
	});
}

/// Expects one GET of `uri` answered with `body`.
fn expect_get(
	state: &parking_lot::RwLock<sp_core::offchain::testing::OffchainState>,
	uri: &str,
	body: &str,
) {
	state.write().expect_request(PendingRequest {
		method: "GET".into(),
		uri: uri.into(),
		response: Some(body.as_bytes().to_vec()),
		sent: true,
		..Default::default()
	});
}

/// Configures an asset's sources in the node's offchain storage.
fn set_sources(asset: u32, sources: &str) {
	sp_io::offchain::local_storage_set(
		StorageKind::PERSISTENT,
		&sources_key(asset),
		sources.as_bytes(),
	);
}

/// Decodes the transactions the offchain worker submitted.
fn pool_payloads(
	pool: &parking_lot::RwLock<sp_core::offchain::testing::PoolState>,
) -> Vec<crate::PricesPayload<frame_support::traits::ConstU32<4>>> {
	pool.read()
		.transactions
		.iter()
		.map(|bytes| {
			let xt = Extrinsic::decode(&mut &bytes[..]).expect("the pool holds our extrinsics");
			match xt.function {
				RuntimeCall::Oracle(crate::Call::submit_prices { payload, signature }) => {
					assert!(sp_runtime::RuntimeAppPublic::verify(
						&payload.feeder,
						&Oracle::signing_bytes(&payload),
						&signature
					));
					payload
				},
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

#[test]
fn the_offchain_worker_submits_the_median_of_the_sources_once_per_round() {
	let (mut ext, offchain, pool) = new_offchain_test_ext(1);
	ext.execute_with(|| {
		go_to_round(1);
		set_sources(DOT, "http://a/DOT /usd\nhttp://b/DOT /price\nhttp://c/DOT /data/0/v\n");
		expect_get(&offchain, "http://a/DOT", r#"{"usd": 7.5}"#);
		expect_get(&offchain, "http://b/DOT", r#"{"price": "7.7"}"#);
		expect_get(&offchain, "http://c/DOT", r#"{"data": [{"v": 7.6}]}"#);
		run_offchain_worker();
		let payloads = pool_payloads(&pool);
		assert_eq!(payloads.len(), 1);
		assert_eq!(payloads[0].feeder, feeder(0));
		assert_eq!(payloads[0].round, 1);
		assert_eq!(payloads[0].prices.to_vec(), vec![(DOT, usd_milli(7_600))]);

		go_to_block(15);
		run_offchain_worker();
		assert_eq!(pool.read().transactions.len(), 1, "one submission per round");
	});
}

#[test]
fn the_offchain_worker_skips_bad_answers() {
	let (mut ext, offchain, pool) = new_offchain_test_ext(1);
	ext.execute_with(|| {
		go_to_round(1);
		let bad = [
			("http://notjson/", "<html>busy</html>"),
			("http://missing/", r#"{"other": 1}"#),
			("http://zero/", r#"{"usd": 0}"#),
			("http://negative/", r#"{"usd": -7.5}"#),
			("http://absurd/", r#"{"usd": 1e15}"#),
			("http://text/", r#"{"usd": "seven"}"#),
			("http://object/", r#"{"usd": {"v": 7}}"#),
		];
		let mut sources: String = bad.iter().map(|(url, _)| format!("{url} /usd\n")).collect();
		sources.push_str("http://good/ /usd\n");
		set_sources(DOT, &sources);
		for (url, body) in bad {
			expect_get(&offchain, url, body);
		}
		expect_get(&offchain, "http://good/", r#"{"usd": 7.25}"#);
		run_offchain_worker();
		assert_eq!(pool_payloads(&pool)[0].prices.to_vec(), vec![(DOT, usd_milli(7_250))]);
	});
}

#[test]
fn the_offchain_worker_skips_error_statuses() {
	let statuses = vec![("http://busy/".into(), 503), ("http://gone/".into(), 404)];
	let (mut ext, offchain, pool, _) =
		new_offchain_test_ext_with(1, HttpBehaviour { statuses, ..Default::default() });
	ext.execute_with(|| {
		go_to_round(1);
		set_sources(DOT, "http://busy/ /usd\nhttp://gone/ /usd\nhttp://good/ /usd\n");
		expect_get(&offchain, "http://busy/", r#"{"usd": 70}"#);
		expect_get(&offchain, "http://gone/", r#"{"usd": 70}"#);
		expect_get(&offchain, "http://good/", r#"{"usd": 7}"#);
		run_offchain_worker();
		assert_eq!(pool_payloads(&pool)[0].prices.to_vec(), vec![(DOT, usd(7))]);
	});
}

/// Issue case: the worker fetched assets and sources one after another with a 2 s timeout each,
/// so three hanging sources made a feeder miss every round. Every request is now sent before
/// any is awaited, under one deadline: sources 2.5 s slow still count, one that hangs past the
/// deadline costs its own answer only.
#[test]
fn every_source_is_asked_at_once_and_a_slow_one_costs_only_its_answer() {
	let slow = |uri: &str, delay: u64| (String::from(uri), delay);
	let delays = vec![
		slow("http://slow1/DOT", 2_500),
		slow("http://slow2/DOT", 2_500),
		slow("http://slow/BTC", 2_500),
		slow("http://hanging/BTC", 60_000),
	];
	let (mut ext, offchain, pool, calls) =
		new_offchain_test_ext_with(1, HttpBehaviour { delays, ..Default::default() });
	ext.execute_with(|| {
		go_to_round(1);
		set_sources(DOT, "http://fast/DOT /usd\nhttp://slow1/DOT /usd\nhttp://slow2/DOT /usd\n");
		set_sources(BTC, "http://slow/BTC /usd\nhttp://hanging/BTC /usd\n");
		expect_get(&offchain, "http://fast/DOT", r#"{"usd": 7.4}"#);
		expect_get(&offchain, "http://slow1/DOT", r#"{"usd": 7.6}"#);
		expect_get(&offchain, "http://slow2/DOT", r#"{"usd": 7.5}"#);
		expect_get(&offchain, "http://slow/BTC", r#"{"usd": 95000}"#);
		expect_get(&offchain, "http://hanging/BTC", r#"{"usd": 1}"#);
		run_offchain_worker();
		// Five requests started, then one wait for all five.
		let uris = ["http://fast/DOT", "http://slow1/DOT", "http://slow2/DOT", "http://slow/BTC"];
		let mut expected: Vec<HttpCall> =
			uris.iter().map(|uri| HttpCall::Start((*uri).into())).collect();
		expected.extend([HttpCall::Start("http://hanging/BTC".into()), HttpCall::Wait(5)]);
		assert_eq!(*calls.read(), expected);
		assert_eq!(
			pool_payloads(&pool)[0].prices.to_vec(),
			vec![(DOT, usd_milli(7_500)), (BTC, usd(95_000))]
		);
	});
}

#[test]
fn a_round_with_no_good_source_submits_nothing() {
	let (mut ext, offchain, pool) = new_offchain_test_ext(1);
	ext.execute_with(|| {
		go_to_round(1);
		set_sources(DOT, "http://down/ /usd\n");
		expect_get(&offchain, "http://down/", "Service Unavailable");
		run_offchain_worker();
		assert!(pool.read().transactions.is_empty());
	});
}

#[test]
fn the_offchain_worker_does_not_submit_in_a_rounds_last_block() {
	let (mut ext, _offchain, pool) = new_offchain_test_ext(1);
	ext.execute_with(|| {
		go_to_block(2 * FETCH_INTERVAL - 1);
		set_sources(DOT, "http://a/DOT /usd\n");
		run_offchain_worker();
		assert!(pool.read().transactions.is_empty(), "it could only be included in the next round");
	});
}

#[test]
fn a_node_without_a_feeder_key_does_nothing() {
	let (mut ext, _offchain, pool) = new_offchain_test_ext(1);
	ext.execute_with(|| {
		// Feeder 5 replaces the feeder whose key this node holds.
		new_session(&[5]);
		go_to_round(1);
		set_sources(DOT, "http://a/DOT /usd\n");
		run_offchain_worker();
		assert!(pool.read().transactions.is_empty());
	});
}

#[test]
fn offchain_submissions_are_accepted_on_chain() {
	let (mut ext, offchain, pool) = new_offchain_test_ext(3);
	ext.execute_with(|| {
		go_to_round(1);
		set_sources(DOT, "http://a/DOT /usd\n");
		expect_get(&offchain, "http://a/DOT", r#"{"usd": 7.5}"#);
		run_offchain_worker();
		let payloads = pool_payloads(&pool);
		assert_eq!(payloads.len(), 3, "one per local feeder key");
		for payload in payloads {
			assert_ok!(validate(&payload));
			assert_ok!(dispatch(payload));
		}
		assert_eq!(
			Oracle::price(DOT),
			Ok(Price {
				value: usd_milli(7_500),
				updated_at: GENESIS_TIME + 10 * BLOCK_TIME,
				round: 1,
				source: PriceSource::Feeds
			})
		);
	});
}
