//! The vaults' runtime API, which Polkadot.js apps and other clients decode from the metadata:
//! `api.call.vaultsApi.vaults(owner)`, `api.call.vaultsApi.collateralTypes()` and
//! `api.call.vaultsApi.system()`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_vaults::{CollateralTypeInfo, SystemInfo, VaultInfo};

sp_api::decl_runtime_apis! {
	/// Vaults, collateral types and the lvUSD books with fees accrued to the moment of the call.
	pub trait VaultsApi<AccountId>
	where
		AccountId: Codec,
	{
		/// The owner's vaults: collateral, debt, collateral ratio at the oracle price and
		/// liquidation price.
		fn vaults(owner: AccountId) -> Vec<VaultInfo>;

		/// Every collateral type: status, parameters, rate, total debt and collateral.
		fn collateral_types() -> Vec<CollateralTypeInfo>;

		/// lvUSD issuance, total debt, surplus, deficit and the global ceiling.
		fn system() -> SystemInfo;
	}
}
