#!/usr/bin/env python3
"""Consistency checks of the deployment files that their own tools do not make (deploy/check.sh runs them).

  check-deploy.py dashboards DIR            Grafana JSON: schemaVersion, uid, unique panel ids, every panel and
                                            query on the paystream-prometheus data source, a PromQL expression per
                                            query; writes the expressions as a rules file for promtool to parse
                                            (--promql-out FILE).
  check-deploy.py compose FILE SERVICES     `docker-compose config` output against services.conf: every service
                                            there, its port, its database, the gateway's URL of it; Prometheus and
                                            Grafana with the provisioning mounted; a health check on every
                                            long-running container.
  check-deploy.py k8s FILE SERVICES         `kubectl kustomize` output: every service of services.conf with several
                                            replicas, liveness/readiness probes on the actuator groups, resources,
                                            a Service and a PodDisruptionBudget selecting its pods; HPAs for the gateway
                                            and payment-service aiming at Deployments that exist; every Secret and
                                            ConfigMap referenced is generated or from an operator; Strimzi Kafka and
                                            CloudNativePG Cluster and a Database per service.

Exit code 1 with one line per problem.
"""
import json
import sys

import yaml

problems = []


def problem(message):
    problems.append(message)


def services_conf(path):
    services = []
    with open(path) as conf:
        for line in conf:
            fields = line.split()
            if not fields or fields[0].startswith('#'):
                continue
            services.append({'name': fields[0], 'port': int(fields[1]), 'database': fields[2]})
    return services


def dashboards(directory, promql_out):
    import glob
    import os
    uids = set()
    rules = []
    files = sorted(glob.glob(os.path.join(directory, '*.json')))
    if not files:
        problem(f'no dashboards in {directory}')
    for path in files:
        name = os.path.basename(path)
        with open(path) as file:
            try:
                board = json.load(file)
            except json.JSONDecodeError as error:
                problem(f'{name}: not JSON: {error}')
                continue
        for key in ('uid', 'title', 'schemaVersion', 'panels'):
            if key not in board:
                problem(f'{name}: no {key}')
        if board.get('uid') in uids:
            problem(f'{name}: uid {board.get("uid")} used twice')
        uids.add(board.get('uid'))
        if not isinstance(board.get('schemaVersion'), int) or board['schemaVersion'] < 30:
            problem(f'{name}: schemaVersion {board.get("schemaVersion")} (expected a current one, >= 30)')
        panels = list(board.get('panels', []))
        for panel in list(panels):
            panels.extend(panel.get('panels', []))
        ids = [panel.get('id') for panel in panels]
        if len(ids) != len(set(ids)) or None in ids:
            problem(f'{name}: panel ids missing or not unique')
        for panel in panels:
            title = panel.get('title', '?')
            grid = panel.get('gridPos', {})
            if not all(key in grid for key in ('x', 'y', 'w', 'h')):
                problem(f'{name}: panel "{title}" has no complete gridPos')
            if panel.get('type') == 'row':
                continue
            if panel.get('datasource') != {'type': 'prometheus', 'uid': 'paystream-prometheus'}:
                problem(f'{name}: panel "{title}" is not on the paystream-prometheus data source')
            targets = panel.get('targets') or []
            if not targets:
                problem(f'{name}: panel "{title}" has no query')
            for target in targets:
                if target.get('datasource', {}).get('uid') != 'paystream-prometheus':
                    problem(f'{name}: panel "{title}" query {target.get("refId")} is not on the paystream-prometheus data source')
                expr = target.get('expr', '').strip()
                if not expr:
                    problem(f'{name}: panel "{title}" query {target.get("refId")} has no expression')
                    continue
                expr = expr.replace('$__rate_interval', '1m').replace('$__interval', '15s').replace('$__range', '1h')
                rules.append({'record': f'panel:{len(rules)}', 'expr': expr})
    if promql_out:
        with open(promql_out, 'w') as out:
            yaml.safe_dump({'groups': [{'name': 'dashboard-queries', 'rules': rules}]}, out, sort_keys=False)
    return len(rules)


def compose(path, conf):
    with open(path) as file:
        config = yaml.safe_load(file)
    services = config.get('services', {})
    gateway_env = (services.get('gateway-service') or {}).get('environment') or {}
    for service in conf:
        name = f'{service["name"]}-service'
        upper = service['name'].upper()
        container = services.get(name)
        if container is None:
            problem(f'compose: no service {name} (services.conf has it)')
            continue
        env = container.get('environment') or {}
        if str(env.get(f'PAYSTREAM_{upper}_PORT')) != str(service['port']):
            problem(f'compose: {name} PAYSTREAM_{upper}_PORT is {env.get(f"PAYSTREAM_{upper}_PORT")}, services.conf says {service["port"]}')
        if env.get(f'PAYSTREAM_{upper}_DB', service['database']) != service['database']:
            problem(f'compose: {name} database {env.get(f"PAYSTREAM_{upper}_DB")}, services.conf says {service["database"]}')
        if service['name'] != 'gateway':
            url = f'http://{name}:{service["port"]}'
            if gateway_env.get(f'PAYSTREAM_{upper}_URL') != url:
                problem(f'compose: gateway-service PAYSTREAM_{upper}_URL is {gateway_env.get(f"PAYSTREAM_{upper}_URL")}, expected {url}')
    for name, container in services.items():
        if container.get('restart') != 'no' and 'healthcheck' not in container:
            problem(f'compose: {name} has no health check')
    volumes = {name: [str(volume.get('source', '')) + ':' + str(volume.get('target', '')) if isinstance(volume, dict) else str(volume)
                      for volume in (container.get('volumes') or [])] for name, container in services.items()}
    expected = {'prometheus': ['deploy/prometheus:/etc/prometheus'],
                'grafana': ['deploy/grafana/provisioning:/etc/grafana/provisioning',
                            'deploy/grafana/dashboards:/var/lib/grafana/dashboards/paystream']}
    for name, mounts in expected.items():
        if name not in services:
            problem(f'compose: no {name}')
            continue
        for mount in mounts:
            source, target = mount.split(':')
            if not any(volume.split(':')[1:2] == [target] and volume.split(':')[0].endswith(source) for volume in volumes[name]):
                problem(f'compose: {name} does not mount {source} at {target}')


def k8s(path, conf):
    with open(path) as file:
        documents = [doc for doc in yaml.safe_load_all(file) if doc]
    by_kind = {}
    for doc in documents:
        by_kind.setdefault(doc['kind'], []).append(doc)

    def named(kind, name):
        return [doc for doc in by_kind.get(kind, []) if doc['metadata']['name'] == name]

    def selects(selector, labels):
        return all(labels.get(key) == value for key, value in (selector or {}).items())

    generated = {doc['metadata']['name'] for doc in by_kind.get('Secret', []) + by_kind.get('ConfigMap', [])}
    operator_secrets = {'paystream-postgres-app'}
    for service in conf:
        name = f'{service["name"]}-service'
        deployments = named('Deployment', name)
        if not deployments:
            problem(f'k8s: no Deployment {name}')
            continue
        deployment = deployments[0]
        spec = deployment['spec']
        if spec.get('replicas', 1) < 2:
            problem(f'k8s: {name} has {spec.get("replicas", 1)} replica(s); several are expected')
        pod = spec['template']
        labels = pod['metadata'].get('labels', {})
        if not selects(spec['selector'].get('matchLabels'), labels):
            problem(f'k8s: {name} selector does not select its own pods')
        container = pod['spec']['containers'][0]
        ports = [port.get('containerPort') for port in container.get('ports', [])]
        if service['port'] not in ports:
            problem(f'k8s: {name} does not expose port {service["port"]} (services.conf)')
        for probe, path_expected in (('livenessProbe', '/actuator/health/liveness'), ('readinessProbe', '/actuator/health/readiness')):
            if container.get(probe, {}).get('httpGet', {}).get('path') != path_expected:
                problem(f'k8s: {name} {probe} is not GET {path_expected}')
        resources = container.get('resources', {})
        if not resources.get('requests', {}).get('cpu') or not resources.get('limits', {}).get('memory'):
            problem(f'k8s: {name} has no cpu request or memory limit')
        env = {item['name']: item for item in container.get('env', [])}
        upper = service['name'].upper()
        if env.get(f'PAYSTREAM_{upper}_DB', {}).get('value') != service['database']:
            problem(f'k8s: {name} PAYSTREAM_{upper}_DB is not {service["database"]}')
        for item in container.get('env', []):
            for kind in ('secretKeyRef', 'configMapKeyRef'):
                ref = item.get('valueFrom', {}).get(kind)
                if ref and ref['name'] not in generated | operator_secrets:
                    problem(f'k8s: {name} {item["name"]} refers to {kind} {ref["name"]}, which nothing makes')
        for source in container.get('envFrom', []):
            ref = source.get('configMapRef') or source.get('secretRef')
            if ref and ref['name'] not in generated:
                problem(f'k8s: {name} envFrom refers to {ref["name"]}, which nothing makes')
        if not any(selects(svc['spec'].get('selector'), labels) and any(port.get('port') == service['port'] for port in svc['spec'].get('ports', []))
                   for svc in named('Service', name)):
            problem(f'k8s: no Service {name} on port {service["port"]} selecting its pods')
        if not any(selects(pdb['spec'].get('selector', {}).get('matchLabels'), labels) for pdb in by_kind.get('PodDisruptionBudget', [])):
            problem(f'k8s: no PodDisruptionBudget selects the pods of {name}')
        databases = [db for db in by_kind.get('Database', []) if db['spec'].get('name') == service['database']]
        if not databases:
            problem(f'k8s: no CloudNativePG Database {service["database"]}')
    for target in ('gateway-service', 'payment-service'):
        hpas = [hpa for hpa in by_kind.get('HorizontalPodAutoscaler', []) if hpa['spec']['scaleTargetRef']['name'] == target]
        if not hpas:
            problem(f'k8s: no HorizontalPodAutoscaler for {target}')
        elif hpas[0]['spec'].get('minReplicas', 1) < 2:
            problem(f'k8s: the HorizontalPodAutoscaler of {target} allows fewer than 2 replicas')
    for hpa in by_kind.get('HorizontalPodAutoscaler', []):
        if not named(hpa['spec']['scaleTargetRef']['kind'], hpa['spec']['scaleTargetRef']['name']):
            problem(f'k8s: HorizontalPodAutoscaler {hpa["metadata"]["name"]} aims at nothing')
    if not by_kind.get('Kafka'):
        problem('k8s: no Strimzi Kafka')
    if not by_kind.get('Cluster'):
        problem('k8s: no CloudNativePG Cluster')
    for doc in documents:
        if doc['kind'] != 'Namespace' and doc['metadata'].get('namespace') != 'paystream':
            problem(f'k8s: {doc["kind"]} {doc["metadata"]["name"]} is not in namespace paystream')


def main(argv):
    if len(argv) >= 2 and argv[0] == 'dashboards':
        promql_out = argv[argv.index('--promql-out') + 1] if '--promql-out' in argv else None
        count = dashboards(argv[1], promql_out)
        what = f'{count} dashboard queries'
    elif len(argv) == 3 and argv[0] == 'compose':
        compose(argv[1], services_conf(argv[2]))
        what = 'docker-compose.yml'
    elif len(argv) == 3 and argv[0] == 'k8s':
        k8s(argv[1], services_conf(argv[2]))
        what = 'deploy/k8s'
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for message in problems:
        print(f'  problem: {message}')
    print(f'  {what}: {"ok" if not problems else str(len(problems)) + " problem(s)"}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
