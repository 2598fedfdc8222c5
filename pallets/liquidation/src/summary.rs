//! The risk summary: the whole system at a glance for the risk runtime API (`riskApi.system()`):
//! what is locked and owed, how it is spread over collateral assets, and how much debt is close
//! to liquidation against what the backstop pools hold to repay it.
//!
//! **Terms.**
//! - *Value locked*: what depositors have put in, in USD: every lending market's supply, every
//!   vault's collateral and every backstop pool's deposits.
//! - *Concentration*: each asset's share of the collateral value (lending supply and vault
//!   collateral of the asset); the largest share is the summary's figure.
//! - *At risk*: a position that a fall of [`AT_RISK_FALL`] would make liquidatable. A vault is
//!   judged by the engine's own rule under its collateral's price shocked by that fall (the
//!   stress test's [`PriceScenario`]); a lending account, whose collateral may be several assets,
//!   when its liquidation limit less that fall no longer covers its debt (a health factor below
//!   `1 / (1 - fall)`, about 1.11).
//! - *Backstop coverage*: the part of the debt at risk that the backstop pool of the same asset
//!   could repay (the lvUSD pool for vault debt, each market's pool for its debt), by value.
//!
//! Values are taken at each asset's last confirmed price, fresh or stale; lvUSD counts at one
//! dollar, as the vaults count it. An asset never priced is valued at nothing and listed in
//! [`SystemRisk::unpriced`]. Read-only and for the runtime API only: like the stress test it
//! visits every vault with debt and every account with debt.

use super::*;
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::traits::{fungibles::metadata::Inspect as InspectMetadata, Get};
use lever_primitives::{
	usd_value, LendingLiquidation, PriceProvider, PriceScenario, VaultLiquidation, STABLE_PRICE,
};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, FixedU128, Permill,
};

/// The fall of collateral value against debt that the summary's *at risk* figures assume: 10%.
pub const AT_RISK_FALL: Permill = Permill::from_percent(10);

/// One asset as collateral: how much of it backs debt and its share of all collateral value.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CollateralShare {
	/// The asset.
	pub asset: AssetId,
	/// Its last confirmed price, USD per whole token; `None` when it was never priced.
	pub price: Option<FixedU128>,
	/// What its lending market's suppliers own, in the asset's smallest unit.
	pub supplied: Balance,
	/// What its vaults hold, in the asset's smallest unit.
	pub in_vaults: Balance,
	/// Both in USD.
	pub value: FixedU128,
	/// `value` over all collateral value, rounded down.
	pub share: Permill,
}

/// The system at a glance ([`Pallet::system_risk`]). USD values are `FixedU128` with 18
/// decimals.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct SystemRisk {
	/// Lending supply, vault collateral and backstop deposits, in USD.
	pub value_locked: FixedU128,
	/// Every lending market's supply, in USD.
	pub supplied: FixedU128,
	/// Every lending market's borrows, interest included, in USD.
	pub borrowed: FixedU128,
	/// Borrows over supply in the lending markets, by value, rounded down.
	pub utilization: Permill,
	/// Every vault's collateral, in USD.
	pub vault_collateral: FixedU128,
	/// Every vault's debt with fees, in lvUSD's smallest unit.
	pub lvusd_debt: Balance,
	/// Lending borrows and vault debt, in USD.
	pub debt: FixedU128,
	/// Every backstop pool's deposits, in USD.
	pub backstop: FixedU128,
	/// Each asset held as collateral, by asset id.
	pub collateral: Vec<CollateralShare>,
	/// The largest asset's share of the collateral value.
	pub largest_share: Permill,
	/// Assets with supply, collateral or deposits that were never priced (valued at nothing).
	pub unpriced: Vec<AssetId>,
	/// The fall the at-risk figures assume ([`AT_RISK_FALL`]).
	pub at_risk_fall: Permill,
	/// Vaults that fall would make liquidatable.
	pub vaults_at_risk: u32,
	/// Lending accounts that fall would make liquidatable.
	pub accounts_at_risk: u32,
	/// Their debt, in USD.
	pub debt_at_risk: FixedU128,
	/// The part of it the backstop pools of the same assets hold, in USD.
	pub covered: FixedU128,
	/// `covered` over `debt_at_risk`, rounded down; `None` when no debt is at risk.
	pub backstop_coverage: Option<Permill>,
}

/// USD values at last confirmed prices, each asset's price and decimals read once.
#[derive(Default)]
struct Valuer {
	prices: BTreeMap<AssetId, Option<(FixedU128, u8)>>,
}

impl Valuer {
	/// `amount` of `asset` in USD; nothing for an asset never priced or on overflow.
	fn value<T: Config>(&mut self, asset: AssetId, amount: Balance) -> FixedU128 {
		self.price::<T>(asset)
			.and_then(|(price, decimals)| usd_value(amount, decimals, price))
			.unwrap_or_default()
	}

	/// The asset's price and decimals: lvUSD at [`STABLE_PRICE`], any other asset at its last
	/// confirmed price.
	fn price<T: Config>(&mut self, asset: AssetId) -> Option<(FixedU128, u8)> {
		*self.prices.entry(asset).or_insert_with(|| {
			let price = if asset == T::StableAsset::get() {
				Some(STABLE_PRICE)
			} else {
				T::Prices::last_price(asset).map(|price| price.value)
			};
			price.map(|price| (price, T::Assets::decimals(asset)))
		})
	}
}

/// `part` over `whole`, rounded down; zero when `whole` is.
fn share_of(part: FixedU128, whole: FixedU128) -> Permill {
	if whole.is_zero() {
		return Permill::zero();
	}
	Permill::from_rational(part.into_inner(), whole.into_inner())
}

impl<T: Config> Pallet<T> {
	/// The system at a glance: value locked, debt, utilization, collateral concentration and
	/// the backstop pools' coverage of the debt a fall of [`AT_RISK_FALL`] would put up for
	/// liquidation (see the module's documentation). Changes nothing.
	pub fn system_risk() -> Result<SystemRisk, DispatchError> {
		let mut valuer = Valuer::default();
		let mut summary = SystemRisk { at_risk_fall: AT_RISK_FALL, ..Default::default() };
		let mut collateral: BTreeMap<AssetId, CollateralShare> = BTreeMap::new();
		for market in T::Lending::market_totals() {
			collateral.entry(market.asset).or_default().supplied = market.supplied;
			summary.borrowed = summary
				.borrowed
				.saturating_add(valuer.value::<T>(market.asset, market.borrowed));
		}
		for asset in T::Vaults::collateral_types() {
			let Some((held, debt)) = T::Vaults::type_totals(asset) else { continue };
			collateral.entry(asset).or_default().in_vaults = held;
			summary.lvusd_debt = summary.lvusd_debt.saturating_add(debt);
		}
		let mut unpriced = Vec::new();
		for (asset, share) in collateral.iter_mut() {
			share.asset = *asset;
			share.price = valuer.price::<T>(*asset).map(|(price, _)| price);
			if share.price.is_none() {
				unpriced.push(*asset);
			}
			let supplied = valuer.value::<T>(*asset, share.supplied);
			let in_vaults = valuer.value::<T>(*asset, share.in_vaults);
			summary.supplied = summary.supplied.saturating_add(supplied);
			summary.vault_collateral = summary.vault_collateral.saturating_add(in_vaults);
			share.value = supplied.saturating_add(in_vaults);
		}
		for (pool, _) in BackstopPools::<T>::iter() {
			let deposits = valuer.value::<T>(pool, Self::pool_deposits(pool));
			summary.backstop = summary.backstop.saturating_add(deposits);
			if valuer.price::<T>(pool).is_none() && !unpriced.contains(&pool) {
				unpriced.push(pool);
			}
		}
		let collateral_value = summary.supplied.saturating_add(summary.vault_collateral);
		summary.collateral = collateral
			.into_values()
			.map(|share| CollateralShare {
				share: share_of(share.value, collateral_value),
				..share
			})
			.collect();
		summary.largest_share =
			summary.collateral.iter().map(|share| share.share).max().unwrap_or_default();
		unpriced.sort_unstable();
		summary.unpriced = unpriced;
		summary.value_locked = collateral_value.saturating_add(summary.backstop);
		summary.utilization = share_of(summary.borrowed, summary.supplied);
		let lvusd_debt = valuer.value::<T>(T::StableAsset::get(), summary.lvusd_debt);
		summary.debt = summary.borrowed.saturating_add(lvusd_debt);
		Self::add_debt_at_risk(&mut summary, &mut valuer)?;
		Ok(summary)
	}

	/// Adds the at-risk figures to `summary`: the vaults and lending accounts a fall of
	/// [`AT_RISK_FALL`] would make liquidatable, their debt, and what the backstop pools of
	/// the same assets hold of it.
	fn add_debt_at_risk(
		summary: &mut SystemRisk,
		valuer: &mut Valuer,
	) -> Result<(), DispatchError> {
		// Debt at risk per asset, in its smallest unit.
		let mut at_risk: BTreeMap<AssetId, Balance> = BTreeMap::new();
		let shocks: Vec<Shock> = T::Vaults::collateral_types()
			.into_iter()
			.filter(|asset| T::Prices::last_price(*asset).is_some())
			.map(|asset| Shock { asset, fall: AT_RISK_FALL })
			.collect();
		let mut report = StressReport::<T::AccountId>::at(Self::shocked_prices(&shocks)?);
		T::Prices::with_prices(&report.prices.clone(), || Self::stress_vaults(&mut report, 0))??;
		summary.vaults_at_risk = report.liquidatable_vaults;
		let vault_debt = report
			.vault_types
			.iter()
			.fold(0, |sum: Balance, stress| sum.saturating_add(stress.debt));
		if vault_debt != 0 {
			at_risk.insert(T::StableAsset::get(), vault_debt);
		}
		let kept = FixedU128::from(Permill::one().saturating_sub(AT_RISK_FALL));
		let page = T::SweepScan::get().max(1);
		let mut after: Option<T::AccountId> = None;
		loop {
			let debtors = T::Lending::debtors(after.as_ref(), page);
			let Some(last) = debtors.last().cloned() else { break };
			for who in debtors {
				// An account with an unknown price is not liquidatable, as for the engine.
				let Ok(view) = T::Lending::liquidation_view(&who) else { continue };
				let liquidity = view.liquidity;
				if liquidity.liquidation_limit.saturating_mul(kept) >= liquidity.debt_value {
					continue;
				}
				summary.accounts_at_risk = summary.accounts_at_risk.saturating_add(1);
				for (asset, debt) in view.debts {
					let total = at_risk.entry(asset).or_default();
					*total = total.saturating_add(debt);
				}
			}
			after = Some(last);
		}
		for (asset, debt) in at_risk {
			summary.debt_at_risk =
				summary.debt_at_risk.saturating_add(valuer.value::<T>(asset, debt));
			let covered = debt.min(Self::pool_deposits(asset));
			summary.covered = summary.covered.saturating_add(valuer.value::<T>(asset, covered));
		}
		summary.backstop_coverage = (!summary.debt_at_risk.is_zero())
			.then(|| share_of(summary.covered, summary.debt_at_risk));
		Ok(())
	}
}
