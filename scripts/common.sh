# Shared by the scripts in this folder: paths, the persistent build directory, and logging.
# Source it; do not run it.

set -euo pipefail

LEVER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LEVER_ROOT

# One persistent target directory outside the clone, so every clone, CI run and session on this
# machine builds incrementally instead of from scratch (a cold build takes about half an hour).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lever-target}"
# cargo and rustup may live in ~/.cargo/bin without it being on PATH in a non-login shell.
export PATH="$HOME/.cargo/bin:$PATH"

# The lever-node binary every script runs.
LEVER_NODE="${LEVER_NODE:-$CARGO_TARGET_DIR/release/lever-node}"
export LEVER_NODE

# Prints a step the script is taking.
say() {
	printf '\033[1m==> %s\033[0m\n' "$*"
}

# Prints an error with what to do next, then exits.
die() {
	printf '\033[31merror:\033[0m %s\n' "$*" >&2
	exit 1
}

# Builds lever-node (and with it the runtime's wasm) in release mode.
build_node() {
	say "Building lever-node (release) in $CARGO_TARGET_DIR; a cold build takes about 30 minutes on 2 cores"
	(cd "$LEVER_ROOT" && cargo build --release --locked --workspace) ||
		die "the build failed; the compiler's messages are above. Run scripts/setup.sh if a tool is missing."
}

# The --price-source flags pointing a node's oracle at the local price server on port $1, for the
# dev genesis assets the oracle prices, as chain-specs/dev-assets.json lists them (a runtime test
# generates that file from runtime/src/genesis/dev_assets.rs).
price_source_args() {
	local port="$1"
	python3 - "$LEVER_ROOT/chain-specs/dev-assets.json" "$port" <<'PY'
import json, sys
for asset in json.load(open(sys.argv[1]))["priced"]:
    print(f"--price-source {asset['id']}=http://127.0.0.1:{sys.argv[2]}/price/{asset['symbol']}#/usd")
PY
}

# Starts scripts/price-server.py on port $1 with scenario $2, logging to $3; sets PRICE_SERVER_PID.
start_price_server() {
	local port="$1" scenario="$2" log="$3"
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		die "port $port is already in use; set PRICE_PORT to a free port."
	fi
	python3 "$LEVER_ROOT/scripts/price-server.py" serve --port "$port" --scenario "$scenario" >"$log" 2>&1 &
	PRICE_SERVER_PID=$!
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
		sleep 0.1
	done
	die "the price server did not start; see $log."
}
