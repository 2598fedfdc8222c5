//! Property tests: random sequences of every user action, liquidations, price moves, time,
//! credentials granted and revoked and markets moved in and out of a permissioned pool, by
//! several accounts that start with supplies in every market. After every step the invariants
//! hold; a call that fails leaves the storage root unchanged; a liquidation succeeds only on an
//! account that was liquidatable; no account without the credential supplies to, borrows from
//! or enables collateral in a pool's market; and at the end, with every credential revoked,
//! every account repays and withdraws everything.
//!
//! The credit score, under a policy whose loans count after a day: after every step every score
//! is at most 1000, no score falls unless its record was reset, what credit adds to a borrow
//! limit is at most the account's proven size and nothing of the liquidation limit; and
//! sequences in which no time passes (borrows, repayments, flash loans, transfers between the
//! accounts, liquidations) count no loan and prove nothing.

use crate::{mock::*, *};
use lever_primitives::{amount_for_usd, LendingLiquidation, PriceProvider};
use lever_test_support::Amount;
use proptest::prelude::*;
use sp_runtime::{traits::Saturating, DispatchError, FixedU128, Permill, StateVersion};

/// The markets the sequences use.
const MARKETS: [TestAsset; 4] = [DOT, USDC, ETH, BTC];
/// The accounts that act.
const USERS: [u64; 3] = [ALICE, BOB, CHARLIE];

/// One step of a sequence. `pick` chooses among the account's positions of the right kind.
#[derive(Clone, Debug)]
enum Step {
	Supply {
		who: usize,
		market: usize,
		amount: Amount,
	},
	Withdraw {
		who: usize,
		pick: usize,
		amount: Option<Amount>,
	},
	Borrow {
		who: usize,
		market: usize,
		amount: Amount,
	},
	/// Borrows this percentage of the account's remaining borrow limit.
	BorrowShareOfLimit {
		who: usize,
		market: usize,
		percent: u32,
	},
	Repay {
		who: usize,
		pick: usize,
		amount: Option<Amount>,
	},
	Collateral {
		who: usize,
		pick: usize,
	},
	Liquidate {
		liquidator: usize,
		borrower: usize,
		pick: usize,
		amount: Amount,
		as_shares: bool,
	},
	/// Moves a price by this many percent (from −40 to +40).
	MovePrice {
		market: usize,
		percent: i32,
	},
	/// Lets this many seconds pass.
	Advance {
		seconds: u64,
	},
	/// The pool's issuer grants (or revokes) the account's credential.
	Credential {
		who: usize,
		grant: bool,
	},
	/// Governance puts the market in the pool (or makes it public).
	MarketPool {
		market: usize,
		pooled: bool,
	},
	/// A flash loan with no inner calls: the account pays the fee from its own tokens.
	FlashLoan {
		who: usize,
		market: usize,
		amount: Amount,
	},
	/// An account sends tokens to another (one owner's accounts moving funds).
	Transfer {
		from: usize,
		to: usize,
		market: usize,
		amount: Amount,
	},
}

/// The permissioned pool of the sequences, and its issuer.
const POOL: PoolId = 0;
const ISSUER: u64 = 500;

/// Ordinary amounts up to 200 tokens, and edge values.
fn amount() -> impl Strategy<Value = Amount> {
	lever_test_support::amount(20_000)
}

fn step() -> impl Strategy<Value = Step> {
	let who = 0..USERS.len();
	let market = 0..MARKETS.len();
	let pick = 0usize..8;
	prop_oneof![
		3 => (who.clone(), market.clone(), amount())
			.prop_map(|(who, market, amount)| Step::Supply { who, market, amount }),
		2 => (who.clone(), pick.clone(), proptest::option::of(amount()))
			.prop_map(|(who, pick, amount)| Step::Withdraw { who, pick, amount }),
		1 => (who.clone(), market.clone(), amount())
			.prop_map(|(who, market, amount)| Step::Borrow { who, market, amount }),
		3 => (who.clone(), market.clone(), 1u32..=100)
			.prop_map(|(who, market, percent)| Step::BorrowShareOfLimit { who, market, percent }),
		2 => (who.clone(), pick.clone(), proptest::option::of(amount()))
			.prop_map(|(who, pick, amount)| Step::Repay { who, pick, amount }),
		1 => (who.clone(), pick.clone()).prop_map(|(who, pick)| Step::Collateral { who, pick }),
		3 => (who.clone(), who.clone(), pick.clone(), amount(), any::<bool>()).prop_map(
			|(liquidator, borrower, pick, amount, as_shares)| {
				Step::Liquidate { liquidator, borrower, pick, amount, as_shares }
			}
		),
		3 => (market.clone(), -40i32..=40)
			.prop_map(|(market, percent)| Step::MovePrice { market, percent }),
		2 => (1u64..=30 * 86_400).prop_map(|seconds| Step::Advance { seconds }),
		1 => (who.clone(), any::<bool>()).prop_map(|(who, grant)| Step::Credential { who, grant }),
		1 => (market.clone(), any::<bool>())
			.prop_map(|(market, pooled)| Step::MarketPool { market, pooled }),
		1 => (who.clone(), market.clone(), amount())
			.prop_map(|(who, market, amount)| Step::FlashLoan { who, market, amount }),
		1 => (who.clone(), who.clone(), market.clone(), amount())
			.prop_map(|(from, to, market, amount)| Step::Transfer { from, to, market, amount }),
	]
}

/// The root of the whole state.
fn storage_root() -> Vec<u8> {
	sp_io::storage::root(StateVersion::V1)
}

/// The `pick`-th (wrapping) of the markets where `who` supplies (`supplies`) or owes.
fn picked_market(who: u64, pick: usize, supplies: bool) -> Option<AssetId> {
	let markets: Vec<AssetId> =
		Lending::positions_of(&who)
			.into_iter()
			.filter(|(_, position)| {
				if supplies {
					position.supply.is_some()
				} else {
					position.scaled_debt.is_some()
				}
			})
			.map(|(asset, _)| asset)
			.collect();
	(!markets.is_empty()).then(|| markets[pick % markets.len()])
}

fn or_all(amount: Option<Amount>, asset: AssetId) -> AmountOrAll {
	let asset = MARKETS.iter().find(|market| market.id == asset).copied().unwrap_or(DOT);
	amount.map_or(AmountOrAll::All, |amount| AmountOrAll::Amount(amount.units(asset)))
}

/// `percent` of `who`'s remaining borrow limit in `asset`'s smallest unit, if it is priced.
fn share_of_limit(who: u64, asset: TestAsset, percent: u32) -> Balance {
	let Ok(liquidity) = Lending::account_liquidity(&who) else { return 0 };
	let Ok(price) = TestPrices::price(asset.id) else { return 0 };
	let headroom = liquidity.borrow_limit.saturating_sub(liquidity.debt_value);
	let usd = headroom.saturating_mul(FixedU128::from_rational(percent.into(), 100));
	amount_for_usd(usd, asset.decimals, price.value).unwrap_or_default()
}

/// Runs one step: the invariants hold after it, and a failure leaves the storage root as it was.
fn run(step: &Step) {
	let root_before = storage_root();
	let credit_before = credit_records();
	let outsider = gated(step).is_some_and(|(who, asset)| {
		Markets::<Test>::get(asset).is_some_and(|market| market.pool.is_some())
			&& !Lending::is_member(POOL, &who)
	});
	let signed = |who: usize| RuntimeOrigin::signed(USERS[who]);
	let result = match *step {
		Step::Supply { who, market, amount } => {
			Lending::supply(signed(who), MARKETS[market].id, amount.units(MARKETS[market]))
		},
		Step::Withdraw { who, pick, amount } => match picked_market(USERS[who], pick, true) {
			Some(asset) => Lending::withdraw(signed(who), asset, or_all(amount, asset)),
			None => Ok(()),
		},
		Step::Borrow { who, market, amount } => {
			Lending::borrow(signed(who), MARKETS[market].id, amount.units(MARKETS[market]))
		},
		Step::BorrowShareOfLimit { who, market, percent } => {
			let amount = share_of_limit(USERS[who], MARKETS[market], percent);
			Lending::borrow(signed(who), MARKETS[market].id, amount)
		},
		Step::Repay { who, pick, amount } => match picked_market(USERS[who], pick, false) {
			Some(asset) => Lending::repay(signed(who), asset, or_all(amount, asset)),
			None => Ok(()),
		},
		Step::Collateral { who, pick } => match picked_market(USERS[who], pick, true) {
			Some(asset) if Lending::supply_of(&USERS[who], asset).is_some_and(|p| p.collateral) => {
				Lending::disable_collateral(signed(who), asset)
			},
			Some(asset) => Lending::enable_collateral(signed(who), asset),
			None => Ok(()),
		},
		Step::Liquidate { liquidator, borrower, pick, amount, as_shares } => {
			let borrower = USERS[borrower];
			let debt = picked_market(borrower, pick, false);
			let collateral = picked_market(borrower, pick / 2, true);
			match (debt, collateral) {
				(Some(debt), Some(collateral)) => {
					let liquidatable = Lending::is_liquidatable(&borrower);
					let asset = MARKETS.iter().find(|m| m.id == debt).copied().unwrap_or(DOT);
					let seized_as = if as_shares { SeizedAs::Shares } else { SeizedAs::Tokens };
					let outcome = <Lending as LendingLiquidation<u64>>::liquidate(
						&USERS[liquidator],
						&borrower,
						debt,
						collateral,
						amount.units(asset),
						seized_as,
					);
					if outcome.is_ok() {
						assert_eq!(
							liquidatable,
							Ok(true),
							"only an unhealthy account is liquidated"
						);
					}
					outcome.map(|_| ())
				},
				_ => Ok(()),
			}
		},
		Step::MovePrice { market, percent } => {
			let asset = MARKETS[market];
			let factor = FixedU128::from_rational((100 + percent) as u128, 100);
			set_price(asset, TestPrices::price_of(asset).saturating_mul(factor));
			Ok(())
		},
		Step::Advance { seconds } => {
			advance(seconds);
			Ok(())
		},
		Step::Credential { who, grant } => {
			let issuer = RuntimeOrigin::signed(ISSUER);
			if grant {
				Lending::grant_credential(issuer, POOL, USERS[who])
			} else {
				Lending::revoke_credential(issuer, POOL, USERS[who])
			}
		},
		Step::MarketPool { market, pooled } => Lending::set_market_pool(
			RuntimeOrigin::root(),
			MARKETS[market].id,
			pooled.then_some(POOL),
		),
		Step::FlashLoan { who, market, amount } => Lending::flash_loan(
			signed(who),
			MARKETS[market].id,
			amount.units(MARKETS[market]),
			Default::default(),
		),
		Step::Transfer { from, to, market, amount } => {
			use frame_support::traits::{fungibles::Mutate, tokens::Preservation};
			let asset = MARKETS[market];
			let amount = amount.units(asset);
			<Assets as Mutate<u64>>::transfer(
				asset.id,
				&USERS[from],
				&USERS[to],
				amount,
				Preservation::Preserve,
			)
			.map(|_| ())
		},
	};
	if outsider {
		assert!(result.is_err(), "{step:?}: an account without the credential got in");
	}
	if result.is_err() {
		assert_eq!(storage_root(), root_before, "{step:?} failed but changed storage");
	}
	check_invariants();
	check_liveness();
	check_credit(&credit_before);
}

/// Every user's credit record.
fn credit_records() -> [Option<CreditRecord>; USERS.len()] {
	USERS.map(Credit::<Test>::get)
}

/// Loans count after a day; a score of 100 adds two points to each collateral factor, 300 five.
fn set_credit_policy() {
	let tier = |min_score, percent| CreditTier { min_score, bonus: Permill::from_percent(percent) };
	let policy = CreditPolicy {
		min_loan_age: 86_400_000,
		tiers: frame_support::BoundedVec::truncate_from(vec![tier(100, 2), tier(300, 5)]),
	};
	Lending::set_credit_policy(RuntimeOrigin::root(), policy).expect("a valid policy");
}

/// The credit score's properties after a step, given each user's record before it: scores are
/// at most 1000; a score falls only when its record was reset (a new `since`); credit adds at
/// most the proven size to the borrow limit and nothing to the liquidation limit.
fn check_credit(before: &[Option<CreditRecord>; USERS.len()]) {
	let now = Timestamp::get();
	for (index, who) in USERS.iter().enumerate() {
		let record = Credit::<Test>::get(who);
		let score = Lending::credit_score(who);
		assert!(score <= MAX_SCORE, "{who}'s score {score} is over the top");
		if let (Some(old), Some(new)) = (before[index], record) {
			if old.since == new.since {
				assert!(new.score(now) >= old.score(now), "{who}'s score fell without a reset");
				assert!(new.proven >= old.proven, "{who}'s proven size fell without a reset");
			}
		}
		let terms = Lending::credit_terms(who);
		assert!(terms.bonus <= MaxCreditBonus::get(), "a bonus over the cap");
		let Ok(positions) = Lending::positions(who) else { continue };
		let with = Lending::value_positions(&positions, Valuation::Confirmed, &terms);
		let without =
			Lending::value_positions(&positions, Valuation::Confirmed, &CreditTerms::NONE);
		if let (Ok(with), Ok(without)) = (with, without) {
			assert!(with.borrow_limit >= without.borrow_limit);
			assert!(
				with.borrow_limit.saturating_sub(without.borrow_limit) <= terms.cap,
				"credit added more than {who}'s proven size"
			);
			assert_eq!(with.liquidation_limit, without.liquidation_limit);
			assert_eq!(with.debt_value, without.debt_value);
		}
	}
}

/// The account and market of a step that needs the pool's credential when the market is in it:
/// supplying, borrowing and enabling collateral. Read before the step runs.
fn gated(step: &Step) -> Option<(u64, AssetId)> {
	match *step {
		Step::Supply { who, market, .. }
		| Step::Borrow { who, market, .. }
		| Step::BorrowShareOfLimit { who, market, .. } => Some((USERS[who], MARKETS[market].id)),
		Step::Collateral { who, pick } => picked_market(USERS[who], pick, true)
			.filter(|asset| Lending::supply_of(&USERS[who], *asset).is_some_and(|p| !p.collateral))
			.map(|asset| (USERS[who], asset)),
		_ => None,
	}
}

/// Every account can leave, credential or not: with every credential revoked, each repays all
/// its debts (given the tokens), then each withdraws all its supplies.
fn check_exit() {
	use frame_support::traits::fungibles::Mutate;
	for who in USERS {
		if Lending::is_member(POOL, &who) {
			Lending::revoke_credential(RuntimeOrigin::signed(ISSUER), POOL, who)
				.expect("the issuer revokes");
		}
	}
	for who in USERS {
		for (asset, position) in Lending::positions_of(&who) {
			if position.scaled_debt.is_some() {
				let units = MARKETS.iter().find(|m| m.id == asset).map_or(0, |m| m.units(1));
				let debt = <Lending as lever_primitives::LendingPositions<u64>>::debt(&who, asset)
					.expect("the debt is known");
				Assets::mint_into(asset, &who, debt.saturating_add(units)).expect("minted");
				Lending::repay(RuntimeOrigin::signed(who), asset, AmountOrAll::All)
					.expect("a revoked member repays");
			}
		}
	}
	for who in USERS {
		for (asset, _) in Lending::positions_of(&who) {
			Lending::withdraw(RuntimeOrigin::signed(who), asset, AmountOrAll::All)
				.expect("a revoked member withdraws");
		}
		assert!(Lending::positions_of(&who).is_empty(), "account {who} is out of every market");
	}
	check_invariants();
}

/// A liquidator with nothing in the pools, who can pay any debt.
const OUTSIDER: u64 = 1_000;

/// Liveness: nothing blocks the liquidation of an unhealthy account. Each pair the pools list
/// liquidates for a liquidator with the funds (paid in supply shares, which needs no cash), and
/// an account with no pair has its debt written off. Every attempt is rolled back.
fn check_liveness() {
	for borrower in USERS {
		if Lending::is_liquidatable(&borrower) != Ok(true) {
			continue;
		}
		let pairs = Lending::liquidation_pairs(&borrower).expect("fresh prices value the pairs");
		let attempt = |body: &dyn Fn() -> Result<(), DispatchError>| {
			frame_support::storage::with_transaction(|| {
				let result = body();
				frame_support::storage::TransactionOutcome::Rollback(Ok::<_, DispatchError>(result))
			})
			.expect("rolled back")
		};
		if pairs.is_empty() {
			let written_off = attempt(&|| Lending::write_off(&borrower));
			assert_eq!(written_off, Ok(()), "account {borrower} has no pair and no write-off");
		}
		for (debt, collateral) in pairs {
			let liquidated = attempt(&|| {
				let asset = MARKETS.iter().find(|m| m.id == debt).copied().unwrap_or(DOT);
				use frame_support::traits::fungibles::Mutate;
				Assets::mint_into(debt, &OUTSIDER, asset.units(STARTING_TOKENS))?;
				<Lending as LendingLiquidation<u64>>::liquidate(
					&OUTSIDER,
					&borrower,
					debt,
					collateral,
					Balance::MAX,
					SeizedAs::Shares,
				)
				.map(|_| ())
			});
			assert_eq!(liquidated, Ok(()), "pair ({debt}, {collateral}) of {borrower} is stuck");
		}
	}
}

/// Creates the sequences' pool with every user a member.
fn open_pool() {
	Lending::create_pool(RuntimeOrigin::root(), ISSUER).expect("the pool is created");
	for who in USERS {
		Lending::grant_credential(RuntimeOrigin::signed(ISSUER), POOL, who)
			.expect("the issuer grants");
	}
}

/// Every user supplies 1,000 tokens of DOT and 1,000 of USDC, so borrowing has cash and
/// collateral from the first step.
fn supply_everywhere() {
	for who in USERS {
		for asset in [DOT, USDC] {
			let seed = if Markets::<Test>::get(asset.id).is_some_and(|m| m.seed == 0) {
				asset.min_balance
			} else {
				0
			};
			Lending::supply(RuntimeOrigin::signed(who), asset.id, asset.units(1_000) + seed)
				.expect("the opening supplies succeed");
		}
	}
}

/// Opens the sequences' supplies, pool and credit policy, then runs `steps`.
fn run_sequence(steps: &[Step]) {
	supply_everywhere();
	open_pool();
	set_credit_policy();
	for step in steps {
		run(step);
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	#[test]
	fn random_sequences_keep_the_invariants(steps in proptest::collection::vec(step(), 1..80)) {
		new_test_ext().execute_with(|| {
			run_sequence(&steps);
			check_exit();
		});
	}

	/// The score cannot be bought: whatever the accounts do within one moment (borrow any
	/// amount, repay it, for themselves or each other, move tokens between them, take flash
	/// loans, liquidate), no loan counts, nothing is proven and every score stays zero.
	#[test]
	fn nothing_done_in_a_moment_raises_a_score(
		steps in proptest::collection::vec(
			step().prop_filter("no time passes", |step| !matches!(step, Step::Advance { .. })),
			1..80,
		)
	) {
		new_test_ext().execute_with(|| {
			run_sequence(&steps);
			for who in USERS {
				let record = Credit::<Test>::get(who).unwrap_or_default();
				assert_eq!((record.repaid, record.proven), (0, FixedU128::from_inner(0)), "{who} gained");
				assert_eq!(Lending::credit_score(&who), 0);
			}
		});
	}
}

/// Opens a debtor for each entry: `who` supplies 10 tokens of DOT or of ETH (`in_eth`) as
/// collateral and borrows one USDC from the users' supplies.
fn open_debtors(debtors: &[bool]) -> Vec<u64> {
	use frame_support::traits::fungibles::Mutate;
	let mut accounts = Vec::new();
	for (n, in_eth) in debtors.iter().enumerate() {
		let who = 2_000 + n as u64;
		let collateral = if *in_eth { ETH } else { DOT };
		Assets::mint_into(collateral.id, &who, collateral.units(20)).expect("minted");
		Lending::supply(RuntimeOrigin::signed(who), collateral.id, collateral.units(10))
			.expect("the debtor supplies");
		Lending::borrow(RuntimeOrigin::signed(who), USDC.id, USDC.units(1))
			.expect("the debtor borrows");
		accounts.push(who);
	}
	accounts
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	/// Whatever the assets and the stretch sizes, walking the accounts exposed to the assets
	/// stretch by stretch finds each exposed debtor once and nothing else; every stretch stays within its limits
	/// and stops early only at one of them; and the walk ends within ⌈D / max_read⌉ +
	/// ⌈E / max⌉ + 1 stretches for D debtors of which E are exposed.
	#[test]
	fn a_walk_over_the_exposed_debtors_is_bounded_and_complete(
		debtors in proptest::collection::vec(any::<bool>(), 0..30),
		markets in proptest::sample::subsequence(MARKETS.to_vec(), 0..=MARKETS.len()),
		max in 1u32..6,
		max_read in 1u32..9,
	) {
		new_test_ext().execute_with(|| {
			supply_everywhere();
			open_debtors(&debtors);
			let assets: Vec<AssetId> = markets.iter().map(|market| market.id).collect();
			let exposed: Vec<u64> = Borrowers::<Test>::iter_keys()
				.filter(|who| Lending::positions_of(who).iter().any(|(a, _)| assets.contains(a)))
				.collect();
			let all = Borrowers::<Test>::iter_keys().count() as u32;
			let bound = all.div_ceil(max_read) + (exposed.len() as u32).div_ceil(max) + 1;
			let (mut found, mut cursor, mut stretches) = (Vec::new(), None, 0u32);
			loop {
				let scan = <Lending as LendingLiquidation<u64>>::exposed(
					&assets, cursor.as_ref(), max, max_read,
				);
				stretches += 1;
				prop_assert!(scan.read <= max_read && scan.found.len() as u32 <= max);
				prop_assert!(
					scan.done || scan.read == max_read || scan.found.len() as u32 == max,
					"a stretch stopped early"
				);
				found.extend(scan.found);
				if scan.done {
					break;
				}
				prop_assert!(stretches <= bound, "{stretches} stretches, bound {bound}");
				cursor = scan.cursor;
			}
			prop_assert!(stretches <= bound, "{stretches} stretches, bound {bound}");
			prop_assert_eq!(found, exposed);
			Ok(())
		})?;
	}
}
