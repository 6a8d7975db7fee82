#!/usr/bin/env bash
# What one media operation costs the database through rsmd: the statements per operation and
# where the server's backends wait.
#   bench/media_statements.sh BUILD_DIR WORKLOAD CLIENTS [SECONDS]
# WORKLOAD is bench-rsmd's (swap, alloc, read). A private PostgreSQL with pg_stat_statements
# preloaded and an rsmd of the build (RSMD= another rsmd binary), seeded as bench/media_ops.sh
# seeds them (64 clients' LMIDs, then 800 more; RSM_BENCH_POOL= the pool's path, default
# "bench"). Then WORKLOAD runs for SECONDS (default 5) at CLIENTS clients while
# pg_stat_activity is sampled 200 times (every 20 ms) for the wait events of the active
# backends. Prints bench-rsmd's line, the wait events with their counts, and pg_stat_statements:
# calls and mean execution time (ms) of each statement; calls divided by the operations
# (ops/s x SECONDS) are the statements per operation.
set -euo pipefail
build=$(cd "$1" && pwd) workload=$2 clients=$3 seconds=${4:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/start_rsmd.sh
. "$root/bench/start_rsmd.sh"
dir='' rsmd_pid=''  # start_rsmd sets them, stop_rsmd reads them
trap stop_rsmd EXIT
dir=$(mktemp -d /tmp/rsm-bench-media.XXXXXX)
chmod 755 "$dir"
"$root/tests/pg/pg-start" --dir "$dir/pg" >/dev/null
# shellcheck disable=SC1091
. "$dir/pg/pg.env"
psql() { "$PG_BIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
runas=()
[ "$(id -u)" -eq 0 ] && runas=(runuser -u "$PG_OWNER" --)
psql -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
"${runas[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/pg/restart.log" -w -t 60 restart >/dev/null
start_rsmd "$dir" "${RSMD:-$build/src/daemon/rsmd}" "$root"
RSM_BENCH_WORKLOADS='' "$build/bench/bench-rsmd" "$dir/rsmd.sock" 0 1 8 32 64
add_lmids 800
psql -d rsm_bench -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
    -c "SELECT pg_stat_statements_reset()" >/dev/null
RSM_BENCH_SEED=0 RSM_BENCH_WORKLOADS=$workload "$build/bench/bench-rsmd" "$dir/rsmd.sock" \
    "$seconds" "$clients" &
run=$!
sleep 1
echo "wait events of the active backends, 200 samples:"
for _ in $(seq 1 200); do
    psql -d rsm_bench -c "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-')
        FROM pg_stat_activity WHERE datname = 'rsm_bench' AND state <> 'idle'
        AND pid <> pg_backend_pid()"
    sleep 0.02
done | sort | uniq -c | sort -rn
wait "$run"
echo "statements (calls | mean ms | text):"
psql -d rsm_bench -F ' | ' -c "SELECT calls, round(mean_exec_time::numeric, 3),
    left(regexp_replace(query, '\s+', ' ', 'g'), 120) FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'rsm_bench')
    ORDER BY calls DESC LIMIT 40"
