//! lvUSD's peg: polkadot-sdk's peg stability module (pallet-psm), swapping lvUSD 1:1 with listed
//! stablecoins (USDC on the dev and local test chains) for a fee each way within a ceiling; the
//! savings rate is the vault pallet's ([`crate::configs::vaults`]).
//!
//! lvUSD's module is managed by full governance (root): it opens at genesis with root as both of
//! pallet-psm's admins, and governance lists reserves, sets fees and the ceiling by referendum,
//! with pallet-psm's own calls. The vault pallet sees it through [`LvusdPsm`]: what it issued
//! counts in lvUSD's books, and the vault system's shutdown sets its ceiling to zero (it goes on
//! redeeming lvUSD for its reserves).

use alloc::boxed::Box;
use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32},
	PalletId,
};
use frame_system::{EnsureRootWithSuccess, RawOrigin};
use lever_primitives::PegStability;
use sp_runtime::{DispatchResult, Permill};

use crate::{
	configs::{
		lending::TreasuryAccount,
		vaults::{LVUSD, LVUSD_UNIT},
	},
	AccountId, AssetId, Assets, Balance, OriginCaller, Psm, Runtime, RuntimeOrigin,
};

parameter_types! {
	/// The module's reserve account is derived from this and lvUSD's identifier.
	pub const PsmPalletId: PalletId = PalletId(*b"lvr/pegm");
	/// Full governance opens modules without a deposit.
	pub const NoDepositor: Option<AccountId> = None;
}

/// A swap moves at least one lvUSD: dust swaps would cost more to process than they pay.
pub const MIN_SWAP: Balance = LVUSD_UNIT;

/// pallet-psm: modules opened by full governance, at most four reserves each.
impl pallet_psm::Config for Runtime {
	type Fungibles = Assets;
	type Consideration = ();
	type CreateOrigin = AsEnsureOriginWithArg<EnsureRootWithSuccess<AccountId, NoDepositor>>;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type AssetId = AssetId;
	type WeightInfo = crate::weights::pallet_psm::WeightInfo<Runtime>;
	type PalletId = PsmPalletId;
	type MaxExternals = ConstU32<4>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AssetsAndPrices;
}

/// lvUSD's peg stability module as the vault pallet's books and shutdown see it; its fees go to
/// the treasury.
pub struct LvusdPsm;

impl PegStability for LvusdPsm {
	/// pallet-psm's debt over every reserve of lvUSD's module: what it minted, less what it
	/// burned.
	fn reserve_backed() -> Balance {
		pallet_psm::PsmDebt::<Runtime>::iter_prefix_values(LVUSD)
			.fold(0, |total: Balance, debt| total.saturating_add(debt))
	}

	/// Sets the module's ceiling to zero through its full admin's origin (nothing to do if lvUSD
	/// has no module).
	fn stop_issuing() -> DispatchResult {
		let Some(admin) = pallet_psm::PsmAdmin::<Runtime>::get(LVUSD) else {
			return Ok(());
		};
		Psm::set_max_debt(RuntimeOrigin::from(admin.full_admin), LVUSD, 0)
	}

	/// Opens lvUSD's module with root as both its admins on first use, lists `reserve` with an
	/// equal weight in the ceiling, raises the module's ceiling by `ceiling` and sets `fee` each
	/// way.
	fn open_at_genesis(reserve: AssetId, ceiling: Balance, fee: Permill) -> DispatchResult {
		let root = || RuntimeOrigin::root();
		let admin = || Box::new(OriginCaller::system(RawOrigin::Root));
		if !pallet_psm::Psm::<Runtime>::contains_key(LVUSD) {
			Psm::create_psm(root(), LVUSD, admin(), admin(), TreasuryAccount::get(), 0, MIN_SWAP)?;
		}
		let ceiling_before = pallet_psm::Psm::<Runtime>::get(LVUSD).map_or(0, |info| info.max_debt);
		Psm::add_external_asset(root(), LVUSD, reserve)?;
		Psm::set_asset_ceiling_weight(root(), LVUSD, reserve, Permill::from_percent(100))?;
		Psm::set_max_debt(root(), LVUSD, ceiling_before.saturating_add(ceiling))?;
		Psm::set_minting_fee(root(), LVUSD, reserve, fee)?;
		Psm::set_redemption_fee(root(), LVUSD, reserve, fee)
	}
}
