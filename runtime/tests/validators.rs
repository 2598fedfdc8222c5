//! The validator set on the four-validator local testnet preset, through the real pallets: a
//! validator that registers its keys and is added by full governance authors (Aura), votes
//! (GRANDPA) and feeds prices (the oracle) from the second session boundary on; a removed one
//! leaves the same way; the list never drops below the oracle's quorum; the risk council cannot
//! change it; a rotation charges its measured weight, not a whole block; and a chain from before
//! the validator set is seeded from its Aura and GRANDPA authorities.

mod common;

use codec::Encode;
use common::{account, genesis_of};
use frame_support::{
	assert_noop, assert_ok,
	traits::{Hooks, OnRuntimeUpgrade},
};
use lever_runtime::{
	configs::{consensus::SESSION_LENGTH, RuntimeBlockWeights},
	migrations::{write_pre_session_layout, SeedValidatorSet},
	AccountId, Grandpa, OriginCaller, Runtime, RuntimeOrigin, Session, SessionKeys, System,
	ValidatorSet,
};
use pallet_validator_set::{Error, WeightInfo};
use sp_core::crypto::KeyTypeId;
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::DispatchError;
use std::sync::Arc;

/// The local testnet, with a keystore for generating keys, at block 1.
fn local_testnet() -> sp_io::TestExternalities {
	let mut ext = genesis_of(LOCAL_TESTNET_RUNTIME_PRESET);
	ext.register_extension(KeystoreExt(Arc::new(MemoryKeystore::new())));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to `to`: the validator set's rotation at boundaries and GRANDPA's scheduled
/// changes, as the executive would.
fn run_to(to: u32) {
	while System::block_number() < to {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		ValidatorSet::on_initialize(next);
		Grandpa::on_finalize(next);
		lever_runtime::invariants::check_invariants().expect("invariants hold");
	}
}

/// Runs to the `count`-th session boundary from now.
fn run_sessions(count: u32) {
	let now = System::block_number();
	run_to((now / SESSION_LENGTH + count) * SESSION_LENGTH);
}

/// Eve's session keys, generated from her dev seed in the keystore, registered with
/// `session.setKeys` and its ownership proof.
fn eve_registers_keys() -> SessionKeys {
	let eve = account(Sr25519Keyring::Eve);
	let generated = SessionKeys::generate(&eve.encode(), Some(b"//Eve".to_vec()));
	assert_ok!(Session::set_keys(
		RuntimeOrigin::signed(eve),
		generated.keys.clone(),
		generated.proof.encode()
	));
	generated.keys
}

fn aura_authorities() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

#[test]
fn an_added_validator_authors_votes_and_feeds_from_the_second_boundary() {
	local_testnet().execute_with(|| {
		let keys = eve_registers_keys();
		assert_eq!(keys.aura, Sr25519Keyring::Eve.public().into());
		assert_eq!(keys.grandpa, Ed25519Keyring::Eve.public().into());
		let eve = account(Sr25519Keyring::Eve);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), eve.clone()));

		run_sessions(1);
		assert!(!aura_authorities().contains(&keys.aura), "planned, not yet in office");
		run_sessions(1);
		assert!(aura_authorities().contains(&keys.aura));
		assert_eq!(aura_authorities().len(), 5);
		assert!(Grandpa::grandpa_authorities().contains(&(keys.grandpa.clone(), 1)));
		assert_eq!(Grandpa::current_set_id(), 1, "one GRANDPA set change");
		assert!(pallet_oracle::Feeders::<Runtime>::get().contains(&keys.oracle));

		// Nothing changes at the next boundaries: GRANDPA keeps its set.
		run_sessions(3);
		assert_eq!(Grandpa::current_set_id(), 1);
	});
}

#[test]
fn a_removed_validator_leaves_office_and_the_list_keeps_the_oracle_quorum() {
	local_testnet().execute_with(|| {
		let dave = account(Sr25519Keyring::Dave);
		let charlie = account(Sr25519Keyring::Charlie);
		assert_eq!(pallet_oracle::MinFeeders::<Runtime>::get(), 3);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), dave.clone()));
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), charlie),
			Error::<Runtime>::TooFewValidators
		);
		run_sessions(2);
		let dave_aura = Sr25519Keyring::Dave.public().into();
		assert!(!aura_authorities().contains(&dave_aura));
		assert_eq!(aura_authorities().len(), 3);
		assert_eq!(Grandpa::grandpa_authorities().len(), 3);
		assert!(!pallet_oracle::Feeders::<Runtime>::get()
			.contains(&Sr25519Keyring::Dave.public().into()));
	});
}

#[test]
fn the_risk_council_cannot_change_validators() {
	local_testnet().execute_with(|| {
		eve_registers_keys();
		let council: RuntimeOrigin =
			OriginCaller::RiskCouncil(pallet_collective::RawOrigin::Members(3, 3)).into();
		assert_noop!(
			ValidatorSet::add_validator(council.clone(), account(Sr25519Keyring::Eve)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(council, account(Sr25519Keyring::Dave)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(
				RuntimeOrigin::signed(account(Sr25519Keyring::Eve)),
				account(Sr25519Keyring::Eve)
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_rotation_charges_its_measured_weight_not_a_whole_block() {
	local_testnet().execute_with(|| {
		let rotation = <Runtime as pallet_validator_set::Config>::WeightInfo::rotate_session();
		assert_eq!(ValidatorSet::on_initialize(SESSION_LENGTH - 1), Default::default());
		System::set_block_number(SESSION_LENGTH);
		assert_eq!(ValidatorSet::on_initialize(SESSION_LENGTH), rotation);
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 1);
		let max = RuntimeBlockWeights::get().max_block;
		assert!(rotation.ref_time() * 20 < max.ref_time(), "a rotation takes under 5% of a block");
		// pallet-session itself never ends a session (it would charge the whole block).
		assert_eq!(Session::on_initialize(2 * SESSION_LENGTH), Default::default());
	});
}

#[test]
fn a_chain_from_before_the_validator_set_is_seeded_from_its_authorities() {
	local_testnet().execute_with(|| {
		let listed = pallet_validator_set::Validators::<Runtime>::get();
		let in_office = pallet_session::Validators::<Runtime>::get();
		let aura = aura_authorities();
		let feeders = pallet_oracle::Feeders::<Runtime>::get();
		write_pre_session_layout();
		assert!(pallet_validator_set::Validators::<Runtime>::get().is_empty());
		assert!(pallet_session::NextKeys::<Runtime>::iter().next().is_none());

		SeedValidatorSet::on_runtime_upgrade();
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get(), listed);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), in_office);
		for who in listed.iter() {
			assert!(pallet_session::NextKeys::<Runtime>::contains_key(who));
		}
		// A second run does nothing.
		let seeded = pallet_session::QueuedKeys::<Runtime>::get();
		SeedValidatorSet::on_runtime_upgrade();
		assert_eq!(pallet_session::QueuedKeys::<Runtime>::get(), seeded);

		// The same validators go on, and can be changed as on any chain.
		run_sessions(2);
		assert_eq!(aura_authorities(), aura);
		assert_eq!(Grandpa::current_set_id(), 0, "no GRANDPA change");
		assert_eq!(pallet_oracle::Feeders::<Runtime>::get(), feeders);
		let eve_keys = eve_registers_keys();
		assert_ok!(ValidatorSet::add_validator(
			RuntimeOrigin::root(),
			account(Sr25519Keyring::Eve)
		));
		run_sessions(2);
		assert!(aura_authorities().contains(&eve_keys.aura));
		// The seeded keys are owned by their validators: Bob can still rotate his.
		let bob: AccountId = account(Sr25519Keyring::Bob);
		let owner = pallet_session::KeyOwner::<Runtime>::get((
			KeyTypeId(*b"aura"),
			Sr25519Keyring::Bob.public().0.to_vec(),
		));
		assert_eq!(owner, Some(bob));
	});
}
