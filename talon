#!/usr/bin/env bash
# Talon's one entry point: setup, build, demo, test, bench, sim. See README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Sanitizer builds get their own directory so they never mix with the normal one.
if [ -n "${TALON_SANITIZE:-}" ]; then DEFAULT_BUILD="$ROOT/build-asan"; else DEFAULT_BUILD="$ROOT/build"; fi
BUILD="${TALON_BUILD_DIR:-$DEFAULT_BUILD}"
JOBS="${TALON_JOBS:-$(nproc)}"

# Debian packages the project needs to build, run and test. Keep in sync with docs/operations.md.
APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libimgui-dev libsdl2-dev libcpp-httplib-dev nlohmann-json3-dev libcurl4-openssl-dev
  libsqlite3-dev libsqlitecpp-dev sqlite3 libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libhowardhinnant-date-dev tzdata
  libstb-dev fonts-dejavu-core chromium nodejs npm ca-certificates curl
  libqrencode-dev zbar-tools libespeak-ng-dev espeak-ng libsodium-dev
)

log() { printf '\033[1m[talon]\033[0m %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then echo sudo; else
      echo "talon setup installs Debian packages and needs root (or sudo)." >&2; exit 1
    fi
  fi
}

cmd_setup() {
  local missing=() p sudo
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # nodejs/npm may come from outside Debian on a developer machine; accept any working npm.
  if command -v npm >/dev/null && command -v node >/dev/null; then
    local filtered=()
    for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
    missing=("${filtered[@]}")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    sudo="$(need_root)"
    log "installing Debian packages: ${missing[*]}"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  else
    log "Debian packages: all present"
  fi
  if [ ! -d "$ROOT/tests/web/node_modules/playwright-core" ]; then
    log "installing npm packages for the browser tests"
    (cd "$ROOT/tests/web" && npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund)
  else
    log "npm packages: present"
  fi
}

cmd_build() {
  local type="${TALON_BUILD_TYPE:-RelWithDebInfo}"
  local extra=()
  [ "${CI:-}" = "true" ] && extra+=(-DTALON_WERROR=ON)
  [ -n "${TALON_SANITIZE:-}" ] && extra+=(-DTALON_SANITIZE=ON)
  if [ ! -f "$BUILD/build.ninja" ]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${extra[@]+"${extra[@]}"}"
  elif [ ${#extra[@]} -gt 0 ]; then
    cmake "$BUILD" "${extra[@]}" >/dev/null
  fi
  cmake --build "$BUILD" -j "$JOBS"
}

# A few appeals in the demo register, as kiosks would send them. Their idempotency keys make a
# second demo run find them instead of adding more; only new ones are taken through some steps.
seed_demo_appeals() {
  local url="$1" token
  post_appeal() {  # key, JSON body → prints the number when the appeal is new
    local out
    out=$(curl -s -w '\n%{http_code}' -X POST -H "Idempotency-Key: demo-appeal-$1" -H 'X-Talon-Kiosk: demo' \
      -H 'Content-Type: application/json' "$url/api/v1/appeals" -d "$2") || return 0
    [ "$(tail -n1 <<<"$out")" = 201 ] && head -n1 <<<"$out" | sed -n 's/.*"number": *"\([^"]*\)".*/\1/p'
    return 0
  }
  step() { curl -s -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    "$url/api/v1/appeals/$1/$2" -d "$3"; }
  token=$(curl -s -X POST -H 'Content-Type: application/json' "$url/api/v1/login" \
    -d '{"login": "admin", "password": "admin"}' | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
  local a b
  a=$(post_appeal 1 '{"type": "complaint", "category": "billing", "text": "Счёт за октябрь вдвое больше обычного, хотя показания передавала вовремя. Прошу сделать перерасчёт.", "name": "Смирнова Анна", "phone": "+7 916 123-45-67", "reply_channel": "phone", "consent": true, "account": "1000000001"}')
  b=$(post_appeal 2 '{"type": "request", "category": "meters", "text": "Прошу заменить счётчик: истёк срок поверки.", "name": "Кузнецов Игорь", "email": "kuznetsov@example.ru", "reply_channel": "email", "consent": true}')
  post_appeal 3 '{"type": "suggestion", "category": "service_staff", "text": "Спасибо сотруднику третьего окна за терпение и подробные объяснения!", "name": "Павлова Ольга", "phone": "89031112233", "reply_channel": "sms", "consent": true}' >/dev/null
  post_appeal 4 '{"type": "complaint", "category": "supply_quality", "text": "Третий раз за неделю гаснет свет по вечерам, ул. Садовая, 14.", "name": "Орлов Денис", "phone": "89265554433", "reply_channel": "phone", "consent": true}' >/dev/null
  if [ -n "$token" ] && [ -n "$a" ]; then
    step "$a" assign '{"to": "clerk1"}'
    step "$a" start '{}'
    step "$a" notes '{"text": "Запросил расчёт в отделе начислений."}'
  fi
  if [ -n "$token" ] && [ -n "$b" ]; then step "$b" assign '{"to": "clerk2"}'; fi
  return 0
}

cmd_demo() {
  cmd_setup
  cmd_build
  local port="${TALON_PORT:-8080}" dir="${TALON_DEMO_DIR:-$ROOT/.demo}"
  mkdir -p "$dir"
  local url="http://127.0.0.1:$port"
  # Demo accounts and meters for meter readings at the kiosk (a real office imports the billing
  # system's CSV the same way: docs/operations.md, Accounts import).
  "$BUILD/server/talon-server" --db "$dir/talon.db" import-accounts "$ROOT/assets/demo/accounts.csv" --lang en
  log "starting talon-server on $url (database $dir/talon.db)"
  "$BUILD/server/talon-server" --listen "127.0.0.1:$port" --db "$dir/talon.db" &
  local server=$!
  local pids=("$server")
  trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
  for _ in $(seq 50); do curl -fs "$url/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
  seed_demo_appeals "$url"
  log "clerk console: $url/clerk/   (log in as clerk1 … clerk6 / demo, one per window, or admin / admin)"
  log "appeals register: $url/admin/   (admin / admin, or any clerk)"
  log "meter readings at the kiosk: try account 1000000001 (two meters, one with overdue calibration) or 1000000003"
  log "accepted readings for billing: $BUILD/server/talon-server --db $dir/talon.db export-readings --from $(date +%Y-%m-01) --to $(date +%F)"
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    # The demo kiosk "prints" ESC/POS jobs into a file (a real one: device:/dev/usb/lp0 or tcp://HOST:9100).
    "$BUILD/kiosk/talon-kiosk" --server "$url" --windowed --printer "file:$dir/printer.escpos" \
      --outbox "$dir/kiosk-outbox.sqlite" & pids+=($!)
    log "kiosk tickets are printed as ESC/POS into $dir/printer.escpos"
    "$BUILD/display/talon-display" --server "$url" --windowed & pids+=($!)
    log "kiosk and display are open; Ctrl+C stops everything"
  else
    log "no display server (DISPLAY is unset): kiosk and display cannot open windows here."
    log "run them headless, each writing a screenshot, e.g.:"
    log "  $BUILD/kiosk/talon-kiosk --server $url --headless --frames 8 --tap 2:300,500 --tap 4:540,1600 \\"
    log "      --printer file:$dir/printer.escpos --screenshot kiosk.png   (taps a service, then 'regular queue')"
    log "  $BUILD/display/talon-display --server $url --headless --frames 3 --screenshot display.png"
    log "or under a virtual X server: apt-get install xvfb && xvfb-run -a ./talon demo"
    log "the server keeps running; Ctrl+C stops it"
  fi
  wait "$server"
}

cmd_test() {
  cmd_setup
  cmd_build
  log "C++ tests (ctest)"
  (cd "$BUILD" && ctest --output-on-failure -j "$JOBS" --timeout 300)
  log "browser tests (headless Chromium)"
  (cd "$ROOT/tests/web" && TALON_BUILD_DIR="$BUILD" node --test)
}

cmd_bench() {
  cmd_setup
  cmd_build
  "$ROOT/bench/run.sh" "$BUILD" "$@"
  log "kiosk: cold start, idle CPU and memory, frame times at 1920x1080 (software renderer)"
  "$ROOT/bench/kiosk.sh" "$BUILD"
  log "board: call → board latency with 200 boards, idle CPU and memory, frame times"
  "$ROOT/bench/display.sh" "$BUILD"
  log "routing and wait-estimate microbenchmarks (10,000 waiting tickets)"
  "$BUILD/bench/talon-bench-routing" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
}

cmd_sim() {
  cmd_setup >/dev/null
  cmd_build >/dev/null
  if [ $# -eq 0 ]; then
    for scenario in "$ROOT"/bench/scenarios/*.toml; do "$BUILD/bench/talon-sim" --scenario "$scenario"; done
  else
    "$BUILD/bench/talon-sim" --scenario "$@"
  fi
}

usage() {
  cat <<USAGE
usage: ./talon COMMAND
  setup   install every Debian and npm package the project needs (idempotent)
  build   configure and build into ./build (TALON_SANITIZE=1 for ASan/UBSan)
  demo    build, start the server with demo data, open kiosk and display
  test    build and run every test (ctest and the browser tests)
  bench   build and run the benchmarks, printing their figures
  sim     replay business days on the real engine: ./talon sim [SCENARIO.toml [--seed N]]
USAGE
}

case "${1:-}" in
  setup) cmd_setup ;;
  build) cmd_setup; cmd_build ;;
  demo) cmd_demo ;;
  test) cmd_test ;;
  bench) shift; cmd_bench "$@" ;;
  sim) shift; cmd_sim "$@" ;;
  *) usage; [ -z "${1:-}" ] || exit 2 ;;
esac
