//! The oracle's types: the feeders' key, the signed payload they submit, the offchain source
//! format, and the pure helpers (decimal parsing, median) that both sides share.

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use lever_primitives::AssetId;
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, FixedPointNumber, FixedU128};

/// The `orcl` key feeders sign price submissions with: sr25519, kept in the node's keystore.
pub mod crypto {
	use sp_application_crypto::{app_crypto, sr25519, KeyTypeId};

	/// The keystore key type of feeder keys.
	pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"orcl");

	app_crypto!(sr25519, KEY_TYPE);
}

/// A feeder, identified by its `orcl` public key.
pub type FeederId = crypto::Public;
/// A feeder's signature over a [`PricesPayload`].
pub type FeederSignature = crypto::Signature;
/// An oracle round: block number divided by the fetch interval.
pub type RoundIndex = u32;

/// Prefixed to every signed payload so a feeder's signature cannot be reused for anything else.
/// Version 2 follows it with the chain's genesis hash, so a signature made for one chain (a
/// testnet, a relaunch) is refused on every other.
pub const SIGNING_CONTEXT: &[u8] = b"lever/oracle/prices/v2";

/// The highest price a source may report, in USD per whole token; anything above is a broken
/// source, not a market.
pub const MAX_SANE_PRICE: u128 = 1_000_000_000_000;

/// One feeder's prices for one round, as signed by its `orcl` key.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
#[scale_info(skip_type_params(MaxAssets))]
pub struct PricesPayload<MaxAssets: Get<u32>> {
	/// The feeder that signed.
	pub feeder: FeederId,
	/// The round the prices are for; only the current round is accepted.
	pub round: RoundIndex,
	/// Price per asset in USD per whole token; each asset at most once.
	pub prices: BoundedVec<(AssetId, FixedU128), MaxAssets>,
}

impl<MaxAssets: Get<u32>> PricesPayload<MaxAssets> {
	/// The bytes the feeder signs for the chain whose genesis hash is `genesis`: the signing
	/// context, the genesis hash, then the payload's encoding. [`crate::Pallet::signing_bytes`]
	/// gives them for the chain it runs on.
	pub fn signing_bytes(&self, genesis: &[u8]) -> Vec<u8> {
		let mut bytes = SIGNING_CONTEXT.to_vec();
		bytes.extend_from_slice(genesis);
		self.encode_to(&mut bytes);
		bytes
	}
}

/// A feeder's latest submission for one asset.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Submission {
	/// The submitted price in USD per whole token.
	pub value: FixedU128,
	/// The round it was submitted for.
	pub round: RoundIndex,
}

/// An HTTP price source configured on a feeder node: a URL answering JSON, and where the price
/// sits in that JSON (an RFC 6901 pointer such as `/usd` or `/data/0/price`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PriceSource {
	/// The URL to GET.
	pub url: String,
	/// The JSON pointer of the price in the answer.
	pub pointer: String,
}

/// Parses a node's source list for one asset: one source per line, `URL POINTER`, blank lines and
/// lines starting with `#` ignored. Lines without a pointer or with a non-HTTP URL are skipped.
pub fn parse_sources(text: &str) -> Vec<PriceSource> {
	text.lines()
		.map(str::trim)
		.filter(|line| !line.is_empty() && !line.starts_with('#'))
		.filter_map(|line| {
			let mut parts = line.split_whitespace();
			let url = parts.next()?;
			let pointer = parts.next()?;
			let is_http = url.starts_with("http://") || url.starts_with("https://");
			(is_http && pointer.starts_with('/') && parts.next().is_none())
				.then(|| PriceSource { url: url.into(), pointer: pointer.into() })
		})
		.collect()
}

/// Parses a decimal number (`7.5`, `95000`, `1.2e-7`, as JSON writes numbers) into a
/// [`FixedU128`], truncating digits beyond its 18 decimals. Returns `None` for anything else:
/// signs, empty parts, more than 38 significant digits, or a value too large to represent.
pub fn parse_decimal(text: &str) -> Option<FixedU128> {
	let (mantissa, exponent) = match text.split_once(['e', 'E']) {
		Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().ok()?),
		None => (text, 0),
	};
	let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
	if integer.is_empty()
		|| !integer.bytes().all(|b| b.is_ascii_digit())
		|| !fraction.bytes().all(|b| b.is_ascii_digit())
		|| (mantissa.contains('.') && fraction.is_empty())
	{
		return None;
	}
	let digits = [integer, fraction].concat();
	let digits = digits.trim_start_matches('0');
	if digits.len() > 38 {
		return None;
	}
	let significand: u128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
	let fraction_len = i32::try_from(fraction.len()).ok()?;
	let scale = exponent.checked_sub(fraction_len)?.checked_add(18)?;
	let inner = if scale >= 0 {
		significand.checked_mul(10u128.checked_pow(u32::try_from(scale).ok()?)?)?
	} else {
		let divisor = u32::try_from(scale.checked_neg()?).ok()?;
		10u128.checked_pow(divisor).map_or(0, |d| significand / d)
	};
	Some(FixedU128::from_inner(inner))
}

/// Whether a reported price is usable: above zero and at most [`MAX_SANE_PRICE`].
pub fn is_sane_price(price: FixedU128) -> bool {
	!price.is_zero() && price <= FixedU128::saturating_from_integer(MAX_SANE_PRICE)
}

/// Whether a quorum of `quorum` can be reached by `feeders` feeders: the one rule governance
/// calls, genesis and the invariants check (a chain with no feeders at all is only a genesis case).
pub fn quorum_within(quorum: u32, feeders: usize) -> bool {
	quorum as usize <= feeders
}

/// The median of `values` (the mean of the two middle values for an even count), or `None` when
/// there are none. Sorts `values` in place.
pub fn median(values: &mut [FixedU128]) -> Option<FixedU128> {
	values.sort_unstable();
	let middle = values.len() / 2;
	let upper = *values.get(middle)?;
	if values.len() % 2 == 1 {
		return Some(upper);
	}
	let lower = *values.get(middle.checked_sub(1)?)?;
	let (a, b) = (lower.into_inner(), upper.into_inner());
	// The mean without overflow: halves first, then the carry of the two odd halves.
	Some(FixedU128::from_inner(a / 2 + b / 2 + (a % 2 + b % 2) / 2))
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::traits::One;

	fn fixed(n: u128, d: u128) -> FixedU128 {
		FixedU128::from_rational(n, d)
	}

	#[test]
	fn decimals_parse_exactly() {
		assert_eq!(parse_decimal("7.5"), Some(fixed(75, 10)));
		assert_eq!(parse_decimal("95000"), Some(FixedU128::from_u32(95_000)));
		assert_eq!(parse_decimal("0.000001"), Some(fixed(1, 1_000_000)));
		assert_eq!(parse_decimal("1.2e-7"), Some(fixed(12, 100_000_000)));
		assert_eq!(parse_decimal("3.5E3"), Some(FixedU128::from_u32(3500)));
		assert_eq!(parse_decimal("1.0000000000000000009"), Some(FixedU128::one()));
		assert_eq!(parse_decimal("0"), Some(FixedU128::zero()));
	}

	#[test]
	fn malformed_decimals_are_refused() {
		for bad in ["", "-1", "+1", "1.", ".5", "abc", "1e", "1.2.3", "NaN", "1e99", "1 2"] {
			assert_eq!(parse_decimal(bad), None, "{bad}");
		}
		assert_eq!(parse_decimal(&"9".repeat(39)), None);
	}

	#[test]
	fn sanity_bounds() {
		assert!(!is_sane_price(FixedU128::zero()));
		assert!(is_sane_price(fixed(1, 1_000_000_000)));
		assert!(is_sane_price(FixedU128::saturating_from_integer(MAX_SANE_PRICE)));
		assert!(!is_sane_price(FixedU128::saturating_from_integer(MAX_SANE_PRICE + 1)));
	}

	#[test]
	fn median_of_odd_and_even_counts() {
		let mut odd = [FixedU128::from_u32(3), FixedU128::from_u32(30), FixedU128::from_u32(2)];
		assert_eq!(median(&mut odd), Some(FixedU128::from_u32(3)));
		let mut even = [
			FixedU128::from_u32(4),
			FixedU128::from_u32(1),
			FixedU128::from_u32(2),
			FixedU128::from_u32(100),
		];
		assert_eq!(median(&mut even), Some(fixed(3, 1)));
		let mut max = [FixedU128::from_inner(u128::MAX), FixedU128::from_inner(u128::MAX)];
		assert_eq!(median(&mut max), Some(FixedU128::from_inner(u128::MAX)));
		assert_eq!(median(&mut []), None);
	}

	#[test]
	fn sources_parse_one_per_line() {
		let text = "# DOT\nhttp://127.0.0.1:8000/price/DOT /usd\n\nhttps://x.example/p /data/0/price\nftp://bad /usd\nhttp://no-pointer\nhttp://a /b extra\n";
		assert_eq!(
			parse_sources(text),
			vec![
				PriceSource {
					url: "http://127.0.0.1:8000/price/DOT".into(),
					pointer: "/usd".into()
				},
				PriceSource { url: "https://x.example/p".into(), pointer: "/data/0/price".into() },
			]
		);
	}
}
