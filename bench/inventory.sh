#!/usr/bin/env bash
# FAST inventory reconciliation of a 10,000-slot library on a private PostgreSQL, with the
# statements it runs and their database time from pg_stat_statements.
#   bench/inventory.sh BUILD_DIR [ROUNDS]
# SCHEMA=DIR migrates from another schema directory (default schema/): a copy with one more
# migration that disables a trigger, say, measures what that trigger costs.
# tests/pg/pg-start makes the server; it is then restarted with pg_stat_statements preloaded
# (Debian's postgresql package ships it) and planning time tracked.
set -euo pipefail
build=$1 rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rsm-bench-inventory.XXXXXX)
trap '"$root/tests/pg/pg-stop" --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
"$root/tests/pg/pg-start" --dir "$dir" >/dev/null
# shellcheck disable=SC1091
. "$dir/pg.env"
export PGHOST PGPORT PGUSER
runas=()
[ "$(id -u)" -eq 0 ] && runas=(runuser -u "$PG_OWNER" --)
"$PG_BIN/psql" -q -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
"${runas[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/postgres.log" -w -t 60 restart >/dev/null
"$PG_BIN/psql" -q -d postgres -c "ALTER SYSTEM SET pg_stat_statements.track_planning = on" \
    -c "SELECT pg_reload_conf()" >/dev/null
"$PG_BIN/createdb" rsm_bench
"$build/bench/bench-inventory" "host=$PGHOST port=$PGPORT user=$PGUSER dbname=rsm_bench" \
    "${SCHEMA:-$root/schema}" "host=$PGHOST port=$PGPORT user=$PGUSER dbname=postgres" "$rounds"
