#!/usr/bin/env bash
# Kiosk resource figures against a running talon-server with demo data: cold start to the first
# interactive frame, idle CPU and resident memory on the home screen, and frame render times at
# 1920x1080 on SDL's software renderer. Prints each figure with what measured it.
# usage: bench/kiosk.sh BUILD_DIR [idle-seconds]   (default 60; under Xvfb when it is installed)
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BUILD_DIR [idle-seconds]" >&2
  exit 2
fi
BUILD="$(cd "$1" && pwd)"
IDLE="${2:-60}"
SERVER="$BUILD/server/talon-server"
KIOSK="$BUILD/kiosk/talon-kiosk"
for exe in "$SERVER" "$KIOSK"; do
  [ -x "$exe" ] || { echo "$exe is missing; build first (./talon build)." >&2; exit 2; }
done
[[ "$IDLE" =~ ^[0-9]+$ ]] && [ "$IDLE" -ge 5 ] || { echo "idle-seconds must be a whole number ≥ 5" >&2; exit 2; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/talon-kiosk-bench.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

"$SERVER" --db "$TMP/talon.db" --listen 127.0.0.1:0 --port-file "$TMP/port" >"$TMP/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
URL="http://127.0.0.1:$(cat "$TMP/port")"
for s in A A B C D; do curl -fsS -X POST -H 'Content-Type: application/json' -d "{\"service\":\"$s\"}" "$URL/api/v1/tickets" >/dev/null; done

# A real X server when there is one to start; SDL's dummy video driver otherwise. The renderer
# is SDL's software one either way, as on a kiosk PC without a GPU driver.
export SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
VIDEO="SDL dummy video driver"
if command -v Xvfb >/dev/null; then
  Xvfb :87 -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  PIDS+=($!)
  sleep 1
  export DISPLAY=:87
  VIDEO="Xvfb (X11), software renderer"
else
  export SDL_VIDEODRIVER=dummy
fi
echo "# talon-kiosk against $URL; $VIDEO"

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# 1. Cold start: process start → the first frame with the services on screen (--ready-file).
starts=()
for i in 1 2 3 4 5; do
  rm -f "$TMP/ready"
  t0=$(ms_now)
  "$KIOSK" --server "$URL" --windowed --size 1920x1080 --ready-file "$TMP/ready" >/dev/null 2>&1 &
  pid=$!
  while [ ! -e "$TMP/ready" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "talon-kiosk exited during start-up" >&2; exit 1; }
    sleep 0.002
  done
  t1=$(ms_now)
  starts+=($((t1 - t0)))
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
sorted=$(printf '%s\n' "${starts[@]}" | sort -n | tr '\n' ' ')
echo "cold start to first interactive frame (ms, 5 runs): $sorted  median $(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p) ms  (target < 500)"

# 2. Idle on the home screen: CPU over IDLE seconds and resident memory.
rm -f "$TMP/ready"
"$KIOSK" --server "$URL" --windowed --size 1080x1920 --ready-file "$TMP/ready" >/dev/null 2>&1 &
pid=$!
PIDS+=($pid)
while [ ! -e "$TMP/ready" ]; do sleep 0.01; done
sleep 2
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
c0=$(ticks "$pid"); t0=$(ms_now)
sleep "$IDLE"
c1=$(ticks "$pid"); t1=$(ms_now)
awk -v c=$((c1 - c0)) -v hz="$hz" -v ms=$((t1 - t0)) \
  'BEGIN { printf "idle CPU on the home screen over %.0f s: %.3f %% of one core  (target < 1 %%)\n", ms / 1000, 100 * c / hz / (ms / 1000) }'
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
echo "resident memory after ${IDLE} s idle: $((rss / 1024)) MB (peak $((hwm / 1024)) MB)  (target < 80 MB)"
kill "$pid"; wait "$pid" 2>/dev/null || true

# 3. Frame render times at 1920x1080, software renderer: 300 frames through home → service →
#    priority question → ticket (taps at frames 100 and 200). The first two frames upload the
#    font atlas and are left out.
SDL_VIDEODRIVER=dummy "$KIOSK" --server "$URL" --headless --size 1920x1080 --frames 300 \
  --tap 100:480,300 --tap 200:960,760 --printer none --frame-times "$TMP/frames.txt" >/dev/null 2>&1
tail -n +3 "$TMP/frames.txt" | sort -n | awk '{a[NR] = $1} END {
  printf "frame render time at 1920x1080, software renderer (%d frames): p50 %.2f ms, p99 %.2f ms, max %.2f ms  (target p99 < 8)\n",
    NR, a[int(NR * 0.50)], a[int(NR * 0.99)], a[NR] }'
