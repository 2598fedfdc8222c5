//! Genesis presets: `development` (Alice alone authors, finalizes, feeds prices and holds sudo) and
//! `local_testnet` (Alice, Bob, Charlie and Dave validate and feed prices, quorum 3 of 4; no sudo:
//! the risk council and referenda govern it). Both
//! fund the well-known dev accounts in LVR, list the [`dev_assets`] minted to them, open a lending
//! market for each and a vault collateral type for DOT, ETH and BTC, and create lvUSD. The treasury
//! seeds an AMM pool of each volatile test asset against USDC at the price server's reference
//! prices, and lvUSD pools against DOT and USDC with the lvUSD of its own genesis DOT vault.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

pub mod amm;
pub mod dev_assets;
pub mod lending;
pub mod vaults;

use amm::{test_asset_pool_funding, test_asset_pools, treasury_vault};
use lending::{test_asset_markets, test_credit_policy};
use vaults::{
	genesis_savings_rate, test_asset_collateral_types, test_asset_peg_reserves,
	GENESIS_GLOBAL_DEBT_CEILING,
};

use crate::{
	configs::{
		assets::FIRST_USER_ASSET_ID,
		lending::TreasuryAccount,
		vaults::{vaults_account, LVUSD, LVUSD_DECIMALS, LVUSD_MIN_BALANCE},
	},
	currency::UNIT,
	AccountId, AssetConversionConfig, AssetsConfig, BalancesConfig, LendingConfig, OracleConfig,
	RiskCouncilConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig,
	TrackPeriodsConfig, ValidatorSetConfig, VaultsConfig,
};
use pallet_oracle::FeederId;
use pallet_track_periods::Periods;

/// LVR given to each endowed dev account: enough for fees and deposits in every test.
pub const DEV_ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// LVR the treasury holds at genesis, so it can hold the genesis pools' LP tokens.
pub const TREASURY_ENDOWMENT: crate::Balance = 1_000 * UNIT;

/// A validator from a well-known dev seed: its account (sr25519) and session keys, Aura and the
/// oracle's `orcl` (sr25519) and GRANDPA (ed25519), the keys `lever-node --alice` (or
/// `key insert --suri //Alice`) puts in the keystore.
fn dev_validator(keyring: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, SessionKeys) {
	let aura: AuraId = keyring.public().into();
	let grandpa: GrandpaId = grandpa.public().into();
	let oracle = FeederId::from(keyring.public());
	(keyring.to_account_id(), SessionKeys { aura, grandpa, oracle })
}

/// The genesis state shared by every preset, with the given validators (Aura, GRANDPA and the
/// oracle take their keys from the session's genesis), price quorum, sudo key (none on a public
/// network) and risk council. Dev assets are owned by Alice.
fn lever_genesis(
	validators: Vec<(AccountId, SessionKeys)>,
	min_feeders: u32,
	endowed_accounts: Vec<AccountId>,
	root: Option<AccountId>,
	risk_council: Vec<AccountId>,
) -> Value {
	let asset_owner = Sr25519Keyring::Alice.to_account_id();
	let treasury = TreasuryAccount::get();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|who| (who, DEV_ENDOWMENT))
				.chain([(treasury.clone(), TREASURY_ENDOWMENT)])
				.collect(),
		},
		validator_set: ValidatorSetConfig {
			validators: validators.iter().map(|(who, _)| who.clone()).collect(),
		},
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|(who, keys)| (who.clone(), who.clone(), keys.clone()))
				.collect(),
		},
		sudo: SudoConfig { key: root },
		risk_council: RiskCouncilConfig { members: risk_council },
		track_periods: TrackPeriodsConfig { periods: Some(TEST_TRACK_PERIODS) },
		oracle: OracleConfig {
			assets: dev_assets::ALL.iter().map(|asset| asset.id).collect(),
			min_feeders,
		},
		assets: AssetsConfig {
			assets: dev_assets::ALL
				.iter()
				.map(|asset| (asset.id, asset_owner.clone(), true, asset.min_balance()))
				.chain([(LVUSD, vaults_account(), true, LVUSD_MIN_BALANCE)])
				.collect(),
			metadata: dev_assets::ALL
				.iter()
				.map(|asset| (asset.id, asset.name.into(), asset.symbol.into(), asset.decimals))
				.chain([(LVUSD, "Lever USD".into(), "lvUSD".into(), LVUSD_DECIMALS)])
				.collect(),
			accounts: dev_assets::ALL
				.iter()
				.flat_map(|asset| {
					endowed_accounts
						.iter()
						.map(move |who| (asset.id, who.clone(), asset.genesis_balance()))
				})
				.chain(test_asset_pool_funding().into_iter().map(|(asset, amount)| (
					asset,
					treasury.clone(),
					amount
				)),)
				.collect(),
			next_asset_id: Some(FIRST_USER_ASSET_ID),
		},
		asset_conversion: AssetConversionConfig { pools: test_asset_pools(&treasury) },
		lending: LendingConfig {
			markets: test_asset_markets(),
			credit_policy: Some(test_credit_policy()),
		},
		vaults: VaultsConfig {
			collateral_types: test_asset_collateral_types(),
			global_debt_ceiling: GENESIS_GLOBAL_DEBT_CEILING,
			vaults: vec![treasury_vault(&treasury)],
			savings_rate: genesis_savings_rate(),
			peg_reserves: test_asset_peg_reserves(),
		},
	})
}

/// The referendum periods of the dev presets, in 6-second blocks: 12 s to prepare, up to five
/// minutes to decide, 18 s of confirmation and a minute's enactment delay, so a referendum
/// passes within minutes in tests and drills.
pub const TEST_TRACK_PERIODS: Periods<crate::BlockNumber> =
	Periods { prepare: 2, decision: 50, confirm: 3, enactment: 10 };

/// The well-known dev accounts (Alice to Ferdie and their stashes) that every dev genesis funds.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// The risk council of the dev presets: Alice, Bob and Charlie, so a motion passes with two
/// of them and a shutdown needs two too (two thirds of three).
fn dev_risk_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// `development`: Alice is the only validator and the sudo key; Alice, Bob and Charlie sit on the
/// risk council.
pub fn development_config_genesis() -> Value {
	lever_genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		1,
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		dev_risk_council(),
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate; no sudo key (governance is the risk
/// council, Alice, Bob and Charlie, and referenda).
pub fn local_config_genesis() -> Value {
	lever_genesis(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		3,
		dev_accounts(),
		None,
		dev_risk_council(),
	)
}

/// The JSON patch of the preset with the given name, if the runtime has one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(serde_json::to_string(&patch).map(|json| json.into_bytes()).unwrap_or_default())
}

/// The names of the runtime's presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

/// The whole genesis config of the named preset as JSON: its patch merged over the default
/// config, as chain-spec builders apply it. For tests that build a preset's state.
#[cfg(feature = "std")]
pub fn preset_config(preset: &str) -> Option<Vec<u8>> {
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			},
			(base, patch) => *base = patch,
		}
	}
	let patch = serde_json::from_slice(&get_preset(&PresetId::from(preset))?).ok()?;
	let mut config = serde_json::to_value(crate::RuntimeGenesisConfig::default()).ok()?;
	merge(&mut config, patch);
	serde_json::to_vec(&config).ok()
}
