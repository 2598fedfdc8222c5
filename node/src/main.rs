//! lever-node: the Lever validator and full node.

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
