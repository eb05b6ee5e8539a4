#!/usr/bin/env bash
# Starts the real services some tests need — PostgreSQL and Redis from Debian's packages — on
# 127.0.0.1, installing the packages first when they are missing and we may (root with apt-get).
# Source it: it exports GOVAUDIT_TEST_PG (a server URL, no database) and GOVAUDIT_TEST_REDIS.
# Data lives in a folder of /tmp the postgres user can reach; running it again reuses servers already up.
set -euo pipefail
state="${TMPDIR:-/tmp}/govaudit-services-$(id -u)"
pg_port="${GOVAUDIT_PG_PORT:-55432}"
redis_port="${GOVAUDIT_REDIS_PORT:-56379}"
mkdir -p "$state"

pg_bin=""
find_pg() { pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"; }
find_pg
missing=()
[ -n "$pg_bin" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d keeps the packages from starting their own system-wide servers.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
  rm -f /usr/sbin/policy-rc.d
  find_pg
fi

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user when we are root.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -n "$pg_bin" ]; then
  pgdata="$state/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres "$state"; fi
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    as_owner "$pg_bin/initdb" -D "$pgdata" -U govaudit --auth=trust -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1
  fi
  if ! "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then
    as_owner "$pg_bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pgdata -c fsync=off -c max_connections=200" start >/dev/null
  fi
  export GOVAUDIT_TEST_PG="postgresql://govaudit@127.0.0.1:$pg_port/postgres"
else
  echo "services.sh: PostgreSQL not available (not installed and cannot install); its tests are skipped" >&2
fi

if command -v redis-server >/dev/null 2>&1; then
  if ! redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize yes \
      --dir "$state" --logfile "$state/redis.log" --pidfile "$state/redis.pid" >/dev/null
    for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  export GOVAUDIT_TEST_REDIS="redis://127.0.0.1:$redis_port/0"
else
  echo "services.sh: Redis not available (not installed and cannot install); its tests are skipped" >&2
fi
