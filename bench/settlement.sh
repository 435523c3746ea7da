#!/usr/bin/env bash
# Settlement of one big batch (issue 14 item 7; docs/benchmarks.md "Settlement"): records PAYMENTS captured
# payments of one merchant with payment-service's own append (CapturedPayments: one statement per payment,
# as the API would write them, without HTTP and the card processor), waits until their events are relayed,
# then settles them in one batch through POST /v1/settlements and prints the duration, payments/s, the
# heap (peak sampled, and peak after a GC: what the run keeps alive), CPU (the JVM's, of which its JIT
# compiler threads', and PostgreSQL's backends') and the rows written. The
# service runs inside the test JVM (with the in-process Kafka broker), with the full JIT and HEAP of heap.
#
#   bench/settlement.sh [PAYMENTS]      (default 100000; HEAP=512m; JFR=file.jfr records a profile)
#
# RECORD=n records only n payments through the service and the rest as SQL copies of them (new ids, same rows
# and events, no outbox rows): for a busy machine, where recording 100,000 through the service takes an hour.
#
# Needs PostgreSQL on 127.0.0.1:5432 (as the tests do). Run it with `nice -n -5` on a shared machine and
# read the machine's load printed with the result.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PAYMENTS="${1:-100000}"
HEAP="${HEAP:-512m}"
[[ "$PAYMENTS" =~ ^[0-9]+$ ]] || { echo "usage: bench/settlement.sh [PAYMENTS]" >&2; exit 2; }
# The tests' JVM stops the JIT at C1 to start fast; a benchmark wants the full JIT (the later flag wins).
JVM="-XX:TieredStopAtLevel=4 -XX:-UseDynamicNumberOfCompilerThreads -Xms$HEAP -Xmx$HEAP"
if [[ -n "${JFR:-}" ]]; then
  JVM="$JVM -XX:StartFlightRecording=filename=$(realpath -m "$JFR"),settings=profile"
fi
echo "cores: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$ROOT"
./mvnw -q -pl payment-service -am verify -Dtest=SettlementBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsettlement.benchmark.payments="$PAYMENTS" -Dsettlement.benchmark.recorded="${RECORD:-$PAYMENTS}" -Dtest.jvm.args="$JVM" -DtrimStackTrace=false
report="payment-service/target/surefire-reports/dev.paystream.payment.SettlementBenchmark-output.txt"
grep -E '^(Recorded|Outbox|Settled|  )' "$report" || cat "$report"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
