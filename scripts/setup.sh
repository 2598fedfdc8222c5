#!/usr/bin/env bash
# Installs what building and testing Lever needs, and only what is missing:
#   - Debian packages: protobuf-compiler (the networking crates compile .proto files) and
#     chromium (the web app's browser tests drive it headless);
#   - the Rust toolchain named in rust-toolchain.toml with the wasm32v1-none target and rust-src
#     (the runtime is compiled to wasm), rustfmt and clippy;
#   - the end-to-end client's npm packages (e2e/, from its package-lock.json);
#   - the web app's npm packages (web/, from its package-lock.json), which build it with Vite.
# Safe to run again: it checks before it installs.

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

install_debian_packages() {
	local missing=()
	for package in protobuf-compiler chromium; do
		dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "Debian packages: all present"
		return
	fi
	say "Installing Debian packages: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y --no-install-recommends "${missing[@]}" ||
		{ $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"; } ||
		die "could not install ${missing[*]} with apt-get; install them and run this again."
}

install_rust() {
	command -v rustup >/dev/null || die "rustup is not installed; install Rust with rustup first (https://rustup.rs)."
	local toolchain
	toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$LEVER_ROOT/rust-toolchain.toml")"
	[ -n "$toolchain" ] || die "rust-toolchain.toml names no channel."
	if ! rustup toolchain list | grep -q "^$toolchain"; then
		say "Installing Rust $toolchain"
		rustup toolchain install "$toolchain" --profile minimal
	fi
	local targets components
	targets="$(rustup target list --installed --toolchain "$toolchain")"
	components="$(rustup component list --installed --toolchain "$toolchain")"
	if ! grep -qx wasm32v1-none <<<"$targets"; then
		say "Adding the wasm32v1-none target to Rust $toolchain"
		rustup target add wasm32v1-none --toolchain "$toolchain"
	fi
	for component in rust-src rustfmt clippy; do
		if ! grep -q "^$component" <<<"$components"; then
			say "Adding $component to Rust $toolchain"
			rustup component add "$component" --toolchain "$toolchain"
		fi
	done
	say "Rust $toolchain: wasm32v1-none, rust-src, rustfmt and clippy present"
}

# Installs the npm packages of the folder $1 (from its package-lock.json) unless they are up to
# date; $2 says what they are for.
install_npm_packages() {
	local dir="$LEVER_ROOT/$1" what="$2"
	command -v npm >/dev/null || die "Node.js 20 with npm is needed for $what; install it and run this again."
	local stamp="$dir/node_modules/.package-lock.json"
	if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ]; then
		say "Packages of $1/ ($what): up to date"
		return
	fi
	say "Installing the packages of $1/ ($what): npm ci"
	(cd "$dir" && npm ci --no-audit --no-fund)
}

install_debian_packages
install_rust
install_npm_packages e2e "the end-to-end client"
install_npm_packages web "the web app"
say "Setup complete"
