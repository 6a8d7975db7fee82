#!/usr/bin/env bash
# mtx compatibility on a 10,000-slot tgtd virtual library over iSCSI on 127.0.0.1:
#   - the wall time of `rsmctl mtx -f <url> status` (process start, login, every element);
#   - the wall time of the sequence Bacula's storage daemon runs before a mount decision —
#     `loaded`, `list`, `slots` — through Debian's own mtx-changer script (bacula-sd, unpacked
#     by scripts/install-deps) with rsm-mtx as its mtx (tests/vtl/bacula-sd-env);
#   - the same sequence with an "mtx" that only prints a saved status: the script's own share;
#   - the same through rsmd: a private PostgreSQL and rsmd that manage the library
#     (`rsm-mtx -f vtl status`, and the script with the library's device, which rsm-mtx finds
#     rsmd manages).
# Starts a private library (a tape in drive 0), runs each RUNS times, prints min, median and
# max in ms, and stops the library.
#   bench/mtx.sh BUILD_DIR [RUNS]
set -euo pipefail
build=$(cd "$1" && pwd) runs=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rsm-bench-mtx.XXXXXX)
url=
rsmd_pid=
cleanup() {
    [ -n "$rsmd_pid" ] && kill "$rsmd_pid" 2>/dev/null && wait "$rsmd_pid" 2>/dev/null
    "$root/tests/pg/pg-stop" --dir "$dir/pg" >/dev/null 2>&1
    "$root/tests/vtl/vtl-stop" --dir "$dir/vtl" >/dev/null 2>&1
    if [ -n "$url" ]; then
        rm -f "/run/lock/rsm/mtx-$(printf '%s' "$url" | tr -c 'A-Za-z0-9._-' '_').lock"
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=$("$root/tests/vtl/vtl-start" --dir "$dir/vtl" --port "$port" --slots 10000 --drives 4 \
    --ieports 8 --tapes 200)
rsmctl=$build/src/cli/rsmctl
ln -s "$rsmctl" "$dir/rsm-mtx"
# Drive 0 holds the tape of slot 5 (element 1004), moved without mtx.
"$rsmctl" changer --device "$url" move 1004 500 >/dev/null

# stats NAME TIMES_US...: one line, min / median / max in ms.
stats() {
    local name=$1
    shift
    local sorted n
    sorted=($(printf '%s\n' "$@" | sort -n))
    n=${#sorted[@]}
    printf '%s slots=10000 runs=%d min_ms=%.1f median_ms=%.1f max_ms=%.1f\n' "$name" "$n" \
        "$(echo "${sorted[0]}/1000" | bc -l)" "$(echo "${sorted[$((n / 2))]}/1000" | bc -l)" \
        "$(echo "${sorted[$((n - 1))]}/1000" | bc -l)"
}

# Sanity: the output is the whole library (header, 4 drives, 10,008 slots).
lines=$("$rsmctl" mtx -f "$url" status | wc -l)
[ "$lines" -eq 10013 ] || { echo "bench/mtx.sh: status printed $lines lines, not 10013" >&2; exit 1; }

direct_status() {
    local times=() start end
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$rsmctl" mtx -f "$url" status >/dev/null
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    stats mtx_status "${times[@]}"
}

# The Bacula sequence, timed inside one bacula-sd-env namespace (its set-up is not counted):
# one line per run, "loaded_us list_us slots_us total_us".
#   bacula_sequence NAME MTX-PROGRAM
bacula_sequence() {
    local name=$1 mtx=$2
    "$root/tests/vtl/bacula-sd-env" --mtx "$mtx" -- bash -c '
        set -euo pipefail
        url=$1 runs=$2
        changer=/etc/bacula/scripts/mtx-changer
        # The answers must be right before they are timed.
        [ "$("$changer" "$url" loaded 0 /dev/nst0 0)" = 5 ]
        [ "$("$changer" "$url" slots 0 /dev/nst0 0)" = 10008 ]
        [ "$("$changer" "$url" list 0 /dev/nst0 0 | wc -l)" -eq 200 ]
        for _ in $(seq "$runs"); do
            t0=$(date +%s%N)
            "$changer" "$url" loaded 0 /dev/nst0 0 >/dev/null
            t1=$(date +%s%N)
            "$changer" "$url" list 0 /dev/nst0 0 >/dev/null
            t2=$(date +%s%N)
            "$changer" "$url" slots 0 /dev/nst0 0 >/dev/null
            t3=$(date +%s%N)
            echo $(((t1 - t0) / 1000)) $(((t2 - t1) / 1000)) $(((t3 - t2) / 1000)) $(((t3 - t0) / 1000))
        done' bacula-sequence "$url" "$runs" >"$dir/$name.times"
    stats "${name}_loaded" $(cut -d' ' -f1 "$dir/$name.times")
    stats "${name}_list" $(cut -d' ' -f2 "$dir/$name.times")
    stats "${name}_slots" $(cut -d' ' -f3 "$dir/$name.times")
    stats "${name}_loaded_list_slots" $(cut -d' ' -f4 "$dir/$name.times")
}

# The script's own share: the same sequence with an "mtx" that prints a saved status.
script_only() {
    "$rsmctl" mtx -f "$url" status >"$dir/status.txt"
    printf '#!/bin/sh\nexec cat %s\n' "$dir/status.txt" >"$dir/saved-status"
    chmod 755 "$dir/saved-status"
    bacula_sequence bacula_saved_status "$dir/saved-status"
}

# ---- through rsmd -----------------------------------------------------------------------------
# The same two measurements with `-f LIBRARY-NAME`, the command queued in rsmd behind other
# robot work (rsmd, its database and `rsmctl library add` of this library set up here), printed
# with stats as mtx_status_rsmd and, through `bacula_sequence bacula_rsmd <program>` with a
# program that runs `rsm-mtx -f LIBRARY-NAME`, bacula_rsmd_*.
through_rsmd() {
    "$root/tests/pg/pg-start" --dir "$dir/pg" >/dev/null
    . "$dir/pg/pg.env"
    "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" rsm_bench_mtx
    cat >"$dir/rsmd.conf" <<CONF
[rsmd]
database = "host=$PGHOST port=$PGPORT user=$PGUSER dbname=rsm_bench_mtx"
socket = $dir/rsmd.sock
socket_mode = 0666
socket_group =
schema_dir = $root/schema
log_level = warning
CONF
    "$build/src/daemon/rsmd" --config "$dir/rsmd.conf" 2>"$dir/rsmd.log" &
    rsmd_pid=$!
    for _ in $(seq 300); do [ -S "$dir/rsmd.sock" ] && break; sleep 0.1; done
    export RSM_SOCKET=$dir/rsmd.sock
    "$rsmctl" library add vtl "$url" >/dev/null
    "$rsmctl" inventory vtl >/dev/null
    # The same bytes as the direct path but the header's device name.
    cmp <("$rsmctl" mtx -f vtl status | tail -n +2) <("$rsmctl" mtx -f "$url" status | tail -n +2)
    local times=() start end
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$rsmctl" mtx -f vtl status >/dev/null
        end=$(date +%s%N)
        times+=($(((end - start) / 1000)))
    done
    stats mtx_status_rsmd "${times[@]}"
    # mtx-changer names the library by its device; rsm-mtx finds that rsmd manages it.
    printf '#!/bin/sh\nRSM_SOCKET=%s exec %s mtx "$@"\n' "$RSM_SOCKET" "$rsmctl" >"$dir/rsm-mtx-rsmd"
    chmod 755 "$dir/rsm-mtx-rsmd"
    bacula_sequence bacula_rsmd "$dir/rsm-mtx-rsmd"
    kill "$rsmd_pid" && wait "$rsmd_pid" 2>/dev/null || true
    rsmd_pid=
    "$root/tests/pg/pg-stop" --dir "$dir/pg" >/dev/null 2>&1
}
# ---------------------------------------------------------------------------------------------

direct_status
bacula_sequence bacula "$dir/rsm-mtx"
script_only
through_rsmd
