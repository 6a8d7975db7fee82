# shellcheck shell=bash
# Sourced by the rsmd benchmarks. start_rsmd DIR RSMD ROOT — a database rsm_bench on the
# private PostgreSQL whose pg.env is sourced already, and the rsmd binary RSMD on it (8 handler
# threads, 8 database connections, log level warning, socket DIR/rsmd.sock, log DIR/rsmd.log),
# waited for; sets rsmd_pid.
start_rsmd() {
    local dir=$1 rsmd=$2 root=$3
    "$PG_BIN/createdb" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" rsm_bench
    cat >"$dir/rsmd.conf" <<CONF
[rsmd]
database = "host=$PGHOST port=$PGPORT user=$PGUSER dbname=rsm_bench"
socket = $dir/rsmd.sock
socket_group =
schema_dir = $root/schema
log_level = warning
workers = 8
db_connections = 8
CONF
    "$rsmd" --config "$dir/rsmd.conf" 2>"$dir/rsmd.log" &
    # shellcheck disable=SC2034 # read by the sourcing script
    rsmd_pid=$!
    for _ in $(seq 300); do [ -S "$dir/rsmd.sock" ] && break; sleep 0.1; done
}

# stop_rsmd: stops the rsmd of start_rsmd (rsmd_pid) and the private PostgreSQL whose
# directory is DIR/pg (the sourcing script's $dir), removes DIR, and clears both; for the
# script's EXIT trap and between its runs.
stop_rsmd() {
    [ -n "${rsmd_pid:-}" ] && kill "$rsmd_pid" 2>/dev/null && wait "$rsmd_pid" 2>/dev/null
    rsmd_pid=
    if [ -n "${dir:-}" ]; then
        "$root/tests/pg/pg-stop" --dir "$dir/pg" >/dev/null 2>&1
        rm -rf "$dir"
    fi
    dir=
}

# add_lmids COUNT: COUNT more LMIDs in the database rsm_bench (when COUNT > 0), in the same
# pool and place as the LMID named l0 that bench-rsmd seeded (copies of its medium and side,
# labelled, one allocated side each, as rsm makes them), then ANALYZE.
add_lmids() {
    local count=$1
    [ "$count" -gt 0 ] || return 0
    "$PG_BIN/psql" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -X -q -v ON_ERROR_STOP=1 -d rsm_bench <<SQL >/dev/null
BEGIN ISOLATION LEVEL SERIALIZABLE;  -- as rsm adds media (schema 21)
CREATE TEMP TABLE filler ON COMMIT DROP AS
    SELECT g, gen_random_uuid() AS media_id, gen_random_uuid() AS side_id
    FROM generate_series(1, $count) g;
INSERT INTO physical_media (id, barcode, media_type_id, pool_id, library_id, library_kind,
                            location, state, side_count)
    SELECT f.media_id, 'F' || lpad(f.g::text, 7, '0'), m.media_type_id, m.pool_id,
           m.library_id, m.library_kind, m.location, m.state, m.side_count
    FROM filler f, logical_media l JOIN side s ON s.id = l.side_id
                   JOIN physical_media m ON m.id = s.media_id
    WHERE l.name = 'l0';
INSERT INTO side (id, media_id, number, state, label_type, label_id, allocate_count)
    SELECT f.side_id, f.media_id, 0, s.state, s.label_type, 'F' || lpad(f.g::text, 7, '0'), 1
    FROM filler f, logical_media l JOIN side s ON s.id = l.side_id WHERE l.name = 'l0';
INSERT INTO logical_media (side_id, name)
    SELECT f.side_id, 'f' || f.g FROM filler f;
COMMIT;
ANALYZE;
SQL
}
