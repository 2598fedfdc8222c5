//! Previews: the calls run for real inside a storage transaction that is always rolled back, so
//! a preview shows exactly what the call would do now (the same flash loan, lending calls and
//! swap at the same pool state), and changes nothing.

use super::*;
use frame_support::storage::{with_transaction, TransactionOutcome};
use lever_primitives::LendingPositions;
use sp_runtime::DispatchError;

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

	/// What [`Pallet::expand`] would do for `who` now, and the vault it would leave.
	pub fn preview_expand(
		who: &T::AccountId,
		request: Expand,
	) -> Result<ExpandPreview, DispatchError> {
		Self::rolled_back(|| {
			let outcome = Self::do_expand(who, request)?;
			Ok(ExpandPreview { outcome, vault: Self::vault_position(who, request.asset)? })
		})
	}

	/// What [`Pallet::shrink`] would do for `who` now, and the vault it would leave.
	pub fn preview_shrink(
		who: &T::AccountId,
		request: Shrink,
	) -> Result<ShrinkPreview, DispatchError> {
		Self::rolled_back(|| {
			let outcome = Self::do_shrink(who, request)?;
			Ok(ShrinkPreview { outcome, vault: Self::vault_position(who, request.asset)? })
		})
	}

	/// `who`'s position in `collateral` and `debt` and its health now.
	pub fn position(
		who: &T::AccountId,
		collateral: AssetId,
		debt: AssetId,
	) -> Result<PositionPreview, DispatchError> {
		let liquidity = T::Lending::liquidity(who)?;
		Ok(PositionPreview {
			collateral: T::Lending::supplied(who, collateral)?,
			debt: T::Lending::debt(who, debt)?,
			leverage: Self::leverage_of(liquidity.collateral_value, liquidity.debt_value),
			health_factor: liquidity.health_factor(),
			liquidation_price: T::Lending::liquidation_price(who, collateral),
		})
	}

	/// Runs `body` in a storage transaction that is always rolled back.
	fn rolled_back<R>(body: impl FnOnce() -> Result<R, DispatchError>) -> Result<R, DispatchError> {
		with_transaction(|| TransactionOutcome::Rollback(Ok::<_, DispatchError>(body())))?
	}
}
