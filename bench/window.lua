-- wrk script for bench/cold-start.sh: the load of bench/create-payment.lua (POST /v1/payments, a
-- fresh Idempotency-Key per request), and a one-line summary of the window for the script to parse.
-- LIMIT_MS (default 2000): how many requests took longer than that (a client with that timeout
-- would have given up on them; wrk itself waits up to its --timeout).
package.path = "bench/?.lua;" .. package.path
require("create-payment")

local limit_ms = tonumber(os.getenv("LIMIT_MS") or "2000")

-- The share of requests at or below limit_ms, found by bisecting the percentiles wrk keeps.
local function share_within(latency)
  if latency.max / 1000 <= limit_ms then
    return 1
  end
  local lo, hi = 0, 100
  for _ = 1, 40 do
    local mid = (lo + hi) / 2
    if latency:percentile(mid) / 1000 <= limit_ms then lo = mid else hi = mid end
  end
  return lo / 100
end

function done(summary, latency, requests)
  local over = 0
  if summary.requests > 0 then
    over = math.floor(summary.requests * (1 - share_within(latency)) + 0.5)
  end
  io.write(string.format("window requests=%d duration_s=%.2f non2xx=%d socket_errors=%d timeouts=%d p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f over_limit=%d\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, over))
end
