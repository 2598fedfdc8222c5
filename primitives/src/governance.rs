//! Governance tiers: who may change a risk parameter, by the direction of the change.
//!
//! Every Lever pallet names two origins. `GovernanceOrigin` (full governance) may make any change
//! governance may. `RiskOrigin` (the risk council, meant to act at once) may only make changes
//! that reduce risk: lower a factor, threshold or cap, raise a required ratio, pause or freeze.
//! Each pallet decides with [`ReducesRisk`] whether a change is of that kind; a change that is
//! not, from the risk council, is refused.

use frame_support::traits::EnsureOrigin;
use sp_runtime::traits::BadOrigin;

/// The powers an origin carries in a governance call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GovernanceTier {
	/// Any change governance may make.
	Full,
	/// Only changes that reduce risk (the risk council).
	ReduceOnly,
}

impl GovernanceTier {
	/// The tier of `origin`: [`Full`](Self::Full) if `Full` accepts it, else
	/// [`ReduceOnly`](Self::ReduceOnly) if `ReduceOnly` accepts it.
	///
	/// Errors with `BadOrigin` if neither does.
	pub fn of<O, Full, ReduceOnly>(origin: O) -> Result<Self, BadOrigin>
	where
		O: Clone,
		Full: EnsureOrigin<O>,
		ReduceOnly: EnsureOrigin<O>,
	{
		if Full::try_origin(origin.clone()).is_ok() {
			return Ok(Self::Full);
		}
		ReduceOnly::try_origin(origin).map(|_| Self::ReduceOnly).map_err(|_| BadOrigin)
	}

	/// Whether this tier may replace `current` with `new`: the full tier always, the reduce-only
	/// tier only if `new` reduces risk from `current` (or changes nothing).
	pub fn allows<P: ReducesRisk>(self, current: &P, new: &P) -> bool {
		match self {
			Self::Full => true,
			Self::ReduceOnly => new.reduces_risk_from(current),
		}
	}
}

/// A setting whose changes have a direction of risk.
pub trait ReducesRisk {
	/// Whether `self`, replacing `current`, leaves the system no riskier in any respect: every
	/// part is unchanged or moved the safe way. A change that mixes directions does not count.
	fn reduces_risk_from(&self, current: &Self) -> bool;
}
