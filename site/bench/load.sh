#!/usr/bin/env bash
# Load test of the portal (a measurement, not a pass/fail test): run from the workspace root as
#   site/bench/load.sh
# Needs wrk (`apt-get install -y wrk`). Builds the release binary, then
#  1. on the embedded registry, alternates /healthz with a code page (gzip, as browsers ask),
#     the same page uncompressed, and a search, reporting each as a ratio to the mean of the
#     /healthz runs on either side of it;
#     Then, as browsers ask (gzip, deflate, br), alternates the code page with the search page and
#     /api/search for a repeated query (served from the search cache), reporting each as a ratio
#     to the mean of the code page runs on either side of it (goal >= 0.8);
#  2. on a synthetic 10,000-code registry (`cargo xtask synth`), reports startup time, resident
#     memory, search latency percentiles at concurrency 1, and resident memory after every code
#     page and its JSON were fetched once with brotli (which builds every lazy br variant).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE="http://127.0.0.1:$PORT"
SCRATCH=$(mktemp -d)
SERVER_PID=""

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
trap 'stop_server; rm -rf "$SCRATCH"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cargo build --quiet --release -p site
SITE=${CARGO_TARGET_DIR:-target}/release/site

# start_server ARGS...: starts the portal and waits until /healthz answers; sets SERVER_PID and
# STARTUP_MS (not printed: a command substitution would wait for the server's stdout to close).
start_server() {
  local started=$(date +%s%N)
  "$SITE" serve --addr "127.0.0.1:$PORT" "$@" >/dev/null 2>"$SCRATCH/server.log" &
  SERVER_PID=$!
  until curl -sf "$BASE/healthz" >/dev/null 2>&1; do sleep 0.01; done
  STARTUP_MS=$(( ($(date +%s%N) - started) / 1000000 ))
}

# rps PATH [HEADER]: requests per second of one wrk run.
rps() {
  local args=(-t1 -c"$CONNECTIONS" -d"$DURATION")
  [[ $# -gt 1 ]] && args+=(-H "$2")
  wrk "${args[@]}" "$BASE$1" | awk '/^Requests\/sec:/ {print $2}'
}

echo "== embedded registry: throughput as a ratio to /healthz (wrk -t1 -c$CONNECTIONS -d$DURATION, $ROUNDS rounds)"
start_server
PAGE=/codes/centrifugo-disconnect/3500
SEARCH="/search?q=invalid%20token"
# Warm up (also inflates the page's uncompressed bytes once).
wrk -t1 -c4 -d1s "$BASE$PAGE" >/dev/null
curl -sf "$BASE$PAGE" -o /dev/null
declare -A sum=()
for round in $(seq "$ROUNDS"); do
  h0=$(rps /healthz)
  gz=$(rps "$PAGE" "Accept-Encoding: gzip, deflate, br")
  h1=$(rps /healthz)
  plain=$(rps "$PAGE")
  h2=$(rps /healthz)
  search=$(rps "$SEARCH")
  h3=$(rps /healthz)
  r_gz=$(echo "$gz / (($h0 + $h1) / 2)" | bc -l)
  r_plain=$(echo "$plain / (($h1 + $h2) / 2)" | bc -l)
  r_search=$(echo "$search / (($h2 + $h3) / 2)" | bc -l)
  printf 'round %d: healthz %.0f %.0f %.0f %.0f req/s; page gzip %.0f (%.2f), page plain %.0f (%.2f), search %.0f (%.2f)\n' \
    "$round" "$h0" "$h1" "$h2" "$h3" "$gz" "$r_gz" "$plain" "$r_plain" "$search" "$r_search"
  sum[gz]=$(echo "${sum[gz]:-0} + $r_gz" | bc -l)
  sum[plain]=$(echo "${sum[plain]:-0} + $r_plain" | bc -l)
  sum[search]=$(echo "${sum[search]:-0} + $r_search" | bc -l)
done
printf 'mean ratios: page gzip %.2f (goal >= 0.85), page plain %.2f (goal >= 0.80), search %.2f (goal >= 0.50)\n' \
  "$(echo "${sum[gz]} / $ROUNDS" | bc -l)" "$(echo "${sum[plain]} / $ROUNDS" | bc -l)" "$(echo "${sum[search]} / $ROUNDS" | bc -l)"

echo "== repeated search against the code page (Accept-Encoding: gzip, deflate, br)"
BROWSER="Accept-Encoding: gzip, deflate, br"
API="/api/search?q=invalid%20token"
declare -A cached=()
for round in $(seq "$ROUNDS"); do
  p0=$(rps "$PAGE" "$BROWSER")
  s=$(rps "$SEARCH" "$BROWSER")
  p1=$(rps "$PAGE" "$BROWSER")
  a=$(rps "$API" "$BROWSER")
  p2=$(rps "$PAGE" "$BROWSER")
  r_s=$(echo "$s / (($p0 + $p1) / 2)" | bc -l)
  r_a=$(echo "$a / (($p1 + $p2) / 2)" | bc -l)
  printf 'round %d: code page %.0f %.0f %.0f req/s; search page %.0f (%.2f), /api/search %.0f (%.2f)\n' \
    "$round" "$p0" "$p1" "$p2" "$s" "$r_s" "$a" "$r_a"
  cached[s]=$(echo "${cached[s]:-0} + $r_s" | bc -l)
  cached[a]=$(echo "${cached[a]:-0} + $r_a" | bc -l)
done
printf 'mean ratios to the code page: search page %.2f, /api/search %.2f (goal >= 0.80)\n' \
  "$(echo "${cached[s]} / $ROUNDS" | bc -l)" "$(echo "${cached[a]} / $ROUNDS" | bc -l)"
stop_server

echo "== synthetic registry of 10,000 codes"
cargo xtask synth --count 10000 --out "$SCRATCH/synth.yaml" >/dev/null
start_server --codes "$SCRATCH/synth.yaml"
grep -h "built" "$SCRATCH/server.log" || true
echo "startup (process start to first /healthz answer): ${STARTUP_MS} ms (goal < 1000)"
rss() { awk '/^VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$SERVER_PID/status"; }
echo "resident memory after startup: $(rss)"
for query in "synthetic%205%20code%201234" "4321" "second%20synthetic%20cause"; do
  echo "search ?q=$query at concurrency 1:"
  wrk -t1 -c1 -d"$DURATION" --latency "$BASE/search?q=$query" | awk '/^  Latency Distribution/ {on=1; next} on && /%/ {printf "  p%s %s\n", $1, $2} /^Requests\/sec:/ {print "  " $0}'
done
curl -sf -H "Accept-Encoding: gzip" "$BASE/codes/synthetic-0/4000" -o /dev/null
echo "resident memory after the searches: $(rss) (goal < 100 MB)"
# Every code page and its JSON once with brotli, on one keep-alive connection.
python3 - "$PORT" <<'PY'
import http.client, json, sys, time
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
def get(path, encoding):
    connection.request("GET", path, headers={"Accept-Encoding": encoding})
    response = connection.getresponse()
    return response.read(), response.getheader("Content-Encoding")
registry = json.loads(get("/api/codes", "identity")[0])
started = time.time()
count, encodings = 0, set()
for family in registry["families"]:
    for code in family["codes"]:
        for path in (code["url"], "/api/codes/%s/%d" % (family["id"], code["number"])):
            encodings.add(get(path, "br")[1])
            count += 1
print("fetched %d responses with Accept-Encoding: br in %.1f s (encodings: %s)" % (count, time.time() - started, sorted(map(str, encodings))))
PY
echo "resident memory after every br variant was built: $(rss)"
