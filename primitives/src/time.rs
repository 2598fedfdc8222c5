//! The chain's clock: one rule for what time it is, with the unit in every name.

use core::marker::PhantomData;
use frame_support::traits::UnixTime;
use sp_runtime::{traits::Zero, SaturatedConversion};

/// A point in time in milliseconds since the Unix epoch, as pallet-timestamp keeps it (prices'
/// times, interest and fee accrual, ramps).
pub type Moment = u64;

/// A point in time in whole seconds since the Unix epoch, or a span of whole seconds (the
/// liquidation engine's auctions and windows).
pub type Seconds = u64;

/// The chain's clock for a runtime `T` whose time is `Time` (pallet-timestamp): the one place a
/// pallet reads the time.
///
/// While the genesis block is built there is no time yet: the clock reads zero then (where
/// pallet-timestamp would complain and answer zero), so whatever genesis creates starts accruing
/// at the first block.
pub struct Clock<T, Time>(PhantomData<(T, Time)>);

impl<T: frame_system::Config, Time: UnixTime> Clock<T, Time> {
	/// The time in milliseconds since the Unix epoch; zero while genesis is built, and
	/// [`Moment::MAX`] past it (never, in practice).
	pub fn now_ms() -> Moment {
		if frame_system::Pallet::<T>::block_number().is_zero() {
			return 0;
		}
		Time::now().as_millis().saturated_into()
	}

	/// The time in whole seconds since the Unix epoch, rounded down: [`Self::now_ms`] / 1000.
	pub fn now_secs() -> Seconds {
		Self::now_ms() / 1_000
	}
}

/// Moves `accrued_at` (milliseconds) forward by the whole seconds elapsed until `now` and returns
/// them: what lazily accrued rates (the stability fee, the savings rate) compound over. Something
/// not yet accrued (`accrued_at` zero, as for what the genesis block created) starts at `now`,
/// not at 1970, and zero seconds have elapsed.
pub fn elapse_whole_seconds(accrued_at: &mut Moment, now: Moment) -> Seconds {
	if accrued_at.is_zero() {
		*accrued_at = now;
		return 0;
	}
	let seconds = now.saturating_sub(*accrued_at) / 1_000;
	*accrued_at = accrued_at.saturating_add(seconds.saturating_mul(1_000));
	seconds
}
