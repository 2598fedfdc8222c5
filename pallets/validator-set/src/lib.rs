//! # Validator-set pallet
//!
//! The chain's validators are a list governance keeps. This pallet is pallet-session's
//! [`SessionManager`](pallet_session::SessionManager): at each session boundary it plans the
//! listed validators that have registered session keys, and pallet-session hands their keys to
//! Aura (block production), GRANDPA (finality) and the oracle (price feeding) one session later.
//!
//! How a validator joins: it generates keys on its node (`author_rotateKeys`), registers them
//! with `session.setKeys`, and governance calls [`Pallet::add_validator`]; from the second session
//! boundary after that it authors blocks, votes in GRANDPA and feeds prices. Removal is the same
//! in reverse ([`Pallet::remove_validator`]) and never leaves fewer than
//! [`Config::MinValidators`] listed.
//!
//! The pallet also drives session rotation: every [`Config::SessionLength`] blocks its
//! `on_initialize` rotates the session and charges the rotation's benchmarked weight.
//! pallet-session's own driver would report a whole block's weight for every rotation and so
//! leave no room that block for the liquidation engine; the runtime gives pallet-session a
//! `ShouldEndSession` that never ends a session ([`NeverEndsSession`]).
//!
//! ## Terminology
//!
//! - **Listed validators** ([`Validators`]): the set governance keeps, sorted by account.
//! - **Planned set** ([`Planned`]): the last set handed to pallet-session, which becomes the
//!   validators in office one session later. A new set is planned only when it differs, so
//!   GRANDPA's authority set changes only when the validators do.
//! - **Session length**: blocks between two boundaries.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
mod session_manager;
#[cfg(test)]
mod tests;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

/// The target of this pallet's log lines.
const LOG_TARGET: &str = "runtime::validator-set";

/// A `ShouldEndSession` for pallet-session that never ends a session by itself: this pallet's
/// `on_initialize` rotates sessions, charging their weight (see the crate's documentation).
pub struct NeverEndsSession;

impl<BlockNumber> pallet_session::ShouldEndSession<BlockNumber> for NeverEndsSession {
	fn should_end_session(_now: BlockNumber) -> bool {
		false
	}
}

/// What the benchmarks need from the runtime: accounts with session keys.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Keys> {
	/// Account `seed`, funded for pallet-session's key deposit, with fresh session keys and
	/// the proof that it owns them (as `session.setKeys` takes it).
	fn account_with_keys(seed: u32) -> (AccountId, Keys, alloc::vec::Vec<u8>);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::BuildGenesisConfig};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The validator set of the chain whose sessions pallet-session keeps (validators are
	/// identified by their accounts).
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_session::Config<ValidatorId = <Self as frame_system::Config>::AccountId>
	{
		/// The most validators there can be; at most what Aura, GRANDPA and the oracle keep.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The fewest validators the list may hold after a removal (at least one). The runtime
		/// sets the oracle's quorum here, so prices can always be set.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Blocks per session: a change to the list reaches the validators in office within two
		/// sessions.
		#[pallet::constant]
		type SessionLength: Get<BlockNumberFor<Self>>;

		/// Who adds and removes validators (full governance).
		type ManagerOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Benchmarked weights of the calls and of a rotation.
		type WeightInfo: WeightInfo;

		/// Makes accounts and session keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<
			Self::AccountId,
			<Self as pallet_session::Config>::Keys,
		>;
	}

	/// The listed validators, sorted by account.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// The set last handed to pallet-session; absent before the first plan, or when the last
	/// boundary could not plan (too few validators with keys).
	#[pallet::storage]
	pub type Planned<T: Config> = StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The first validators; pallet-session's genesis must give each its keys.
		pub validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut validators = self.validators.clone();
			validators.sort();
			validators.dedup();
			assert!(validators.len() == self.validators.len(), "genesis validators must be unique");
			let validators = BoundedVec::<_, T::MaxValidators>::try_from(validators);
			assert!(validators.is_ok(), "genesis validators must fit MaxValidators");
			let validators = validators.unwrap_or_default();
			assert!(
				validators.is_empty() || validators.len() as u32 >= T::MinValidators::get(),
				"genesis needs at least MinValidators validators"
			);
			Validators::<T>::put(validators);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance listed a validator; it takes office two session boundaries later.
		ValidatorAdded { validator: T::AccountId },
		/// Governance removed a validator; it leaves office two session boundaries later.
		ValidatorRemoved { validator: T::AccountId },
		/// A new validator set was planned for the session after next.
		SetPlanned { session: u32, validators: u32 },
		/// Fewer than `MinValidators` listed validators have session keys: the set in office
		/// is kept (less any validator that removed its keys) until enough register keys again.
		TooFewWithKeys { session: u32, with_keys: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account has no session keys: register them with `session.setKeys` first.
		NoSessionKeys,
		/// The account is a validator already.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// There are `MaxValidators` validators already.
		TooManyValidators,
		/// The removal would leave fewer than `MinValidators` validators: add one first.
		TooFewValidators,
		/// The list is empty: this chain's validators are not kept by this pallet yet (a chain
		/// from before it needs its seeding migration).
		NotSeeded,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Rotates the session at each boundary (every `SessionLength` blocks), charging the
		/// rotation's weight; nothing, and no weight, in every other block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			if Self::is_boundary(now) {
				pallet_session::Pallet::<T>::rotate_session();
				<T as Config>::WeightInfo::rotate_session()
			} else {
				Weight::zero()
			}
		}

		fn integrity_test() {
			assert!(!T::SessionLength::get().is_zero(), "SessionLength must be positive");
			assert!(T::MinValidators::get() >= 1, "MinValidators must be at least one");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators must not exceed MaxValidators"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Lists `validator` (governance). Its session keys must be registered already
		/// (`session.setKeys`); it takes office two session boundaries later.
		///
		/// Errors: `NoSessionKeys`, `AlreadyValidator`, `TooManyValidators`, `NotSeeded`.
		#[pallet::call_index(0)]
		pub fn add_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::ManagerOrigin::ensure_origin(origin)?;
			Self::do_add_validator(validator)
		}

		/// Removes `validator` from the list (governance); it leaves office two session
		/// boundaries later.
		///
		/// Errors: `NotValidator`, `TooFewValidators` (never fewer than `MinValidators`).
		#[pallet::call_index(1)]
		pub fn remove_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::ManagerOrigin::ensure_origin(origin)?;
			Self::do_remove_validator(validator)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether block `now` starts a new session: every `SessionLength` blocks after genesis.
		pub fn is_boundary(now: BlockNumberFor<T>) -> bool {
			let length = T::SessionLength::get();
			!now.is_zero() && !length.is_zero() && (now % length).is_zero()
		}

		pub(crate) fn do_add_validator(validator: T::AccountId) -> DispatchResult {
			ensure!(
				pallet_session::NextKeys::<T>::contains_key(&validator),
				Error::<T>::NoSessionKeys
			);
			Validators::<T>::try_mutate(|validators| {
				ensure!(!validators.is_empty(), Error::<T>::NotSeeded);
				match validators.binary_search(&validator) {
					Ok(_) => Err(Error::<T>::AlreadyValidator),
					Err(at) => validators
						.try_insert(at, validator.clone())
						.map_err(|_| Error::<T>::TooManyValidators),
				}
			})?;
			Self::deposit_event(Event::ValidatorAdded { validator });
			Ok(())
		}

		pub(crate) fn do_remove_validator(validator: T::AccountId) -> DispatchResult {
			Validators::<T>::try_mutate(|validators| {
				let at =
					validators.binary_search(&validator).map_err(|_| Error::<T>::NotValidator)?;
				ensure!(
					validators.len().saturating_sub(1) >= T::MinValidators::get() as usize,
					Error::<T>::TooFewValidators
				);
				validators.remove(at);
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::ValidatorRemoved { validator });
			Ok(())
		}

		/// The pallet's invariants, checked after every test block and under try-runtime: the
		/// list and the planned set are sorted and unique, the list holds at least
		/// `MinValidators` once seeded, and a planned set at least `MinValidators` (a set is
		/// planned only with that many). A planned set may still hold a validator governance
		/// removed since; the next boundary plans without it.
		#[cfg(any(test, feature = "std", feature = "try-runtime"))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let sorted =
				|set: &[T::AccountId]| set.windows(2).all(|w| matches!(w, [a, b] if a < b));
			let validators = Validators::<T>::get();
			ensure!(sorted(&validators), "validators sorted, unique");
			ensure!(
				validators.is_empty() || validators.len() as u32 >= T::MinValidators::get(),
				"at least MinValidators validators once seeded"
			);
			if let Some(planned) = Planned::<T>::get() {
				ensure!(sorted(&planned), "planned set sorted, unique");
				ensure!(
					planned.len() as u32 >= T::MinValidators::get(),
					"a planned set holds at least MinValidators"
				);
			}
			Ok(())
		}
	}
}
