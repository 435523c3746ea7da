#!/usr/bin/env bash
# The cold minute (issue 19): starts Paystream on fresh state with ./paystream up and, the moment it
# returns, drives POST /v1/payments through the gateway with wrk (the load of bench/run.sh: a fresh
# Idempotency-Key per request, 64 connections), in back-to-back windows of 5 s: throughput, p50,
# p99, the slowest request and how many took over 2 s in each. After the cold windows (90 s) the
# load goes on unreported, then the same windows again, warm, for comparison. Each window also shows
# how busy the machine was and how much of that was not Paystream (other tenants, builds): on a
# shared machine that decides what a figure means.
#
#   bench/cold-start.sh                         # reset, up, 90 s cold + 60 s settling + 30 s warm, down
#   RUNS=3 bench/cold-start.sh                  # three times in a row (each on fresh state)
#   COLD=90 SETTLE=60 WARM=30 CONNECTIONS=64 bench/cold-start.sh
#   PRELOAD=20 bench/cold-start.sh              # 20 s of real payments (unreported) before the cold
#                                               # windows: what a warm-up taking every path would give
#
# Fresh state: ./paystream reset -y (Kafka's data, the embedded PostgreSQL's data) and, with
# RESET_DATABASES=1 (the default when ./paystream uses a PostgreSQL of its own choosing, i.e. no
# PAYSTREAM_DB_* is set), the services' databases are dropped on the server in use: do not point it
# at databases you want to keep. The class archives of .paystream/app are kept (they belong to the
# build, not to the data). Extra options for ./paystream up go in UP_ARGS; its environment
# (PAYSTREAM_*) is passed through. Needs wrk and curl. Load goes to 127.0.0.1 only.
#
# Prints one line per window and a summary per run; the targets of issue 19 are checked against the
# warm windows of the same run: every cold window p99 <= 2 x warm p99 and no request over 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

COLD="${COLD:-90}"
SETTLE="${SETTLE:-60}"
WARM="${WARM:-30}"
WINDOW="${WINDOW:-5}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
RUNS="${RUNS:-1}"
LIMIT_MS="${LIMIT_MS:-2000}"
FRESH="${FRESH:-1}"
PRELOAD="${PRELOAD:-0}"
RESET_DATABASES="${RESET_DATABASES:-1}"
DOWN="${DOWN:-1}"
GATEWAY_PORT="${PAYSTREAM_GATEWAY_PORT:-8080}"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
export LIMIT_MS

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed: apt-get install curl" >&2; exit 1; }
if ./paystream status 2>/dev/null | awk 'NR > 1 && $2 == "running" && $1 != "postgres"' | grep -q .; then
  echo "Paystream is running: bench/cold-start.sh starts it itself, on fresh state; run ./paystream down first." >&2
  exit 1
fi

# --- CPU accounting from /proc: the whole machine, and this checkout's Paystream (its JVMs, the
# embedded PostgreSQL's processes) plus wrk. Jiffies; "others" = busy - ours.
ours_pids() {
  local dir pg_pid=""
  grep -lsaF -- "-Dpaystream.home=$ROOT" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3
  pgrep -x wrk 2>/dev/null || true
  [[ -f .paystream/postgres/data/postmaster.pid ]] && pg_pid="$(head -n1 .paystream/postgres/data/postmaster.pid)"
  if [[ "$pg_pid" =~ ^[0-9]+$ ]]; then
    echo "$pg_pid"
    for dir in /proc/[0-9]*; do
      [[ "$(awk '{ print $4 }' "$dir/stat" 2>/dev/null)" == "$pg_pid" ]] && echo "${dir#/proc/}"
    done
  fi
  return 0
}
# Prints "busy total ours" (jiffies since boot); ours counts children that exited (cutime, cstime).
cpu_snapshot() {
  local busy_total ours=0 pid t
  busy_total="$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)"
  for pid in $(ours_pids | sort -u); do
    t="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || true)"
    [[ "$t" =~ ^[0-9]+$ ]] && ours=$((ours + t))
  done
  echo "$busy_total $ours"
}

# --- one window of load
API_KEY=""
export API_KEY
window() { # label seconds -> one line
  local label="$1" seconds="$2" before after out load
  before="$(cpu_snapshot)"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 30s -s bench/window.lua "$GATEWAY" 2>&1 | grep '^window ' || true)"
  after="$(cpu_snapshot)"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  awk -v label="$label" -v out="$out" -v before="$before" -v after="$after" -v loadavg="$load" -v cores="$(nproc)" -v clk="$(getconf CLK_TCK)" '
    function field(name,   re) { re = name "=[0-9.]+"; if (match(out, re)) return substr(out, RSTART + length(name) + 1, RLENGTH - length(name) - 1); return "" }
    BEGIN {
      split(before, b, " "); split(after, a, " ")
      total = a[2] - b[2]; busy = a[1] - b[1]; ours = a[3] - b[3]
      if (total <= 0) total = 1
      busy_pct = 100 * busy / total
      # per-process jiffies are clock ticks of one CPU; total jiffies count every CPU
      ours_cores = ours / (total / cores)
      others_cores = (busy - ours) / (total / cores); if (others_cores < 0) others_cores = 0
      if (out == "") { printf "%-8s no answer from wrk\n", label; exit }
      d = field("duration_s"); if (d <= 0) d = 1
      cpu_per_request = field("requests") > 0 ? 1000 * (ours / clk) / field("requests") : 0
      printf "%-8s %7.0f %8.1f %8.1f %8.1f %6d %6d %6d   %5.1f %5.0f%% %6.2f %6.2f %7.2f\n", label, field("requests") / d,
        field("p50_ms"), field("p99_ms"), field("max_ms"), field("over_limit"), field("non2xx"), field("socket_errors") + field("timeouts"),
        loadavg, busy_pct, ours_cores, others_cores, cpu_per_request
    }'
}

header() {
  printf '%-8s %7s %8s %8s %8s %6s %6s %6s   %5s %6s %6s %6s %7s\n' window "req/s" "p50 ms" "p99 ms" "max ms" ">${LIMIT_MS}ms" non2xx errors load1 busy ours others "cpu/req"
}

# --- JIT activity of each JVM (jstat: methods compiled, seconds spent compiling), the JIT's work
# that is left when up returns; counts do not depend on how busy the machine is, times do.
JSTAT="$(command -v jstat || true)"
jit_snapshot() { # -> "component compiled seconds" per line
  local file name pid
  [[ -n "$JSTAT" ]] || return 0
  for file in .paystream/pids/*.pid; do
    name="$(basename "$file" .pid)"
    [[ "$name" == postgres ]] && continue
    pid="$(head -n1 "$file" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    "$JSTAT" -compiler "$pid" 2>/dev/null | awk -v name="$name" 'NR == 2 { print name, $1, $4 }' || true
  done
}
jit_report() { # at-up after-cold after-warm
  echo "# JIT per JVM: methods compiled before the cold windows (when up returned$( ((PRELOAD > 0)) && echo ", plus the ${PRELOAD}s preload")) / during the cold windows / after them (seconds compiling)"
  awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN {
    n = split(a, la, "\n"); split(b, lb, "\n"); split(c, lc, "\n")
    for (i = 1; i <= n; i++) { split(la[i], x, " "); if (x[1] == "") continue; up[x[1]] = x[2]; upt[x[1]] = x[3]; order[++k] = x[1] }
    for (i in lb) { split(lb[i], x, " "); cold[x[1]] = x[2]; coldt[x[1]] = x[3] }
    for (i in lc) { split(lc[i], x, " "); warm[x[1]] = x[2]; warmt[x[1]] = x[3] }
    for (i = 1; i <= k; i++) { m = order[i]
      printf "#   %-16s %6d (%5.1fs) / %6d (%5.1fs) / %6d (%5.1fs)\n", m, up[m], upt[m], cold[m] - up[m], coldt[m] - upt[m], warm[m] - cold[m], warmt[m] - coldt[m]
      tu += up[m]; tc += cold[m] - up[m]; tw += warm[m] - cold[m]; tut += upt[m]; tct += coldt[m] - upt[m]; twt += warmt[m] - coldt[m] }
    printf "#   %-16s %6d (%5.1fs) / %6d (%5.1fs) / %6d (%5.1fs)\n", "all", tu, tut, tc, tct, tw, twt
  }'
}

# --- summary of one run's lines
summarize() { # file
  awk -v limit="$LIMIT_MS" '
    $1 ~ /^cold-/ { n++; cold_rps[n] = $2; cold_p99[n] = $4; if ($4 > cold_worst) cold_worst = $4; over += $6; err += $7 + $8; cold_others += $12; cold_cpu += $13 * $2; cold_req += $2 }
    $1 ~ /^warm-/ { m++; warm_rps[m] = $2; warm_p99[m] = $4; warm_others += $12; warm_cpu += $13 * $2; warm_req += $2 }
    function median(v, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
    END {
      if (n == 0) { print "# no cold windows"; exit }
      wp99 = m ? median(warm_p99, m) : 0; wrps = m ? median(warm_rps, m) : 0
      for (i = 1; i <= n; i++) if (m && cold_p99[i] > 2 * wp99) bad++
      printf "# warm (median of %d windows): %.0f req/s, p99 %.1f ms, others %.2f cores | cold (%d windows): median %.0f req/s, worst p99 %.1f ms, windows with p99 > 2 x warm: %d, requests over %d ms: %d, errors: %d, others %.2f cores\n",
        m, wrps, wp99, m ? warm_others / m : 0, n, median(cold_rps, n), cold_worst, bad, limit, over, err, cold_others / n
      printf "# our CPU per request: cold %.2f ms, warm %.2f ms\n", cold_req ? cold_cpu / cold_req : 0, warm_req ? warm_cpu / warm_req : 0
      printf "# targets (p99 <= 2 x warm in every cold window, none over %d ms): %s\n", limit, (bad == 0 && over == 0 && m > 0) ? "MET" : "not met"
    }' "$1"
}

run_once() { # run number
  local run="$1" t0 up_s merchant lines i jit_at_up jit_after_cold jit_after_warm
  lines="$(mktemp)"
  if ((FRESH)); then
    if ((RESET_DATABASES)); then ./paystream reset --databases -y >/dev/null 2>&1 || true
    else ./paystream reset -y >/dev/null 2>&1 || true; fi
  fi
  t0="$(date +%s.%N)"
  # shellcheck disable=SC2086 # UP_ARGS is a list of options
  if ! ./paystream up ${UP_ARGS:-} >"/tmp/cold-start-up-$run.log" 2>&1; then
    echo "./paystream up failed: /tmp/cold-start-up-$run.log" >&2
    tail -n 20 "/tmp/cold-start-up-$run.log" >&2
    ((DOWN)) && ./paystream down >/dev/null 2>&1
    return 1
  fi
  up_s="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  # The first request a user sends: a merchant whose rate limit does not cut the load short.
  merchant="$(curl -sf -X POST "$GATEWAY/v1/merchants" -H "x-api-key: $(cat .paystream/admin.key)" \
    -H 'Content-Type: application/json' -d '{"name":"Cold start","rate_limit_per_minute":100000}')"
  API_KEY="$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' <<<"$merchant")"
  echo "## run $run: ./paystream up took ${up_s}s; $(date -u +%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if ((PRELOAD > 0)); then
    window "preload" "$PRELOAD" >/dev/null
    echo "# after ${PRELOAD}s of real payments (PRELOAD), not reported"
  fi
  jit_at_up="$(jit_snapshot)"
  header
  for ((i = 0; i < COLD; i += WINDOW)); do window "cold-$((i + WINDOW))" "$WINDOW"; done | tee -a "$lines"
  jit_after_cold="$(jit_snapshot)"
  ((SETTLE > 0)) && window "settle" "$SETTLE" | tee -a "$lines"
  for ((i = 0; i < WARM; i += WINDOW)); do window "warm-$((i + WINDOW))" "$WINDOW"; done | tee -a "$lines"
  jit_after_warm="$(jit_snapshot)"
  echo "# run $run: up ${up_s}s"
  summarize "$lines"
  jit_report "$jit_at_up" "$jit_after_cold" "$jit_after_warm"
  rm -f "$lines"
  if ((DOWN)); then ./paystream down >/dev/null 2>&1 || true; fi
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $CONNECTIONS connections through the gateway, windows of ${WINDOW}s: ${COLD}s cold from the moment up returns, ${SETTLE}s settling, ${WARM}s warm"
echo "# columns: req/s, latency p50/p99/max, requests over ${LIMIT_MS} ms, non-2xx, socket errors and timeouts; 1-min load average; machine busy %; cores used by this Paystream + wrk (ours) and by everything else (others); ms of our CPU per request"
for ((run = 1; run <= RUNS; run++)); do run_once "$run"; done
