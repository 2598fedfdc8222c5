//! The registry's calls, their errors, and its XCM adapters.

use crate::{
	adapters::IsForeignReserve, mock::*, AssetLocations, Error, Event, FeeRates, Location,
	LocationAssets, NextAssetId, StringOf,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungibles::{metadata::Inspect as MetadataInspect, Inspect},
		ContainsPair,
	},
};
use sp_runtime::{traits::MaybeEquivalence, DispatchError, FixedU128, Rounding};
use xcm::{
	latest::{Asset, Fungibility},
	v5::Junction::*,
	VersionedLocation,
};

/// A sibling's native token.
fn sibling_native(para: u32) -> Location {
	Location::new(1, [Parachain(para)])
}

/// A token issued in a sibling's assets pallet.
fn sibling_token(para: u32, index: u128) -> Location {
	Location::new(1, [Parachain(para), PalletInstance(50), GeneralIndex(index)])
}

fn text(bytes: &[u8]) -> StringOf<Test> {
	StringOf::<Test>::truncate_from(bytes.to_vec())
}

fn register(location: Location, fee_rate: Option<FixedU128>) -> Result<(), DispatchError> {
	Registry::register_foreign_asset(
		RuntimeOrigin::root(),
		Box::new(VersionedLocation::from(location)),
		text(b"Sibling"),
		text(b"SIB"),
		12,
		1_000,
		fee_rate,
	)
}

#[test]
fn registering_creates_a_sufficient_asset_owned_by_the_registry() {
	run(|| {
		let rate = FixedU128::from_rational(1, 50);
		assert_ok!(register(sibling_native(2_000), Some(rate)));

		assert_eq!(Registry::asset_at(&sibling_native(2_000)), Some(FIRST_FOREIGN));
		assert_eq!(Registry::location_of(FIRST_FOREIGN), Some(sibling_native(2_000)));
		assert_eq!(FeeRates::<Test>::get(FIRST_FOREIGN), Some(rate));
		assert_eq!(Assets::minimum_balance(FIRST_FOREIGN), 1_000);
		assert_eq!(Assets::decimals(FIRST_FOREIGN), 12);
		assert_eq!(Assets::symbol(FIRST_FOREIGN), b"SIB".to_vec());
		let details = pallet_assets::Asset::<Test>::get(FIRST_FOREIGN).unwrap();
		assert!(details.is_sufficient);
		assert_eq!(details.owner, Registry::account_id());
		assert_eq!(details.deposit, 0);
		System::assert_has_event(
			Event::ForeignAssetRegistered {
				asset_id: FIRST_FOREIGN,
				location: sibling_native(2_000),
			}
			.into(),
		);
		System::assert_last_event(
			Event::FeeRateSet { asset_id: FIRST_FOREIGN, rate: Some(rate) }.into(),
		);

		assert_ok!(register(sibling_token(2_000, 7), None));
		assert_eq!(Registry::asset_at(&sibling_token(2_000, 7)), Some(FIRST_FOREIGN + 1));
		assert_eq!(FeeRates::<Test>::get(FIRST_FOREIGN + 1), None);
	});
}

#[test]
fn registration_refuses_bad_input_and_changes_nothing() {
	run(|| {
		assert_noop!(
			Registry::register_foreign_asset(
				RuntimeOrigin::signed(1),
				Box::new(VersionedLocation::from(sibling_native(2_000))),
				text(b"Sibling"),
				text(b"SIB"),
				12,
				1_000,
				None,
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			register(Location::new(0, [PalletInstance(10), GeneralIndex(1)]), None),
			Error::<Test>::LocalLocation
		);
		assert_noop!(register(Location::here(), None), Error::<Test>::LocalLocation);
		assert_noop!(
			register(sibling_native(2_000), Some(FixedU128::from_u32(0))),
			Error::<Test>::ZeroFeeRate
		);
		assert_noop!(
			Registry::register_foreign_asset(
				RuntimeOrigin::root(),
				Box::new(VersionedLocation::from(sibling_native(2_000))),
				text(b"Sibling"),
				text(b"SIB"),
				12,
				0,
				None,
			),
			pallet_assets::Error::<Test>::MinBalanceZero
		);

		assert_ok!(register(sibling_native(2_000), None));
		assert_noop!(register(sibling_native(2_000), None), Error::<Test>::LocationInUse);
	});
}

#[test]
fn registration_stops_at_the_end_of_the_range() {
	run(|| {
		for para in 0..=(LAST_FOREIGN - FIRST_FOREIGN) {
			assert_ok!(register(sibling_native(2_000 + para), None));
		}
		assert_eq!(NextAssetId::<Test>::get(), Some(LAST_FOREIGN + 1));
		assert_noop!(register(sibling_native(3_000), None), Error::<Test>::NoFreeAssetId);
	});
}

#[test]
fn registration_refuses_an_identifier_already_in_pallet_assets() {
	run(|| {
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), FIRST_FOREIGN, 1, true, 1));
		assert_noop!(register(sibling_native(2_000), None), pallet_assets::Error::<Test>::InUse);
	});
}

#[test]
fn fee_rates_are_set_removed_and_checked() {
	run(|| {
		assert_ok!(register(sibling_native(2_000), None));
		let rate = FixedU128::from_rational(3, 2);

		assert_noop!(
			Registry::set_fee_rate(RuntimeOrigin::signed(1), FIRST_FOREIGN, Some(rate)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::set_fee_rate(RuntimeOrigin::root(), FIRST_FOREIGN + 1, Some(rate)),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Registry::set_fee_rate(
				RuntimeOrigin::root(),
				FIRST_FOREIGN,
				Some(FixedU128::from_u32(0))
			),
			Error::<Test>::ZeroFeeRate
		);

		assert_ok!(Registry::set_fee_rate(RuntimeOrigin::root(), FIRST_FOREIGN, Some(rate)));
		System::assert_last_event(
			Event::FeeRateSet { asset_id: FIRST_FOREIGN, rate: Some(rate) }.into(),
		);
		// 1.5 per unit: 7 units cost 10.5, charged 11 and refunded 10.
		assert_eq!(Registry::fee_in(&sibling_native(2_000), 7, Rounding::Up), Some(11));
		assert_eq!(Registry::fee_in(&sibling_native(2_000), 7, Rounding::Down), Some(10));
		assert_eq!(Registry::fee_in(&sibling_native(2_000), u128::MAX, Rounding::Up), None);
		assert_eq!(Registry::fee_in(&sibling_native(2_001), 7, Rounding::Up), None);
		assert_eq!(Registry::fee_assets(), vec![(sibling_native(2_000), rate)]);

		assert_ok!(Registry::set_fee_rate(RuntimeOrigin::root(), FIRST_FOREIGN, None));
		assert_eq!(Registry::fee_in(&sibling_native(2_000), 7, Rounding::Up), None);
		assert!(Registry::fee_assets().is_empty());
	});
}

#[test]
fn a_location_update_moves_the_asset_and_frees_the_old_location() {
	run(|| {
		assert_ok!(register(sibling_native(2_000), None));
		assert_ok!(register(sibling_native(2_001), None));
		let new = Box::new(VersionedLocation::from(sibling_token(2_002, 1)));

		assert_noop!(
			Registry::update_location(RuntimeOrigin::signed(1), FIRST_FOREIGN, new.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Registry::update_location(RuntimeOrigin::root(), LAST_FOREIGN, new.clone()),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Registry::update_location(
				RuntimeOrigin::root(),
				FIRST_FOREIGN,
				Box::new(VersionedLocation::from(sibling_native(2_001)))
			),
			Error::<Test>::LocationInUse
		);
		assert_noop!(
			Registry::update_location(
				RuntimeOrigin::root(),
				FIRST_FOREIGN,
				Box::new(VersionedLocation::from(Location::here()))
			),
			Error::<Test>::LocalLocation
		);

		assert_ok!(Registry::update_location(RuntimeOrigin::root(), FIRST_FOREIGN, new));
		assert_eq!(Registry::asset_at(&sibling_token(2_002, 1)), Some(FIRST_FOREIGN));
		assert_eq!(Registry::asset_at(&sibling_native(2_000)), None);
		assert_eq!(AssetLocations::<Test>::get(FIRST_FOREIGN), Some(sibling_token(2_002, 1)));
		assert_eq!(LocationAssets::<Test>::iter().count(), 2);
		System::assert_last_event(
			Event::LocationUpdated {
				asset_id: FIRST_FOREIGN,
				old: sibling_native(2_000),
				new: sibling_token(2_002, 1),
			}
			.into(),
		);
	});
}

#[test]
fn only_registered_locations_convert_to_assets() {
	run(|| {
		assert_ok!(register(sibling_token(2_000, 7), None));
		assert_eq!(
			<Registry as MaybeEquivalence<_, _>>::convert(&sibling_token(2_000, 7)),
			Some(100)
		);
		assert_eq!(<Registry as MaybeEquivalence<_, _>>::convert(&sibling_token(2_000, 8)), None);
		assert_eq!(<Registry as MaybeEquivalence<_, _>>::convert(&sibling_native(2_000)), None);
		assert_eq!(
			<Registry as MaybeEquivalence<Location, u32>>::convert_back(&100),
			Some(sibling_token(2_000, 7))
		);
		assert_eq!(<Registry as MaybeEquivalence<Location, u32>>::convert_back(&101), None);
	});
}

#[test]
fn a_reserve_transfer_is_accepted_only_from_the_asset_s_own_chain() {
	run(|| {
		assert_ok!(register(sibling_token(2_000, 7), None));
		assert_ok!(register(Location::parent(), None));
		let token =
			|location: Location| Asset { id: location.into(), fun: Fungibility::Fungible(5) };

		assert!(IsForeignReserve::<Test>::contains(
			&token(sibling_token(2_000, 7)),
			&sibling_native(2_000)
		));
		assert!(IsForeignReserve::<Test>::contains(
			&token(Location::parent()),
			&Location::parent()
		));
		// Another sibling cannot bring in 2000's token, nor the relay's.
		assert!(!IsForeignReserve::<Test>::contains(
			&token(sibling_token(2_000, 7)),
			&sibling_native(2_001)
		));
		assert!(!IsForeignReserve::<Test>::contains(
			&token(Location::parent()),
			&sibling_native(2_000)
		));
		// An unregistered token is refused even from its own chain.
		assert!(!IsForeignReserve::<Test>::contains(
			&token(sibling_token(2_000, 8)),
			&sibling_native(2_000)
		));
	});
}

#[test]
fn genesis_registers_its_assets_in_order() {
	use sp_runtime::BuildStorage;
	let storage = RuntimeGenesisConfig {
		registry: crate::GenesisConfig {
			assets: vec![
				(sibling_native(2_000), b"Sibling".to_vec(), b"SIB".to_vec(), 12, 1_000, None),
				(
					Location::parent(),
					b"Relay".to_vec(),
					b"DOT".to_vec(),
					10,
					1_000,
					Some(FixedU128::from_rational(1, 100)),
				),
			],
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(Registry::asset_at(&sibling_native(2_000)), Some(FIRST_FOREIGN));
		assert_eq!(Registry::asset_at(&Location::parent()), Some(FIRST_FOREIGN + 1));
		assert_eq!(Assets::decimals(FIRST_FOREIGN + 1), 10);
		assert_eq!(
			FeeRates::<Test>::get(FIRST_FOREIGN + 1),
			Some(FixedU128::from_rational(1, 100))
		);
		Registry::do_try_state().unwrap();
	});
}
