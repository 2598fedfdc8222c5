//! What the vault pallet offers the other pallets: one-click leverage's checked change, the
//! liquidation engine's index updates, checks and seizures.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, DispatchResult, FixedU128, Permill};

use crate::{AmountOrAll, AssetId, Balance};

/// What one whole lvUSD, the stablecoin vaults mint, counts for in USD wherever the chain values
/// it: one dollar, whatever the market pays for it (vault ratios, the liquidation engine's tabs
/// and auctions, one-click leverage). The one place this is said.
pub const STABLE_PRICE: FixedU128 = FixedU128::from_u32(1);

/// The USD value of `amount` lvUSD in its smallest unit (lvUSD having `decimals` decimals), at
/// [`STABLE_PRICE`]; `None` on overflow.
pub fn stable_value(amount: Balance, decimals: u8) -> Option<FixedU128> {
	crate::usd_value(amount, decimals, STABLE_PRICE)
}

/// A vault as the runtime API reports it, with fees accrued to the moment of the call.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct VaultInfo {
	/// The collateral asset.
	pub asset: AssetId,
	/// The collateral held.
	pub collateral: Balance,
	/// The lvUSD debt, fees included.
	pub debt: Balance,
	/// Collateral value over debt at the oracle price; `None` without debt or price.
	pub collateral_ratio: Option<FixedU128>,
	/// The collateral price (USD per whole token) at which the vault reaches its liquidation
	/// ratio; `None` without debt.
	pub liquidation_price: Option<FixedU128>,
}

/// What one-click leverage may do to vaults: the vault pallet's own checked change (every check
/// a signed `adjust` makes), and the vault's state.
pub trait VaultPositions<AccountId> {
	/// The stablecoin vaults mint (lvUSD), valued at [`STABLE_PRICE`].
	fn stable_asset() -> AssetId;

	/// Changes `owner`'s vault of `asset`, opening it first if there is none: deposit
	/// collateral, repay debt, mint, withdraw collateral, in that order, with the checks of the
	/// vault pallet's `adjust` (ceilings, minimum debt, the liquidation ratio at a fresh price).
	fn adjust(
		owner: &AccountId,
		asset: AssetId,
		deposit: Balance,
		mint: Balance,
		repay: Option<AmountOrAll>,
		withdraw: Option<AmountOrAll>,
	) -> Result<(), DispatchError>;

	/// `owner`'s vault of `asset` with fees accrued to now, if it exists.
	fn vault(owner: &AccountId, asset: AssetId) -> Option<VaultInfo>;

	/// The terms in force now for vaults of `asset`; `None` for an unknown collateral type.
	fn vault_terms(asset: AssetId) -> Option<VaultTerms>;
}

/// A collateral type's terms in force now, as one-click leverage and protection need them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct VaultTerms {
	/// The collateral ratio a vault is liquidated below (part way up while a raised one ramps
	/// in).
	pub liquidation_ratio: FixedU128,
	/// The collateral ratio a change that adds risk (a mint or a withdrawal) must leave: the
	/// type's liquidation ratio parameter, which a raise applies to at once, so at or above
	/// `liquidation_ratio`.
	pub minimum_ratio: FixedU128,
	/// The least lvUSD debt, in its smallest unit, a repayment may leave other than none.
	pub min_debt: Balance,
}

/// Told of every vault change, so the liquidation engine can keep its index of vaults by
/// collateral ratio up to date in O(1) per change.
pub trait OnVaultChanged<AccountId> {
	/// The vault of `owner` for collateral `asset` now holds `collateral` and owes
	/// `normalized_debt` (both zero once it is closed).
	fn on_vault_changed(
		asset: AssetId,
		owner: &AccountId,
		collateral: Balance,
		normalized_debt: Balance,
	);
}

/// What seizing part or all of a vault takes (or, named by the liquidation engine, the most it
/// may take).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SeizedVault {
	/// The collateral moved to the liquidator.
	pub collateral: Balance,
	/// The lvUSD debt with fees taken (all the vault's, or a part), now deficit for the
	/// liquidation's proceeds to cover.
	pub debt: Balance,
}

/// An unsafe vault as one liquidation finds it, at a fresh price and the rate accrued to now.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UnsafeVault {
	/// Its collateral type's risk now.
	pub risk: VaultRisk,
	/// Its collateral, in the asset's smallest unit.
	pub collateral: Balance,
	/// What its collateral is worth in lvUSD's smallest unit at `risk.price`, rounded down.
	pub value: Balance,
	/// Its lvUSD debt with fees, rounded up.
	pub debt: Balance,
	/// How much of `debt` one liquidation takes: the part that restores its type's target
	/// ratio, or all of it (below the whole-liquidation ratio, or when the rest would be under
	/// the minimum debt).
	pub part: Balance,
}

/// What taking up to a given amount of an unsafe vault's debt would take, as the vault pallet
/// shows it to the engine in [`VaultLiquidation::seize`]; it changes nothing.
pub type SeizePreview<'a> = &'a dyn Fn(Balance) -> Result<SeizedVault, DispatchError>;

/// What the liquidation engine needs of one collateral type to index and check its vaults.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct VaultRisk {
	/// A vault is unsafe when its normalized debt per unit of collateral (both in smallest
	/// units) is above this, at the fresh price and the rate accrued to now. Vaults within
	/// rounding of it need the exact check.
	pub unsafe_ratio: FixedU128,
	/// The collateral's fresh price, USD per whole token.
	pub price: FixedU128,
	/// The collateral asset's decimals.
	pub decimals: u8,
	/// lvUSD's decimals (lvUSD valued at [`STABLE_PRICE`]).
	pub debt_decimals: u8,
	/// The share of the debt added as a penalty when the vault is liquidated.
	pub penalty: Permill,
}

/// What the liquidation engine may do to vaults: check one, seize what one liquidation takes
/// of it, and burn the proceeds against the deficit.
pub trait VaultLiquidation<AccountId> {
	/// Every collateral type's asset (bounded by the vault pallet's maximum).
	fn collateral_types() -> Vec<AssetId>;

	/// The collateral type's risk at a fresh price and the rate accrued to now. Fails when the
	/// price is stale or unknown, or after an emergency shutdown: no liquidation then.
	fn risk(asset: AssetId) -> Result<VaultRisk, DispatchError>;

	/// The vault's collateral and normalized debt, if it exists.
	fn vault(asset: AssetId, owner: &AccountId) -> Option<(Balance, Balance)>;

	/// The collateral price (USD per whole token) at which the vault reaches its type's
	/// liquidation ratio in force now, fees accrued to now; known whatever the state of the
	/// price. `None` for a vault without debt or collateral, or an unknown type or vault. The
	/// one definition, which the vault pallet's [`VaultInfo::liquidation_price`] reports too.
	fn liquidation_price(asset: AssetId, owner: &AccountId) -> Option<FixedU128>;

	/// Every vault of `asset` with debt: owner, collateral and normalized debt. O(vaults of the
	/// type): for invariant checks (`try_state`) only, never on a path a block pays for.
	fn vaults_with_debt(asset: AssetId) -> Vec<(AccountId, Balance, Balance)>;

	/// The collateral type's totals: all its vaults' collateral, and their debt with fees
	/// accrued to now, in lvUSD's smallest unit. `None` for an unknown type or on overflow.
	fn type_totals(asset: AssetId) -> Option<(Balance, Balance)>;

	/// Nets the surplus against the deficit, as far as both go, and returns how much.
	fn heal() -> Balance;

	/// Whether the vault is below its type's liquidation ratio at a fresh price.
	fn is_unsafe(asset: AssetId, owner: &AccountId) -> Result<bool, DispatchError>;

	/// The vault as [`Self::seize`] would find it now (the first argument it shows `choose`), or
	/// `None` when it is not unsafe. Changes nothing. Fails as `seize` does before it chooses:
	/// after the shutdown, for an unknown type or vault, at a stale or unknown price.
	fn unsafe_vault(
		asset: AssetId,
		owner: &AccountId,
	) -> Result<Option<UnsafeVault>, DispatchError>;

	/// Liquidates the vault if it is unsafe (below its type's liquidation ratio at a fresh
	/// price), reading the type, the price and the vault once: `choose` is shown the vault as
	/// it is ([`UnsafeVault`], with the part one liquidation takes) and what taking any amount
	/// of debt would take (its second argument, which changes nothing), and names the most debt
	/// and the most collateral to take; that much debt, with the collateral that goes with it
	/// or the most named if less, is then taken: the collateral to `to`, the debt into the
	/// deficit. In a whole liquidation the collateral that goes with the debt is the vault's
	/// share of it (all of it with the last of the debt), in a partial one what is worth the
	/// debt with its penalty. Never leaves less than the minimum debt (it takes less), nor
	/// collateral below the asset's minimum balance in a vault with no debt (it takes it all).
	/// A vault is removed once it holds nothing. For the liquidation engine only.
	///
	/// Returns `Ok(None)`, having changed nothing, for a vault that is not unsafe. Fails,
	/// changing nothing, with `choose`'s error, after the shutdown, for an unknown type or
	/// vault, at a stale or unknown price, or with `NothingToSeize` when no part fits what
	/// `choose` named.
	fn seize(
		asset: AssetId,
		owner: &AccountId,
		to: &AccountId,
		choose: impl FnOnce(&UnsafeVault, SeizePreview<'_>) -> Result<SeizedVault, DispatchError>,
	) -> Result<Option<SeizedVault>, DispatchError>;

	/// Burns `amount` lvUSD from `from` against the deficit; what exceeds the deficit becomes
	/// surplus. Returns how much deficit it covered.
	fn cover_deficit(from: &AccountId, amount: Balance) -> Result<Balance, DispatchError>;

	/// Whether governance has shut the vault system down.
	fn is_shut_down() -> bool;

	/// The price at which `asset`'s vaults settle after the shutdown, USD per whole token
	/// (`None` before a shutdown or for an unknown type).
	fn shutdown_price(asset: AssetId) -> Option<FixedU128>;

	/// After the shutdown and before redemption is fixed: moves `amount` of `asset` from `from`
	/// into the type's redemption pool (the collateral of an auction the shutdown cancelled).
	/// Fails, changing nothing, before a shutdown, once redemption is fixed, or if `from`
	/// cannot pay.
	fn add_to_redemption(from: &AccountId, asset: AssetId, amount: Balance) -> DispatchResult;
}

/// What the vault pallet needs to know of the liquidation engine after a shutdown: redemption
/// is fixed only once no auction holds collateral that belongs in the redemption pools.
pub trait RunningAuctions {
	/// How many auctions are running.
	fn running_auctions() -> u32;
}

impl RunningAuctions for () {
	fn running_auctions() -> u32 {
		0
	}
}

impl<AccountId> OnVaultChanged<AccountId> for () {
	fn on_vault_changed(_: AssetId, _: &AccountId, _: Balance, _: Balance) {}
}

/// A peg stability module beside the vaults: it issues lvUSD 1:1 against reserves of other
/// stablecoins and redeems it for them (the runtime wires in pallet-psm). The vault pallet
/// counts what it issued in lvUSD's books and stops its issuing at the shutdown.
pub trait PegStability {
	/// lvUSD in circulation that the module issued against its reserves (its debt), in lvUSD's
	/// smallest unit: the part of lvUSD's issuance no vault debt backs.
	fn reserve_backed() -> Balance;

	/// Stops new issuing against reserves (redemptions go on), at the vault system's shutdown:
	/// from then on each lvUSD is backed either by the reserves or by the vaults' redemption
	/// pools, never claimed twice. Fails only if the module refuses the change.
	fn stop_issuing() -> DispatchResult;

	/// Opens the module for `reserve` (a stablecoin in pallet-assets) at genesis: lvUSD may be
	/// issued against it up to `ceiling` (lvUSD's smallest unit), with the module's swap fee
	/// `fee` each way.
	fn open_at_genesis(reserve: AssetId, ceiling: Balance, fee: Permill) -> DispatchResult;
}

/// No peg stability module: nothing is reserve-backed.
impl PegStability for () {
	fn reserve_backed() -> Balance {
		0
	}

	fn stop_issuing() -> DispatchResult {
		Ok(())
	}

	fn open_at_genesis(_: AssetId, _: Balance, _: Permill) -> DispatchResult {
		Err(DispatchError::Other("no peg stability module"))
	}
}
