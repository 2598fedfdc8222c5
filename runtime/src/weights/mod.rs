//! Weights of Lever's own pallets, pallet-xcm and pallet-asset-conversion, generated on this
//! project's reference machine by `scripts/benchmark.sh` (`lever-node benchmark pallet`). Do not
//! edit by hand.

pub mod pallet_asset_conversion;
pub mod pallet_asset_registry;
pub mod pallet_lending;
pub mod pallet_leverage;
pub mod pallet_liquidation;
pub mod pallet_oracle;
pub mod pallet_vaults;
pub mod pallet_xcm;
