//! The liquidation engine's runtime APIs, which Polkadot.js apps and other clients decode from the
//! metadata: `api.call.liquidationApi.queue()`, `.auctions()`, `.backstopPools()`, `.deposits(who)`
//! and `.liquidationPrices(who)`; the stress test, `api.call.riskApi.stress(shocks, maxListed)`,
//! and the summary, `api.call.riskApi.system()`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_liquidation::{
	AuctionInfo, BackstopPoolInfo, CollateralShare, DepositInfo, LiquidationPrices, MarketStress,
	QueueItem, Shock, StressReport, StressedAccount, StressedVault, SystemRisk, VaultTypeStress,
};
use sp_runtime::DispatchError;

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

	/// What a fall of prices would do to the system, read at the moment of the call. Version 2
	/// adds the summary, `system()`.
	#[api_version(2)]
	pub trait RiskApi<AccountId>
	where
		AccountId: Codec,
	{
		/// The stress test: how many vaults and lending accounts `shocks` (each an asset and the
		/// fall of its last confirmed price) would make liquidatable, by the engine's own rules,
		/// the first `max_listed` of each with their debt and collateral, what the backstops,
		/// the AMM within the engine's cap and the auctions could take, and the bad debt to
		/// expect per market and for lvUSD. Changes nothing. Fails for an asset never priced,
		/// an asset shocked twice, or too many shocks.
		fn stress(
			shocks: Vec<Shock>,
			max_listed: u32,
		) -> Result<StressReport<AccountId>, DispatchError>;

		/// The system at a glance: value locked, debt, lending utilization, each collateral
		/// asset's share, and the debt a 10% fall would put up for liquidation with the part
		/// the backstop pools of the same assets could repay. Changes nothing.
		#[api_version(2)]
		fn system() -> Result<SystemRisk, DispatchError>;
	}
}
