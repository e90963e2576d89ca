#!/usr/bin/env bash
# Runs every test: the Rust tests on the host (unit, integration and doc
# tests), the release build and its size budget, the static server's tests
# and the Playwright browser tests against dist/ on http://127.0.0.1:4173
# (E2E_PORT overrides). The hosting tests use a second bundle, built for the
# sub-path /course/playground/ into dist-subpath/ and served on port
# E2E_PORT + 1.
# Installs missing tools first with scripts/setup.sh.
set -euo pipefail

cd "$(dirname "$0")/.."

export E2E_PORT="${E2E_PORT:-4173}"
if ! [[ "$E2E_PORT" =~ ^[0-9]+$ ]] || [ "$E2E_PORT" -lt 1 ] || [ "$E2E_PORT" -gt 65534 ]; then
  echo "[test] error: invalid E2E_PORT '$E2E_PORT': expected an integer from 1 to 65534, because the hosting tests also use E2E_PORT + 1" >&2
  exit 2
fi
subpath_port=$((E2E_PORT + 1))

step_started=$SECONDS
step() {
  printf '\n[test] %s\n' "$*"
  step_started=$SECONDS
}
step_done() {
  printf '[test] done in %ss\n' "$((SECONDS - step_started))"
}

# Fail before the slow steps rather than after them.
for port in "$E2E_PORT" "$subpath_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "[test] error: port $port on 127.0.0.1 is already in use, and the browser tests need ports $E2E_PORT and $subpath_port. Stop the process that listens there, or set E2E_PORT to another port." >&2
    exit 1
  fi
done

step "installing missing tools (scripts/setup.sh)"
scripts/setup.sh
step_done

step "Rust tests on the host (cargo test --locked)"
cargo test --locked
step_done

step "release build (scripts/build.sh)"
scripts/build.sh
step_done

step "bundle size against bench/bundle-budget.json (scripts/check-bundle-size.mjs)"
node scripts/check-bundle-size.mjs
step_done

step "release build for the sub-path /course/playground/ (scripts/build.sh --dist dist-subpath)"
scripts/build.sh --public-url /course/playground/ --dist dist-subpath
step_done

step "static server tests (node --test)"
node --test tests/e2e/server.test.mjs
step_done

step "browser tests (playwright test)"
node_modules/.bin/playwright test
step_done

printf '\n[test] all steps passed in %ss\n' "$SECONDS"
