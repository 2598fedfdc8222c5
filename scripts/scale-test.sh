#!/usr/bin/env bash
# The liquidation engine at scale, on the real runtime with its benchmarked weights: 10,000
# vaults and 2,000 lending accounts, then DOT falls 50%; and the lending accounts again with
# DOT's cash fully lent out and a USDC backstop holding half the unsafe debt. Runs
# runtime/tests/liquidation_scale.rs in release (it fails if a block exceeds the engine's budget,
# a position unsafe at the crash is not liquidated within the blocks the weights predict, or a
# safe one is touched), prints the blocks needed and the liquidations per block, and writes them
# into docs/PERFORMANCE.md.
#
# Usage: scripts/scale-test.sh

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LOG="$(mktemp -t lever-scale.XXXXXX)"
trap 'rm -f "$LOG"' EXIT

say "Running the liquidation scale test (release build; the first run compiles the test)"
(cd "$LEVER_ROOT" && cargo test --release --locked --workspace --test liquidation_scale -- --nocapture --test-threads=1) \
	>"$LOG" 2>&1 || { tail -40 "$LOG"; die "the scale test failed; its output is above."; }

say "Writing its report into docs/PERFORMANCE.md"
python3 "$LEVER_ROOT/scripts/scale-report.py" "$LOG" "$LEVER_ROOT/docs/PERFORMANCE.md"
