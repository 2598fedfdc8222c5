//! How a fuzz input's bytes become blocks: every byte string decodes (a short one into few
//! blocks), so the engine spends no input on syntax, and a byte's meaning depends only on its
//! place, so a mutation changes one decision.

/// Reads decisions from the input; an exhausted input reads as zeros and ends the run after the
/// block being decoded.
pub struct Reader<'a> {
	data: &'a [u8],
}

impl<'a> Reader<'a> {
	/// A reader over `data`.
	pub fn new(data: &'a [u8]) -> Self {
		Self { data }
	}

	/// Whether every byte was read.
	pub fn is_empty(&self) -> bool {
		self.data.is_empty()
	}

	/// The next byte (zero once the input is exhausted).
	pub fn byte(&mut self) -> u8 {
		match self.data.split_first() {
			Some((first, rest)) => {
				self.data = rest;
				*first
			},
			None => 0,
		}
	}

	/// The next two bytes, little-endian.
	pub fn u16(&mut self) -> u16 {
		u16::from_le_bytes([self.byte(), self.byte()])
	}

	/// One of `n` choices (`n` at least one).
	pub fn choose(&mut self, n: u8) -> u8 {
		self.byte() % n.max(1)
	}

	/// A fraction in parts per 1,000 from a table that favours the edges (none, all, a little
	/// more than all) over the middle.
	pub fn per_mille(&mut self) -> u32 {
		const TABLE: [u32; 16] =
			[0, 1, 10, 100, 250, 500, 500, 750, 900, 990, 999, 1_000, 1_000, 1_001, 1_050, 2_000];
		TABLE[usize::from(self.choose(16))]
	}

	/// Up to `n` raw bytes (fewer at the end of the input).
	pub fn bytes(&mut self, n: usize) -> &'a [u8] {
		let (taken, rest) = self.data.split_at(n.min(self.data.len()));
		self.data = rest;
		taken
	}
}

/// A price move of one asset in a block, in parts per 1,000 of the current price, from crashes
/// (to 30%) and jumps the oracle's breaker holds (over 25%) to small steps.
pub fn price_move(reader: &mut Reader) -> u32 {
	const TABLE: [u32; 16] = [
		1_000, 1_000, 1_000, 990, 1_010, 970, 1_030, 900, 1_100, 800, 1_200, 700, 500, 1_300,
		1_500, 300,
	];
	TABLE[usize::from(reader.choose(16))]
}

/// How many 6-second slots pass before a block: mostly one, sometimes a few, and now and then
/// more than the oracle's maximum price age (a stale gap).
pub fn lapse(reader: &mut Reader) -> u64 {
	match reader.choose(16) {
		0..=11 => 1,
		12 | 13 => 2,
		14 => 5,
		_ => 12,
	}
}

/// How an input's bytes are read. Each format only appends choices to the one before it, so a
/// saved input replays exactly as it ran when it was saved; the corpus keeps each input under
/// the directory of its format (`fuzz/corpus/v1`, `v2`, ...), and new inputs use
/// [`Format::LATEST`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
	/// Lending, vault, backstop, auction, AMM swap, leverage and transfer calls; oracle and
	/// lending-market governance.
	V1,
	/// Adds vault `adjust`, the shutdown path (`settle_vault`, `fix_redemption`, `redeem`,
	/// `snip`), AMM liquidity, and governance of auctions, the AMM route, collateral types, the
	/// debt ceiling and shutdown.
	V2,
	/// Adds lvUSD's peg: savings (`save`, `withdraw_savings`) and swaps through the peg
	/// stability module both ways, and governance of the savings rate and the module's ceiling.
	V3,
	/// Adds permissioned pools: governance puts a lending market in pool 0 (creating it the
	/// first time) or makes it public, and grants or revokes a user's credential, so users'
	/// supplies and borrows there are refused or not while liquidation goes on regardless.
	V4,
	/// Adds protective auto-deleverage: `protect` of a vault or a lending pair with any trigger,
	/// target and slippage, and `unprotect`, so the engine's deleverages before liquidation
	/// meet every state the other calls reach.
	V5,
}

impl Format {
	/// The format new inputs are read in.
	pub const LATEST: Format = Format::V5;

	/// The format named by a corpus directory (`v1`, `v2`, ...).
	pub fn from_dir_name(name: &str) -> Option<Format> {
		match name {
			"v1" => Some(Format::V1),
			"v2" => Some(Format::V2),
			"v3" => Some(Format::V3),
			"v4" => Some(Format::V4),
			"v5" => Some(Format::V5),
			_ => None,
		}
	}

	/// The corpus directory name of this format.
	pub fn dir_name(self) -> &'static str {
		match self {
			Format::V1 => "v1",
			Format::V2 => "v2",
			Format::V3 => "v3",
			Format::V4 => "v4",
			Format::V5 => "v5",
		}
	}

	/// How many kinds of signed call the format knows.
	pub fn call_kinds(self) -> u8 {
		match self {
			Format::V1 => 24,
			Format::V2 => 32,
			Format::V3 | Format::V4 => 36,
			Format::V5 => 38,
		}
	}

	/// How many kinds of governance call the format knows.
	pub fn governance_kinds(self) -> u8 {
		match self {
			Format::V1 => 5,
			Format::V2 => 12,
			Format::V3 => 14,
			Format::V4 | Format::V5 => 16,
		}
	}
}
