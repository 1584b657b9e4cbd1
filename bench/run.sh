#!/usr/bin/env bash
# Benchmarks a fresh talon-server with demo data: HTTP throughput and latency per endpoint,
# ratios against the health baseline, fixed-rate p99, the raw SQLite commit-rate baseline, and
# the accounts CSV import (100,000 accounts, 150,000 meters).
# usage: bench/run.sh BUILD_DIR [seconds]   (TALON_BENCH_LOAD overrides the load generator)
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [seconds-per-scenario]" >&2
  exit 2
fi
BUILD="$(cd "$1" && pwd)"
SECS="${2:-5}"
THREADS="${TALON_BENCH_THREADS:-4}"
FIXED_RATE=500
SERVER="$BUILD/server/talon-server"
LOAD="${TALON_BENCH_LOAD:-$BUILD/bench/talon-bench-load}"
SQLITE_BENCH="$BUILD/bench/talon-bench-sqlite"
IMPORT_BENCH="$BUILD/bench/talon-bench-import"

if ! [[ "$SECS" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "seconds must be a positive number, not \"$SECS\"." >&2
  exit 2
fi
for exe in "$SERVER" "$LOAD"; do
  if [ ! -x "$exe" ]; then
    echo "$exe is missing; build first (./talon build) or set TALON_BENCH_LOAD." >&2
    exit 2
  fi
done

log() { printf '# %s\n' "$*"; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/talon-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The demo services and windows with window steps open ([auth] require_login = false): the load
# generator's clerks call without logging in, as an office without logins would.
printf '[auth]\nrequire_login = false\n' >"$TMP/talon.toml"
# Port 0 lets the server bind any free port itself and name it in the port file: no race with
# another process grabbing a port we picked.
"$SERVER" --config "$TMP/talon.toml" --listen 127.0.0.1:0 --port-file "$TMP/port" --db "$TMP/talon.db" \
  >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

URL=""
for _ in $(seq 100); do
  if [ -z "$URL" ] && [ -s "$TMP/port" ]; then URL="http://127.0.0.1:$(cat "$TMP/port")"; fi
  if [ -n "$URL" ] && curl -fs "$URL/api/v1/health" >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ] || ! curl -fs "$URL/api/v1/health" >/dev/null 2>&1; then
  echo "talon-server did not answer /api/v1/health within 10 s; its log:" >&2
  cat "$TMP/server.log" >&2
  exit 1
fi

log "talon-server $URL, database $TMP/talon.db"
log "load: $LOAD, $THREADS threads, $SECS s per scenario"

failed=0
declare -A RPS=()

# Runs the load generator once and echoes its lines; remembers rps per scenario in RPS.
load() {
  local line name
  if ! "$LOAD" --url "$URL" --threads "$THREADS" --seconds "$SECS" "$@" | tee "$TMP/load.out"; then failed=1; fi
  while IFS= read -r line; do
    name="${line%% *}"
    if [[ "$line" =~ rps=([0-9.]+) ]]; then RPS[$name]="${BASH_REMATCH[1]}"; fi
  done <"$TMP/load.out"
}

ratio() {
  local a="${RPS[$1]:-}" b="${RPS[$2]:-}"
  if [ -z "$a" ] || [ -z "$b" ]; then
    echo "ratio $1/$2 = n/a"
  else
    awk -v a="$a" -v b="$b" -v n="$1/$2" 'BEGIN { if (b > 0) printf "ratio %s = %.2f\n", n, a / b; else printf "ratio %s = n/a\n", n }'
  fi
}

# Sum of "waiting" over every service.
waiting_total() {
  curl -fs "$URL/api/v1/services" | grep -o '"waiting": *[0-9]*' | grep -o '[0-9]*$' | awk '{ n += $1 } END { print n + 0 }'
}

# Issues tickets unmeasured until at least $1 wait, so call-next measures calls, not empty queues.
top_up() {
  # Numbers are A001…A999 per service and day: six services hold at most ~5,900 open tickets.
  local want="$(( $1 < 5000 ? $1 : 5000 ))" have need
  have="$(waiting_total)"
  need=$((want - have))
  if [ "$need" -gt 0 ]; then
    log "topping the queues up with $need tickets ($have waiting) so call does not run dry"
    if ! "$LOAD" --url "$URL" --threads "$THREADS" --requests "$need" --scenario issue >/dev/null; then failed=1; fi
    sleep 2  # let the background checkpoint of that burst finish: measure a steady state
  fi
}

# The ceiling durable writes are measured against, on the same disk, in the same run.
log "raw SQLite durable single-row transaction rate (WAL, synchronous=FULL)"
if [ -x "$SQLITE_BENCH" ]; then
  mkdir -p "$TMP/sqlite"
  if ! (cd "$TMP/sqlite" && TMPDIR="$TMP/sqlite" "$SQLITE_BENCH" | tee "$TMP/sqlite.out"); then failed=1; fi
  if [[ "$(cat "$TMP/sqlite.out")" =~ tps=([0-9.]+) ]]; then RPS[sqlite]="${BASH_REMATCH[1]}"; fi
else
  log "skipped: $SQLITE_BENCH is not built"
fi

log "closed loop, as fast as $THREADS keep-alive connections go"
load --scenario health,services,board
# Issuing is measured over a fixed count: numbers are A001…A999 per service and day, so six
# services hold at most ~5,900 open tickets and a timed run on a fast disk would exhaust them.
"$LOAD" --url "$URL" --threads "$THREADS" --requests "${TALON_BENCH_ISSUES:-4000}" --scenario issue | tee "$TMP/load.out" || failed=1
if [[ "$(cat "$TMP/load.out")" =~ rps=([0-9.]+) ]]; then RPS[issue]="${BASH_REMATCH[1]}"; fi
# The raw rate again right after: the disk's speed drifts, so the ratio uses the mean of both.
if [ -x "$SQLITE_BENCH" ]; then
  if (cd "$TMP/sqlite" && TMPDIR="$TMP/sqlite" "$SQLITE_BENCH" | tee "$TMP/sqlite2.out"); then
    if [[ "$(cat "$TMP/sqlite2.out")" =~ tps=([0-9.]+) ]]; then
      RPS[sqlite]="$(awk -v a="${RPS[sqlite]:-${BASH_REMATCH[1]}}" -v b="${BASH_REMATCH[1]}" 'BEGIN { printf "%.1f", (a + b) / 2 }')"
      log "raw SQLite rate, mean of the two measurements: ${RPS[sqlite]} per second"
    fi
  else
    failed=1
  fi
fi
# A call is two writes (call-next, done) to an issue's one, so twice the tickets issue made in
# the same time is a generous supply.
top_up "$(awk -v r="${RPS[issue]:-0}" -v s="$SECS" 'BEGIN { printf "%d", 2 * r * s + 1000 }')"
load --scenario call,story
for s in services board issue call story; do ratio "$s" health; done
# Durable writes against the raw rate: an issue is one transaction; a call is two
# (call-next, then done), so its transaction rate is twice its rate.
ratio issue sqlite
RPS[call_tx]="$(awk -v r="${RPS[call]:-0}" 'BEGIN { printf "%.1f", 2 * r }')"
ratio call_tx sqlite

log "open loop at $FIXED_RATE requests/s (latency counted from each scheduled send)"
load --scenario issue --rate "$FIXED_RATE"
top_up "$(awk -v r="$FIXED_RATE" -v s="$SECS" 'BEGIN { printf "%d", 2 * r * s + 1000 }')"
# A call is two requests (call-next, then done at the same window): 500 requests/s is 250
# calls/s. Six windows each calling 40 visitors a second is already far beyond any office.
log "call at $((FIXED_RATE / 2)) calls/s = $FIXED_RATE requests/s (call-next + done); p99 is call-next's"
load --scenario call --rate "$((FIXED_RATE / 2))"

log "accounts CSV import: 100,000 accounts with 150,000 meters into a fresh database"
if [ -x "$IMPORT_BENCH" ]; then
  if ! TMPDIR="$TMP" "$IMPORT_BENCH"; then failed=1; fi
else
  log "skipped: $IMPORT_BENCH is not built"
fi

if [ "$failed" -ne 0 ]; then
  echo "some requests failed; see the messages above. talon-server's log:" >&2
  tail -n 50 "$TMP/server.log" >&2
  exit 1
fi
