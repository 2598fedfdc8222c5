#!/usr/bin/env bash
# Measures the weights of Lever's own pallets on this machine and writes them to
# runtime/src/weights/<pallet>.rs, then the ratios in docs/PERFORMANCE.md.
#
# Usage: scripts/benchmark.sh [pallet ...]      (default: every pallet in runtime/src/weights/)
#        RUNS=3 STEPS=50 REPEAT=20 (the defaults) set how many whole runs and how many samples.
#
# One transfer measured once is a noisy yardstick, so every run benchmarks the yardstick and
# every pallet in turn, RUNS times: each committed weight is the run whose execution time is the
# median for that extrinsic (scripts/median-weights.py), and PERFORMANCE.md gives the median of
# the runs' ratios with their spread (scripts/performance-report.py).
#
# It builds the runtime once more with `runtime-benchmarks` (in $CARGO_TARGET_DIR/benchmarks, so
# the normal build is untouched) and runs it with the normal lever-node: `benchmark pallet` needs
# no node feature, only a runtime that carries the benchmarks. Every run also benchmarks
# pallet_balances::transfer_allow_death, the yardstick the ratios are measured against.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS="${RUNS:-3}"
STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
BENCH_TARGET="$CARGO_TARGET_DIR/benchmarks"
WASM="$BENCH_TARGET/release/wbuild/lever-runtime/lever_runtime.compact.compressed.wasm"
WEIGHTS="$LEVER_ROOT/runtime/src/weights"

if [ $# -gt 0 ]; then
	PALLETS=("$@")
else
	mapfile -t PALLETS < <(find "$WEIGHTS" -name 'pallet_*.rs' -printf '%f\n' | sed 's/\.rs$//' | sort)
fi

build_node
say "Building the runtime with runtime-benchmarks in $BENCH_TARGET"
(cd "$LEVER_ROOT" && CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release --locked -p lever-runtime --features runtime-benchmarks) ||
	die "the benchmark runtime did not build; see the compiler's messages above."

RESULTS="$(mktemp -d -t lever-bench.XXXXXX)"
trap 'rm -rf "$RESULTS"' EXIT

# Benchmarks one pallet's extrinsics into $3/<pallet>.rs.
run_benchmark() {
	local pallet="$1" extrinsic="$2" out="$3"
	say "Run $RUN of $RUNS: benchmarking $pallet::$extrinsic ($STEPS steps, $REPEAT repeats)"
	"$LEVER_NODE" benchmark pallet --runtime "$WASM" --genesis-builder runtime \
		--genesis-builder-preset development --pallet "$pallet" --extrinsic "$extrinsic" \
		--steps "$STEPS" --repeat "$REPEAT" --output "$out/$pallet.rs" \
		--header "$LEVER_ROOT/scripts/weights-header.txt" ||
		die "benchmarking $pallet failed; its benchmark tests (cargo test --features runtime-benchmarks) show why."
}

for RUN in $(seq "$RUNS"); do
	mkdir -p "$RESULTS/run$RUN"
	run_benchmark pallet_balances transfer_allow_death "$RESULTS/run$RUN"
	for pallet in "${PALLETS[@]}"; do
		run_benchmark "$pallet" '*' "$RESULTS/run$RUN"
	done
done

say "Taking each extrinsic's median run into runtime/src/weights/"
python3 "$LEVER_ROOT/scripts/median-weights.py" "$RESULTS" "$RESULTS/median"
for pallet in "${PALLETS[@]}"; do
	cp "$RESULTS/median/$pallet.rs" "$WEIGHTS/$pallet.rs"
done

say "Writing docs/PERFORMANCE.md"
python3 "$LEVER_ROOT/scripts/performance-report.py" "$RESULTS" "$LEVER_ROOT/docs/PERFORMANCE.md"
say "Done: review and commit runtime/src/weights/ and docs/PERFORMANCE.md"
