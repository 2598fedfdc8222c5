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
	/// - every position's market is in its account's market list, and the lists are sorted and
	///   hold only markets the account is in.
	/// - [`Debtors`] and [`Exposures`] index exactly the accounts with debt and their markets;
	/// - every open book ([`Books`]) owes: one that owes nothing has been closed.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::traits::One;
		let pallet = Self::account_id();
		for (asset, market) in Markets::<T>::iter() {
			let shares: Balance = Supplies::<T>::iter_prefix_values(asset)
				.map(|position| position.shares)
				.fold(0, |sum, shares| sum.saturating_add(shares));
			ensure!(shares == market.total_shares, "Σ shares differs from total shares");
			let mut scaled: Balance = 0;
			let mut debts: Balance = 0;
			let mut borrowers: Balance = 0;
			for (_, scaled_debt) in Borrows::<T>::iter_prefix(asset) {
				scaled = scaled.saturating_add(scaled_debt);
				debts = debts.saturating_add(market.debt_of(scaled_debt)?);
				borrowers = borrowers.saturating_add(1);
			}
			ensure!(scaled == market.scaled_borrows, "Σ scaled debts differs from scaled borrows");
			ensure!(
				debts <= market.total_borrows()?.saturating_add(borrowers),
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
		for (who, markets) in AccountMarkets::<T>::iter() {
			ensure!(
				markets.windows(2).all(|pair| matches!(pair, [a, b] if a < b)),
				"account markets not sorted"
			);
			for asset in markets.iter() {
				ensure!(
					Supplies::<T>::contains_key(asset, &who)
						|| Borrows::<T>::contains_key(asset, &who),
					"account listed in a market it is not in"
				);
			}
		}
		for (asset, who, _) in Supplies::<T>::iter() {
			ensure!(
				AccountMarkets::<T>::get(&who).contains(&asset),
				"supply outside account markets"
			);
		}
		for (asset, who, _) in Borrows::<T>::iter() {
			ensure!(
				AccountMarkets::<T>::get(&who).contains(&asset),
				"debt outside account markets"
			);
		}
		for book in Books::<T>::iter_keys() {
			ensure!(Debtors::<T>::contains_key(&book), "a book that owes nothing is still open");
		}
		Self::check_exposures()
	}
}
