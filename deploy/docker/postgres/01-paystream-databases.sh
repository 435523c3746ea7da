#!/bin/bash
# Run once by the postgres image when its data volume is new (docker-entrypoint-initdb.d): creates
# the database of every service listed in services.conf, which docker-compose.yml mounts at
# /paystream/services.conf. Each service migrates its own schema with Flyway at start-up.
set -e
registry="${PAYSTREAM_SERVICES_FILE:-/paystream/services.conf}"
statements=""
while read -r name port database topics; do
  case "$name" in '' | '#'*) continue ;; esac
  if [[ ! "$database" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "$registry: '$database' (service $name, port $port, topics $topics) is not a plain database name" >&2
    exit 1
  fi
  statements+="CREATE DATABASE $database;"$'\n'
done <"$registry"
[[ -n "$statements" ]] || { echo "$registry lists no services" >&2; exit 1; }
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<<"$statements"
