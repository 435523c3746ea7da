#!/usr/bin/env bash
# Payments per core, measured against the database's own limit (issue 18), and where the CPU goes.
#
# In one run, against a running platform (./paystream up):
#   1. pgbench: PGBENCH_CLIENTS (16) clients committing one-row INSERT transactions into a table
#      shaped like an event store, for PGBENCH_SECONDS, on the platform's own PostgreSQL: what the
#      database can commit on this machine today (in a scratch database, dropped afterwards);
#   2. POST /v1/payments through the gateway with wrk at CONNECTIONS (64), after a WARMUP, for
#      DURATION; the CPU time every component used meanwhile is read from /proc before and after.
# It prints payments/s, its ratio to pgbench's transactions/s, p50/p99, and CPU milliseconds per
# payment of each component: the gateway, the four services, Kafka, PostgreSQL (the server's
# processes: postmaster and every backend, including backends that ended during the run) and wrk.
# CPU per payment is the figure to compare builds with on a shared machine: wall-clock throughput
# moves with what else runs, CPU time per payment much less.
#
#   bench/payments-per-core.sh
#   DURATION=30s WARMUP=20s CONNECTIONS=64 PGBENCH_SECONDS=20 bench/payments-per-core.sh
#   SKIP_PGBENCH=1 bench/payments-per-core.sh          # only the payment load and the CPU split
#
# Needs wrk, curl, psql and pgbench (Debian: postgresql-client / postgresql). Load goes to 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PGBENCH_CLIENTS="${PGBENCH_CLIENTS:-16}"
PGBENCH_SECONDS="${PGBENCH_SECONDS:-20}"
GATEWAY="${GATEWAY:-http://127.0.0.1:8080}"
STATE="${PAYSTREAM_STATE:-.paystream}"   # another checkout's state: PAYSTREAM_STATE=../old/.paystream

die() { echo "payments-per-core: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed: apt-get install wrk"
command -v psql >/dev/null || die "psql is not installed: apt-get install postgresql-client"
PGBENCH="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n1 || true)"
[[ -n "$PGBENCH" || -n "${SKIP_PGBENCH:-}" ]] || die "pgbench is not installed: apt-get install postgresql"
ADMIN_KEY="${PAYSTREAM_ADMIN_KEY:-$(cat "$STATE/admin.key" 2>/dev/null || true)}"
[[ -n "$ADMIN_KEY" && -d "$STATE/pids" ]] || die "start Paystream first: ./paystream up"

# The database the platform uses: the embedded one ./paystream started, or PAYSTREAM_DB_*.
if [[ -s "$STATE/postgres/port" && -s "$STATE/pids/postgres.pid" ]]; then
  DB_PORT="$(cat "$STATE/postgres/port")"
  export PGPASSWORD="$(cat "$STATE/db.password" 2>/dev/null || true)"
else
  DB_PORT="${PAYSTREAM_DB_PORT:-5432}"
  export PGPASSWORD="${PAYSTREAM_DB_PASSWORD:-}"
fi
DB_HOST="${PAYSTREAM_DB_HOST:-127.0.0.1}"
DB_USER="${PAYSTREAM_DB_USER:-postgres}"
psql_() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -v ON_ERROR_STOP=1 -qAt "$@"; }

# ---- CPU accounting from /proc ---------------------------------------------------------------------
TICK="$(getconf CLK_TCK)"
ticks_of() { # pid [with_children] -> utime+stime (+ cutime+cstime of reaped children)
  local stat rest
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  rest="${stat##*) }"   # the command name may hold spaces; fields after it are fixed
  # shellcheck disable=SC2086
  set -- $rest
  # after the name: $1=state ... utime=$12 stime=$13 cutime=$14 cstime=$15
  if [[ "${2:-}" == with_children ]]; then echo $((${12} + ${13} + ${14} + ${15})); else echo $((${12} + ${13})); fi
}
component_pids() { # prints "name pid" for the platform's components
  local f
  for f in "$STATE"/pids/*.pid; do
    [[ -s "$f" ]] || continue
    echo "$(basename "$f" .pid) $(head -n1 "$f")"
  done
}
postmaster_pid() { # the PostgreSQL server listening on DB_PORT
  local pid
  pid="$(ss -Hltnp "sport = :$DB_PORT" 2>/dev/null | grep -oE 'pid=[0-9]+' | head -n1 | cut -d= -f2 || true)"
  # A backend answers on the socket too only after fork; the listener is the postmaster.
  echo "$pid"
}
postgres_ticks() { # postmaster incl. reaped backends + live backends
  local pm="$1" total child
  [[ -n "$pm" ]] || { echo 0; return; }
  total="$(ticks_of "$pm" with_children)"
  for child in $(ps -o pid= --ppid "$pm"); do total=$((total + $(ticks_of "$child"))); done
  echo "$total"
}
declare -A before=() after=()
snapshot() { # array-name
  local -n into="$1"
  local name pid
  while read -r name pid; do
    [[ "$name" == postgres ]] && continue   # the embedded server's Java wrapper; its postmaster is counted below
    into[$name]="$(ticks_of "$pid")"
  done < <(component_pids)
  into[postgresql]="$(postgres_ticks "$PM")"
}

# ---- 1. pgbench --------------------------------------------------------------------------------------
PM="$(postmaster_pid)"
[[ -n "$PM" ]] || echo "# note: no PostgreSQL listener found on port $DB_PORT with ss -p (not root?); its CPU is not counted" >&2
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load $(cut -d' ' -f1-3 /proc/loadavg)"
pgbench_tps=""
if [[ -z "${SKIP_PGBENCH:-}" ]]; then
  psql_ -d postgres -c "DROP DATABASE IF EXISTS paystream_pgbench" -c "CREATE DATABASE paystream_pgbench"
  psql_ -d paystream_pgbench -c "CREATE TABLE events (event_id uuid PRIMARY KEY, stream_id text NOT NULL,
      sequence int NOT NULL, type text NOT NULL, data jsonb NOT NULL, occurred_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (stream_id, sequence))"
  script="$(mktemp)"
  trap 'rm -f "$script"' EXIT
  cat >"$script" <<'SQL'
INSERT INTO events (event_id, stream_id, sequence, type, data)
VALUES (gen_random_uuid(), 'pay_' || md5(random()::text), 1, 'payment.authorized',
        '{"amount":5000,"currency":"USD","status":"authorized","card":{"brand":"visa","last4":"4242"}}');
SQL
  out="$(PGPASSWORD="$PGPASSWORD" "$PGBENCH" -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -n -c "$PGBENCH_CLIENTS" -j 2 \
    -T "$PGBENCH_SECONDS" -f "$script" paystream_pgbench 2>&1)" || die "pgbench failed: $out"
  pgbench_tps="$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -n1)"
  psql_ -d postgres -c "DROP DATABASE paystream_pgbench"
  echo "## pgbench: $PGBENCH_CLIENTS clients, one-row INSERT transactions, ${PGBENCH_SECONDS}s: tps=${pgbench_tps%.*}"
fi

# ---- 2. payments through the gateway -----------------------------------------------------------------
# A limit that never binds: 10,000,000 a minute since issue 18; builds before it allow at most 100,000.
merchant=""
for limit in 10000000 100000; do
  merchant="$(curl -sf -X POST "$GATEWAY/v1/merchants" -H "x-api-key: $ADMIN_KEY" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Benchmark\",\"rate_limit_per_minute\":$limit}")" && break
done
[[ -n "$merchant" ]] || die "could not create a benchmark merchant"
API_KEY="$(sed -E 's/.*"api_key":"([^"]+)".*/\1/' <<<"$merchant")"
export API_KEY
threads="$THREADS"; ((threads <= CONNECTIONS)) || threads="$CONNECTIONS"
wrk -t"$threads" -c"$CONNECTIONS" -d"$WARMUP" -s bench/create-payment.lua "$GATEWAY" >/dev/null
snapshot before
wrk_out="$(mktemp)"
wrk -t"$threads" -c"$CONNECTIONS" -d"$DURATION" -s bench/create-payment.lua "$GATEWAY" >"$wrk_out" &
wrk_pid=$!
wrk_ticks=0
while kill -0 "$wrk_pid" 2>/dev/null; do wrk_ticks="$(ticks_of "$wrk_pid")"; sleep 1; done
wait "$wrk_pid"
snapshot after
summary="$(grep -E '^(requests|latency)' "$wrk_out")"
rm -f "$wrk_out"
requests="$(sed -nE 's/.*requests=([0-9]+).*/\1/p' <<<"$summary")"
non2xx="$(sed -nE 's/.*errors_non2xx=([0-9]+).*/\1/p' <<<"$summary")"
payments=$((requests - non2xx))
rps="$(sed -nE 's/.*throughput_rps=([0-9]+).*/\1/p' <<<"$summary")"
echo "## payments through the gateway: $CONNECTIONS connections, $DURATION after a $WARMUP warm-up"
echo "$summary"
if [[ -n "$pgbench_tps" ]]; then
  awk -v p="$rps" -v t="$pgbench_tps" 'BEGIN { printf "## ratio payments/s / pgbench tps = %.3f\n", p / t }'
fi
((payments > 0)) || die "no payment succeeded"
echo "## CPU ms per payment ($payments payments)"
total=0
for name in "${!after[@]}"; do
  ticks=$((after[$name] - ${before[$name]:-0}))
  total=$((total + ticks))
  awk -v n="$name" -v t="$ticks" -v hz="$TICK" -v p="$payments" 'BEGIN { printf "cpu %-12s %7.3f\n", n, t * 1000 / hz / p }'
done | sort -k3 -rn
for name in "${!after[@]}"; do total=$((total + after[$name] - ${before[$name]:-0})); done
awk -v t="$total" -v w="$wrk_ticks" -v hz="$TICK" -v p="$payments" \
  'BEGIN { printf "cpu %-12s %7.3f\ncpu %-12s %7.3f   (the load generator, not counted in total)\n", "total", t * 1000 / hz / p, "wrk", w * 1000 / hz / p }'
