//! Weights of the liquidation engine's calls and of each unit of its `on_initialize` work.
//!
//! The runtime uses the weights `scripts/benchmark.sh` generates from `benchmarking.rs`
//! (`runtime/src/weights/pallet_liquidation.rs`). The `()` implementation is for unit tests:
//! round figures in the measured proportions (a liquidation costs several times a queue move), so
//! the tests of the weight budget have something to divide; it is never used on a chain.

#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// The weight of each call and of each unit of hook work.
pub trait WeightInfo {
	/// `on_initialize` with nothing to do: the queue ends and the collateral type list.
	fn on_initialize_base() -> Weight;
	/// Detection's fixed cost per collateral type: its risk, occupancy and boundary scan.
	fn detect_type() -> Weight;
	/// Moving one vault from its bucket into the queue.
	fn enqueue_vault() -> Weight;
	/// Checking one boundary vault, exactly when it is within rounding of the unsafe ratio.
	fn check_vault() -> Weight;
	/// Liquidating `n` queued vaults of one type in one block, each repaid in full by the lvUSD
	/// backstop, the engine already holding the collateral: plan, seize, backstop, index.
	fn execute_vaults_backstop(n: u32) -> Weight;
	/// Liquidating `n` queued vaults of one type in one block, each by an auction after the
	/// AMM route was quoted and refused: plan, quote, seize, auction, index.
	fn execute_vaults_auction(n: u32) -> Weight;
	/// Liquidating `n` queued vaults of one type in one block, each by the AMM: plan, quote,
	/// seize, swap, burn, index.
	fn execute_vaults_swap(n: u32) -> Weight;
	/// As [`WeightInfo::execute_vaults_auction`] with one vault, the engine receiving the
	/// collateral for the first time (its account for the asset and its seed are created).
	fn execute_vault_unseeded() -> Weight;
	/// Liquidating one flagged lending account with a backstop pool.
	fn execute_lending() -> Weight;
	/// Liquidating one flagged lending account by selling its collateral on the AMM through
	/// the routing asset.
	fn execute_lending_amm() -> Weight;
	/// Liquidating one flagged lending account by its pair's book, after the AMM was quoted and
	/// refused.
	fn execute_lending_take_over() -> Weight;
	/// `deposit`, paying every collateral gain.
	fn deposit() -> Weight;
	/// `withdraw`, paying every collateral gain.
	fn withdraw() -> Weight;
	/// `take`, ending the auction.
	fn take() -> Weight;
	/// `snip`, or the engine's own cancellation of an auction after the shutdown: the lot's
	/// worth of its tab to the redemption pool, the rest to the owner.
	fn snip() -> Weight;
	/// `flag`.
	fn flag() -> Weight;
	/// `set_auction_params`.
	fn set_auction_params() -> Weight;
	/// `set_max_debt_in_auction`.
	fn set_max_debt_in_auction() -> Weight;
	fn set_amm_route() -> Weight;
	/// The stress test (a runtime API, charged to no block) with `n` liquidatable vaults of one
	/// type: what it costs the node that answers.
	fn stress_vaults(n: u32) -> Weight;
	/// The stress test with `n` liquidatable lending accounts, each in every market an account
	/// may be in.
	fn stress_accounts(n: u32) -> Weight;
	/// The risk summary (a runtime API) over `v` vaults and `a` lending accounts at risk.
	fn system_risk(v: u32, a: u32) -> Weight;
}

impl WeightInfo for () {
	fn on_initialize_base() -> Weight {
		Weight::from_parts(10_000_000, 3_000).saturating_add(RocksDbWeight::get().reads(3))
	}
	fn detect_type() -> Weight {
		Weight::from_parts(40_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(8))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn enqueue_vault() -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn check_vault() -> Weight {
		Weight::from_parts(30_000_000, 8_000).saturating_add(RocksDbWeight::get().reads(6))
	}
	fn execute_vaults_backstop(n: u32) -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(Weight::from_parts(100_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(12))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64.saturating_mul(n.into())))
	}
	fn execute_vaults_auction(n: u32) -> Weight {
		Weight::from_parts(200_000_000, 25_000)
			.saturating_add(Weight::from_parts(150_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(25))
			.saturating_add(RocksDbWeight::get().writes(14))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64.saturating_mul(n.into())))
	}
	fn execute_vaults_swap(n: u32) -> Weight {
		Weight::from_parts(250_000_000, 30_000)
			.saturating_add(Weight::from_parts(200_000_000, 5_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(25))
			.saturating_add(RocksDbWeight::get().writes(16))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64.saturating_mul(n.into())))
	}
	fn execute_vault_unseeded() -> Weight {
		Weight::from_parts(450_000_000, 35_000)
			.saturating_add(RocksDbWeight::get().reads(32))
			.saturating_add(RocksDbWeight::get().writes(28))
	}
	fn execute_lending() -> Weight {
		Weight::from_parts(600_000_000, 60_000)
			.saturating_add(RocksDbWeight::get().reads(50))
			.saturating_add(RocksDbWeight::get().writes(20))
	}
	fn execute_lending_amm() -> Weight {
		Weight::from_parts(1_000_000_000, 80_000)
			.saturating_add(RocksDbWeight::get().reads(70))
			.saturating_add(RocksDbWeight::get().writes(35))
	}
	fn execute_lending_take_over() -> Weight {
		Weight::from_parts(500_000_000, 50_000)
			.saturating_add(RocksDbWeight::get().reads(45))
			.saturating_add(RocksDbWeight::get().writes(15))
	}
	fn deposit() -> Weight {
		Weight::from_parts(200_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(15))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(200_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(15))
	}
	fn take() -> Weight {
		Weight::from_parts(150_000_000, 15_000)
			.saturating_add(RocksDbWeight::get().reads(12))
			.saturating_add(RocksDbWeight::get().writes(10))
	}
	fn snip() -> Weight {
		Weight::from_parts(120_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(10))
			.saturating_add(RocksDbWeight::get().writes(8))
	}
	fn flag() -> Weight {
		Weight::from_parts(150_000_000, 30_000)
			.saturating_add(RocksDbWeight::get().reads(20))
			.saturating_add(RocksDbWeight::get().writes(4))
	}
	fn set_auction_params() -> Weight {
		Weight::from_parts(15_000_000, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn set_max_debt_in_auction() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn set_amm_route() -> Weight {
		Weight::from_parts(10_000_000, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn stress_vaults(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(40_000_000, 3_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64.saturating_mul(n.into())))
	}
	fn stress_accounts(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(300_000_000, 20_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(20_u64.saturating_mul(n.into())))
	}
	fn system_risk(v: u32, a: u32) -> Weight {
		Self::stress_vaults(v).saturating_add(Self::stress_accounts(a))
	}
}
