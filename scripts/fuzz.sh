#!/usr/bin/env bash
# Runs Lever's runtime fuzzer (fuzz/): random blocks of signed calls, governance calls, oracle
# rounds and time lapses through the real runtime, with every invariant checked after every block.
#
#   scripts/fuzz.sh [--minutes N] [--seed S] [--coverage]
#
# By default it runs seeded random inputs on the stable toolchain for N minutes (10), printing
# progress every 10 seconds; the first violation or panic stops it and saves the input under
# fuzz/artifacts, to replay with `cargo run --release -p lever-fuzz -- replay FILE`.
# --coverage runs the coverage-guided engine instead (libFuzzer through cargo-fuzz, on the nightly
# toolchain named in fuzz/libfuzzer/rust-toolchain.toml; both are installed on first use, and the
# instrumented build of the whole runtime is long the first time). It keeps inputs that reach new
# code in fuzz/libfuzzer/corpus and saves a failing one under fuzz/libfuzzer/artifacts; a
# failing input found there is minimized (`cargo fuzz tmin`) and committed under the latest
# format's directory of fuzz/corpus, where scripts/test.sh replays it.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MINUTES=10
SEEDED=1
SEED=$(date +%s)
while [ $# -gt 0 ]; do
	case "$1" in
	--minutes) MINUTES="$2"; shift 2 ;;
	--coverage) SEEDED=0; shift ;;
	--seed) SEED="$2"; shift 2 ;;
	*) die "unknown option $1; usage: scripts/fuzz.sh [--minutes N] [--seed S] [--coverage]" ;;
	esac
done

cd "$LEVER_ROOT"
if [ "$SEEDED" = 1 ]; then
	say "Seeded random run for $MINUTES minutes (seed $SEED) on the stable toolchain"
	cargo run --release --locked -p lever-fuzz --bin lever-fuzz -- \
		random --seed "$SEED" --minutes "$MINUTES" --save fuzz/artifacts
	exit $?
fi

FUZZ_DIR="$LEVER_ROOT/fuzz/libfuzzer"
NIGHTLY=$(sed -n 's/^channel = "\(.*\)"/\1/p' "$FUZZ_DIR/rust-toolchain.toml")
if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1; then
	say "Installing the $NIGHTLY toolchain for the instrumented build"
	rustup toolchain install "$NIGHTLY" --profile minimal || die "cannot install $NIGHTLY with rustup"
fi
if ! cargo "+$NIGHTLY" fuzz --version >/dev/null 2>&1; then
	say "Installing cargo-fuzz"
	cargo "+$NIGHTLY" install cargo-fuzz --locked || die "cannot install cargo-fuzz"
fi
mkdir -p "$FUZZ_DIR/corpus/runtime" "$FUZZ_DIR/artifacts/runtime"
# Start from the regression inputs saved in the latest format (the target reads that format).
LATEST=$(ls -d "$LEVER_ROOT"/fuzz/corpus/v* | sort -V | tail -1)
cp -n "$LATEST"/* "$FUZZ_DIR/corpus/runtime/" 2>/dev/null || true
say "Coverage-guided campaign for $MINUTES minutes, seed $SEED (libFuzzer; its lines: #inputs, cov: edges reached, ft: features, exec/s; 'lever-fuzz campaign' lines every minute: blocks and calls run)"
cd "$FUZZ_DIR" &&
	SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$CARGO_TARGET_DIR/fuzz" cargo "+$NIGHTLY" fuzz run \
		--fuzz-dir . -s none --release --debug-assertions runtime corpus/runtime -- \
		-seed="$SEED" -max_total_time=$((MINUTES * 60)) -max_len=4096 -timeout=60 \
		-print_final_stats=1
