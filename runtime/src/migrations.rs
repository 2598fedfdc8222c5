//! The runtime's own migration: seeding the validator set of a chain that started before it.
//!
//! Until spec 109 Lever had no pallet-session: Aura and GRANDPA kept the genesis authorities and
//! the oracle its own list of feeders. [`SeedValidatorSet`] hands those validators to the
//! validator set and pallet-session, so that the chain goes on with the same validators, now
//! kept by governance.

use alloc::vec::Vec;
use frame_support::{
	traits::{GetStorageVersion, OnRuntimeUpgrade, PalletInfoAccess},
	weights::Weight,
	BoundedVec,
};
use sp_runtime::traits::OpaqueKeys;

use crate::{AccountId, Runtime, Session, SessionKeys};

/// Seeds the validator set and pallet-session from the Aura and GRANDPA authorities in office,
/// when the validator set is empty (a chain from before spec 109); does nothing otherwise.
///
/// Each authority's account is the account of its Aura key (dev and local chains derived both
/// from one seed), and its oracle key is its Aura key too, as the oracle's feeders were. Keys are
/// recorded as set externally: no deposit is held and no consumer reference taken. The session
/// keeps its current index; nothing changes at the first boundary, since the planned set equals
/// the set in office.
pub struct SeedValidatorSet;

impl SeedValidatorSet {
	/// The authorities in office as validators with keys, in Aura's order; empty if Aura and
	/// GRANDPA disagree on how many there are.
	fn authorities() -> Vec<(AccountId, SessionKeys)> {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		if aura.len() != grandpa.len() {
			return Vec::new();
		}
		aura.into_iter()
			.zip(grandpa)
			.map(|(aura, (grandpa, _weight))| {
				let public = aura.clone().into_inner();
				let account = AccountId::from(public.0);
				let oracle = pallet_oracle::FeederId::from(public);
				(account, SessionKeys { aura, grandpa, oracle })
			})
			.collect()
	}
}

impl OnRuntimeUpgrade for SeedValidatorSet {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if !pallet_validator_set::Validators::<Runtime>::get().is_empty() {
			return db.reads(1);
		}
		let validators = Self::authorities();
		if validators.is_empty() {
			log::error!(
				target: "runtime::migrations",
				"Aura and GRANDPA disagree on the authorities: validator set not seeded"
			);
			return db.reads(3);
		}
		for (account, keys) in validators.iter() {
			for id in SessionKeys::key_ids() {
				pallet_session::KeyOwner::<Runtime>::insert(
					(*id, keys.get_raw(*id).to_vec()),
					account,
				);
			}
			pallet_session::NextKeys::<Runtime>::insert(account, keys);
			pallet_session::ExternallySetKeys::<Runtime>::insert(account, ());
		}
		let in_office: Vec<AccountId> = validators.iter().map(|(who, _)| who.clone()).collect();
		pallet_session::Validators::<Runtime>::put(&in_office);
		pallet_session::QueuedKeys::<Runtime>::put(&validators);
		let mut sorted = in_office;
		sorted.sort();
		let listed = BoundedVec::truncate_from(sorted);
		pallet_validator_set::Planned::<Runtime>::put(&listed);
		pallet_validator_set::Validators::<Runtime>::put(listed);
		Session::in_code_storage_version().put::<Session>();
		log::info!(
			target: "runtime::migrations",
			"validator set seeded with {} validators from Aura and GRANDPA",
			validators.len()
		);
		let count = validators.len() as u64;
		// Reads: the list, Aura's and GRANDPA's authorities. Writes: three key owners, the keys
		// and the external mark per validator; the session's set and queue, the list, the plan
		// and the session's storage version.
		db.reads_writes(3, count.saturating_mul(5).saturating_add(5))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let seeding = pallet_validator_set::Validators::<Runtime>::get().is_empty();
		let expected: Vec<AccountId> = if seeding {
			Self::authorities().into_iter().map(|(who, _)| who).collect()
		} else {
			Vec::new()
		};
		frame_support::ensure!(!seeding || !expected.is_empty(), "Aura and GRANDPA agree");
		Ok((seeding, expected).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		use frame_support::ensure;
		let (seeding, mut expected) = <(bool, Vec<AccountId>)>::decode(&mut &state[..])
			.map_err(|_| "pre-upgrade state decodes")?;
		if !seeding {
			return Ok(());
		}
		ensure!(pallet_session::Validators::<Runtime>::get() == expected, "session set seeded");
		for who in expected.iter() {
			ensure!(pallet_session::NextKeys::<Runtime>::contains_key(who), "keys seeded");
		}
		expected.sort();
		ensure!(
			pallet_validator_set::Validators::<Runtime>::get().into_inner() == expected,
			"validator list seeded"
		);
		ensure!(
			Session::on_chain_storage_version() == Session::in_code_storage_version(),
			"session storage version set"
		);
		Ok(())
	}
}

/// Removes the validator set's and pallet-session's storage, leaving Aura's and GRANDPA's
/// authorities: the consensus storage of a chain from before spec 109, for upgrade tests.
#[cfg(feature = "std")]
pub fn write_pre_session_layout() {
	use frame_support::{storage::unhashed, StorageHasher, Twox128};
	for prefix in [Session::name(), crate::ValidatorSet::name()] {
		let _ = unhashed::clear_prefix(&Twox128::hash(prefix.as_bytes()), None, None);
	}
}
