//! Governance. For now a single sudo key (Alice on dev chains) holds root; it will be replaced by
//! on-chain governance before any public network.

use crate::{Runtime, RuntimeCall, RuntimeEvent};

/// The sudo key may dispatch any call as root.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
