//! The leverage pallet's weights until `scripts/benchmark.sh` measures them on this project's
//! reference machine and replaces this file: the sum of what one call does, from the measured
//! weights of its parts (a flash loan, a supply, a borrow, a swap of two assets).

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weights for `pallet_leverage`, composed from measured parts.
pub struct WeightInfo<T>(PhantomData<T>);

impl<T: frame_system::Config + pallet_asset_conversion::Config> pallet_leverage::WeightInfo
	for WeightInfo<T>
{
	fn lever_up() -> Weight {
		use pallet_asset_conversion::WeightInfo as _;
		use pallet_lending::WeightInfo as _;
		type Lending<T> = super::pallet_lending::WeightInfo<T>;
		Lending::<T>::flash_loan()
			.saturating_add(Lending::<T>::supply().saturating_mul(2))
			.saturating_add(Lending::<T>::borrow())
			.saturating_add(
				<T as pallet_asset_conversion::Config>::WeightInfo::swap_tokens_for_exact_tokens(2),
			)
	}
	fn lever_down() -> Weight {
		use pallet_asset_conversion::WeightInfo as _;
		use pallet_lending::WeightInfo as _;
		type Lending<T> = super::pallet_lending::WeightInfo<T>;
		Lending::<T>::flash_loan()
			.saturating_add(Lending::<T>::repay())
			.saturating_add(Lending::<T>::withdraw().saturating_mul(2))
			.saturating_add(
				<T as pallet_asset_conversion::Config>::WeightInfo::swap_tokens_for_exact_tokens(2),
			)
	}
	fn expand() -> Weight {
		use pallet_asset_conversion::WeightInfo as _;
		use pallet_cdp::WeightInfo as _;
		use pallet_lending::WeightInfo as _;
		super::pallet_lending::WeightInfo::<T>::flash_loan()
			.saturating_add(super::pallet_cdp::WeightInfo::<T>::open())
			.saturating_add(super::pallet_cdp::WeightInfo::<T>::adjust())
			.saturating_add(
				<T as pallet_asset_conversion::Config>::WeightInfo::swap_tokens_for_exact_tokens(2),
			)
	}
	fn shrink() -> Weight {
		use pallet_asset_conversion::WeightInfo as _;
		use pallet_cdp::WeightInfo as _;
		use pallet_lending::WeightInfo as _;
		super::pallet_lending::WeightInfo::<T>::flash_loan()
			.saturating_add(super::pallet_cdp::WeightInfo::<T>::adjust())
			.saturating_add(
				<T as pallet_asset_conversion::Config>::WeightInfo::swap_tokens_for_exact_tokens(2),
			)
	}
	fn set_slippage_cap() -> Weight {
		T::DbWeight::get().writes(1)
	}
}
