#!/usr/bin/env bash
# Runs every panel query of every dashboard in deploy/grafana/dashboards against a real Prometheus
# scraping a running Paystream, and says for each whether it returns data. Exit code 0 only when every
# query parses and returns at least one series.
#
#   ./paystream up
#   deploy/grafana/check-panels.sh --traffic        # starts a Prometheus (deploy/prometheus/prometheus-local.yml),
#                                                   # drives traffic.sh meanwhile, then queries every panel
#   deploy/grafana/check-panels.sh --prometheus http://127.0.0.1:9090   # query a Prometheus that already scrapes it
#
# Options: --traffic (run traffic.sh while Prometheus collects), --wait SECONDS (how long to collect
# before querying; default 120 with --traffic, 45 without), --keep (leave the started Prometheus
# running and print its address). Environment: PAYSTREAM_<NAME>_PORT as for ./paystream (the
# scraped ports), PAYSTREAM_PROMETHEUS_PORT (9090) for the Prometheus this starts, GATEWAY for traffic.sh.
#
# Grafana's variables are given fixed values: $__rate_interval = 1m (four scrapes of the 15 s
# interval), $__interval = 15s, $__range = 1h. Needs curl, jq and prometheus (apt-get install prometheus).
set -euo pipefail
cd "$(dirname "$0")/../.."

PROMETHEUS=""
TRAFFIC=0
WAIT=""
KEEP=0
while (($#)); do
  case "$1" in
    --prometheus) PROMETHEUS="$2"; shift 2 ;;
    --traffic) TRAFFIC=1; shift ;;
    --wait) WAIT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--prometheus URL] [--traffic] [--wait SECONDS] [--keep]" >&2; exit 2 ;;
  esac
done
[[ -n "$WAIT" ]] || { ((TRAFFIC)) && WAIT=120 || WAIT=45; }
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }; done

log() { printf '[check-panels %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/paystream-check-panels.XXXXXX")"
prometheus_pid=""
traffic_pid=""
cleanup() {
  [[ -z "$traffic_pid" ]] || kill "$traffic_pid" 2>/dev/null || true
  if [[ -n "$prometheus_pid" ]] && ((KEEP == 0)); then
    kill "$prometheus_pid" 2>/dev/null || true
    wait "$prometheus_pid" 2>/dev/null || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT

if [[ -z "$PROMETHEUS" ]]; then
  command -v prometheus >/dev/null || { echo "prometheus is needed (apt-get install prometheus), or pass --prometheus URL" >&2; exit 1; }
  port="${PAYSTREAM_PROMETHEUS_PORT:-9090}"
  # The local scrape configuration, each target on the port ./paystream gives its service (services.conf,
  # or PAYSTREAM_<NAME>_PORT), and the alert rules.
  config="$work/prometheus.yml"
  cp deploy/prometheus/alerts.yml "$work/"
  ports=""
  while read -r name svc_port _; do
    case "$name" in '' | '#'*) continue ;; esac
    var="PAYSTREAM_$(tr '[:lower:]-' '[:upper:]_' <<<"$name")_PORT"
    ports+="$name-service=${!var:-$svc_port} "
  done <services.conf
  awk -v ports="$ports" '
    BEGIN { n = split(ports, pairs, " "); for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); port[kv[1]] = kv[2] } }
    /targets: \["127\.0\.0\.1:[0-9]+"\]/ { held = $0; next }
    held != "" {
      if (match($0, /service: [a-z-]+/)) { name = substr($0, RSTART + 9, RLENGTH - 9); if (name in port) sub(/127\.0\.0\.1:[0-9]+/, "127.0.0.1:" port[name], held) }
      print held; held = ""
    }
    { print }' deploy/prometheus/prometheus-local.yml >"$config"
  log "starting Prometheus on 127.0.0.1:$port (data in $work)"
  prometheus --config.file="$config" --storage.tsdb.path="$work/data" --web.listen-address="127.0.0.1:$port" \
    --log.level=warn >"$work/prometheus.log" 2>&1 &
  prometheus_pid=$!
  PROMETHEUS="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$PROMETHEUS/-/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf "$PROMETHEUS/-/ready" >/dev/null || { tail -n 20 "$work/prometheus.log" >&2; echo "Prometheus did not start" >&2; exit 1; }
  ((KEEP == 0)) || log "Prometheus keeps running after this script: $PROMETHEUS (pid $prometheus_pid)"
fi

if ((TRAFFIC)); then
  log "driving traffic for $((WAIT + 30)) s (deploy/grafana/traffic.sh)"
  DURATION=$((WAIT + 30)) deploy/grafana/traffic.sh >"$work/traffic.log" 2>&1 &
  traffic_pid=$!
fi
log "collecting for $WAIT s"
sleep "$WAIT"

targets="$(curl -sf "$PROMETHEUS/api/v1/targets?state=active" | jq -r '.data.activeTargets[] | "\(.labels.service // .labels.job) \(.health)"')"
log "targets: $(tr '\n' ' ' <<<"$targets")"

query() { # expr -> "ok N" | "empty" | "error MESSAGE"
  local answer
  answer="$(curl -s --data-urlencode "query=$1" "$PROMETHEUS/api/v1/query")"
  if [[ "$(jq -r .status <<<"$answer" 2>/dev/null)" != success ]]; then
    echo "error $(jq -r '.error // "no answer"' <<<"$answer" 2>/dev/null || echo "no answer")"
  elif [[ "$(jq '.data.result | length' <<<"$answer")" -gt 0 ]]; then
    echo "ok $(jq '.data.result | length' <<<"$answer")"
  else
    echo "empty"
  fi
}

ok=0 failed=0
printf '%-28s %-44s %-4s %s\n' dashboard panel ref result
for dashboard in deploy/grafana/dashboards/*.json; do
  name="$(basename "$dashboard" .json)"
  # Every panel, also those inside collapsed rows.
  while IFS=$'\t' read -r title ref expr; do
    expr="${expr//\$__rate_interval/1m}"
    expr="${expr//\$__interval/15s}"
    expr="${expr//\$__range/1h}"
    result="$(query "$expr")"
    printf '%-28s %-44s %-4s %s\n' "${name#paystream-}" "${title:0:44}" "$ref" "$result"
    if [[ "$result" == ok* ]]; then ok=$((ok + 1)); else failed=$((failed + 1)); echo "    $expr"; fi
  done < <(jq -r '[.panels[], (.panels[] | .panels[]?)] | .[] | select(.targets) | .title as $t | .targets[] | [$t, .refId, .expr] | @tsv' "$dashboard")
done
echo "$ok passed, $failed failed"
((failed == 0))
