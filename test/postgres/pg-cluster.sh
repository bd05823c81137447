#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for test/postgres: initdb + pg_ctl in a temporary directory, on a
# free port, listening on 127.0.0.1 only, with a random superuser password.
#   start  installs the server with apt-get if it is missing, starts it, and prints shell assignments
#          exporting TEST_POSTGRES_URL and PG_CLUSTER_DIR (eval them: `eval "$(test/postgres/pg-cluster.sh start)"`)
#   stop   stops the cluster in $PG_CLUSTER_DIR and deletes the directory
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

server_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start() {
  if [ -z "$(server_bin)" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # The package's own cluster is not used; only its binaries are.
    apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
  local bin dir port password
  bin="$(server_bin)"
  dir="$(mktemp -d /tmp/payments-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  password="$(node -e "console.log(require('crypto').randomBytes(18).toString('hex'))")"
  as_owner sh -c "umask 077 && printf '%s\n' '$password' > '$dir/pwfile'"
  if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/pwfile" --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
  fi
  rm -f "$dir/pwfile"
  # fsync off: a test cluster is thrown away, durability buys nothing and costs CI time.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2
  printf "export TEST_POSTGRES_URL='postgres://postgres:%s@127.0.0.1:%s/postgres'\n" "$password" "$port"
  printf "export PG_CLUSTER_DIR='%s'\n" "$dir"
}

stop() {
  local dir="${PG_CLUSTER_DIR:?PG_CLUSTER_DIR is not set}"
  as_owner "$(server_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
