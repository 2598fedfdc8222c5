#!/usr/bin/env bash
# Sets up, builds and runs every Lever test: formatting, the scripts' own tests, the Rust unit,
# runtime, fuzzer (corpus replay and a fixed-seed run) and chain-spec tests, the benchmarks (as
# tests), the runtime upgrade through try-runtime, and the end-to-end suite that drives the real
# lever-node binary with @polkadot/api (the fault drills on a four-validator network included).
# Prints how long each stage took, so growth is visible.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STAGE_TIMES=()
# Runs one stage (a name, then a command) and records its wall time.
stage() {
	local name="$1"
	shift
	say "$name"
	local start=$SECONDS
	"$@" || die "stage '$name' failed (see above). Re-run scripts/test.sh after fixing it."
	STAGE_TIMES+=("$(printf '%-28s %5ds' "$name" $((SECONDS - start)))")
}

run_cargo_tests() {
	cd "$LEVER_ROOT" && cargo test --release --locked --workspace
}

# The pallets' benchmarks, run as tests (every benchmark executes once and its assertions hold),
# in the target directory scripts/benchmark.sh builds its runtime in.
run_benchmark_tests() {
	cd "$LEVER_ROOT" &&
		CARGO_TARGET_DIR="$CARGO_TARGET_DIR/benchmarks" cargo test --release --locked \
			-p pallet-oracle -p pallet-lending -p pallet-vaults -p pallet-liquidation \
			-p pallet-asset-registry -p pallet-leverage -p pallet-track-periods -p pallet-validator-set \
			--features runtime-benchmarks
}

# The runtime-upgrade test through try-runtime (the migrations' pre- and post-upgrade checks and
# every pallet's try_state on a chain the fuzzer populated), in its own target directory so the
# main build is never rebuilt with the feature.
run_try_runtime() {
	cd "$LEVER_ROOT" &&
		SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$CARGO_TARGET_DIR/try-runtime" cargo test --release \
			--locked -p lever-fuzz --features try-runtime --test upgrade
}

run_e2e() {
	cd "$LEVER_ROOT/e2e" && LEVER_SKIP_BUILD=1 npm test
}

run_script_tests() {
	cd "$LEVER_ROOT" && python3 -m unittest discover -s scripts/tests
}

check_format() {
	cd "$LEVER_ROOT" && cargo fmt --all --check
}

TOTAL_START=$SECONDS
stage "setup" "$LEVER_ROOT/scripts/setup.sh"
stage "format check" check_format
stage "script tests (python)" run_script_tests
stage "build (release)" build_node
stage "cargo tests (release)" run_cargo_tests
stage "benchmark tests" run_benchmark_tests
stage "try-runtime upgrade checks" run_try_runtime
stage "end-to-end tests" run_e2e

say "All tests passed. Stage times:"
printf '  %s\n' "${STAGE_TIMES[@]}"
printf '  %-28s %5ds\n' "total" $((SECONDS - TOTAL_START))
