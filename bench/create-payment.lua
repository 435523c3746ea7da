-- wrk script: POST /v1/payments with a fresh Idempotency-Key per request (a repeated key would be
-- a replay, not a payment). Headers come from the environment: API_KEY for the gateway, or
-- GATEWAY_TOKEN + MERCHANT_ID to call payment-service directly as the gateway does.
-- Each wrk thread has its own Lua state: setup() gives each a number (a global, set from the main
-- state), so that two threads never build the same key.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("wrk_thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  prefix = string.format("bench-%d-%d-", os.time(), wrk_thread_number)
  wrk.method = "POST"
  wrk.body = '{"amount":5000,"currency":"USD","payment_method":"card",' ..
             '"card":{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}}'
  wrk.headers["Content-Type"] = "application/json"
  local api_key = os.getenv("API_KEY")
  if api_key and api_key ~= "" then
    wrk.headers["x-api-key"] = api_key
  else
    wrk.headers["X-Paystream-Gateway-Token"] = os.getenv("GATEWAY_TOKEN")
    wrk.headers["X-Paystream-Merchant-Id"] = os.getenv("MERCHANT_ID")
  end
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. counter
  return wrk.format(nil, "/v1/payments")
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d duration_s=%.1f throughput_rps=%.0f errors_non2xx=%d errors_socket=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("latency_ms p50=%.2f p90=%.2f p99=%.2f max=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
