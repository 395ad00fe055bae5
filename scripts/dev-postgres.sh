#!/usr/bin/env bash
# Starts, stops or reports a private PostgreSQL server for tests and development.
# Loopback only, its own data directory and port; installs Debian's postgresql if missing.
#   scripts/dev-postgres.sh start|stop|status [DIR]
# `start` prints the line to export: BPS_TEST_PG_URL=postgresql://...
set -euo pipefail

cmd=${1:-status}
dir=${2:-${BPS_PG_DIR:-$PWD/.dev/postgres}}
port=${BPS_PG_PORT:-55432}
user=postgres

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

install_pg() {
  if ! find_bin >/dev/null; then
    echo "installing Debian's postgresql..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
}

as_owner() {
  # PostgreSQL refuses to run as root: run as the 'postgres' system user, owner of $dir.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url="postgresql://${user}@127.0.0.1:${port}/postgres"

case "$cmd" in
  start)
    install_pg
    bin=$(find_bin)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "already running" >&2
    else
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >&2 || { cat "$dir/server.log" >&2; exit 1; }
    fi
    echo "BPS_TEST_PG_URL=$url"
    ;;
  stop)
    bin=$(find_bin) || exit 0
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    ;;
  status)
    bin=$(find_bin) || { echo "postgresql not installed"; exit 3; }
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then echo "running: $url"; else echo "stopped"; exit 3; fi
    ;;
  *)
    echo "usage: $0 start|stop|status [DIR]" >&2
    exit 2
    ;;
esac
