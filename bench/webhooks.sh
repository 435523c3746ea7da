#!/usr/bin/env bash
# Webhook deliveries under load (issue 13): a receiver on 127.0.0.1 answering 200 at once
# (bench/WebhookReceiver.java), a merchant with one endpoint subscribed to EVENTS, and payments driven
# through the gateway by wrk with bench/create-payment.lua, the load of bench/run.sh. Prints the
# deliveries per second and the capture -> delivered latency (from the event's commit in payment-service
# to the end of the successful attempt), read from the services' databases once every delivery is done.
#
# MODE=live     (default) webhook-service runs while the payments are made: latency under load.
# MODE=backlog  webhook-service is frozen (SIGSTOP) while the payments are made and thawed (SIGCONT)
#               after: the rate at which it drains the backlog with nothing else running, its JIT warm
#               (make a live run first). Keep DURATION well under Kafka's session timeout (45 s).
# MODE=published as backlog, but the events are published straight to Kafka by bench/PublishEvents.java
#               (RATE events/s, half of them payment.captured) instead of made by payments: a backlog
#               of a known size without the payment path competing for the cores while it drains.
#
#   bench/webhooks.sh
#   MODE=backlog DURATION=20s bench/webhooks.sh
#   MODE=published RATE=1000 DURATION=10s bench/webhooks.sh    # 5,000 deliveries to drain
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${MODE:-live}"
DURATION="${DURATION:-30s}"
CONNECTIONS="${CONNECTIONS:-20}"
EVENTS="${EVENTS:-payment.captured}"
RECEIVER_PORT="${RECEIVER_PORT:-3001}"
GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
DB_HOST="${PAYSTREAM_DB_HOST:-127.0.0.1}" DB_PORT="${PAYSTREAM_DB_PORT:-5432}" DB_USER="${PAYSTREAM_DB_USER:-postgres}"
export PGPASSWORD="${PAYSTREAM_DB_PASSWORD:-$(cat .paystream/db.password 2>/dev/null || true)}"
for tool in wrk psql curl jq java; do command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }; done
ADMIN_KEY="${PAYSTREAM_ADMIN_KEY:-$(cat .paystream/admin.key 2>/dev/null || true)}"
[[ -n "$ADMIN_KEY" ]] || { echo "Start Paystream first: ./paystream up" >&2; exit 1; }
sql() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d paystream_webhook -AtF ' ' -c "$1"; }

java bench/WebhookReceiver.java "$RECEIVER_PORT" >/tmp/paystream-webhook-receiver.log 2>&1 &
receiver=$!
trap 'kill "$receiver" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do grep -q listening /tmp/paystream-webhook-receiver.log 2>/dev/null && break; sleep 0.2; done

merchant="$(curl -sf -X POST "$GATEWAY/v1/merchants" -H "x-api-key: $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name":"Webhook benchmark","rate_limit_per_minute":10000000}')"
API_KEY="$(jq -r .api_key <<<"$merchant")"
MERCHANT_ID="$(jq -r .id <<<"$merchant")"
export API_KEY
curl -sf -X POST "$GATEWAY/v1/webhook-endpoints" -H "x-api-key: $API_KEY" -H 'Content-Type: application/json' \
  -d "$(jq -cn --arg url "http://127.0.0.1:$RECEIVER_PORT/hooks" --arg events "$EVENTS" '{url: $url, events: ($events | split(","))}')" >/dev/null

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, MODE=$MODE, wrk -c$CONNECTIONS -d$DURATION through the gateway, endpoint subscribed to $EVENTS"
webhook_pid="$(cat .paystream/pids/webhook-service.pid)"
if [[ "$MODE" == backlog || "$MODE" == published ]]; then
  kill -STOP "$webhook_pid"
  trap 'kill -CONT "$webhook_pid" 2>/dev/null || true; kill "$receiver" 2>/dev/null || true' EXIT
fi
if [[ "$MODE" == published ]]; then
  java -cp ".paystream/lib/kafka/*" bench/PublishEvents.java "127.0.0.1:${PAYSTREAM_KAFKA_PORT:-9092}" "${RATE:-1000}" "${DURATION%s}" "$MERCHANT_ID"
else
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/create-payment.lua "$GATEWAY" | grep -E '^(requests|latency)'
fi
if [[ "$MODE" == backlog || "$MODE" == published ]]; then
  kill -CONT "$webhook_pid"
fi
# Wait for every delivery: none pending and none still to be made (the count stops growing).
previous=-1
for _ in $(seq 1 600); do
  read -r total pending < <(sql "SELECT count(*), count(*) FILTER (WHERE status = 'pending') FROM webhook_deliveries WHERE merchant_id = '$MERCHANT_ID'")
  [[ "$pending" == 0 && "$total" == "$previous" && "$total" -gt 0 ]] && break
  previous="$total"
  sleep 1
done
# When each event happened, to the millisecond: the event's `occurred_at` is in whole seconds (the contract's
# one timestamp precision), which would add 0-1 s (0.5 s on average) to every latency. Payments made
# through the API (MODE=live, backlog) have their events' commit time in payment-service's event store
# (`payment_events.recorded_at`); events published by bench/PublishEvents.java have only `occurred_at`.
committed="$(mktemp)"
trap 'rm -f "$committed"; kill -CONT "$webhook_pid" 2>/dev/null || true; kill "$receiver" 2>/dev/null || true' EXIT
psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d paystream_payment -Atc \
  "COPY (SELECT event_id, recorded_at FROM payment_events WHERE merchant_id = '$MERCHANT_ID') TO STDOUT" >"$committed"
# One session: the commit times go into a temporary table that the queries below join.
report() {
  psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d paystream_webhook -AtF ' ' -q <<SQL
CREATE TEMP TABLE committed (event_id TEXT PRIMARY KEY, committed_at TIMESTAMPTZ);
\\copy committed FROM '$committed'
CREATE TEMP VIEW delivered AS
  SELECT a.attempted_at + a.latency_ms * interval '1 millisecond' AS done_at, coalesce(c.committed_at, e.occurred_at) AS happened_at,
         e.received_at, a.attempted_at, a.latency_ms
  FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
  JOIN webhook_attempts a ON a.delivery_id = d.id AND a.status_code BETWEEN 200 AND 299
  LEFT JOIN committed c ON c.event_id = e.id
  WHERE d.merchant_id = '$MERCHANT_ID';
WITH per_second AS (SELECT date_trunc('second', done_at) AS second, count(*) AS n FROM delivered GROUP BY 1)
SELECT 'deliveries=' || (SELECT count(*) FROM webhook_deliveries WHERE merchant_id = '$MERCHANT_ID')
    || ' failed=' || (SELECT count(*) FROM webhook_deliveries WHERE merchant_id = '$MERCHANT_ID' AND status = 'failed')
    || ' attempts=' || (SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.merchant_id = '$MERCHANT_ID')
    || ' span_s=' || round(extract(epoch FROM max(done_at) - min(done_at))::numeric, 1)
    || ' deliveries_per_s_mean=' || round((count(*) / greatest(extract(epoch FROM max(done_at) - min(done_at)), 1))::numeric)
    || ' deliveries_per_s_best_second=' || (SELECT max(n) FROM per_second)
    || ' deliveries_per_s_median_second=' || (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM per_second)
FROM delivered;
SELECT 'capture_to_delivered_ms (from ' || CASE WHEN (SELECT count(*) FROM committed) > 0 THEN 'the commit of the event' ELSE 'occurred_at, whole seconds: up to 1 s too high' END
    || ') p50=' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric)
    || ' p90=' || round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::numeric)
    || ' p99=' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric)
    || ' max=' || round(max(ms)::numeric)
FROM (SELECT extract(epoch FROM done_at - happened_at) * 1000 AS ms FROM delivered) AS latency;
-- Where the time goes: the event's commit to the fan-out's transaction (payment-service's outbox relay,
-- Kafka, the consumer's fetch), then to the attempt's start (the work queue), then the attempt.
SELECT 'stages_ms event_to_fan_out p50=' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY fan_out)::numeric)
    || ' p99=' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY fan_out)::numeric)
    || ' fan_out_to_attempt p50=' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY queued)::numeric)
    || ' p99=' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY queued)::numeric)
    || ' attempt p50=' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms)::numeric)
    || ' p99=' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms)::numeric)
FROM (SELECT extract(epoch FROM received_at - happened_at) * 1000 AS fan_out,
             extract(epoch FROM attempted_at - received_at) * 1000 AS queued, latency_ms FROM delivered) AS stages;
SQL
}
report
