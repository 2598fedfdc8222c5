//! Aura (block production) and GRANDPA (finality).

use frame_support::traits::{ConstBool, ConstU32, ConstU64};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::Void;

use crate::{time::SLOT_DURATION, Runtime, RuntimeEvent};

/// The most validators the chain can have; bounds the authority lists of Aura and GRANDPA.
pub type MaxAuthorities = ConstU32<32>;

/// Aura: validators take turns authoring one block per six-second slot.
impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = ConstU64<SLOT_DURATION>;
}

/// GRANDPA: validators vote on chains and finalize blocks once two thirds agree.
///
/// Equivocation reports are not accepted yet: there is no staking to slash, so the key-owner
/// proof type is uninhabited.
impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = Void;
	type EquivocationReportSystem = ();
}
