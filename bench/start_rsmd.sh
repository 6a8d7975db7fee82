# shellcheck shell=bash
# Sourced by the rsmd benchmarks: start_rsmd DIR RSMD ROOT — a database rsm_bench on the
# private PostgreSQL whose pg.env is sourced already, and the rsmd binary RSMD on it (8 handler
# threads, 8 database connections, log level warning, socket DIR/rsmd.sock, log DIR/rsmd.log),
# waited for; sets rsmd_pid.
start_rsmd() {
    local dir=$1 rsmd=$2 root=$3
    "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" rsm_bench
    cat >"$dir/rsmd.conf" <<CONF
[rsmd]
database = "host=$PGHOST port=$PGPORT user=$PGUSER dbname=rsm_bench"
socket = $dir/rsmd.sock
socket_group =
schema_dir = $root/schema
log_level = warning
workers = 8
db_connections = 8
CONF
    "$rsmd" --config "$dir/rsmd.conf" 2>"$dir/rsmd.log" &
    # shellcheck disable=SC2034 # read by the sourcing script
    rsmd_pid=$!
    for _ in $(seq 300); do [ -S "$dir/rsmd.sock" ] && break; sleep 0.1; done
}
