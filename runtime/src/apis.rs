//! The runtime APIs the node, wallets and Polkadot.js apps call: block execution, metadata,
//! transaction validation, consensus, session keys, nonces, fees, XCM fees, dry runs and location
//! conversion, genesis presets, view functions and (with `runtime-benchmarks`) benchmarks. Each is
//! decodable from the metadata alone.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	view_functions::{ViewFunctionDispatchError, ViewFunctionId},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, DispatchError, FixedU128, Permill,
};
use sp_session::OpaqueGeneratedSessionKeys;
use sp_version::RuntimeVersion;

use xcm::{
	latest::AssetId as XcmAssetId, VersionedAssetId, VersionedAssets, VersionedLocation,
	VersionedXcm,
};
use xcm_runtime_apis::{
	conversions::Error as LocationToAccountApiError,
	dry_run::{CallDryRunEffects, Error as XcmDryRunApiError, XcmDryRunEffects},
	fees::Error as XcmPaymentApiError,
};

use crate::{
	configs::{amm::AmmAsset, xcm as xcm_config},
	genesis, AccountId, AssetConversion, AssetId, AssetRegistry, Aura, Balance, Block, Executive,
	Grandpa, InherentDataExt, Lending, Leverage, Liquidation, Nonce, Oracle, OriginCaller,
	PolkadotXcm, Runtime, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig, SessionKeys, System,
	TransactionPayment, Vaults, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		// Equivocations cannot be reported until there is stake to slash: the key-owner proof type
		// is uninhabited, so there is never a proof to build or submit.
		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl pallet_oracle_runtime_api::OracleApi<Block> for Runtime {
		fn prices() -> Vec<pallet_oracle_runtime_api::PriceInfo> {
			Oracle::price_infos()
		}
	}

	#[api_version(3)]
	impl pallet_lending_runtime_api::LendingApi<Block, AccountId> for Runtime {
		fn markets() -> Vec<pallet_lending_runtime_api::MarketInfo> {
			Lending::market_infos()
		}

		fn account(who: AccountId) -> pallet_lending_runtime_api::AccountPosition {
			Lending::account_position(&who)
		}

		fn memberships(who: AccountId) -> Vec<pallet_lending_runtime_api::PoolId> {
			Lending::memberships(&who)
		}

		fn credit(who: AccountId) -> pallet_lending_runtime_api::CreditInfo {
			Lending::credit_info(&who)
		}
	}

	impl pallet_asset_conversion::AssetConversionApi<Block, Balance, AmmAsset> for Runtime {
		fn quote_price_exact_tokens_for_tokens(
			asset1: AmmAsset,
			asset2: AmmAsset,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_exact_tokens_for_tokens(asset1, asset2, amount, include_fee)
		}

		fn quote_price_tokens_for_exact_tokens(
			asset1: AmmAsset,
			asset2: AmmAsset,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_tokens_for_exact_tokens(asset1, asset2, amount, include_fee)
		}

		fn get_reserves(asset1: AmmAsset, asset2: AmmAsset) -> Option<(Balance, Balance)> {
			AssetConversion::get_reserves(asset1, asset2).ok()
		}
	}

	impl pallet_leverage_runtime_api::LeverageApi<Block, AccountId> for Runtime {
		fn preview_lever_up(
			who: AccountId,
			collateral: AssetId,
			debt: AssetId,
			deposit: Balance,
			target: pallet_leverage::LeverTarget,
			max_slippage: Permill,
		) -> Result<pallet_leverage::LeverUpPreview, DispatchError> {
			let request = pallet_leverage::LeverUp {
				collateral,
				debt,
				deposit,
				target,
				max_slippage,
				min_health: FixedU128::from_inner(0),
			};
			Leverage::preview_lever_up(&who, request)
		}

		fn preview_lever_down(
			who: AccountId,
			collateral: AssetId,
			debt: AssetId,
			repay: pallet_leverage::AmountOrAll,
			max_slippage: Permill,
		) -> Result<pallet_leverage::LeverDownPreview, DispatchError> {
			let request = pallet_leverage::LeverDown {
				collateral,
				debt,
				repay,
				max_slippage,
				min_health: FixedU128::from_inner(0),
			};
			Leverage::preview_lever_down(&who, request)
		}

		fn preview_expand(
			who: AccountId,
			asset: AssetId,
			deposit: Balance,
			target: pallet_leverage::LeverTarget,
			max_slippage: Permill,
		) -> Result<pallet_leverage::ExpandPreview, DispatchError> {
			let request = pallet_leverage::Expand {
				asset,
				deposit,
				target,
				max_slippage,
				min_ratio: FixedU128::from_inner(0),
			};
			Leverage::preview_expand(&who, request)
		}

		fn preview_shrink(
			who: AccountId,
			asset: AssetId,
			repay: pallet_leverage::AmountOrAll,
			max_slippage: Permill,
		) -> Result<pallet_leverage::ShrinkPreview, DispatchError> {
			let request = pallet_leverage::Shrink {
				asset,
				repay,
				max_slippage,
				min_ratio: FixedU128::from_inner(0),
			};
			Leverage::preview_shrink(&who, request)
		}
	}

	#[api_version(2)]
	impl pallet_vaults_runtime_api::VaultsApi<Block, AccountId> for Runtime {
		fn vaults(owner: AccountId) -> Vec<pallet_vaults_runtime_api::VaultInfo> {
			Vaults::vault_infos(&owner)
		}

		fn collateral_types() -> Vec<pallet_vaults_runtime_api::CollateralTypeInfo> {
			Vaults::collateral_type_infos()
		}

		fn system() -> pallet_vaults_runtime_api::SystemInfo {
			Vaults::system_info()
		}

		fn savings(saver: AccountId) -> pallet_vaults_runtime_api::SavingsInfo {
			Vaults::savings_info(&saver)
		}
	}

	impl pallet_liquidation_runtime_api::LiquidationApi<Block, AccountId> for Runtime {
		fn queue() -> Vec<pallet_liquidation_runtime_api::QueueItem<AccountId>> {
			Liquidation::queued()
		}

		fn auctions() -> Vec<pallet_liquidation_runtime_api::AuctionInfo<AccountId>> {
			Liquidation::auction_infos()
		}

		fn backstop_pools() -> Vec<pallet_liquidation_runtime_api::BackstopPoolInfo> {
			Liquidation::backstop_pool_infos()
		}

		fn deposits(who: AccountId) -> Vec<pallet_liquidation_runtime_api::DepositInfo> {
			Liquidation::deposit_infos(&who)
		}

		fn liquidation_prices(who: AccountId) -> pallet_liquidation_runtime_api::LiquidationPrices {
			Liquidation::liquidation_prices(&who)
		}
	}

	#[api_version(2)]
	impl pallet_liquidation_runtime_api::RiskApi<Block, AccountId> for Runtime {
		fn stress(
			shocks: Vec<pallet_liquidation_runtime_api::Shock>,
			max_listed: u32,
		) -> Result<pallet_liquidation_runtime_api::StressReport<AccountId>, sp_runtime::DispatchError> {
			Liquidation::stress(&shocks, max_listed)
		}

		fn system() -> Result<pallet_liquidation_runtime_api::SystemRisk, sp_runtime::DispatchError> {
			Liquidation::system_risk()
		}
	}

	impl xcm_runtime_apis::fees::XcmPaymentApi<Block> for Runtime {
		fn query_acceptable_payment_assets(
			xcm_version: xcm::Version,
		) -> Result<Vec<VersionedAssetId>, XcmPaymentApiError> {
			let native = XcmAssetId(xcm_config::HereLocation::get());
			let registered =
				AssetRegistry::fee_assets().into_iter().map(|(location, _)| XcmAssetId(location));
			PolkadotXcm::query_acceptable_payment_assets(
				xcm_version,
				core::iter::once(native).chain(registered).collect(),
			)
		}

		fn query_xcm_weight(message: VersionedXcm<()>) -> Result<Weight, XcmPaymentApiError> {
			PolkadotXcm::query_xcm_weight(message)
		}

		fn query_weight_to_asset_fee(
			weight: Weight,
			asset: VersionedAssetId,
		) -> Result<u128, XcmPaymentApiError> {
			PolkadotXcm::query_weight_to_asset_fee::<xcm_config::Trader>(weight, asset)
		}

		fn query_delivery_fees(
			destination: VersionedLocation,
			message: VersionedXcm<()>,
			asset_id: VersionedAssetId,
		) -> Result<VersionedAssets, XcmPaymentApiError> {
			PolkadotXcm::query_delivery_fees::<()>(destination, message, asset_id)
		}
	}

	impl xcm_runtime_apis::dry_run::DryRunApi<Block, RuntimeCall, RuntimeEvent, OriginCaller> for Runtime {
		fn dry_run_call(
			origin: OriginCaller,
			call: RuntimeCall,
			result_xcms_version: xcm::Version,
		) -> Result<CallDryRunEffects<RuntimeEvent>, XcmDryRunApiError> {
			PolkadotXcm::dry_run_call::<Runtime, xcm_config::XcmRouter, OriginCaller, RuntimeCall>(
				origin,
				call,
				result_xcms_version,
			)
		}

		fn dry_run_xcm(
			origin_location: VersionedLocation,
			xcm: VersionedXcm<RuntimeCall>,
		) -> Result<XcmDryRunEffects<RuntimeEvent>, XcmDryRunApiError> {
			PolkadotXcm::dry_run_xcm::<xcm_config::XcmRouter>(origin_location, xcm)
		}
	}

	impl xcm_runtime_apis::conversions::LocationToAccountApi<Block, AccountId> for Runtime {
		fn convert_location(location: VersionedLocation) -> Result<AccountId, LocationToAccountApiError> {
			let location = location.try_into().map_err(|()| LocationToAccountApiError::VersionedConversionFailed)?;
			xcm_config::account_of(&location).ok_or(LocationToAccountApiError::Unsupported)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use crate::benchmarks::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use sp_storage::TrackedStorageKey;
			use crate::benchmarks::*;

			let whitelist: Vec<TrackedStorageKey> =
				crate::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime runs offline against a snapshot: failing loudly here is the point.
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|e| panic!("runtime upgrade checks failed: {e:?}"));
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			// try-runtime only (never in the on-chain runtime): a failed check must stop the run.
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|e| panic!("try-runtime block execution failed: {e:?}"))
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis::preset_names()
		}
	}
}
