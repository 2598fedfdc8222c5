//! The pallets whose benchmarks `lever-node benchmark pallet` runs (with `runtime-benchmarks`).

pub use crate::{Assets, Balances, Lending, Oracle, Runtime, Sudo, Timestamp};
pub use frame_benchmarking::baseline::Pallet as Baseline;
pub use frame_system_benchmarking::{
	extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
};

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
);
