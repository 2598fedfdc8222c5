//! The development runtime's governance tiers and users' batteries, through the real pallets:
//! a referendum passes, waits its enactment delay and applies; the risk council
//! (pallet-collective) acts at once by motion but only to reduce risk, needs a majority for that
//! and two thirds for an emergency shutdown; proxies act within their type;
//! batches and multisig accounts dispatch as their origin. Each row of docs/GOVERNANCE.md's
//! powers table that concerns the council is tested here.

mod common;

use codec::Encode;
use common::{account, dev_chain, signed};
use frame_support::traits::{schedule::DispatchTime, Hooks, StorePreimage};
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo};
use lever_primitives::LendingPositions;
use lever_runtime::{
	configs::accounts::ProxyType, genesis::dev_assets::DOT, AccountId, Balances, ConvictionVoting,
	Lending, OriginCaller, Preimage, Proxy, Referenda, RiskCouncil, Runtime, RuntimeCall,
	RuntimeEvent, Scheduler, System, Utility,
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_lending::MarketStatus;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
use sp_runtime::{traits::Hash, DispatchError, DispatchResult, FixedU128};

/// Proposes `call` to the risk council from the first of `ayes`, has them all vote aye and
/// closes the motion; returns the result of the call as the council dispatched it.
fn pass_motion(ayes: &[AccountId], call: RuntimeCall) -> DispatchResult {
	System::set_block_number(System::block_number() + 1);
	System::reset_events();
	let length = call.encoded_size() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let threshold = ayes.len() as u32;
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	assert_ok!(RiskCouncil::propose(signed(&ayes[0]), threshold, Box::new(call), length));
	if threshold > 1 {
		// The proposer votes too: proposing is not voting.
		for member in ayes {
			assert_ok!(RiskCouncil::vote(signed(member), hash, index, true));
		}
		assert_ok!(RiskCouncil::close(signed(&ayes[0]), hash, index, weight, length));
	}
	System::events()
		.into_iter()
		.find_map(|record| match record.event {
			RuntimeEvent::RiskCouncil(
				pallet_collective::Event::Executed { result, .. }
				| pallet_collective::Event::MemberExecuted { result, .. },
			) => Some(result),
			_ => None,
		})
		.expect("the motion was executed")
}

/// What `who` has supplied to the DOT market, interest included.
fn supplied(who: &AccountId) -> u128 {
	<Lending as LendingPositions<AccountId>>::supplied(who, DOT.id).expect("a DOT market")
}

fn status_of(asset: u32) -> MarketStatus {
	pallet_lending::Markets::<Runtime>::get(asset).expect("a genesis market").status
}

fn freeze_dot() -> RuntimeCall {
	RuntimeCall::Lending(pallet_lending::Call::set_market_status {
		asset: DOT.id,
		status: MarketStatus::Frozen,
	})
}

#[test]
fn a_council_majority_freezes_a_market_at_once() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		assert_eq!(status_of(DOT.id), MarketStatus::Active);
		assert_ok!(pass_motion(&[account(Alice), account(Bob)], freeze_dot()));
		assert_eq!(status_of(DOT.id), MarketStatus::Frozen);
	});
}

#[test]
fn one_council_member_alone_cannot_act() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		assert_eq!(pass_motion(&[account(Alice)], freeze_dot()), Err(DispatchError::BadOrigin));
		assert_eq!(status_of(DOT.id), MarketStatus::Active);
	});
}

#[test]
fn someone_off_the_council_cannot_propose() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let call = freeze_dot();
		let length = call.encoded_size() as u32;
		assert_noop!(
			RiskCouncil::propose(signed(&account(Dave)), 2, Box::new(call), length),
			pallet_collective::Error::<Runtime, pallet_collective::Instance1>::NotMember
		);
	});
}

#[test]
fn the_council_may_lower_a_supply_cap_but_not_raise_it() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let params = pallet_lending::Markets::<Runtime>::get(DOT.id).expect("a market").params;
		let with_cap = |supply_cap| {
			RuntimeCall::Lending(pallet_lending::Call::set_market_params {
				asset: DOT.id,
				params: pallet_lending::MarketParams { supply_cap, ..params },
			})
		};
		let majority = [account(Alice), account(Bob)];
		assert_eq!(
			pass_motion(&majority, with_cap(params.supply_cap + 1)),
			Err(pallet_lending::Error::<Runtime>::RiskIncreasing.into())
		);
		let lower = params.supply_cap / 2;
		assert_ok!(pass_motion(&majority, with_cap(lower)));
		let now = pallet_lending::Markets::<Runtime>::get(DOT.id).expect("a market").params;
		assert_eq!(now.supply_cap, lower);
		// Full governance may raise it again.
		assert_ok!(Lending::set_market_params(
			frame_system::RawOrigin::Root.into(),
			DOT.id,
			params
		));
	});
}

#[test]
fn the_council_may_raise_a_vault_ratio_but_not_lower_it_nor_list_a_type() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let params = pallet_vaults::CollateralTypes::<Runtime>::get(DOT.id).expect("a type").params;
		let with_ratio = |liquidation_ratio, target_ratio| {
			RuntimeCall::Vaults(pallet_vaults::Call::set_collateral_type {
				asset: DOT.id,
				params: pallet_vaults::CollateralParams {
					liquidation_ratio,
					target_ratio,
					..params
				},
			})
		};
		let majority = [account(Alice), account(Bob)];
		let step = FixedU128::from_rational(1, 10);
		assert_eq!(
			pass_motion(
				&majority,
				with_ratio(params.liquidation_ratio - step, params.target_ratio)
			),
			Err(pallet_vaults::Error::<Runtime>::RiskIncreasing.into())
		);
		assert_ok!(pass_motion(
			&majority,
			with_ratio(params.liquidation_ratio + step, params.target_ratio + step)
		));
		// Listing a new collateral type (USDC has none) needs full governance.
		let listing = RuntimeCall::Vaults(pallet_vaults::Call::set_collateral_type {
			asset: lever_runtime::genesis::dev_assets::USDC.id,
			params,
		});
		assert_eq!(
			pass_motion(&majority, listing),
			Err(pallet_vaults::Error::<Runtime>::RiskIncreasing.into())
		);
	});
}

#[test]
fn shutdown_needs_two_thirds_of_the_council() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let shutdown = || RuntimeCall::Vaults(pallet_vaults::Call::shutdown {});
		assert_eq!(pass_motion(&[account(Alice)], shutdown()), Err(DispatchError::BadOrigin));
		assert!(pallet_vaults::ShutdownAt::<Runtime>::get().is_none());
		// Shutdown freezes each collateral type's price, which must be fresh.
		for asset in lever_runtime::genesis::dev_assets::ALL {
			common::set_price(asset, asset.reference_cents.into());
		}
		assert_ok!(pass_motion(&[account(Alice), account(Bob)], shutdown()));
		assert!(pallet_vaults::ShutdownAt::<Runtime>::get().is_some());
	});
}

#[test]
fn the_council_may_freeze_a_price_but_not_unfreeze_it() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let majority = [account(Alice), account(Bob)];
		let freeze = RuntimeCall::Oracle(pallet_oracle::Call::freeze_asset { asset: DOT.id });
		assert_ok!(pass_motion(&majority, freeze));
		let unfreeze = RuntimeCall::Oracle(pallet_oracle::Call::unfreeze_asset { asset: DOT.id });
		assert_eq!(pass_motion(&majority, unfreeze), Err(DispatchError::BadOrigin));
	});
}

#[test]
fn only_full_governance_sets_the_council() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let members = vec![account(Alice), account(Dave)];
		assert_noop!(
			RiskCouncil::set_members(signed(&account(Alice)), members.clone(), None, 3),
			DispatchError::BadOrigin
		);
		let call = RuntimeCall::RiskCouncil(pallet_collective::Call::set_members {
			new_members: members.clone(),
			prime: None,
			old_count: 3,
		});
		let majority = [account(Alice), account(Bob)];
		assert_eq!(pass_motion(&majority, call), Err(DispatchError::BadOrigin));
		assert_ok!(RiskCouncil::set_members(
			frame_system::RawOrigin::Root.into(),
			members.clone(),
			None,
			3
		));
		assert_eq!(pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(), {
			let mut sorted = members;
			sorted.sort();
			sorted
		});
	});
}

#[test]
fn a_positions_proxy_manages_positions_but_cannot_move_funds_away() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		System::set_block_number(1);
		let (owner, bot) = (account(Alice), account(Dave));
		assert_ok!(Proxy::add_proxy(signed(&owner), bot.clone().into(), ProxyType::Positions, 0));
		let supply = RuntimeCall::Lending(pallet_lending::Call::supply {
			asset: DOT.id,
			amount: 10 * DOT.unit(),
		});
		assert_ok!(Proxy::proxy(signed(&bot), owner.clone().into(), None, Box::new(supply)));
		let supplied = supplied(&owner);
		assert!(supplied > 0, "the proxy supplied for the owner: {supplied}");

		let free = Balances::free_balance(&owner);
		let steal = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: bot.clone().into(),
			value: free / 2,
		});
		// Nor through a flash loan, whose inner calls run as the owner.
		let flash_steal = RuntimeCall::Lending(pallet_lending::Call::flash_loan {
			asset: DOT.id,
			amount: DOT.unit(),
			calls: vec![steal.clone()].try_into().expect("one call fits"),
		});
		for call in [steal, flash_steal] {
			System::reset_events();
			assert_ok!(Proxy::proxy(signed(&bot), owner.clone().into(), None, Box::new(call)));
			assert!(
				System::events().iter().any(|record| matches!(
					record.event,
					RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted {
						result: Err(DispatchError::Module(_))
					})
				)),
				"the call was filtered"
			);
			assert_eq!(Balances::free_balance(&owner), free);
		}
	});
}

#[test]
fn a_batch_dispatches_each_call_from_the_sender() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let owner = account(Bob);
		let supply =
			|amount| RuntimeCall::Lending(pallet_lending::Call::supply { asset: DOT.id, amount });
		assert_ok!(Utility::batch_all(
			signed(&owner),
			vec![supply(3 * DOT.unit()), supply(4 * DOT.unit())]
		));
		// Both supplies landed, less the seed the market keeps if this was its first supply.
		let supplied = supplied(&owner);
		assert!(supplied >= 7 * DOT.unit() - DOT.min_balance(), "both landed: {supplied}");
	});
}

#[test]
fn a_two_of_three_multisig_acts_once_both_approve() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		System::set_block_number(1);
		let mut signatories = [account(Alice), account(Bob), account(Charlie)];
		// A multisig account is derived from its signatories in sorted order.
		signatories.sort();
		let multisig = pallet_multisig::Pallet::<Runtime>::multi_account_id(&signatories, 2);
		let fund = Balances::transfer_keep_alive(
			signed(&signatories[0]),
			multisig.clone().into(),
			10 * lever_runtime::currency::UNIT,
		);
		assert_ok!(fund);
		let pay = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: account(Dave).into(),
			value: lever_runtime::currency::UNIT,
		});
		let others = |me: usize| {
			let mut rest: Vec<AccountId> = signatories
				.iter()
				.enumerate()
				.filter(|(i, _)| *i != me)
				.map(|(_, a)| a.clone())
				.collect();
			rest.sort();
			rest
		};
		let dave_before = Balances::free_balance(account(Dave));
		let weight = pay.get_dispatch_info().call_weight;
		assert_ok!(pallet_multisig::Pallet::<Runtime>::as_multi(
			signed(&signatories[0]),
			2,
			others(0),
			None,
			Box::new(pay.clone()),
			weight
		));
		assert_eq!(Balances::free_balance(account(Dave)), dave_before);
		let timepoint = pallet_multisig::Pallet::<Runtime>::timepoint();
		assert_ok!(pallet_multisig::Pallet::<Runtime>::as_multi(
			signed(&signatories[1]),
			2,
			others(1),
			Some(timepoint),
			Box::new(pay),
			weight
		));
		assert_eq!(
			Balances::free_balance(account(Dave)),
			dave_before + lever_runtime::currency::UNIT
		);
	});
}

#[test]
fn proxy_types_only_contain_narrower_types() {
	use frame_support::traits::InstanceFilter;
	let types = [
		ProxyType::Any,
		ProxyType::NonTransfer,
		ProxyType::Positions,
		ProxyType::Governance,
		ProxyType::CancelProxy,
	];
	let calls = [
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: account(Dave).into(),
			value: 1,
		}),
		RuntimeCall::Lending(pallet_lending::Call::supply { asset: DOT.id, amount: 1 }),
		freeze_dot(),
		RuntimeCall::RiskCouncil(pallet_collective::Call::vote {
			proposal: Default::default(),
			index: 0,
			approve: true,
		}),
		RuntimeCall::Vaults(pallet_vaults::Call::mint { asset: DOT.id, amount: 1 }),
		RuntimeCall::Lending(pallet_lending::Call::flash_loan {
			asset: DOT.id,
			amount: 1,
			calls: Default::default(),
		}),
		RuntimeCall::Proxy(pallet_proxy::Call::reject_announcement {
			delegate: account(Dave).into(),
			call_hash: Default::default(),
		}),
	];
	// A type that claims to contain another must allow every call the other allows.
	for wide in types {
		for narrow in types {
			if wide.is_superset(&narrow) {
				for call in &calls {
					assert!(
						!narrow.filter(call) || wide.filter(call),
						"{wide:?} contains {narrow:?} but refuses {call:?}"
					);
				}
			}
		}
	}
}

/// Moves to block `to`, running the scheduler (which wakes referenda and enacts them) in every
/// block on the way.
fn run_to(to: u32) {
	while System::block_number() < to {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Scheduler::on_initialize(next);
	}
}

#[test]
fn a_referendum_passes_waits_its_enactment_delay_and_applies() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		run_to(1);
		let periods = pallet_track_periods::TrackPeriods::<Runtime>::get();
		assert_eq!(periods, lever_runtime::genesis::TEST_TRACK_PERIODS);
		let params = pallet_lending::Markets::<Runtime>::get(DOT.id).expect("a market").params;
		let raised = pallet_lending::MarketParams { supply_cap: params.supply_cap * 2, ..params };
		let call = RuntimeCall::Lending(pallet_lending::Call::set_market_params {
			asset: DOT.id,
			params: raised,
		});
		let proposal = Preimage::bound(call).expect("the call fits a preimage");
		let root = Box::new(OriginCaller::system(frame_system::RawOrigin::Root));
		let voters: Vec<AccountId> =
			sp_keyring::Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect();
		assert_ok!(Referenda::submit(signed(&voters[0]), root, proposal, DispatchTime::After(0)));
		assert_ok!(Referenda::place_decision_deposit(signed(&voters[1]), 0));
		let vote = AccountVote::Standard {
			vote: Vote { aye: true, conviction: Conviction::Locked1x },
			balance: 900_000 * lever_runtime::currency::UNIT,
		};
		for voter in &voters {
			assert_ok!(ConvictionVoting::vote(signed(voter), 0, vote));
		}

		// Deciding starts after the preparation period, and approval needs the confirmation
		// period on top.
		let approved_at = loop {
			if let Some(pallet_referenda::ReferendumInfo::Approved(at, ..)) =
				pallet_referenda::ReferendumInfoFor::<Runtime>::get(0)
			{
				break at;
			}
			assert!(
				System::block_number() < 1 + periods.prepare + periods.decision,
				"not approved"
			);
			run_to(System::block_number() + 1);
		};
		assert!(approved_at >= 1 + periods.prepare + periods.confirm, "approved at {approved_at}");
		let now = || pallet_lending::Markets::<Runtime>::get(DOT.id).expect("a market").params;
		assert_eq!(now(), params, "approval alone changes nothing");

		// Users can exit for the whole enactment delay; the change applies at its end.
		run_to(approved_at + periods.enactment - 1);
		assert_eq!(now(), params, "not before the enactment delay has passed");
		run_to(approved_at + periods.enactment);
		assert_eq!(now(), raised);
	});
}

#[test]
fn a_referendum_without_enough_support_changes_nothing() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		run_to(1);
		let periods = pallet_track_periods::TrackPeriods::<Runtime>::get();
		let params = pallet_lending::Markets::<Runtime>::get(DOT.id).expect("a market").params;
		let call = RuntimeCall::Lending(pallet_lending::Call::set_market_params {
			asset: DOT.id,
			params: pallet_lending::MarketParams { supply_cap: params.supply_cap * 2, ..params },
		});
		let proposal = Preimage::bound(call).expect("the call fits a preimage");
		let root = Box::new(OriginCaller::system(frame_system::RawOrigin::Root));
		let alice = account(Alice);
		assert_ok!(Referenda::submit(signed(&alice), root, proposal, DispatchTime::After(0)));
		assert_ok!(Referenda::place_decision_deposit(signed(&alice), 0));
		// One account's tenth of a million LVR is far below the 5% of issuance the support
		// curve ends at.
		let vote = AccountVote::Standard {
			vote: Vote { aye: true, conviction: Conviction::Locked6x },
			balance: 100_000 * lever_runtime::currency::UNIT,
		};
		assert_ok!(ConvictionVoting::vote(signed(&alice), 0, vote));
		run_to(2 + periods.prepare + periods.decision + periods.enactment);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(0),
			Some(pallet_referenda::ReferendumInfo::Rejected(..))
		));
		assert_eq!(
			pallet_lending::Markets::<Runtime>::get(DOT.id).expect("a market").params,
			params
		);
	});
}

#[test]
fn track_periods_change_only_by_full_governance() {
	let (mut ext, _) = dev_chain();
	ext.execute_with(|| {
		let periods =
			pallet_track_periods::Periods { prepare: 5, decision: 100, confirm: 5, enactment: 20 };
		assert_noop!(
			lever_runtime::TrackPeriods::set_periods(signed(&account(Alice)), periods),
			DispatchError::BadOrigin
		);
		let call = RuntimeCall::TrackPeriods(pallet_track_periods::Call::set_periods { periods });
		assert_eq!(
			pass_motion(&[account(Alice), account(Bob), account(Charlie)], call),
			Err(DispatchError::BadOrigin)
		);
		assert_ok!(lever_runtime::TrackPeriods::set_periods(
			frame_system::RawOrigin::Root.into(),
			periods
		));
		assert_eq!(pallet_track_periods::TrackPeriods::<Runtime>::get(), periods);
	});
}
