//! Weights of Lever's own pallets and the polkadot-sdk pallets benchmarked in this runtime
//! (governance, batches, proxies, multisig, XCM, the AMM), generated on this project's reference
//! machine by `scripts/benchmark.sh` (`lever-node benchmark pallet`). Do not edit by hand.

pub mod pallet_asset_conversion;
pub mod pallet_asset_registry;
pub mod pallet_collective;
pub mod pallet_conviction_voting;
pub mod pallet_lending;
pub mod pallet_leverage;
pub mod pallet_liquidation;
pub mod pallet_multisig;
pub mod pallet_oracle;
pub mod pallet_preimage;
pub mod pallet_proxy;
pub mod pallet_psm;
pub mod pallet_referenda;
pub mod pallet_scheduler;
pub mod pallet_track_periods;
pub mod pallet_utility;
pub mod pallet_validator_set;
pub mod pallet_vaults;
pub mod pallet_xcm;

/// pallet-session's calls, measured by pallet-validator-set's benchmarks (pallet-session's own
/// need a staking pallet).
impl<T: frame_system::Config> pallet_session::WeightInfo for pallet_validator_set::WeightInfo<T> {
	fn set_keys() -> frame_support::weights::Weight {
		<Self as ::pallet_validator_set::WeightInfo>::set_keys()
	}
	fn purge_keys() -> frame_support::weights::Weight {
		<Self as ::pallet_validator_set::WeightInfo>::purge_keys()
	}
}
