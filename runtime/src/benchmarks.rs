//! The pallets whose benchmarks `lever-node benchmark pallet` runs (with `runtime-benchmarks`),
//! and the assets and prices Lever's pallets' benchmarks create through the runtime.

use crate::{AssetId, RuntimeOrigin};
pub use crate::{Assets, Balances, Cdp, Lending, Oracle, Runtime, Sudo, Timestamp};
pub use frame_benchmarking::baseline::Pallet as Baseline;
pub use frame_system_benchmarking::{
	extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
};
use sp_runtime::FixedU128;

impl frame_benchmarking::baseline::Config for Runtime {}
impl frame_system_benchmarking::Config for Runtime {}

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking::baseline, Baseline::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_assets, Assets]
	[pallet_oracle, Oracle]
	[pallet_lending, Lending]
	[pallet_cdp, Cdp]
);

/// Creates benchmark assets in pallet-assets and prices them through the oracle's emergency
/// price, which is fresh while the benchmark runs.
pub struct AssetsAndPrices;

impl lever_primitives::BenchmarkHelper for AssetsAndPrices {
	fn create_asset(asset: AssetId, decimals: u8) {
		let owner = sp_runtime::MultiAddress::Id(crate::configs::lending::TreasuryAccount::get());
		let created = Assets::force_create(RuntimeOrigin::root(), asset.into(), owner, true, 1);
		assert!(created.is_ok(), "benchmark asset {asset} created: {created:?}");
		let named = Assets::force_set_metadata(
			RuntimeOrigin::root(),
			asset.into(),
			b"Benchmark".to_vec(),
			b"BNCH".to_vec(),
			decimals,
			false,
		);
		assert!(named.is_ok(), "benchmark asset {asset} named: {named:?}");
	}

	fn set_price(asset: AssetId, value: FixedU128) {
		if !pallet_oracle::Assets::<Runtime>::get().contains(&asset) {
			let listed = Oracle::add_asset(RuntimeOrigin::root(), asset);
			assert!(listed.is_ok(), "benchmark asset {asset} priced: {listed:?}");
		}
		let priced = Oracle::set_emergency_price(RuntimeOrigin::root(), asset, value);
		assert!(priced.is_ok(), "benchmark price of {asset} set: {priced:?}");
	}
}
