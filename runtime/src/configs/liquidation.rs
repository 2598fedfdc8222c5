//! The liquidation engine: a quarter of every block for finding and liquidating unsafe
//! positions, auctions like Maker's for ETH (start 20% above the oracle, 1% off a minute), and
//! caps on the debt in auction.

use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
	weights::Weight,
	PalletId,
};
use frame_system::EnsureRoot;
use pallet_liquidation::{AmmRoute, AuctionCurve, AuctionParams};
use sp_runtime::{
	traits::AccountIdConversion, transaction_validity::TransactionPriority, FixedU128, Perbill,
	Permill,
};

use crate::{
	configs::{
		vaults::{StableAsset, LVUSD_UNIT},
		RuntimeBlockWeights,
	},
	AccountId, Assets, Balance, Lending, Runtime, Timestamp, Vaults,
};

/// The share of each block's weight the engine may use in `on_initialize`.
pub const LIQUIDATION_SHARE: Perbill = Perbill::from_percent(25);

parameter_types! {
	/// The engine's account holds backstop deposits, their gains and collateral in auction.
	pub const LiquidationPalletId: PalletId = PalletId(*b"lvr/liqd");
	/// A quarter of the block.
	pub LiquidationWeight: Weight = LIQUIDATION_SHARE * RuntimeBlockWeights::get().max_block;
	/// Start at 120% of the oracle price, keep 99% every minute, start again after two hours or
	/// below 40% of the top; at most 5 million lvUSD of debt in one type's auctions.
	/// The engine sells seized collateral on the AMM at most 2% below the oracle value, fees
	/// included: tighter than the 3% traders may choose.
	pub const DefaultAmmRoute: AmmRoute = AmmRoute::Enabled { max_slippage: Permill::from_percent(2) };
	pub const DefaultAuctionParams: AuctionParams = AuctionParams {
		buffer: FixedU128::from_rational(120, 100),
		curve: AuctionCurve::Stairstep { step: 60, cut: Permill::from_percent(99) },
		tail: 7_200,
		cusp: Permill::from_percent(40),
		max_debt: 5_000_000 * LVUSD_UNIT,
	};
	/// At most 10 million lvUSD in all auctions until governance says otherwise.
	pub const DefaultMaxDebtInAuction: Balance = 10_000_000 * LVUSD_UNIT;
	/// A take pays the whole tab or leaves at least one lvUSD.
	pub const MinAuctionTab: Balance = LVUSD_UNIT;
	/// Below the oracle's submissions: prices come first.
	pub const FlagPriority: TransactionPriority = TransactionPriority::MAX / 4;
}

/// The engine's account.
pub fn liquidation_account() -> AccountId {
	LiquidationPalletId::get().into_account_truncating()
}

/// Up to 20,000 queued positions, of which at most 5,000 lending accounts (15,000 slots are
/// always left for vaults), 16 collateral assets per backstop pool, 1,000 auctions; the offchain
/// sweep checks 200 lending accounts a block (up to 150 exposed to moved prices, at least 50 in
/// turn) and its passes over moved prices read up to 10,000 accounts with debt a block (at
/// 100,000 debtors, a pass reads them all in ten blocks), and a flag stays in the pool 10 blocks.
impl pallet_liquidation::Config for Runtime {
	type Assets = Assets;
	type Vaults = Vaults;
	type Lending = Lending;
	type Prices = crate::Oracle;
	/// The AMM route, at the same governance cap on slippage as one-click leverage.
	type Swaps = crate::Leverage;
	/// Owners' protective deleverages, in the leverage pallet.
	type Protection = crate::Leverage;
	type StableAsset = StableAsset;
	type Time = Timestamp;
	type PalletId = LiquidationPalletId;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type MaxQueueLength = ConstU32<20_000>;
	type MaxFlaggedAccounts = ConstU32<5_000>;
	type MaxGainAssets = ConstU32<16>;
	/// A stress test may shock every asset the chain lists, with room for more.
	type MaxShocks = ConstU32<32>;
	type MaxAuctions = ConstU32<1_000>;
	type LiquidationWeight = LiquidationWeight;
	type DefaultAuctionParams = DefaultAuctionParams;
	type DefaultAmmRoute = DefaultAmmRoute;
	type DefaultMaxDebtInAuction = DefaultMaxDebtInAuction;
	type MinAuctionTab = MinAuctionTab;
	type SweepBatch = ConstU32<200>;
	type SweepScan = ConstU32<10_000>;
	/// 500 accounts with protections checked a block: 10,000 of them in twenty blocks. An
	/// account's check values its positions (about 150 µs for a lending account in 8 markets,
	/// the stress test's measure), so a run of accounts each protecting 16 lending pairs costs a
	/// validator's offchain worker about 1.2 s, inside its 6 s block.
	type ProtectionSweep = ConstU32<500>;
	type UnsignedPriority = FlagPriority;
	type FlagLongevity = ConstU64<10>;
	type WeightInfo = crate::weights::pallet_liquidation::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AssetsAndPrices;
}
