//! The vault index and detection: every vault with debt sits in a bucket of its debt per
//! collateral, moved in O(1) when the vault pallet reports a change; each block, the buckets above
//! each collateral type's unsafe ratio are queued whole and the boundary buckets are checked vault
//! by vault, resuming where the weight budget stopped them.

use super::*;
use frame_support::{weights::WeightMeter, BoundedVec};
use lever_primitives::{LendingLiquidation, VaultLiquidation, VaultRisk};
use sp_runtime::{traits::Zero, DispatchResult, FixedU128};

/// A vault more than one part in this many below the unsafe ratio is safe whatever the rounding;
/// vaults closer to the line get the vault pallet's exact check. The indexed and the exact checks
/// differ by the rounding of one unit of debt (10⁻¹⁴ of the 100 lvUSD minimum) and of 18-decimal
/// fixed point, far inside 10⁻⁹; a vault this close to the line crosses it within a block or so of
/// stability fees.
const EXACT_CHECK_BAND: u128 = 1_000_000_000;

/// The debts per collateral detection compares a collateral type's vaults with, at its current
/// risk.
#[derive(Clone, Copy)]
struct Thresholds {
	/// Above this a vault is unsafe.
	unsafe_ratio: FixedU128,
	/// Below this a vault is safe whatever the rounding; between the two, the exact check
	/// decides.
	surely_safe: FixedU128,
}

impl Thresholds {
	fn of(risk: &VaultRisk) -> Self {
		let unsafe_ratio = risk.unsafe_ratio;
		let band = unsafe_ratio.into_inner() / EXACT_CHECK_BAND;
		Self {
			unsafe_ratio,
			surely_safe: FixedU128::from_inner(unsafe_ratio.into_inner().saturating_sub(band)),
		}
	}

	/// The boundary buckets: from the bucket of the surely safe ratio to the unsafe ratio's.
	fn range(&self) -> (BucketKey, BucketKey) {
		(bucket_of(self.surely_safe), bucket_of(self.unsafe_ratio))
	}
}

impl<T: Config> Pallet<T> {
	/// Puts a vault where its values say: out of the index without debt, in its bucket with
	/// debt. A queued vault stays queued; its turn re-reads it.
	pub(crate) fn update_index(asset: AssetId, owner: &T::AccountId, vault: IndexedVault) {
		match VaultSlots::<T>::get(asset, owner) {
			Some(VaultSlot::Queued) => return,
			Some(VaultSlot::Bucket(bucket)) => Self::remove_from_bucket(asset, bucket, owner),
			None => {},
		}
		if vault.normalized_debt == 0 {
			VaultSlots::<T>::remove(asset, owner);
		} else {
			Self::insert_into_bucket(asset, owner, vault);
		}
	}

	/// The oracle price of each collateral at which `who`'s vaults and lending position become
	/// liquidatable (for the runtime API): each vault's as the vault pallet defines it
	/// ([`VaultLiquidation::liquidation_price`]), the lending position's as the pools do.
	pub fn liquidation_prices(who: &T::AccountId) -> LiquidationPrices {
		let vaults = T::Vaults::collateral_types()
			.into_iter()
			.filter_map(|asset| {
				let (_, normalized_debt) = T::Vaults::vault(asset, who)?;
				(normalized_debt != 0).then(|| (asset, T::Vaults::liquidation_price(asset, who)))
			})
			.collect();
		LiquidationPrices { vaults, lending: T::Lending::liquidation_prices(who) }
	}

	/// Puts a vault that left the queue back in the index with its current values.
	pub(crate) fn reindex(asset: AssetId, owner: &T::AccountId) {
		VaultSlots::<T>::remove(asset, owner);
		if let Some((collateral, normalized_debt)) = T::Vaults::vault(asset, owner) {
			Self::update_index(asset, owner, IndexedVault { collateral, normalized_debt });
		}
	}

	fn insert_into_bucket(asset: AssetId, owner: &T::AccountId, vault: IndexedVault) {
		let bucket = bucket_of(vault.debt_per_collateral());
		BucketMembers::<T>::insert((asset, bucket), owner, vault);
		VaultSlots::<T>::insert(asset, owner, VaultSlot::Bucket(bucket));
		let size = BucketSizes::<T>::mutate((asset, bucket), |size| {
			*size = size.saturating_add(1);
			*size
		});
		if size == 1 {
			Self::set_occupied(asset, bucket, true);
		}
		let boundary = Scans::<T>::get(asset).range;
		if boundary.is_some_and(|(low, high)| (low..=high).contains(&bucket)) {
			Self::check_alone(asset, bucket, owner, &vault);
		}
	}

	/// Checks one vault that entered a boundary bucket, so the boundary never needs checking
	/// again for it: queued if unsafe, counted as the riskiest safe vault if it is. Only when it
	/// cannot be checked now (a stale price, a full queue) is the whole boundary marked for a
	/// new check. Buckets above the boundary need nothing: detection queues them whole.
	fn check_alone(asset: AssetId, bucket: BucketKey, owner: &T::AccountId, vault: &IndexedVault) {
		let verdict = T::Vaults::risk(asset)
			.map(|risk| Self::is_unsafe_now(asset, owner, vault, Thresholds::of(&risk)));
		let checked = match verdict {
			Ok(false) => {
				Scans::<T>::mutate(asset, |scan| {
					scan.riskiest_safe = scan.riskiest_safe.max(vault.debt_per_collateral())
				});
				true
			},
			Ok(true) => Self::enqueue_vault(asset, bucket, owner.clone()).is_ok(),
			Err(_) => false,
		};
		if !checked {
			Scans::<T>::mutate(asset, |scan| scan.dirty = true);
		}
	}

	/// Whether a vault with these indexed values is unsafe now: by its debt per collateral, or,
	/// within rounding of the line, by the vault pallet's exact check.
	fn is_unsafe_now(
		asset: AssetId,
		owner: &T::AccountId,
		vault: &IndexedVault,
		thresholds: Thresholds,
	) -> bool {
		let ratio = vault.debt_per_collateral();
		ratio > thresholds.unsafe_ratio
			|| (ratio >= thresholds.surely_safe
				&& T::Vaults::is_unsafe(asset, owner).unwrap_or(false))
	}

	fn remove_from_bucket(asset: AssetId, bucket: BucketKey, owner: &T::AccountId) {
		BucketMembers::<T>::remove((asset, bucket), owner);
		let size = BucketSizes::<T>::mutate_exists((asset, bucket), |size| {
			let left = size.unwrap_or_default().saturating_sub(1);
			*size = (left != 0).then_some(left);
			left
		});
		if size == 0 {
			Self::set_occupied(asset, bucket, false);
		}
	}

	fn set_occupied(asset: AssetId, bucket: BucketKey, occupied: bool) {
		let word = usize::from(bucket >> MANTISSA_BITS);
		let bit = 1u64 << (bucket & ((1 << MANTISSA_BITS) - 1));
		Occupancy::<T>::mutate(asset, |words| {
			while words.len() <= word {
				if words.try_push(0).is_err() {
					return;
				}
			}
			if let Some(value) = words.get_mut(word) {
				if occupied {
					*value |= bit;
				} else {
					*value &= !bit;
				}
			}
			while words.last() == Some(&0) {
				words.pop();
			}
		});
	}

	/// The highest occupied bucket of `words` above `floor`, if any.
	fn highest_occupied_above(words: &[u64], floor: BucketKey) -> Option<BucketKey> {
		let (word, value) = words.iter().enumerate().rev().find(|(_, value)| **value != 0)?;
		let bit = u64::BITS.saturating_sub(1).saturating_sub(value.leading_zeros());
		let bucket =
			u16::try_from(word).ok()?.checked_shl(MANTISSA_BITS)?.checked_add(bit as u16)?;
		(bucket > floor).then_some(bucket)
	}

	/// Moves a vault from its bucket into the queue.
	pub(crate) fn enqueue_vault(
		asset: AssetId,
		bucket: BucketKey,
		owner: T::AccountId,
	) -> DispatchResult {
		Self::push(QueueItem::Vault { asset, owner: owner.clone() })?;
		Self::remove_from_bucket(asset, bucket, &owner);
		VaultSlots::<T>::insert(asset, &owner, VaultSlot::Queued);
		Self::deposit_event(Event::VaultQueued { asset, owner });
		Ok(())
	}

	/// Queues every vault of `asset` that the current price and rate make unsafe, as far as
	/// `meter` and the queue allow. Returns false when it stopped for either.
	pub(crate) fn detect(asset: AssetId, meter: &mut WeightMeter) -> bool {
		let Ok(risk) = T::Vaults::risk(asset) else { return true };
		if let Some(stalled) = Stalled::<T>::get(asset) {
			if stalled == Self::stall_digest(asset, risk.price) {
				return true;
			}
			Stalled::<T>::remove(asset);
		}
		let thresholds = Thresholds::of(&risk);
		let range = thresholds.range();
		Self::queue_buckets_above(asset, range.1, meter)
			&& Self::check_boundary(asset, range, thresholds, meter)
	}

	/// Queues whole every bucket above `high`: all their vaults are unsafe.
	fn queue_buckets_above(asset: AssetId, high: BucketKey, meter: &mut WeightMeter) -> bool {
		let mut words = Occupancy::<T>::get(asset);
		while let Some(bucket) = Self::highest_occupied_above(&words, high) {
			let mut members = BucketMembers::<T>::iter_key_prefix((asset, bucket));
			loop {
				if Self::queue_is_full() || !meter.can_consume(T::WeightInfo::enqueue_vault()) {
					return false;
				}
				let Some(owner) = members.next() else { break };
				meter.consume(T::WeightInfo::enqueue_vault());
				if Self::enqueue_vault(asset, bucket, owner).is_err() {
					return false;
				}
			}
			words = Occupancy::<T>::get(asset);
			if Self::highest_occupied_above(&words, high) == Some(bucket) {
				// The bucket could not be emptied; never loop on it.
				return false;
			}
		}
		true
	}

	/// Checks the boundary buckets `range` vault by vault, unless nothing in them can have
	/// become unsafe since the last complete check.
	fn check_boundary(
		asset: AssetId,
		range: (BucketKey, BucketKey),
		thresholds: Thresholds,
		meter: &mut WeightMeter,
	) -> bool {
		let mut scan = Scans::<T>::get(asset);
		let fresh_start = BoundaryScan {
			range: Some(range),
			riskiest_safe: FixedU128::zero(),
			dirty: false,
			resume: Some((range.0, BoundedVec::new())),
		};
		if scan.range != Some(range) {
			scan = fresh_start;
		} else if scan.resume.is_none() {
			if !scan.dirty && thresholds.surely_safe > scan.riskiest_safe {
				return true;
			}
			scan = fresh_start;
		}
		let finished = Self::resume_boundary(asset, &mut scan, thresholds, meter);
		Scans::<T>::insert(asset, scan);
		finished
	}

	fn resume_boundary(
		asset: AssetId,
		scan: &mut BoundaryScan,
		thresholds: Thresholds,
		meter: &mut WeightMeter,
	) -> bool {
		let high = scan.range.map_or(0, |(_, high)| high);
		while let Some((bucket, after)) = scan.resume.clone() {
			let mut members = if after.is_empty() {
				BucketMembers::<T>::iter_prefix((asset, bucket))
			} else {
				BucketMembers::<T>::iter_prefix_from((asset, bucket), after.into_inner())
			};
			loop {
				if Self::queue_is_full() || !meter.can_consume(T::WeightInfo::check_vault()) {
					return false;
				}
				let Some((owner, vault)) = members.next() else { break };
				meter.consume(T::WeightInfo::check_vault());
				let resume_key = BoundedVec::try_from(BucketMembers::<T>::hashed_key_for(
					(asset, bucket),
					&owner,
				))
				.unwrap_or_default();
				scan.resume = Some((bucket, resume_key));
				if Self::is_unsafe_now(asset, &owner, &vault, thresholds) {
					if Self::enqueue_vault(asset, bucket, owner).is_err() {
						return false;
					}
				} else {
					scan.riskiest_safe = scan.riskiest_safe.max(vault.debt_per_collateral());
				}
			}
			scan.resume = (bucket < high).then(|| (bucket.saturating_add(1), BoundedVec::new()));
		}
		true
	}
}

#[cfg(test)]
mod bucket_tests {
	use super::*;

	#[test]
	fn buckets_are_monotone_and_fine() {
		let ratios: Vec<u128> = (1..2_000u128).map(|i| i * i * 977).collect();
		for pair in ratios.windows(2) {
			let (a, b) = (FixedU128::from_inner(pair[0]), FixedU128::from_inner(pair[1]));
			assert!(bucket_of(a) <= bucket_of(b), "{a:?} {b:?}");
		}
		// A bucket spans 1/64 of its power of two.
		let base = FixedU128::from_inner(1 << 60);
		let step = FixedU128::from_inner(1 << 54);
		assert_eq!(bucket_of(base), bucket_of(base + step - FixedU128::from_inner(1)));
		assert_eq!(bucket_of(base) + 1, bucket_of(base + step));
		assert_eq!(bucket_of(FixedU128::zero()), 0);
		assert!(bucket_of(FixedU128::from_inner(u128::MAX)) <= 128 * 64 + 63);
	}

	#[test]
	fn highest_occupied_above_finds_the_top_bucket() {
		let words = [0u64, 1 << 5, 0, 1 << 63];
		assert_eq!(Pallet::<crate::mock::Test>::highest_occupied_above(&words, 0), Some(255));
		assert_eq!(Pallet::<crate::mock::Test>::highest_occupied_above(&words, 255), None);
		assert_eq!(Pallet::<crate::mock::Test>::highest_occupied_above(&words[..2], 10), Some(69));
		assert_eq!(Pallet::<crate::mock::Test>::highest_occupied_above(&[0, 0], 0), None);
	}
}
