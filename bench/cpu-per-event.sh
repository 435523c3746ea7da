#!/usr/bin/env bash
# CPU per payment of every component, and webhook-service's CPU per event it consumed, over a payment
# load (the load of bench/run.sh: POST /v1/payments through the gateway, or direct with TARGET=direct),
# or with LOAD=events over events published straight to paystream.payments.v1 at RATE per second
# (bench/PublishEvents.java, merchants nobody subscribed for unless MERCHANTS names some): the cost of
# webhook-service's consumer alone, with nothing else competing for the cores.
# CPU is read from /proc/<pid>/stat (utime + stime; PostgreSQL: the postmaster, its children and the
# children it reaped), so it does not depend on how busy the machine is otherwise — unlike
# throughput, which on shared cores does. Needs a running system (./paystream up), wrk, curl, psql.
#
# Before the load each component's idle CPU is measured for IDLE seconds (pollers, heartbeats); the
# figures are given raw and with that idle rate taken off. After the load the script waits until
# webhook-service consumed every event (its consumer's record count stops growing), so the CPU spent on
# the run's events is all counted.
#
#   bench/cpu-per-event.sh
#   DURATION=60s CONNECTIONS=32 TARGET=direct bench/cpu-per-event.sh
#   LOAD=events RATE=500 DURATION=60 bench/cpu-per-event.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-30s}"
CONNECTIONS="${CONNECTIONS:-20}"
TARGET="${TARGET:-gateway}"
LOAD="${LOAD:-payments}"
RATE="${RATE:-200}"
MERCHANTS="${MERCHANTS:-random}"
KAFKA="${PAYSTREAM_KAFKA_BOOTSTRAP:-127.0.0.1:${PAYSTREAM_KAFKA_PORT:-9092}}"
IDLE="${IDLE:-15}"
GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
PAYMENT="${PAYMENT:-http://127.0.0.1:8082}"
WEBHOOK="${WEBHOOK:-http://127.0.0.1:${PAYSTREAM_WEBHOOK_PORT:-8084}}"
DB_HOST="${PAYSTREAM_DB_HOST:-127.0.0.1}" DB_PORT="${PAYSTREAM_DB_PORT:-5432}" DB_USER="${PAYSTREAM_DB_USER:-postgres}"
export PGPASSWORD="${PAYSTREAM_DB_PASSWORD:-$(cat .paystream/db.password 2>/dev/null || true)}"
for tool in wrk curl psql; do command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }; done
ADMIN_KEY="${PAYSTREAM_ADMIN_KEY:-$(cat .paystream/admin.key 2>/dev/null || true)}"
GATEWAY_TOKEN="${PAYSTREAM_GATEWAY_TOKEN:-$(cat .paystream/gateway.token 2>/dev/null || true)}"
[[ -n "$ADMIN_KEY" && -n "$GATEWAY_TOKEN" ]] || { echo "Start Paystream first: ./paystream up" >&2; exit 1; }
TICKS_PER_S="$(getconf CLK_TCK)"

declare -A PID=()
for file in .paystream/pids/*.pid; do
  name="$(basename "$file" .pid)"
  [[ "$name" == postgres ]] && continue
  pid="$(cat "$file")"
  [[ -r "/proc/$pid/stat" ]] && PID[$name]="$pid"
done
data_dir="$(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc 'SHOW data_directory' 2>/dev/null || true)"
if [[ -n "$data_dir" && -r "$data_dir/postmaster.pid" ]]; then
  PID[postgres]="$(head -n1 "$data_dir/postmaster.pid")"
fi

# utime + stime of a process in clock ticks; with "tree", also its children now and those it reaped.
ticks() {
  local pid="$1" tree="${2:-}" total child
  total="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")"
  if [[ -n "$tree" ]]; then
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$pid/stat")))
    for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
      [[ -r "/proc/$child/stat" ]] && total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$child/stat" 2>/dev/null || echo 0)))
    done
  fi
  echo "$total"
}
snapshot() { # -> "name=ticks ..." lines
  local name
  for name in "${!PID[@]}"; do
    if [[ "$name" == postgres ]]; then echo "$name $(ticks "${PID[$name]}" tree)"; else echo "$name $(ticks "${PID[$name]}")"; fi
  done | sort
}
consumed() { # events webhook-service's fan-out consumer applied or parked
  curl -sf "$WEBHOOK/actuator/prometheus" \
    | awk '/^paystream_consumer_records_total\{.*consumer="webhook-fan-out"/ { sum += $NF } END { printf "%d\n", sum }'
}

merchant="$(curl -sf -X POST "$GATEWAY/v1/merchants" -H "x-api-key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name":"CPU benchmark","rate_limit_per_minute":100000}')"
API_KEY="$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' <<<"$merchant")"
MERCHANT_ID="$(sed -E 's/.*"id":"(mer_[^"]+)".*/\1/' <<<"$merchant")"
export GATEWAY_TOKEN MERCHANT_ID
if [[ "$TARGET" == gateway ]]; then export API_KEY; url="$GATEWAY"; else export API_KEY=""; url="$PAYMENT"; fi

idle_before="$(snapshot)"
sleep "$IDLE"
idle_after="$(snapshot)"
events_before="$(consumed)"
before="$(snapshot)"
started="$(date +%s.%N)"
if [[ "$LOAD" == events ]]; then
  # shellcheck disable=SC2086 # MERCHANTS is a list
  summary="$(java -cp ".paystream/lib/kafka/*" bench/PublishEvents.java "$KAFKA" "$RATE" "${DURATION%s}" $MERCHANTS)"
else
  summary="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/create-payment.lua "$url" | grep -E '^(requests|latency)')"
fi
previous=-1
for _ in $(seq 1 300); do
  events="$(consumed)"
  [[ "$events" == "$previous" ]] && break
  previous="$events"
  sleep 2
done
after="$(snapshot)"
ended="$(date +%s.%N)"
# Payments made, whatever wrk saw of their answers (a request the gateway gave up on may still have made one).
payments="$(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d paystream_payment -Atc "SELECT count(*) FROM payments WHERE merchant_id = '$MERCHANT_ID'")"
events=$((events - events_before))

if [[ "$LOAD" == events ]]; then
  payments=$((events / 2))
  what="$RATE events/s for $DURATION published to paystream.payments.v1 (merchants: $MERCHANTS)"
else
  what="wrk -c$CONNECTIONS -d$DURATION $TARGET"
fi
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $what"
echo "$summary"
echo "payments=$payments webhook_events_consumed=$events measured_s=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", b - a }')"
join -j1 <(echo "$idle_before") <(echo "$idle_after") | join -j1 - <(echo "$before") | join -j1 - <(echo "$after") \
  | awk -v hz="$TICKS_PER_S" -v idle="$IDLE" -v payments="$payments" -v events="$events" -v started="$started" -v ended="$ended" '
      BEGIN { printf "%-18s %12s %14s %22s %26s\n", "component", "cpu_s", "idle_cpu_s", "ms_per_payment(-idle)", "ms_per_webhook_event(-idle)" }
      {
        cpu = ($5 - $4) / hz; idle_cpu = ($3 - $2) / hz * (ended - started) / idle
        per_payment = payments > 0 ? cpu * 1000 / payments : 0
        net_payment = payments > 0 ? (cpu - idle_cpu) * 1000 / payments : 0
        per_event = (events > 0 && $1 == "webhook-service") ? sprintf("%.3f (%.3f)", cpu * 1000 / events, (cpu - idle_cpu) * 1000 / events) : ""
        printf "%-18s %12.2f %14.2f %10.3f (%8.3f) %26s\n", $1, cpu, idle_cpu, per_payment, net_payment, per_event
      }'
