//! The pallet's invariants, checked after every test block, by the fuzzer and under try-runtime.

use super::*;
use frame_support::{ensure, traits::fungibles::Inspect};
use sp_runtime::{FixedPointNumber, FixedU128};

impl<T: Config> Pallet<T> {
	/// The invariants, checked after every test block:
	/// - Σ account shares = total shares; Σ account debts ≤ total borrows + one unit of rounding
	///   per borrower, and Σ scaled debts = scaled borrows;
	/// - shares × exchange rate ≤ cash + borrows − reserves (the rate rounds in the protocol's
	///   favour) and reserves ≤ cash + borrows;
	/// - borrow index ≥ 1, and exchange rate ≥ 1 unless a write-off recorded bad debt in the market;
	/// - the pallet's account holds exactly each market's cash plus its seed;
	/// - every account's positions are sorted by asset, each in a market that exists, holding a
	///   supply of some shares or some debt;
	/// - [`Borrowers`] holds exactly the accounts with debt;
	/// - every open book ([`Books`]) owes: one that owes nothing has been closed;
	/// - every market's pool, and every credential's pool, exists, numbered below [`NextPoolId`];
	/// - every credit record's spell belongs to an account with debt and its last borrow is no
	///   earlier than its opening.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::traits::One;
		let pallet = Self::account_id();
		let mut totals = alloc::collections::BTreeMap::<AssetId, MarketTotals>::new();
		for (_, positions) in Positions::<T>::iter() {
			ensure!(
				positions.windows(2).all(|pair| matches!(pair, [(a, _), (b, _)] if a < b)),
				"an account's positions are not sorted"
			);
			for (asset, position) in positions.iter() {
				ensure!(!position.is_empty(), "an empty position is stored");
				ensure!(
					position.supply.is_none_or(|supply| supply.shares != 0),
					"a supply of no shares is stored"
				);
				ensure!(position.scaled_debt != Some(0), "a debt of zero is stored");
				let market = Markets::<T>::get(asset).ok_or("a position in no market")?;
				let total = totals.entry(*asset).or_default();
				if let Some(supply) = position.supply {
					total.shares = total.shares.saturating_add(supply.shares);
				}
				if let Some(scaled_debt) = position.scaled_debt {
					total.scaled = total.scaled.saturating_add(scaled_debt);
					total.debts = total.debts.saturating_add(market.debt_of(scaled_debt)?);
					total.borrowers = total.borrowers.saturating_add(1);
				}
			}
		}
		for (asset, market) in Markets::<T>::iter() {
			let total = totals.get(&asset).copied().unwrap_or_default();
			ensure!(total.shares == market.total_shares, "Σ shares differs from total shares");
			ensure!(
				total.scaled == market.scaled_borrows,
				"Σ scaled debts differs from scaled borrows"
			);
			ensure!(
				total.debts <= market.total_borrows()?.saturating_add(total.borrowers),
				"Σ debts exceeds total borrows beyond rounding"
			);
			let supply = market.total_supply().map_err(|_| "reserves exceed cash + borrows")?;
			let rate = market.exchange_rate()?;
			ensure!(
				rate.saturating_mul_int(market.total_shares) <= supply,
				"shares are worth more than the suppliers' assets"
			);
			ensure!(market.borrow_index >= FixedU128::one(), "borrow index below one");
			ensure!(
				rate >= FixedU128::one() || BadDebt::<T>::get(asset) != 0,
				"exchange rate below one without bad debt"
			);
			ensure!(
				T::Assets::balance(asset, &pallet) == market.cash.saturating_add(market.seed),
				"the pallet's account does not hold exactly the market's cash and seed"
			);
		}
		for book in Books::<T>::iter_keys() {
			ensure!(Borrowers::<T>::contains_key(&book), "a book that owes nothing is still open");
		}
		Self::check_pools()?;
		Self::check_borrowers()?;
		Self::check_credit()
	}
}

/// What the accounts' positions in one market add up to.
#[derive(Clone, Copy, Default)]
struct MarketTotals {
	/// Σ supply shares.
	shares: Balance,
	/// Σ scaled debts.
	scaled: Balance,
	/// Σ debts, each rounded as the account owes it.
	debts: Balance,
	/// How many accounts owe.
	borrowers: Balance,
}
