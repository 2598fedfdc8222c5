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
