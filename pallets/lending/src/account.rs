//! Each account's positions in one storage item ([`Positions`]): its supply and its debt in every
//! market it is in, sorted by asset. Valuing an account reads this item once and one item per
//! market; a change of its positions rewrites it once. Entering and leaving a market, and the
//! index of accounts with debt (`exposure.rs`), follow from each change here, in one place.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::DispatchResult, traits::Get, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::traits::Zero;

/// An account's supply and debt in one market. Stored only while it holds either: the account
/// is in the market exactly then.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Position {
	/// The account's supply, if any; never with zero shares.
	pub supply: Option<SupplyPosition>,
	/// The account's scaled debt, if any; never zero. Its debt is the scaled debt times the
	/// market's borrow index.
	pub scaled_debt: Option<Balance>,
}

impl Position {
	/// Whether the position holds nothing (it is then not stored).
	pub fn is_empty(&self) -> bool {
		self.supply.is_none() && self.scaled_debt.is_none()
	}

	/// The position with a supply of no shares and a debt of zero left out.
	fn without_zeros(self) -> Self {
		Self {
			supply: self.supply.filter(|supply| !supply.shares.is_zero()),
			scaled_debt: self.scaled_debt.filter(|debt| !debt.is_zero()),
		}
	}
}

/// One account's positions as stored: by the market's asset, sorted, at most
/// `MaxMarketsPerAccount`.
pub type PositionsOf<T> = BoundedVec<(AssetId, Position), <T as Config>::MaxMarketsPerAccount>;

impl<T: Config> Pallet<T> {
	/// `who`'s position in every market it is in, sorted by asset.
	pub fn positions_of(who: &T::AccountId) -> PositionsOf<T> {
		Positions::<T>::get(who).unwrap_or_default()
	}

	/// `who`'s position in the market of `asset`; empty when it is not in the market.
	pub fn position_of(who: &T::AccountId, asset: AssetId) -> Position {
		find(&Self::positions_of(who), asset)
	}

	/// `who`'s supply in the market of `asset`, if any.
	pub fn supply_of(who: &T::AccountId, asset: AssetId) -> Option<SupplyPosition> {
		Self::position_of(who, asset).supply
	}

	/// `who`'s scaled debt in the market of `asset`, if any.
	pub fn scaled_debt_of(who: &T::AccountId, asset: AssetId) -> Option<Balance> {
		Self::position_of(who, asset).scaled_debt
	}

	/// Sets `who`'s supply in the market of `asset`; `None` or no shares removes it. Errors as
	/// [`Pallet::change_position`].
	pub(crate) fn put_supply(
		who: &T::AccountId,
		asset: AssetId,
		supply: Option<SupplyPosition>,
	) -> DispatchResult {
		Self::change_position(who, asset, |position| position.supply = supply)
	}

	/// Sets `who`'s scaled debt in the market of `asset`; `None` or zero removes it. Errors as
	/// [`Pallet::change_position`].
	pub(crate) fn put_scaled_debt(
		who: &T::AccountId,
		asset: AssetId,
		scaled_debt: Option<Balance>,
	) -> DispatchResult {
		Self::change_position(who, asset, |position| position.scaled_debt = scaled_debt)
	}

	/// Changes `who`'s position in the market of `asset` by `change` and writes the account's
	/// positions once: the account enters the market when the position starts holding something
	/// and leaves it when it holds nothing, and the index of accounts with debt follows
	/// ([`Pallet::reindex`]). Fails with `TooManyAccountMarkets`, changing nothing, when the
	/// account would enter more than `MaxMarketsPerAccount` markets.
	fn change_position(
		who: &T::AccountId,
		asset: AssetId,
		change: impl FnOnce(&mut Position),
	) -> DispatchResult {
		let mut positions = Self::positions_of(who);
		let was_debtor = has_debt(&positions);
		let mut position = find(&positions, asset);
		change(&mut position);
		store(&mut positions, asset, position.without_zeros())
			.map_err(|_| Error::<T>::TooManyAccountMarkets)?;
		Self::reindex(who, was_debtor, &positions);
		if positions.is_empty() {
			Positions::<T>::remove(who);
		} else {
			Positions::<T>::insert(who, positions);
		}
		Ok(())
	}
}

/// `positions`' entry for the market of `asset`; empty when there is none.
pub(crate) fn find(positions: &[(AssetId, Position)], asset: AssetId) -> Position {
	positions
		.binary_search_by_key(&asset, |(market, _)| *market)
		.ok()
		.and_then(|index| positions.get(index))
		.map_or_else(Position::default, |(_, position)| *position)
}

/// Makes `position` the entry of `positions` for the market of `asset`, keeping them sorted: it
/// replaces the entry there is, is inserted in its place, or, empty, removes it (stored positions
/// are never empty). Fails, changing nothing, when an insert would exceed the bound.
pub(crate) fn store<S: Get<u32>>(
	positions: &mut BoundedVec<(AssetId, Position), S>,
	asset: AssetId,
	position: Position,
) -> Result<(), ()> {
	match positions.binary_search_by_key(&asset, |(market, _)| *market) {
		Ok(index) if position.is_empty() => {
			positions.remove(index);
		},
		Ok(index) => {
			if let Some((_, stored)) = positions.get_mut(index) {
				*stored = position;
			}
		},
		Err(index) if !position.is_empty() => {
			positions.try_insert(index, (asset, position)).map_err(|_| ())?
		},
		Err(_) => {},
	}
	Ok(())
}

/// Whether any of `positions` owes.
pub(crate) fn has_debt(positions: &[(AssetId, Position)]) -> bool {
	positions.iter().any(|(_, position)| position.scaled_debt.is_some())
}
