//! How the runtime builds the transactions its own offchain workers submit: the oracle feeders'
//! price submissions and the liquidation engine's flags, both authorized (no fee, no account)
//! by the call's own rule rather than by a signature over the extensions.

use frame_system::offchain::{
	CreateAuthorizedTransaction, CreateTransaction, CreateTransactionBase,
};
use sp_runtime::generic::Era;

use crate::{Runtime, RuntimeCall, System, TxExtension, UncheckedExtrinsic};

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
