#!/usr/bin/env bash
# Regenerates the committed chain specs in chain-specs/ from the runtime's genesis presets:
#   dev.json                 the development chain (plain)
#   local-testnet.json       the four-validator local testnet (plain)
#   local-testnet-raw.json   the same, raw (storage keys and values), as validators share it
# Run it after changing a genesis preset, chain property or the runtime; the chain-spec test in
# `cargo test` fails until the committed files match.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ "${LEVER_SKIP_BUILD:-0}" != 1 ]; then
	build_node
fi

OUT="$LEVER_ROOT/chain-specs"
mkdir -p "$OUT"
export_spec() {
	local chain="$1" file="$2"
	shift 2
	"$LEVER_NODE" export-chain-spec --chain "$chain" "$@" >"$OUT/$file.tmp"
	mv "$OUT/$file.tmp" "$OUT/$file"
	say "Wrote chain-specs/$file"
}
export_spec dev dev.json
export_spec local local-testnet.json
export_spec local local-testnet-raw.json --raw
