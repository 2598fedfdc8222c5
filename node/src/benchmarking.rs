//! Inputs for `lever-node benchmark overhead` and `benchmark extrinsic`.

use sp_inherents::{InherentData, InherentDataProvider};
use std::time::Duration;

/// The inherent data a benchmark block needs: a timestamp at the start of slot zero, so Aura's
/// slot check passes without a pre-runtime digest.
pub fn inherent_benchmark_data() -> sc_cli::Result<InherentData> {
	let mut inherent_data = InherentData::new();
	let timestamp = sp_timestamp::InherentDataProvider::new(Duration::ZERO.into());
	futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
		.map_err(|e| format!("creating the timestamp inherent: {e:?}"))?;
	Ok(inherent_data)
}
