//! What the runtime API reports: every market and an account's positions and health, accrued to
//! the moment of the call.

use super::*;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, FixedU128, Permill};

/// A market as the runtime API reports it, with interest accrued to the moment of the call.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MarketInfo {
	/// The market's asset.
	pub asset: AssetId,
	/// What the market allows.
	pub status: MarketStatus,
	/// The governance-set parameters, caps included.
	pub params: MarketParams,
	/// The liquidation threshold in force now (below the parameter while a lowering ramps in).
	pub liquidation_threshold: Permill,
	/// The asset's decimals.
	pub decimals: u8,
	/// What suppliers own: cash plus borrows minus reserves.
	pub total_supply: Balance,
	/// What borrowers owe, interest included.
	pub total_borrows: Balance,
	/// Tokens available to borrow or withdraw.
	pub cash: Balance,
	/// The protocol's share of interest.
	pub reserves: Balance,
	/// Borrows over supply.
	pub utilization: FixedU128,
	/// The yearly borrow rate compounded every second.
	pub borrow_apy: FixedU128,
	/// The yearly supply rate compounded every second.
	pub supply_apy: FixedU128,
	/// The asset value of one supply share.
	pub exchange_rate: FixedU128,
	/// The asset value of one unit of scaled debt.
	pub borrow_index: FixedU128,
	/// The permissioned pool whose credential supplying and borrowing need; `None` when public.
	pub pool: Option<PoolId>,
}

/// An account's position in one market.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct MarketPosition {
	/// The market's asset.
	pub asset: AssetId,
	/// The supply's value in the asset, interest included.
	pub supplied: Balance,
	/// The supply shares.
	pub shares: Balance,
	/// Whether the supply is collateral.
	pub collateral: bool,
	/// The debt in the asset, interest included.
	pub borrowed: Balance,
}

/// An account's credit score as the runtime API reports it (see `credit.rs`).
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct CreditInfo {
	/// The score now, 0 to 1000.
	pub score: u32,
	/// What the score adds to each collateral factor under the policy in force.
	pub bonus: Permill,
	/// The most the bonus may add to the borrow limit, in USD: the largest debt the account
	/// repaid in full after the minimum loan age.
	pub proven: FixedU128,
	/// The account's history; `None` for an account that never borrowed.
	pub record: Option<CreditRecord>,
	/// Milliseconds a last borrow must be held before repaying it in full counts.
	pub min_loan_age: Moment,
}

/// An account's positions and health as the runtime API reports them.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AccountPosition {
	/// Every market the account supplies to or borrows from.
	pub markets: Vec<MarketPosition>,
	/// The account valued at oracle prices, or which price is missing.
	pub liquidity: Result<AccountLiquidity, ValuationError>,
	/// Liquidation limit over debt value; `None` without debt or without prices.
	pub health_factor: Option<FixedU128>,
}

impl<T: Config> Pallet<T> {
	/// Every market as the runtime API reports it, accrued to now.
	pub fn market_infos() -> Vec<MarketInfo> {
		let now = Clock::<T>::now_ms();
		Markets::<T>::iter()
			.filter_map(|(asset, market)| Self::market_info(asset, market.accrued(now).ok()?, now))
			.collect()
	}

	/// One market as the runtime API reports it.
	fn market_info(asset: AssetId, market: Market, now: Moment) -> Option<MarketInfo> {
		let borrow_rate = market.yearly_borrow_rate().ok()?;
		let supply_rate = market.yearly_supply_rate().ok()?;
		Some(MarketInfo {
			asset,
			status: market.status,
			params: market.params,
			liquidation_threshold: market.liquidation_threshold_at(now),
			decimals: market.decimals,
			total_supply: market.total_supply().ok()?,
			total_borrows: market.total_borrows().ok()?,
			cash: market.cash,
			reserves: market.reserves,
			utilization: market.utilization().ok()?,
			borrow_apy: compounded_yearly(borrow_rate),
			supply_apy: compounded_yearly(supply_rate),
			exchange_rate: market.exchange_rate().ok()?,
			borrow_index: market.borrow_index,
			pool: market.pool,
		})
	}

	/// An account's credit score, what it earns under the policy in force, and its record.
	pub fn credit_info(who: &T::AccountId) -> CreditInfo {
		let now = Clock::<T>::now_ms();
		let record = Credit::<T>::get(who);
		let score = record.map_or(0, |record| record.score(now));
		let terms = Self::terms_of(record.as_ref(), now);
		CreditInfo {
			score,
			bonus: terms.bonus,
			proven: record.map_or(FixedU128::zero(), |record| record.proven),
			record,
			min_loan_age: Self::credit_policy().min_loan_age,
		}
	}

	/// An account's positions and health as the runtime API reports them, accrued to now.
	pub fn account_position(who: &T::AccountId) -> AccountPosition {
		let positions = Self::positions(who).unwrap_or_default();
		let markets = positions
			.iter()
			.map(|position| MarketPosition {
				asset: position.asset,
				supplied: position
					.market
					.value_of_shares(position.supply.shares)
					.unwrap_or_default(),
				shares: position.supply.shares,
				collateral: position.supply.collateral,
				borrowed: position.market.debt_of(position.scaled_debt).unwrap_or_default(),
			})
			.collect();
		let liquidity =
			Self::value_positions(&positions, Valuation::Confirmed, &Self::credit_terms(who));
		let health_factor = liquidity.as_ref().ok().and_then(AccountLiquidity::health_factor);
		AccountPosition { markets, liquidity, health_factor }
	}
}
