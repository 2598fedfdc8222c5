//! The committed chain specs in `chain-specs/` must match what this lever-node generates from the
//! runtime's presets, except for the runtime's wasm blob: that blob depends on the machine and
//! path it was compiled on, so it is left out of the comparison (see the README).
//! Regenerate the files with `scripts/chain-specs.sh`.

use std::{path::PathBuf, process::Command};

use serde_json::Value;

/// The storage key of the runtime code, `:code`, in a raw spec.
const CODE_KEY: &str = "0x3a636f6465";

/// Removes the wasm blob from a plain or raw chain spec.
fn without_code(mut spec: Value) -> Value {
	if let Some(genesis) = spec.get_mut("genesis") {
		if let Some(runtime) = genesis.get_mut("runtimeGenesis").and_then(Value::as_object_mut) {
			runtime.remove("code");
		}
		if let Some(top) = genesis.pointer_mut("/raw/top").and_then(Value::as_object_mut) {
			top.remove(CODE_KEY);
		}
	}
	spec
}

/// The spec lever-node exports for `chain`, parsed.
fn generated(chain: &str, raw: bool) -> Value {
	let mut command = Command::new(env!("CARGO_BIN_EXE_lever-node"));
	command.args(["export-chain-spec", "--chain", chain]);
	if raw {
		command.arg("--raw");
	}
	let output = command.output().expect("lever-node runs");
	assert!(
		output.status.success(),
		"export-chain-spec --chain {chain} failed: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	serde_json::from_slice(&output.stdout).expect("lever-node prints a JSON chain spec")
}

/// The committed spec `chain-specs/<file>`, parsed.
fn committed(file: &str) -> Value {
	let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../chain-specs").join(file);
	let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
		panic!("{} is missing ({e}); run scripts/chain-specs.sh", path.display())
	});
	serde_json::from_str(&text).expect("the committed chain spec is JSON")
}

fn assert_matches(chain: &str, raw: bool, file: &str) {
	let fresh = generated(chain, raw);
	let stored = committed(file);
	assert!(
		fresh.pointer("/genesis/runtimeGenesis/code").is_some()
			|| fresh.pointer(&format!("/genesis/raw/top/{CODE_KEY}")).is_some(),
		"the generated spec carries the runtime code"
	);
	assert!(
		without_code(fresh) == without_code(stored),
		"chain-specs/{file} is out of date: run scripts/chain-specs.sh and commit the result"
	);
}

#[test]
fn dev_spec_is_up_to_date() {
	assert_matches("dev", false, "dev.json");
}

#[test]
fn local_testnet_spec_is_up_to_date() {
	assert_matches("local", false, "local-testnet.json");
}

#[test]
fn local_testnet_raw_spec_is_up_to_date() {
	assert_matches("local", true, "local-testnet-raw.json");
}
