//! Benchmarks of the leverage calls with the runtime's real lending pools and AMM, so the flash
//! loan, every lending call and the swap are in the measured weight.

use super::*;
use crate::Pallet as Leverage;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungibles::metadata::Inspect as InspectMetadata, EnsureOrigin};
use frame_system::RawOrigin;
use lever_primitives::{LendingPositions, VaultPositions};
use sp_runtime::{FixedU128, Permill};

/// Creates what a lever-up needs in the runtime's other pallets.
pub trait BenchmarkHelper<AccountId> {
	/// Returns a (collateral, debt) pair with fresh prices, lending markets with cash and an AMM
	/// pool between them at the oracle price, and leaves `trader` holding at least 1,000 whole
	/// tokens of the collateral and in as many other lending markets as a lever-up still allows
	/// (so every health check is at its largest).
	fn leverage_pair(trader: &AccountId) -> (AssetId, AssetId);

	/// Returns a vault collateral asset with a fresh price, a lending market with cash and an
	/// AMM pool against lvUSD at the oracle price, and leaves `trader` holding at least 1,000
	/// whole tokens of it and no vault.
	fn vault_asset(trader: &AccountId) -> AssetId;
}

/// 100 whole tokens of `asset`.
fn hundred_tokens<T: Config>(asset: AssetId) -> Balance {
	100 * 10u128.pow(u32::from(T::Assets::decimals(asset)))
}

/// Levers `who` up to 3x from a deposit of 100 tokens.
fn lever_up_request<T: Config>(collateral: AssetId, debt: AssetId) -> LeverUp {
	LeverUp {
		collateral,
		debt,
		deposit: hundred_tokens::<T>(collateral),
		target: LeverTarget::Leverage(FixedU128::from_u32(3)),
		max_slippage: Permill::from_percent(2),
		min_health: FixedU128::from_rational(101, 100),
	}
}

/// Opens `asset`'s vault from a deposit of 100 tokens and expands it to 2.5x (a 167%
/// collateral ratio).
fn expand_request<T: Config>(asset: AssetId) -> Expand {
	Expand {
		asset,
		deposit: hundred_tokens::<T>(asset),
		target: LeverTarget::Leverage(FixedU128::from_rational(5, 2)),
		max_slippage: Permill::from_percent(2),
		min_ratio: FixedU128::from_rational(155, 100),
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn lever_up() {
		let caller: T::AccountId = whitelisted_caller();
		let (collateral, debt) = T::BenchmarkHelper::leverage_pair(&caller);
		let request = lever_up_request::<T>(collateral, debt);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			collateral,
			debt,
			request.deposit,
			request.target,
			request.max_slippage,
			request.min_health,
		);

		assert!(T::Lending::debt(&caller, debt).is_ok_and(|owed| owed > 0));
	}

	#[benchmark]
	fn lever_down() {
		let caller: T::AccountId = whitelisted_caller();
		let (collateral, debt) = T::BenchmarkHelper::leverage_pair(&caller);
		Leverage::<T>::do_lever_up(&caller, lever_up_request::<T>(collateral, debt))
			.expect("the benchmark position levers up");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			collateral,
			debt,
			AmountOrAll::All,
			Permill::from_percent(2),
			FixedU128::from_u32(1),
		);

		assert_eq!(T::Lending::debt(&caller, debt), Ok(0));
	}

	#[benchmark]
	fn expand() {
		let caller: T::AccountId = whitelisted_caller();
		let asset = T::BenchmarkHelper::vault_asset(&caller);
		let request = expand_request::<T>(asset);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			asset,
			request.deposit,
			request.target,
			request.max_slippage,
			request.min_ratio,
		);

		assert!(T::Vaults::vault(&caller, asset).is_some_and(|vault| vault.debt > 0));
	}

	#[benchmark]
	fn shrink() {
		let caller: T::AccountId = whitelisted_caller();
		let asset = T::BenchmarkHelper::vault_asset(&caller);
		Leverage::<T>::do_expand(&caller, expand_request::<T>(asset))
			.expect("the benchmark vault expands");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			asset,
			AmountOrAll::All,
			Permill::from_percent(2),
			FixedU128::from_u32(1),
		);

		assert!(T::Vaults::vault(&caller, asset).is_none());
	}

	#[benchmark]
	fn set_slippage_cap() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let cap = Permill::from_percent(3);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, cap);

		assert_eq!(SlippageCap::<T>::get(), cap);
		Ok(())
	}

	impl_benchmark_test_suite!(Leverage, crate::mock::new_test_ext(), crate::mock::Test);
}
