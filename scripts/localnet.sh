#!/usr/bin/env bash
# Runs a four-validator Lever network on this machine: Alice, Bob, Charlie and Dave, from the
# local-testnet chain spec, each with its own base path, keys (aura, gran, orcl), ports and log
# file, all feeding oracle prices from one local price server. Ctrl-C (or SIGTERM) stops all.
#
# Usage: scripts/localnet.sh [--dir DIR] [--chain-spec FILE]
#   --dir DIR          where base paths, logs (<name>.log), pids (<name>.pid) and each node's
#                      command-line arguments (<name>.args, NUL-separated, to restart it from its
#                      own database) go; default: a new temporary directory, kept after exit so
#                      the logs can be read.
#   --chain-spec FILE  a raw chain spec to start from (e.g. an older runtime's, to rehearse a
#                      runtime upgrade) instead of this build's local testnet.
# Environment: LOCALNET_P2P_PORT (default 30333) and LOCALNET_RPC_PORT (default 9944) are the first
# validator's ports; the others use the next ones. PRICE_PORT (default 8000) is the price server's.
# LEVER_SKIP_BUILD=1 uses the built binary as is.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR=""
CHAIN_SPEC=""
while [ $# -gt 0 ]; do
	case "$1" in
	--dir) DIR="$2"; shift 2 ;;
	--chain-spec) CHAIN_SPEC="$2"; shift 2 ;;
	-h | --help) sed -n '2,17p' "$0"; exit 0 ;;
	*) die "unknown argument '$1'; see scripts/localnet.sh --help." ;;
	esac
done
[ -n "$DIR" ] || DIR="$(mktemp -d -t lever-localnet.XXXXXX)"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

P2P_PORT="${LOCALNET_P2P_PORT:-30333}"
PRICE_PORT="${PRICE_PORT:-8000}"
RPC_PORT="${LOCALNET_RPC_PORT:-9944}"
VALIDATORS=(alice bob charlie dave)

if [ "${LEVER_SKIP_BUILD:-0}" != 1 ]; then
	build_node
fi
[ -x "$LEVER_NODE" ] || die "$LEVER_NODE is missing; run without LEVER_SKIP_BUILD=1 to build it."

PIDS=()
PRICE_SERVER_PID=""
stop_all() {
	trap - INT TERM EXIT
	if [ ${#PIDS[@]} -gt 0 ]; then
		say "Stopping the four validators"
		kill "${PIDS[@]}" 2>/dev/null || true
		wait "${PIDS[@]}" 2>/dev/null || true
	fi
	if [ -n "$PRICE_SERVER_PID" ]; then
		kill "$PRICE_SERVER_PID" 2>/dev/null || true
		wait "$PRICE_SERVER_PID" 2>/dev/null || true
	fi
	say "Stopped. Logs are in $DIR"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

SPEC="$DIR/local-testnet-raw.json"
if [ -n "$CHAIN_SPEC" ]; then
	[ -f "$CHAIN_SPEC" ] || die "no chain spec at $CHAIN_SPEC."
	say "Starting from the chain spec $CHAIN_SPEC"
	cp "$CHAIN_SPEC" "$SPEC"
else
	say "Writing the raw local-testnet chain spec to $SPEC"
	"$LEVER_NODE" build-spec --chain local --raw --disable-default-bootnode >"$SPEC" 2>"$DIR/build-spec.log" ||
		die "build-spec failed; see $DIR/build-spec.log."
fi

say "Starting the price server on http://127.0.0.1:$PRICE_PORT/prices"
start_price_server "$PRICE_PORT" steady "$DIR/price-server.log"
echo "$PRICE_SERVER_PID" >"$DIR/price-server.pid"
mapfile -t PRICE_ARGS < <(price_source_args "$PRICE_PORT" | tr ' ' '\n')

# A burst of transactions reaches the other validators by gossip out of nonce order, so most wait in
# their pools' future queues; the default limits (8,192 ready, a tenth of it future) evict and ban
# the excess, and a transaction every pool evicted is lost (one flood drill lost some 175 of 5,000).
# 65,536 ready and 6,553 future transactions (64 MiB and 6.4 MiB) hold such a burst whole.
POOL_ARGS=(--pool-limit 65536 --pool-kbytes 65536)

BOOTNODE=""
for i in "${!VALIDATORS[@]}"; do
	name="${VALIDATORS[$i]}"
	seed="//${name^}"
	base="$DIR/$name"
	mkdir -p "$base"
	# A fixed node key per validator gives it a known peer id for the others' --bootnodes.
	printf '%064x' $((i + 1)) >"$base/node-key"
	say "Inserting $name's aura and orcl (sr25519) and gran (ed25519) keys"
	for key_type in aura orcl; do
		"$LEVER_NODE" key insert --base-path "$base" --chain "$SPEC" --scheme sr25519 --suri "$seed" --key-type "$key_type"
	done
	"$LEVER_NODE" key insert --base-path "$base" --chain "$SPEC" --scheme ed25519 --suri "$seed" --key-type gran

	p2p=$((P2P_PORT + i))
	rpc=$((RPC_PORT + i))
	args=(
		--chain "$SPEC" --base-path "$base" --name "$name" --validator
		--port "$p2p" --rpc-port "$rpc" --rpc-cors all
		--node-key-file "$base/node-key" --no-prometheus --no-telemetry --no-mdns
		"${POOL_ARGS[@]}" "${PRICE_ARGS[@]}"
	)
	[ -z "$BOOTNODE" ] || args+=(--bootnodes "$BOOTNODE")
	printf '%s\0' "${args[@]}" >"$DIR/$name.args"
	"$LEVER_NODE" "${args[@]}" >"$DIR/$name.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	echo "$pid" >"$DIR/$name.pid"
	say "Started $name (pid $pid): p2p $p2p, ws://127.0.0.1:$rpc, log $DIR/$name.log"

	if [ -z "$BOOTNODE" ]; then
		peer_id="$("$LEVER_NODE" key inspect-node-key --file "$base/node-key")"
		BOOTNODE="/ip4/127.0.0.1/tcp/$p2p/p2p/$peer_id"
	fi
done

say "Four validators running. Polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${RPC_PORT}#/explorer"
say "Press Ctrl-C to stop them."
wait "${PIDS[@]}"
