//! Vaults and lvUSD: collateral priced by the oracle and held in the pallet's account, lvUSD a
//! pallet-assets asset owned by that account (so no key can mint it; the vault pallet and the peg
//! stability module, [`crate::configs::peg`], mint it through the fungibles traits). The collateral types the
//! dev and local-testnet genesis open are in [`crate::genesis::vaults`].

use frame_support::{parameter_types, traits::ConstU32, PalletId};
use sp_runtime::traits::AccountIdConversion;

use crate::{
	configs::governance::{FullGovernance, RiskCouncilMajority, RiskCouncilSupermajority},
	AccountId, AssetId, Assets, Balance, Oracle, Runtime, Timestamp,
};

/// lvUSD's identifier in pallet-assets, among those the chain reserves.
pub const LVUSD: AssetId = 10;
/// lvUSD's decimals.
pub const LVUSD_DECIMALS: u8 = 12;
/// One lvUSD in its smallest unit.
pub const LVUSD_UNIT: Balance = 1_000_000_000_000;
/// The smallest lvUSD balance an account may hold: a millionth.
pub const LVUSD_MIN_BALANCE: Balance = LVUSD_UNIT / 1_000_000;

parameter_types! {
	/// The vault pallet's account holds the collateral and owns lvUSD.
	pub const VaultsPalletId: PalletId = PalletId(*b"lvr/vlts");
	/// The stablecoin.
	pub const StableAsset: AssetId = LVUSD;
	/// A raised liquidation ratio moves in for liquidation over three days, as a lowered
	/// lending threshold does.
	pub const RatioRampPeriod: lever_primitives::Moment = 3 * 24 * 60 * 60 * 1_000;
	/// Governance may set a savings rate of at most 20% a year.
	pub MaxSavingsRate: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_rational(20, 100);
	/// A saver keeps at least one lvUSD in the savings pot.
	pub const MinSavings: Balance = LVUSD_UNIT;
}

/// The account that holds every vault's collateral and owns lvUSD in pallet-assets.
pub fn vaults_account() -> AccountId {
	VaultsPalletId::get().into_account_truncating()
}

/// Up to 8 collateral types; every vault change goes to the liquidation engine's index.
impl pallet_vaults::Config for Runtime {
	type Assets = Assets;
	type StableAsset = StableAsset;
	type Prices = Oracle;
	type Time = Timestamp;
	type PalletId = VaultsPalletId;
	type GovernanceOrigin = FullGovernance;
	type RiskOrigin = RiskCouncilMajority;
	type ShutdownOrigin = RiskCouncilSupermajority;
	type MaxCollateralTypes = ConstU32<8>;
	type RatioRampPeriod = RatioRampPeriod;
	type OnVaultChanged = crate::Liquidation;
	type Auctions = crate::Liquidation;
	type PegStability = crate::configs::peg::LvusdPsm;
	type MaxSavingsRate = MaxSavingsRate;
	type MinSavings = MinSavings;
	type WeightInfo = crate::weights::pallet_vaults::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AssetsAndPrices;
}
