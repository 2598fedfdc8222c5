//! The price oracle: validators feed prices from their offchain workers, the chain keeps a median
//! with quorum, staleness and a circuit breaker. Also how the runtime builds the feeders'
//! authorized (fee-less, account-less) transactions.

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::{
	offchain::{CreateAuthorizedTransaction, CreateTransaction, CreateTransactionBase},
	EnsureRoot,
};
use sp_runtime::{generic::Era, transaction_validity::TransactionPriority, Permill};

use crate::{
	configs::consensus::MaxAuthorities, AccountId, Runtime, RuntimeCall, System, Timestamp,
	TxExtension, UncheckedExtrinsic,
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
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type Time = Timestamp;
	type PricedPositions = (crate::Lending, crate::Cdp, crate::Liquidation);
	type WeightInfo = crate::weights::pallet_oracle::WeightInfo<Runtime>;
}

impl<C> CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> CreateTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// An authorized transaction carries the same extensions as a signed one; without a signer the
/// nonce, fee and sender checks pass it through, and `AuthorizeCall` runs the call's own
/// authorization (for oracle submissions: the feeder's signature, round and one-per-round rule).
/// It is mortal (`AUTHORIZED_ERA` blocks) from the parent of the block it is made in (whose hash
/// every node has, wherever it is included), so the same call made in another block is another
/// transaction: the pool bans a transaction the chain refused, and a refused liquidation flag
/// must not stop the next block's flag of the same account.
impl<C> CreateAuthorizedTransaction<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_extension() -> TxExtension {
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::mortal(
				AUTHORIZED_ERA,
				u64::from(System::block_number().saturating_sub(1)),
			)),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}

/// Blocks an authorized transaction (an oracle submission or a liquidation flag) stays valid:
/// the longest the pool keeps either (a flag's 10 blocks) rounded up to a power of two.
pub const AUTHORIZED_ERA: u64 = 16;
