//! What the runtime's integration tests share: the development chain with the offchain
//! worker's storage and transaction pool mocked, test accounts, prices set by governance, and
//! the flags an offchain sweep submitted included as the next block would.

// Each test file uses part of this module.
#![allow(dead_code)]

use codec::Decode;
use frame_support::assert_ok;
use lever_runtime::{
	genesis::{self, dev_assets::TestAsset},
	AccountId, Liquidation, Oracle, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin,
	UncheckedExtrinsic,
};
use sp_core::offchain::{testing, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt};
use sp_runtime::FixedU128;
use std::sync::Arc;

/// The transaction pool the offchain worker submits to.
pub type Pool = Arc<parking_lot::RwLock<testing::PoolState>>;

/// The test account `index` of kind `kind` (kinds keep the tests' populations apart).
pub fn user(kind: u8, index: u32) -> AccountId {
	let mut bytes = [kind; 32];
	bytes[..4].copy_from_slice(&index.to_le_bytes());
	AccountId::from(bytes)
}

/// A signed origin of `who`.
pub fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

/// The account of a well-known dev key.
pub fn account(who: sp_keyring::Sr25519Keyring) -> AccountId {
	who.to_account_id()
}

/// Test externalities holding the genesis state of the named preset.
pub fn genesis_of(preset: &str) -> sp_io::TestExternalities {
	let config = genesis::preset_config(preset)
		.unwrap_or_else(|| panic!("the runtime has a `{preset}` preset"));
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(config)
			.unwrap_or_else(|e| panic!("the `{preset}` preset builds: {e}"))
	});
	ext
}

/// The development genesis, with the offchain worker's storage and pool mocked.
pub fn dev_chain() -> (sp_io::TestExternalities, Pool) {
	let mut ext = genesis_of(sp_genesis_builder::DEV_RUNTIME_PRESET);
	let (offchain, _) = testing::TestOffchainExt::new();
	let (pool, pool_state) = testing::TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	(ext, pool_state)
}

/// Sets `asset`'s price to `cents` hundredths of a dollar, by governance (fresh for the oracle's
/// maximum age).
pub fn set_price(asset: TestAsset, cents: u128) {
	assert_ok!(Oracle::set_emergency_price(
		RuntimeOrigin::root(),
		asset.id,
		FixedU128::from_rational(cents, 100)
	));
}

/// Includes the flags and protective deleverages the offchain sweep put in the pool, as the next
/// block would (a deleverage only when the chain's authorization admits it); returns how many
/// there were.
pub fn include_flags(pool: &parking_lot::RwLock<testing::PoolState>) -> usize {
	use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
	let transactions = std::mem::take(&mut pool.write().transactions);
	for bytes in &transactions {
		let xt = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("a runtime extrinsic");
		match xt.function {
			RuntimeCall::Liquidation(pallet_liquidation::Call::flag_unsigned { account }) => {
				// Several nodes may sweep the same account; the chain queues it once.
				let _ =
					Liquidation::flag_unsigned(frame_system::RawOrigin::Authorized.into(), account);
			},
			RuntimeCall::Liquidation(call @ pallet_liquidation::Call::deleverage { .. }) => {
				let admitted = call
					.authorize(TransactionSource::InBlock)
					.is_some_and(|validity| validity.is_ok());
				if let (true, pallet_liquidation::Call::deleverage { owner, position }) =
					(admitted, call)
				{
					assert_ok!(Liquidation::deleverage(
						frame_system::RawOrigin::Authorized.into(),
						owner,
						position
					));
				}
			},
			other => panic!("the sweep submits flags and deleverages only, not {other:?}"),
		}
	}
	transactions.len()
}
