//! libFuzzer's target: one input, run through the runtime; a violation is a crash. Every minute
//! it prints what the campaign has run so far (inputs, blocks, calls, liquidations), since
//! libFuzzer itself counts only inputs.
#![no_main]

use lever_fuzz::Stats;
use std::{
	sync::Mutex,
	time::{Duration, Instant},
};

/// The campaign's totals: inputs run, their figures, and when they were last printed.
static TOTALS: Mutex<Option<(u64, Stats, Instant)>> = Mutex::new(None);

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	let stats = match lever_fuzz::run(data) {
		Ok(stats) => stats,
		Err(violation) => panic!("{violation}"),
	};
	let mut totals = TOTALS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let (inputs, total, printed) = totals.get_or_insert_with(|| (0, Stats::default(), Instant::now()));
	*inputs += 1;
	total.add(&stats);
	if printed.elapsed() >= Duration::from_secs(60) {
		*printed = Instant::now();
		eprintln!("lever-fuzz campaign: {inputs} inputs, {total}");
	}
});
