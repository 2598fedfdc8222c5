//! Runtime upgrades on a populated chain: a chain with the storage of spec 100 (the liquidation
//! engine at storage version 0 with its backstop pools under `Pools`, the vault pallet under its
//! old name `Cdp`, the oracle's prices, holds and freezes in three maps) is upgraded to this
//! runtime, which carries the versioned migrations, and goes on producing blocks with every
//! invariant holding. With `--features try-runtime` (scripts/test.sh runs it so) the same upgrade
//! also runs through try-runtime: the migration's pre- and post-upgrade checks and every pallet's
//! `try_state`.

use frame_support::traits::{GetStorageVersion, StorageVersion};
use lever_fuzz::{chain::Chain, run_keeping_chain, Format, SeededBytes};
use lever_runtime::{Liquidation, Oracle, Runtime, System, Vaults, VERSION};
use pallet_liquidation::{migrations, AuctionBook, AuctionBooks};

/// A chain the fuzzer populated: the first input of seed 2026 that ends with auctions running,
/// vaults, lending debt and backstop deposits, with no invariant broken on the way.
fn populated_chain() -> Chain {
	let mut bytes = SeededBytes::new(2026);
	for _ in 0..400 {
		let (mut chain, result) = run_keeping_chain(Format::LATEST, &bytes.take(1_024));
		result.expect("the populating run breaks no invariant");
		let populated = chain.execute_with(|| {
			pallet_liquidation::Auctions::<Runtime>::iter().next().is_some()
				&& pallet_vaults::Vaults::<Runtime>::iter().next().is_some()
				&& pallet_lending::Debtors::<Runtime>::iter().next().is_some()
				&& pallet_liquidation::Deposits::<Runtime>::iter().next().is_some()
		});
		if populated {
			return chain;
		}
	}
	panic!("no input of seed 2026 populates every pallet");
}

/// Puts the engine's storage back as spec 100 left it: the version-0 auction bookkeeping and the
/// last upgrade at spec 100. Returns the books the migration must rebuild.
fn as_spec_100(chain: &mut Chain) -> AuctionBook {
	chain.execute_with(|| {
		assert_eq!(
			Liquidation::on_chain_storage_version(),
			StorageVersion::new(2),
			"a new genesis starts at the engine's current storage version"
		);
		let books = AuctionBooks::<Runtime>::get();
		assert!(books.running > 0, "auctions run");
		migrations::v2::write_v1_layout::<Runtime>();
		migrations::v1::write_v0_layout::<Runtime>();
		pallet_vaults::migrations::v1::write_v0_layout::<Runtime>();
		pallet_oracle::migrations::v2::write_v1_layout::<Runtime>();
		assert_eq!(pallet_oracle::PriceFeeds::<Runtime>::iter().count(), 0, "prices in three maps");
		assert_eq!(pallet_vaults::Vaults::<Runtime>::iter().count(), 0, "vaults under Cdp");
		frame_system::LastRuntimeUpgrade::<Runtime>::put(frame_system::LastRuntimeUpgradeInfo {
			spec_version: codec::Compact(100),
			spec_name: VERSION.spec_name.clone(),
		});
		books
	})
}

#[test]
fn the_next_block_after_an_upgrade_migrates_the_engine_and_the_chain_goes_on() {
	let mut chain = populated_chain();
	let books = as_spec_100(&mut chain);
	chain.start_block(1);
	chain.execute_with(|| {
		assert_eq!(AuctionBooks::<Runtime>::get(), books);
		assert_eq!(Liquidation::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(Vaults::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(2));
		assert!(pallet_oracle::PriceFeeds::<Runtime>::iter().next().is_some(), "prices in feeds");
		assert!(pallet_vaults::Vaults::<Runtime>::iter().next().is_some(), "vaults moved back");
		let upgrade = frame_system::LastRuntimeUpgrade::<Runtime>::get().expect("recorded");
		assert_eq!(upgrade.spec_version.0, VERSION.spec_version);
		const { assert!(VERSION.spec_version > 100, "the upgrade raises the spec version") };
		lever_runtime::invariants::check_invariants()
			.expect("every pallet's invariants hold after the migration");
	});
	chain.finish_block();
	for _ in 0..3 {
		chain.start_block(1);
		chain.finish_block();
	}
	chain.execute_with(|| {
		assert!(System::block_number() > 4);
		lever_runtime::invariants::check_invariants()
			.expect("every pallet's invariants hold later");
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn try_runtime_runs_the_migrations_checks_and_every_pallets_try_state() {
	use frame_try_runtime::UpgradeCheckSelect;
	let mut chain = populated_chain();
	let books = as_spec_100(&mut chain);
	chain.execute_with(|| {
		let weight = lever_runtime::Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.expect("pre-upgrade, migration, post-upgrade and try_state all pass");
		assert_eq!(AuctionBooks::<Runtime>::get(), books);
		assert_eq!(Liquidation::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(Vaults::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(2));
		assert!(pallet_oracle::PriceFeeds::<Runtime>::iter().next().is_some(), "prices in feeds");
		assert!(weight.ref_time() > 0, "the migration is charged");
	});
	// The same checks without the migration: every pallet's try_state on the populated chain
	// as it is after the upgrade.
	chain.execute_with(|| {
		lever_runtime::Executive::try_runtime_upgrade(UpgradeCheckSelect::TryState)
			.expect("every pallet's try_state passes");
	});
}
