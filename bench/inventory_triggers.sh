#!/usr/bin/env bash
# What each trigger and foreign key costs an inventory's statements, from PostgreSQL's own
# EXPLAIN ANALYZE (per-trigger times), on a private server with the schema applied by psql:
#   bench/inventory_triggers.sh [SCHEMA_DIR] [UPDATED]
# A library of 10,000 slots gets 9,000 media and their sides in two INSERTs (as a first
# inventory adds them); then, on the same connection, eight one-row updates of a medium (as a
# swap or a mount makes them), and one UPDATE of UPDATED media (default 3000) naming the
# columns an inventory's UPDATE names. Prints each statement's trigger lines and execution time,
# and the time of reading the two INSERTs' events back as the event feed reads them.
# SCHEMA_DIR (default schema/) may be a copy with one more migration, to compare.
set -euo pipefail
# shellcheck source=bench/schema_db.sh
. "$(dirname "$0")/schema_db.sh"
schema=${1:-$root/schema} updated=${2:-3000}
schema_db rsm_triggers "$schema"
small=''
for i in 1 2 3 4 5 6 7 8; do
    small+="UPDATE physical_media SET name = 'small$i' WHERE id = (SELECT id FROM nm OFFSET $((8000 + i)) LIMIT 1);"$'\n'
done
sql -d rsm_triggers <<SQL | grep -E '^ *(Insert|Update) on|^Read|Trigger|Execution Time'
SET jit = off;
SET default_transaction_isolation = serializable; -- as rsm writes media (schema 21)
INSERT INTO media_type (name) VALUES ('LTO-5');
INSERT INTO pool (name, media_type_id, kind) SELECT 'free:LTO-5', id, 0 FROM media_type;
INSERT INTO library (name, kind, device) VALUES ('robot', 1, 'bench');
INSERT INTO slot (library_id, address) SELECT id, g FROM library, generate_series(1, 10000) g
    WHERE name = 'robot';
CREATE TABLE nm AS SELECT gen_random_uuid() AS id, s.id AS slot_id, s.library_id, s.address
    FROM slot s ORDER BY address LIMIT 9000;
CHECKPOINT;
BEGIN;
EXPLAIN (ANALYZE) INSERT INTO physical_media (id, barcode, media_type_id, pool_id, library_id,
    library_kind, location, slot_id, home_slot_id)
    SELECT n.id, 'B' || lpad(n.address::text, 5, '0') || 'L5', t.id, p.id, n.library_id, 1, 1,
        n.slot_id, n.slot_id FROM nm n, media_type t, pool p;
EXPLAIN (ANALYZE) INSERT INTO side (id, media_id, number, state)
    SELECT gen_random_uuid(), id, 0, 4 FROM nm;
COMMIT;
-- What reading the new rows' 18,000 events costs (as rsmd's event feed reads them, with data as
-- text): from event_log_full where the schema has it (schema 22: empty insert events are read
-- from their rows), else from event_log.
SELECT to_regclass('event_log_full') IS NOT NULL AS lazy \gset
\echo Read of the events as text:
\if :lazy
EXPLAIN (ANALYZE) SELECT count(data::text) FROM event_log_full;
\else
EXPLAIN (ANALYZE) SELECT count(data::text) FROM event_log;
\endif
$small
BEGIN;
EXPLAIN (ANALYZE) UPDATE physical_media p SET name = p.name || 'x',
    media_type_id = p.media_type_id, library_id = p.library_id, library_kind = p.library_kind
    FROM (SELECT id FROM nm LIMIT $updated) u WHERE p.id = u.id;
COMMIT;
SQL
