#!/usr/bin/env bash
# Builds the release bundle into dist/ with Trunk, without network access for
# the tools. Run scripts/setup.sh first. Extra arguments go to `trunk build`,
# for example, for a copy served under a sub-path in its own directory:
# scripts/build.sh --public-url /course/playground/ --dist dist-subpath
set -euo pipefail

cd "$(dirname "$0")/.."

log() { printf '[build] %s\n' "$*"; }

# Trunk takes wasm-opt from PATH, and it must be binaryen 132 from npm:
# Debian's wasm-opt 108 cannot parse what rustc 1.95 emits.
export PATH="$PWD/node_modules/.bin:$PATH"

# The wasm-bindgen CLI that Trunk runs must match the crate in Cargo.lock.
lock_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
pinned_version="$(sed -n 's/^wasm_bindgen = "\(.*\)"$/\1/p' Trunk.toml)"
if [ "$lock_version" != "$pinned_version" ]; then
  log "error: Trunk.toml pins wasm_bindgen = \"$pinned_version\" but Cargo.lock has wasm-bindgen $lock_version." >&2
  log "Set wasm_bindgen = \"$lock_version\" in Trunk.toml, then run scripts/setup.sh to install that CLI." >&2
  exit 1
fi

# Trunk.toml sets offline = true, so Trunk runs cargo with --offline: every
# crate, including the wasm32-only ones, must be downloaded first.
cargo fetch

# The output directory, for the summary below: dist unless --dist or -d names another.
dist_dir="dist"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --dist=*) dist_dir="${args[i]#--dist=}" ;;
    --dist | -d) dist_dir="${args[i + 1]:-dist}" ;;
  esac
done

trunk build --release "$@"
log "bundle ready in $dist_dir/: $(du -sh "$dist_dir" | cut -f1) in total"
