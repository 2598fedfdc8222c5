//! Tests of listing and removing validators, of planning at session boundaries and of the
//! rotation driver, with a property test over any sequence of governance and key changes.

use crate::{mock::*, Error, Event, Planned, Validators};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use proptest::prelude::*;
use sp_runtime::DispatchError;

fn listed() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

fn planned() -> Option<Vec<u64>> {
	Planned::<Test>::get().map(|set| set.into_inner())
}

#[test]
fn genesis_seats_the_listed_validators() {
	new_test_ext().execute_with(|| {
		assert_eq!(listed(), vec![1, 2, 3]);
		assert_eq!(InOffice::get(), vec![1, 2, 3]);
		assert_eq!(planned(), Some(vec![1, 2, 3]));
		assert_eq!(pallet_session::Validators::<Test>::get(), vec![1, 2, 3]);
	});
}

#[test]
fn a_listed_validator_takes_office_two_boundaries_later() {
	new_test_ext().execute_with(|| {
		assert_ok!(set_keys(4, 4));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		System::assert_last_event(Event::ValidatorAdded { validator: 4 }.into());
		assert_eq!(listed(), vec![1, 2, 3, 4]);
		run_sessions(1);
		assert_eq!(InOffice::get(), vec![1, 2, 3], "planned at the first boundary, not in office");
		assert_eq!(planned(), Some(vec![1, 2, 3, 4]));
		run_sessions(1);
		assert_eq!(InOffice::get(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn a_removed_validator_leaves_office_two_boundaries_later() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::ValidatorRemoved { validator: 2 }.into());
		run_sessions(1);
		assert_eq!(InOffice::get(), vec![1, 2, 3]);
		run_sessions(1);
		assert_eq!(InOffice::get(), vec![1, 3]);
	});
}

#[test]
fn only_the_manager_origin_changes_the_list() {
	new_test_ext().execute_with(|| {
		assert_ok!(set_keys(4, 4));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(4), 4),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(1), 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn bad_additions_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 4),
			Error::<Test>::NoSessionKeys
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::AlreadyValidator
		);
		for who in 4..=8 {
			assert_ok!(set_keys(who, who));
			assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), who));
		}
		assert_ok!(set_keys(9, 9));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 9),
			Error::<Test>::TooManyValidators
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), u64::MAX),
			Error::<Test>::NoSessionKeys
		);
	});
}

#[test]
fn an_unseeded_list_refuses_additions() {
	new_test_ext().execute_with(|| {
		Validators::<Test>::kill();
		assert_ok!(set_keys(4, 4));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 4),
			Error::<Test>::NotSeeded
		);
	});
}

#[test]
fn bad_removals_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 4),
			Error::<Test>::NotValidator
		);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
fn an_unchanged_list_plans_nothing_and_grandpa_sees_no_change() {
	new_test_ext().execute_with(|| {
		run_sessions(3);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 3);
		assert!(!pallet_session::QueuedChanged::<Test>::get());
		assert!(!System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::ValidatorSet(Event::SetPlanned { .. })
		)));
	});
}

#[test]
fn validators_without_keys_are_left_out_of_the_plan() {
	new_test_ext().execute_with(|| {
		assert_ok!(set_keys(4, 4));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(2)));
		run_sessions(2);
		assert_eq!(InOffice::get(), vec![1, 3, 4]);
		assert_eq!(listed(), vec![1, 2, 3, 4], "still listed: it may register keys again");
		assert_ok!(set_keys(2, 22));
		run_sessions(2);
		assert_eq!(InOffice::get(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn too_few_with_keys_keeps_the_set_and_says_so() {
	new_test_ext().execute_with(|| {
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(2)));
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(3)));
		run_sessions(1);
		System::assert_has_event(Event::TooFewWithKeys { session: 2, with_keys: 1 }.into());
		assert_eq!(planned(), None);
		assert_ok!(set_keys(2, 2));
		assert_ok!(set_keys(3, 3));
		run_sessions(2);
		assert_eq!(InOffice::get(), vec![1, 2, 3]);
		assert_eq!(planned(), Some(vec![1, 2, 3]));
	});
}

#[test]
fn sessions_rotate_every_session_length_blocks() {
	new_test_ext().execute_with(|| {
		assert!(!ValidatorSet::is_boundary(0));
		assert!(!ValidatorSet::is_boundary(4));
		assert!(ValidatorSet::is_boundary(5));
		assert!(ValidatorSet::is_boundary(10));
		assert_eq!(ValidatorSet::on_initialize(4), Weight::zero());
		run_to(9);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 1);
		run_to(10);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 2);
	});
}

/// One change anyone (governance or a validator's own account) can make between boundaries.
#[derive(Clone, Debug)]
enum Change {
	Add(u64),
	Remove(u64),
	SetKeys(u64, u64),
	PurgeKeys(u64),
	Blocks(u64),
}

fn change() -> impl Strategy<Value = Change> {
	let who = 1u64..=12;
	prop_oneof![
		who.clone().prop_map(Change::Add),
		who.clone().prop_map(Change::Remove),
		(who.clone(), 1u64..=40).prop_map(|(who, key)| Change::SetKeys(who, key)),
		who.prop_map(Change::PurgeKeys),
		(1u64..=7).prop_map(Change::Blocks),
	]
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	/// Whatever governance and validators do, the list stays within its bounds, and two
	/// boundaries after the last change the validators in office are exactly the listed ones
	/// with keys, whenever at least `MinValidators` have keys.
	#[test]
	fn office_follows_the_listed_validators_with_keys(
		changes in proptest::collection::vec(change(), 1..40)
	) {
		new_test_ext().execute_with(|| {
			for change in changes {
				// Refusals are fine here: the invariants and the outcome are what is checked.
				let _ = match change {
					Change::Add(who) => ValidatorSet::add_validator(RuntimeOrigin::root(), who),
					Change::Remove(who) => ValidatorSet::remove_validator(RuntimeOrigin::root(), who),
					Change::SetKeys(who, key) => set_keys(who, key),
					Change::PurgeKeys(who) => Session::purge_keys(RuntimeOrigin::signed(who)),
					Change::Blocks(count) => {
						run_to(System::block_number() + count);
						Ok(())
					},
				};
				ValidatorSet::do_try_state().unwrap();
			}
			run_sessions(2);
			let with_keys: Vec<u64> = listed()
				.into_iter()
				.filter(|who| pallet_session::NextKeys::<Test>::contains_key(who))
				.collect();
			prop_assert!(listed().len() >= 2);
			if with_keys.len() >= 2 {
				prop_assert_eq!(InOffice::get(), with_keys);
			}
			Ok(())
		})?;
	}
}
