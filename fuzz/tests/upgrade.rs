//! Runtime upgrades on a populated chain: a chain with the storage of spec 100 (the liquidation
//! engine at storage version 0 with its backstop pools under `Pools`, the vault pallet under its
//! old name `Cdp`, the oracle's prices, holds and freezes in three maps, lending's supplies and
//! debts in maps of their own beside version 1's index by market and count of borrowers, no validator set or sessions: Aura and GRANDPA keep the
//! authorities) is upgraded to this runtime, which carries the versioned
//! migrations, runs the multi-block one over the blocks that follow, and goes on producing blocks
//! with every invariant holding. With `--features try-runtime` (scripts/test.sh runs it so) the same upgrade
//! also runs through try-runtime: the migration's pre- and post-upgrade checks and every pallet's
//! `try_state`.

use frame_support::{
	migrations::MultiStepMigrator,
	traits::{GetStorageVersion, StorageVersion},
};
use lever_fuzz::{chain::Chain, run_keeping_chain, Format, SeededBytes};
use lever_runtime::{AccountId, Lending, Liquidation, Oracle, Runtime, System, Vaults, VERSION};
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
				&& pallet_lending::Borrowers::<Runtime>::iter().next().is_some()
				&& pallet_liquidation::Deposits::<Runtime>::iter().next().is_some()
		});
		if populated {
			return chain;
		}
	}
	panic!("no input of seed 2026 populates every pallet");
}

/// Puts the engine's storage back as spec 100 left it: the version-0 auction bookkeeping and the
/// last upgrade at spec 100. Returns the books and the lending positions the migrations must
/// rebuild.
fn as_spec_100(chain: &mut Chain) -> (AuctionBook, LendingPositions) {
	chain.execute_with(|| {
		assert_eq!(
			Liquidation::on_chain_storage_version(),
			StorageVersion::new(2),
			"a new genesis starts at the engine's current storage version"
		);
		let books = AuctionBooks::<Runtime>::get();
		assert!(books.running > 0, "auctions run");
		let positions = lending_positions();
		migrations::v2::write_v1_layout::<Runtime>();
		migrations::v1::write_v0_layout::<Runtime>();
		pallet_vaults::migrations::v1::write_v0_layout::<Runtime>();
		pallet_oracle::migrations::v2::write_v1_layout::<Runtime>();
		pallet_lending::migrations::v3::write_v2_layout::<Runtime>();
		pallet_lending::migrations::v2::write_v1_layout::<Runtime>();
		assert!(pallet_lending::migrations::v2::v1::Exposures::<Runtime>::iter()
			.next()
			.is_some());
		pallet_lending::migrations::v1::write_v0_layout::<Runtime>();
		lever_runtime::migrations::write_pre_session_layout();
		assert!(pallet_validator_set::Validators::<Runtime>::get().is_empty(), "no validator set");
		assert_eq!(pallet_lending::Positions::<Runtime>::iter().count(), 0, "positions apart");
		assert_eq!(pallet_oracle::PriceFeeds::<Runtime>::iter().count(), 0, "prices in three maps");
		assert_eq!(pallet_vaults::Vaults::<Runtime>::iter().count(), 0, "vaults under Cdp");
		frame_system::LastRuntimeUpgrade::<Runtime>::put(frame_system::LastRuntimeUpgradeInfo {
			spec_version: codec::Compact(100),
			spec_name: VERSION.spec_name.clone(),
		});
		(books, positions)
	})
}

/// Every lending account's positions and the accounts with debt.
type LendingPositions = (Vec<(AccountId, Vec<(u32, pallet_lending::Position)>)>, Vec<AccountId>);

/// The lending positions now, sorted.
fn lending_positions() -> LendingPositions {
	let mut positions: Vec<_> = pallet_lending::Positions::<Runtime>::iter()
		.map(|(who, positions)| (who, positions.into_inner()))
		.collect();
	positions.sort_by(|(a, _), (b, _)| a.cmp(b));
	let mut debtors: Vec<_> = pallet_lending::Borrowers::<Runtime>::iter_keys().collect();
	debtors.sort();
	(positions, debtors)
}

/// Whether a multi-block migration is under way.
fn migrating() -> bool {
	<<Runtime as frame_system::Config>::MultiBlockMigrator as MultiStepMigrator>::ongoing()
}

#[test]
fn the_next_block_after_an_upgrade_migrates_the_engine_and_the_chain_goes_on() {
	let mut chain = populated_chain();
	let (books, positions) = as_spec_100(&mut chain);
	chain.start_block(1);
	chain.execute_with(|| {
		assert_eq!(AuctionBooks::<Runtime>::get(), books);
		assert_eq!(Lending::on_chain_storage_version(), StorageVersion::new(3));
		assert!(
			pallet_lending::Markets::<Runtime>::iter_values().all(|market| market.pool.is_none()),
			"every market is public after the upgrade"
		);
		assert!(
			!pallet_lending::migrations::v2::v1::CounterForBorrowers::<Runtime>::exists(),
			"the borrowers' count is gone in the upgrade's block"
		);
		assert!(migrating(), "lending positions move over the next blocks");
		assert_eq!(Liquidation::on_chain_storage_version(), StorageVersion::new(2));
		assert_eq!(Vaults::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Oracle::on_chain_storage_version(), StorageVersion::new(2));
		assert!(pallet_oracle::PriceFeeds::<Runtime>::iter().next().is_some(), "prices in feeds");
		assert!(pallet_vaults::Vaults::<Runtime>::iter().next().is_some(), "vaults moved back");
		assert_eq!(
			pallet_validator_set::Validators::<Runtime>::get().len(),
			pallet_aura::Authorities::<Runtime>::get().len(),
			"the validator set seeded from the authorities"
		);
		let upgrade = frame_system::LastRuntimeUpgrade::<Runtime>::get().expect("recorded");
		assert_eq!(upgrade.spec_version.0, VERSION.spec_version);
		const { assert!(VERSION.spec_version > 100, "the upgrade raises the spec version") };
	});
	chain.finish_block();
	let mut blocks = 1;
	while chain.execute_with(migrating) {
		assert!(blocks < 10, "the lending migration ends within ten blocks");
		chain.start_block(1);
		chain.finish_block();
		blocks += 1;
	}
	chain.execute_with(|| {
		assert_eq!(lending_positions(), positions, "every position moved unchanged");
		assert!(
			pallet_lending::migrations::v2::v1::Exposures::<Runtime>::iter()
				.next()
				.is_none(),
			"the old index by market is gone"
		);
		lever_runtime::invariants::check_invariants()
			.expect("every pallet's invariants hold after the migrations");
	});
	// Past two session boundaries: the seeded validators stay in office.
	let boundary = lever_runtime::configs::consensus::SESSION_LENGTH;
	let from = chain.execute_with(System::block_number);
	while chain.execute_with(System::block_number) < (from / boundary + 2) * boundary + 1 {
		chain.start_block(1);
		chain.finish_block();
	}
	chain.execute_with(|| {
		assert!(pallet_session::CurrentIndex::<Runtime>::get() >= 2, "two sessions went by");
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 1, "Alice validates");
		lever_runtime::invariants::check_invariants()
			.expect("every pallet's invariants hold later");
	});
}

#[cfg(feature = "try-runtime")]
#[test]
fn try_runtime_runs_the_migrations_checks_and_every_pallets_try_state() {
	use frame_try_runtime::UpgradeCheckSelect;
	let mut chain = populated_chain();
	let (books, positions) = as_spec_100(&mut chain);
	chain.execute_with(|| {
		// Every pallet's `try_state` waits for the multi-block migration, below.
		let weight = lever_runtime::Executive::try_runtime_upgrade(UpgradeCheckSelect::PreAndPost)
			.expect("pre-upgrade, migration and post-upgrade all pass");
		assert_eq!(AuctionBooks::<Runtime>::get(), books);
		let mut steps = 0;
		while migrating() {
			assert!(steps < 10, "the lending migration ends within ten steps");
			<<Runtime as frame_system::Config>::MultiBlockMigrator as MultiStepMigrator>::step();
			steps += 1;
		}
		assert_eq!(lending_positions(), positions, "every position moved unchanged");
		assert!(
			pallet_lending::migrations::v2::v1::Exposures::<Runtime>::iter()
				.next()
				.is_none(),
			"the old index by market is gone"
		);
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
