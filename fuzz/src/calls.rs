//! The calls a fuzz user submits: every user-facing call of Lever's pallets, the peg stability
//! module's swaps, AMM swaps and transfers, with amounts drawn relative to what the account holds (none, a little, all, a
//! little more than all, `u128::MAX`), plus any call the input's raw bytes decode to.

use crate::input::{Format, Reader};
use codec::Decode;
use frame_support::traits::fungibles::metadata::Inspect as _;
use lever_primitives::{AmountOrAll, LendingPositions, PriceProvider, SeizedAs};
use lever_runtime::{
	configs::{
		amm::AmmAsset,
		vaults::{LVUSD, LVUSD_UNIT},
	},
	genesis::dev_assets,
	AccountId, Assets, Balance, Lending, Oracle, Runtime, RuntimeCall,
};
use sp_runtime::{traits::CheckedDiv, FixedPointNumber, FixedU128, Permill, Saturating};

/// The assets the fuzzer moves: the four test assets and lvUSD.
pub const ASSETS: [u32; 5] =
	[dev_assets::DOT.id, dev_assets::BTC.id, dev_assets::ETH.id, dev_assets::USDC.id, LVUSD];
/// The vault collateral types and lending markets of the development genesis.
const MARKETS: [u32; 4] =
	[dev_assets::DOT.id, dev_assets::BTC.id, dev_assets::ETH.id, dev_assets::USDC.id];

fn market(reader: &mut Reader) -> u32 {
	MARKETS[usize::from(reader.choose(MARKETS.len() as u8))]
}

/// Mostly one of `preferred` (the markets or vaults the account already uses, so calls reach
/// deep states), otherwise any market.
fn market_of(reader: &mut Reader, preferred: &[u32]) -> u32 {
	if preferred.is_empty() || reader.choose(4) == 0 {
		market(reader)
	} else {
		preferred[usize::from(reader.byte()) % preferred.len()]
	}
}

/// The lending markets `who` is in.
fn lending_markets(who: &AccountId) -> Vec<u32> {
	Lending::positions_of(who).into_iter().map(|(asset, _)| asset).collect()
}

/// The collateral types `who` has a vault of.
fn vaults(who: &AccountId) -> Vec<u32> {
	MARKETS
		.into_iter()
		.filter(|asset| pallet_vaults::Vaults::<Runtime>::contains_key(asset, who))
		.collect()
}

fn asset(reader: &mut Reader) -> u32 {
	ASSETS[usize::from(reader.choose(ASSETS.len() as u8))]
}

/// `per_mille` of `base`, or one of the edge amounts.
fn amount(reader: &mut Reader, base: Balance) -> Balance {
	match reader.choose(16) {
		0 => 0,
		1 => 1,
		2 => u128::MAX,
		3 => u128::from(reader.u16()),
		_ => base.saturating_mul(u128::from(reader.per_mille())) / 1_000,
	}
}

fn amount_or_all(reader: &mut Reader, base: Balance) -> AmountOrAll {
	if reader.choose(4) == 0 {
		AmountOrAll::All
	} else {
		AmountOrAll::Amount(amount(reader, base))
	}
}

fn wallet(who: &AccountId, asset: u32) -> Balance {
	Assets::balance(asset, who)
}

/// The oracle's price of `asset`, if fresh.
fn price(asset: u32) -> Option<FixedU128> {
	<Oracle as PriceProvider>::price(asset).ok().map(|price| price.value)
}

/// How much more of `asset` `who` may borrow: its borrow limit less its debt, in `asset`.
fn borrow_room(who: &AccountId, asset: u32) -> Balance {
	let Ok(liquidity) = Lending::liquidity(who) else { return 0 };
	let room = liquidity.borrow_limit.saturating_sub(liquidity.debt_value);
	price(asset)
		.and_then(|price| lever_primitives::amount_for_usd(room, Assets::decimals(asset), price))
		.unwrap_or(0)
}

/// About how much more lvUSD `who`'s vault of `asset` may mint: its collateral's value over the
/// type's liquidation ratio, in lvUSD (the pallet checks the exact limit).
fn mint_room(who: &AccountId, asset: u32) -> Balance {
	let collateral =
		pallet_vaults::Vaults::<Runtime>::get(asset, who).map_or(0, |vault| vault.collateral);
	let ratio = pallet_vaults::CollateralTypes::<Runtime>::get(asset)
		.map_or(FixedU128::from(2), |kind| kind.params.liquidation_ratio);
	price(asset)
		.and_then(|price| lever_primitives::usd_value(collateral, Assets::decimals(asset), price))
		.and_then(|value| value.checked_div(&ratio))
		.map_or(0, |room| room.saturating_mul_int(LVUSD_UNIT))
}

fn ratio(reader: &mut Reader) -> FixedU128 {
	FixedU128::from_rational(u128::from(reader.u16() % 5_000), 1_000)
}

fn slippage(reader: &mut Reader) -> Permill {
	Permill::from_parts(reader.per_mille().saturating_mul(100).min(1_000_000))
}

/// A vault's key from the stored vaults (the first 32), or any collateral type and user.
fn some_vault(reader: &mut Reader, users: &[AccountId]) -> (u32, AccountId) {
	let stored: Vec<(u32, AccountId)> =
		pallet_vaults::Vaults::<Runtime>::iter_keys().take(32).collect();
	match stored.len() {
		0 => (market(reader), users[usize::from(reader.choose(users.len() as u8))].clone()),
		n => stored[usize::from(reader.byte()) % n].clone(),
	}
}

/// An auction's id from the running auctions, or any small id.
fn some_auction(reader: &mut Reader) -> u32 {
	let running: Vec<u32> = pallet_liquidation::Auctions::<Runtime>::iter_keys().collect();
	match running.len() {
		0 => u32::from(reader.byte()),
		n => running[usize::from(reader.byte()) % n],
	}
}

/// One of the AMM's pools (the first eight), as its two assets.
fn some_pool(reader: &mut Reader) -> Option<(AmmAsset, AmmAsset)> {
	let pools: Vec<(AmmAsset, AmmAsset)> =
		pallet_asset_conversion::Pools::<Runtime>::iter_keys().take(8).collect();
	match pools.len() {
		0 => None,
		n => Some(pools[usize::from(reader.byte()) % n].clone()),
	}
}

/// What `who` holds of an AMM asset.
fn amm_wallet(who: &AccountId, asset: &AmmAsset) -> Balance {
	match asset {
		AmmAsset::Native => lever_runtime::Balances::free_balance(who),
		AmmAsset::WithId(id) => wallet(who, *id),
	}
}

/// The next call of user `who` (one of `users`) in `format`; `None` when the input is
/// exhausted. Must run inside the chain's state (amounts are drawn from what the user holds
/// now).
pub fn decode(
	reader: &mut Reader,
	format: Format,
	who: &AccountId,
	users: &[AccountId],
) -> Option<RuntimeCall> {
	if reader.is_empty() {
		return None;
	}
	let other = |reader: &mut Reader| users[usize::from(reader.choose(users.len() as u8))].clone();
	use pallet_lending::Call as Lending_;
	use pallet_liquidation::Call as Engine;
	use pallet_vaults::Call as Vaults;
	let call = match reader.choose(format.call_kinds()) {
		0 | 1 => {
			let asset = market(reader);
			RuntimeCall::Lending(Lending_::supply {
				asset,
				amount: amount(reader, wallet(who, asset)),
			})
		},
		2 => {
			let asset = market_of(reader, &lending_markets(who));
			let supplied = Lending::supplied(who, asset).unwrap_or_default();
			RuntimeCall::Lending(Lending_::withdraw {
				asset,
				amount: amount_or_all(reader, supplied),
			})
		},
		3 | 4 => {
			let asset = market(reader);
			RuntimeCall::Lending(Lending_::borrow {
				asset,
				amount: amount(reader, borrow_room(who, asset)),
			})
		},
		5 => {
			let asset = market_of(reader, &lending_markets(who));
			let owed = Lending::debt(who, asset).unwrap_or_default();
			RuntimeCall::Lending(Lending_::repay { asset, amount: amount_or_all(reader, owed) })
		},
		6 => {
			let asset = market_of(reader, &lending_markets(who));
			if reader.choose(2) == 0 {
				RuntimeCall::Lending(Lending_::enable_collateral { asset })
			} else {
				RuntimeCall::Lending(Lending_::disable_collateral { asset })
			}
		},
		7 => {
			let debtors: Vec<AccountId> =
				pallet_lending::Borrowers::<Runtime>::iter_keys().take(16).collect();
			let borrower = match debtors.len() {
				0 => other(reader),
				n => debtors[usize::from(reader.byte()) % n].clone(),
			};
			let markets = lending_markets(&borrower);
			let (debt_asset, collateral_asset) =
				(market_of(reader, &markets), market_of(reader, &markets));
			let owed = Lending::debt(&borrower, debt_asset).unwrap_or_default();
			RuntimeCall::Lending(Lending_::liquidate {
				borrower,
				debt_asset,
				collateral_asset,
				max_repay: amount(reader, owed),
				seized_as: if reader.choose(2) == 0 { SeizedAs::Tokens } else { SeizedAs::Shares },
			})
		},
		8 => {
			let asset = market(reader);
			RuntimeCall::Vaults(Vaults::open {
				asset,
				collateral: amount(reader, wallet(who, asset)),
			})
		},
		9 => {
			let asset = market_of(reader, &vaults(who));
			RuntimeCall::Vaults(Vaults::deposit {
				asset,
				amount: amount(reader, wallet(who, asset)),
			})
		},
		10 => {
			let asset = market_of(reader, &vaults(who));
			let held = pallet_vaults::Vaults::<Runtime>::get(asset, who)
				.map_or(0, |vault| vault.collateral);
			RuntimeCall::Vaults(Vaults::withdraw { asset, amount: amount_or_all(reader, held) })
		},
		11 | 12 => {
			let asset = market_of(reader, &vaults(who));
			RuntimeCall::Vaults(Vaults::mint {
				asset,
				amount: amount(reader, mint_room(who, asset)),
			})
		},
		13 => {
			let asset = market_of(reader, &vaults(who));
			RuntimeCall::Vaults(Vaults::repay {
				asset,
				amount: amount_or_all(reader, wallet(who, LVUSD)),
			})
		},
		14 => RuntimeCall::Vaults(Vaults::close { asset: market_of(reader, &vaults(who)) }),
		15 => {
			let pool = asset(reader);
			RuntimeCall::Liquidation(Engine::deposit {
				pool,
				amount: amount(reader, wallet(who, pool)),
			})
		},
		16 => {
			let pool = asset(reader);
			let deposit = pallet_liquidation::Deposits::<Runtime>::get(pool, who)
				.map_or(0, |deposit| deposit.amount);
			RuntimeCall::Liquidation(Engine::withdraw {
				pool,
				amount: amount_or_all(reader, deposit),
			})
		},
		17 => RuntimeCall::Liquidation(Engine::flag { account: other(reader) }),
		18 => {
			let auction = some_auction(reader);
			RuntimeCall::Liquidation(Engine::take {
				auction,
				max_collateral: amount(reader, u128::MAX / 2),
				max_price: FixedU128::from_rational(u128::from(reader.u16()), 1),
			})
		},
		19 => {
			let (from, to) = (asset(reader), asset(reader));
			RuntimeCall::AssetConversion(
				pallet_asset_conversion::Call::swap_exact_tokens_for_tokens {
					path: vec![Box::new(AmmAsset::WithId(from)), Box::new(AmmAsset::WithId(to))],
					amount_in: amount(reader, wallet(who, from)),
					amount_out_min: 0,
					send_to: who.clone(),
					keep_alive: reader.choose(2) == 0,
				},
			)
		},
		20 => {
			let (collateral, debt) = (market(reader), market(reader));
			RuntimeCall::Leverage(pallet_leverage::Call::lever_up {
				collateral,
				debt,
				deposit: amount(reader, wallet(who, collateral)),
				target: pallet_leverage::LeverTarget::Leverage(ratio(reader)),
				max_slippage: slippage(reader),
				min_health: ratio(reader),
			})
		},
		21 => {
			let (collateral, debt) = (market(reader), market(reader));
			let owed = Lending::debt(who, debt).unwrap_or_default();
			RuntimeCall::Leverage(pallet_leverage::Call::lever_down {
				collateral,
				debt,
				repay: amount_or_all(reader, owed),
				max_slippage: slippage(reader),
				min_health: ratio(reader),
			})
		},
		22 => {
			let asset = asset(reader);
			let to = other(reader);
			RuntimeCall::Assets(pallet_assets::Call::transfer {
				id: codec::Compact(asset),
				target: to.into(),
				amount: amount(reader, wallet(who, asset)),
			})
		},
		24 => {
			let asset = market_of(reader, &vaults(who));
			let held = pallet_vaults::Vaults::<Runtime>::get(asset, who)
				.map_or(0, |vault| vault.collateral);
			let deposit =
				if reader.choose(2) == 0 { 0 } else { amount(reader, wallet(who, asset)) };
			let mint =
				if reader.choose(2) == 0 { 0 } else { amount(reader, mint_room(who, asset)) };
			let repay = (reader.choose(2) == 0).then(|| amount_or_all(reader, wallet(who, LVUSD)));
			let withdraw = (reader.choose(2) == 0).then(|| amount_or_all(reader, held));
			RuntimeCall::Vaults(Vaults::adjust { asset, deposit, mint, repay, withdraw })
		},
		25 => RuntimeCall::Vaults(Vaults::redeem { amount: amount(reader, wallet(who, LVUSD)) }),
		26 => {
			let (asset, owner) = some_vault(reader, users);
			RuntimeCall::Vaults(Vaults::settle_vault { asset, owner })
		},
		27 => RuntimeCall::Vaults(Vaults::fix_redemption {}),
		28 => RuntimeCall::Liquidation(Engine::snip { auction: some_auction(reader) }),
		29 => {
			let (first, second) = some_pool(reader)?;
			RuntimeCall::AssetConversion(pallet_asset_conversion::Call::add_liquidity {
				amount1_desired: amount(reader, amm_wallet(who, &first)),
				amount2_desired: amount(reader, amm_wallet(who, &second)),
				asset1: Box::new(first),
				asset2: Box::new(second),
				amount1_min: 0,
				amount2_min: 0,
				mint_to: who.clone(),
			})
		},
		30 => {
			let (first, second) = some_pool(reader)?;
			let lp =
				pallet_asset_conversion::Pools::<Runtime>::get((first.clone(), second.clone()))
					.map_or(0, |pool| lever_runtime::PoolAssets::balance(pool.lp_token, who));
			RuntimeCall::AssetConversion(pallet_asset_conversion::Call::remove_liquidity {
				asset1: Box::new(first),
				asset2: Box::new(second),
				lp_token_burn: amount(reader, lp),
				amount1_min_receive: 0,
				amount2_min_receive: 0,
				withdraw_to: who.clone(),
			})
		},
		31 => RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: other(reader).into(),
			value: amount(reader, lever_runtime::Balances::free_balance(who)),
		}),
		32 => RuntimeCall::Vaults(Vaults::save { amount: amount(reader, wallet(who, LVUSD)) }),
		33 => {
			let saved = pallet_vaults::Pallet::<Runtime>::savings_of(who);
			RuntimeCall::Vaults(Vaults::withdraw_savings { amount: amount_or_all(reader, saved) })
		},
		34 => RuntimeCall::Psm(pallet_psm::Call::mint {
			internal_asset: LVUSD,
			external_asset: dev_assets::USDC.id,
			external_amount: amount(reader, wallet(who, dev_assets::USDC.id)),
			max_fee: slippage(reader),
		}),
		35 => RuntimeCall::Psm(pallet_psm::Call::redeem {
			internal_asset: LVUSD,
			external_asset: dev_assets::USDC.id,
			internal_amount: amount(reader, wallet(who, LVUSD)),
			max_fee: slippage(reader),
		}),
		36 | 37 => {
			let position = if reader.choose(2) == 0 {
				lever_primitives::ProtectedPosition::Vault(market_of(reader, &vaults(who)))
			} else {
				lever_primitives::ProtectedPosition::Lending {
					collateral: market(reader),
					debt: market(reader),
				}
			};
			if reader.choose(4) == 0 {
				RuntimeCall::Leverage(pallet_leverage::Call::unprotect { position })
			} else {
				RuntimeCall::Leverage(pallet_leverage::Call::protect {
					position,
					trigger: ratio(reader),
					target: ratio(reader),
					max_slippage: slippage(reader),
				})
			}
		},
		_ => {
			let length = usize::from(reader.byte());
			RuntimeCall::decode(&mut reader.bytes(length)).ok()?
		},
	};
	Some(call)
}
