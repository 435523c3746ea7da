#!/usr/bin/env bash
# A little of everything Paystream meters, through the gateway, for DURATION seconds: card payments
# approved (USD, EUR) and declined with each test decline code, a processor failure, asynchronous
# methods (paypal, bank_transfer), manual captures and cancels, partial refunds, idempotent replays and
# a reused key, a customer and an invoice paid, requests over a key's rate limit, and webhook
# deliveries to a receiver on 127.0.0.1 (bench/WebhookReceiver.java) and to an address where nothing
# listens (failed attempts). Used by check-panels.sh --traffic so that every dashboard panel has data.
#
#   deploy/grafana/traffic.sh                  # 90 s against http://127.0.0.1:8080 (./paystream up)
#   DURATION=30 GATEWAY=http://127.0.0.1:18080 deploy/grafana/traffic.sh
#
# Needs curl, jq, java (for the receiver) and the admin key (PAYSTREAM_ADMIN_KEY or .paystream/admin.key).
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-90}"
GATEWAY="${GATEWAY:-http://127.0.0.1:${PAYSTREAM_GATEWAY_PORT:-8080}}"
RECEIVER_PORT="${RECEIVER_PORT:-3011}"
DEAD_PORT="${DEAD_PORT:-3012}"
for tool in curl jq java; do command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }; done
ADMIN_KEY="${PAYSTREAM_ADMIN_KEY:-$(cat .paystream/admin.key 2>/dev/null || true)}"
[[ -n "$ADMIN_KEY" ]] || { echo "Start Paystream first (./paystream up), or set PAYSTREAM_ADMIN_KEY" >&2; exit 1; }

log="$(mktemp "${TMPDIR:-/tmp}/paystream-traffic-receiver.XXXXXX")"
java bench/WebhookReceiver.java "$RECEIVER_PORT" >"$log" 2>&1 &
receiver=$!
trap 'kill "$receiver" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q listening "$log" 2>/dev/null && break; sleep 0.2; done

post() { # key path json [idempotency-key] -> prints the status and the body on one line
  local headers=(-H "x-api-key: $1" -H 'Content-Type: application/json')
  [[ -z "${4:-}" ]] || headers+=(-H "Idempotency-Key: $4")
  curl -s -o /dev/stdout -w ' %{http_code}' -X POST "$GATEWAY$2" "${headers[@]}" -d "$3"
}
key() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
card() { # number amount currency [capture_method]
  printf '{"amount":%s,"currency":"%s","payment_method":"card","capture_method":"%s","card":{"number":"%s","exp_month":12,"exp_year":2030,"cvc":"123"}}' \
    "$2" "$3" "${4:-automatic}" "$1"
}
id_of() { jq -r .id <<<"${1% *}"; } # of what post printed

merchant="$(post "$ADMIN_KEY" /v1/merchants '{"name":"Traffic","rate_limit_per_minute":100000}')"
API_KEY="$(jq -r .api_key <<<"${merchant% *}")"
throttled="$(post "$ADMIN_KEY" /v1/merchants '{"name":"Traffic (throttled)","rate_limit_per_minute":2}')"
THROTTLED_KEY="$(jq -r .api_key <<<"${throttled% *}")"
post "$API_KEY" /v1/webhook-endpoints "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hooks\",\"events\":[\"*\"]}" >/dev/null
post "$API_KEY" /v1/webhook-endpoints "{\"url\":\"http://127.0.0.1:$DEAD_PORT/hooks\",\"events\":[\"payment.captured\"]}" >/dev/null
customer="cus-traffic-$(key)"
post "$API_KEY" /v1/customers "{\"customer_id\":\"$customer\",\"email\":\"traffic@example.com\"}" >/dev/null

echo "traffic through $GATEWAY for ${DURATION}s"
rounds=0
deadline=$((SECONDS + DURATION))
while ((SECONDS < deadline)); do
  for number in 4242424242424242 5555555555554444 4242424242424242; do
    post "$API_KEY" /v1/payments "$(card "$number" $((1000 + RANDOM % 9000)) USD)" "$(key)" >/dev/null
  done
  post "$API_KEY" /v1/payments "$(card 4242424242424242 2500 EUR)" "$(key)" >/dev/null
  for number in 4000000000000002 4000000000009995 4000000000000069 4000000000000127; do
    post "$API_KEY" /v1/payments "$(card "$number" 1500 USD)" "$(key)" >/dev/null
  done
  # Asynchronous methods: processing now, decided a moment later (amounts ending in 02 are declined).
  post "$API_KEY" /v1/payments '{"amount":3000,"currency":"USD","payment_method":"paypal"}' "$(key)" >/dev/null
  post "$API_KEY" /v1/payments '{"amount":3002,"currency":"EUR","payment_method":"bank_transfer"}' "$(key)" >/dev/null
  # A refund, sent twice with one key: one refund, one replay; the key again with another body: 409.
  captured="$(post "$API_KEY" /v1/payments "$(card 5555555555554444 8000 USD)" "$(key)")"
  refund_key="$(key)"
  post "$API_KEY" "/v1/payments/$(id_of "$captured")/refunds" '{"amount":2000}' "$refund_key" >/dev/null
  post "$API_KEY" "/v1/payments/$(id_of "$captured")/refunds" '{"amount":2000}' "$refund_key" >/dev/null
  post "$API_KEY" "/v1/payments/$(id_of "$captured")/refunds" '{"amount":1000}' "$refund_key" >/dev/null
  # Manual capture of one authorization, cancel of another.
  held="$(post "$API_KEY" /v1/payments "$(card 4242424242424242 6000 USD manual)" "$(key)")"
  post "$API_KEY" "/v1/payments/$(id_of "$held")/capture" '{"amount":5000}' "$(key)" >/dev/null
  held="$(post "$API_KEY" /v1/payments "$(card 4242424242424242 4000 USD manual)" "$(key)")"
  post "$API_KEY" "/v1/payments/$(id_of "$held")/cancel" '{}' "$(key)" >/dev/null
  # An invoice, paid by a payment that names it.
  invoice="$(post "$API_KEY" /v1/invoices "{\"customer_id\":\"$customer\",\"amount\":1200,\"currency\":\"USD\"}")"
  post "$API_KEY" /v1/payments "$(card 4242424242424242 1200 USD | sed "s/}\$/,\"customer_id\":\"$customer\",\"invoice_id\":\"$(id_of "$invoice")\"}/")" "$(key)" >/dev/null
  # Over the throttled key's limit of 2 a minute: 429 rate_limited.
  for _ in 1 2 3; do curl -s -o /dev/null "$GATEWAY/v1/customers" -H "x-api-key: $THROTTLED_KEY"; done
  # Settle what was captured, then pay some of it out (CONTRACT §6, §8): both answer 404 where payouts and
  # settlement are not served yet, and a payout is refused while nothing is available; the traffic goes on.
  post "$API_KEY" /v1/settlements '{"currency":"USD"}' "$(key)" >/dev/null
  post "$API_KEY" /v1/payouts "{\"customer_id\":\"$customer\",\"amount\":500,\"currency\":\"USD\",\"method\":\"bank_transfer\"}" "$(key)" >/dev/null
  # Every few rounds a processor failure: it retries before it gives up, so it takes a moment.
  if ((rounds % 5 == 0)); then
    post "$API_KEY" /v1/payments "$(card 4000000000000119 1000 USD)" "$(key)" >/dev/null
  fi
  rounds=$((rounds + 1))
done
echo "traffic done: $rounds rounds, $(grep -c . "$log" 2>/dev/null || echo 0) receiver log lines"
