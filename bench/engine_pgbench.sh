#!/usr/bin/env bash
# Engine throughput beside pgbench on the same private PostgreSQL server, in the same run.
#   bench/engine_pgbench.sh BUILD_DIR [SECONDS]
# pgbench runs its built-in TPC-B-like script (-N: the simple-update variant, one write
# transaction of 4 statements, the nearest to one engine operation) at 1, 8 and 32 clients.
set -euo pipefail
build=$1 seconds=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rsm-bench-pg.XXXXXX)
trap '"$root/tests/pg/pg-stop" --dir "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
"$root/tests/pg/pg-start" --dir "$dir" >/dev/null
# shellcheck disable=SC1090
. "$dir/pg.env"
export PGHOST PGPORT PGUSER
"$PG_BIN/createdb" rsm_bench
"$PG_BIN/createdb" pgbench
"$build/bench/bench-engine" "host=$PGHOST port=$PGPORT user=$PGUSER dbname=rsm_bench" \
    "$root/schema" "$seconds"
"$PG_BIN/pgbench" -i -q -s 10 pgbench >/dev/null 2>&1
for c in 1 8 32; do
    tps=$("$PG_BIN/pgbench" -N -c "$c" -j "$((c < 2 ? 1 : 2))" -T "$seconds" pgbench 2>/dev/null |
        awk '/^tps/ {print int($3); exit}')
    echo "pgbench script=simple-update clients=$c tps=$tps"
done
