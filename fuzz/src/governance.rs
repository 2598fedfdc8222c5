//! The governance calls the fuzzer submits through sudo, at a low rate: emergency, frozen and
//! thawed prices, lending market status, and (from [`Format::V2`]) auction parameters and caps,
//! the engine's AMM route, collateral types, the debt ceiling and the vault system's shutdown,
//! and (from [`Format::V3`]) the savings rate and the peg stability module's ceiling, and (from
//! [`Format::V4`]) permissioned pools: a market put in pool 0 or made public, a user's
//! credential granted or revoked.
//! Parameters are drawn near the chain's own, valid more often than not, so both the refusal of
//! bad parameters and the chain's life under new ones are exercised.

use crate::input::{price_move, Format, Reader};
use lever_runtime::{
	configs::vaults::{LVUSD, LVUSD_UNIT},
	genesis::dev_assets::TestAsset,
	AccountId, Balance, Runtime, RuntimeCall,
};
use pallet_liquidation::{AmmRoute, AuctionCurve, AuctionParams};
use pallet_vaults::{CollateralParams, CollateralStatus};
use sp_runtime::{FixedU128, Permill};

/// A debt amount in lvUSD from none to unlimited, favouring the edges.
fn debt_amount(reader: &mut Reader) -> Balance {
	const TABLE: [Balance; 8] =
		[0, 1, 100, 1_000, 10_000, 100_000, 5_000_000, Balance::MAX / LVUSD_UNIT];
	TABLE[usize::from(reader.choose(TABLE.len() as u8))].saturating_mul(LVUSD_UNIT)
}

/// A fraction between `low` and `low + span` thousandths.
fn thousandths(reader: &mut Reader, low: u32, span: u32) -> u32 {
	low.saturating_add(u32::from(reader.u16()) % span.max(1))
}

fn auction_params(reader: &mut Reader) -> AuctionParams {
	let curve = if reader.choose(2) == 0 {
		AuctionCurve::Linear { duration: u64::from(thousandths(reader, 0, 3_600)) }
	} else {
		AuctionCurve::Stairstep {
			step: u64::from(thousandths(reader, 0, 120)),
			cut: Permill::from_parts(thousandths(reader, 800, 220).saturating_mul(1_000)),
		}
	};
	AuctionParams {
		buffer: FixedU128::from_rational(u128::from(thousandths(reader, 900, 700)), 1_000),
		curve,
		tail: u64::from(thousandths(reader, 0, 7_200)),
		cusp: Permill::from_parts(thousandths(reader, 0, 700).saturating_mul(1_000)),
		max_debt: debt_amount(reader),
	}
}

/// `current` with one field moved: the liquidation ratio, the penalty, the minimum debt, the
/// ceiling, the target or whole-liquidation ratio, or the stability fee.
fn collateral_params(reader: &mut Reader, mut params: CollateralParams) -> CollateralParams {
	let ratio = |reader: &mut Reader| {
		FixedU128::from_rational(u128::from(thousandths(reader, 900, 1_200)), 1_000)
	};
	match reader.choose(7) {
		0 => params.liquidation_ratio = ratio(reader),
		1 => params.liquidation_penalty = Permill::from_percent(u32::from(reader.choose(30))),
		2 => params.min_debt = debt_amount(reader),
		3 => params.debt_ceiling = debt_amount(reader),
		4 => params.target_ratio = ratio(reader),
		5 => params.whole_liquidation_ratio = ratio(reader),
		_ => {
			params.stability_fee =
				FixedU128::from_rational(u128::from(reader.u16()), 1_000_000_000_000)
		},
	}
	params
}

/// The permissioned pool the fuzzer's governance uses.
const POOL: pallet_lending::PoolId = 0;

/// Puts the market of `asset` in [`POOL`] or makes it public; the first time, creates the pool
/// (issued by `issuer`) in the same batch.
fn market_pool(reader: &mut Reader, asset: u32, issuer: &AccountId) -> RuntimeCall {
	use pallet_lending::Call as Lending;
	let pool = (reader.choose(2) == 0).then_some(POOL);
	let set = RuntimeCall::Lending(Lending::set_market_pool { asset, pool });
	if pallet_lending::NextPoolId::<Runtime>::get() > POOL {
		return set;
	}
	let create = RuntimeCall::Lending(Lending::create_pool { issuer: issuer.clone() });
	RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![create, set] })
}

/// A governance call (through sudo) from the input, on one of `assets` (each with its current
/// price in millionths of a dollar) or one of `users`.
pub fn decode(
	reader: &mut Reader,
	format: Format,
	assets: &[(TestAsset, u128)],
	users: &[AccountId],
) -> RuntimeCall {
	let index = usize::from(reader.choose(assets.len() as u8));
	let (asset, micros) = assets[index];
	let asset = asset.id;
	let call = match reader.choose(format.governance_kinds()) {
		0 => RuntimeCall::Oracle(pallet_oracle::Call::set_emergency_price {
			asset,
			value: FixedU128::from_rational(
				micros * u128::from(price_move(reader)) / 1_000,
				1_000_000,
			),
		}),
		1 => RuntimeCall::Oracle(pallet_oracle::Call::freeze_asset { asset }),
		2 => RuntimeCall::Oracle(pallet_oracle::Call::unfreeze_asset { asset }),
		3 => RuntimeCall::Lending(pallet_lending::Call::set_market_status {
			asset,
			status: match reader.choose(3) {
				0 => pallet_lending::MarketStatus::Active,
				1 => pallet_lending::MarketStatus::Paused,
				_ => pallet_lending::MarketStatus::Frozen,
			},
		}),
		5 => RuntimeCall::Liquidation(pallet_liquidation::Call::set_auction_params {
			asset,
			params: auction_params(reader),
		}),
		6 => RuntimeCall::Liquidation(pallet_liquidation::Call::set_max_debt_in_auction {
			amount: debt_amount(reader),
		}),
		7 => RuntimeCall::Liquidation(pallet_liquidation::Call::set_amm_route {
			asset,
			route: match reader.choose(3) {
				0 => AmmRoute::Disabled,
				_ => AmmRoute::Enabled {
					max_slippage: Permill::from_parts(thousandths(reader, 0, 120) * 1_000),
				},
			},
		}),
		8 => {
			let current = pallet_vaults::CollateralTypes::<Runtime>::get(asset)
				.map(|kind| kind.params)
				.unwrap_or_else(|| {
					// A new type: start from the first genesis type's parameters.
					pallet_vaults::CollateralTypes::<Runtime>::iter_values()
						.next()
						.map(|kind| kind.params)
						.expect("the development genesis has collateral types")
				});
			RuntimeCall::Vaults(pallet_vaults::Call::set_collateral_type {
				asset,
				params: collateral_params(reader, current),
			})
		},
		9 => RuntimeCall::Vaults(pallet_vaults::Call::set_collateral_status {
			asset,
			status: if reader.choose(2) == 0 {
				CollateralStatus::Active
			} else {
				CollateralStatus::Paused
			},
		}),
		10 => RuntimeCall::Vaults(pallet_vaults::Call::set_global_debt_ceiling {
			ceiling: debt_amount(reader),
		}),
		// The shutdown ends the vault system for the rest of the run: rarer than the rest.
		11 if reader.choose(4) == 0 => RuntimeCall::Vaults(pallet_vaults::Call::shutdown {}),
		12 => RuntimeCall::Vaults(pallet_vaults::Call::set_savings_rate {
			rate: FixedU128::from_rational(u128::from(reader.u16()), 200_000),
		}),
		13 => RuntimeCall::Psm(pallet_psm::Call::set_max_debt {
			internal_asset: LVUSD,
			value: debt_amount(reader),
		}),
		14 => market_pool(reader, asset, &users[0]),
		15 => {
			let who = users[usize::from(reader.choose(users.len() as u8))].clone();
			if reader.choose(2) == 0 {
				RuntimeCall::Lending(pallet_lending::Call::grant_credential { pool: POOL, who })
			} else {
				RuntimeCall::Lending(pallet_lending::Call::revoke_credential { pool: POOL, who })
			}
		},
		_ => RuntimeCall::Lending(pallet_lending::Call::set_market_status {
			asset,
			status: pallet_lending::MarketStatus::Active,
		}),
	};
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}
