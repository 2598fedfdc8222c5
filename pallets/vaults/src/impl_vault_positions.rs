//! The vaults' checked change for one-click leverage ([`VaultPositions`]): the same `do_adjust`
//! the signed `adjust` call runs, opening the vault first when there is none, so leverage can do
//! nothing to a vault its owner could not do by hand.

use super::*;
use frame_support::traits::Get;
use lever_primitives::{AmountOrAll, VaultInfo, VaultPositions, VaultTerms};
use sp_runtime::DispatchError;

impl<T: Config> VaultPositions<T::AccountId> for Pallet<T> {
	fn stable_asset() -> AssetId {
		T::StableAsset::get()
	}

	fn adjust(
		owner: &T::AccountId,
		asset: AssetId,
		deposit: Balance,
		mint: Balance,
		repay: Option<AmountOrAll>,
		withdraw: Option<AmountOrAll>,
	) -> Result<(), DispatchError> {
		let change = VaultChange { deposit, repay, mint, withdraw };
		if Vaults::<T>::contains_key(asset, owner) {
			Self::do_adjust(owner, asset, change)
		} else {
			Self::do_open(owner, asset, deposit)?;
			Self::do_adjust(owner, asset, VaultChange { deposit: 0, ..change })
		}
	}

	fn vault(owner: &T::AccountId, asset: AssetId) -> Option<VaultInfo> {
		Self::vault_info(owner, asset)
	}

	fn vault_terms(asset: AssetId) -> Option<VaultTerms> {
		let collateral_type = CollateralTypes::<T>::get(asset)?;
		Some(VaultTerms {
			liquidation_ratio: collateral_type.ratio_in_force(Clock::<T>::now_ms()),
			minimum_ratio: collateral_type.params.liquidation_ratio,
			min_debt: collateral_type.params.min_debt,
		})
	}
}
