//! The oracle's runtime API, which Polkadot.js apps and other clients decode from the metadata:
//! `api.call.oracleApi.prices()`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
pub use pallet_oracle::PriceInfo;

sp_api::decl_runtime_apis! {
	/// Prices as the chain sees them.
	pub trait OracleApi {
		/// Every priced asset: its last price, age in milliseconds, whether it is fresh (usable
		/// for risk) or frozen, and any aggregate the circuit breaker holds.
		fn prices() -> Vec<PriceInfo>;
	}
}
