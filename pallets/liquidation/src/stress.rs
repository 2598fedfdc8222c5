//! The stress test: what a fall of some prices would make liquidatable, what could absorb it and
//! what bad debt it would leave, for the risk runtime API.
//!
//! The shocked prices are put in the oracle for the length of the test ([`PriceScenario`]),
//! fresh, and every change is undone afterwards, so each position is judged by the very rule the
//! engine judges it by: a vault is liquidatable when the vault pallet's
//! [`VaultLiquidation::unsafe_vault`] finds it unsafe, a lending account when the pools'
//! [`LendingLiquidation::is_liquidatable`] says so. Other prices stay as they are, fresh or
//! stale. Read-only and for the runtime API only: it visits every vault with debt and every
//! account with debt (O(vaults + debtors) reads and memory for one collateral type's vaults at
//! a time), never on a path a block pays for; the lists it returns are bounded by the caller.
//!
//! **Terms.**
//! - *Shock*: an asset and the fall of its price, applied to its last confirmed price.
//! - *Part*: the lvUSD debt one liquidation of a vault takes (to its target ratio, or all).
//! - *Bad debt*: debt that the collateral no longer covers at the shocked prices, so no route can
//!   repay it from the collateral: for a vault, its debt less its collateral's worth; for a
//!   lending account, its debt value less its collateral value, each of its debts bearing the
//!   same fraction of its amount.

use super::*;
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{ensure, traits::Get};
use lever_primitives::{
	mul_div, LendingLiquidation, OracleSwap, PriceProvider, PriceScenario, UnsafeVault,
	VaultLiquidation,
};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, FixedU128, Permill, Rounding,
};

/// How many times the AMM is asked, halving the amount each time, for the most it would pay
/// within the engine's cap for one collateral type's liquidatable collateral.
const AMM_PROBES: u32 = 24;

/// A fall of one asset's price.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Shock {
	/// The asset whose price falls.
	pub asset: AssetId,
	/// How far it falls from its last confirmed price (100% is a price of zero).
	pub fall: Permill,
}

/// A vault the shock makes liquidatable, as one liquidation would find it.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct StressedVault<AccountId> {
	/// Its collateral type.
	pub asset: AssetId,
	/// Its owner.
	pub owner: AccountId,
	/// Its lvUSD debt with fees, in lvUSD's smallest unit, rounded up.
	pub debt: Balance,
	/// Its collateral, in the asset's smallest unit.
	pub collateral: Balance,
	/// What its collateral is worth at the shocked price, in lvUSD's smallest unit, rounded down.
	pub value: Balance,
	/// The debt one liquidation takes ([`UnsafeVault::part`]).
	pub part: Balance,
}

/// A lending account the shock makes liquidatable, valued as a liquidation values it.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct StressedAccount<AccountId> {
	/// The borrower.
	pub who: AccountId,
	/// Its collateral's value in USD at the shocked prices.
	pub collateral_value: FixedU128,
	/// Its debt's value in USD.
	pub debt_value: FixedU128,
	/// Liquidation limit over debt value: below one, except for the engine's books, which are
	/// liquidatable whenever they owe; `None` when the debt is valued at nothing.
	pub health_factor: Option<FixedU128>,
	/// Each debt: the market's asset and the amount owed, interest included.
	pub debts: Vec<(AssetId, Balance)>,
}

/// One collateral type under the shock: its liquidatable vaults' debt and what the AMM and the
/// auctions could take of it.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct VaultTypeStress {
	/// The collateral asset.
	pub asset: AssetId,
	/// Liquidatable vaults of the type.
	pub vaults: u32,
	/// Their debt, in lvUSD's smallest unit.
	pub debt: Balance,
	/// The debt their first liquidations take (the sum of their parts).
	pub parts: Balance,
	/// The most lvUSD, up to `parts`, the AMM would pay for the collateral their first
	/// liquidations take (all of it for a whole liquidation, else worth the part with its
	/// penalty) within the engine's slippage cap against the shocked price, as if the backstop
	/// took none; at the pools' reserves now (arbitrage towards the shocked price would leave
	/// less); found by bisection to within `parts / 2^24`; zero when the route is disabled or
	/// the AMM refuses.
	pub amm: Balance,
	/// The lvUSD of debt auctions may still take (room under the type's and the global cap).
	pub auction_room: Balance,
	/// The debt their collateral does not cover at the shocked price, in lvUSD's smallest unit.
	pub bad_debt: Balance,
}

/// One lending market under the shock: the liquidatable accounts' debt in it and its backstop.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct MarketStress {
	/// The market's asset.
	pub asset: AssetId,
	/// Liquidatable accounts owing in the market.
	pub accounts: u32,
	/// What they owe in it, in the asset's smallest unit.
	pub debt: Balance,
	/// The deposits of the asset's backstop pool, which repays this debt first.
	pub backstop: Balance,
	/// Their bad debt in this market: each account's debts bear the same fraction of their
	/// amount, its shortfall over its debt value; in the asset's smallest unit, rounded down.
	pub bad_debt: Balance,
}

/// What a set of shocks would do ([`Pallet::stress`]).
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct StressReport<AccountId> {
	/// The shocked prices, USD per whole token, in the order of the shocks.
	pub prices: Vec<(AssetId, FixedU128)>,
	/// How many vaults the shocks make liquidatable.
	pub liquidatable_vaults: u32,
	/// How many lending accounts the shocks make liquidatable.
	pub liquidatable_accounts: u32,
	/// The first of those vaults, up to the listing limit, by collateral type then in storage
	/// order.
	pub vaults: Vec<StressedVault<AccountId>>,
	/// The first of those accounts, up to the listing limit, in storage order.
	pub accounts: Vec<StressedAccount<AccountId>>,
	/// The lvUSD backstop's deposits, which repay vault debt first, in lvUSD's smallest unit.
	pub lvusd_backstop: Balance,
	/// Each collateral type with a liquidatable vault.
	pub vault_types: Vec<VaultTypeStress>,
	/// Each lending market in which a liquidatable account owes.
	pub markets: Vec<MarketStress>,
	/// The vaults' bad debt in all, in lvUSD's smallest unit.
	pub lvusd_bad_debt: Balance,
}

impl<AccountId> StressReport<AccountId> {
	/// A report at the shocked `prices` that has found nothing yet.
	pub(crate) fn at(prices: Vec<(AssetId, FixedU128)>) -> Self {
		Self {
			prices,
			liquidatable_vaults: 0,
			liquidatable_accounts: 0,
			vaults: Vec::new(),
			accounts: Vec::new(),
			lvusd_backstop: 0,
			vault_types: Vec::new(),
			markets: Vec::new(),
			lvusd_bad_debt: 0,
		}
	}
}

impl<T: Config> Pallet<T> {
	/// What `shocks` would do: how many vaults and lending accounts they make liquidatable
	/// (the first `max_listed` of each listed with their figures), what the backstops, the AMM
	/// within the engine's cap and the auctions could take, and the bad debt to expect (see the
	/// module's documentation). The totals and the figures per type and market count every
	/// position, whatever `max_listed`. Changes nothing.
	///
	/// Fails with `UnpricedShock` for an asset the oracle never priced, `DuplicateShock` when an
	/// asset is shocked twice, and `TooManyShocks` beyond [`Config::MaxShocks`] shocks.
	pub fn stress(
		shocks: &[Shock],
		max_listed: u32,
	) -> Result<StressReport<T::AccountId>, DispatchError> {
		ensure!(shocks.len() <= T::MaxShocks::get() as usize, Error::<T>::TooManyShocks);
		let mut report = StressReport::at(Self::shocked_prices(shocks)?);
		let listed = max_listed as usize;
		T::Prices::with_prices(&report.prices.clone(), || -> Result<_, DispatchError> {
			report.lvusd_backstop = Self::pool_deposits(T::StableAsset::get());
			Self::stress_vaults(&mut report, listed)?;
			Self::stress_lending(&mut report, listed)
		})??;
		Ok(report)
	}

	/// Each shocked asset's last confirmed price less its fall, in the order of `shocks`. Fails
	/// with `UnpricedShock` for an asset the oracle never priced and `DuplicateShock` for an
	/// asset shocked twice.
	pub(crate) fn shocked_prices(
		shocks: &[Shock],
	) -> Result<Vec<(AssetId, FixedU128)>, DispatchError> {
		let mut prices: Vec<(AssetId, FixedU128)> = Vec::with_capacity(shocks.len());
		for shock in shocks {
			ensure!(
				prices.iter().all(|(asset, _)| *asset != shock.asset),
				Error::<T>::DuplicateShock
			);
			let last = T::Prices::last_price(shock.asset).ok_or(Error::<T>::UnpricedShock)?;
			let kept = Permill::one().saturating_sub(shock.fall);
			prices.push((shock.asset, last.value.saturating_mul(kept.into())));
		}
		Ok(prices)
	}

	/// Counts every liquidatable vault in `report`, lists up to `listed`, and adds each type's
	/// figures.
	pub(crate) fn stress_vaults(
		report: &mut StressReport<T::AccountId>,
		listed: usize,
	) -> Result<(), DispatchError> {
		for asset in T::Vaults::collateral_types() {
			let mut stress = VaultTypeStress { asset, ..Default::default() };
			let mut sold = 0;
			for (owner, _, _) in T::Vaults::vaults_with_debt(asset) {
				// A type without a fresh price, or after the shutdown, liquidates nothing.
				let Ok(Some(found)) = T::Vaults::unsafe_vault(asset, &owner) else {
					continue;
				};
				stress.vaults = stress.vaults.saturating_add(1);
				stress.debt = stress.debt.saturating_add(found.debt);
				stress.parts = stress.parts.saturating_add(found.part);
				stress.bad_debt =
					stress.bad_debt.saturating_add(found.debt.saturating_sub(found.value));
				sold = sold.saturating_add(Self::part_collateral(&found)?);
				report.liquidatable_vaults = report.liquidatable_vaults.saturating_add(1);
				if report.vaults.len() >= listed {
					continue;
				}
				report.vaults.push(StressedVault {
					asset,
					owner,
					debt: found.debt,
					collateral: found.collateral,
					value: found.value,
					part: found.part,
				});
			}
			if stress.vaults == 0 {
				continue;
			}
			stress.amm = Self::amm_depth(asset, stress.parts, sold);
			stress.auction_room = Self::auction_room(asset);
			report.lvusd_bad_debt = report.lvusd_bad_debt.saturating_add(stress.bad_debt);
			report.vault_types.push(stress);
		}
		Ok(())
	}

	/// The collateral a vault's first liquidation takes: all of it when it takes the whole
	/// debt or the tab is worth at least the collateral, else worth its part with the penalty
	/// at the liquidation's price, rounded up.
	fn part_collateral(found: &UnsafeVault) -> Result<Balance, DispatchError> {
		let tab = found.part.saturating_add(found.risk.penalty.mul_ceil(found.part));
		if found.part >= found.debt || tab >= found.value {
			return Ok(found.collateral);
		}
		Ok(mul_div(tab, found.collateral, found.value, Rounding::Up)?.min(found.collateral))
	}

	/// The most lvUSD, at most `wanted`, the AMM would pay within the engine's cap for at most
	/// `collateral` of `asset`: `wanted` if it quotes that, else found by bisection to within
	/// `wanted / 2^AMM_PROBES` below. Zero where the route is disabled or nothing is quoted.
	fn amm_depth(asset: AssetId, wanted: Balance, collateral: Balance) -> Balance {
		let stable = T::StableAsset::get();
		let Some(cap) = Self::amm_route(asset).max_slippage() else {
			return 0;
		};
		if !T::Swaps::can_swap(asset, stable) {
			return 0;
		}
		let quotes = |amount: Balance| {
			amount != 0
				&& T::Swaps::quote_buy(asset, stable, amount, cap)
					.is_ok_and(|quote| quote.amount_in <= collateral)
		};
		if quotes(wanted) {
			return wanted;
		}
		// The AMM quotes `low` (or it is zero) and refuses `high`.
		let (mut low, mut high) = (0, wanted);
		for _ in 0..AMM_PROBES {
			let middle = low + (high - low) / 2;
			if middle == low {
				break;
			}
			if quotes(middle) {
				low = middle;
			} else {
				high = middle;
			}
		}
		low
	}

	/// Counts every liquidatable lending account in `report`, lists up to `listed`, and adds
	/// each market's figures.
	fn stress_lending(
		report: &mut StressReport<T::AccountId>,
		listed: usize,
	) -> Result<(), DispatchError> {
		let mut markets: BTreeMap<AssetId, MarketStress> = BTreeMap::new();
		let page = T::SweepScan::get().max(1);
		let mut after: Option<T::AccountId> = None;
		loop {
			let debtors = T::Lending::debtors(after.as_ref(), page);
			let Some(last) = debtors.last().cloned() else {
				break;
			};
			for who in debtors {
				// An account with an unknown price is not liquidatable, as for the engine.
				if !T::Lending::is_liquidatable(&who).unwrap_or(false) {
					continue;
				}
				let view = T::Lending::liquidation_view(&who)?;
				let liquidity = view.liquidity;
				let shortfall = liquidity.debt_value.saturating_sub(liquidity.collateral_value);
				for &(asset, debt) in &view.debts {
					let market = markets
						.entry(asset)
						.or_insert_with(|| MarketStress { asset, ..Default::default() });
					market.accounts = market.accounts.saturating_add(1);
					market.debt = market.debt.saturating_add(debt);
					let share = Self::shortfall_share(shortfall, liquidity.debt_value, debt);
					market.bad_debt = market.bad_debt.saturating_add(share);
				}
				report.liquidatable_accounts = report.liquidatable_accounts.saturating_add(1);
				if report.accounts.len() >= listed {
					continue;
				}
				report.accounts.push(StressedAccount {
					who,
					collateral_value: liquidity.collateral_value,
					debt_value: liquidity.debt_value,
					health_factor: liquidity.health_factor(),
					debts: view.debts,
				});
			}
			after = Some(last);
		}
		report.markets = markets
			.into_values()
			.map(|market| MarketStress { backstop: Self::pool_deposits(market.asset), ..market })
			.collect();
		Ok(())
	}

	/// The part of `debt` the account's `shortfall` (USD) takes, in proportion to its debt value
	/// `debt_value`, rounded down; nothing without a shortfall.
	fn shortfall_share(shortfall: FixedU128, debt_value: FixedU128, debt: Balance) -> Balance {
		if shortfall.is_zero() || debt_value.is_zero() {
			return 0;
		}
		let share = shortfall.into_inner();
		mul_div(debt, share, debt_value.into_inner(), Rounding::Down)
			.unwrap_or(0)
			.min(debt)
	}
}
