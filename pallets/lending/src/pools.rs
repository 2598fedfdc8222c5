//! Permissioned pools: markets that only holders of a credential may supply to or borrow from.
//!
//! Governance creates a pool and names its **issuer**, an account (a multisig or a
//! collective's proxy, say) that grants and revokes the pool's **credential**; governance may
//! grant and revoke too, and replace the issuer. Governance puts a market in a pool, or takes it
//! out, with [`Pallet::set_market_pool`]: a market is in at most one pool, and a market in no
//! pool is public. Each market has its own cash and parameters, so a pool's markets never share
//! liquidity with public ones; whether a market is public or in a pool is governance's call.
//!
//! What the credential gates, and what it never does:
//! - Supplying (the payer and the account credited), borrowing, enabling a supply as collateral
//!   and flash loans in a pool's market need the pool's credential, checked on each call
//!   (`NotMember`).
//! - Repaying, withdrawing, disabling collateral and every liquidation path never look at it: a
//!   member whose credential is revoked can always leave, and anyone may liquidate or repay a
//!   pool's borrower, so liveness never depends on membership. A liquidator paid in supply
//!   shares of a pool's market holds them like a revoked member: it may withdraw them.
//! - Public markets are unaffected: their calls read no credential.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use scale_info::TypeInfo;
use sp_runtime::{ArithmeticError, DispatchError};

/// A permissioned pool's identifier, counted from zero.
pub type PoolId = u32;

/// A permissioned pool.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Pool<AccountId> {
	/// The account that grants and revokes the pool's credential (besides governance).
	pub issuer: AccountId,
}

/// Who is granting or revoking a credential: the pool's issuer or governance.
pub(crate) enum Grantor<AccountId> {
	/// Governance (`GovernanceOrigin`), for any pool.
	Governance,
	/// A signed account, which must be the pool's issuer.
	Signed(AccountId),
}

impl<T: Config> Pallet<T> {
	/// Fails with `NotMember` unless `who` may take on a position in `market`: anyone in a public
	/// market, only holders of its pool's credential in a pool's market. One read, and only for a
	/// pool's market.
	pub(crate) fn ensure_member(market: &Market, who: &T::AccountId) -> DispatchResult {
		if let Some(pool) = market.pool {
			ensure!(Credentials::<T>::contains_key(pool, who), Error::<T>::NotMember);
		}
		Ok(())
	}

	/// Whether `who` holds the credential of `pool`.
	pub fn is_member(pool: PoolId, who: &T::AccountId) -> bool {
		Credentials::<T>::contains_key(pool, who)
	}

	/// The pools whose credential `who` holds, in order: one read per pool there is.
	pub fn memberships(who: &T::AccountId) -> alloc::vec::Vec<PoolId> {
		(0..NextPoolId::<T>::get()).filter(|pool| Self::is_member(*pool, who)).collect()
	}

	/// Creates a pool whose credential `issuer` grants (see [`Pallet::create_pool`]).
	pub(crate) fn do_create_pool(issuer: T::AccountId) -> Result<PoolId, DispatchError> {
		let pool = NextPoolId::<T>::get();
		let next = pool.checked_add(1).ok_or(ArithmeticError::Overflow)?;
		Pools::<T>::insert(pool, Pool { issuer: issuer.clone() });
		NextPoolId::<T>::put(next);
		Self::deposit_event(Event::PoolCreated { pool, issuer });
		Ok(pool)
	}

	/// Makes `issuer` the issuer of `pool` (see [`Pallet::set_pool_issuer`]).
	pub(crate) fn do_set_pool_issuer(pool: PoolId, issuer: T::AccountId) -> DispatchResult {
		Pools::<T>::try_mutate(pool, |entry| {
			let entry = entry.as_mut().ok_or(Error::<T>::UnknownPool)?;
			entry.issuer = issuer.clone();
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::PoolIssuerSet { pool, issuer });
		Ok(())
	}

	/// Grants (`grant`) or revokes `who`'s credential of `pool` on behalf of `grantor`, which
	/// must be governance or the pool's issuer (`NotIssuer`). Granting a held credential fails
	/// with `CredentialExists`, revoking a missing one with `NoCredential`.
	pub(crate) fn do_set_credential(
		grantor: Grantor<T::AccountId>,
		pool: PoolId,
		who: T::AccountId,
		grant: bool,
	) -> DispatchResult {
		let entry = Pools::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?;
		if let Grantor::Signed(signer) = grantor {
			ensure!(signer == entry.issuer, Error::<T>::NotIssuer);
		}
		let held = Credentials::<T>::contains_key(pool, &who);
		if grant {
			ensure!(!held, Error::<T>::CredentialExists);
			Credentials::<T>::insert(pool, &who, ());
			Self::deposit_event(Event::CredentialGranted { pool, who });
		} else {
			ensure!(held, Error::<T>::NoCredential);
			Credentials::<T>::remove(pool, &who);
			Self::deposit_event(Event::CredentialRevoked { pool, who });
		}
		Ok(())
	}

	/// Puts the market of `asset` in `pool`, or makes it public with `None` (see
	/// [`Pallet::set_market_pool`]).
	pub(crate) fn do_set_market_pool(asset: AssetId, pool: Option<PoolId>) -> DispatchResult {
		if let Some(pool) = pool {
			ensure!(Pools::<T>::contains_key(pool), Error::<T>::UnknownPool);
		}
		let mut market = Self::market(asset)?;
		market.pool = pool;
		Markets::<T>::insert(asset, market);
		Self::deposit_event(Event::MarketPoolSet { asset, pool });
		Ok(())
	}

	/// Every market's pool exists.
	#[cfg(any(test, feature = "std", feature = "try-runtime"))]
	pub(crate) fn check_pools() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, market) in Markets::<T>::iter() {
			if let Some(pool) = market.pool {
				ensure!(
					Pools::<T>::contains_key(pool),
					"a market is in a pool that does not exist"
				);
			}
		}
		let next = NextPoolId::<T>::get();
		ensure!(Pools::<T>::iter_keys().all(|pool| pool < next), "a pool at or past NextPoolId");
		ensure!(
			Credentials::<T>::iter_keys().all(|(pool, _)| Pools::<T>::contains_key(pool)),
			"a credential of a pool that does not exist"
		);
		Ok(())
	}
}
