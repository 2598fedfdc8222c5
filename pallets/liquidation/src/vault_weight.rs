//! What the engine charges for vault liquidations: each vault the routes it used, and each
//! collateral type, once a block, the items all its liquidations by a route share.
//!
//! Vault liquidations of one type in one block read and write many of the same items: the
//! collateral type and its price, the lvUSD backstop's pool, the engine's and the vault pallet's
//! accounts of the collateral, the auction books, the AMM's pool. The block reads each once and
//! commits each once. So each route is benchmarked with `n` vaults of one type liquidated in
//! one block ([`WeightInfo::execute_vaults_backstop`], [`WeightInfo::execute_vaults_auction`],
//! [`WeightInfo::execute_vaults_swap`], each vault in its own bucket of the index): the slope
//! (what one more vault adds) is what a vault liquidated by that route costs, the intercept
//! (`n` = 0) what the route's first use for the type in a block costs beyond it.
//!
//! Which routes a vault uses is known only once the engine has planned it, so the queue admits
//! a vault when the meter can take the most it may cost ([`VaultWeigher::bound`]) and charges
//! what it did ([`VaultWeigher::charge`]), which is never more.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	traits::Get,
	weights::{Weight, WeightMeter},
};

/// A route of a vault liquidation, as benchmarked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum VaultRoute {
	/// The lvUSD backstop repays and receives collateral; what it leaves may go to the owner,
	/// to the deficit or, as a lot too small to auction, to the backstop's gains.
	Backstop,
	/// An auction takes the rest, after the AMM's quote was refused.
	Auction,
	/// The AMM buys the rest.
	Swap,
}

impl VaultRoute {
	/// Every route.
	pub(crate) const ALL: [VaultRoute; 3] =
		[VaultRoute::Backstop, VaultRoute::Auction, VaultRoute::Swap];

	/// The route's benchmark of `n` vaults of one type in one block, at `n`.
	fn at<T: Config>(self, n: u32) -> Weight {
		match self {
			VaultRoute::Backstop => T::WeightInfo::execute_vaults_backstop(n),
			VaultRoute::Auction => T::WeightInfo::execute_vaults_auction(n),
			VaultRoute::Swap => T::WeightInfo::execute_vaults_swap(n),
		}
	}

	/// What each vault liquidated by this route costs: its benchmark's slope.
	pub(crate) fn each<T: Config>(self) -> Weight {
		self.at::<T>(1).saturating_sub(self.at::<T>(0))
	}

	/// What the route's first use for a type in a block costs beyond the vault: its
	/// benchmark's intercept.
	pub(crate) fn shared<T: Config>(self) -> Weight {
		self.at::<T>(0)
	}
}

/// What one queued vault's turn did, for its weight.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum VaultWork {
	/// It was liquidated by these routes: the backstop, and an auction or the AMM (none of
	/// them when what it took went to the deficit and, as a lot too small to auction, to the
	/// backstop's gains: work the backstop's benchmark bounds).
	Liquidated { backstop: bool, auction: bool, swap: bool },
	/// It changed nothing that stays: no longer unsafe, or an attempt rolled back (after any
	/// part of any route's work).
	Attempted,
}

impl VaultWork {
	/// The routes whose work this was. A liquidation by none of them counts as the backstop's;
	/// an attempt rolled back as every route's, an upper bound of what it may have done.
	fn routes(self) -> impl Iterator<Item = VaultRoute> {
		let used = match self {
			VaultWork::Liquidated { backstop, auction, swap } => {
				[backstop || !(auction || swap), auction, swap]
			},
			VaultWork::Attempted => [true; 3],
		};
		VaultRoute::ALL
			.into_iter()
			.zip(used)
			.filter_map(|(route, used)| used.then_some(route))
	}
}

/// The block's account of vault liquidation weight: the routes of each collateral type whose
/// shared items this block has paid for. At most three entries per type the queue holds vaults
/// of.
#[derive(Default)]
pub(crate) struct VaultWeigher {
	paid: Vec<(AssetId, VaultRoute)>,
}

impl VaultWeigher {
	/// The most a queued vault of `asset` may cost in this block: the work of every route (a
	/// rolled-back attempt may have done part of each), the items of every route the type has
	/// not paid for yet, unless `seeded` the engine's first receipt of the collateral, and the
	/// read of its seed.
	pub(crate) fn bound<T: Config>(&self, asset: AssetId, seeded: bool) -> Weight {
		self.weight::<T>(asset, VaultWork::Attempted, seeded)
	}

	/// What `work` on a vault of `asset` costs: each route's slope, the shared items of each
	/// route not yet paid for by the type in this block, unless `seeded` the engine's first
	/// receipt of the collateral ([`VaultWeigher::first_receipt`]), and the read of its seed.
	pub(crate) fn weight<T: Config>(
		&self,
		asset: AssetId,
		work: VaultWork,
		seeded: bool,
	) -> Weight {
		let mut weight = T::DbWeight::get().reads(1);
		for route in work.routes() {
			weight = weight.saturating_add(route.each::<T>());
			if !self.paid.contains(&(asset, route)) {
				weight = weight.saturating_add(route.shared::<T>());
			}
		}
		weight.saturating_add(Self::first_receipt::<T>(seeded))
	}

	/// Unless the engine is `seeded` with a collateral, what its first receipt of it costs
	/// more: what `execute_vault_unseeded` measures beyond the same liquidation with the seed
	/// in place.
	pub(crate) fn first_receipt<T: Config>(seeded: bool) -> Weight {
		match seeded {
			true => Weight::zero(),
			false => T::WeightInfo::execute_vault_unseeded()
				.saturating_sub(VaultRoute::Auction.at::<T>(1)),
		}
	}

	/// Charges `meter` for `work` on a vault of `asset` ([`VaultWeigher::weight`]) and records
	/// its routes' shared items as paid for. The caller checked that `meter` could take
	/// [`VaultWeigher::bound`], which this never exceeds.
	pub(crate) fn charge<T: Config>(
		&mut self,
		meter: &mut WeightMeter,
		asset: AssetId,
		work: VaultWork,
		seeded: bool,
	) {
		meter.consume(self.weight::<T>(asset, work, seeded));
		for route in work.routes() {
			if !self.paid.contains(&(asset, route)) {
				self.paid.push((asset, route));
			}
		}
	}
}
