#!/usr/bin/env bash
# Media operations through rsmd against pgbench on the same PostgreSQL server, in the same run.
#   bench/media_ops.sh BUILD_DIR [SECONDS] [LMIDS...]
# For each database size (LMIDS: the LMIDs in the database, default 1000 and 100000): a private
# PostgreSQL and an rsmd of the build (8 handler threads, 8 database connections); bench-rsmd
# seeds a pool with two LMIDs and one free medium per client, the rest of the LMIDs are added to
# the same pool in SQL (labelled media with one allocated side each, as rsm makes them), then
# bench-rsmd runs `swap` (lmid.swap of the client's own pair, by name) and `alloc` (lmid.allocate
# and lmid.deallocate of what it gave) at 1, 8, 32 and 64 clients for SECONDS each; then pgbench's
# simple-update script (-N) at the same client counts on the same server (a database of its own,
# scale 10). Prints bench-rsmd's and pgbench's lines, and the swap/pgbench ratio per count.
set -euo pipefail
build=$(cd "$1" && pwd) seconds=${2:-10}
shift $(($# < 2 ? $# : 2))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 100000)
root=$(cd "$(dirname "$0")/.." && pwd)
rsmd=${RSMD:-$build/src/daemon/rsmd}  # RSMD: another rsmd binary to measure (before and after)
counts=(1 8 32 64)
# shellcheck source=bench/start_rsmd.sh
. "$root/bench/start_rsmd.sh"
dir='' rsmd_pid=''
trap stop_rsmd EXIT
for size in "${sizes[@]}"; do
    dir=$(mktemp -d /tmp/rsm-bench-media.XXXXXX)
    chmod 755 "$dir"
    "$root/tests/pg/pg-start" --dir "$dir/pg" >/dev/null
    # shellcheck disable=SC1091
    . "$dir/pg/pg.env"
    psql() { "$PG_BIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
    start_rsmd "$dir" "$rsmd" "$root"
    RSM_BENCH_WORKLOADS='' "$build/bench/bench-rsmd" "$dir/rsmd.sock" 0 "${counts[@]}"
    seeded=$(psql -d rsm_bench -c "SELECT count(*) FROM logical_media")
    filler=$((size - seeded))
    add_lmids "$filler"
    echo "media_ops lmids=$(psql -d rsm_bench -c "SELECT count(*) FROM logical_media")"
    out=$(RSM_BENCH_SEED=0 RSM_BENCH_WORKLOADS=swap,alloc "$build/bench/bench-rsmd" \
        "$dir/rsmd.sock" "$seconds" "${counts[@]}")
    echo "$out"
    "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" pgbench
    "$PG_BIN/pgbench" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -i -q -s 10 pgbench >/dev/null 2>&1
    for c in "${counts[@]}"; do
        tps=$("$PG_BIN/pgbench" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -N -c "$c" \
            -j "$((c < 2 ? 1 : 2))" -T "$seconds" pgbench 2>/dev/null | awk '/^tps/ {print int($3); exit}')
        swap=$(echo "$out" | sed -n "s/^rsmd workload=swap clients=$c ops\/s=\([0-9]*\) .*/\1/p")
        echo "pgbench script=simple-update clients=$c tps=$tps swap_ratio=$(echo "scale=2; $swap/$tps" | bc)"
    done
    stop_rsmd
done
