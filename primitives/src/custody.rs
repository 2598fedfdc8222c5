//! Tokens in a pallet's custody: the lending pools', the vaults' and the liquidation engine's
//! accounts hold users' tokens, and this is the one place tokens move into and out of such an
//! account and are measured.
//!
//! pallet-assets moves what it is asked to, except that a transfer which would leave the sender
//! below the asset's minimum balance (with `Preservation::Expendable`) sweeps the remainder
//! along: so what arrives is measured, never assumed.

use frame_support::traits::{fungibles::Mutate, tokens::Preservation};
use sp_runtime::{traits::Saturating, DispatchError};

/// Moves `amount` of `asset` from `from` into `custodian`'s account and returns what arrived: at
/// least `amount`, more when pallet-assets swept `from`'s remainder below the minimum balance
/// along with it. Fails, moving nothing, as the transfer does.
pub fn take_in<AccountId: Eq, Assets: Mutate<AccountId>>(
	asset: Assets::AssetId,
	from: &AccountId,
	custodian: &AccountId,
	amount: Assets::Balance,
) -> Result<Assets::Balance, DispatchError> {
	let before = Assets::balance(asset.clone(), custodian);
	Assets::transfer(asset.clone(), from, custodian, amount, Preservation::Expendable)?;
	Ok(Assets::balance(asset, custodian).saturating_sub(before))
}

/// Pays `amount` of `asset` out of `custodian`'s account to `to`. With
/// `Preservation::Preserve` the custodian keeps at least the minimum balance (a pallet that keeps
/// a seed); with `Expendable` a remainder below it goes along. Returns what left beyond `amount`
/// (that swept remainder, zero when preserved). Fails, moving nothing, as the transfer does.
pub fn pay_out<AccountId: Eq, Assets: Mutate<AccountId>>(
	asset: Assets::AssetId,
	custodian: &AccountId,
	to: &AccountId,
	amount: Assets::Balance,
	preservation: Preservation,
) -> Result<Assets::Balance, DispatchError> {
	let before = Assets::balance(asset.clone(), custodian);
	Assets::transfer(asset.clone(), custodian, to, amount, preservation)?;
	let paid = before.saturating_sub(Assets::balance(asset, custodian));
	Ok(paid.saturating_sub(amount))
}

/// What of `received` tokens, the first a custodian receives of an asset with minimum balance
/// `minimum`, it keeps for good as its seed: the minimum balance (or all, if less), so that later
/// payouts with `Preservation::Preserve` never reap its account nor sweep dust along. Zero once
/// the custodian is `seeded`.
pub fn seed_due<Balance: Ord + Default>(
	seeded: bool,
	received: Balance,
	minimum: Balance,
) -> Balance {
	if seeded {
		return Balance::default();
	}
	received.min(minimum)
}

/// Makes `custodian`'s account exist on its own (a provider reference, once), so it can hold
/// tokens that are not "sufficient" and is never reaped by pallet-system while it holds none.
pub fn keep_account<T: frame_system::Config>(custodian: &T::AccountId) {
	if !frame_system::Pallet::<T>::account_exists(custodian) {
		frame_system::Pallet::<T>::inc_providers(custodian);
	}
}
