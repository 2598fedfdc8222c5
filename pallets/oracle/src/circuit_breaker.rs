//! The circuit breaker: an aggregate that jumps more than `MaxJump` from the current price is
//! held ([`PendingPrice`]) until a later quorum round within `MaxPriceAge` agrees with it.

use crate::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::Get;
use scale_info::TypeInfo;
use sp_runtime::{traits::Saturating, FixedU128};

/// A price the breaker is holding until a later round confirms it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct PendingPrice {
	/// The aggregate that jumped too far from the current price.
	pub value: FixedU128,
	/// The round that produced it.
	pub round: RoundIndex,
	/// When it was held, in milliseconds since the Unix epoch: a later round confirms it only
	/// within `MaxPriceAge` of this.
	pub held_at: Moment,
}

impl PendingPrice {
	/// Whether an aggregate of `round` at `now` may confirm this held price: it comes from a
	/// later round, however many rounds were missed in between, while the held price is no
	/// older than `max_age` milliseconds. (Whether the two values agree is the breaker's own
	/// jump test.)
	pub fn confirmable_by(&self, round: RoundIndex, now: Moment, max_age: Moment) -> bool {
		round > self.round && now.saturating_sub(self.held_at) <= max_age
	}
}

impl<T: Config> Pallet<T> {
	/// Whether `value` is within `MaxJump` of `reference`.
	pub(crate) fn within_jump(reference: FixedU128, value: FixedU128) -> bool {
		let difference = reference.max(value).saturating_sub(reference.min(value));
		let limit = reference.saturating_mul(FixedU128::from(T::MaxJump::get()));
		difference <= limit
	}

	/// Applies a round's aggregate through the circuit breaker: a jump beyond `MaxJump` from the
	/// current price is held, and applied when the aggregate of a later round, within
	/// `MaxPriceAge` of the hold, agrees with it (within `MaxJump`), however many rounds without
	/// a quorum came between. A held price too old to confirm is replaced by the new aggregate.
	pub(crate) fn apply_aggregate(
		asset: lever_primitives::AssetId,
		value: FixedU128,
		round: RoundIndex,
	) {
		let feed = Self::feed(asset);
		let current = match feed.price {
			Some(current) if !Self::within_jump(current.value, value) => current,
			_ => return Self::set_price(asset, value, round, PriceSource::Feeds),
		};
		let now = Clock::<T>::now_ms();
		match feed.held {
			Some(held)
				if held.confirmable_by(round, now, T::MaxPriceAge::get())
					&& Self::within_jump(held.value, value) =>
			{
				Self::set_price(asset, value, round, PriceSource::Feeds);
			},
			Some(held) if held.round == round => {
				Self::update_feed(asset, |feed| feed.held = Some(PendingPrice { value, ..held }));
			},
			_ => {
				let held = PendingPrice { value, round, held_at: now };
				Self::update_feed(asset, |feed| feed.held = Some(held));
				Self::deposit_event(Event::PriceJumpHeld {
					asset,
					current: current.value,
					proposed: value,
					round,
				});
			},
		}
	}
}
