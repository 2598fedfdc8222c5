//! Benchmarks of the lending calls at their worst case: an account in `MaxMarketsPerAccount`
//! markets, so every health check values the most positions an account can have, every market
//! in a permissioned pool, so the calls that need a credential read it, and every borrower with
//! a credit record under a policy of `MaxCreditTiers` tiers, so every borrow limit reads both and
//! a repayment in full counts a loan.

use super::*;
use crate::Pallet as Lending;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungibles::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use lever_primitives::BenchmarkHelper;
use sp_runtime::{FixedU128, Permill};

/// Identifiers of the benchmark assets start here, clear of any the runtime lists.
const FIRST_ASSET: AssetId = 60_000;
/// Decimals of the benchmark assets.
const DECIMALS: u8 = 12;
/// One whole token.
const UNIT: Balance = 1_000_000_000_000;

/// Parameters with room for every benchmark: 50% collateral factor, 80% liquidation threshold.
fn params() -> MarketParams {
	MarketParams {
		rate_model: InterestRateModel::default(),
		reserve_factor: Permill::from_percent(10),
		collateral_factor: Permill::from_percent(50),
		liquidation_threshold: Permill::from_percent(80),
		liquidation_bonus: Permill::from_percent(5),
		close_factor: Permill::from_percent(50),
		supply_cap: Balance::MAX / 4,
		borrow_cap: Balance::MAX / 4,
		min_debt: 0,
	}
}

/// The permissioned pool every benchmark market is in, created on first use.
fn pool<T: Config>() -> PoolId {
	if let Some((pool, _)) = Pools::<T>::iter().next() {
		return pool;
	}
	Lending::<T>::do_create_pool(account("issuer", 0, 0)).expect("benchmark pool")
}

/// A priced asset at $1 with a market in the benchmark pool and 1,000,000 tokens of cash from a
/// lender.
fn market_with_cash<T: Config>(asset: AssetId) {
	T::BenchmarkHelper::create_asset(asset, DECIMALS);
	T::BenchmarkHelper::set_price(asset, FixedU128::from_u32(1));
	Lending::<T>::do_create_market(asset, params(), crate::Clock::<T>::now_ms())
		.expect("benchmark market");
	Lending::<T>::do_set_market_pool(asset, Some(pool::<T>())).expect("market in the pool");
	let lender: T::AccountId = account("lender", 0, 0);
	fund::<T>(&lender, asset, 2_000_000 * UNIT);
	Lending::<T>::do_supply(&lender, &lender, asset, 1_000_000 * UNIT).expect("lender supplies");
}

/// Mints `amount` of `asset` to `who`, a member of the benchmark pool from then on.
fn fund<T: Config>(who: &T::AccountId, asset: AssetId, amount: Balance) {
	T::Assets::mint_into(asset, who, amount).expect("benchmark asset mints");
	Credentials::<T>::insert(pool::<T>(), who, ());
}

/// `count` markets with cash, identifiers from `FIRST_ASSET`.
fn markets<T: Config>(count: u32) -> Vec<AssetId> {
	let assets: Vec<AssetId> = (FIRST_ASSET..FIRST_ASSET + count).collect();
	for asset in &assets {
		market_with_cash::<T>(*asset);
	}
	assets
}

/// A credit policy of `MaxCreditTiers` tiers, the last one's bonus `MaxCreditBonus`, under
/// which every loan counts at once (a minimum loan age of zero, which only storage allows: the
/// benchmarks cannot wait).
fn credit_policy<T: Config>() -> CreditPolicyOf<T> {
	let count = T::MaxCreditTiers::get();
	let tiers = (0..count)
		.map(|tier| CreditTier {
			min_score: tier.saturating_mul(MAX_SCORE) / count,
			bonus: T::MaxCreditBonus::get(),
		})
		.collect::<Vec<_>>();
	CreditPolicy { min_loan_age: 1, tiers: BoundedVec::truncate_from(tiers) }
}

/// Gives `who` a history of five loans repaid, the largest $1,000,000, under the benchmark's
/// credit policy.
fn credit_history<T: Config>(who: &T::AccountId) {
	let mut policy = credit_policy::<T>();
	policy.min_loan_age = 0;
	CreditPolicies::<T>::put(policy);
	let record = CreditRecord {
		repaid: 5,
		proven: FixedU128::from_u32(1_000_000),
		..CreditRecord::new(crate::Clock::<T>::now_ms())
	};
	Credit::<T>::insert(who, record);
}

/// A caller with a credit history supplying 1,000 tokens as collateral to each of `collateral`
/// markets and owing 100 tokens in each of `debt` markets.
fn borrower<T: Config>(collateral: &[AssetId], debt: &[AssetId]) -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	credit_history::<T>(&who);
	for asset in collateral.iter().chain(debt) {
		fund::<T>(&who, *asset, 10_000 * UNIT);
	}
	for asset in collateral {
		Lending::<T>::do_supply(&who, &who, *asset, 1_000 * UNIT).expect("collateral supplied");
	}
	for asset in debt {
		Lending::<T>::do_borrow(&who, *asset, 100 * UNIT).expect("borrowed");
	}
	who
}

/// The most markets an account may be in.
fn max_markets<T: Config>() -> u32 {
	T::MaxMarketsPerAccount::get()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn supply() {
		let assets = markets::<T>(max_markets::<T>());
		let (new, held) = assets.split_last().expect("at least one market");
		let (debt, collateral) = held
			.split_last()
			.map_or((&[][..], held), |(d, c)| (core::slice::from_ref(d), c));
		let caller = borrower::<T>(collateral, debt);
		fund::<T>(&caller, *new, 1_000 * UNIT);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), *new, 100 * UNIT);

		assert!(Lending::<T>::supply_of(&caller, *new).is_some());
	}

	#[benchmark]
	fn withdraw() {
		let assets = markets::<T>(max_markets::<T>());
		let (debt, collateral) = assets.split_last().expect("at least one market");
		let caller = borrower::<T>(collateral, core::slice::from_ref(debt));
		let asset = *collateral.first().unwrap_or(debt);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), asset, AmountOrAll::Amount(10 * UNIT));

		assert_eq!(Lending::<T>::positions_of(&caller).len() as u32, max_markets::<T>());
	}

	#[benchmark]
	fn borrow() {
		let assets = markets::<T>(max_markets::<T>());
		let (new, collateral) = assets.split_last().expect("at least one market");
		let caller = borrower::<T>(collateral, &[]);
		fund::<T>(&caller, *new, 1_000 * UNIT);
		if collateral.is_empty() {
			Lending::<T>::do_supply(&caller, &caller, *new, 1_000 * UNIT)
				.expect("collateral supplied");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), *new, 10 * UNIT);

		assert!(Lending::<T>::scaled_debt_of(&caller, *new).is_some());
	}

	#[benchmark]
	fn repay() {
		let assets = markets::<T>(max_markets::<T>());
		let (debt, collateral) = assets.split_last().expect("at least one market");
		let caller = borrower::<T>(collateral, core::slice::from_ref(debt));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), *debt, AmountOrAll::All);

		assert!(Lending::<T>::scaled_debt_of(&caller, *debt).is_none());
		assert_eq!(Credit::<T>::get(&caller).map(|record| record.repaid), Some(6));
	}

	#[benchmark]
	fn supply_for() {
		let assets = markets::<T>(max_markets::<T>());
		let (debt, collateral) = assets.split_last().expect("at least one market");
		let borrower = borrower::<T>(collateral, core::slice::from_ref(debt));
		let asset = *collateral.first().unwrap_or(debt);
		let payer: T::AccountId = account("payer", 0, 0);
		fund::<T>(&payer, asset, 1_000 * UNIT);
		let before =
			Lending::<T>::supply_of(&borrower, asset).map_or(0, |position| position.shares);

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), borrower.clone(), asset, 100 * UNIT);

		let after = Lending::<T>::supply_of(&borrower, asset).map_or(0, |position| position.shares);
		assert!(after > before);
	}

	#[benchmark]
	fn repay_for() {
		let assets = markets::<T>(max_markets::<T>());
		let (debt, collateral) = assets.split_last().expect("at least one market");
		let borrower = borrower::<T>(collateral, core::slice::from_ref(debt));
		let payer: T::AccountId = account("payer", 0, 0);
		fund::<T>(&payer, *debt, 1_000 * UNIT);

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), borrower.clone(), *debt, AmountOrAll::All);

		assert!(Lending::<T>::scaled_debt_of(&borrower, *debt).is_none());
		assert_eq!(Credit::<T>::get(&borrower).map(|record| record.repaid), Some(6));
	}

	#[benchmark]
	fn enable_collateral() {
		let assets = markets::<T>(max_markets::<T>());
		let (debt, collateral) = assets.split_last().expect("at least one market");
		let caller = borrower::<T>(collateral, core::slice::from_ref(debt));
		let asset = *collateral.first().unwrap_or(debt);
		let position = Lending::<T>::supply_of(&caller, asset)
			.map(|position| SupplyPosition { collateral: false, ..position });
		Lending::<T>::put_supply(&caller, asset, position).expect("the supply is kept");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), asset);

		assert!(Lending::<T>::supply_of(&caller, asset).is_some_and(|position| position.collateral));
	}

	#[benchmark]
	fn disable_collateral() {
		let assets = markets::<T>(max_markets::<T>());
		let (debt, collateral) = assets.split_last().expect("at least one market");
		let caller = borrower::<T>(collateral, core::slice::from_ref(debt));
		let asset = *collateral.first().unwrap_or(debt);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), asset);

		assert!(
			Lending::<T>::supply_of(&caller, asset).is_some_and(|position| !position.collateral)
		);
	}

	#[benchmark]
	fn create_market() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		T::BenchmarkHelper::create_asset(FIRST_ASSET, DECIMALS);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FIRST_ASSET, params());

		assert!(Markets::<T>::contains_key(FIRST_ASSET));
		Ok(())
	}

	#[benchmark]
	fn set_market_params() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		market_with_cash::<T>(FIRST_ASSET);
		let lowered = MarketParams { liquidation_threshold: Permill::from_percent(70), ..params() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FIRST_ASSET, lowered);

		assert!(
			Markets::<T>::get(FIRST_ASSET).is_some_and(|market| market.threshold_ramp.is_some())
		);
		Ok(())
	}

	#[benchmark]
	fn set_market_status() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		market_with_cash::<T>(FIRST_ASSET);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FIRST_ASSET, MarketStatus::Paused);

		assert!(Markets::<T>::get(FIRST_ASSET).is_some_and(|m| m.status == MarketStatus::Paused));
		Ok(())
	}

	#[benchmark]
	fn transfer_reserves() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		market_with_cash::<T>(FIRST_ASSET);
		// Reserves as interest would leave them: tokens in the pallet counted as cash and reserves.
		fund::<T>(&Lending::<T>::account_id(), FIRST_ASSET, 1_000 * UNIT);
		Markets::<T>::mutate(FIRST_ASSET, |market| {
			if let Some(market) = market {
				market.cash += 1_000 * UNIT;
				market.reserves += 1_000 * UNIT;
			}
		});

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FIRST_ASSET, 1_000 * UNIT);

		assert!(Markets::<T>::get(FIRST_ASSET).is_some_and(|market| market.reserves == 0));
		Ok(())
	}

	#[benchmark]
	fn liquidate() {
		let assets = markets::<T>(max_markets::<T>());
		let (debt, collateral) = assets.split_last().expect("at least one market");
		let borrower = borrower::<T>(collateral, core::slice::from_ref(debt));
		let seized = *collateral.first().unwrap_or(debt);
		// Collateral prices fall to an eighth: 1,000 × $0.125 × 80% per market is under the debt
		// unless there are many markets, so the debt's price rises to match.
		for asset in collateral {
			T::BenchmarkHelper::set_price(*asset, FixedU128::from_rational(1, 8));
		}
		T::BenchmarkHelper::set_price(*debt, FixedU128::from_u32(max_markets::<T>()));
		let liquidator: T::AccountId = account("liquidator", 0, 0);
		fund::<T>(&liquidator, *debt, 10_000 * UNIT);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(liquidator.clone()),
			borrower,
			*debt,
			seized,
			10 * UNIT,
			SeizedAs::Tokens,
		);

		assert!(T::Assets::balance(seized, &liquidator) > 0);
	}

	/// A flash loan of 1,000 tokens with no inner calls, repaid from the caller's own funds: the
	/// loan's own work (the flag, both transfers and the market's update). The call adds its
	/// inner calls' weights to this.
	#[benchmark]
	fn flash_loan() {
		let asset = FIRST_ASSET;
		market_with_cash::<T>(asset);
		let caller: T::AccountId = whitelisted_caller();
		fund::<T>(&caller, asset, 10 * UNIT);
		let amount = 1_000 * UNIT;
		let fee = Lending::<T>::flash_loan_fee(amount);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), asset, amount, BoundedVec::new());

		assert!(Markets::<T>::get(asset).is_some_and(|market| market.reserves >= fee));
		assert!(!FlashLoanOpen::<T>::get());
	}

	#[benchmark]
	fn create_pool() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let issuer: T::AccountId = account("issuer", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, issuer);

		assert_eq!(NextPoolId::<T>::get(), 1);
		Ok(())
	}

	#[benchmark]
	fn set_pool_issuer() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let pool = pool::<T>();
		let issuer: T::AccountId = account("issuer", 1, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, pool, issuer.clone());

		assert!(Pools::<T>::get(pool).is_some_and(|entry| entry.issuer == issuer));
		Ok(())
	}

	#[benchmark]
	fn grant_credential() {
		let pool = pool::<T>();
		let issuer: T::AccountId = account("issuer", 0, 0);
		let member: T::AccountId = account("member", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), pool, member.clone());

		assert!(Lending::<T>::is_member(pool, &member));
	}

	#[benchmark]
	fn revoke_credential() {
		let pool = pool::<T>();
		let issuer: T::AccountId = account("issuer", 0, 0);
		let member: T::AccountId = account("member", 0, 0);
		Credentials::<T>::insert(pool, &member, ());

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), pool, member.clone());

		assert!(!Lending::<T>::is_member(pool, &member));
	}

	#[benchmark]
	fn set_market_pool() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		market_with_cash::<T>(FIRST_ASSET);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FIRST_ASSET, None);

		assert!(Markets::<T>::get(FIRST_ASSET).is_some_and(|market| market.pool.is_none()));
		Ok(())
	}

	#[benchmark]
	fn set_credit_policy() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let policy = credit_policy::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy.clone());

		assert_eq!(CreditPolicies::<T>::get(), Some(policy));
		Ok(())
	}

	impl_benchmark_test_suite!(Lending, crate::mock::new_test_ext(), crate::mock::Test);
}
