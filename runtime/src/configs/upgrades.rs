//! Runtime upgrades: the storage migrations an upgrade runs. Those with a bounded amount of work
//! run in the upgrade's block (`crate::Migrations`, through the executive); those over data with
//! no bound run here, over as many blocks as they need, through pallet-migrations. While one
//! runs, blocks carry no transactions and the liquidation engine waits for it.

use frame_support::{migrations::FreezeChainOnFailedMigration, parameter_types, weights::Weight};
use sp_runtime::Perbill;

use crate::{configs::RuntimeBlockWeights, Runtime, RuntimeEvent};

parameter_types! {
	/// The most of a block a multi-block migration may use: half, so each of its blocks keeps
	/// room for the hooks that must run in every block.
	pub MaxMigrationWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// The multi-block migrations of this runtime, in the order they run.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type MultiBlockMigrations = (
	pallet_lending::migrations::v1::LendingPositionsV1<Runtime>,
	pallet_lending::migrations::v2::LendingIndexV2<Runtime>,
);

/// Runs the multi-block migrations. A migration that fails freezes the chain, so that no block
/// builds on storage half in one layout and half in another; governance's fix is a new upgrade.
impl pallet_migrations::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	#[cfg(not(feature = "runtime-benchmarks"))]
	type Migrations = MultiBlockMigrations;
	#[cfg(feature = "runtime-benchmarks")]
	type Migrations = pallet_migrations::mock_helpers::MockedMigrations;
	type CursorMaxLen = frame_support::traits::ConstU32<256>;
	type IdentifierMaxLen = frame_support::traits::ConstU32<32>;
	type MigrationStatusHandler = ();
	type FailedMigrationHandler = FreezeChainOnFailedMigration;
	type MaxServiceWeight = MaxMigrationWeight;
	type WeightInfo = pallet_migrations::weights::SubstrateWeight<Runtime>;
}
