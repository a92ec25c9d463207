#!/usr/bin/env bash
# A throwaway PostgreSQL primary and a streaming replica of it, on this machine, for trying and
# testing DATABASE_REPLICA_URL (docs/operations.md, "Read replica"; tests/core/test_replica.py).
#
#   deploy/pg-replica.sh start DIR PRIMARY_PORT REPLICA_PORT
#   deploy/pg-replica.sh status DIR
#   deploy/pg-replica.sh stop DIR
#
# start: initdb a primary cluster in DIR/primary listening on 127.0.0.1:PRIMARY_PORT (wal_level
#   replica, WAL senders, replication allowed from 127.0.0.1), creates the database
#   xiaoneng_replica on it, copies it with `pg_basebackup -R` into DIR/replica (a standby that
#   streams from the primary) started on 127.0.0.1:REPLICA_PORT, waits until the primary reports
#   the replica streaming, and prints the two URLs to put in DATABASE_URL and
#   DATABASE_REPLICA_URL.
# status: the primary's pg_stat_replication and the replica's replay position.
# stop: stops both servers and deletes DIR (only a DIR this script made: it holds its marker).
#
# The machine's own PostgreSQL server is not touched: no configuration change, no restart.
# Authentication is `trust` on 127.0.0.1 only, and the servers are meant to be thrown away: for a
# real deployment take the base backup from the real primary, with a replication role and a
# password (docs/operations.md). Run as root, the servers run as the user postgres (runuser);
# run as anyone else, as that user. PG_BINDIR chooses the PostgreSQL binaries (default: those of
# `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

MARKER=".xiaoneng-replica"
DATABASE="xiaoneng_replica"
WAIT_SECONDS="${XIAONENG_REPLICA_WAIT_SECONDS:-30}"

die() {
  echo "pg-replica: $*" >&2
  exit 1
}

usage() {
  sed -n '4,7p' "$0" | sed 's/^# *//' >&2
  exit 2
}

bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    echo "$PG_BINDIR"
  elif command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  else
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$found" ] || die "no PostgreSQL binaries (initdb, pg_ctl, pg_basebackup): set PG_BINDIR"
    echo "$found"
  fi
}

# Runs a PostgreSQL program as the servers' owner, from DIR (postgres may not read the caller's
# working directory).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd "$DIR" && runuser -u postgres -- "$@")
  else
    (cd "$DIR" && "$@")
  fi
}

sql() { # PORT STATEMENT: one value, unaligned
  as_owner "$BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -XAtqc "$2"
}

is_running() { # CLUSTER_DIR
  [ -f "$1/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

stop_cluster() { # CLUSTER_DIR
  if is_running "$1"; then
    as_owner "$BIN/pg_ctl" -D "$1" -m fast -w -t 30 stop >/dev/null ||
      as_owner "$BIN/pg_ctl" -D "$1" -m immediate -w -t 30 stop >/dev/null || true
  fi
}

fail_start() {
  echo "pg-replica: start failed; the servers' logs:" >&2
  tail -n 20 "$DIR"/*.log >&2 2>/dev/null || true
  stop_cluster "$DIR/replica"
  stop_cluster "$DIR/primary"
  echo "pg-replica: servers stopped; remove DIR with: $0 stop $DIR" >&2
  exit 1
}

check_port() { # PORT
  [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1024 ] && [ "$1" -le 65535 ] || die "not a port: $1"
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "port $1 is already in use on 127.0.0.1"
  fi
}

start() {
  local primary_port="$1" replica_port="$2"
  check_port "$primary_port"
  check_port "$replica_port"
  [ "$primary_port" != "$replica_port" ] || die "the two ports must differ"
  [ ! -e "$DIR/primary" ] || die "$DIR/primary exists: stop it first ($0 stop $DIR)"
  if [ "$(id -u)" = 0 ]; then
    command -v runuser >/dev/null || die "runuser is missing (util-linux)"
    id postgres >/dev/null 2>&1 || die "no user postgres to run the servers"
  fi
  mkdir -p "$DIR"
  DIR="$(cd "$DIR" && pwd)"
  # The Unix sockets live in DIR: their path must stay under the kernel's 107 characters.
  [ "${#DIR}" -le 80 ] || die "DIR's path is too long for a socket folder: $DIR"
  echo "$primary_port $replica_port" >"$DIR/$MARKER"
  chmod 700 "$DIR"
  [ "$(id -u)" != 0 ] || chown postgres: "$DIR"
  trap fail_start ERR

  as_owner "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$DIR/initdb.log"
  cat >>"$DIR/primary/postgresql.conf" <<EOF

# deploy/pg-replica.sh: a throwaway primary on 127.0.0.1 only
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$DIR'
cluster_name = 'xiaoneng_replica_primary'
wal_level = replica
max_wal_senders = 4
wal_keep_size = '64MB'
shared_buffers = '64MB'
max_connections = 40
EOF
  # initdb --auth=trust already lets 127.0.0.1 connect for replication; said here explicitly.
  echo "host replication postgres 127.0.0.1/32 trust" >>"$DIR/primary/pg_hba.conf"
  as_owner "$BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w -t 30 start >/dev/null
  sql "$primary_port" "CREATE DATABASE $DATABASE" >/dev/null

  # The replica: a base backup of the primary with standby.signal and primary_conninfo (-R).
  as_owner "$BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres \
    -D "$DIR/replica" -R -X stream -c fast --no-sync
  cat >>"$DIR/replica/postgresql.conf" <<EOF

# deploy/pg-replica.sh: the streaming replica (its primary_conninfo is in postgresql.auto.conf)
port = $replica_port
cluster_name = 'xiaoneng_replica'
hot_standby = on
# Long report queries are not cancelled by the primary's vacuum (docs/operations.md).
hot_standby_feedback = on
EOF
  as_owner "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w -t 30 start >/dev/null

  local state="" waited=0
  while [ "$waited" -lt "$((WAIT_SECONDS * 10))" ]; do
    state="$(sql "$primary_port" \
      "SELECT state FROM pg_stat_replication WHERE application_name = 'xiaoneng_replica'")"
    [ "$state" = "streaming" ] && break
    sleep 0.1
    waited=$((waited + 1))
  done
  [ "$state" = "streaming" ] || {
    echo "pg-replica: the replica is not streaming after ${WAIT_SECONDS}s" >&2
    false
  }
  trap - ERR
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$primary_port/$DATABASE"
  echo "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$replica_port/$DATABASE"
}

status() {
  [ -f "$DIR/$MARKER" ] || die "$DIR was not made by $0"
  local primary_port replica_port
  read -r primary_port replica_port <"$DIR/$MARKER"
  echo "primary 127.0.0.1:$primary_port: $(sql "$primary_port" \
    "SELECT coalesce(string_agg(application_name || ' ' || state || ' replay ' ||
            replay_lsn::text, '; '), 'no replica connected') FROM pg_stat_replication")"
  echo "replica 127.0.0.1:$replica_port: $(sql "$replica_port" \
    "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby, replayed ' ||
            pg_last_wal_replay_lsn()::text ELSE 'not a standby' END")"
}

stop() {
  [ -e "$DIR" ] || return 0
  [ -f "$DIR/$MARKER" ] || die "$DIR was not made by $0: not removing it"
  stop_cluster "$DIR/replica"
  stop_cluster "$DIR/primary"
  rm -rf "$DIR"
}

[ $# -ge 2 ] || usage
COMMAND="$1"
DIR="$2"
BIN="$(bindir)"
case "$COMMAND" in
start)
  [ $# -eq 4 ] || usage
  start "$3" "$4"
  ;;
status) status ;;
stop) stop ;;
*) usage ;;
esac
