//! The command line of lever-node: run a node (the default) or one of the subcommands.

/// lever-node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one, the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options for running the node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// An HTTP price source for this node's oracle offchain worker, as
	/// `ASSET_ID=URL#JSON_POINTER`, e.g. `1=http://127.0.0.1:8000/price/DOT#/usd`. Repeat it for
	/// more sources and assets; the node stores them in its offchain storage at start.
	#[arg(long = "price-source", value_name = "ASSET=URL#POINTER")]
	pub price_sources: Vec<crate::price_sources::PriceSourceArg>,
}

/// lever-node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys (e.g. a validator's aura and gran keys).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`--raw` for the storage-level form validators share).
	#[allow(deprecated)]
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification without touching any database.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: runtime pallets (needs a build with `--features runtime-benchmarks`), blocks,
	/// storage, extrinsics, block overhead and this machine.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
