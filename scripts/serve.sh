#!/usr/bin/env bash
# Installs missing tools, builds the release bundle and serves the playground
# on http://127.0.0.1:8080/ until Ctrl-C. PORT=NUMBER picks another port.
set -euo pipefail

cd "$(dirname "$0")/.."

PORT="${PORT:-8080}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "[serve] error: invalid PORT '$PORT': expected an integer from 1 to 65535" >&2
  exit 2
fi
# Checked before the build, which takes minutes, and again by the server.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "[serve] error: port $PORT on 127.0.0.1 is already in use. Stop the process that listens there, or set PORT to another port." >&2
  exit 1
fi

scripts/setup.sh
scripts/build.sh

# A static server over dist/ instead of `trunk serve`: it is the server the
# browser tests use, so this page is the one they checked. `trunk serve`
# would inject its live-reload script and rerun the release build, wasm-opt
# included, on every saved file. For live reload during development, run
# `PATH="$PWD/node_modules/.bin:$PATH" trunk serve` (port 8080, 127.0.0.1).
exec node tests/e2e/server.mjs --root dist --port "$PORT"
