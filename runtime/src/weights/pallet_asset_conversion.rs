//! pallet-asset-conversion's weights until `scripts/benchmark.sh` measures them on this project's
//! reference machine and replaces this file.

/// The SDK's own measured weights for the pallet.
pub type WeightInfo<T> = pallet_asset_conversion::weights::SubstrateWeight<T>;
