#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, in a temporary directory, on 127.0.0.1.
#
#   eval "$(scripts/pg-test-cluster.sh start)"   # prints export lines: DATABASE_URL, PG_TEST_CLUSTER_DIR
#   scripts/pg-test-cluster.sh stop              # stops it and removes the directory (uses PG_TEST_CLUSTER_DIR)
#
# Needs the PostgreSQL server binaries (Debian: apt-get install postgresql; found in
# /usr/lib/postgresql/N/bin, or set PG_BIN). initdb refuses to run as root: as root the cluster is
# made and run by the `postgres` system user (runuser -u postgres), which owns the directory.
# The port is a free one (or PG_TEST_PORT); auth is trust, fsync is off: for tests only.
set -euo pipefail

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return; fi
  done
  echo "error: no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin; install postgresql or set PG_BIN" >&2
  exit 1
}

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local bin dir port
  bin=$(find_bin)
  if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
    echo "error: running as root and there is no postgres user to run initdb as" >&2
    exit 1
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/postedit-pg-XXXXXX")
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi
  if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    echo "error: initdb failed" >&2
    exit 1
  fi
  port=${PG_TEST_PORT:-$(free_port)}
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
      -o "-k $dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >&2; then
    cat "$dir/log" >&2 || true
    rm -rf "$dir"
    echo "error: pg_ctl start failed" >&2
    exit 1
  fi
  echo "export PG_TEST_CLUSTER_DIR=$dir"
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local dir=${1:-${PG_TEST_CLUSTER_DIR:-}}
  if [[ -z "$dir" || ! -d "$dir/data" ]]; then
    echo "error: no cluster to stop: give its directory or set PG_TEST_CLUSTER_DIR" >&2
    exit 1
  fi
  as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
