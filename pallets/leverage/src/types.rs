//! The leverage pallet's types: what a caller asks for and what a lever-up or lever-down did.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use lever_primitives::{AmountOrAll, AssetId, Balance, ProtectedPosition};
use scale_info::TypeInfo;
use sp_runtime::{FixedU128, Permill};

/// How far to lever a lending position up.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum LeverTarget {
	/// Collateral value over equity (collateral value minus debt value) at oracle prices, e.g.
	/// 3 for 3x. Must be above one.
	Leverage(FixedU128),
	/// This much more of the collateral asset, in its smallest unit.
	Exposure(Balance),
}

/// A lever-up as the call and the preview take it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LeverUp {
	/// The asset supplied (the exposure).
	pub collateral: AssetId,
	/// The asset borrowed to pay for it.
	pub debt: AssetId,
	/// Collateral supplied from the wallet first (zero for none).
	pub deposit: Balance,
	/// How far to lever.
	pub target: LeverTarget,
	/// The most the AMM's price may be worse than the oracle's.
	pub max_slippage: Permill,
	/// The lowest health factor the position may end with.
	pub min_health: FixedU128,
}

/// A lever-down as the call and the preview take it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LeverDown {
	/// The collateral asset sold.
	pub collateral: AssetId,
	/// The debt asset repaid.
	pub debt: AssetId,
	/// How much debt to repay; `All` also withdraws all the collateral left.
	pub repay: AmountOrAll,
	/// The most the AMM's price may be worse than the oracle's.
	pub max_slippage: Permill,
	/// The lowest health factor the position may end with while debt remains.
	pub min_health: FixedU128,
}

/// What a swap cost at the AMM against the oracle.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SwapOutcome {
	/// What the AMM was given.
	pub amount_in: Balance,
	/// What it paid.
	pub amount_out: Balance,
	/// How much less the output is worth than the input at oracle prices (pool fee included).
	pub price_impact: Permill,
	/// The asset the swap goes through when the AMM has no pool of the pair itself (the
	/// runtime's routing asset, for the liquidation engine's sales only); `None` for a swap in
	/// one pool.
	pub via: Option<AssetId>,
}

/// What a lever-up did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct LeverUpOutcome {
	/// Collateral supplied: the deposit and the flash loan.
	pub supplied: Balance,
	/// Debt borrowed to buy back the flash loan and its fee.
	pub borrowed: Balance,
	/// The flash loan's fee, in the collateral asset.
	pub flash_fee: Balance,
	/// The swap's cost against the oracle.
	pub price_impact: Permill,
}

/// A lending position after a lever-up or lever-down, as a preview shows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct PositionPreview {
	/// The account's supply of the collateral asset.
	pub collateral: Balance,
	/// The account's debt in the debt asset.
	pub debt: Balance,
	/// Collateral value over equity at oracle prices; `None` without equity.
	pub leverage: Option<FixedU128>,
	/// Liquidation limit over debt value; `None` without debt.
	pub health_factor: Option<FixedU128>,
	/// The collateral asset's oracle price at which the account becomes liquidatable, other
	/// prices unchanged; `None` where no fall of that price alone does it.
	pub liquidation_price: Option<FixedU128>,
}

/// What a lever-up would do and the position it would leave.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct LeverUpPreview {
	/// What the call would do.
	pub outcome: LeverUpOutcome,
	/// The position after it.
	pub position: PositionPreview,
}

/// What a lever-down would do and the position it would leave.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct LeverDownPreview {
	/// What the call would do.
	pub outcome: LeverDownOutcome,
	/// The position after it.
	pub position: PositionPreview,
}

/// What a lever-down did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct LeverDownOutcome {
	/// Debt repaid.
	pub repaid: Balance,
	/// Collateral withdrawn and sold to buy back the flash loan and its fee.
	pub sold: Balance,
	/// Collateral withdrawn to the wallet (a full unwind).
	pub returned: Balance,
	/// The flash loan's fee, in the debt asset.
	pub flash_fee: Balance,
	/// The swap's cost against the oracle.
	pub price_impact: Permill,
}

/// A vault expansion as the call and the preview take it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Expand {
	/// The vault's collateral asset.
	pub asset: AssetId,
	/// Collateral deposited from the wallet first (zero for none; opens the vault if needed).
	pub deposit: Balance,
	/// How far to lever: collateral value over equity (debt counted at one dollar), or an extra
	/// amount of collateral.
	pub target: LeverTarget,
	/// The most the AMM's price may be worse than the oracle's.
	pub max_slippage: Permill,
	/// The lowest collateral ratio (collateral value over debt) the vault may end with.
	pub min_ratio: FixedU128,
}

/// A vault shrink as the call and the preview take it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Shrink {
	/// The vault's collateral asset.
	pub asset: AssetId,
	/// How much lvUSD debt to repay; `All` also withdraws all the collateral left (closing
	/// the vault).
	pub repay: AmountOrAll,
	/// The most the AMM's price may be worse than the oracle's.
	pub max_slippage: Permill,
	/// The lowest collateral ratio the vault may end with while debt remains.
	pub min_ratio: FixedU128,
}

/// What a vault expansion did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct ExpandOutcome {
	/// Collateral deposited: the deposit and the flash loan.
	pub deposited: Balance,
	/// lvUSD minted to buy back the flash loan and its fee.
	pub minted: Balance,
	/// The flash loan's fee, in the collateral asset.
	pub flash_fee: Balance,
	/// The swap's cost against the oracle.
	pub price_impact: Permill,
}

/// What a vault shrink did.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct ShrinkOutcome {
	/// lvUSD debt repaid.
	pub repaid: Balance,
	/// Collateral flash-loaned and sold for the lvUSD repaid.
	pub sold: Balance,
	/// Collateral withdrawn to the wallet beyond what paid the loan back (a full close).
	pub returned: Balance,
	/// The flash loan's fee, in the collateral asset.
	pub flash_fee: Balance,
	/// The swap's cost against the oracle.
	pub price_impact: Permill,
}

/// A vault after an expansion or a shrink, as a preview shows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct VaultPreview {
	/// The vault's collateral.
	pub collateral: Balance,
	/// The vault's lvUSD debt, fees included.
	pub debt: Balance,
	/// Collateral value over equity (debt at one dollar); `None` without equity.
	pub leverage: Option<FixedU128>,
	/// Collateral value over debt; `None` without debt.
	pub collateral_ratio: Option<FixedU128>,
	/// The collateral price at which the vault reaches its liquidation ratio; `None` without
	/// debt.
	pub liquidation_price: Option<FixedU128>,
}

/// What a vault expansion would do and the vault it would leave.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct ExpandPreview {
	/// What the call would do.
	pub outcome: ExpandOutcome,
	/// The vault after it.
	pub vault: VaultPreview,
}

/// What a vault shrink would do and the vault it would leave.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct ShrinkPreview {
	/// What the call would do.
	pub outcome: ShrinkOutcome,
	/// The vault after it.
	pub vault: VaultPreview,
}

/// An owner's protective auto-deleverage of one position: when the liquidation engine finds the
/// position's ratio (a vault's collateral ratio, a lending position's health factor) below
/// `trigger`, it sells just enough collateral on the AMM, within `max_slippage` of the oracle,
/// to repay debt back to `target`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct ProtectionSettings {
	/// The ratio below which the position is deleveraged: above the vault type's liquidation
	/// ratio, or above one for a health factor.
	pub trigger: FixedU128,
	/// The ratio a deleverage restores: above `trigger`.
	pub target: FixedU128,
	/// The most the AMM's price may be worse than the oracle's, at most the slippage cap.
	pub max_slippage: Permill,
}

/// A protected position with its settings and the deposit held for it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Protected {
	/// The position.
	pub position: ProtectedPosition,
	/// Its settings.
	pub settings: ProtectionSettings,
	/// The native tokens held while it is protected, returned by `unprotect`.
	pub deposit: Balance,
}
