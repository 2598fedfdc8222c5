//! Protective auto-deleverage as the liquidation engine reaches it: an owner's settings for one
//! position, and the deleverage the engine runs, with no keeper, before it would liquidate.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, FixedU128, Permill};

use crate::{AssetId, Balance};

/// A position an owner may protect.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum ProtectedPosition {
	/// The owner's vault of this collateral asset; its trigger and target are collateral
	/// ratios (collateral value over lvUSD debt).
	Vault(AssetId),
	/// The owner's lending position, deleveraged by selling `collateral` to repay `debt`; its
	/// trigger and target are health factors (liquidation limit over debt value).
	Lending {
		/// The supplied asset sold.
		collateral: AssetId,
		/// The borrowed asset repaid.
		debt: AssetId,
	},
}

/// What a protective deleverage did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Deleveraged {
	/// Debt repaid, in the debt asset's smallest unit.
	pub repaid: Balance,
	/// Collateral sold on the AMM for it, in the collateral asset's smallest unit.
	pub sold: Balance,
	/// The protection fee, in the collateral asset's smallest unit: all the deleverage charged
	/// beyond the AMM's pool fee and price impact. The flash loan's fee is paid out of it, and
	/// the treasury received the rest.
	pub fee: Balance,
	/// The part of `fee` that paid the flash loan's fee to the lenders, in the collateral asset's
	/// smallest unit at the oracle price (rounded down).
	pub flash_fee: Balance,
	/// The swap's cost against the oracle (pool fee included).
	pub price_impact: Permill,
	/// The position's collateral ratio or health factor after it; `None` when it repaid all the
	/// debt (a vault closed, or a lending account without debt).
	pub ratio: Option<FixedU128>,
}

/// The protections the liquidation engine honours: it deleverages a protected position whose
/// ratio its offchain sweep finds below the trigger, and before it liquidates a protected
/// position it asks for the owner's deleverage, liquidating only if that fails.
pub trait Protection<AccountId> {
	/// The positions `owner` protects (at most the protecting pallet's bound), in the order
	/// they were protected.
	fn protected_positions(owner: &AccountId) -> Vec<ProtectedPosition>;

	/// Whether `owner` protects `position` and its ratio (collateral ratio or health factor) is
	/// below its trigger now, at fresh prices; `false` for a position without debt or a price.
	fn is_triggered(owner: &AccountId, position: ProtectedPosition) -> bool;

	/// Up to `limit` accounts that protect positions, with their positions, in storage order
	/// after `cursor` (from the first for `None`): how a sweep walks every protection in turn.
	fn protected_accounts(
		cursor: Option<&AccountId>,
		limit: u32,
	) -> Vec<(AccountId, Vec<ProtectedPosition>)>;

	/// Deleverages `owner`'s `position` to its target, as its settings say, or fails and changes
	/// nothing (no settings, no fresh price, the AMM past the owner's slippage, or a result below
	/// the trigger).
	fn deleverage(
		owner: &AccountId,
		position: ProtectedPosition,
	) -> Result<Deleveraged, DispatchError>;

	/// The most [`Protection::deleverage`] of a position of this kind costs: the heavier of its
	/// benchmarks, to the goal or with all of the debt repaid.
	fn deleverage_weight(position: ProtectedPosition) -> Weight;
}

/// No protections: every position is liquidated as it is.
impl<AccountId> Protection<AccountId> for () {
	fn protected_positions(_: &AccountId) -> Vec<ProtectedPosition> {
		Vec::new()
	}

	fn is_triggered(_: &AccountId, _: ProtectedPosition) -> bool {
		false
	}

	fn protected_accounts(
		_: Option<&AccountId>,
		_: u32,
	) -> Vec<(AccountId, Vec<ProtectedPosition>)> {
		Vec::new()
	}

	fn deleverage(_: &AccountId, _: ProtectedPosition) -> Result<Deleveraged, DispatchError> {
		Err(DispatchError::Unavailable)
	}

	fn deleverage_weight(_: ProtectedPosition) -> Weight {
		Weight::zero()
	}
}
