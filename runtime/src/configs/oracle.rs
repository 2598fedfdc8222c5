//! The price oracle: validators feed prices from their offchain workers, the chain keeps a median
//! with quorum, staleness and a circuit breaker. The feeders' transactions are built as
//! [`super::transactions`] says.

use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::{transaction_validity::TransactionPriority, Permill};

use crate::{
	configs::{
		consensus::MaxAuthorities,
		governance::{FullGovernance, RiskCouncilMajority},
	},
	Runtime, Timestamp,
};

parameter_types! {
	/// A price is stale one minute (ten blocks) after it was set.
	pub const OracleMaxPriceAge: lever_primitives::Moment = 60_000;
	/// Aggregates more than 25% from the current price wait one round for confirmation.
	pub const OracleMaxJump: Permill = Permill::from_percent(25);
	/// A feeder waits half a slot (3 s) for all its sources at once, so its submission still
	/// reaches the next block's author.
	pub const OracleFetchTimeout: u64 = crate::time::SLOT_DURATION / 2;
	/// Price submissions go before user transactions.
	pub const OracleUnsignedPriority: TransactionPriority = TransactionPriority::MAX / 2;
}

/// Rounds of two blocks (12 s): a feeder submits in a round's first block and the submission is
/// included in its second.
impl pallet_oracle::Config for Runtime {
	type MaxFeeders = MaxAuthorities;
	type MaxAssets = ConstU32<16>;
	type FetchInterval = ConstU32<2>;
	type MaxPriceAge = OracleMaxPriceAge;
	type MaxJump = OracleMaxJump;
	type FetchTimeout = OracleFetchTimeout;
	type UnsignedPriority = OracleUnsignedPriority;
	type GovernanceOrigin = FullGovernance;
	type RiskOrigin = RiskCouncilMajority;
	type Time = Timestamp;
	type PricedPositions = (crate::Lending, crate::Vaults, crate::Liquidation);
	type WeightInfo = crate::weights::pallet_oracle::WeightInfo<Runtime>;
}
