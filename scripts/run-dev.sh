#!/usr/bin/env bash
# Sets up, builds and starts a Lever development chain: one validator (Alice) producing and
# finalizing a block every six seconds and feeding oracle prices from the local price server
# (scripts/price-server.py, steady scenario, on $PRICE_PORT, default 8000). State lives in a
# temporary directory that is removed on exit. Connect Polkadot.js apps to ws://127.0.0.1:9944
# (the link is printed below); switch prices with `scripts/price-server.py switch crash`.
#
# Extra arguments are passed to lever-node, e.g. `scripts/run-dev.sh --rpc-port 9955`.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$LEVER_ROOT/scripts/setup.sh"
build_node

RPC_PORT=9944
for ((i = 1; i <= $#; i++)); do
	if [ "${!i}" = "--rpc-port" ]; then
		next=$((i + 1))
		RPC_PORT="${!next}"
	fi
done
if (exec 3<>"/dev/tcp/127.0.0.1/$RPC_PORT") 2>/dev/null; then
	die "port $RPC_PORT is already in use (another node?). Stop it, or pass --rpc-port <free port>."
fi

BASE_PATH="$(mktemp -d -t lever-dev.XXXXXX)"
PRICE_PORT="${PRICE_PORT:-8000}"
PRICE_SERVER_PID=""
NODE_PID=""
# Whatever stops the script (Ctrl-C, kill, an error) stops the node and the price server and
# removes the chain's state.
stop_all() {
	if [ -n "$NODE_PID" ]; then
		kill "$NODE_PID" 2>/dev/null
		wait "$NODE_PID" 2>/dev/null
	fi
	[ -z "$PRICE_SERVER_PID" ] || kill "$PRICE_SERVER_PID" 2>/dev/null
	rm -rf "$BASE_PATH"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Starting the price server on http://127.0.0.1:$PRICE_PORT/prices (log $BASE_PATH/price-server.log)"
start_price_server "$PRICE_PORT" steady "$BASE_PATH/price-server.log"
mapfile -t PRICE_ARGS < <(price_source_args "$PRICE_PORT" | tr ' ' '\n')

say "Starting the Lever dev chain (state in $BASE_PATH, removed when you stop it with Ctrl-C)"
say "Polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${RPC_PORT}#/explorer"
"$LEVER_NODE" --dev --base-path "$BASE_PATH" --rpc-port "$RPC_PORT" "${PRICE_ARGS[@]}" "$@" &
NODE_PID=$!
wait "$NODE_PID"
