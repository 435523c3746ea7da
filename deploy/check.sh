#!/usr/bin/env bash
# Checks the deployment files without running them (no Docker engine, no cluster, no Grafana needed);
# .ci/run runs it before the build. Takes a few seconds.
#
#   1. Prometheus: promtool check config (both scrape configurations), check rules, and the rules' unit
#      tests (promtool test rules deploy/prometheus/alerts-test.yml).
#   2. Grafana: every dashboard's JSON (schemaVersion, uid, unique panel ids, every query on the
#      paystream-prometheus data source) and every panel's PromQL, parsed by promtool. Whether each
#      query returns data needs a running platform: deploy/grafana/check-panels.sh.
#   3. docker-compose.yml: docker-compose config -q (placeholder secrets), and its services, ports,
#      databases and the gateway's URLs against services.conf; Prometheus and Grafana with their files.
#   4. deploy/k8s: kubectl kustomize (secrets.env from secrets.env.example), and the rendered manifests:
#      probes, resources, replicas, Services, PodDisruptionBudgets, HPAs, references, operators' resources.
#
# Needs promtool (Debian: prometheus), docker-compose, kubectl (Debian: kubernetes-client) and a python3
# with PyYAML (Debian: python3-yaml); it names what is missing. Exit code: the number of failed steps.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=0
work="$(mktemp -d "${TMPDIR:-/tmp}/paystream-deploy-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step() { printf '[deploy-check] %s\n' "$*"; }
fail() { printf '[deploy-check] FAILED: %s\n' "$*"; failed=$((failed + 1)); }
run() { # description command... : runs it, shows its output indented, counts a failure
  local description="$1" output
  shift
  if output="$("$@" 2>&1)"; then
    step "ok: $description"
  else
    fail "$description"
  fi
  [[ -z "$output" ]] || sed 's/^/    /' <<<"$output"
}

PYTHON=""
for candidate in /usr/bin/python3 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then PYTHON="$candidate"; break; fi
done
missing=()
command -v promtool >/dev/null 2>&1 || missing+=("promtool (apt-get install prometheus)")
command -v docker-compose >/dev/null 2>&1 || missing+=("docker-compose (apt-get install docker-compose)")
command -v kubectl >/dev/null 2>&1 || missing+=("kubectl (apt-get install kubernetes-client)")
[[ -n "$PYTHON" ]] || missing+=("python3 with PyYAML (apt-get install python3-yaml)")
if ((${#missing[@]})); then
  printf '[deploy-check] missing: %s\n' "${missing[@]}"
  exit 1
fi

# 1. Prometheus
run "promtool check config (compose and local scrape configurations)" \
  promtool check config deploy/prometheus/prometheus.yml deploy/prometheus/prometheus-local.yml
run "promtool check rules deploy/prometheus/alerts.yml" promtool check rules deploy/prometheus/alerts.yml
run "promtool test rules deploy/prometheus/alerts-test.yml" promtool test rules deploy/prometheus/alerts-test.yml

# 2. Grafana
run "Grafana dashboards" "$PYTHON" deploy/check-deploy.py dashboards deploy/grafana/dashboards --promql-out "$work/panels.yml"
if [[ -f "$work/panels.yml" ]]; then
  run "every panel's PromQL parses (promtool check rules)" promtool check rules "$work/panels.yml"
fi

# 3. docker-compose.yml
compose_env=(PAYSTREAM_ADMIN_KEY=sk_admin_placeholder PAYSTREAM_GATEWAY_TOKEN=placeholder-token-0123456789
  PAYSTREAM_GRAFANA_ADMIN_PASSWORD=placeholder)
run "docker-compose config -q" env "${compose_env[@]}" docker-compose -f docker-compose.yml config -q
if env "${compose_env[@]}" docker-compose -f docker-compose.yml config >"$work/compose.yml" 2>/dev/null; then
  run "docker-compose.yml agrees with services.conf" "$PYTHON" deploy/check-deploy.py compose "$work/compose.yml" services.conf
fi

# 4. deploy/k8s (a copy, so that a secrets.env of the operator's is never read nor touched)
cp -r deploy/k8s "$work/k8s"
cp deploy/k8s/secrets.env.example "$work/k8s/secrets.env"
# Into a file by redirection: Debian's kubectl (1.20, kustomize 2.0) has no -o for kustomize.
run "kubectl kustomize deploy/k8s" sh -c 'kubectl kustomize "$1" >"$2"' _ "$work/k8s" "$work/k8s.yaml"
if [[ -s "$work/k8s.yaml" ]]; then
  run "deploy/k8s manifests" "$PYTHON" deploy/check-deploy.py k8s "$work/k8s.yaml" services.conf
fi

if ((failed)); then
  step "$failed check(s) failed"
else
  step "all deployment checks passed"
fi
exit "$failed"
