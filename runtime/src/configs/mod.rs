//! The configuration of every pallet in the runtime, one file per area.

pub mod accounts;
pub mod amm;
pub mod assets;
pub mod consensus;
pub mod governance;
pub mod lending;
pub mod leverage;
pub mod liquidation;
pub mod monetary;
pub mod oracle;
pub mod peg;
pub mod system;
pub mod transactions;
pub mod upgrades;
pub mod vaults;
pub mod xcm;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights};
