//! What the lending pools offer the other pallets: one-click leverage's checked operations and
//! the liquidation engine's view of accounts.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Bounded, Zero},
	DispatchError, FixedPointNumber, FixedU128, Permill,
};

use crate::{AmountOrAll, AssetId, Balance};

/// An account's collateral and debt in USD at oracle prices.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct AccountLiquidity {
	/// The value of the supply enabled as collateral.
	pub collateral_value: FixedU128,
	/// Σ collateral value × collateral factor: the most the account may owe after a borrow or
	/// a collateral withdrawal.
	pub borrow_limit: FixedU128,
	/// Σ collateral value × liquidation threshold: debt above it makes the account liquidatable.
	pub liquidation_limit: FixedU128,
	/// The value of all debt.
	pub debt_value: FixedU128,
}

/// One market's totals, interest accrued to now ([`LendingLiquidation::market_totals`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct MarketTotals {
	/// The market's asset.
	pub asset: AssetId,
	/// What suppliers own (cash plus borrows minus reserves), in the asset's smallest unit.
	pub supplied: Balance,
	/// What borrowers owe, interest included, in the asset's smallest unit.
	pub borrowed: Balance,
}

/// A lending account as a liquidation values it ([`LendingLiquidation::liquidation_view`]).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct LiquidationView {
	/// Its collateral, limits and debt in USD at the prices a liquidation uses.
	pub liquidity: AccountLiquidity,
	/// Each debt: the market's asset and what is owed in its smallest unit, interest included.
	pub debts: Vec<(AssetId, Balance)>,
}

impl AccountLiquidity {
	/// Liquidation limit over debt value, or `None` without debt (infinitely healthy).
	pub fn health_factor(&self) -> Option<FixedU128> {
		if self.debt_value.is_zero() {
			return None;
		}
		FixedU128::checked_from_rational(
			self.liquidation_limit.into_inner(),
			self.debt_value.into_inner(),
		)
		.or(Some(FixedU128::max_value()))
	}

	/// Whether the debt exceeds the liquidation limit (health factor below one).
	pub fn is_liquidatable(&self) -> bool {
		!self.debt_value.is_zero() && self.debt_value > self.liquidation_limit
	}

	/// Whether the debt is within the borrow limit.
	pub fn within_borrow_limit(&self) -> bool {
		self.debt_value <= self.borrow_limit
	}
}

/// A lending market's terms in force now, as one-click leverage and protection need them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MarketTerms {
	/// The share of the asset's collateral value that counts towards an account's liquidation
	/// limit (the liquidation threshold in force, part way down while a lowered one ramps).
	pub liquidation_threshold: Permill,
	/// The least debt in the asset, in its smallest unit, a repayment may leave other than
	/// none: the market's minimum debt, and at least the asset's minimum balance.
	pub min_debt: Balance,
}

/// An account as the pools value it to check a borrow or a withdrawal of collateral, for one
/// collateral asset ([`LendingPositions::withdrawal_check`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct WithdrawalCheck {
	/// The account at the prices for actions that add risk, its borrow limit with what its
	/// credit score earns: a withdrawal must leave `debt_value` at most `borrow_limit`.
	pub liquidity: AccountLiquidity,
	/// The most each unit of the collateral's value (at its price for actions that add risk)
	/// counts towards that borrow limit: the market's collateral factor with the account's
	/// credit bonus, before the cap on what credit adds in all.
	pub collateral_factor: Permill,
}

/// What one-click leverage may do in the lending pools for an account: the pools' own checked
/// operations (every one refuses what a signed call of the same name refuses), the account's
/// value at fresh prices, and a flash loan around a closure.
pub trait LendingPositions<AccountId> {
	/// Supplies `amount` of `asset` for `who`, as collateral if the asset can be.
	fn supply(who: &AccountId, asset: AssetId, amount: Balance) -> Result<(), DispatchError>;

	/// Withdraws `amount` of `who`'s supply of `asset`, or all of it; returns the amount paid
	/// out. Collateral leaves only within the borrow limit.
	fn withdraw(
		who: &AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError>;

	/// Borrows `amount` of `asset` for `who`, within the borrow limit at fresh prices.
	fn borrow(who: &AccountId, asset: AssetId, amount: Balance) -> Result<(), DispatchError>;

	/// Repays `amount` of `who`'s debt in `asset` (at most the debt), or all of it, from
	/// `who`'s funds; returns the amount repaid.
	fn repay(
		who: &AccountId,
		asset: AssetId,
		amount: AmountOrAll,
	) -> Result<Balance, DispatchError>;

	/// `who`'s supply of `asset`, interest included.
	fn supplied(who: &AccountId, asset: AssetId) -> Result<Balance, DispatchError>;

	/// `who`'s debt in `asset`, interest included.
	fn debt(who: &AccountId, asset: AssetId) -> Result<Balance, DispatchError>;

	/// `who`'s collateral, limits and debt in USD at fresh prices, interest accrued to now.
	fn liquidity(who: &AccountId) -> Result<AccountLiquidity, DispatchError>;

	/// The oracle price of `asset` at which `who` becomes liquidatable, other prices unchanged;
	/// `None` where no fall of that price alone does it, or the asset is not its collateral.
	fn liquidation_price(who: &AccountId, asset: AssetId) -> Option<FixedU128>;

	/// `asset`'s market's terms in force now; `None` for an unknown market.
	fn market_terms(asset: AssetId) -> Option<MarketTerms>;

	/// `who` as the pools value it to check a borrow or a withdrawal of collateral, and what
	/// withdrawing `collateral` takes from its borrow limit ([`WithdrawalCheck`]). Fails
	/// without a fresh price, or for an unknown market.
	fn withdrawal_check(
		who: &AccountId,
		collateral: AssetId,
	) -> Result<WithdrawalCheck, DispatchError>;

	/// The fee a flash loan of `amount` costs, in the same asset, rounded up.
	fn flash_loan_fee(amount: Balance) -> Balance;

	/// Lends `amount` of `asset`'s cash to `who`, runs `inner` with the fee, then takes the
	/// amount and fee back from `who`. Must run inside a transactional call: on any error
	/// nothing of it stays. Refused while another flash loan is open.
	fn flash_loan<R>(
		who: &AccountId,
		asset: AssetId,
		amount: Balance,
		inner: impl FnOnce(Balance) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError>;
}

/// What a lending liquidator takes the seized collateral as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum SeizedAs {
	/// Tokens of the collateral asset, paid out of its market's cash: fails with the lending
	/// pallet's `NotEnoughCash` when the market has lent out too much.
	Tokens,
	/// Supply shares of the collateral market, moved from the borrower to the liquidator (Aave's
	/// receive-aToken): needs no cash, so it works in a fully lent-out market. The liquidator's
	/// new supply is not collateral until it enables it.
	Shares,
}

/// What a lending liquidation moved.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct LendingSeizure {
	/// The asset whose debt was repaid.
	pub debt_asset: AssetId,
	/// How much debt the liquidator repaid, in the debt asset's smallest unit.
	pub repaid: Balance,
	/// The asset taken from the borrower's collateral.
	pub collateral_asset: AssetId,
	/// How much collateral the liquidator received (repaid value plus the bonus), in the
	/// collateral asset's smallest unit.
	pub seized: Balance,
	/// Whether the liquidator received tokens or supply shares worth `seized`.
	pub seized_as: SeizedAs,
}

/// One bounded stretch of a walk over the accounts with debt: what it found, how far it read and
/// where the next stretch resumes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DebtorScan<AccountId> {
	/// The accounts found, in storage order.
	pub found: Vec<AccountId>,
	/// How many accounts with debt the stretch read, found or not.
	pub read: u32,
	/// The cursor to resume after: the last account read, or the stretch's own start when it
	/// read none.
	pub cursor: Option<AccountId>,
	/// Whether the walk reached the last account with debt.
	pub done: bool,
}

/// What the liquidation engine may ask of the lending pools: whether an account can be liquidated
/// and, if so, to liquidate part of it. Both accrue interest first; a stale price counts in the
/// account owner's favour, and only fresh-priced pairs are liquidated.
pub trait LendingLiquidation<AccountId> {
	/// Whether the account's health factor is below one at current interest, at fresh prices
	/// with every stale one in the owner's favour (collateral at a markup of its last price,
	/// debt at zero): a stale price never makes an account liquidatable. A book (see
	/// [`Self::take_over`]) is liquidatable whenever it owes something of value.
	fn is_liquidatable(who: &AccountId) -> Result<bool, DispatchError>;

	/// Repays up to `max_repay` (and at most the close factor) of `borrower`'s debt in
	/// `debt_asset` from `liquidator`'s funds and gives the liquidator collateral of
	/// `collateral_asset` worth the repaid value plus the market's liquidation bonus, as tokens
	/// or as supply shares. Fails, and changes nothing, unless the account is liquidatable.
	fn liquidate(
		liquidator: &AccountId,
		borrower: &AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
		seized_as: SeizedAs,
	) -> Result<LendingSeizure, DispatchError>;

	/// Liquidates as [`Self::liquidate`] with [`SeizedAs::Tokens`], for a liquidator that pays
	/// the debt with the collateral it receives: the seized tokens are paid to `liquidator`
	/// first, then `sell` runs with the seizure and returns how much of the collateral it spent
	/// to obtain the repayment; what it did not spend goes back to the collateral market's
	/// reserves (the liquidation bonus the protocol keeps), and only then is the repayment taken
	/// from `liquidator`. Fails, and changes nothing, when `sell` fails or claims more than was
	/// seized.
	fn liquidate_with_sale(
		liquidator: &AccountId,
		borrower: &AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
		max_repay: Balance,
		sell: impl FnOnce(&LendingSeizure) -> Result<Balance, DispatchError>,
	) -> Result<LendingSeizure, DispatchError>;

	/// Liquidates as [`Self::liquidate`] with no limit on the repayment, but no one repays:
	/// `book` takes over the debt a repayment would remove and receives the seized collateral
	/// (worth that debt plus the bonus) as supply shares enabled as collateral. No tokens move,
	/// so it works whatever cash or liquidity the markets have; the borrower is liquidated as by
	/// anyone else. `book` then owes the debt and may itself be liquidated whenever it owes,
	/// whatever its health factor, until it is closed. Fails, and changes nothing, unless the
	/// account is liquidatable and the pair moves a unit (and when `book` is `borrower`).
	fn take_over(
		book: &AccountId,
		borrower: &AccountId,
		debt_asset: AssetId,
		collateral_asset: AssetId,
	) -> Result<LendingSeizure, DispatchError>;

	/// `who`'s supply shares in the market of `asset`; zero without a supply. Changes nothing.
	fn supply_shares(who: &AccountId, asset: AssetId) -> Balance;

	/// Pays `to` the value of `shares` of `from`'s supply of `asset`: as tokens out of the
	/// market's cash when it has enough and `to` can hold them, otherwise by moving the shares
	/// themselves to `to` (a supply that is not collateral unless `to`'s position already is).
	/// Returns the value paid, in the asset's smallest unit rounded down, and how it was paid.
	/// Fails, and changes nothing, when `from` has fewer shares, `shares` is zero, or the market
	/// is frozen.
	fn pay_supply_shares(
		from: &AccountId,
		to: &AccountId,
		asset: AssetId,
		shares: Balance,
	) -> Result<(Balance, SeizedAs), DispatchError>;

	/// Every (debt asset, collateral asset) pair by which a liquidation would move at least one
	/// unit of debt and of collateral: largest debt first, and for each debt its collaterals
	/// most valuable first. Empty when the account's collateral is worth nothing against its
	/// debts (none, or too little to cover one unit of any of them). Only positions with a
	/// fresh price take part.
	fn liquidation_pairs(who: &AccountId) -> Result<Vec<(AssetId, AssetId)>, DispatchError>;

	/// Writes off every debt of an account whose collateral is worth nothing against its debts
	/// (no pair in [`Self::liquidation_pairs`]): the markets' reserves absorb it first, the
	/// suppliers the rest; what collateral is left goes to its market's reserves. Fails, and
	/// changes nothing, while the account has collateral a liquidation could take.
	fn write_off(who: &AccountId) -> Result<(), DispatchError>;

	/// The oracle price of each of the account's collateral assets at which it becomes
	/// liquidatable, other prices unchanged; `None` where no fall of that price alone does it.
	fn liquidation_prices(who: &AccountId) -> Vec<(AssetId, Option<FixedU128>)>;

	/// Up to `max` accounts with debt, in storage order, starting after `after` (from the start
	/// when `None`): what an offchain sweep walks with a cursor. Accounts without debt are never
	/// listed.
	fn debtors(after: Option<&AccountId>, max: u32) -> Vec<AccountId>;

	/// The accounts with debt and a position (supply or debt) in the market of one of `assets`,
	/// those a move of these prices can make liquidatable, in storage order, starting after
	/// `after` (from the start when `None`): up to `max` of them, reading up to `max_read`
	/// accounts with debt to find them. The stretch stops early only when it found `max` or
	/// read `max_read`.
	fn exposed(
		assets: &[AssetId],
		after: Option<&AccountId>,
		max: u32,
		max_read: u32,
	) -> DebtorScan<AccountId>;

	/// Every market's asset with its price (`None` when it has no usable one), so a sweep can
	/// see which prices moved.
	fn market_prices() -> Vec<(AssetId, Option<FixedU128>)>;

	/// A digest of everything a liquidation of the account depends on in the pools: its
	/// positions, the cash and status of their markets and their assets' prices. Equal digests mean a
	/// liquidation that failed would fail again.
	fn liquidation_state(who: &AccountId) -> [u8; 32];

	/// The account as a liquidation values it: what [`Self::is_liquidatable`] decides on
	/// (collateral, limits and debt in USD, a stale price in the owner's favour), and each debt
	/// with interest accrued to now. Changes nothing; fails when a price is unknown or a value
	/// overflows.
	fn liquidation_view(who: &AccountId) -> Result<LiquidationView, DispatchError>;

	/// Starts `who`'s credit record afresh, as a liquidation in the pools does: what a
	/// liquidation elsewhere (of a vault) tells of the account. Does nothing to an account
	/// that never borrowed (it has no record). One read, and one write when there is a record.
	fn reset_credit(who: &AccountId);

	/// Every market's totals, interest accrued to now (a market whose accrual overflows is left
	/// out). O(markets): for the risk summary, never on a path a block pays for.
	fn market_totals() -> Vec<MarketTotals>;
}
