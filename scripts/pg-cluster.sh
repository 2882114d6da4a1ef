#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster on a loopback port in a temp folder and prints its URL.
#   scripts/pg-cluster.sh start [DIR] [PORT]   -> prints postgres://... on stdout
#   scripts/pg-cluster.sh stop DIR
# Uses Debian's postgresql package (installed by .ci/run when absent). Runs the server as the
# `postgres` system user when invoked as root, since PostgreSQL refuses to run as root.
# The URL is the superuser's: the db tests use it only to create the deployment's roles
# (shiliuzi_owner, shiliuzi_app, shiliuzi_server) and a database per file, then work as in
# production, the server's role under row-level security (server/test/test-database.ts).
set -euo pipefail

find_bin() {
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-start}
bin=$(find_bin)
case "$cmd" in
  start)
    dir=${2:-$(mktemp -d /tmp/shiliuzi-pg.XXXXXX)}
    port=${3:-55432}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=on -c shared_buffers=256MB -c max_connections=100" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?cluster dir}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start [DIR] [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
