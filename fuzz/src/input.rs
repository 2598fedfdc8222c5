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
