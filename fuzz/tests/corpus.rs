//! The fuzzer's regression suite, run by `scripts/test.sh`: every saved input under
//! `fuzz/corpus` (each violation the campaign found, minimized, and inputs that reach deep
//! states) and a short fixed-seed random run replay with no violation and no panic.

use lever_fuzz::{run, run_in, saved_inputs, SeededBytes};
use std::path::Path;

#[test]
fn every_corpus_input_replays_without_a_violation() {
	let inputs = saved_inputs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"));
	assert!(!inputs.is_empty(), "the corpus holds inputs");
	for (file, format) in inputs {
		let data = std::fs::read(&file).expect("a readable input");
		if let Err(violation) = run_in(format, &data) {
			panic!("{} (format {format:?}): {violation}", file.display());
		}
	}
}

#[test]
fn a_fixed_seed_run_finds_no_violation() {
	let mut bytes = SeededBytes::new(2026);
	let mut blocks = 0;
	for input in 0..120 {
		let data = bytes.take(1_024);
		match run(&data) {
			Ok(stats) => blocks += stats.blocks,
			Err(violation) => panic!("input {input} of seed 2026: {violation}"),
		}
	}
	assert!(blocks > 120 * 10, "random inputs run many blocks each, ran {blocks}");
}
