#!/usr/bin/env bash
# Load test of `annuaire serve` on 160,000 generated (SYNTHETIC) providers, with wrk and the
# server sharing this machine. Results go to BENCHMARKS.md by hand, with this script's output.
#
#   scripts/bench-serve.sh            # build, prepare data once, run both wrk tests
#
# Needs wrk (Debian package `wrk`).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

DATA=${BENCH_DATA:-target/bench-serve}
ADDR=${BENCH_ADDR:-127.0.0.1:18200}
cargo build --release --quiet
BIN=target/release/annuaire

mkdir -p "$DATA"
LOG="$DATA/server.log"
# First start generates and imports the demo data (three weekly lists of 160,000 rows).
"$BIN" --data-dir "$DATA" serve --demo --demo-rows 160000 --addr "$ADDR" --rate-limit 0 --sync-every 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://$ADDR/readyz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://$ADDR/readyz" >/dev/null || { echo "server not ready" >&2; tail "$LOG" >&2; exit 1; }
echo "ready: $(curl -s "http://$ADDR/readyz")"

rss() { awk '/VmRSS|VmHWM/ {printf "%s %.0f MB  ", $1, $2/1024}' "/proc/$PID/status"; echo; }
echo "== memory after load"; rss

# Warm-up: every URL of the mix a few times.
wrk -t1 -c2 -d5s -s scripts/bench/search-mix.lua "http://$ADDR" >/dev/null

echo "== throughput: wrk -t2 -c32 -d30s (mix of search URLs)"
uptime
wrk -t2 -c32 -d30s -s scripts/bench/search-mix.lua "http://$ADDR"
echo "== memory"; rss

echo "== latency: wrk -t1 -c4 -d30s --latency (mix of search URLs)"
uptime
wrk -t1 -c4 -d30s --latency -s scripts/bench/search-mix.lua "http://$ADDR"
echo "== memory"; rss

# /readyz answers 503 while the data loads; any other 5xx is a failure of the run.
echo "5xx answers in the server log (readiness polls aside): $(grep ' status=5' "$LOG" | grep -vc 'route=/readyz' || true)"
