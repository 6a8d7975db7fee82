#!/usr/bin/env bash
# The cost of a Prometheus scrape of rsmd (GET /metrics, metrics_listen) managing a
# 10,000-slot tgtd library holding 1,000 cartridges, on a private PostgreSQL with
# pg_stat_statements:
#   - the first scrape, which reads a snapshot of every library object (what recomputing the
#     figures by scanning the tables costs), against the following ones, which read only the
#     event log rows written since the scrape before;
#   - per scrape: wall time (curl), rsmd's CPU time (/proc/PID/stat, utime + stime), and the
#     statements the metrics ran (pg_stat_statements, by the metrics' statements' text);
#   - the same after 100 cartridges changed pool between two scrapes (200 events to read).
#   bench/metrics.sh BUILD_DIR [SCRAPES]
set -euo pipefail
build=$(cd "$1" && pwd) scrapes=${2:-50}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rsm-bench-metrics.XXXXXX)
chmod 755 "$dir"
rsmd_pid=
cleanup() {
    [ -n "$rsmd_pid" ] && kill "$rsmd_pid" 2>/dev/null && wait "$rsmd_pid" 2>/dev/null
    "$root/tests/pg/pg-stop" --dir "$dir/pg" >/dev/null 2>&1
    "$root/tests/vtl/vtl-stop" --dir "$dir/vtl" >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
rsmctl=$build/src/cli/rsmctl

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=$("$root/tests/vtl/vtl-start" --dir "$dir/vtl" --port "$port" --slots 10000 --drives 4 \
    --ieports 8 --tapes 1000)

"$root/tests/pg/pg-start" --dir "$dir/pg" >/dev/null
# shellcheck disable=SC1091
. "$dir/pg/pg.env"
export PGHOST PGPORT PGUSER
runas=()
[ "$(id -u)" -eq 0 ] && runas=(runuser -u "$PG_OWNER" --)
"$PG_BIN/psql" -q -d postgres -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
"${runas[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/pg/postgres.log" -w -t 60 restart >/dev/null
"$PG_BIN/createdb" rsm_bench_metrics
"$PG_BIN/psql" -q -d rsm_bench_metrics -c "CREATE EXTENSION pg_stat_statements"
psql() { "$PG_BIN/psql" -X -q -t -A -d rsm_bench_metrics "$@"; }
cat >"$dir/rsmd.conf" <<CONF
[rsmd]
database = "host=$PGHOST port=$PGPORT user=$PGUSER dbname=rsm_bench_metrics"
socket = $dir/rsmd.sock
socket_mode = 0666
socket_group =
schema_dir = $root/schema
log_level = notice
metrics_listen = 127.0.0.1:0
CONF
"$build/src/daemon/rsmd" --config "$dir/rsmd.conf" 2>"$dir/rsmd.log" &
rsmd_pid=$!
mport=
for _ in $(seq 300); do
    mport=$(sed -n 's|.*metrics on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$dir/rsmd.log")
    [ -n "$mport" ] && [ -S "$dir/rsmd.sock" ] && break
    sleep 0.1
done
[ -n "$mport" ] || { cat "$dir/rsmd.log" >&2; echo "rsmd did not start its metrics" >&2; exit 1; }
export RSM_SOCKET=$dir/rsmd.sock
"$rsmctl" library add vtl "$url" >/dev/null
"$rsmctl" library inventory vtl >/dev/null
metrics=http://127.0.0.1:$mport/metrics

cpu_ms() {  # rsmd's user + system CPU time so far, in ms
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) * 1000 / hz }' "/proc/$rsmd_pid/stat"
}
# Runs N scrapes; prints "median_ms max_ms cpu_ms_per_scrape metric_statements_per_scrape".
measure() {
    local n=$1 times=() before after calls
    psql -c "SELECT pg_stat_statements_reset()" >/dev/null
    before=$(cpu_ms)
    for _ in $(seq "$n"); do
        times+=("$(curl -sS --fail -o /dev/null -w '%{time_total}' "$metrics")")
    done
    after=$(cpu_ms)
    calls=$(psql -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
                     WHERE query LIKE '%object_kind IN (%' OR query LIKE '%to_jsonb(t)%'
                        OR query LIKE '%min(seq) - \$1%' OR query LIKE '%min(seq) - 1%'")
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$n" -v cpu="$(echo "($after - $before) / $n" | bc -l)" \
        -v calls="$calls" '{ t[NR] = $1 * 1000 } END {
            printf "%.2f %.2f %.2f %.2f\n", t[int((NR + 1) / 2)], t[NR], cpu, calls / n }'
}

read -r first _ first_cpu first_calls < <(measure 1)
echo "first scrape (snapshot of 10,000 slots, 1,000 cartridges): ${first} ms wall, ${first_cpu} ms rsmd CPU, ${first_calls} metrics statements"
# The scrapes read the last 10 s of the event log again (docs/metrics.md): measured once the
# inventory's rows are older than that.
sleep 11
read -r med max cpu calls < <(measure "$scrapes")
echo "following scrapes ($scrapes, nothing changed): median ${med} ms, max ${max} ms wall; ${cpu} ms rsmd CPU and ${calls} metrics statements per scrape"
echo "ratio following/first (wall): $(echo "scale=3; $med / $first" | bc -l)"
for i in $(seq -f %03g 1 100); do "$rsmctl" move-to-pool "SMC${i}L5" free:LTO-5 >/dev/null; done
read -r chg _ chg_cpu chg_calls < <(measure 1)
echo "a scrape after 100 cartridges changed pool: ${chg} ms wall, ${chg_cpu} ms rsmd CPU, ${chg_calls} metrics statements"
curl -sS "$metrics" | grep -E '^rsm_library_slots|^rsm_pool_media\{pool="free' | sed 's/^/  /'
