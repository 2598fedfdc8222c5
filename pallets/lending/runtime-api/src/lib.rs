//! The lending pools' runtime API, which Polkadot.js apps and other clients decode from the
//! metadata: `api.call.lendingApi.markets()` and `api.call.lendingApi.account(who)`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_lending::{
	AccountLiquidity, AccountPosition, CreditInfo, CreditRecord, MarketInfo, MarketPosition,
	PoolId, ValuationError,
};

sp_api::decl_runtime_apis! {
	/// Markets and accounts with interest accrued to the moment of the call. Version 2 added
	/// each market's permissioned pool and `memberships`; version 3 added `credit`.
	#[api_version(3)]
	pub trait LendingApi<AccountId>
	where
		AccountId: Codec,
	{
		/// Every market: status, parameters, supply, borrows, cash, reserves, utilization,
		/// supply and borrow APY, exchange rate and borrow index.
		fn markets() -> Vec<MarketInfo>;

		/// An account's supply, collateral flag and debt per market, its collateral value,
		/// borrow limit, liquidation limit, debt value and health factor at oracle prices.
		fn account(who: AccountId) -> AccountPosition;

		/// The permissioned pools whose credential the account holds, in order.
		fn memberships(who: AccountId) -> Vec<PoolId>;

		/// The account's credit score (0 to 1000), the collateral-factor bonus it earns under
		/// the policy in force, the most that bonus may add to its borrow limit (USD), its
		/// record and the minimum loan age.
		fn credit(who: AccountId) -> CreditInfo;
	}
}
