#!/usr/bin/env bash
# The portal against nginx serving the same portal's static export (a measurement, not a pass/fail
# test). Run from the workspace root:
#   site/bench/vs-nginx.sh            # ROUNDS=3 DURATION=3s CONNECTIONS=32 by default
#
# Installs what it needs when missing (Debian's wrk, nginx and its brotli_static module), builds
# the release portal, exports it (with the .gz and .br siblings), and starts both servers on free
# 127.0.0.1 ports: nginx with site/deploy/nginx-local.conf.template (one worker, sendfile,
# open_file_cache, gzip_static, brotli_static; its own pid file and logs), stopped by PID at the
# end. Both servers are pinned to core $SERVER_CPU and wrk (-t1) to core $CLIENT_CPU with taskset,
# so each server has the same CPU budget: one core (the portal's runtime then runs one worker
# thread). For every URL and encoding (gzip, br, identity) each round runs wrk on the portal and
# on nginx back to back, alternating which goes first, and prints the ratio portal / nginx;
# the summary gives the mean ratio, its spread (min-max) and the median absolute rates.
#
# PROFILE="json:identity asset:gzip" profiles the portal with perf (Debian's linux-perf) during
# one more wrk run of each named request and prints where its time goes.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-3s}
CONNECTIONS=${CONNECTIONS:-32}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
SCRATCH=$(mktemp -d)
chmod 755 "$SCRATCH" # nginx's worker runs as nobody and must read the export
PORTAL_PID=""
NGINX_PID=""
BROTLI_MODULE=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so

stop() {
  for pid in "$PORTAL_PID" "$NGINX_PID"; do
    if [[ -n "$pid" ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  PORTAL_PID=""
  NGINX_PID=""
}
trap 'stop; rm -rf "$SCRATCH"' EXIT

missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
[[ -f $BROTLI_MODULE ]] || missing+=(libnginx-mod-http-brotli-static)
[[ -z "${PROFILE:-}" ]] || command -v perf >/dev/null || missing+=(linux-perf)
if [[ ${#missing[@]} -gt 0 ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {
  for _ in $(seq 400); do curl -sf -o /dev/null "$1" && return; sleep 0.05; done
  echo "no answer from $1" >&2
  exit 1
}

cargo build --quiet --release -p site
SITE=${CARGO_TARGET_DIR:-target}/release/site
"$SITE" export --out "$SCRATCH/export" 2>/dev/null

PORTAL_PORT=$(free_port)
taskset -c "$SERVER_CPU" "$SITE" serve --addr "127.0.0.1:$PORTAL_PORT" 2>"$SCRATCH/portal.log" &
PORTAL_PID=$!
NGINX_PORT=$(free_port)
mkdir -p "$SCRATCH/nginx"
sed -e "s|@PREFIX@|$SCRATCH/nginx|g" -e "s|@PORT@|$NGINX_PORT|" -e "s|@ROOT@|$SCRATCH/export|" \
  -e "s|@SNIPPET@|$PWD/site/deploy/nginx-export.conf|" \
  -e "s|@LOAD_BROTLI@|load_module $BROTLI_MODULE;|" -e "s|@BROTLI_STATIC@|brotli_static on;|" \
  site/deploy/nginx-local.conf.template >"$SCRATCH/nginx/nginx.conf"
taskset -c "$SERVER_CPU" /usr/sbin/nginx -c "$SCRATCH/nginx/nginx.conf" -p "$SCRATCH/nginx" 2>"$SCRATCH/nginx/stderr.log" &
NGINX_PID=$!
wait_for "http://127.0.0.1:$PORTAL_PORT/healthz"
wait_for "http://127.0.0.1:$NGINX_PORT/"

ASSET=$(curl -sf "http://127.0.0.1:$PORTAL_PORT/" | grep -o '/static/style\.[0-9a-f]*\.css' | head -1)
declare -A URLS=(
  [code]=/codes/centrifugo-disconnect/3500
  [family]=/families/centrifugo-disconnect
  [search]="/search?q=invalid%20token"
  [json]=/api/codes.json
  [asset]=$ASSET
)
ORDER=(code family search json asset)
ENCODINGS=(gzip br identity)

header_for() {
  case $1 in
    gzip) echo "Accept-Encoding: gzip" ;;
    br) echo "Accept-Encoding: br" ;;
    identity) echo "Accept-Encoding: identity" ;;
  esac
}

# rps PORT PATH ENCODING: requests per second of one pinned wrk run (fails on non-2xx answers).
rps() {
  local out
  out=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H "$(header_for "$3")" "http://127.0.0.1:$1$2")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "non-2xx answers from 127.0.0.1:$1$2" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

# What each server sends, once, for the record.
for name in "${ORDER[@]}"; do
  for encoding in "${ENCODINGS[@]}"; do
    for port in "$PORTAL_PORT" "$NGINX_PORT"; do
      curl -s -o /dev/null -H "$(header_for "$encoding")" -w "%{size_download} %header{content-encoding}\n" \
        "http://127.0.0.1:$port${URLS[$name]}" >>"$SCRATCH/sizes.$name.$encoding"
    done
  done
done

echo "== portal vs nginx: wrk -t1 -c$CONNECTIONS -d$DURATION, servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU, $ROUNDS rounds"
echo "   load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm-up: every URL once per encoding on both (builds the portal's lazy br variants).
for name in "${ORDER[@]}"; do
  for encoding in "${ENCODINGS[@]}"; do
    taskset -c "$CLIENT_CPU" wrk -t1 -c4 -d1s -H "$(header_for "$encoding")" "http://127.0.0.1:$PORTAL_PORT${URLS[$name]}" >/dev/null
    taskset -c "$CLIENT_CPU" wrk -t1 -c4 -d1s -H "$(header_for "$encoding")" "http://127.0.0.1:$NGINX_PORT${URLS[$name]}" >/dev/null
  done
done

: >"$SCRATCH/results"
for round in $(seq "$ROUNDS"); do
  for name in "${ORDER[@]}"; do
    for encoding in "${ENCODINGS[@]}"; do
      path=${URLS[$name]}
      if (( round % 2 )); then
        portal=$(rps "$PORTAL_PORT" "$path" "$encoding")
        nginx=$(rps "$NGINX_PORT" "$path" "$encoding")
      else
        nginx=$(rps "$NGINX_PORT" "$path" "$encoding")
        portal=$(rps "$PORTAL_PORT" "$path" "$encoding")
      fi
      ratio=$(echo "$portal / $nginx" | bc -l)
      printf 'round %d  %-7s %-8s portal %9.0f  nginx %9.0f  ratio %.2f\n' "$round" "$name" "$encoding" "$portal" "$nginx" "$ratio"
      echo "$name $encoding $portal $nginx $ratio" >>"$SCRATCH/results"
    done
  done
done

echo
echo "== summary (ratio portal / nginx: mean [min-max]; median req/s; bytes sent portal / nginx)"
printf '%-7s %-8s %-22s %12s %12s  %s\n' request encoding ratio portal nginx bytes
for name in "${ORDER[@]}"; do
  for encoding in "${ENCODINGS[@]}"; do
    read -r portal_bytes portal_coding < <(sed -n 1p "$SCRATCH/sizes.$name.$encoding")
    read -r nginx_bytes nginx_coding < <(sed -n 2p "$SCRATCH/sizes.$name.$encoding")
    awk -v n="$name" -v e="$encoding" -v pb="$portal_bytes ${portal_coding:-identity}" -v nb="$nginx_bytes ${nginx_coding:-identity}" '
      $1 == n && $2 == e { r[++k] = $5; p[k] = $3; g[k] = $4; s += $5 }
      function median(a, m,   i, j, t) {
        for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
      }
      END {
        lo = r[1]; hi = r[1]
        for (i = 2; i <= k; i++) { if (r[i] < lo) lo = r[i]; if (r[i] > hi) hi = r[i] }
        printf "%-7s %-8s %.2f [%.2f-%.2f]        %12.0f %12.0f  %s / %s\n", n, e, s / k, lo, hi, median(p, k), median(g, k), pb, nb
      }' "$SCRATCH/results"
  done
done
echo "   load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

for target in ${PROFILE:-}; do
  name=${target%%:*}
  encoding=${target##*:}
  echo
  echo "== perf profile of the portal: $name ($encoding)"
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d5s -H "$(header_for "$encoding")" "http://127.0.0.1:$PORTAL_PORT${URLS[$name]}" >/dev/null &
  wrk_pid=$!
  sleep 1
  perf record -q -F 1999 -g -p "$PORTAL_PID" -o "$SCRATCH/perf.$name.data" -- sleep 3 2>/dev/null
  wait "$wrk_pid"
  perf report -i "$SCRATCH/perf.$name.data" --stdio --no-children --sort dso,symbol --percent-limit 1.5 -g none 2>/dev/null |
    grep -v '^#' | grep -v '^$' | head -40
done
