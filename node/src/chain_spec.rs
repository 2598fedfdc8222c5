//! The chain specifications lever-node knows by name, built from the runtime's genesis presets.

use lever_runtime::{currency, SS58_PREFIX, WASM_BINARY};
use sc_service::ChainType;

/// A Lever chain specification.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The chain properties wallets read: token symbol, decimals and address format.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), currency::SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

/// The runtime's wasm blob, or an error saying how to get one.
fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm blob is missing: lever-node was built with SKIP_WASM_BUILD set. \
		 Rebuild without it."
			.to_string()
	})
}

/// `dev`: a single-validator chain (Alice) for development.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Lever Development")
		.with_id("lever_dev")
		.with_protocol_id("lever")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `local`: a four-validator testnet (Alice, Bob, Charlie, Dave) on one machine.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("Lever Local Testnet")
		.with_id("lever_local_testnet")
		.with_protocol_id("lever")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The chain specification for a `--chain` value: a known name or a path to a JSON file.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development_chain_spec()?),
		"" | "local" => Box::new(local_testnet_chain_spec()?),
		path => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(path))?),
	})
}
