//! The fuzzer without a coverage-guided engine, on stable Rust:
//!
//! - `lever-fuzz replay FILE|DIR...` runs saved inputs (a corpus, or a crash the campaign saved);
//! - `lever-fuzz random [--seed S] [--inputs N] [--minutes M] [--save DIR]` runs seeded random
//!   inputs, prints progress every 10 seconds, and saves the first failing input to `DIR`;
//! - `lever-fuzz minimize FILE OUT` shrinks a failing input to a short one that fails the same
//!   way (the input to commit under `fuzz/corpus/<format>/` as the regression test).
//!
//! Exit status 1 on the first violation or panic, with the input's path or seed to replay it.

use lever_fuzz::{run_in, saved_inputs, Format, SeededBytes, Stats};
use std::{
	path::{Path, PathBuf},
	process::ExitCode,
	time::{Duration, Instant},
};

/// Bytes per random input: enough for about forty blocks.
const INPUT_BYTES: usize = 1_024;

/// Runs one input read in `format`, turning a panic into a failure message.
fn run_caught(format: Format, data: &[u8]) -> Result<Stats, String> {
	match std::panic::catch_unwind(|| run_in(format, data)) {
		Ok(Ok(stats)) => Ok(stats),
		Ok(Err(violation)) => Err(format!("violation {violation}")),
		Err(panic) => Err(format!(
			"panic: {}",
			panic
				.downcast_ref::<String>()
				.cloned()
				.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
				.unwrap_or_default()
		)),
	}
}

fn replay(paths: &[String]) -> ExitCode {
	let inputs: Vec<(PathBuf, Format)> =
		paths.iter().flat_map(|path| saved_inputs(Path::new(path))).collect();
	let mut total = Stats::default();
	for (file, format) in &inputs {
		let data = match std::fs::read(file) {
			Ok(data) => data,
			Err(error) => {
				eprintln!("cannot read {}: {error}", file.display());
				return ExitCode::FAILURE;
			},
		};
		match run_caught(*format, &data) {
			Ok(stats) => {
				total.add(&stats);
			},
			Err(failure) => {
				eprintln!("{} (format {format:?}): {failure}", file.display());
				return ExitCode::FAILURE;
			},
		}
	}
	println!("replayed {} inputs: {total}; no violation", inputs.len());
	ExitCode::SUCCESS
}

fn random(args: &[String]) -> ExitCode {
	let mut seed = 1u64;
	let mut inputs = u64::MAX;
	let mut minutes = None;
	let mut save = PathBuf::from("fuzz/artifacts");
	let mut args = args.iter();
	while let Some(arg) = args.next() {
		let value = args.next().cloned().unwrap_or_default();
		match arg.as_str() {
			"--seed" => seed = value.parse().unwrap_or(seed),
			"--inputs" => inputs = value.parse().unwrap_or(inputs),
			"--minutes" => minutes = value.parse::<u64>().ok(),
			"--save" => save = PathBuf::from(value),
			other => {
				eprintln!("unknown option {other}; see the file's documentation");
				return ExitCode::FAILURE;
			},
		}
	}
	if inputs == u64::MAX && minutes.is_none() {
		minutes = Some(1);
	}
	let deadline = minutes.map(|m| Instant::now() + Duration::from_secs(m * 60));
	let started = Instant::now();
	let mut last_report = Instant::now();
	let mut total = Stats::default();
	let mut bytes = SeededBytes::new(seed);
	let mut done = 0u64;
	while done < inputs && deadline.is_none_or(|deadline| Instant::now() < deadline) {
		let data = bytes.take(INPUT_BYTES);
		match run_caught(Format::LATEST, &data) {
			Ok(stats) => {
				total.add(&stats);
			},
			Err(failure) => {
				let _ = std::fs::create_dir_all(&save);
				let file = save.join(format!("seed-{seed}-input-{done}"));
				let saved = std::fs::write(&file, &data).is_ok();
				eprintln!("input {done} of seed {seed}: {failure}");
				if saved {
					eprintln!(
						"saved as {}; replay: lever-fuzz replay {}",
						file.display(),
						file.display()
					);
				}
				return ExitCode::FAILURE;
			},
		}
		done += 1;
		if last_report.elapsed() >= Duration::from_secs(10) {
			last_report = Instant::now();
			println!("{:>5} s: {done} inputs, {total}", started.elapsed().as_secs());
		}
	}
	println!(
		"seed {seed}: {done} inputs in {} s: {total}; no violation",
		started.elapsed().as_secs()
	);
	ExitCode::SUCCESS
}

/// What kind of failure a message is, without its figures: two failures of one kind differ
/// only in numbers.
fn kind_of(failure: &str) -> String {
	failure.chars().filter(|c| !c.is_ascii_digit()).take(80).collect()
}

/// Shrinks a failing input to a short one that fails the same way: the shortest prefix found by
/// halving its tail, then every byte set to zero where the failure stays, then the prefix again.
fn minimize(args: &[String]) -> ExitCode {
	let [input, output] = args else {
		eprintln!("usage: lever-fuzz minimize FILE OUT");
		return ExitCode::FAILURE;
	};
	let Some((file, format)) = saved_inputs(Path::new(input)).into_iter().next() else {
		eprintln!("no input at {input}");
		return ExitCode::FAILURE;
	};
	let Ok(mut data) = std::fs::read(&file) else {
		eprintln!("cannot read {}", file.display());
		return ExitCode::FAILURE;
	};
	let kind = match run_caught(format, &data) {
		Ok(_) => {
			eprintln!("{} does not fail; nothing to minimize", file.display());
			return ExitCode::FAILURE;
		},
		Err(failure) => kind_of(&failure),
	};
	let fails = |data: &[u8]| matches!(run_caught(format, data), Err(f) if kind_of(&f) == kind);
	let shorten = |data: &mut Vec<u8>| {
		let mut cut = data.len() / 2;
		while cut > 0 {
			let shorter = &data[..data.len() - cut];
			if fails(shorter) {
				data.truncate(data.len() - cut);
			} else {
				cut /= 2;
			}
		}
	};
	println!("{}: {} bytes, failure kind: {kind}", file.display(), data.len());
	shorten(&mut data);
	for i in 0..data.len() {
		if data[i] != 0 {
			let byte = std::mem::replace(&mut data[i], 0);
			if !fails(&data) {
				data[i] = byte;
			}
		}
	}
	shorten(&mut data);
	if let Err(error) = std::fs::write(output, &data) {
		eprintln!("cannot write {output}: {error}");
		return ExitCode::FAILURE;
	}
	println!("minimized to {} bytes in {output} (format {format:?})", data.len());
	ExitCode::SUCCESS
}

fn main() -> ExitCode {
	let args: Vec<String> = std::env::args().skip(1).collect();
	match args.split_first() {
		Some((command, rest)) if command == "replay" => replay(rest),
		Some((command, rest)) if command == "random" => random(rest),
		Some((command, rest)) if command == "minimize" => minimize(rest),
		_ => {
			eprintln!("usage: lever-fuzz replay FILE|DIR... | lever-fuzz random [--seed S] [--inputs N] [--minutes M] [--save DIR] | lever-fuzz minimize FILE OUT");
			ExitCode::FAILURE
		},
	}
}
