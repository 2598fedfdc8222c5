//! What the pallets' benchmarks need of the runtime.

use sp_runtime::FixedU128;

use crate::{AssetId, Moment};

/// Creates what the pallets' benchmarks need in the runtime's other pallets: assets in
/// pallet-assets and fresh prices in the oracle. Implemented once by the runtime.
pub trait BenchmarkHelper {
	/// Creates asset `asset` with `decimals` decimals and a minimum balance of one unit.
	fn create_asset(asset: AssetId, decimals: u8);
	/// Makes `value` USD per whole token the asset's fresh price.
	fn set_price(asset: AssetId, value: FixedU128);
	/// Sets the chain's clock (pallet-timestamp) to `now`, in milliseconds since the Unix epoch.
	fn set_time(now: Moment);
}
