//! Lever's XCM configuration, run as the runtime runs it, on a simulated network: Lever (the real
//! runtime, its executor configuration over the simulator's transport), a sibling parachain
//! that is the reserve of its token SIB, and the relay (which takes no part in these flows).
//!
//! Every message Lever receives is executed by `XcmExecutor<XcmConfigWith<_>>`, the runtime's own
//! configuration with only the router swapped for the simulator's, and its outcome is recorded.

mod sibling;

use codec::Decode;
use frame_support::{
	assert_ok,
	genesis_builder_helper::build_state,
	traits::{fungibles::Inspect, ProcessMessage, ProcessMessageError},
	weights::{Weight, WeightMeter},
};
use lever_runtime::{
	configs::{
		lending::TreasuryAccount,
		xcm::{account_of, UnitWeightCost, XcmConfigWith, LEVER_PARA_ID},
	},
	genesis::{
		self,
		dev_assets::{TestAsset, USDC},
		lending::test_asset_market,
	},
	AccountId, AssetRegistry, Assets, Lending, Oracle, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeGenesisConfig, RuntimeOrigin, System,
};
use pallet_lending::AmountOrAll;
use sibling::{SIB, SIBLING_PARA_ID};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Get, FixedPointNumber, FixedU128};
use std::cell::RefCell;
use xcm::{latest::prelude::*, VersionedLocation, VersionedXcm};
use xcm_executor::{traits::ConvertLocation, XcmExecutor};

/// XCM's asset list (the runtime's pallet-assets is `Assets`).
type XcmAssets = xcm::latest::Assets;
use xcm_simulator::{
	decl_test_network, decl_test_parachain, DmpMessageHandlerT, ParaId, RelayBlockNumber, TestExt,
	XcmpMessageFormat, XcmpMessageHandlerT,
};

/// SIB as Lever registers it: the next free foreign-asset identifier.
const SIB_ID: u32 = 100;
/// Units of SIB charged per planck of an LVR fee.
fn sib_fee_rate() -> FixedU128 {
	FixedU128::from_rational(1, 10)
}

/// The user on the sibling chain.
const USER: [u8; 32] = [7; 32];

fn user() -> AccountId {
	USER.into()
}

/// SIB seen from Lever.
fn sib() -> Location {
	Location::new(1, [Parachain(SIBLING_PARA_ID)])
}

/// The sibling user seen from Lever.
fn remote_user() -> Location {
	Location::new(1, [Parachain(SIBLING_PARA_ID), AccountId32 { network: None, id: USER }])
}

/// The account Lever derives for the sibling user.
fn derived_account() -> AccountId {
	account_of(&remote_user()).expect("a remote user converts to an account")
}

thread_local! {
	/// The outcome of every message Lever executed, in order.
	static LEVER_OUTCOMES: RefCell<Vec<Outcome>> = const { RefCell::new(Vec::new()) };
}

/// The last message's outcome on Lever.
fn last_outcome() -> Outcome {
	LEVER_OUTCOMES
		.with(|outcomes| outcomes.borrow().last().cloned())
		.expect("Lever received a message")
}

/// Lever's parachain identifier, for the simulator's router.
struct LeverParaId;
impl Get<ParaId> for LeverParaId {
	fn get() -> ParaId {
		LEVER_PARA_ID.into()
	}
}

/// The runtime's XCM configuration over the simulator's transport.
type LeverXcmConfig = XcmConfigWith<ParachainXcmRouter<LeverParaId>>;

/// Lever's inbox: executes each message with [`LeverXcmConfig`] and records its outcome.
struct LeverInbox;

impl LeverInbox {
	fn execute(origin: Location, message: VersionedXcm<RuntimeCall>, limit: Weight) {
		let message = Xcm::try_from(message).expect("the simulator sends a supported version");
		let mut id = message.using_encoded(sp_io::hashing::blake2_256);
		let outcome = XcmExecutor::<LeverXcmConfig>::prepare_and_execute(
			origin,
			message,
			&mut id,
			limit,
			Weight::zero(),
		);
		LEVER_OUTCOMES.with(|outcomes| outcomes.borrow_mut().push(outcome));
	}
}

impl XcmpMessageHandlerT for LeverInbox {
	fn handle_xcmp_messages<'a, I: Iterator<Item = (ParaId, RelayBlockNumber, &'a [u8])>>(
		messages: I,
		limit: Weight,
	) -> Weight {
		for (sender, _, mut data) in messages {
			XcmpMessageFormat::decode(&mut data).expect("the simulator sends a format prefix");
			while !data.is_empty() {
				let message = VersionedXcm::<RuntimeCall>::decode(&mut data).expect("a message");
				Self::execute(Location::new(1, [Parachain(sender.into())]), message, limit);
			}
		}
		limit
	}
}

impl DmpMessageHandlerT for LeverInbox {
	fn handle_dmp_messages(
		messages: impl Iterator<Item = (RelayBlockNumber, Vec<u8>)>,
		limit: Weight,
	) -> Weight {
		for (_, data) in messages {
			let message = VersionedXcm::<RuntimeCall>::decode(&mut &data[..]).expect("a message");
			Self::execute(Location::parent(), message, limit);
		}
		limit
	}
}

/// The relay chain: these flows never reach it, and it refuses anything that does.
pub struct Relay;
xcm_simulator::__impl_ext!(Relay, sp_io::TestExternalities::default());
impl ProcessMessage for Relay {
	type Origin = ParaId;
	fn process_message(
		_: &[u8],
		_: ParaId,
		_: &mut WeightMeter,
		_: &mut [u8; 32],
	) -> Result<bool, ProcessMessageError> {
		Err(ProcessMessageError::Unsupported)
	}
}

/// Lever's genesis: the development preset, with SIB registered (paying fees at
/// [`sib_fee_rate`]), a lending market for it and its price, and USDC to borrow.
fn lever_ext() -> sp_io::TestExternalities {
	let config = genesis::preset_config(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.expect("a development preset");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		build_state::<RuntimeGenesisConfig>(config).expect("the development preset builds");
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(1_700_000_000_000);
		assert_ok!(AssetRegistry::register_foreign_asset(
			RuntimeOrigin::root(),
			Box::new(VersionedLocation::from(sib())),
			b"Sibling".to_vec().try_into().unwrap(),
			b"SIB".to_vec().try_into().unwrap(),
			12,
			1_000_000,
			Some(sib_fee_rate()),
		));
		let market = TestAsset {
			id: SIB_ID,
			name: "Sibling",
			symbol: "SIB",
			decimals: 12,
			genesis_tokens_per_account: 1_000,
			reference_cents: 100,
			genesis_pool_tokens: 0,
		};
		assert_ok!(Lending::create_market(
			RuntimeOrigin::root(),
			SIB_ID,
			test_asset_market(&market)
		));
		assert_ok!(Oracle::add_asset(RuntimeOrigin::root(), SIB_ID));
		assert_ok!(Oracle::set_emergency_price(
			RuntimeOrigin::root(),
			SIB_ID,
			FixedU128::from_u32(2)
		));
		// USDC to borrow: priced at $1, and 10,000 of it supplied by Alice.
		assert_ok!(Oracle::set_emergency_price(
			RuntimeOrigin::root(),
			USDC.id,
			FixedU128::from_u32(1)
		));
		assert_ok!(Lending::supply(
			RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()),
			USDC.id,
			10_000 * USDC.unit()
		));
	});
	ext
}

decl_test_parachain! {
	pub struct Lever {
		Runtime = Runtime,
		XcmpMessageHandler = LeverInbox,
		DmpMessageHandler = LeverInbox,
		new_ext = lever_ext(),
	}
}

decl_test_parachain! {
	pub struct SiblingChain {
		Runtime = sibling::Runtime,
		XcmpMessageHandler = sibling::MsgQueue,
		DmpMessageHandler = sibling::MsgQueue,
		new_ext = sibling::ext(&[USER.into()]),
	}
}

decl_test_network! {
	pub struct Network {
		relay_chain = Relay,
		parachains = vec![
			(LEVER_PARA_ID, Lever),
			(SIBLING_PARA_ID, SiblingChain),
		],
	}
}

/// Starts every chain from its genesis.
fn reset() {
	Network::reset();
	LEVER_OUTCOMES.with(|outcomes| outcomes.borrow_mut().clear());
}

/// Lever's sovereign account on the sibling, which backs every SIB on Lever.
fn lever_sovereign_on_sibling() -> AccountId {
	sibling::LocationToAccountId::convert_location(&Location::new(1, [Parachain(LEVER_PARA_ID)]))
		.expect("a sibling's sovereign account")
}

/// SIB on Lever, all accounts together.
fn sib_issuance_on_lever() -> u128 {
	Lever::execute_with(|| Assets::total_issuance(SIB_ID))
}

/// SIB held for Lever on the sibling.
fn sib_backing_on_sibling() -> u128 {
	SiblingChain::execute_with(|| sibling::Balances::free_balance(lever_sovereign_on_sibling()))
}

/// Checks every Lever invariant that XCM can touch.
fn lever_invariants_hold() {
	Lever::execute_with(|| {
		AssetRegistry::do_try_state().expect("registry invariants hold");
		Lending::do_try_state().expect("lending invariants hold");
	});
}

/// What Lever charges in SIB for a message of `instructions` instructions.
fn sib_fee(instructions: u64) -> u128 {
	let lvr_fee = u128::from(UnitWeightCost::get().ref_time() * instructions);
	sib_fee_rate().saturating_mul_int(lvr_fee)
}

/// The sibling user reserve-transfers `amount` SIB to its account on Lever, paying fees from it.
fn transfer_sib_to_lever(amount: u128) {
	SiblingChain::execute_with(|| {
		assert_ok!(sibling::PolkadotXcm::transfer_assets(
			sibling::RuntimeOrigin::signed(user()),
			Box::new(VersionedLocation::from(Location::new(1, [Parachain(LEVER_PARA_ID)]))),
			Box::new(VersionedLocation::from(Location::new(
				1,
				[Parachain(SIBLING_PARA_ID), AccountId32 { network: None, id: USER }]
			))),
			Box::new((Here, amount).into()),
			0,
			WeightLimit::Unlimited,
		));
	});
}

/// The sibling user sends `message` to Lever from its own account (pallet-xcm prefixes it with
/// `DescendOrigin` to the user).
fn send_from_user(message: Xcm<()>) {
	SiblingChain::execute_with(|| {
		assert_ok!(sibling::PolkadotXcm::send(
			sibling::RuntimeOrigin::signed(user()),
			Box::new(VersionedLocation::from(Location::new(1, [Parachain(LEVER_PARA_ID)]))),
			Box::new(VersionedXcm::from(message)),
		));
	});
}

/// A `Transact` of `call` as the sender's account, paid with `fee` SIB from that account;
/// whatever is left goes back to it, also when something fails.
fn transact(call: RuntimeCall, fee: u128) -> Xcm<()> {
	Xcm(vec![
		WithdrawAsset((sib(), fee).into()),
		BuyExecution { fees: (sib(), fee).into(), weight_limit: Unlimited },
		SetAppendix(Xcm(vec![
			RefundSurplus,
			DepositAsset { assets: AllCounted(1).into(), beneficiary: remote_user() },
		])),
		Transact {
			origin_kind: OriginKind::SovereignAccount,
			fallback_max_weight: None,
			call: call.encode().into(),
		},
	])
}

#[test]
fn sibling_token_comes_in_is_supplied_withdrawn_and_sent_back() {
	reset();
	let sent = 100 * SIB;
	transfer_sib_to_lever(sent);

	// ReserveAssetDeposited, ClearOrigin, BuyExecution, DepositAsset: four instructions.
	let fee = sib_fee(4);
	assert!(matches!(last_outcome(), Outcome::Complete { .. }), "{:?}", last_outcome());
	Lever::execute_with(|| {
		assert_eq!(Assets::balance(SIB_ID, derived_account()), sent - fee);
		assert_eq!(Assets::balance(SIB_ID, TreasuryAccount::get()), fee);
	});
	assert_eq!(sib_backing_on_sibling(), sent);
	assert_eq!(sib_issuance_on_lever(), sent);

	// The user supplies 60 SIB to the lending market by Transact.
	let supplied = 60 * SIB;
	let call =
		RuntimeCall::Lending(pallet_lending::Call::supply { asset: SIB_ID, amount: supplied });
	send_from_user(transact(call, SIB));
	assert!(matches!(last_outcome(), Outcome::Complete { .. }), "{:?}", last_outcome());
	let (after_supply, withdrawable) = Lever::execute_with(|| {
		let position = Lending::account_position(&derived_account());
		let market = position.markets.iter().find(|m| m.asset == SIB_ID).expect("a SIB position");
		// The first supply of a market leaves its seed in the pool for good and mints one share
		// per unit of the rest.
		let seed = pallet_lending::Markets::<Runtime>::get(SIB_ID).expect("a SIB market").seed;
		assert_eq!(market.shares, supplied - seed);
		let balance = Assets::balance(SIB_ID, derived_account());
		assert!(balance < sent - fee - supplied, "the Transact's fee was charged");
		(balance, supplied - seed)
	});
	lever_invariants_hold();

	// Later it withdraws everything and sends all its SIB home in one message.
	let withdraw = RuntimeCall::Lending(pallet_lending::Call::withdraw {
		asset: SIB_ID,
		amount: AmountOrAll::All,
	});
	let home = after_supply + withdrawable;
	let before_home = SiblingChain::execute_with(|| sibling::Balances::free_balance(user()));
	send_from_user(Xcm(vec![
		WithdrawAsset((sib(), SIB).into()),
		BuyExecution { fees: (sib(), SIB).into(), weight_limit: Unlimited },
		Transact {
			origin_kind: OriginKind::SovereignAccount,
			fallback_max_weight: None,
			call: withdraw.encode().into(),
		},
		WithdrawAsset((sib(), home - SIB).into()),
		RefundSurplus,
		InitiateReserveWithdraw {
			assets: AllCounted(1).into(),
			reserve: sib(),
			xcm: Xcm(vec![
				BuyExecution { fees: (Here, SIB).into(), weight_limit: Unlimited },
				DepositAsset {
					assets: AllCounted(1).into(),
					beneficiary: AccountId32 { network: None, id: USER }.into(),
				},
			]),
		},
	]));
	let lever_outcome = LEVER_OUTCOMES.with(|outcomes| outcomes.borrow().last().cloned().unwrap());
	assert!(matches!(lever_outcome, Outcome::Complete { .. }), "{lever_outcome:?}");
	Lever::execute_with(|| {
		assert_eq!(Assets::balance(SIB_ID, derived_account()), 0);
		assert!(Lending::account_position(&derived_account()).markets.is_empty());
	});
	let received =
		SiblingChain::execute_with(|| sibling::Balances::free_balance(user())) - before_home;
	// Everything but Lever's fees for the withdrawal and the sibling's for the deposit.
	assert!(received > home - 2 * SIB && received < home, "received {received} of {home}");
	// Every SIB still on Lever is backed one for one on the sibling.
	assert_eq!(sib_backing_on_sibling(), sib_issuance_on_lever());
	lever_invariants_hold();
}

#[test]
fn borrowed_funds_leave_as_reserve_transfers_of_lever_s_own_tokens() {
	reset();
	transfer_sib_to_lever(200 * SIB);
	let supply =
		RuntimeCall::Lending(pallet_lending::Call::supply { asset: SIB_ID, amount: 120 * SIB });
	send_from_user(transact(supply, SIB));
	assert!(matches!(last_outcome(), Outcome::Complete { .. }), "{:?}", last_outcome());

	// Borrow 100 USDC (the market's minimum debt) against the $240 of SIB and send it to the
	// sibling, Lever being its reserve.
	let borrowed = 100 * USDC.unit();
	let usdc_here = Location::new(0, [PalletInstance(10), GeneralIndex(USDC.id.into())]);
	let borrow =
		RuntimeCall::Lending(pallet_lending::Call::borrow { asset: USDC.id, amount: borrowed });
	let mut message = transact(borrow, SIB);
	message.0.extend([
		WithdrawAsset((usdc_here.clone(), borrowed).into()),
		DepositReserveAsset {
			assets: Definite((usdc_here, borrowed).into()),
			dest: Location::new(1, [Parachain(SIBLING_PARA_ID)]),
			xcm: Xcm(vec![DepositAsset {
				assets: AllCounted(1).into(),
				beneficiary: AccountId32 { network: None, id: USER }.into(),
			}]),
		},
	]);
	send_from_user(message);
	assert!(matches!(last_outcome(), Outcome::Complete { .. }), "{:?}", last_outcome());

	Lever::execute_with(|| {
		let sibling_sovereign = account_of(&Location::new(1, [Parachain(SIBLING_PARA_ID)]))
			.expect("a sibling's sovereign account");
		assert_eq!(Assets::balance(USDC.id, &sibling_sovereign), borrowed);
		assert_eq!(Assets::balance(USDC.id, derived_account()), 0);
		let position = Lending::account_position(&derived_account());
		let debt = position.markets.iter().find(|m| m.asset == USDC.id).expect("a USDC debt");
		assert!(debt.borrowed >= borrowed, "{} < {borrowed}", debt.borrowed);
	});
	// The sibling got the reserve deposit. It neither lists Lever's USDC nor sells execution for
	// it, so its barrier refuses the unpaid message: accepting it is the sibling's configuration.
	SiblingChain::execute_with(|| {
		let failures: Vec<_> = sibling::System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				sibling::RuntimeEvent::MsgQueue(
					xcm_simulator::mock_message_queue::Event::Fail { error, .. },
				) => Some(error),
				_ => None,
			})
			.collect();
		assert_eq!(failures, vec![XcmError::Barrier]);
	});
	lever_invariants_hold();
}

#[test]
fn a_transact_outside_the_filter_is_refused_and_the_fee_comes_back() {
	reset();
	transfer_sib_to_lever(10 * SIB);
	let before = Lever::execute_with(|| Assets::balance(SIB_ID, derived_account()));

	for call in [
		RuntimeCall::System(frame_system::Call::remark_with_event { remark: b"hi".to_vec() }),
		RuntimeCall::Oracle(pallet_oracle::Call::set_min_feeders { min_feeders: 1 }),
		RuntimeCall::AssetRegistry(pallet_asset_registry::Call::set_fee_rate {
			asset_id: SIB_ID,
			rate: None,
		}),
	] {
		send_from_user(transact(call, SIB));
		match last_outcome() {
			Outcome::Incomplete { error, .. } => assert_eq!(error.error, XcmError::NoPermission),
			outcome => panic!("a filtered Transact executed: {outcome:?}"),
		}
	}
	Lever::execute_with(|| {
		assert!(!System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::System(frame_system::Event::Remarked { .. })
				| RuntimeEvent::PolkadotXcm(pallet_xcm::Event::AssetsTrapped { .. })
		)));
		assert_eq!(pallet_asset_registry::FeeRates::<Runtime>::get(SIB_ID), Some(sib_fee_rate()));
		// Each refused message paid for what ran before the refusal; the rest came back.
		let after = Assets::balance(SIB_ID, derived_account());
		assert!(after < before && after > before - 3 * SIB / 10, "{before} -> {after}");
	});
	lever_invariants_hold();
}

#[test]
fn an_unregistered_token_mints_nothing() {
	reset();
	let issuance = |ids: &[u32]| -> Vec<u128> {
		Lever::execute_with(|| ids.iter().map(|id| Assets::total_issuance(*id)).collect())
	};
	let all_assets: Vec<u32> =
		Lever::execute_with(|| pallet_assets::Asset::<Runtime>::iter_keys().collect());
	let before = issuance(&all_assets);
	let unregistered = Location::new(1, [Parachain(SIBLING_PARA_ID), GeneralIndex(42)]);

	SiblingChain::execute_with(|| {
		assert_ok!(sibling::PolkadotXcm::send(
			sibling::RuntimeOrigin::root(),
			Box::new(VersionedLocation::from(Location::new(1, [Parachain(LEVER_PARA_ID)]))),
			Box::new(VersionedXcm::from(Xcm::<()>(vec![
				ReserveAssetDeposited((unregistered.clone(), 1_000 * SIB).into()),
				ClearOrigin,
				BuyExecution { fees: (unregistered, 1_000 * SIB).into(), weight_limit: Unlimited },
				DepositAsset { assets: AllCounted(1).into(), beneficiary: remote_user() },
			]))),
		));
	});

	match last_outcome() {
		Outcome::Incomplete { error, .. } | Outcome::Error(error) => {
			assert_eq!(error.error, XcmError::UntrustedReserveLocation)
		},
		outcome => panic!("an unregistered token was accepted: {outcome:?}"),
	}
	assert_eq!(issuance(&all_assets), before);
	assert_eq!(
		Lever::execute_with(|| pallet_assets::Asset::<Runtime>::iter_keys().count()),
		all_assets.len()
	);
	Lever::execute_with(|| {
		assert!(!System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::PolkadotXcm(pallet_xcm::Event::AssetsTrapped { .. })
		)));
	});
	lever_invariants_hold();
}

#[test]
fn too_little_fee_fails_and_traps_exactly_what_arrived() {
	reset();
	let sent = sib_fee(4) - 1;
	transfer_sib_to_lever(sent);

	match last_outcome() {
		Outcome::Incomplete { error, .. } => assert_eq!(error.error, XcmError::TooExpensive),
		outcome => panic!("an underpaid message executed: {outcome:?}"),
	}
	Lever::execute_with(|| {
		// Nobody was credited: the SIB issued for the message sits in the trap, claimable by
		// the sibling, and the sibling still holds its backing.
		assert_eq!(Assets::balance(SIB_ID, derived_account()), 0);
		assert_eq!(Assets::balance(SIB_ID, TreasuryAccount::get()), 0);
		let trapped: Vec<_> = System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::PolkadotXcm(pallet_xcm::Event::AssetsTrapped {
					origin,
					assets,
					..
				}) => Some((origin, assets)),
				_ => None,
			})
			.collect();
		let expected: xcm::VersionedAssets = XcmAssets::from(Asset::from((sib(), sent))).into();
		assert_eq!(trapped, vec![(Location::new(1, [Parachain(SIBLING_PARA_ID)]), expected)]);
	});
	assert_eq!(sib_backing_on_sibling(), sent);
	assert_eq!(sib_issuance_on_lever(), sent);
	lever_invariants_hold();
}

#[test]
fn payment_api_lists_lvr_and_registered_fee_assets_and_prices_weight() {
	use xcm_runtime_apis::fees::{runtime_decl_for_xcm_payment_api::XcmPaymentApiV2, Error};
	reset();
	Lever::execute_with(|| {
		let accepted = Runtime::query_acceptable_payment_assets(XCM_VERSION).unwrap();
		assert_eq!(accepted, vec![AssetId(Location::here()).into(), AssetId(sib()).into()],);

		let weight = Weight::from_parts(3_000_000_001, 10_000);
		// LVR: one planck per picosecond, as transactions pay.
		assert_eq!(
			Runtime::query_weight_to_asset_fee(weight, AssetId(Location::here()).into()),
			Ok(3_000_000_001)
		);
		// SIB: a tenth of that, rounded up.
		assert_eq!(
			Runtime::query_weight_to_asset_fee(weight, AssetId(sib()).into()),
			Ok(300_000_001)
		);
		let unregistered = Location::new(1, [Parachain(SIBLING_PARA_ID), GeneralIndex(42)]);
		assert_eq!(
			Runtime::query_weight_to_asset_fee(weight, AssetId(unregistered).into()),
			Err(Error::AssetNotFound)
		);
		// Four instructions at the unit cost.
		let message = Xcm::<()>(vec![ClearOrigin; 4]);
		assert_eq!(
			Runtime::query_xcm_weight(VersionedXcm::from(message)),
			Ok(UnitWeightCost::get() * 4)
		);
	});
}

#[test]
fn dry_run_and_location_apis_answer_from_the_runtime() {
	use xcm_runtime_apis::{
		conversions::runtime_decl_for_location_to_account_api::LocationToAccountApi,
		dry_run::runtime_decl_for_dry_run_api::DryRunApiV2,
	};
	reset();
	Lever::execute_with(|| {
		assert_eq!(
			Runtime::convert_location(VersionedLocation::from(remote_user())),
			Ok(derived_account())
		);

		// What a reserve transfer of 5 SIB from the sibling would do, without doing it.
		let message = Xcm::<RuntimeCall>(vec![
			ReserveAssetDeposited((sib(), 5 * SIB).into()),
			ClearOrigin,
			BuyExecution { fees: (sib(), 5 * SIB).into(), weight_limit: Unlimited },
			DepositAsset { assets: AllCounted(1).into(), beneficiary: remote_user() },
		]);
		let effects =
			Runtime::dry_run_xcm(VersionedLocation::from(sib()), VersionedXcm::from(message))
				.expect("the dry run runs");
		assert!(matches!(effects.execution_result, Outcome::Complete { .. }));
		assert!(effects.emitted_events.iter().any(|event| matches!(
			event,
			RuntimeEvent::Assets(pallet_assets::Event::Deposited { asset_id: SIB_ID, who, amount })
				if *who == derived_account() && *amount == 5 * SIB - sib_fee(4)
		)));
		assert!(effects.emitted_events.iter().any(|event| matches!(
			event,
			RuntimeEvent::Assets(pallet_assets::Event::Deposited { asset_id: SIB_ID, who, amount })
				if *who == TreasuryAccount::get() && *amount == sib_fee(4)
		)));
		assert!(effects.forwarded_xcms.is_empty());
		// Nothing was kept.
		assert_eq!(Assets::total_issuance(SIB_ID), 0);
	});
}
