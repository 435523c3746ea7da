#!/usr/bin/env bash
# The ledger rebuild's throughput (issue 15 item 5; docs/benchmarks.md "Ledger rebuild"): fills two
# topics of their own on an in-process Kafka broker with EVENTS records of random valid lives of money,
# then replays them with the operator's rebuild (./paystream ledger rebuild's code) into a fresh ledger
# database on the PostgreSQL of this machine, and prints records/s and CPU time. Nothing is asserted.
#
#   bench/ledger-rebuild.sh [EVENTS]      (default 300000)
#
# Needs PostgreSQL on 127.0.0.1:5432 (as the tests do). The machine may be shared with other builds:
# read the load average printed before and after, and compare CPU seconds rather than wall time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVENTS="${1:-300000}"
[[ "$EVENTS" =~ ^[0-9]+$ ]] || { echo "usage: bench/ledger-rebuild.sh [EVENTS]" >&2; exit 2; }
echo "cores: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$ROOT"
./mvnw -q -pl ledger-service -am -Dtest=LedgerRebuildBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dledger.benchmark.events="$EVENTS" -DtrimStackTrace=false verify
report="ledger-service/target/surefire-reports/dev.paystream.ledger.LedgerRebuildBenchmark-output.txt"
grep -E '^(Published|Replayed|  |Not compared|Compared|Balances)' "$report" || cat "$report"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
