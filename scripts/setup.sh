#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is present.
#
# Needs: the Rust toolchain (rustup, cargo), Node.js 20 with npm, and either
# root or sudo for Debian's chromium packages. Downloads come only from the
# package registries: crates.io, npm and Debian.
set -euo pipefail

cd "$(dirname "$0")/.."

TRUNK_VERSION="0.21.14"
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly,
# because the generated JS glue and the wasm module share an ABI.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "error: '$*' needs root and sudo is missing; run it as root, then rerun this script"
    exit 1
  fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
  # Trunk 0.22 needs a newer rustc than 1.95, so the version stays pinned.
  log "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  # Without --locked: one dependency version locked by this release is no
  # longer served by the registry.
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  log "installing Debian's chromium and chromium-driver"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi

# npm packages: binaryen (wasm-opt 132, which reads what rustc 1.95 emits),
# Playwright without its browser download, and axe-core.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

log "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-opt $(node_modules/.bin/wasm-opt --version | awk '{print $3}'), $(/usr/bin/chromium --version)"
