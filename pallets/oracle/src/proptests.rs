//! Property test of aggregation: random feeder sets and quorums, feeders missing rounds, price
//! paths with calm moves, one-off jumps and crashes, submissions scattered around the market.
//!
//! After every round:
//! - the published price only ever changes to the median of that round's submissions, and only
//!   when at least a quorum of feeders submitted in it: never a value no quorum submitted;
//! - **liveness**: at every quorum round whose median agrees (within `MaxJump`) with the median
//!   of the previous quorum round, no more than `MaxPriceAge` earlier, the price is set to this
//!   round's median. So while quorums come at most `MaxPriceAge` apart with consistent medians,
//!   the price is fresh in every block from the second of them on: stale for no round at all.

use crate::{mock::*, types::median};
use frame_support::{assert_ok, traits::Get};
use frame_system::RawOrigin;
use proptest::prelude::*;
use sp_runtime::{traits::One, FixedU128};

const DOT: u32 = 1;

/// One round: the market's move from the previous round (in thousandths, 1,000 = no move), and
/// for each feeder whether it submits and its quote's offset from the market (in ten-thousandths).
#[derive(Clone, Debug)]
struct Round {
	market_move: u32,
	quotes: Vec<Option<i32>>,
}

fn round(feeders: usize) -> impl Strategy<Value = Round> {
	let market_move = prop_oneof![
		8 => 950u32..1_050,
		1 => 400u32..700,
		1 => 1_300u32..1_700,
	];
	// Each feeder submits three times in four, within 1% of the market.
	let quote = prop_oneof![3 => (-100i32..100).prop_map(Some), 1 => Just(None)];
	(market_move, prop::collection::vec(quote, feeders))
		.prop_map(|(market_move, quotes)| Round { market_move, quotes })
}

fn scenario() -> impl Strategy<Value = (usize, u32, Vec<Round>)> {
	(1usize..=8)
		.prop_flat_map(|feeders| (Just(feeders), 1..=feeders as u32))
		.prop_flat_map(|(feeders, quorum)| {
			(Just(feeders), Just(quorum), prop::collection::vec(round(feeders), 1..30))
		})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

	#[test]
	fn the_price_is_a_quorum_median_and_stays_fresh_while_quorums_agree(
		(feeders, quorum, rounds) in scenario()
	) {
		new_test_ext(feeders).execute_with(|| {
			assert_ok!(crate::Pallet::<Test>::set_min_feeders(RawOrigin::Root.into(), quorum));
			let max_age: u64 = <Test as crate::Config>::MaxPriceAge::get();
			// The market in millionths of a dollar, from $7.50.
			let mut market: u128 = 7_500_000;
			// The previous quorum round: its time and median.
			let mut previous: Option<(u64, FixedU128)> = None;
			// Dispatch trusts the pool's signature check (tested on its own): one signature
			// serves every submission here.
			let signature = sign(&payload(0, 1, &[(DOT, FixedU128::one())]));
			for (index, round) in rounds.iter().enumerate() {
				let round_index = index as u32 + 1;
				go_to_round(round_index);
				let now = Timestamp::get();
				market = (market * u128::from(round.market_move) / 1_000).max(1_000);
				let mut submitted = Vec::new();
				for (feeder, quote) in round.quotes.iter().enumerate() {
					let Some(offset) = quote else { continue };
					let micros = market as i128 * (10_000 + *offset as i128) / 10_000;
					let value = FixedU128::from_rational(micros as u128, 1_000_000);
					assert_ok!(crate::Pallet::<Test>::submit_prices(
						RawOrigin::Authorized.into(),
						payload(feeder, round_index, &[(DOT, value)]),
						signature.clone()
					));
					submitted.push(value);
				}
				let price = Oracle::feed(DOT).price;
				let set_now = price.is_some_and(|price| price.round == round_index);
				let has_quorum = submitted.len() as u32 >= quorum;
				let round_median = median(&mut submitted.clone());
				// Only a quorum's median is ever published.
				if set_now {
					prop_assert!(has_quorum, "a price set without a quorum in round {}", round_index);
					prop_assert_eq!(price.map(|price| price.value), round_median);
				}
				if let (true, Some(value)) = (has_quorum, round_median) {
					// Liveness: agreeing with the last quorum round, recent enough, sets it.
					if let Some((at, last)) = previous {
						if now.saturating_sub(at) <= max_age && crate::Pallet::<Test>::within_jump(last, value) {
							prop_assert!(
								set_now,
								"round {} (median {:?}) agrees with {:?} {} ms before, yet the price is {:?} and {:?} is held",
								round_index, value, last, now - at, price, Oracle::feed(DOT).held
							);
							prop_assert!(crate::Pallet::<Test>::fresh_price(DOT).is_ok());
						}
					}
					previous = Some((now, value));
				}
				crate::Pallet::<Test>::do_try_state().expect("the oracle's invariants hold");
			}
			Ok(())
		})?;
	}
}
