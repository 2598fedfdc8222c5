//! lever-node: the Lever validator and full node.

// Every command returns polkadot-sdk's `sc_cli::Error`, which is large; boxing it at each call
// site would only add noise.
#![allow(clippy::result_large_err)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod price_sources;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
