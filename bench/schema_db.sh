# shellcheck shell=bash
# Sourced by the benchmarks that apply a schema with psql rather than through rsm: a private
# PostgreSQL (tests/pg/pg-start) stopped and removed when the script exits, and one database
# on it with every migration of a schema directory applied in name order.
#   . bench/schema_db.sh; schema_db DATABASE SCHEMA_DIR
# Sets root, dir and the PG* variables of pg.env (PGHOST, PGPORT, PGUSER exported), and
# defines sql: psql without .psqlrc, quiet, stopping at the first error.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=''

sql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

schema_db() {  # schema_db DATABASE SCHEMA_DIR
    local database=$1 schema=$2 f
    dir=$(mktemp -d "/tmp/rsm-bench-$database.XXXXXX")
    trap '"$root/tests/pg/pg-stop" --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
    "$root/tests/pg/pg-start" --dir "$dir" >/dev/null
    # shellcheck disable=SC1091
    . "$dir/pg.env"
    export PGHOST PGPORT PGUSER
    sql -d postgres -c "CREATE DATABASE $database"
    for f in "$schema"/[0-9]*.sql; do
        sql -d "$database" -f "$f" >/dev/null
    done
}
