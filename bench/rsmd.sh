#!/usr/bin/env bash
# rsmd's request latency and throughput at 1, 8 and 32 clients, and its resident memory.
#   bench/rsmd.sh BUILD_DIR [SECONDS]
# A private PostgreSQL and an rsmd of the build, then bench-rsmd (bench/rsmd_latency.cc):
# a read-only request (pool.show) and a swap (lmid.swap), each client on its own connection
# and session, back to back. rsmd's VmRSS and VmHWM are read from /proc after the runs.
set -euo pipefail
build=$1 seconds=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rsm-bench-rsmd.XXXXXX)
chmod 755 "$dir"
rsmd_pid=
cleanup() {
    [ -n "$rsmd_pid" ] && kill "$rsmd_pid" 2>/dev/null && wait "$rsmd_pid" 2>/dev/null
    "$root/tests/pg/pg-stop" --dir "$dir/pg" >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
"$root/tests/pg/pg-start" --dir "$dir/pg" >/dev/null
# shellcheck disable=SC1091
. "$dir/pg/pg.env"
# shellcheck source=bench/start_rsmd.sh
. "$root/bench/start_rsmd.sh"
start_rsmd "$dir" "$build/src/daemon/rsmd" "$root"
idle=$(awk '/VmRSS/ {print $2}' "/proc/$rsmd_pid/status")
"$build/bench/bench-rsmd" "$dir/rsmd.sock" "$seconds" 1 8 32
rss=$(awk '/VmRSS/ {print $2}' "/proc/$rsmd_pid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$rsmd_pid/status")
echo "rsmd memory: idle_rss_kib=$idle rss_after_kib=$rss peak_rss_kib=$hwm"
