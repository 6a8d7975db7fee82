#!/usr/bin/env bash
# mtx compatibility on a 10,000-slot tgtd virtual library over iSCSI on 127.0.0.1:
#   - `mtx status` against Debian's mtx 1.3.12 on the same library, in the same run: Debian's
#     mtx through tests/mtx/golden/sg_iscsi_shim.c (an LD_PRELOAD library that makes a path an
#     sg node and sends its SG_IO through libiscsi, as record-tgtd does for the golden
#     transcripts); rsm-mtx on the iSCSI URL (its own transport); rsm-mtx on a fake /dev/sg path
#     through the same shim (rsm's sg/ path over libsgutils2); `rsmctl mtx`; and `rsmctl
#     changer status` (every element as a table). Each run times them one after the other
#     (interleaved, so that a busy machine slows them alike) from the shell ($EPOCHREALTIME: no
#     process of its own); the outputs are checked byte for byte against Debian's mtx first.
#     Prints each one's min / median / max and the ratio of its median to Debian mtx's;
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
# The fake sg node of the shim (nothing is created there; the shim answers for the path).
fake_sg=/dev/sg-rsm-bench-$$
lock_file() { printf '/run/lock/rsm/mtx-%s.lock' "$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_')"; }
cleanup() {
    [ -n "$rsmd_pid" ] && kill "$rsmd_pid" 2>/dev/null && wait "$rsmd_pid" 2>/dev/null
    "$root/tests/pg/pg-stop" --dir "$dir/pg" >/dev/null 2>&1
    "$root/tests/vtl/vtl-stop" --dir "$dir/vtl" >/dev/null 2>&1
    if [ -n "$url" ]; then
        rm -f "$(lock_file "$url")"
    fi
    rm -f "$(lock_file "$fake_sg")"
    rm -rf "$dir"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=$("$root/tests/vtl/vtl-start" --dir "$dir/vtl" --port "$port" --slots 10000 --drives 4 \
    --ieports 8 --tapes 200)
rsmctl=$build/src/cli/rsmctl
rsm_mtx=$build/src/cli/rsm-mtx
ln -s "$rsm_mtx" "$dir/rsm-mtx"
# Drive 0 holds the tape of slot 5 (element 1004), moved without mtx.
"$rsmctl" changer --device "$url" move 1004 500 >/dev/null

declare -A median_us
# stats NAME TIMES_US...: one line, min / median / max in ms; the median kept in median_us.
stats() {
    local name=$1
    shift
    local sorted n
    sorted=($(printf '%s\n' "$@" | sort -n))
    n=${#sorted[@]}
    median_us[$name]=${sorted[$((n / 2))]}
    printf '%s slots=10000 runs=%d min_ms=%.1f median_ms=%.1f max_ms=%.1f\n' "$name" "$n" \
        "$(echo "${sorted[0]}/1000" | bc -l)" "$(echo "${sorted[$((n / 2))]}/1000" | bc -l)" \
        "$(echo "${sorted[$((n - 1))]}/1000" | bc -l)"
}

# ratio NAME BASE: the median of NAME over that of BASE.
ratio() {
    printf 'ratio %s/%s=%.2f\n' "$1" "$2" "$(echo "${median_us[$1]}/${median_us[$2]}" | bc -l)"
}

# Debian's mtx reaches the library through the shim: open() of $FAKE_SG logs in to
# $FAKE_SG_URL, and SG_IO on that descriptor runs through libiscsi.
shim=$dir/sg_iscsi_shim.so
gcc -shared -fPIC -o "$shim" "$root/tests/mtx/golden/sg_iscsi_shim.c" -liscsi -ldl
debian_mtx() { FAKE_SG=$url FAKE_SG_URL=$url LD_PRELOAD=$shim /usr/sbin/mtx "$@"; }
# rsm's mtx mode on a fake sg node through the same shim: SgTransport and libsgutils2, not
# libiscsi. rsmctl's (`rsmctl mtx`, the same mtx mode): rsm-mtx is linked statically, so an
# LD_PRELOAD shim cannot reach its open() and ioctl().
rsm_mtx_sg() { FAKE_SG=$fake_sg FAKE_SG_URL=$url LD_PRELOAD=$shim "$rsmctl" mtx "$@"; }
debian_mtx_sg() { FAKE_SG=$fake_sg FAKE_SG_URL=$url LD_PRELOAD=$shim /usr/sbin/mtx "$@"; }

# Sanity: the whole library (header, 4 drives, 10,008 slots), and Debian mtx's bytes.
debian_mtx -f "$url" status >"$dir/debian.txt"
lines=$(wc -l <"$dir/debian.txt")
[ "$lines" -eq 10013 ] || { echo "bench/mtx.sh: mtx status printed $lines lines, not 10013" >&2; exit 1; }
same() { cmp -s "$dir/debian.txt" - || { echo "bench/mtx.sh: $1 differs from Debian's mtx" >&2; exit 1; }; }
"$rsm_mtx" -f "$url" status | same "rsm-mtx -f <url> status"
"$rsmctl" mtx -f "$url" status | same "rsmctl mtx -f <url> status"
debian_mtx_sg -f "$fake_sg" status >"$dir/debian.txt"
rsm_mtx_sg -f "$fake_sg" status | same "rsmctl mtx -f <fake sg node> status"

# timed NAME COMMAND...: appends COMMAND's wall time in us to times_NAME.
timed() {
    local name=$1 start end
    shift
    start=$EPOCHREALTIME
    "$@" >/dev/null
    end=$EPOCHREALTIME
    eval "times_$name+=($((10#${end/./} - 10#${start/./})))"
}

direct_status() {
    times_debian=() times_rsm=() times_rsm_sg=() times_rsmctl=() times_changer=()
    for _ in $(seq "$runs"); do
        timed debian debian_mtx -f "$url" status
        timed rsm "$rsm_mtx" -f "$url" status
        timed rsm_sg rsm_mtx_sg -f "$fake_sg" status
        timed rsmctl "$rsmctl" mtx -f "$url" status
        timed changer "$rsmctl" changer --device "$url" status
    done
    stats debian_mtx_status "${times_debian[@]}"
    stats rsm_mtx_status "${times_rsm[@]}"
    stats rsmctl_mtx_status_sg "${times_rsm_sg[@]}"
    stats rsmctl_mtx_status "${times_rsmctl[@]}"
    stats rsmctl_changer_status "${times_changer[@]}"
    ratio rsm_mtx_status debian_mtx_status
    ratio rsmctl_mtx_status_sg debian_mtx_status
    ratio rsmctl_mtx_status debian_mtx_status
    ratio rsmctl_changer_status debian_mtx_status
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
    "$rsm_mtx" -f "$url" status >"$dir/status.txt"
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
ratio mtx_status_rsmd debian_mtx_status
