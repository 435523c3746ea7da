#!/usr/bin/env bash
# Compares the gateway throughput of two builds of Paystream on this machine, in alternating rounds
# (old, new, old, new, ...), each on fresh databases and a fresh broker: how much a change costs, with
# slow drifts of a shared machine (CPU steal, other tenants) spread over both. Each round starts the
# build with its own ./paystream, runs bench/run.sh of the NEW checkout against it (same load for
# both), and stops it.
#
#   bench/compare-builds.sh OLD_CHECKOUT NEW_CHECKOUT        # e.g. a worktree of an older commit, and .
#   ROUNDS=3 DURATION=30s WARMUP=20s CONNECTIONS=64 bench/compare-builds.sh ../old .
#
# Needs what bench/run.sh needs (wrk, curl) and a PostgreSQL that ./paystream can use; it drops and
# recreates the services' databases between rounds (./paystream reset --databases -y), so do not
# point it at databases you want to keep. Load goes to 127.0.0.1 only.
set -euo pipefail

[[ $# == 2 ]] || { echo "usage: bench/compare-builds.sh OLD_CHECKOUT NEW_CHECKOUT" >&2; exit 2; }
OLD="$(cd "$1" && pwd)"
NEW="$(cd "$2" && pwd)"
ROUNDS="${ROUNDS:-3}"
export DURATION="${DURATION:-30s}" WARMUP="${WARMUP:-20s}" CONNECTIONS="${CONNECTIONS:-64}"

declare -A results=([old]="" [new]="")
run_one() { # label checkout
  local label="$1" dir="$2" out rps
  (cd "$dir" && ./paystream reset --databases -y >/dev/null 2>&1 || true)
  (cd "$dir" && ./paystream up >"/tmp/compare-builds-$label-up.log" 2>&1) || { echo "up failed for $label: /tmp/compare-builds-$label-up.log" >&2; (cd "$dir" && ./paystream down >/dev/null 2>&1 || true); return 1; }
  # bench/run.sh of the new checkout, with the keys of the running build.
  out="$(PAYSTREAM_ADMIN_KEY="$(cat "$dir/.paystream/admin.key")" PAYSTREAM_GATEWAY_TOKEN="$(cat "$dir/.paystream/gateway.token")" \
    ROUNDS=1 "$NEW/bench/run.sh" 2>&1 || true)"
  (cd "$dir" && ./paystream down >/dev/null 2>&1 || true)
  rps="$(awk '/^## .* gateway$/ { getline; if (match($0, /throughput_rps=[0-9]+/)) print substr($0, RSTART + 15, RLENGTH - 15) }' <<<"$out" | tail -n1)"
  echo "## $label round: gateway ${rps:-?} payments/s"
  grep -E '^(requests|latency)' <<<"$out" | head -n2 | sed "s/^/   $label /"
  results[$label]+="${rps:-0} "
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores; old=$OLD ($(git -C "$OLD" rev-parse --short HEAD)) new=$NEW ($(git -C "$NEW" rev-parse --short HEAD)); $CONNECTIONS connections, $DURATION after $WARMUP"
for ((round = 1; round <= ROUNDS; round++)); do
  run_one old "$OLD"
  run_one new "$NEW"
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
old_median="$(median <<<"${results[old]}")"
new_median="$(median <<<"${results[new]}")"
echo "# gateway payments/s, old: ${results[old]}(median $old_median); new: ${results[new]}(median $new_median); new/old $(awk -v n="$new_median" -v o="$old_median" 'BEGIN { printf "%.2f", (o > 0) ? n / o : 0 }')"
