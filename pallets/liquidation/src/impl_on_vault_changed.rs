//! The vault pallet's report of every vault change ([`OnVaultChanged`]), which keeps the vault
//! index current in O(1) per change.

use super::*;
use lever_primitives::OnVaultChanged;

impl<T: Config> OnVaultChanged<T::AccountId> for Pallet<T> {
	fn on_vault_changed(
		asset: AssetId,
		owner: &T::AccountId,
		collateral: Balance,
		normalized_debt: Balance,
	) {
		Self::update_index(asset, owner, IndexedVault { collateral, normalized_debt });
	}
}
