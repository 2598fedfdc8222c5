//! [`Periods`]: how long each stage of a referendum on full governance's track lasts.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::traits::Zero;

/// The stages of a referendum, in blocks. A referendum is submitted, waits `prepare` before it
/// may be decided, is decided within `decision` (or times out), must keep passing for `confirm`
/// to be approved, and is enacted no sooner than `enactment` after approval: the delay during
/// which users who disagree can exit.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Periods<BlockNumber> {
	/// Blocks between submission and the start of the decision.
	pub prepare: BlockNumber,
	/// Blocks a referendum may be decided for before it times out.
	pub decision: BlockNumber,
	/// Blocks the approval and support must hold without a break to approve.
	pub confirm: BlockNumber,
	/// The fewest blocks between approval and enactment.
	pub enactment: BlockNumber,
}

/// Why a set of [`Periods`] is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvalidPeriods {
	/// A period is zero blocks.
	Zero,
	/// Confirmation would outlast the decision period, so nothing could pass.
	ConfirmLongerThanDecision,
}

impl<BlockNumber: Zero + PartialOrd + Copy> Periods<BlockNumber> {
	/// Checks that every period is at least one block and that a referendum can be confirmed
	/// within its decision period.
	pub fn validate(&self) -> Result<(), InvalidPeriods> {
		let all = [self.prepare, self.decision, self.confirm, self.enactment];
		if all.iter().any(Zero::is_zero) {
			return Err(InvalidPeriods::Zero);
		}
		if self.confirm > self.decision {
			return Err(InvalidPeriods::ConfirmLongerThanDecision);
		}
		Ok(())
	}
}
