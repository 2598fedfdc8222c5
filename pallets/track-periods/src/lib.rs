//! # Track periods pallet
//!
//! Full governance decides by public referendum (pallet-referenda) on one track. How long each
//! stage of such a referendum lasts ([`Periods`]: preparation, decision, confirmation and the
//! enactment delay during which users can exit) is kept here rather than compiled into the
//! runtime, so the same runtime serves a test network whose referenda take minutes and a
//! public one whose take days: each sets its periods in genesis. Afterwards only the
//! [`Config::AdminOrigin`] (a referendum, which itself waits the current periods) changes them.
//!
//! ## Terminology
//! - **Track**: a class of referenda with its own periods, deposit and approval curves
//!   (pallet-referenda's term). The runtime reads this pallet's periods into its track.
//! - **Enactment delay**: the fewest blocks between a referendum's approval and the dispatch of
//!   its call.
//!
//! ## Invariant
//! The stored periods are valid ([`Periods::validate`]): each at least one block, confirmation
//! no longer than decision. Checked in `try_state`.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
mod periods;
#[cfg(test)]
mod tests;
pub mod weights;

pub use pallet::*;
pub use periods::{InvalidPeriods, Periods};
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The periods in force when none have been set (a chain upgraded to this pallet).
		#[pallet::constant]
		type DefaultPeriods: Get<Periods<BlockNumberFor<Self>>>;

		/// Who may change the periods: full governance.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The periods of full governance's track, in blocks.
	#[pallet::storage]
	pub type TrackPeriods<T: Config> =
		StorageValue<_, Periods<BlockNumberFor<T>>, ValueQuery, T::DefaultPeriods>;

	/// The periods a chain starts with; `None` keeps [`Config::DefaultPeriods`].
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The track's periods, in blocks.
		pub periods: Option<Periods<BlockNumberFor<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(periods) = self.periods {
				assert!(
					periods.validate().is_ok(),
					"genesis track periods are invalid: {periods:?}"
				);
				TrackPeriods::<T>::put(periods);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The track's periods changed; referenda decided from now on follow them.
		PeriodsSet {
			/// The new periods, in blocks.
			periods: Periods<BlockNumberFor<T>>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A period is zero blocks.
		ZeroPeriod,
		/// The confirmation period is longer than the decision period, so nothing could pass.
		ConfirmLongerThanDecision,
	}

	impl<T> From<InvalidPeriods> for Error<T> {
		fn from(invalid: InvalidPeriods) -> Self {
			match invalid {
				InvalidPeriods::Zero => Self::ZeroPeriod,
				InvalidPeriods::ConfirmLongerThanDecision => Self::ConfirmLongerThanDecision,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the track's periods (`AdminOrigin`). Referenda already being decided keep
		/// counting from their start with the new lengths.
		///
		/// Errors: `ZeroPeriod`, `ConfirmLongerThanDecision`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_periods())]
		pub fn set_periods(
			origin: OriginFor<T>,
			periods: Periods<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_periods(periods)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks and stores `periods`.
		pub fn do_set_periods(periods: Periods<BlockNumberFor<T>>) -> DispatchResult {
			periods.validate().map_err(Error::<T>::from)?;
			TrackPeriods::<T>::put(periods);
			Self::deposit_event(Event::PeriodsSet { periods });
			Ok(())
		}

		/// The pallet's invariant: the periods in force are valid.
		#[cfg(any(feature = "try-runtime", feature = "std", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			TrackPeriods::<T>::get()
				.validate()
				.map_err(|_| sp_runtime::TryRuntimeError::Other("the track periods are invalid"))
		}
	}
}
