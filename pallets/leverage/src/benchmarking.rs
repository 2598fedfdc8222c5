//! Benchmarks of the leverage calls with the runtime's real lending pools and AMM, so the flash
//! loan, every lending call and the swap are in the measured weight.

use super::*;
use crate::Pallet as Leverage;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::Mutate as _, fungibles::metadata::Inspect as InspectMetadata, EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use lever_primitives::{LendingPositions, ProtectedPosition, VaultPositions};
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

	/// Sets the least debt (lvUSD's smallest unit) a vault of `asset`, a collateral type
	/// [`Self::vault_asset`] returned, may be left with: what makes a deleverage repay all.
	fn set_vault_min_debt(asset: AssetId, min_debt: Balance);

	/// Sets the least debt (`asset`'s smallest unit) a borrower of `asset`, a debt asset
	/// [`Self::leverage_pair`] returned, may be left with: what makes a deleverage repay all.
	fn set_borrow_min_debt(asset: AssetId, min_debt: Balance);
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

/// A vault protection's trigger and target: 160% and 200%.
fn protection_ratios() -> (FixedU128, FixedU128) {
	(FixedU128::from_rational(160, 100), FixedU128::from_u32(2))
}

/// Gives `who` `count` protections of lending pairs of assets that do not exist, written
/// straight to storage (no deposit held): what the calls read and write around them.
fn fill_protections<T: Config>(who: &T::AccountId, count: u32) {
	let settings = ProtectionSettings {
		trigger: FixedU128::from_rational(110, 100),
		target: FixedU128::from_rational(150, 100),
		max_slippage: Permill::from_percent(1),
	};
	Protections::<T>::mutate(who, |protections| {
		for i in 0..count {
			let position = ProtectedPosition::Lending { collateral: u32::MAX - i, debt: i };
			let _ = protections.try_push(Protected { position, settings, deposit: 0 });
		}
	});
}

/// Protects `position` of `who` with 2% slippage, `target` and the trigger of its kind: a vault
/// at [`protection_ratios`]'s, a lending pair at a health factor of 1.05. Funds the deposit.
fn protect_position<T: Config>(
	who: &T::AccountId,
	position: ProtectedPosition,
	target: FixedU128,
) -> ProtectedPosition {
	let trigger = match position {
		ProtectedPosition::Vault(_) => protection_ratios().0,
		ProtectedPosition::Lending { .. } => FixedU128::from_rational(105, 100),
	};
	let settings = ProtectionSettings { trigger, target, max_slippage: Permill::from_percent(2) };
	T::Currency::set_balance(who, T::ProtectionDeposit::get().saturating_mul(10).max(1 << 60));
	Leverage::<T>::do_protect(who, position, settings).expect("the position is protected");
	position
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
	fn protect() {
		let caller: T::AccountId = whitelisted_caller();
		let asset = T::BenchmarkHelper::vault_asset(&caller);
		Leverage::<T>::do_expand(&caller, expand_request::<T>(asset))
			.expect("the benchmark vault expands");
		fill_protections::<T>(&caller, T::MaxProtections::get().saturating_sub(1));
		T::Currency::set_balance(
			&caller,
			T::ProtectionDeposit::get().saturating_mul(10).max(1 << 60),
		);
		let (trigger, target) = protection_ratios();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller.clone()),
			ProtectedPosition::Vault(asset),
			trigger,
			target,
			Permill::from_percent(2),
		);

		assert!(Leverage::<T>::protection(&caller, ProtectedPosition::Vault(asset)).is_some());
	}

	#[benchmark]
	fn unprotect() {
		let caller: T::AccountId = whitelisted_caller();
		let asset = T::BenchmarkHelper::vault_asset(&caller);
		Leverage::<T>::do_expand(&caller, expand_request::<T>(asset))
			.expect("the benchmark vault expands");
		fill_protections::<T>(&caller, T::MaxProtections::get().saturating_sub(1));
		let (_, target) = protection_ratios();
		let position = protect_position::<T>(&caller, ProtectedPosition::Vault(asset), target);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), position);

		assert!(Leverage::<T>::protection(&caller, position).is_none());
	}

	#[benchmark]
	fn deleverage_vault() {
		let caller: T::AccountId = whitelisted_caller();
		let asset = T::BenchmarkHelper::vault_asset(&caller);
		Leverage::<T>::do_expand(&caller, expand_request::<T>(asset))
			.expect("the benchmark vault expands");
		// At 167%, below the 200% target: the deleverage repays about a third of the debt.
		let (_, target) = protection_ratios();
		let position = protect_position::<T>(&caller, ProtectedPosition::Vault(asset), target);

		#[block]
		{
			Leverage::<T>::do_deleverage(&caller, position).expect("the vault deleverages");
		}

		assert!(Leverage::<T>::vault_position(&caller, asset)
			.is_ok_and(|vault| vault.collateral_ratio >= Some(FixedU128::from_rational(199, 100))));
	}

	#[benchmark]
	fn deleverage_vault_closing() {
		let caller: T::AccountId = whitelisted_caller();
		let asset = T::BenchmarkHelper::vault_asset(&caller);
		Leverage::<T>::do_expand(&caller, expand_request::<T>(asset))
			.expect("the benchmark vault expands");
		// Taking the vault from 167% to the highest target would leave less than a tenth of
		// its debt, below a minimum of half: the deleverage repays all and closes the vault.
		let owed = T::Vaults::vault(&caller, asset).map_or(0, |vault| vault.debt);
		T::BenchmarkHelper::set_vault_min_debt(asset, owed / 2);
		let position = protect_position::<T>(
			&caller,
			ProtectedPosition::Vault(asset),
			crate::MAX_PROTECTION_RATIO,
		);

		#[block]
		{
			Leverage::<T>::do_deleverage(&caller, position).expect("the vault deleverages");
		}

		assert!(T::Vaults::vault(&caller, asset).is_none());
	}

	#[benchmark]
	fn deleverage_lending() {
		let caller: T::AccountId = whitelisted_caller();
		let (collateral, debt) = T::BenchmarkHelper::leverage_pair(&caller);
		Leverage::<T>::do_lever_up(&caller, lever_up_request::<T>(collateral, debt))
			.expect("the benchmark position levers up");
		// At 3x the health factor is about 1.1, below the 1.3 target.
		let target = FixedU128::from_rational(130, 100);
		let position =
			protect_position::<T>(&caller, ProtectedPosition::Lending { collateral, debt }, target);

		#[block]
		{
			Leverage::<T>::do_deleverage(&caller, position).expect("the position deleverages");
		}

		assert!(T::Lending::liquidity(&caller).is_ok_and(|liquidity| liquidity
			.health_factor()
			.is_some_and(|health| health >= FixedU128::from_rational(129, 100))));
	}

	#[benchmark]
	fn deleverage_lending_unwind() {
		let caller: T::AccountId = whitelisted_caller();
		let (collateral, debt) = T::BenchmarkHelper::leverage_pair(&caller);
		Leverage::<T>::do_lever_up(&caller, lever_up_request::<T>(collateral, debt))
			.expect("the benchmark position levers up");
		// Taking health from about 1.1 to the highest target would leave a small part of the
		// debt, below a minimum of half: the deleverage repays all and unwinds the pair.
		let owed = T::Lending::debt(&caller, debt).unwrap_or_default();
		T::BenchmarkHelper::set_borrow_min_debt(debt, owed / 2);
		let position = protect_position::<T>(
			&caller,
			ProtectedPosition::Lending { collateral, debt },
			crate::MAX_PROTECTION_RATIO,
		);

		#[block]
		{
			Leverage::<T>::do_deleverage(&caller, position).expect("the position deleverages");
		}

		assert_eq!(T::Lending::debt(&caller, debt), Ok(0));
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
