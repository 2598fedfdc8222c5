//! Previews: the calls run for real inside a storage transaction that is always rolled back, so
//! a preview shows exactly what the call would do now (the same flash loan, lending calls and
//! swap at the same pool state), and changes nothing.

use super::*;
use frame_support::storage::{with_transaction, TransactionOutcome};
use lever_primitives::LendingPositions;
use sp_runtime::{
	traits::{CheckedSub, Zero},
	DispatchError, FixedPointNumber, FixedU128,
};

impl<T: Config> Pallet<T> {
	/// What [`Pallet::lever_up`] would do for `who` now, and the position it would leave.
	pub fn preview_lever_up(
		who: &T::AccountId,
		request: LeverUp,
	) -> Result<LeverUpPreview, DispatchError> {
		Self::rolled_back(|| {
			let outcome = Self::do_lever_up(who, request)?;
			Ok(LeverUpPreview {
				outcome,
				position: Self::position(who, request.collateral, request.debt)?,
			})
		})
	}

	/// What [`Pallet::lever_down`] would do for `who` now, and the position it would leave.
	pub fn preview_lever_down(
		who: &T::AccountId,
		request: LeverDown,
	) -> Result<LeverDownPreview, DispatchError> {
		Self::rolled_back(|| {
			let outcome = Self::do_lever_down(who, request)?;
			Ok(LeverDownPreview {
				outcome,
				position: Self::position(who, request.collateral, request.debt)?,
			})
		})
	}

	/// `who`'s position in `collateral` and `debt` and its health now.
	pub fn position(
		who: &T::AccountId,
		collateral: AssetId,
		debt: AssetId,
	) -> Result<PositionPreview, DispatchError> {
		let liquidity = T::Lending::liquidity(who)?;
		let leverage = liquidity
			.collateral_value
			.checked_sub(&liquidity.debt_value)
			.filter(|equity| !equity.is_zero())
			.and_then(|equity| {
				FixedU128::checked_from_rational(
					liquidity.collateral_value.into_inner(),
					equity.into_inner(),
				)
			});
		Ok(PositionPreview {
			collateral: T::Lending::supplied(who, collateral)?,
			debt: T::Lending::debt(who, debt)?,
			leverage,
			health_factor: liquidity.health_factor(),
			liquidation_price: T::Lending::liquidation_price(who, collateral),
		})
	}

	/// Runs `body` in a storage transaction that is always rolled back.
	fn rolled_back<R>(body: impl FnOnce() -> Result<R, DispatchError>) -> Result<R, DispatchError> {
		with_transaction(|| TransactionOutcome::Rollback(Ok::<_, DispatchError>(body())))?
	}
}
