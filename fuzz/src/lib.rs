//! # Lever's runtime fuzzer
//!
//! A fuzz input is a byte string; [`run`] decodes it into blocks and runs them through the real
//! `lever-runtime` on its development genesis ([`chain::Chain`]): each block lapses one or more
//! 6-second slots (sometimes past the oracle's maximum price age), may carry an oracle round
//! submitted and authorized exactly as a validator's offchain worker submits it (with price
//! moves from small steps to crashes and jumps the breaker holds, or no round at all), may carry
//! a governance call through sudo, and carries up to five calls signed by the fuzz users
//! ([`calls::decode`]). After every block, [`invariants::Watch`] checks the safety and liveness
//! invariants; the first broken one ends the run as a [`Violation`]. A panic anywhere in the
//! runtime is a failure too.
//!
//! `LEVER_FUZZ_TRACE=1` prints every signed call and its result as it runs.
//!
//! The same input always runs the same way: `lever-fuzz replay` replays saved inputs, `lever-fuzz
//! random` runs seeded random inputs, and `scripts/fuzz.sh` runs the coverage-guided campaign.

pub mod calls;
pub mod chain;
pub mod governance;
pub mod input;
pub mod invariants;

use chain::{Chain, Signer};
use frame_support::traits::fungible::Mutate as _;
use frame_support::traits::fungibles::Mutate as _;
pub use input::Format;
use input::Reader;
pub use invariants::Violation;
use lever_primitives::PriceProvider;
use lever_runtime::{
	genesis::dev_assets::{self, TestAsset},
	AccountId, Assets, Balances, Oracle, RuntimeCall, System,
};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{BoundedVec, FixedU128};
use std::collections::BTreeSet;

/// Fuzz users.
pub const USERS: u8 = 8;
/// Blocks one input may run at most.
pub const MAX_BLOCKS: u32 = 96;
/// Calls per block at most.
const MAX_CALLS: u8 = 6;
/// Each user's starting wallet, per asset, in dollars at the reference price.
const WALLET_DOLLARS: u128 = 2_000_000;
/// What the base lender supplies to each market, in dollars at the reference price.
const LENDER_DOLLARS: u128 = 5_000_000;

/// What a run did.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
	/// Blocks run.
	pub blocks: u32,
	/// Calls submitted (signed, governance and oracle rounds).
	pub calls: u32,
	/// Calls that dispatched without error.
	pub succeeded: u32,
	/// What the checked blocks held.
	pub seen: invariants::Seen,
}

impl Stats {
	/// Adds another run's figures.
	pub fn add(&mut self, other: &Stats) {
		self.blocks = self.blocks.saturating_add(other.blocks);
		self.calls = self.calls.saturating_add(other.calls);
		self.succeeded = self.succeeded.saturating_add(other.succeeded);
		self.seen.add(&other.seen);
	}
}

impl std::fmt::Display for Stats {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(
			f,
			"{} blocks, {} calls ({} dispatched without error), {} liquidations, {} write-offs, {} unsafe positions seen after a block, {} stuck-checks (calls tried and rolled back), {} blocks after a shutdown",
			self.blocks,
			self.calls,
			self.succeeded,
			self.seen.liquidations,
			self.seen.write_offs,
			self.seen.unsafe_positions,
			self.seen.moves_tried,
			self.seen.shut_down_blocks
		)
	}
}

/// `dollars` worth of `asset` at its reference price, in its smallest unit.
fn worth(asset: TestAsset, dollars: u128) -> u128 {
	dollars.saturating_mul(100).saturating_mul(asset.unit()) / u128::from(asset.reference_cents)
}

/// The fuzz users' keys (fixed seeds, so every run has the same accounts).
fn user_keys() -> Vec<sp_core::ed25519::Pair> {
	(0..USERS)
		.map(|i| sp_core::ed25519::Pair::from_seed(&[i.saturating_add(1); 32]))
		.collect()
}

/// The run's market: the oracle's price per test asset, in millionths of a dollar.
struct Prices {
	micros: Vec<(TestAsset, u128)>,
}

impl Prices {
	fn reference() -> Self {
		Self {
			micros: dev_assets::ALL
				.iter()
				.map(|asset| (*asset, u128::from(asset.reference_cents).saturating_mul(10_000)))
				.collect(),
		}
	}

	/// Moves each asset's price by the input's choice (at least one millionth of a dollar).
	fn move_by(&mut self, reader: &mut Reader) {
		for (_, micros) in self.micros.iter_mut() {
			*micros = (*micros * u128::from(input::price_move(reader)) / 1_000).max(1);
		}
	}

	/// Submits this round's prices as the validator (Alice, the development feeder) does.
	fn feed(&self) -> bool {
		let feeder = Sr25519Keyring::Alice.pair();
		let payload = pallet_oracle::PricesPayload {
			feeder: pallet_oracle::FeederId::from(feeder.public()),
			round: Oracle::current_round(),
			prices: BoundedVec::truncate_from(
				self.micros
					.iter()
					.map(|(asset, micros)| (asset.id, FixedU128::from_rational(*micros, 1_000_000)))
					.collect(),
			),
		};
		let signature =
			pallet_oracle::FeederSignature::from(feeder.sign(&Oracle::signing_bytes(&payload)));
		let call = RuntimeCall::Oracle(pallet_oracle::Call::submit_prices { payload, signature });
		matches!(Chain::apply_authorized(call), Ok(Ok(())))
	}
}

/// Funds the users and the base lender (who supplies every market), feeds reference prices.
fn set_up(chain: &mut Chain, users: &[AccountId], prices: &Prices) {
	chain.start_block(1);
	chain.execute_with(|| {
		assert!(prices.feed(), "the first oracle round is accepted");
		let lender = Sr25519Keyring::Bob.pair();
		let lender_id = Signer::Sr25519(&lender).account();
		for who in users.iter().chain([&lender_id]) {
			Balances::mint_into(who, 1_000_000_000_000_000).expect("native funding");
			for asset in dev_assets::ALL {
				Assets::mint_into(asset.id, who, worth(asset, WALLET_DOLLARS + LENDER_DOLLARS))
					.expect("asset funding");
			}
		}
		for asset in dev_assets::ALL {
			let call = RuntimeCall::Lending(pallet_lending::Call::supply {
				asset: asset.id,
				amount: worth(asset, LENDER_DOLLARS),
			});
			let result = Chain::apply_signed(&Signer::Sr25519(&lender), call);
			assert!(matches!(result, Ok(Ok(()))), "the base lender supplies: {result:?}");
		}
	});
	chain.finish_block();
}

/// Runs `data`, read in the latest [`Format`], as blocks on a fresh development chain and checks
/// every invariant after every block. Deterministic: the same input gives the same result.
pub fn run(data: &[u8]) -> Result<Stats, Violation> {
	run_in(Format::LATEST, data)
}

/// Runs `data` read in `format` (an input saved in an older format replays as it ran).
pub fn run_in(format: Format, data: &[u8]) -> Result<Stats, Violation> {
	run_keeping_chain(format, data).1
}

/// Runs `data` read in `format` and returns the chain as the run left it (to test what a
/// populated chain does next, such as a runtime upgrade) with the run's result.
pub fn run_keeping_chain(format: Format, data: &[u8]) -> (Chain, Result<Stats, Violation>) {
	let mut chain = Chain::dev();
	let result = drive(&mut chain, format, data);
	(chain, result)
}

/// Sets up `chain` and runs `data` on it, checking every invariant after every block.
fn drive(chain: &mut Chain, format: Format, data: &[u8]) -> Result<Stats, Violation> {
	let keys = user_keys();
	let users: Vec<AccountId> = keys.iter().map(|pair| Signer::Ed25519(pair).account()).collect();
	let mut prices = Prices::reference();
	set_up(chain, &users, &prices);
	let mut watch = chain.execute_with(|| invariants::Watch::new(&users));
	let sudo = Sr25519Keyring::Alice.pair();
	let mut reader = Reader::new(data);
	let mut stats = Stats::default();
	let trace = std::env::var_os("LEVER_FUZZ_TRACE").is_some();
	while !reader.is_empty() && stats.blocks < MAX_BLOCKS {
		let lapse = input::lapse(&mut reader);
		if trace {
			eprintln!("next block after {lapse} slots");
		}
		let engine_weight = chain.start_block(lapse);
		let block = chain.execute_with(|| {
			let stale_start = dev_assets::ALL
				.iter()
				.any(|asset| <Oracle as PriceProvider>::price(asset.id).is_err());
			let mut signers = BTreeSet::new();
			let round = reader.byte();
			let mut fed = None;
			if !round.is_multiple_of(4) {
				if round.is_multiple_of(3) {
					prices.move_by(&mut reader);
				}
				stats.calls = stats.calls.saturating_add(1);
				if prices.feed() {
					stats.succeeded = stats.succeeded.saturating_add(1);
					fed = Some(invariants::Round {
						at: pallet_oracle::Clock::<lever_runtime::Runtime>::now_ms(),
						prices: prices
							.micros
							.iter()
							.map(|(asset, micros)| (asset.id, *micros))
							.collect(),
					});
				}
			}
			if reader.choose(16) == 0 {
				let call = governance::decode(&mut reader, format, &prices.micros, &users);
				stats.calls = stats.calls.saturating_add(1);
				if matches!(Chain::apply_signed(&Signer::Sr25519(&sudo), call), Ok(Ok(()))) {
					stats.succeeded = stats.succeeded.saturating_add(1);
				}
			}
			for _ in 0..reader.choose(MAX_CALLS) {
				let index = usize::from(reader.choose(USERS));
				let (key, who) = (&keys[index], &users[index]);
				let Some(call) = calls::decode(&mut reader, format, who, &users) else { break };
				stats.calls = stats.calls.saturating_add(1);
				let traced = trace.then(|| format!("{call:?}"));
				let applied = Chain::apply_signed(&Signer::Ed25519(key), call);
				if let Some(call) = traced {
					eprintln!(
						"block {} user {index}: {call} -> {applied:?}",
						System::block_number()
					);
				}
				// Refused (it cannot pay the fee, or it is a signed inherent): left out of the
				// block, nothing happened.
				if let Ok(result) = applied {
					signers.insert(who.clone());
					if result.is_ok() {
						stats.succeeded = stats.succeeded.saturating_add(1);
					}
				}
			}
			(System::block_number(), signers, stale_start, fed)
		});
		chain.finish_block();
		stats.blocks = stats.blocks.saturating_add(1);
		let (number, signers, stale_start, fed) = block;
		if trace {
			chain.execute_with(|| {
				for record in System::events() {
					if matches!(
						record.event,
						lever_runtime::RuntimeEvent::Liquidation(_)
							| lever_runtime::RuntimeEvent::Oracle(_)
					) {
						eprintln!("block {number} event: {:?}", record.event);
					}
				}
			});
		}
		chain.execute_with(|| {
			watch.after_block(number, &signers, stale_start, engine_weight, fed)
		})?;
	}
	stats.seen = watch.seen;
	Ok(stats)
}

/// The saved inputs at `path` with the format each is read in: a file alone, or every file in a
/// directory and in its subdirectories one level down (a corpus keeps each format's inputs in
/// a subdirectory named after it, `v1`, `v2`, ...), sorted by path. A file outside a format's
/// directory is read in the latest format.
pub fn saved_inputs(path: &std::path::Path) -> Vec<(std::path::PathBuf, Format)> {
	let format_of = |file: &std::path::Path| {
		file.parent()
			.and_then(|dir| dir.file_name())
			.and_then(|name| name.to_str())
			.and_then(Format::from_dir_name)
			.unwrap_or(Format::LATEST)
	};
	let entries = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
		std::fs::read_dir(dir)
			.map(|entries| {
				entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect()
			})
			.unwrap_or_default()
	};
	let mut files = Vec::new();
	if path.is_dir() {
		for entry in entries(path) {
			if entry.is_dir() {
				files.extend(entries(&entry).into_iter().filter(|file| file.is_file()));
			} else if entry.is_file() {
				files.push(entry);
			}
		}
	} else {
		files.push(path.to_path_buf());
	}
	files.sort();
	files
		.into_iter()
		.map(|file| {
			let format = format_of(&file);
			(file, format)
		})
		.collect()
}

/// A deterministic stream of pseudo-random bytes (SplitMix64) for seeded runs without a
/// coverage-guided engine.
pub struct SeededBytes(u64);

impl SeededBytes {
	/// The stream for `seed`.
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}

	/// The next `n` bytes.
	pub fn take(&mut self, n: usize) -> Vec<u8> {
		let mut out = Vec::with_capacity(n);
		while out.len() < n {
			self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
			let mut z = self.0;
			z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
			z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
			z ^= z >> 31;
			out.extend_from_slice(&z.to_le_bytes());
		}
		out.truncate(n);
		out
	}
}
