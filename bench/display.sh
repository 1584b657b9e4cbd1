#!/usr/bin/env bash
# Board figures against a fresh talon-server with demo data: call → board latency with 200 boards
# connected (talon-bench-boards: the real client and board model each), then one talon-display's
# idle CPU and resident memory, and its frame render times at 1920x1080 on the software renderer.
# usage: bench/display.sh BUILD_DIR [idle-seconds] [boards]   (under Xvfb when it is installed)
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 BUILD_DIR [idle-seconds] [boards]" >&2
  exit 2
fi
BUILD="$(cd "$1" && pwd)"
IDLE="${2:-60}"
BOARDS="${3:-200}"
SERVER="$BUILD/server/talon-server"
DISPLAY_BIN="$BUILD/display/talon-display"
BOARDS_BIN="$BUILD/bench/talon-bench-boards"
for exe in "$SERVER" "$DISPLAY_BIN" "$BOARDS_BIN"; do
  [ -x "$exe" ] || { echo "$exe is missing; build first (./talon build)." >&2; exit 2; }
done
[[ "$IDLE" =~ ^[0-9]+$ ]] && [ "$IDLE" -ge 5 ] || { echo "idle-seconds must be a whole number ≥ 5" >&2; exit 2; }
[[ "$BOARDS" =~ ^[0-9]+$ ]] && [ "$BOARDS" -ge 1 ] || { echo "boards must be a positive whole number" >&2; exit 2; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/talon-display-bench.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# Each open event stream holds one server thread: room for every board and the clerks. The
# demo services and windows with window steps open ([auth] require_login = false): the bench's
# clerk calls without logging in.
printf '[auth]\nrequire_login = false\n' >"$TMP/talon.toml"
"$SERVER" --config "$TMP/talon.toml" --db "$TMP/talon.db" --listen 127.0.0.1:0 --port-file "$TMP/port" \
  --threads $((BOARDS + 64)) >"$TMP/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
URL="http://127.0.0.1:$(cat "$TMP/port")"

echo "# talon-server at $URL"
"$BOARDS_BIN" --server "$URL" --boards "$BOARDS" --calls 50

for s in A A B C D E; do curl -fsS -X POST -H 'Content-Type: application/json' -d "{\"service\":\"$s\"}" "$URL/api/v1/tickets" >/dev/null; done
for w in 2 3 4 5; do curl -fsS -X POST -d '{}' "$URL/api/v1/windows/$w/call-next" >/dev/null; done
curl -fsS -X POST -H 'Content-Type: application/json' \
  -d '{"texts": {"ru": "Касса работает до 18:00.", "en": "The cash desk is open until 18:00."}}' \
  "$URL/api/v1/announcements" >/dev/null

export SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
VIDEO="SDL dummy video driver"
if command -v Xvfb >/dev/null; then
  Xvfb :86 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  PIDS+=($!)
  sleep 1
  export DISPLAY=:86
  VIDEO="Xvfb (X11), software renderer"
else
  export SDL_VIDEODRIVER=dummy
fi
echo "# talon-display; $VIDEO; sound on (SDL dummy audio device)"

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
"$DISPLAY_BIN" --server "$URL" --windowed --size 1920x1080 >/dev/null 2>&1 &
pid=$!
PIDS+=($pid)
sleep 4  # connected, snapshot drawn, the calls' flash over
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
c0=$(ticks "$pid"); t0=$(ms_now)
sleep "$IDLE"
c1=$(ticks "$pid"); t1=$(ms_now)
awk -v c=$((c1 - c0)) -v hz="$hz" -v ms=$((t1 - t0)) \
  'BEGIN { printf "idle board CPU over %.0f s: %.3f %% of one core  (target < 2 %%)\n", ms / 1000, 100 * c / hz / (ms / 1000) }'
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
echo "board resident memory after ${IDLE} s: $((rss / 1024)) MB (peak $((hwm / 1024)) MB)  (target < 100 MB)"
kill "$pid"; wait "$pid" 2>/dev/null || true

# Frame times: 300 frames of the busy board at 1920x1080; the first two upload the font atlas.
SDL_VIDEODRIVER=dummy "$DISPLAY_BIN" --server "$URL" --headless --size 1920x1080 --frames 300 --silent \
  --frame-times "$TMP/frames.txt" >/dev/null 2>&1
tail -n +3 "$TMP/frames.txt" | sort -n | awk '{a[NR] = $1} END {
  printf "board frame render time at 1920x1080, software renderer (%d frames): p50 %.2f ms, p99 %.2f ms, max %.2f ms  (target p99 < 8)\n",
    NR, a[int(NR * 0.50)], a[int(NR * 0.99)], a[NR] }'
