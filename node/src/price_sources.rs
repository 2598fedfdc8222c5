//! `--price-source`: where this node's oracle offchain worker fetches prices.
//!
//! Each flag names an asset, a URL answering JSON and the JSON pointer of the price in it:
//! `--price-source 1=http://127.0.0.1:8000/price/DOT#/usd`. At start the node writes each asset's
//! sources into its persistent offchain storage (key `lever/oracle/sources/<asset>`, one
//! `URL POINTER` line per source), where the offchain worker reads them; the
//! `offchain_localStorageSet` RPC can change them while the node runs.

use std::{collections::BTreeMap, str::FromStr};

use sp_core::offchain::OffchainStorage;

/// One `--price-source` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceSourceArg {
	/// The pallet-assets identifier of the priced asset.
	pub asset: u32,
	/// The URL to GET.
	pub url: String,
	/// The JSON pointer of the price in the answer, e.g. `/usd`.
	pub pointer: String,
}

impl FromStr for PriceSourceArg {
	type Err = String;

	fn from_str(value: &str) -> Result<Self, Self::Err> {
		let usage = "expected ASSET=URL#POINTER, e.g. 1=http://127.0.0.1:8000/price/DOT#/usd";
		let (asset, rest) = value.split_once('=').ok_or_else(|| format!("{value}: {usage}"))?;
		let asset =
			asset.trim().parse().map_err(|_| format!("{asset}: not an asset id; {usage}"))?;
		let (url, pointer) = rest.rsplit_once('#').ok_or_else(|| format!("{value}: {usage}"))?;
		if !(url.starts_with("http://") || url.starts_with("https://")) {
			return Err(format!("{url}: only http:// and https:// sources are supported"));
		}
		if !pointer.starts_with('/') || pointer.contains(char::is_whitespace) {
			return Err(format!("{pointer}: a JSON pointer starts with / (RFC 6901); {usage}"));
		}
		Ok(Self { asset, url: url.into(), pointer: pointer.into() })
	}
}

/// The offchain storage value for each asset: its sources, one `URL POINTER` line each.
pub fn sources_by_asset(sources: &[PriceSourceArg]) -> BTreeMap<u32, String> {
	let mut by_asset = BTreeMap::<u32, String>::new();
	for source in sources {
		let lines = by_asset.entry(source.asset).or_default();
		lines.push_str(&format!("{} {}\n", source.url, source.pointer));
	}
	by_asset
}

/// Writes the sources into the node's persistent offchain storage, replacing the listed assets'
/// previous sources.
pub fn store<S: OffchainStorage>(storage: &mut S, sources: &[PriceSourceArg]) {
	for (asset, lines) in sources_by_asset(sources) {
		storage.set(
			sp_core::offchain::STORAGE_PREFIX,
			&pallet_oracle::offchain::sources_key(asset),
			lines.as_bytes(),
		);
		log::info!("oracle price sources for asset {asset}: {}", lines.trim().replace('\n', ", "));
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_asset_url_and_pointer() {
		assert_eq!(
			"1=http://127.0.0.1:8000/price/DOT#/usd".parse(),
			Ok(PriceSourceArg {
				asset: 1,
				url: "http://127.0.0.1:8000/price/DOT".into(),
				pointer: "/usd".into()
			})
		);
		for bad in
			["http://x#/usd", "x=http://a#/usd", "1=ftp://a#/usd", "1=http://a", "1=http://a#usd"]
		{
			assert!(bad.parse::<PriceSourceArg>().is_err(), "{bad}");
		}
	}

	#[test]
	fn groups_sources_per_asset() {
		let sources: Vec<PriceSourceArg> =
			["1=http://a#/usd", "2=http://b#/p", "1=http://c#/data/0"]
				.iter()
				.map(|s| s.parse().unwrap())
				.collect();
		let by_asset = sources_by_asset(&sources);
		assert_eq!(by_asset[&1], "http://a /usd\nhttp://c /data/0\n");
		assert_eq!(by_asset[&2], "http://b /p\n");
	}
}
