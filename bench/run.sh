#!/usr/bin/env bash
# Drives POST /v1/payments with wrk, through the gateway and directly against payment-service, and
# prints throughput and latency percentiles for both. Needs a running system (./paystream up), wrk
# (apt-get install wrk) and curl. Load goes to 127.0.0.1 only and stops after DURATION.
#
#   bench/run.sh                       # 30 s per target, 20 connections; see the variables below
#   DURATION=60s CONNECTIONS=32 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-20}"
THREADS="${THREADS:-2}"
GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
PAYMENT="${PAYMENT:-http://127.0.0.1:8082}"

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
ADMIN_KEY="${PAYSTREAM_ADMIN_KEY:-$(cat .paystream/admin.key 2>/dev/null || true)}"
GATEWAY_TOKEN="${PAYSTREAM_GATEWAY_TOKEN:-$(cat .paystream/gateway.token 2>/dev/null || true)}"
[[ -n "$ADMIN_KEY" && -n "$GATEWAY_TOKEN" ]] || { echo "Start Paystream first: ./paystream up" >&2; exit 1; }

# A merchant whose rate limit does not cut the benchmark short.
merchant="$(curl -sf -X POST "$GATEWAY/v1/merchants" -H "x-api-key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name":"Benchmark","rate_limit_per_minute":100000}')"
API_KEY="$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' <<<"$merchant")"
MERCHANT_ID="$(sed -E 's/.*"id":"(mer_[^"]+)".*/\1/' <<<"$merchant")"
export API_KEY GATEWAY_TOKEN MERCHANT_ID

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up)"
for target in gateway direct; do
  if [[ $target == gateway ]]; then url="$GATEWAY"; key="$API_KEY"; else url="$PAYMENT"; key=""; fi
  API_KEY="$key" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/create-payment.lua "$url" >/dev/null
  echo "## $target ($url)"
  API_KEY="$key" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/create-payment.lua "$url" | grep -E '^(requests|latency)'
done
