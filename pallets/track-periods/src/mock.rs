//! A test runtime with the pallet alone, root as its admin and default periods of 10, 100, 10
//! and 50 blocks.

use crate as pallet_track_periods;
use crate::Periods;
use frame_support::derive_impl;
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		TrackPeriods: pallet_track_periods,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The periods in force when genesis sets none.
pub const DEFAULT: Periods<u64> =
	Periods { prepare: 10, decision: 100, confirm: 10, enactment: 50 };

frame_support::parameter_types! {
	pub const DefaultPeriods: Periods<u64> = DEFAULT;
}

impl pallet_track_periods::Config for Test {
	type DefaultPeriods = DefaultPeriods;
	type AdminOrigin = EnsureRoot<u64>;
	type WeightInfo = ();
}

/// Storage with the given genesis periods, at block 1 (so events are recorded).
pub fn ext_with(periods: Option<Periods<u64>>) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_track_periods::GenesisConfig::<Test> { periods }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Storage with no genesis periods.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with(None)
}
