//! Benchmarks of the oracle's calls, worst cases first: a submission that completes the quorum of
//! every asset with `MaxFeeders` feeders, and governance calls on full lists.

use super::*;
use crate::Pallet as Oracle;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use lever_primitives::PricedPositions;
use sp_runtime::{FixedU128, RuntimeAppPublic};

/// `count` feeders with keys in the benchmark keystore, stored sorted.
fn setup_feeders<T: Config>(count: u32) -> Vec<FeederId> {
	let mut feeders: Vec<FeederId> = (0..count).map(|_| FeederId::generate_pair(None)).collect();
	feeders.sort();
	Feeders::<T>::put(BoundedVec::truncate_from(feeders.clone()));
	feeders
}

/// Assets `1..=count`, listed.
fn setup_assets<T: Config>(count: u32) -> Vec<AssetId> {
	let assets: Vec<AssetId> = (1..=count).collect();
	Assets::<T>::put(BoundedVec::truncate_from(assets.clone()));
	assets
}

/// Every feeder but the first has submitted `value` for every asset in the current round, and
/// every asset has a price, so the first feeder's submission aggregates all of them.
fn setup_round<T: Config>(
	feeders: &[FeederId],
	assets: &[AssetId],
	value: FixedU128,
) -> RoundIndex {
	let round = Oracle::<T>::current_round();
	for asset in assets {
		let price = Price { value, updated_at: 0, round: 0, source: PriceSource::Feeds };
		PriceFeeds::<T>::insert(asset, PriceFeed { price: Some(price), ..Default::default() });
		for feeder in feeders.iter().skip(1) {
			Submissions::<T>::insert(asset, feeder, Submission { value, round });
		}
	}
	round
}

/// A signed payload from `feeder` pricing every asset at `value`.
fn signed_payload<T: Config>(
	feeder: FeederId,
	round: RoundIndex,
	assets: &[AssetId],
	value: FixedU128,
) -> (PricesPayload<T::MaxAssets>, FeederSignature) {
	let prices = assets.iter().map(|asset| (*asset, value)).collect::<Vec<_>>();
	let payload = PricesPayload { feeder, round, prices: BoundedVec::truncate_from(prices) };
	let signature = payload
		.feeder
		.sign(&Pallet::<T>::signing_bytes(&payload))
		.unwrap_or_else(|| panic!("the benchmark keystore holds the feeder key"));
	(payload, signature)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_prices(
		a: Linear<1, { T::MaxAssets::get() }>,
		f: Linear<1, { T::MaxFeeders::get() }>,
	) {
		let feeders = setup_feeders::<T>(f);
		let assets = setup_assets::<T>(a);
		let value = FixedU128::from_u32(7);
		let round = setup_round::<T>(&feeders, &assets, value);
		let (payload, signature) = signed_payload::<T>(feeders[0].clone(), round, &assets, value);

		#[extrinsic_call]
		_(RawOrigin::Authorized, payload, signature);

		assert_eq!(LastRound::<T>::get(&feeders[0]), Some(round));
	}

	#[benchmark]
	fn authorize_submit_prices(
		a: Linear<1, { T::MaxAssets::get() }>,
	) -> Result<(), BenchmarkError> {
		let feeders = setup_feeders::<T>(T::MaxFeeders::get());
		let assets = setup_assets::<T>(a);
		let value = FixedU128::from_u32(7);
		let (payload, signature) =
			signed_payload::<T>(feeders[0].clone(), Oracle::<T>::current_round(), &assets, value);
		let call = Call::<T>::submit_prices { payload, signature };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("submit_prices is authorized")?
				.map_err(|_| "the submission is valid")?;
		}

		Ok(())
	}

	#[benchmark]
	fn add_asset() -> Result<(), BenchmarkError> {
		setup_assets::<T>(T::MaxAssets::get() - 1);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::MaxAssets::get());

		assert_eq!(Assets::<T>::get().len() as u32, T::MaxAssets::get());
		Ok(())
	}

	#[benchmark]
	fn remove_asset() -> Result<(), BenchmarkError> {
		let feeders = setup_feeders::<T>(T::MaxFeeders::get());
		let assets = setup_assets::<T>(T::MaxAssets::get());
		setup_round::<T>(&feeders, &assets, FixedU128::from_u32(7));
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// The last asset: no position is valued in it, so every consumer is asked (the longest
		// path), and the chain's own assets keep their positions.
		let asset = assets.last().copied().ok_or(BenchmarkError::Weightless)?;
		assert!(!T::PricedPositions::priced_in(asset), "the benchmark's asset has no positions");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset);

		assert!(Pallet::<T>::feed(asset).price.is_none());
		Ok(())
	}

	#[benchmark]
	fn set_emergency_price() -> Result<(), BenchmarkError> {
		setup_assets::<T>(T::MaxAssets::get());
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1, FixedU128::from_u32(5));

		assert!(Pallet::<T>::feed(1).price.is_some());
		Ok(())
	}

	#[benchmark]
	fn freeze_asset() -> Result<(), BenchmarkError> {
		setup_assets::<T>(T::MaxAssets::get());
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1);

		assert!(Pallet::<T>::feed(1).frozen);
		Ok(())
	}

	#[benchmark]
	fn unfreeze_asset() -> Result<(), BenchmarkError> {
		setup_assets::<T>(T::MaxAssets::get());
		PriceFeeds::<T>::insert(1, PriceFeed { frozen: true, ..Default::default() });
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1);

		assert!(!Pallet::<T>::feed(1).frozen);
		Ok(())
	}

	#[benchmark]
	fn set_min_feeders() -> Result<(), BenchmarkError> {
		setup_feeders::<T>(T::MaxFeeders::get());
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::MaxFeeders::get());

		assert_eq!(MinFeeders::<T>::get(), T::MaxFeeders::get());
		Ok(())
	}

	impl_benchmark_test_suite!(Oracle, crate::mock::new_test_ext(0), crate::mock::Test);
}
