#!/usr/bin/env bash
# The robot path through rsmd, on a 10,000-slot tgtd virtual library over iSCSI on 127.0.0.1:
#   - database transactions per `rsmctl mount` and per `rsmctl dismount` of a cartridge on an
#     idle library, counted by the server: every statement is logged with its virtual
#     transaction id (log_statement = all, %v), and the distinct ids between the command's
#     start and end are its transactions (the whole command: session, request, robot work);
#   - iSCSI logins to the changer (connect() calls of rsmd to the target's port, traced with
#     strace) over the same mounts and dismounts;
#   - `rsm-mtx -f LIBRARY status` through rsmd (mtx.status: the text rsmd keeps with the
#     library worker's element map) against Debian's mtx 1.3.12 on the same library (through
#     the SG_IO shim tests/mtx/golden/sg_iscsi_shim.c, as the golden recordings): byte-identical
#     output but the header's device name (with and without barcodes), and the median time of
#     each (hyperfine, no shell, alternating rounds) as a ratio; and /bin/true's, the floor.
#   bench/robot_path.sh BUILD_DIR [RUNS]
set -euo pipefail
build=$(cd "$1" && pwd) runs=${2:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/rsm-bench-path.XXXXXX)
chmod 755 "$dir"
rsmd_pid= strace_pid=
cleanup() {
    [ -n "$strace_pid" ] && kill "$strace_pid" 2>/dev/null
    [ -n "$rsmd_pid" ] && kill "$rsmd_pid" 2>/dev/null && wait "$rsmd_pid" 2>/dev/null
    "$root/tests/pg/pg-stop" --dir "$dir/pg" >/dev/null 2>&1
    "$root/tests/vtl/vtl-stop" --dir "$dir/vtl" >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
command -v strace >/dev/null || apt-get install -y -qq strace >/dev/null
rsmctl=$build/src/cli/rsmctl

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=$("$root/tests/vtl/vtl-start" --dir "$dir/vtl" --port "$port" --slots 10000 --drives 4 \
    --ieports 8 --tapes 40)

"$root/tests/pg/pg-start" --dir "$dir/pg" >/dev/null
# shellcheck disable=SC1091
. "$dir/pg/pg.env"
psql() { "$PG_BIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -X -q -t -A "$@"; }
"$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" rsm_bench_path
cat >"$dir/rsmd.conf" <<CONF
[rsmd]
database = "host=$PGHOST port=$PGPORT user=$PGUSER dbname=rsm_bench_path"
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
"$rsmctl" library inventory vtl >/dev/null
"$rsmctl" pool create backup --type LTO-5 >/dev/null
for i in $(seq -f %03g 1 "$runs"); do
    "$rsmctl" move-to-pool "SMC${i}L5" free:LTO-5 >/dev/null
    "$rsmctl" allocate backup --name "b$i" >/dev/null
done

# Every statement from here on, with its virtual transaction id.
psql -d rsm_bench_path -c "ALTER SYSTEM SET log_statement = 'all'" \
    -c "ALTER SYSTEM SET log_line_prefix = '@@ %v %a @@ '" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
log=$dir/pg/postgres.log
strace -f -qq -e trace=connect -p "$rsmd_pid" -o "$dir/connects" &
strace_pid=$!
sleep 1

# transactions FROM_LINE: the distinct virtual transaction ids logged after line FROM_LINE
# (statements of this benchmark's own psql excluded).
transactions() {
    tail -n +"$(($1 + 1))" "$log" | grep -v ' psql @@' |
        sed -n 's/^.*@@ \([0-9]*\/[0-9]*\) .*@@ .*$/\1/p' | sort -u | wc -l
}
# median VALUES...
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

mount_tx=() dismount_tx=()
for i in $(seq -f %03g 1 "$runs"); do
    from=$(wc -l <"$log")
    "$rsmctl" mount "b$i" >/dev/null
    sleep 0.3
    mount_tx+=("$(transactions "$from")")
    from=$(wc -l <"$log")
    "$rsmctl" dismount "b$i" >/dev/null
    sleep 0.3
    dismount_tx+=("$(transactions "$from")")
done
kill "$strace_pid" && wait "$strace_pid" 2>/dev/null || true
strace_pid=
logins=$(grep -c "sin_port=htons($port)" "$dir/connects" || true)
echo "mount_transactions runs=$runs min=$(printf '%s\n' "${mount_tx[@]}" | sort -n | head -1)" \
    "median=$(median "${mount_tx[@]}") max=$(printf '%s\n' "${mount_tx[@]}" | sort -n | tail -1)"
echo "dismount_transactions runs=$runs min=$(printf '%s\n' "${dismount_tx[@]}" | sort -n | head -1)" \
    "median=$(median "${dismount_tx[@]}") max=$(printf '%s\n' "${dismount_tx[@]}" | sort -n | tail -1)"
echo "changer_logins mounts=$runs dismounts=$runs connects=$logins"
psql -d rsm_bench_path -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null

# ---- mtx status through rsmd against Debian's mtx ---------------------------------------------
gcc -shared -fPIC -O2 -o "$dir/sg_iscsi_shim.so" "$root/tests/mtx/golden/sg_iscsi_shim.c" \
    -liscsi -ldl
fake=$dir/sg-changer
mtx_debian() { FAKE_SG=$fake FAKE_SG_URL=$url LD_PRELOAD=$dir/sg_iscsi_shim.so /usr/sbin/mtx -f "$fake" "$@"; }
rsm_mtx=$build/src/cli/rsm-mtx
cmp <(mtx_debian status | tail -n +2) <("$rsm_mtx" -f vtl status | tail -n +2)
cmp <(mtx_debian nobarcode status | tail -n +2) <("$rsm_mtx" -f vtl nobarcode status | tail -n +2)
# Both timed by hyperfine without a shell (-N), in five alternating rounds of RUNS each (a busy
# machine slows both alike); Debian mtx with the shim in its environment (hyperfine runs it
# with its own environment: no wrapper process is timed), rsm-mtx without it.
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
# times JSON: the run times of hyperfine's export, in microseconds, one per line.
times() { python3 -c 'import json,sys; [print(round(t*1e6)) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' "$1"; }
times_debian=() times_rsmd=() times_true=()
for _ in 1 2 3 4 5; do
    FAKE_SG=$fake FAKE_SG_URL=$url LD_PRELOAD=$dir/sg_iscsi_shim.so hyperfine -N -w 3 -r "$runs" \
        --export-json "$dir/h.json" "/usr/sbin/mtx -f $fake status" >/dev/null 2>&1
    times_debian+=($(times "$dir/h.json"))
    hyperfine -N -w 3 -r "$runs" --export-json "$dir/h.json" "$rsm_mtx -f vtl status" >/dev/null 2>&1
    times_rsmd+=($(times "$dir/h.json"))
    hyperfine -N -w 3 -r "$runs" --export-json "$dir/h.json" /bin/true >/dev/null 2>&1
    times_true+=($(times "$dir/h.json"))
done
d=$(median "${times_debian[@]}") r=$(median "${times_rsmd[@]}") t=$(median "${times_true[@]}")
printf 'mtx_status slots=10000 runs=%d debian_mtx_median_ms=%.2f rsm_mtx_rsmd_median_ms=%.2f ratio=%.2f\n' \
    "$((runs * 5))" "$(echo "$d/1000" | bc -l)" "$(echo "$r/1000" | bc -l)" "$(echo "$r/$d" | bc -l)"
# What a process that does nothing costs here (the floor of both figures).
printf 'process_floor runs=%d bin_true_median_ms=%.2f\n' "$((runs * 5))" "$(echo "$t/1000" | bc -l)"
