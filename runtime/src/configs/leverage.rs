//! One-click leverage on the lending pools and vaults through flash loans and the AMM, every swap
//! within a governance-set slippage of the oracle price.

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::Permill;

use crate::{
	configs::{amm::AmmAsset, lending::TreasuryAccount},
	currency::UNIT,
	AccountId, AssetConversion, Assets, Balance, Balances, Lending, Oracle, Runtime,
	RuntimeHoldReason, Vaults,
};

parameter_types! {
	/// No swap made by leverage may pay more than 3% worse than the oracle price until
	/// governance says otherwise: room for the 0.3% pool fee and the impact of a large trade in
	/// the genesis pools, not for a sandwich.
	pub const DefaultSlippageCap: Permill = Permill::from_percent(3);
	/// Swaps between two assets without a pool of their own go through USDC, which every
	/// test asset's genesis pool is paired with.
	pub const SwapHub: Option<lever_primitives::AssetId> = Some(crate::genesis::dev_assets::USDC.id);
	/// One LVR held per protected position: what its storage costs.
	pub const ProtectionDeposit: Balance = UNIT;
	/// A protective deleverage costs 0.5% of the debt it repays, paid in collateral to the
	/// treasury, against a vault liquidation's 13% penalty and a lending liquidation's 4-8% bonus.
	pub const ProtectionFee: Permill = Permill::from_parts(5_000);
}

impl pallet_leverage::Config for Runtime {
	type Lending = Lending;
	type Vaults = Vaults;
	type Amm = AssetConversion;
	type AmmAsset = AmmAsset;
	type Assets = Assets;
	type Prices = Oracle;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type DefaultSlippageCap = DefaultSlippageCap;
	type SwapHub = SwapHub;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ProtectionDeposit = ProtectionDeposit;
	type ProtectionFee = ProtectionFee;
	type FeeDestination = TreasuryAccount;
	/// A vault of each of the chain's collateral assets and a few lending pairs.
	type MaxProtections = ConstU32<16>;
	type WeightInfo = crate::weights::pallet_leverage::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AssetsAndPrices;
}
