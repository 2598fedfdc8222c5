//! The AMM pools the dev and local-testnet genesis seed from the treasury, and the treasury's
//! genesis vault that mints their lvUSD.

use alloc::vec::Vec;
use frame_support::traits::tokens::fungible::NativeOrWithId;

use super::dev_assets::{self, TestAsset};
use crate::{
	configs::{
		amm::AmmAsset,
		lending::TreasuryAccount,
		vaults::{LVUSD, LVUSD_UNIT},
	},
	AccountId, AssetId, Balance,
};

/// DOT in the treasury's genesis vault, which mints the lvUSD of the lvUSD pools.
pub const TREASURY_VAULT_DOT: Balance = 1_000_000 * dev_assets::DOT.unit();
/// lvUSD the treasury's genesis vault mints: a 500% collateral ratio at $7.50, safe through a
/// 70% fall of DOT. All but 1,000 lvUSD go into the pools.
pub const TREASURY_VAULT_LVUSD: Balance = 1_501_000 * LVUSD_UNIT;
/// lvUSD on each side of the lvUSD pools.
const POOL_LVUSD: Balance = 750_000 * LVUSD_UNIT;
/// DOT in the DOT/lvUSD pool: $750,000 at $7.50.
const POOL_DOT_LVUSD: Balance = 100_000 * dev_assets::DOT.unit();
/// USDC in the USDC/lvUSD pool: $750,000.
const POOL_USDC_LVUSD: Balance = 750_000 * dev_assets::USDC.unit();

/// The treasury's genesis vault: `(owner, collateral asset, collateral, debt)`.
pub fn treasury_vault(treasury: &AccountId) -> (AccountId, AssetId, Balance, Balance) {
	(treasury.clone(), dev_assets::DOT.id, TREASURY_VAULT_DOT, TREASURY_VAULT_LVUSD)
}

/// The pools the dev and local-testnet genesis opens with liquidity from `provider` (the
/// treasury), as `(asset, asset, provider, amount, amount)`: each volatile test asset against
/// USDC at the price server's reference price, and lvUSD (at one dollar) against DOT and USDC.
pub fn test_asset_pools(
	provider: &AccountId,
) -> Vec<(AmmAsset, AmmAsset, AccountId, Balance, Balance)> {
	let (dot, usdc, lvusd) = (dev_assets::DOT.id, dev_assets::USDC.id, LVUSD);
	pooled_test_assets()
		.map(|asset| (asset.id, usdc, asset.genesis_pool_balance(), asset.genesis_pool_usdc()))
		.chain([
			(dot, lvusd, POOL_DOT_LVUSD, POOL_LVUSD),
			(usdc, lvusd, POOL_USDC_LVUSD, POOL_LVUSD),
		])
		.map(|(first, second, first_amount, second_amount)| {
			(
				NativeOrWithId::WithId(first),
				NativeOrWithId::WithId(second),
				provider.clone(),
				first_amount,
				second_amount,
			)
		})
		.collect()
}

/// The test-asset tokens the treasury needs at genesis: its vault's DOT and every pool's side,
/// plus one whole token of each that stays with it (the AMM never empties the provider's
/// account). Its lvUSD comes from its vault.
pub fn test_asset_pool_funding() -> Vec<(AssetId, Balance)> {
	let treasury = TreasuryAccount::get();
	dev_assets::ALL
		.iter()
		.map(|asset| {
			let pooled = test_asset_pools(&treasury)
				.into_iter()
				.flat_map(|(first, second, _, first_amount, second_amount)| {
					[(first, first_amount), (second, second_amount)]
				})
				.filter(|(kind, _)| *kind == NativeOrWithId::WithId(asset.id))
				.fold(0, |total: Balance, (_, amount)| total.saturating_add(amount));
			let vault = if asset.id == dev_assets::DOT.id { TREASURY_VAULT_DOT } else { 0 };
			(asset.id, pooled.saturating_add(vault).saturating_add(asset.unit()))
		})
		.filter(|(_, amount)| *amount > 0)
		.collect()
}

/// The test assets that get a genesis pool against USDC.
fn pooled_test_assets() -> impl Iterator<Item = &'static TestAsset> {
	dev_assets::ALL.iter().filter(|asset| asset.genesis_pool_tokens > 0)
}
