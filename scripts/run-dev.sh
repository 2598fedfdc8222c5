#!/usr/bin/env bash
# Sets up, builds and starts a Lever development chain: one validator (Alice) producing and
# finalizing a block every six seconds and feeding oracle prices from the local price server
# (scripts/price-server.py, steady scenario, on $PRICE_PORT, default 8000). State lives in a
# temporary directory that is removed on exit. Once the node runs, the web app (web/, built with
# Vite each time) is served on http://127.0.0.1:$WEB_PORT
# (default 8080); its address and the Polkadot.js apps link are printed below. Switch prices with
# `scripts/price-server.py switch crash`.
#
# Extra arguments are passed to lever-node, e.g. `scripts/run-dev.sh --rpc-port 9955`.
# LEVER_SKIP_BUILD=1 uses the built lever-node as it is.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$LEVER_ROOT/scripts/setup.sh"
if [ "${LEVER_SKIP_BUILD:-0}" != 1 ]; then
	build_node
fi
[ -x "$LEVER_NODE" ] || die "$LEVER_NODE is missing; run without LEVER_SKIP_BUILD=1 to build it."

WEB_DIR="$LEVER_ROOT/web"
# Builds the web app into web/dist (Vite takes about a second, so it is always rebuilt).
build_web_app() {
	say "Building the web app (vite build in web/)"
	(cd "$WEB_DIR" && npm run build --silent) || die "the web app's build failed; its messages are above."
}

# The RPC port is taken out of the arguments (the node is given it once, below); the rest go to
# lever-node as they are.
RPC_PORT=9944
NODE_ARGS=()
while [ $# -gt 0 ]; do
	case "$1" in
	--rpc-port)
		[ $# -ge 2 ] || die "--rpc-port needs a port number."
		RPC_PORT="$2"
		shift 2
		;;
	--rpc-port=*)
		RPC_PORT="${1#*=}"
		shift
		;;
	*)
		NODE_ARGS+=("$1")
		shift
		;;
	esac
done
if (exec 3<>"/dev/tcp/127.0.0.1/$RPC_PORT") 2>/dev/null; then
	die "port $RPC_PORT is already in use (another node?). Stop it, or pass --rpc-port <free port>."
fi

WEB_PORT="${WEB_PORT:-8080}"
if (exec 3<>"/dev/tcp/127.0.0.1/$WEB_PORT") 2>/dev/null; then
	die "port $WEB_PORT is already in use; set WEB_PORT to a free port for the web app."
fi

BASE_PATH="$(mktemp -d -t lever-dev.XXXXXX)"
PRICE_PORT="${PRICE_PORT:-8000}"
PRICE_SERVER_PID=""
NODE_PID=""
WEB_SERVER_PID=""
# Whatever stops the script (Ctrl-C, kill, an error) stops the node, the price server and the web
# server and removes the chain's state.
stop_all() {
	set +e
	if [ -n "$NODE_PID" ]; then
		kill "$NODE_PID" 2>/dev/null
		wait "$NODE_PID" 2>/dev/null
	fi
	[ -z "$PRICE_SERVER_PID" ] || kill "$PRICE_SERVER_PID" 2>/dev/null
	[ -z "$WEB_SERVER_PID" ] || kill "$WEB_SERVER_PID" 2>/dev/null
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
"$LEVER_NODE" --dev --base-path "$BASE_PATH" --rpc-port "$RPC_PORT" "${PRICE_ARGS[@]}" "${NODE_ARGS[@]}" &
NODE_PID=$!

build_web_app
python3 -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory "$WEB_DIR/dist" >"$BASE_PATH/web-server.log" 2>&1 &
WEB_SERVER_PID=$!
for _ in $(seq 50); do
	(exec 3<>"/dev/tcp/127.0.0.1/$WEB_PORT") 2>/dev/null && break
	kill -0 "$WEB_SERVER_PID" 2>/dev/null || die "the web server did not start; see $BASE_PATH/web-server.log."
	sleep 0.1
done
WEB_URL="http://127.0.0.1:$WEB_PORT/"
[ "$RPC_PORT" = 9944 ] || WEB_URL="${WEB_URL}?rpc=ws://127.0.0.1:$RPC_PORT"
say "Web app: $WEB_URL (risk dashboard and trader view; log $BASE_PATH/web-server.log)"
wait "$NODE_PID"
