//! The pallet's invariants, checked after every test block, by the fuzzer and under try-runtime.

use super::*;
use frame_support::{ensure, traits::fungible::InspectHold};

impl<T: Config> Pallet<T> {
	/// The invariants of protections:
	/// - an account's native tokens held for protections are exactly the deposits of its
	///   protected positions;
	/// - no account protects a position twice, or has an empty list stored;
	/// - every protection's target is above its trigger, and its trigger above one.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (who, protections) in Protections::<T>::iter() {
			ensure!(!protections.is_empty(), "an empty list of protections is stored");
			let mut deposits: Balance = 0;
			for (index, entry) in protections.iter().enumerate() {
				ensure!(
					!protections
						.iter()
						.skip(index + 1)
						.any(|other| other.position == entry.position),
					"a position is protected twice"
				);
				ensure!(
					entry.settings.target > entry.settings.trigger
						&& entry.settings.trigger > sp_runtime::FixedU128::from_u32(1),
					"a protection's target is not above its trigger, or its trigger not above one"
				);
				deposits = deposits.saturating_add(entry.deposit);
			}
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Protection.into(), &who) == deposits,
				"the native tokens held for protections are not their deposits"
			);
		}
		Ok(())
	}
}
