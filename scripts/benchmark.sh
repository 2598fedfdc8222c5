#!/usr/bin/env bash
# Measures the weights of Lever's own pallets on this machine and writes them to
# runtime/src/weights/<pallet>.rs, then the ratios in docs/PERFORMANCE.md.
#
# Usage: scripts/benchmark.sh [pallet ...]      (default: every pallet in runtime/src/weights/;
#          naming pallets writes only their weights and leaves docs/PERFORMANCE.md as it is)
#        RUNS=3 STEPS=50 REPEAT=20 (the defaults) set how many whole runs and how many samples;
#          YARD_REPEAT=200 how many samples each measurement of the yardstick takes.
#        RESULTS_DIR=dir keeps every run's raw weight files in dir (run1/, run2/, ...).
#        RUNTIME_WASM=file measures that runtime (built with runtime-benchmarks, e.g. from an
#          earlier commit) instead of building this one; it only fills RESULTS_DIR, and neither the
#          weights nor the report are written, since they would not describe this code.
#          RUNTIME_REVISION names the code it was built from, for the report.
#        LEVER_SKIP_BUILD=1 uses the built lever-node as it is.
#        BEFORE_RESULTS=dir, the RESULTS_DIR of such an earlier measurement, adds a before/after
#          table of every extrinsic whose weight changed to docs/PERFORMANCE.md.
#        BEFORE_WASM=file measures that earlier runtime too, pallet by pallet in turn with this
#          one in every run (so both see the same machine), into RESULTS_DIR/before, which then
#          serves as BEFORE_RESULTS; BEFORE_REVISION names the code it was built from.
#
# One transfer measured once is a noisy yardstick: the machine's speed drifts over a run by more
# than the benchmarks' own noise. So every run measures the yardstick (the median of YARD_REPEAT
# samples) before each pallet and once after the last, and each pallet's ratios are taken against
# the mean of the two measurements around it, made minutes apart at most; the whole is done RUNS
# times. Each committed weight is the run whose execution time is the median for that extrinsic
# (scripts/median-weights.py), and PERFORMANCE.md gives the median of the runs' ratios with their
# spread, and the yardstick's own spread (scripts/performance-report.py).
#
# It builds the runtime once more with `runtime-benchmarks` (in $CARGO_TARGET_DIR/benchmarks, so
# the normal build is untouched) and runs it with the normal lever-node: `benchmark pallet` needs
# no node feature, only a runtime that carries the benchmarks. The yardstick the ratios are
# measured against is pallet_balances::transfer_allow_death.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS="${RUNS:-3}"
STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
YARD_REPEAT="${YARD_REPEAT:-200}"
BENCH_TARGET="$CARGO_TARGET_DIR/benchmarks"
WASM="$BENCH_TARGET/release/wbuild/lever-runtime/lever_runtime.compact.compressed.wasm"
WEIGHTS="$LEVER_ROOT/runtime/src/weights"

if [ $# -gt 0 ]; then
	PALLETS=("$@")
else
	mapfile -t PALLETS < <(find "$WEIGHTS" -name 'pallet_*.rs' -printf '%f\n' | sed 's/\.rs$//' | sort)
fi

if [ "${LEVER_SKIP_BUILD:-0}" != 1 ]; then
	build_node
fi
[ -x "$LEVER_NODE" ] || die "$LEVER_NODE is missing; run without LEVER_SKIP_BUILD=1 to build it."
if [ -n "${RUNTIME_WASM:-}" ]; then
	[ -f "$RUNTIME_WASM" ] || die "RUNTIME_WASM=$RUNTIME_WASM is not a file; build the runtime with --features runtime-benchmarks first."
	[ -n "${RESULTS_DIR:-}" ] || die "RUNTIME_WASM needs RESULTS_DIR: the raw results are all such a run produces."
	WASM="$RUNTIME_WASM"
	say "Measuring the given runtime $WASM; weights and report stay as they are"
else
	say "Building the runtime with runtime-benchmarks in $BENCH_TARGET"
	(cd "$LEVER_ROOT" && CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --release --locked -p lever-runtime --features runtime-benchmarks) ||
		die "the benchmark runtime did not build; see the compiler's messages above."
fi

if [ -n "${RESULTS_DIR:-}" ]; then
	RESULTS="$RESULTS_DIR"
	mkdir -p "$RESULTS"
else
	RESULTS="$(mktemp -d -t lever-bench.XXXXXX)"
	trap 'rm -rf "$RESULTS"' EXIT
fi
if [ -n "${RUNTIME_WASM:-}" ]; then
	echo "${RUNTIME_REVISION:-the runtime in $RUNTIME_WASM}" >"$RESULTS/revision"
else
	git -C "$LEVER_ROOT" describe --always --dirty >"$RESULTS/revision" 2>/dev/null || echo "unrecorded" >"$RESULTS/revision"
fi
# The runtimes measured, each with its results directory.
SIDES=(this)
SIDE_WASM=("$WASM")
SIDE_DIR=("$RESULTS")
if [ -n "${BEFORE_WASM:-}" ]; then
	[ -f "$BEFORE_WASM" ] || die "BEFORE_WASM=$BEFORE_WASM is not a file; build that revision's runtime with --features runtime-benchmarks first."
	mkdir -p "$RESULTS/before"
	echo "${BEFORE_REVISION:-the runtime in $BEFORE_WASM}" >"$RESULTS/before/revision"
	SIDES+=(before)
	SIDE_WASM+=("$BEFORE_WASM")
	SIDE_DIR+=("$RESULTS/before")
	BEFORE_RESULTS="$RESULTS/before"
fi

# Benchmarks one pallet's extrinsics of the runtime $1 into $4/<pallet>.rs.
run_benchmark() {
	local wasm="$1" pallet="$2" extrinsic="$3" out="$4"
	say "Run $RUN of $RUNS, $SIDE runtime: benchmarking $pallet::$extrinsic ($STEPS steps, $REPEAT repeats)"
	"$LEVER_NODE" benchmark pallet --runtime "$wasm" --genesis-builder runtime \
		--genesis-builder-preset development --pallet "$pallet" --extrinsic "$extrinsic" \
		--steps "$STEPS" --repeat "$REPEAT" --output "$out/$pallet.rs" \
		--header "$LEVER_ROOT/scripts/weights-header.txt" ||
		die "benchmarking $pallet failed; its benchmark tests (cargo test --features runtime-benchmarks) show why."
}

# Measures the yardstick of the runtime $1 into $2/yardstick/$3.rs; $4 says when, for the log.
run_yardstick() {
	local wasm="$1" out="$2/yardstick" name="$3" when="$4"
	say "Run $RUN of $RUNS, $SIDE runtime: measuring the yardstick, transfer_allow_death ($YARD_REPEAT repeats), $when"
	"$LEVER_NODE" benchmark pallet --runtime "$wasm" --genesis-builder runtime \
		--genesis-builder-preset development --pallet pallet_balances \
		--extrinsic transfer_allow_death --steps 2 --repeat "$YARD_REPEAT" --output "$out/$name.rs" \
		--header "$LEVER_ROOT/scripts/weights-header.txt" ||
		die "benchmarking the yardstick failed; run \`$LEVER_NODE benchmark pallet --pallet pallet_balances\` by hand to see why."
}

for RUN in $(seq "$RUNS"); do
	for i in "${!SIDES[@]}"; do
		mkdir -p "${SIDE_DIR[$i]}/run$RUN/yardstick"
		printf '%s\n' "${PALLETS[@]}" >"${SIDE_DIR[$i]}/run$RUN/yardstick/order"
	done
	for pallet in "${PALLETS[@]}"; do
		for i in "${!SIDES[@]}"; do
			SIDE="${SIDES[$i]}"
			run_yardstick "${SIDE_WASM[$i]}" "${SIDE_DIR[$i]}/run$RUN" "before-$pallet" "before $pallet"
			run_benchmark "${SIDE_WASM[$i]}" "$pallet" '*' "${SIDE_DIR[$i]}/run$RUN"
		done
	done
	for i in "${!SIDES[@]}"; do
		SIDE="${SIDES[$i]}"
		run_yardstick "${SIDE_WASM[$i]}" "${SIDE_DIR[$i]}/run$RUN" end "after the last pallet"
	done
done

if [ -n "${RUNTIME_WASM:-}" ]; then
	say "Done: the runs' weight files are in $RESULTS"
	exit 0
fi

say "Taking each extrinsic's median run into runtime/src/weights/"
python3 "$LEVER_ROOT/scripts/median-weights.py" "$RESULTS" "$RESULTS/median"
for pallet in "${PALLETS[@]}"; do
	cp "$RESULTS/median/$pallet.rs" "$WEIGHTS/$pallet.rs"
done

if [ $# -gt 0 ]; then
	if [ -n "${BEFORE_RESULTS:-}" ]; then
		say "Before and after, for these pallets only, in $RESULTS/before-after.md"
		python3 "$LEVER_ROOT/scripts/performance-report.py" "$RESULTS" "$RESULTS/before-after.md" "$BEFORE_RESULTS"
	fi
	say "Done: review and commit runtime/src/weights/ (docs/PERFORMANCE.md reports whole runs of every pallet, so a run of some pallets leaves it as it is)"
	exit 0
fi
say "Writing docs/PERFORMANCE.md"
python3 "$LEVER_ROOT/scripts/performance-report.py" "$RESULTS" "$LEVER_ROOT/docs/PERFORMANCE.md" ${BEFORE_RESULTS:+"$BEFORE_RESULTS"}
say "Done: review and commit runtime/src/weights/ and docs/PERFORMANCE.md"
