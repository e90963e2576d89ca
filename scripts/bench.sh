#!/usr/bin/env bash
# Runs every benchmark in one go and writes target/bench/results.json and
# target/bench/results.md, then prints the summary (docs/benchmarks.md
# explains each figure and its target):
#
# 1. native simulation throughput (Criterion, benches/simulation.rs);
# 2. the same scenario in SimPy (bench/simpy_model.py, in a venv under
#    target/bench/venv), with a check that both models agree;
# 3. the simulation compiled to wasm, timed in headless Chromium;
# 4. frame time of the playground while tokens move;
# 5. bundle size of dist/ against bench/bundle-budget.json, and the wasm
#    code split by crate;
# 6. time from navigation to the first render of the panels.
#
# With the tools installed and the crates compiled it took 12 minutes on a
# 2-core machine. A first run also compiles the benchmark, the wasm module
# and the bundle. Installs missing tools first with scripts/setup.sh.
# Settings, all optional:
#   BENCH_PORT=4191        first of the two loopback ports it serves on (it uses this one and the next)
#   BENCH_PAYMENTS=1000000 payments per native and wasm run
#   SIMPY_PAYMENTS=100000  payments per SimPy run
#   WASM_RUNS=3            wasm runs per strategy; the median counts
#   FRAMES_QUERY='?...'    query string of the frame-time scenario, see docs/links.md
#   FRAMES_TOKENS=2000     fewest tokens the frame-time scenario must put on screen
#   FIRST_RENDER_RUNS=10   page loads for the first-render median
set -euo pipefail

cd "$(dirname "$0")/.."

BENCH_PORT="${BENCH_PORT:-4191}"
BENCH_PAYMENTS="${BENCH_PAYMENTS:-1000000}"
SIMPY_PAYMENTS="${SIMPY_PAYMENTS:-100000}"
WASM_RUNS="${WASM_RUNS:-3}"
# Every payment polls each second with 400 to 600 ms of latency each way, so
# nearly every one of the 2,000 payments has a token in flight at any moment.
FRAMES_QUERY="${FRAMES_QUERY:-?payments=2000&arrival=burst&poll=1s&latency=400ms-600ms&show=polling&slow=off&speed=1}"
FRAMES_TOKENS="${FRAMES_TOKENS:-2000}"
FIRST_RENDER_RUNS="${FIRST_RENDER_RUNS:-10}"
LONG_RUN_HOURS="${LONG_RUN_HOURS:-24}"
SIMPY_VERSION="4.1.1"

OUT=target/bench
DIST_PORT="$BENCH_PORT"
WASM_PORT="$((BENCH_PORT + 1))"

log() { printf '[bench] %s\n' "$*"; }
fail() {
  printf '[bench] error: %s\n' "$*" >&2
  exit 1
}

for name in BENCH_PORT BENCH_PAYMENTS SIMPY_PAYMENTS WASM_RUNS FRAMES_TOKENS FIRST_RENDER_RUNS LONG_RUN_HOURS; do
  value="${!name}"
  if ! [[ "$value" =~ ^[0-9]+$ ]] || [ "$value" -lt 1 ]; then
    echo "[bench] error: invalid $name '$value': expected a whole number of at least 1" >&2
    exit 2
  fi
done
for port in "$DIST_PORT" "$WASM_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port on 127.0.0.1 is already in use. Stop the process that listens there, or set BENCH_PORT (this script uses BENCH_PORT and BENCH_PORT+1)."
  fi
done

# Each step's name, duration and 1-minute load average at its start and end
# go to steps.tsv, because other processes on a shared machine change the
# figures, and results.json lists them.
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT/results.md" "$OUT/steps.tsv"
step_started=$SECONDS
step_name=""
step_load=""
step() {
  step_name="$*"
  step_load="$(cut -d' ' -f1 /proc/loadavg)"
  printf '\n[bench] %s (load average %s)\n' "$step_name" "$(cut -d' ' -f1-3 /proc/loadavg)"
  step_started=$SECONDS
}
step_done() {
  local seconds="$((SECONDS - step_started))"
  printf '%s\t%s\t%s\t%s\n' "$step_name" "$seconds" "$step_load" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/steps.tsv"
  printf '[bench] done in %ss\n' "$seconds"
}

server_pids=()
stop_servers() {
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
}
trap stop_servers EXIT

# Serves a directory with the browser tests' static server and waits until it accepts connections.
serve() {
  local root="$1" port="$2"
  node tests/e2e/server.mjs --root "$root" --port "$port" >"$OUT/server-$port.log" 2>&1 &
  server_pids+=("$!")
  for _ in $(seq 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  fail "the static server for $root did not start on port $port; see $OUT/server-$port.log"
}

step "installing missing tools (scripts/setup.sh)"
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$PATH"
step_done

step "recording the machine"
export MACHINE_CPU="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
export MACHINE_CORES="$(nproc)"
export MACHINE_MEMORY="$(awk '/^MemTotal:/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
export MACHINE_OS="$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
export MACHINE_RUSTC="$(rustc --version)"
# Debian's chromium wrapper prints a shell warning on stderr; the version is on stdout.
export MACHINE_CHROMIUM="$(/usr/bin/chromium --version 2>/dev/null | awk '{ print $2 }')"
export MACHINE_NODE="$(node --version)"
export MACHINE_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
export MACHINE_COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!docs/benchmarks.md' || echo ' with uncommitted changes')"
export MACHINE_LOAD_START="$(cut -d' ' -f1 /proc/loadavg)"
step_done

step "creating the SimPy venv (target/bench/venv, simpy==$SIMPY_VERSION from PyPI)"
if [ ! -x "$OUT/venv/bin/python" ]; then
  python3 -m venv "$OUT/venv"
fi
if ! "$OUT/venv/bin/python" -c "import simpy, sys; sys.exit(simpy.__version__ != '$SIMPY_VERSION')" 2>/dev/null; then
  "$OUT/venv/bin/pip" install --quiet "simpy==$SIMPY_VERSION"
fi
export MACHINE_PYTHON="$("$OUT/venv/bin/python" -c 'import platform; print(platform.python_version())')"
step_done

# Every build comes before the first measurement, so no compiler competes
# with a timed run.
step "building the native benchmark (cargo bench --no-run)"
cargo bench --locked --bench simulation --no-run
step_done

step "building the wasm simulation (examples/wasm_sim.rs, release profile)"
cargo build --locked --release --example wasm_sim --target wasm32-unknown-unknown
rm -rf "$OUT/wasm"
wasm-bindgen --target web --out-dir "$OUT/wasm" target/wasm32-unknown-unknown/release/examples/wasm_sim.wasm
cp tests/perf/wasm-sim.html "$OUT/wasm/index.html"
step_done

step "building the release bundle (scripts/build.sh)"
scripts/build.sh
step_done

step "measuring the bundle (scripts/check-bundle-size.mjs)"
bundle_status=0
node scripts/check-bundle-size.mjs --out "$OUT/bundle.json" || bundle_status=$?
# The release wasm again, optimized as Trunk does (data-wasm-opt="z" in
# index.html) but with -g, which keeps the function names for the split by crate.
rm -rf "$OUT/size"
wasm-bindgen --target web --out-dir "$OUT/size" target/wasm32-unknown-unknown/release/pollhook.wasm
wasm-opt -Oz -g "$OUT/size/pollhook_bg.wasm" -o "$OUT/size/pollhook-names.wasm"
node tests/perf/wasm-size.mjs --wasm "$OUT/size/pollhook-names.wasm" --reference dist/*_bg.wasm --out "$OUT/wasm-size.json"
step_done

step "native simulation throughput ($BENCH_PAYMENTS payments, Criterion)"
BENCH_PAYMENTS="$BENCH_PAYMENTS" BENCH_OUT_DIR="$OUT" cargo bench --locked --bench simulation
step_done

step "long runs natively (examples/long_run.rs: 1 h and $LONG_RUN_HOURS h of virtual time)"
cargo build --locked --release --example long_run
# Each length runs in its own process, because the peak resident memory
# it reports is the process's high-water mark.
target/release/examples/long_run --hours 1 --out "$OUT/long-run-1h.json"
target/release/examples/long_run --hours "$LONG_RUN_HOURS" --out "$OUT/long-run-long.json"
step_done

step "SimPy model ($SIMPY_PAYMENTS payments)"
"$OUT/venv/bin/python" bench/simpy_model.py --payments "$SIMPY_PAYMENTS" --out "$OUT/simpy.json" >/dev/null
step_done

step "wasm simulation in headless Chromium ($BENCH_PAYMENTS payments, $WASM_RUNS runs)"
serve "$OUT/wasm" "$WASM_PORT"
node tests/perf/wasm-sim.mjs --url "http://127.0.0.1:$WASM_PORT/" --payments "$BENCH_PAYMENTS" --runs "$WASM_RUNS" \
  --out "$OUT/wasm.json" >/dev/null
step_done

serve dist "$DIST_PORT"
step "frame time in headless Chromium"
node tests/perf/frames.mjs --url "http://127.0.0.1:$DIST_PORT/$FRAMES_QUERY" --tokens "$FRAMES_TOKENS" --out "$OUT/frames.json" >/dev/null
step_done

step "first render in headless Chromium ($FIRST_RENDER_RUNS loads)"
node tests/perf/first-render.mjs --url "http://127.0.0.1:$DIST_PORT/" --runs "$FIRST_RENDER_RUNS" --out "$OUT/first-render.json" >/dev/null
step_done

step "long run in headless Chromium ($LONG_RUN_HOURS h of virtual time)"
node tests/perf/long-run.mjs --url "http://127.0.0.1:$DIST_PORT/" --hours "$LONG_RUN_HOURS" --out "$OUT/long-run-page.json" >/dev/null
step_done
stop_servers

export MACHINE_LOAD_END="$(cut -d' ' -f1 /proc/loadavg)"
export MACHINE_RUN_SECONDS="$SECONDS"
node -e '
  const env = process.env;
  const machine = {
    cpu: env.MACHINE_CPU, cores: Number(env.MACHINE_CORES), memory: env.MACHINE_MEMORY, os: env.MACHINE_OS,
    rustc: env.MACHINE_RUSTC, chromium: env.MACHINE_CHROMIUM, python: env.MACHINE_PYTHON, node: env.MACHINE_NODE,
    date: env.MACHINE_DATE, commit: env.MACHINE_COMMIT, load_start: env.MACHINE_LOAD_START,
    load_end: env.MACHINE_LOAD_END, run_seconds: Number(env.MACHINE_RUN_SECONDS),
    steps: require("node:fs").readFileSync(process.argv[2], "utf8").trim().split("\n").map((line) => {
      const [name, seconds, loadStart, loadEnd] = line.split("\t");
      return { name, seconds: Number(seconds), load_start: Number(loadStart), load_end: Number(loadEnd) };
    }),
  };
  require("node:fs").writeFileSync(process.argv[1], JSON.stringify(machine, null, 2) + "\n");
' "$OUT/machine.json" "$OUT/steps.tsv"

printf '\n'
node bench/report.mjs --dir "$OUT"
if [ "$bundle_status" -ne 0 ]; then
  fail "the bundle exceeds its budget; see the bundle step above"
fi
log "results in $OUT/results.json and $OUT/results.md, after ${SECONDS}s"
