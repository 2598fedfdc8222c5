//! The liquidation engine's runtime API, which Polkadot.js apps and other clients decode from the
//! metadata: `api.call.liquidationApi.queue()`, `.auctions()`, `.backstopPools()`, `.deposits(who)`
//! and `.liquidationPrices(who)`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_liquidation::{
	AuctionInfo, BackstopPoolInfo, DepositInfo, LiquidationPrices, QueueItem,
};

sp_api::decl_runtime_apis! {
	/// What the engine is doing and what it would do, read at the moment of the call.
	pub trait LiquidationApi<AccountId>
	where
		AccountId: Codec,
	{
		/// The positions waiting to be liquidated, oldest first.
		fn queue() -> Vec<QueueItem<AccountId>>;

		/// Running auctions with their current price (lvUSD per whole collateral token) and when
		/// each next starts again from the top.
		fn auctions() -> Vec<AuctionInfo<AccountId>>;

		/// Every backstop pool: its deposits and the collateral it holds for depositors.
		fn backstop_pools() -> Vec<BackstopPoolInfo>;

		/// The account's backstop deposits, after losses, with their pending collateral gains.
		fn deposits(who: AccountId) -> Vec<DepositInfo>;

		/// The oracle price of each collateral at which the account's vaults and lending
		/// position become liquidatable, other prices unchanged.
		fn liquidation_prices(who: AccountId) -> LiquidationPrices;
	}
}
