//! The oracle's runtime API, which Polkadot.js apps and other clients decode from the metadata:
//! `api.call.oracleApi.prices()`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
pub use pallet_oracle::PriceInfo;

sp_api::decl_runtime_apis! {
	/// Prices as the chain sees them.
	pub trait OracleApi {
		/// Every priced asset: its last confirmed price, age in milliseconds, whether it is fresh
		/// or frozen, any aggregate the circuit breaker holds, and the prices a borrow, mint or
		/// collateral withdrawal uses now (the conservative side of the two while a jump is held).
		fn prices() -> Vec<PriceInfo>;
	}
}
