//! The test assets every dev and local-testnet genesis lists in pallet-assets: DOT, BTC, ETH and
//! USDC with their real names, symbols and decimals, so the chain can be tried with realistic
//! collateral before any bridge brings the real tokens.

use crate::{AssetId, Balance};

/// A token listed in pallet-assets at genesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestAsset {
	/// The pallet-assets identifier.
	pub id: AssetId,
	/// The full name shown by wallets.
	pub name: &'static str,
	/// The ticker symbol.
	pub symbol: &'static str,
	/// Decimals of the smallest unit.
	pub decimals: u8,
	/// Whole tokens minted to each dev account at genesis.
	pub genesis_tokens_per_account: u32,
	/// The price server's reference price (`scripts/price-scenarios/steady.json`), in US cents.
	pub reference_cents: u32,
	/// Whole tokens the treasury puts in the asset's AMM pool against USDC at genesis (zero for
	/// USDC itself).
	pub genesis_pool_tokens: u32,
}

impl TestAsset {
	/// One whole token in the asset's smallest unit ([`lever_primitives::unit`]; every test
	/// asset has far fewer than the 38 decimals past which it would not fit).
	pub const fn unit(&self) -> Balance {
		match lever_primitives::unit(self.decimals) {
			Some(unit) => unit,
			None => Balance::MAX,
		}
	}

	/// The smallest balance an account may hold: a millionth of a token (at least one unit).
	pub const fn min_balance(&self) -> Balance {
		match lever_primitives::unit(self.decimals.saturating_sub(6)) {
			Some(unit) => unit,
			None => Balance::MAX,
		}
	}

	/// The amount minted to each dev account at genesis, in the smallest unit.
	pub const fn genesis_balance(&self) -> Balance {
		self.genesis_tokens_per_account as Balance * self.unit()
	}

	/// The amount in the asset's genesis AMM pool, in the smallest unit.
	pub const fn genesis_pool_balance(&self) -> Balance {
		self.genesis_pool_tokens as Balance * self.unit()
	}

	/// What [`Self::genesis_pool_balance`] is worth at the reference price, in USDC's smallest
	/// unit: the USDC side of the pool, so the pool opens at the reference price.
	pub const fn genesis_pool_usdc(&self) -> Balance {
		self.genesis_pool_tokens as Balance * self.reference_cents as Balance * USDC.unit() / 100
	}
}

/// Polkadot's DOT (10 decimals).
pub const DOT: TestAsset = TestAsset {
	id: 1,
	name: "Polkadot",
	symbol: "DOT",
	decimals: 10,
	genesis_tokens_per_account: 100_000,
	reference_cents: 750,
	genesis_pool_tokens: 1_000_000,
};

/// Bitcoin (8 decimals).
pub const BTC: TestAsset = TestAsset {
	id: 2,
	name: "Bitcoin",
	symbol: "BTC",
	decimals: 8,
	genesis_tokens_per_account: 100,
	reference_cents: 9_500_000,
	genesis_pool_tokens: 80,
};

/// Ether (18 decimals).
pub const ETH: TestAsset = TestAsset {
	id: 3,
	name: "Ether",
	symbol: "ETH",
	decimals: 18,
	genesis_tokens_per_account: 1_000,
	reference_cents: 350_000,
	genesis_pool_tokens: 2_000,
};

/// USD Coin (6 decimals).
pub const USDC: TestAsset = TestAsset {
	id: 4,
	name: "USD Coin",
	symbol: "USDC",
	decimals: 6,
	genesis_tokens_per_account: 1_000_000,
	reference_cents: 100,
	genesis_pool_tokens: 0,
};

/// Every test asset, in identifier order.
pub const ALL: [TestAsset; 4] = [DOT, BTC, ETH, USDC];
