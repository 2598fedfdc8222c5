//! Every Lever pallet's invariants in one call: what the runtime's scenario tests, the scale test
//! and the fuzzer check after their blocks (try-runtime checks the same through each pallet's
//! `try_state` hook).

use crate::{
	AssetRegistry, Lending, Leverage, Liquidation, Oracle, TrackPeriods, ValidatorSet, Vaults,
};
use sp_runtime::TryRuntimeError;

/// One pallet's invariant check: its `do_try_state`.
type Check = fn() -> Result<(), TryRuntimeError>;

/// Checks the invariants of the oracle, the lending pools, the vaults, the liquidation engine,
/// the leverage pallet's protections, the asset registry, the referendum periods and the
/// validator set, in that order; fails with the first pallet whose invariants do not hold and
/// what its check reported. Reads every position: for tests, never for a block.
pub fn check_invariants() -> Result<(), (&'static str, TryRuntimeError)> {
	let checks: [(&'static str, Check); 8] = [
		("oracle", Oracle::do_try_state),
		("lending", Lending::do_try_state),
		("vaults", Vaults::do_try_state),
		("liquidation", Liquidation::do_try_state),
		("leverage", Leverage::do_try_state),
		("asset registry", AssetRegistry::do_try_state),
		("track periods", TrackPeriods::do_try_state),
		("validator set", ValidatorSet::do_try_state),
	];
	checks
		.into_iter()
		.try_for_each(|(pallet, check)| check().map_err(|error| (pallet, error)))
}
