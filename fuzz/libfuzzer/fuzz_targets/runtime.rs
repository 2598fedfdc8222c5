//! libFuzzer's target: one input, run through the runtime; a violation is a crash.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	if let Err(violation) = lever_fuzz::run(data) {
		panic!("{violation}");
	}
});
