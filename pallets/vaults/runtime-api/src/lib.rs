//! The vaults' runtime API, which Polkadot.js apps and other clients decode from the metadata:
//! `api.call.vaultsApi.vaults(owner)`, `api.call.vaultsApi.collateralTypes()`,
//! `api.call.vaultsApi.system()` and `api.call.vaultsApi.savings(saver)`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_vaults::{CollateralTypeInfo, SavingsInfo, SystemInfo, VaultInfo};

sp_api::decl_runtime_apis! {
	/// Vaults, collateral types, the lvUSD books and savings, with fees and interest accrued to
	/// the moment of the call. Version 2 added `savings` and the peg and savings figures of
	/// `system`.
	#[api_version(2)]
	pub trait VaultsApi<AccountId>
	where
		AccountId: Codec,
	{
		/// The owner's vaults: collateral, debt, collateral ratio at the oracle price and
		/// liquidation price.
		fn vaults(owner: AccountId) -> Vec<VaultInfo>;

		/// Every collateral type: status, parameters, rate, total debt and collateral.
		fn collateral_types() -> Vec<CollateralTypeInfo>;

		/// lvUSD issuance, total debt, surplus, deficit, the global ceiling, what the peg
		/// stability module issued against its reserves, and the savings pot.
		fn system() -> SystemInfo;

		/// The saver's shares of the savings pot and what they are worth now, with the rate.
		#[api_version(2)]
		fn savings(saver: AccountId) -> SavingsInfo;
	}
}
