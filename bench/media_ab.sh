#!/usr/bin/env bash
# Two rsmd builds (or one build with and without a change to the database) measured against
# each other, alternated, on the media operations of bench/media_ops.sh:
#   bench/media_ab.sh BUILD_DIR A B [ROUNDS] [WORKLOAD] [LMIDS] [SECONDS] [CLIENTS...]
# A and B are each RSMD_BINARY, or RSMD_BINARY:SQL — SQL statements (separated by ';') run on
# the benchmark database after seeding, before the workload (say, a trigger disabled). Each
# round runs A then B, each in a fresh private PostgreSQL with its own rsmd (8 handler
# threads, 8 database connections; bench/start_rsmd.sh): bench-rsmd seeds 64 clients' LMIDs,
# LMIDS (default: none more) are added in SQL as bench/media_ops.sh adds them, then WORKLOAD
# (swap or alloc, default swap) runs for SECONDS (default 5) at each of CLIENTS (default 8 32).
# Prints bench-rsmd's lines, each prefixed with the round and the side (A or B), and the
# server's error messages by kind (serialization failures are retries).
set -euo pipefail
build=$(cd "$1" && pwd) sideA=$2 sideB=$3 rounds=${4:-2} workload=${5:-swap}
lmids=${6:-0} seconds=${7:-5}
shift $(($# < 7 ? $# : 7))
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(8 32)
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/start_rsmd.sh
. "$root/bench/start_rsmd.sh"
dir='' rsmd_pid=''
trap stop_rsmd EXIT
run() {  # run LABEL SIDE
    local label=$1 rsmd=${2%%:*} sql='' statements
    [ "$rsmd" != "$2" ] && sql=${2#*:}
    dir=$(mktemp -d /tmp/rsm-bench-ab.XXXXXX)
    chmod 755 "$dir"
    "$root/tests/pg/pg-start" --dir "$dir/pg" >/dev/null
    # shellcheck disable=SC1091
    . "$dir/pg/pg.env"
    psql() { "$PG_BIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
    start_rsmd "$dir" "$rsmd" "$root"
    RSM_BENCH_WORKLOADS='' "$build/bench/bench-rsmd" "$dir/rsmd.sock" 0 64 >/dev/null
    add_lmids "$lmids"
    IFS=';' read -ra statements <<<"$sql"
    for s in "${statements[@]}"; do
        [ -n "${s// /}" ] && psql -d rsm_bench -c "$s" >/dev/null
    done
    RSM_BENCH_SEED=0 RSM_BENCH_WORKLOADS=$workload "$build/bench/bench-rsmd" "$dir/rsmd.sock" \
        "$seconds" "${counts[@]}" | sed "s/^/$label /"
    grep -o 'ERROR:  [a-z ]*' "$dir/pg/postgres.log" | sort | uniq -c | sed "s/^/$label server/" || true
    stop_rsmd
}
for round in $(seq "$rounds"); do
    run "round=$round side=A" "$sideA"
    run "round=$round side=B" "$sideB"
done
