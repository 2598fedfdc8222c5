//! The pallet's invariants, checked after every test block, by the fuzzer and under try-runtime.

use super::*;
use frame_support::{
	ensure,
	traits::{fungibles::Inspect, Get},
};
use lever_primitives::PegStability;
use sp_runtime::{traits::Zero, FixedU128};

impl<T: Config> Pallet<T> {
	/// The invariants, checked after every test block:
	/// - the books balance exactly: lvUSD issuance + surplus = Σ types' debt + deficit + what the
	///   peg stability module issued against its reserves;
	/// - Σ vaults' normalized debt = the type's, and Σ vaults' debt ≤ the type's debt plus one
	///   unit of rounding per vault;
	/// - Σ vaults' collateral = the type's, and the pallet's account holds exactly every type's
	///   collateral plus its redemption pool;
	/// - rate accumulators are at least one (they never decrease);
	/// - a ramping liquidation ratio is between the ratio it started from and the parameter;
	/// - every vault holds something, its collateral is zero or at least the asset's minimum
	///   balance;
	/// - the savings pot's index is at least one, its savers' shares add up to its own and its
	///   account holds at least what every saver can take out.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::traits::One;
		let pallet = Self::account_id();
		let mut total_debt: Balance = 0;
		let mut total_normalized: Balance = 0;
		for (asset, collateral_type) in CollateralTypes::<T>::iter() {
			let (mut normalized, mut collateral, mut debts, mut vaults) =
				(0u128, 0u128, 0u128, 0u128);
			for (_, vault) in Vaults::<T>::iter_prefix(asset) {
				ensure!(vault != Vault::default(), "an empty vault is stored");
				ensure!(
					vault.collateral.is_zero()
						|| vault.collateral >= T::Assets::minimum_balance(asset),
					"a vault holds dust"
				);
				normalized = normalized.saturating_add(vault.normalized_debt);
				collateral = collateral.saturating_add(vault.collateral);
				debts = debts.saturating_add(collateral_type.debt_of(vault.normalized_debt)?);
				vaults = vaults.saturating_add(1);
			}
			ensure!(normalized == collateral_type.normalized_debt, "Σ normalized debt differs");
			ensure!(collateral == collateral_type.collateral, "Σ collateral differs");
			let debt = collateral_type.total_debt()?;
			ensure!(debts <= debt.saturating_add(vaults), "Σ vault debt exceeds the type's debt");
			ensure!(collateral_type.rate >= FixedU128::one(), "rate below one");
			if let Some(ramp) = collateral_type.ratio_ramp {
				ensure!(
					ramp.from < collateral_type.params.liquidation_ratio && ramp.start <= ramp.end,
					"a ratio ramp that does not raise the ratio"
				);
			}
			ensure!(
				T::Assets::balance(asset, &pallet)
					== collateral_type.collateral.saturating_add(collateral_type.redemption_pool),
				"the pallet's account does not hold exactly the type's collateral and pool"
			);
			total_debt = total_debt.saturating_add(debt);
			total_normalized = total_normalized.saturating_add(collateral_type.normalized_debt);
		}
		ensure!(
			Self::issuance().saturating_add(Surplus::<T>::get())
				== total_debt
					.saturating_add(Deficit::<T>::get())
					.saturating_add(T::PegStability::reserve_backed()),
			"the books do not balance: issuance + surplus ≠ debt + deficit + reserve-backed"
		);
		Self::check_savings()
	}

	/// The savings pot's invariants: the index is at least one, the savers' shares add up to the
	/// pot's, each saver holds some, and the pot's account holds at least what all savers can
	/// take out.
	fn check_savings() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::traits::One;
		let pot = Pot::<T>::get();
		ensure!(pot.index >= FixedU128::one(), "the savings index is below one");
		let mut shares: Balance = 0;
		for (_, held) in Savings::<T>::iter() {
			ensure!(!held.is_zero(), "a saver with no shares is stored");
			shares = shares.saturating_add(held);
		}
		ensure!(shares == pot.shares, "Σ savers' shares differs from the pot's");
		ensure!(
			T::Assets::balance(T::StableAsset::get(), &Self::savings_account())
				>= pot.value_of(pot.shares)?,
			"the savings pot holds less than its savers can take out"
		);
		Ok(())
	}
}
