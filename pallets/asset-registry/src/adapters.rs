//! The registry's parts of the runtime's XCM configuration:
//! - [`Pallet`] converts between registered locations and asset identifiers
//!   ([`MaybeEquivalence`]), and [`IsRegistered`] tells the asset transactor which locations are
//!   its to handle, so it mints only registered assets;
//! - [`IsForeignReserve`] accepts a reserve transfer of a registered asset only from the chain
//!   the asset lives on;
//! - [`ForeignAssetFeeTrader`] sells XCM execution for registered assets with a fee rate.

use super::*;
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{
	traits::{Contains, ContainsPair},
	weights::{Weight, WeightToFee},
};
use sp_runtime::{traits::MaybeEquivalence, Rounding};
use xcm::latest::Error as XcmError;
use xcm::latest::{Asset, AssetId as XcmAssetId, Fungibility, Location as XcmLocation, XcmContext};
use xcm_executor::{traits::WeightTrader, AssetsInHolding};

impl<T: Config> MaybeEquivalence<XcmLocation, AssetId> for Pallet<T> {
	fn convert(location: &XcmLocation) -> Option<AssetId> {
		Self::asset_at(location)
	}

	fn convert_back(asset_id: &AssetId) -> Option<XcmLocation> {
		Self::location_of(*asset_id)
	}
}

/// The registered locations: what the runtime's foreign-asset transactor handles (any other
/// location is left to the next transactor, or is not found).
pub struct IsRegistered<T>(PhantomData<T>);

impl<T: Config> Contains<XcmLocation> for IsRegistered<T> {
	fn contains(location: &XcmLocation) -> bool {
		Pallet::<T>::asset_at(location).is_some()
	}
}

/// Accepts `asset` as reserve-backed from `origin` only when the asset is registered and
/// `origin` is the chain the asset's location points into (its reserve). Anything else, in
/// particular a chain sending another chain's token, is refused.
pub struct IsForeignReserve<T>(PhantomData<T>);

impl<T: Config> ContainsPair<Asset, XcmLocation> for IsForeignReserve<T> {
	fn contains(asset: &Asset, origin: &XcmLocation) -> bool {
		matches!(asset.fun, Fungibility::Fungible(_))
			&& Pallet::<T>::asset_at(&asset.id.0).is_some()
			&& asset.id.0.chain_location() == *origin
	}
}

/// Charges XCM execution in the first registered asset of the payment that has a fee rate: the
/// LVR fee `F` puts on the weight, times the asset's rate, rounded up. Unused weight is refunded
/// at the same rate, rounded down. What it keeps goes to `R` when the message is done.
pub struct ForeignAssetFeeTrader<T, F, R: xcm_builder::TakeRevenue> {
	/// The weight bought so far.
	weight: Weight,
	/// The asset paying (one per message, so refunds use the rate it paid at).
	asset: Option<XcmAssetId>,
	/// What has been paid and not refunded.
	paid: AssetsInHolding,
	_phantom: PhantomData<(T, F, R)>,
}

impl<T, F, R> ForeignAssetFeeTrader<T, F, R>
where
	T: Config,
	F: WeightToFee<Balance = Balance>,
	R: xcm_builder::TakeRevenue,
{
	/// The price of `weight` in `asset`, if it pays fees.
	fn price(weight: &Weight, asset: &XcmAssetId, rounding: Rounding) -> Option<Balance> {
		Pallet::<T>::fee_in(&asset.0, F::weight_to_fee(weight), rounding)
	}
}

impl<T, F, R> WeightTrader for ForeignAssetFeeTrader<T, F, R>
where
	T: Config,
	F: WeightToFee<Balance = Balance>,
	R: xcm_builder::TakeRevenue,
{
	fn new() -> Self {
		Self {
			weight: Weight::zero(),
			asset: None,
			paid: AssetsInHolding::new(),
			_phantom: PhantomData,
		}
	}

	fn buy_weight(
		&mut self,
		weight: Weight,
		mut payment: AssetsInHolding,
		_context: &XcmContext,
	) -> Result<AssetsInHolding, (AssetsInHolding, XcmError)> {
		let offered: Vec<Asset> = payment.fungible_assets_iter().collect();
		for Asset { id, fun } in offered {
			if self.asset.as_ref().is_some_and(|paying| *paying != id) {
				continue;
			}
			let (Some(price), Fungibility::Fungible(held)) =
				(Self::price(&weight, &id, Rounding::Up), fun)
			else {
				continue;
			};
			if price > held {
				continue;
			}
			let Ok(taken) = payment
				.try_take(Asset { id: id.clone(), fun: Fungibility::Fungible(price) }.into())
			else {
				continue;
			};
			self.weight = self.weight.saturating_add(weight);
			self.paid.subsume_assets(taken);
			self.asset = Some(id);
			return Ok(payment);
		}
		Err((payment, XcmError::TooExpensive))
	}

	fn refund_weight(&mut self, weight: Weight, _context: &XcmContext) -> Option<AssetsInHolding> {
		let asset = self.asset.clone()?;
		let weight = weight.min(self.weight);
		let refund = Self::price(&weight, &asset, Rounding::Down)?;
		self.weight = self.weight.saturating_sub(weight);
		let refunded = self
			.paid
			.saturating_take(Asset { id: asset, fun: Fungibility::Fungible(refund) }.into());
		(!refunded.is_empty()).then_some(refunded)
	}

	fn quote_weight(
		&mut self,
		weight: Weight,
		given: XcmAssetId,
		_context: &XcmContext,
	) -> Result<Asset, XcmError> {
		let price = Self::price(&weight, &given, Rounding::Up).ok_or(XcmError::NotHoldingFees)?;
		Ok(Asset { id: given, fun: Fungibility::Fungible(price) })
	}
}

impl<T, F, R: xcm_builder::TakeRevenue> Drop for ForeignAssetFeeTrader<T, F, R> {
	fn drop(&mut self) {
		if !self.paid.is_empty() {
			R::take_revenue(core::mem::replace(&mut self.paid, AssetsInHolding::new()));
		}
	}
}
