//! Types and traits shared by Lever's pallets.
//!
//! Pallets never read each other's storage: the lending pools, vaults and liquidation engine get
//! prices through [`PriceProvider`], which the oracle implements and the runtime wires in, and the
//! liquidation engine reaches lending accounts through [`LendingLiquidation`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

mod benchmarking;
pub mod custody;
mod governance;
mod lending;
mod math;
mod oracle;
mod protection;
mod swap;
mod time;
mod vaults;

pub use benchmarking::*;
pub use governance::*;
pub use lending::*;
pub use math::*;
pub use oracle::*;
pub use protection::*;
pub use swap::*;
pub use time::*;
pub use vaults::*;

/// The identifier of a pallet-assets asset.
pub type AssetId = u32;
/// An amount of an asset in its smallest unit.
pub type Balance = u128;

/// An amount, or everything the account has there (for withdrawals and repayments).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum AmountOrAll {
	/// This many of the asset's smallest unit.
	Amount(Balance),
	/// The whole supply, collateral or debt, interest and fees included.
	All,
}
