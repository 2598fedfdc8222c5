//! Benchmarks of the vault calls at their worst case: `MaxCollateralTypes` collateral types, so
//! the global ceiling check, the shutdown, the fix and a redemption visit every type.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungibles::{metadata::Inspect as InspectMetadata, Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use lever_primitives::BenchmarkHelper;
use sp_runtime::{
	traits::{One, Zero},
	FixedU128, Permill,
};

/// Identifiers of the benchmark collateral assets start here, clear of any the runtime lists.
const FIRST_ASSET: AssetId = 61_000;
/// Decimals of the benchmark assets.
const DECIMALS: u8 = 12;
/// One whole token.
const UNIT: Balance = 1_000_000_000_000;

/// 150% liquidation ratio, 5% a year, ceilings far above what the benchmarks mint.
fn params() -> CollateralParams {
	CollateralParams {
		liquidation_ratio: FixedU128::from_rational(150, 100),
		stability_fee: FixedU128::from_rational(5, 100),
		debt_ceiling: Balance::MAX / 16,
		min_debt: 0,
		liquidation_penalty: Permill::from_percent(13),
		target_ratio: FixedU128::from_rational(160, 100),
		whole_liquidation_ratio: FixedU128::from_rational(120, 100),
	}
}

/// `amount` lvUSD in its smallest unit.
fn lvusd<T: Config>(amount: Balance) -> Balance {
	amount.saturating_mul(10u128.pow(u32::from(T::Assets::decimals(T::StableAsset::get()))))
}

/// The most collateral types there may be, each priced at $1, the first ones existing in the
/// runtime's genesis counted.
fn collateral_types<T: Config>() -> Vec<AssetId> {
	GlobalDebtCeiling::<T>::put(Balance::MAX / 4);
	let existing = CollateralTypes::<T>::count();
	let assets: Vec<AssetId> = (FIRST_ASSET
		..FIRST_ASSET + T::MaxCollateralTypes::get().saturating_sub(existing))
		.collect();
	for asset in &assets {
		T::BenchmarkHelper::create_asset(*asset, DECIMALS);
		T::BenchmarkHelper::set_price(*asset, FixedU128::from_u32(1));
		Pallet::<T>::do_set_collateral_type(
			lever_primitives::GovernanceTier::Full,
			*asset,
			params(),
			crate::Clock::<T>::now_ms(),
		)
		.expect("benchmark collateral type");
	}
	for asset in CollateralTypes::<T>::iter_keys() {
		T::BenchmarkHelper::set_price(asset, FixedU128::from_u32(1));
	}
	assets
}

/// Settles every vault that owes, after a shutdown: the benchmark's own and any the chain
/// started with (its genesis vaults), as redemption needs.
fn settle_every_vault<T: Config>() {
	let owing: Vec<(AssetId, T::AccountId)> = Vaults::<T>::iter()
		.filter(|(_, _, vault)| vault.normalized_debt > 0)
		.map(|(asset, owner, _)| (asset, owner))
		.collect();
	for (asset, owner) in owing {
		Pallet::<T>::do_settle_vault(asset, &owner).expect("settled");
	}
}

/// A caller holding 10,000 tokens of `asset` with a vault of 1,000 that owes `debt` lvUSD.
fn vault<T: Config>(asset: AssetId, debt: Balance) -> T::AccountId {
	vault_of::<T>(whitelisted_caller(), asset, debt)
}

/// `owner` holding 10,000 tokens of `asset` with a vault of 1,000 that owes `debt` lvUSD.
fn vault_of<T: Config>(owner: T::AccountId, asset: AssetId, debt: Balance) -> T::AccountId {
	T::Assets::mint_into(asset, &owner, 10_000 * UNIT).expect("collateral minted");
	Pallet::<T>::do_open(&owner, asset, 1_000 * UNIT).expect("vault opened");
	if debt > 0 {
		Pallet::<T>::do_adjust(&owner, asset, VaultChange { mint: debt, ..Default::default() })
			.expect("lvUSD minted");
	}
	owner
}

/// A saver (the whitelisted caller) with 100 lvUSD in the savings pot, minted from a vault of
/// `asset`, and the pot at the highest rate with a day of interest due and the surplus to pay
/// it: every savings call accrues first, and an accrual that mints interest is its worst case.
/// Prices are fresh again after the day.
fn savings_due<T: Config>(asset: AssetId) -> T::AccountId {
	frame_system::Pallet::<T>::set_block_number(1u32.into());
	let saver = vault::<T>(asset, lvusd::<T>(200));
	let start = crate::Clock::<T>::now_ms().saturating_add(1_000);
	T::BenchmarkHelper::set_time(start);
	Pot::<T>::mutate(|pot| pot.rate = T::MaxSavingsRate::get());
	Pallet::<T>::do_save(&saver, lvusd::<T>(100)).expect("saved");
	// The surplus the interest comes out of; where it came from does not change the cost.
	Surplus::<T>::mutate(|surplus| *surplus = surplus.saturating_add(lvusd::<T>(1_000)));
	T::BenchmarkHelper::set_time(start.saturating_add(86_400_000));
	for asset in CollateralTypes::<T>::iter_keys() {
		T::BenchmarkHelper::set_price(asset, FixedU128::from_u32(1));
	}
	saver
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open() {
		let asset = collateral_types::<T>()[0];
		let owner: T::AccountId = whitelisted_caller();
		T::Assets::mint_into(asset, &owner, 10_000 * UNIT).expect("collateral minted");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), asset, 1_000 * UNIT);

		assert!(Vaults::<T>::contains_key(asset, &owner));
	}

	#[benchmark]
	fn deposit() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(100));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), asset, 100 * UNIT);

		assert!(Vaults::<T>::get(asset, &owner).is_some_and(|v| v.collateral == 1_100 * UNIT));
	}

	#[benchmark]
	fn withdraw() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(100));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), asset, AmountOrAll::Amount(100 * UNIT));

		assert!(Vaults::<T>::get(asset, &owner).is_some_and(|v| v.collateral == 900 * UNIT));
	}

	#[benchmark]
	fn mint() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), asset, lvusd::<T>(100));

		assert_eq!(T::Assets::balance(T::StableAsset::get(), &owner), lvusd::<T>(100));
	}

	#[benchmark]
	fn repay() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(100));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), asset, AmountOrAll::All);

		assert!(Vaults::<T>::get(asset, &owner).is_some_and(|v| v.normalized_debt == 0));
	}

	#[benchmark]
	fn deposit_for() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(100));
		let payer: T::AccountId = account("payer", 0, 0);
		T::Assets::mint_into(asset, &payer, 1_000 * UNIT).expect("collateral minted");

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), owner.clone(), asset, 100 * UNIT);

		assert!(Vaults::<T>::get(asset, &owner).is_some_and(|v| v.collateral == 1_100 * UNIT));
	}

	#[benchmark]
	fn repay_for() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(100));
		let payer = vault_of::<T>(account("payer", 0, 0), asset, lvusd::<T>(200));

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), owner.clone(), asset, AmountOrAll::All);

		assert!(Vaults::<T>::get(asset, &owner).is_some_and(|v| v.normalized_debt == 0));
	}

	#[benchmark]
	fn close() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(100));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), asset);

		assert!(!Vaults::<T>::contains_key(asset, &owner));
	}

	#[benchmark]
	fn adjust() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(200));

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			asset,
			100 * UNIT,
			lvusd::<T>(100),
			Some(AmountOrAll::Amount(lvusd::<T>(50))),
			Some(AmountOrAll::Amount(10 * UNIT)),
		);

		assert!(Vaults::<T>::get(asset, &owner).is_some_and(|v| v.collateral == 1_090 * UNIT));
	}

	#[benchmark]
	fn set_collateral_type() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = collateral_types::<T>()[0];
		let changed = CollateralParams {
			liquidation_ratio: FixedU128::from_u32(2),
			target_ratio: FixedU128::from_rational(210, 100),
			..params()
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset, changed);

		let changed_type = CollateralTypes::<T>::get(asset);
		assert!(changed_type.is_some_and(|t| t.params == changed && t.ratio_ramp.is_some()));
		Ok(())
	}

	#[benchmark]
	fn set_collateral_status() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = collateral_types::<T>()[0];

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset, CollateralStatus::Paused);

		assert!(
			CollateralTypes::<T>::get(asset).is_some_and(|t| t.status == CollateralStatus::Paused)
		);
		Ok(())
	}

	#[benchmark]
	fn set_global_debt_ceiling() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		collateral_types::<T>();

		// Far above any debt a chain starts with (its genesis vaults).
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lvusd::<T>(1_000_000_000));

		assert_eq!(GlobalDebtCeiling::<T>::get(), lvusd::<T>(1_000_000_000));
		Ok(())
	}

	#[benchmark]
	fn shutdown() -> Result<(), BenchmarkError> {
		let origin =
			T::ShutdownOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = collateral_types::<T>()[0];
		savings_due::<T>(asset);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin);

		assert!(ShutdownAt::<T>::exists());
		assert!(Pot::<T>::get().index > FixedU128::one());
		Ok(())
	}

	#[benchmark]
	fn settle_vault() {
		let asset = collateral_types::<T>()[0];
		let owner = vault::<T>(asset, lvusd::<T>(100));
		Pallet::<T>::do_shutdown().expect("shut down");
		let keeper: T::AccountId = account("keeper", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(keeper), asset, owner.clone());

		assert!(!Vaults::<T>::contains_key(asset, &owner));
	}

	#[benchmark]
	fn fix_redemption() {
		collateral_types::<T>();
		Pallet::<T>::do_shutdown().expect("shut down");
		settle_every_vault::<T>();
		let keeper: T::AccountId = account("keeper", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(keeper));

		assert!(IssuanceAtFix::<T>::exists());
	}

	#[benchmark]
	fn redeem() {
		let assets: Vec<AssetId> = {
			collateral_types::<T>();
			CollateralTypes::<T>::iter_keys().collect()
		};
		let owner: T::AccountId = whitelisted_caller();
		for asset in &assets {
			let tokens = 10u128.pow(u32::from(T::Assets::decimals(*asset)));
			T::Assets::mint_into(*asset, &owner, 10_000 * tokens).expect("collateral minted");
			Pallet::<T>::do_open(&owner, *asset, 1_000 * tokens).expect("vault opened");
			Pallet::<T>::do_adjust(
				&owner,
				*asset,
				VaultChange { mint: lvusd::<T>(100), ..Default::default() },
			)
			.expect("lvUSD minted");
		}
		Pallet::<T>::do_shutdown().expect("shut down");
		settle_every_vault::<T>();
		Pallet::<T>::do_fix_redemption().expect("fixed");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), lvusd::<T>(100));

		assert_eq!(
			T::Assets::balance(T::StableAsset::get(), &owner),
			lvusd::<T>(100) * (assets.len() as u128 - 1)
		);
	}

	#[benchmark]
	fn save() {
		let saver = savings_due::<T>(collateral_types::<T>()[0]);

		#[extrinsic_call]
		_(RawOrigin::Signed(saver.clone()), lvusd::<T>(50));

		assert!(Pot::<T>::get().index > FixedU128::one());
		assert!(Pallet::<T>::savings_of(&saver) >= lvusd::<T>(150));
	}

	#[benchmark]
	fn withdraw_savings() {
		let saver = savings_due::<T>(collateral_types::<T>()[0]);

		#[extrinsic_call]
		_(RawOrigin::Signed(saver.clone()), AmountOrAll::Amount(lvusd::<T>(50)));

		assert!(Pot::<T>::get().index > FixedU128::one());
		assert!(Pallet::<T>::savings_of(&saver) >= lvusd::<T>(50));
	}

	#[benchmark]
	fn set_savings_rate() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		savings_due::<T>(collateral_types::<T>()[0]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, FixedU128::zero());

		let pot = Pot::<T>::get();
		assert!(pot.rate.is_zero() && pot.index > FixedU128::one());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
