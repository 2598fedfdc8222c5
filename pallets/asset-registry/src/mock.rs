//! A test runtime with real balances and assets and the registry, foreign assets numbered 100 to
//! 102.

use crate as pallet_asset_registry;
use frame_support::{
	derive_impl,
	traits::{AsEnsureOriginWithArg, ConstU32},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use lever_primitives::Balance;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Registry: pallet_asset_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<u64>>;
	type ForceOrigin = EnsureRoot<u64>;
	type Freezer = ();
}

/// The first foreign asset's identifier.
pub const FIRST_FOREIGN: u32 = 100;
/// The last foreign asset's identifier: three fit.
pub const LAST_FOREIGN: u32 = 102;

frame_support::parameter_types! {
	pub const RegistryPalletId: PalletId = PalletId(*b"lvr/areg");
}

impl pallet_asset_registry::Config for Test {
	type FirstAssetId = ConstU32<FIRST_FOREIGN>;
	type LastAssetId = ConstU32<LAST_FOREIGN>;
	type PalletId = RegistryPalletId;
	type WeightInfo = ();
}

/// Storage with no foreign asset, at block 1 (so events are recorded).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` on fresh storage, then checks the registry's invariants.
pub fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Registry::do_try_state().unwrap();
	});
}
