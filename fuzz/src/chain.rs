//! The chain under test: the development genesis of `lever-runtime`, driven block by block
//! through its `Executive` as a node drives it (Aura slot digest, timestamp inherent, extrinsics
//! checked, signed and charged, `on_initialize` and `on_finalize`), with the engine's offchain
//! sweep run after each block and its flags included in the next.

use codec::{Decode, Encode};
use frame_support::{
	storage::{with_transaction, TransactionOutcome},
	traits::Hooks,
	weights::Weight,
};
use lever_runtime::{
	genesis, Executive, Header, Liquidation, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeGenesisConfig, SignedPayload, System, TxExtension, UncheckedExtrinsic,
};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{
	offchain::{testing, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt},
	Pair, H256,
};
use sp_runtime::{
	generic::{Digest, DigestItem, Era},
	traits::{Header as _, IdentifyAccount},
	ApplyExtrinsicResult, DispatchError, MultiSignature, MultiSigner,
};
use std::sync::Arc;

/// Milliseconds per Aura slot.
pub const SLOT_MS: u64 = 6_000;
/// The first block's slot (a timestamp in 2023, so no clock starts at zero).
const FIRST_SLOT: u64 = 1_700_000_000_000 / SLOT_MS;

/// Who signs a transaction: a fuzz user's ed25519 key or the sudo key (Alice, sr25519).
pub enum Signer<'a> {
	/// A fuzz user.
	Ed25519(&'a sp_core::ed25519::Pair),
	/// The development chain's sudo key.
	Sr25519(&'a sp_core::sr25519::Pair),
}

impl Signer<'_> {
	/// The signer's account.
	pub fn account(&self) -> lever_runtime::AccountId {
		match self {
			Signer::Ed25519(pair) => MultiSigner::from(pair.public()).into_account(),
			Signer::Sr25519(pair) => MultiSigner::from(pair.public()).into_account(),
		}
	}

	fn sign(&self, message: &[u8]) -> MultiSignature {
		match self {
			Signer::Ed25519(pair) => pair.sign(message).into(),
			Signer::Sr25519(pair) => pair.sign(message).into(),
		}
	}
}

/// The development chain in memory, with the offchain worker's storage and transaction pool.
pub struct Chain {
	ext: sp_io::TestExternalities,
	pool: Arc<parking_lot::RwLock<testing::PoolState>>,
	parent: H256,
	slot: u64,
}

impl Chain {
	/// The development genesis.
	pub fn dev() -> Self {
		let config = genesis::preset_config(sp_genesis_builder::DEV_RUNTIME_PRESET)
			.expect("the runtime has a development preset");
		let mut ext = sp_io::TestExternalities::new_empty();
		ext.execute_with(|| {
			frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(config)
				.expect("the development genesis builds")
		});
		let (offchain, _) = testing::TestOffchainExt::new();
		let (pool, pool_state) = testing::TestTransactionPoolExt::new();
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		ext.register_extension(OffchainWorkerExt::new(offchain));
		ext.register_extension(TransactionPoolExt::new(pool));
		let parent = ext.execute_with(|| System::block_hash(0));
		Self { ext, pool: pool_state, parent, slot: FIRST_SLOT - 1 }
	}

	/// Runs `f` in the chain's state.
	pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// The current block's timestamp, in milliseconds.
	pub fn now_ms(&self) -> u64 {
		self.slot.saturating_mul(SLOT_MS)
	}

	/// Starts the next block `slots` slots after the last: `initialize_block` (every pallet's
	/// `on_initialize`), the timestamp inherent, then the flags the last sweep submitted.
	/// Returns the weight the liquidation engine's `on_initialize` charged, found by running the
	/// engine's hook alone on the same header first (after the migrations of a new runtime, as
	/// the block runs them) and rolling it back, since the block charges every pallet's hooks as
	/// one sum; the events of both runs must agree.
	pub fn start_block(&mut self, slots: u64) -> Weight {
		self.slot = self.slot.saturating_add(slots.max(1));
		let (slot, parent, now) = (self.slot, self.parent, self.now_ms());
		let flags = std::mem::take(&mut self.pool.write().transactions);
		self.ext.execute_with(|| {
			let number = System::block_number().saturating_add(1);
			let digest = Digest {
				logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode())],
			};
			let header =
				Header::new(number, Default::default(), Default::default(), parent, digest);
			let (engine_weight, alone) = with_transaction(|| {
				System::reset_events();
				// As `initialize_block` does: a new runtime's migrations run before any hook.
				let upgraded = frame_system::LastRuntimeUpgrade::<Runtime>::get()
					.is_none_or(|last| last.was_upgraded(&lever_runtime::VERSION));
				if upgraded {
					Executive::execute_on_runtime_upgrade();
				}
				System::initialize(&number, &parent, header.digest());
				let weight = Liquidation::on_initialize(number);
				TransactionOutcome::Rollback(Ok::<_, DispatchError>((weight, engine_events())))
			})
			.expect("a rolled-back hook cannot fail");
			Executive::initialize_block(&header);
			assert_eq!(
				engine_events(),
				alone,
				"the engine's hook alone did what it did in the block's initialization"
			);
			let inherent =
				UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(pallet_timestamp::Call::set {
					now,
				}));
			Executive::apply_extrinsic(inherent)
				.expect("the timestamp inherent is valid")
				.expect("the timestamp inherent dispatches");
			for bytes in flags {
				let xt = UncheckedExtrinsic::decode(&mut &bytes[..])
					.expect("the sweep submits runtime extrinsics");
				// Several sweeps may flag one account; the pool would refuse the repeat.
				let call = xt.function.clone();
				let applied = include(xt);
				if std::env::var_os("LEVER_FUZZ_TRACE").is_some() {
					eprintln!("block {number}: swept {call:?} -> {applied:?}");
					if let RuntimeCall::Liquidation(pallet_liquidation::Call::flag_unsigned {
						account,
					}) = call
					{
						let why = frame_support::storage::with_transaction(|| {
							let result = Liquidation::flag(
								lever_runtime::RuntimeOrigin::signed(account.clone()),
								account,
							);
							frame_support::storage::TransactionOutcome::Rollback(Ok::<
								_,
								sp_runtime::DispatchError,
							>(result))
						});
						eprintln!("  a signed flag now: {why:?}");
					}
				}
			}
			engine_weight
		})
	}

	/// Applies `call` signed by `signer` with its next nonce and no tip, as a wallet would
	/// submit it. Must run inside [`Chain::execute_with`].
	pub fn apply_signed(signer: &Signer, call: RuntimeCall) -> ApplyExtrinsicResult {
		let who = signer.account();
		let extension = tx_extension(System::account_nonce(&who));
		let payload = SignedPayload::new(call.clone(), extension.clone())
			.expect("the extensions' implicit data is available");
		let signature = payload.using_encoded(|bytes| signer.sign(bytes));
		include(UncheckedExtrinsic::new_signed(call, who.into(), signature, extension))
	}

	/// Applies an authorized (general) transaction of `call`, as an offchain worker submits it.
	/// Must run inside [`Chain::execute_with`].
	pub fn apply_authorized(call: RuntimeCall) -> ApplyExtrinsicResult {
		use frame_system::offchain::CreateAuthorizedTransaction;
		let xt =
			<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_authorized_transaction(
				call,
			);
		include(xt)
	}

	/// Finishes the block (`on_finalize`) and runs the engine's offchain sweep on its state, as
	/// a validator does after import.
	pub fn finish_block(&mut self) {
		let header = self.ext.execute_with(|| {
			let header = Executive::finalize_block();
			Liquidation::offchain_worker(*header.number());
			header
		});
		self.parent = header.hash();
	}
}

/// Applies `xt` as a node's block builder does: an extrinsic the runtime refuses (an invalid
/// transaction, such as a signed inherent, which `apply_extrinsic` refuses only after charging
/// its fee) is left out of the block with everything it did rolled back.
fn include(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	with_transaction(|| {
		let applied = Executive::apply_extrinsic(xt);
		match applied {
			Ok(_) => TransactionOutcome::Commit(Ok::<_, DispatchError>(applied)),
			Err(_) => TransactionOutcome::Rollback(Ok(applied)),
		}
	})
	.expect("the outcome is always Ok")
}

/// The liquidation engine's events so far in the block.
fn engine_events() -> Vec<RuntimeEvent> {
	System::events()
		.into_iter()
		.map(|record| record.event)
		.filter(|event| matches!(event, RuntimeEvent::Liquidation(_)))
		.collect()
}

/// The extensions a wallet attaches: immortal, no tip, no metadata hash.
fn tx_extension(nonce: lever_runtime::Nonce) -> TxExtension {
	(
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}
