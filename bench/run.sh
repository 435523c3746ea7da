#!/usr/bin/env bash
# Drives POST /v1/payments with wrk, through the gateway and directly against payment-service, and
# prints throughput and latency percentiles for both. Needs a running system (./paystream up), wrk
# (apt-get install wrk) and curl. Load goes to 127.0.0.1 only and stops after DURATION.
#
# The two targets take turns for ROUNDS rounds (gateway, direct, gateway, direct, ...) and the last
# line gives each round's throughput ratio (gateway / direct) and their median: on a shared machine
# one run of each can differ by 20 % for reasons of its own (another tenant's CPU steal, the ledger
# catching up), and alternating keeps slow drifts such as growing tables out of the ratio.
#
# CONNECTIONS may list several counts; each gets its own warm-up, rounds and median. Few connections
# measure how much latency the gateway adds (at 20 on two cores the system is not saturated: each
# client waits on the previous answer, so throughput is 20 / latency); enough connections to saturate
# both targets (128 on two cores: doubling them adds < 5 %) measure how much throughput it costs.
#
#   bench/run.sh                                   # 1 round of 30 s per target, 20 connections
#   ROUNDS=5 DURATION=30s CONNECTIONS="20 128" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-20}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-1}"
GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
PAYMENT="${PAYMENT:-http://127.0.0.1:8082}"

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
ADMIN_KEY="${PAYSTREAM_ADMIN_KEY:-$(cat .paystream/admin.key 2>/dev/null || true)}"
GATEWAY_TOKEN="${PAYSTREAM_GATEWAY_TOKEN:-$(cat .paystream/gateway.token 2>/dev/null || true)}"
[[ -n "$ADMIN_KEY" && -n "$GATEWAY_TOKEN" ]] || { echo "Start Paystream first: ./paystream up" >&2; exit 1; }

# A merchant whose rate limit does not cut the benchmark short.
# 10,000,000 a minute since issue 18; builds before it allow at most 100,000 (bench/compare-builds.sh).
for limit in 10000000 100000; do
  merchant="$(curl -sf -X POST "$GATEWAY/v1/merchants" -H "x-api-key: $ADMIN_KEY" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Benchmark\",\"rate_limit_per_minute\":$limit}")" && break
done
API_KEY="$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' <<<"$merchant")"
MERCHANT_ID="$(sed -E 's/.*"id":"(mer_[^"]+)".*/\1/' <<<"$merchant")"
export API_KEY GATEWAY_TOKEN MERCHANT_ID

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, wrk -d$DURATION x $ROUNDS rounds per connection count (after a $WARMUP warm-up of each)"
run_wrk() { # target connections duration -> wrk's summary lines
  local url key threads="$THREADS"
  ((threads <= $2)) || threads="$2"   # wrk needs a connection per thread
  if [[ $1 == gateway ]]; then url="$GATEWAY"; key="$API_KEY"; else url="$PAYMENT"; key=""; fi
  API_KEY="$key" wrk -t"$threads" -c"$2" -d"$3" -s bench/create-payment.lua "$url"
}
summaries=()
for connections in $CONNECTIONS; do
  run_wrk gateway "$connections" "$WARMUP" >/dev/null
  run_wrk direct "$connections" "$WARMUP" >/dev/null
  ratios=()
  for ((round = 1; round <= ROUNDS; round++)); do
    declare -A rps=()
    for target in gateway direct; do
      summary="$(run_wrk "$target" "$connections" "$DURATION" | grep -E '^(requests|latency)')"
      echo "## $connections connections, round $round, $target"
      echo "$summary"
      rps[$target]="$(sed -nE 's/.*throughput_rps=([0-9]+).*/\1/p' <<<"$summary")"
    done
    ratios+=("$(awk -v g="${rps[gateway]}" -v d="${rps[direct]}" 'BEGIN { printf "%.2f", (d > 0) ? g / d : 0 }')")
  done
  median="$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
  summaries+=("# $connections connections: throughput ratio gateway/direct per round: ${ratios[*]}; median $median")
done
printf '%s\n' "${summaries[@]}"
