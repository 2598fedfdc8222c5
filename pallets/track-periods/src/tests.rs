//! The periods: their default, genesis, the admin's changes and the refusals.

use crate::{mock::*, Error, Event, Periods, TrackPeriods as Stored};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

const FAST: Periods<u64> = Periods { prepare: 1, decision: 20, confirm: 2, enactment: 5 };

#[test]
fn without_genesis_periods_the_default_is_in_force() {
	new_test_ext().execute_with(|| {
		assert_eq!(Stored::<Test>::get(), DEFAULT);
		assert_ok!(TrackPeriods::do_try_state());
	});
}

#[test]
fn genesis_sets_the_periods() {
	ext_with(Some(FAST)).execute_with(|| assert_eq!(Stored::<Test>::get(), FAST));
}

#[test]
#[should_panic(expected = "genesis track periods are invalid")]
fn genesis_refuses_invalid_periods() {
	ext_with(Some(Periods { confirm: 21, ..FAST }));
}

#[test]
fn the_admin_sets_the_periods() {
	new_test_ext().execute_with(|| {
		assert_ok!(TrackPeriods::set_periods(RuntimeOrigin::root(), FAST));
		assert_eq!(Stored::<Test>::get(), FAST);
		System::assert_last_event(Event::PeriodsSet { periods: FAST }.into());
		assert_ok!(TrackPeriods::do_try_state());
	});
}

#[test]
fn anyone_else_is_refused() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			TrackPeriods::set_periods(RuntimeOrigin::signed(1), FAST),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_zero_period_is_refused() {
	new_test_ext().execute_with(|| {
		for periods in [
			Periods { prepare: 0, ..FAST },
			Periods { decision: 0, confirm: 0, ..FAST },
			Periods { confirm: 0, ..FAST },
			Periods { enactment: 0, ..FAST },
		] {
			assert_noop!(
				TrackPeriods::set_periods(RuntimeOrigin::root(), periods),
				Error::<Test>::ZeroPeriod
			);
		}
	});
}

#[test]
fn a_confirmation_longer_than_the_decision_is_refused() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			TrackPeriods::set_periods(RuntimeOrigin::root(), Periods { confirm: 21, ..FAST }),
			Error::<Test>::ConfirmLongerThanDecision
		);
		assert_ok!(TrackPeriods::set_periods(
			RuntimeOrigin::root(),
			Periods { confirm: 20, ..FAST }
		));
	});
}
