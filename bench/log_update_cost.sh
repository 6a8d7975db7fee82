#!/usr/bin/env bash
# What the event log's trigger costs a one-row UPDATE of a side (as an allocation, a mount or a
# swap's neighbours make them), from PostgreSQL's own function statistics (track_functions):
#   bench/log_update_cost.sh [SCHEMA_DIR] [ROUNDS]
# A private server with the schema applied by psql gets 1,000 media with a side each, every
# side then updated once (as rows are after their first change); each round then makes 3,000
# one-row UPDATEs of a side in one transaction and prints the mean time per call of each
# PL/pgSQL function the UPDATEs ran. SCHEMA_DIR (default schema/) may be a copy without the
# newest migration, to compare.
set -euo pipefail
# shellcheck source=bench/schema_db.sh
. "$(dirname "$0")/schema_db.sh"
schema=${1:-$root/schema} rounds=${2:-3}
schema_db rsm_logcost "$schema"
sql -d rsm_logcost <<'SQL'
SET default_transaction_isolation = serializable; -- as rsm writes media (schema 21)
INSERT INTO media_type (name) VALUES ('LTO-5');
INSERT INTO pool (name, media_type_id, kind) SELECT 'free:LTO-5', id, 0 FROM media_type;
INSERT INTO library (name, kind, device) VALUES ('robot', 1, 'bench');
INSERT INTO slot (library_id, address) SELECT l.id, g FROM library l, generate_series(1, 1000) g
    WHERE l.name = 'robot';
INSERT INTO physical_media (barcode, media_type_id, pool_id, library_id, library_kind,
    location, slot_id, home_slot_id)
    SELECT 'B' || s.address, t.id, p.id, s.library_id, 1, 1, s.id, s.id
    FROM slot s, media_type t, pool p;
INSERT INTO side (media_id, number, state) SELECT id, 0, 4 FROM physical_media;
CREATE TABLE ids AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM side;
UPDATE side SET mount_count = 1;
SQL
for r in $(seq 1 "$rounds"); do
    printf 'round %s: ' "$r"
    sql -d rsm_logcost -At <<'SQL'
SET track_functions = 'pl';
BEGIN;
DO $$
DECLARE
    a uuid[] := ARRAY(SELECT id FROM ids ORDER BY n);
BEGIN
    FOR i IN 1..3000 LOOP
        UPDATE side SET mount_count = mount_count + 1 WHERE id = a[1 + i % 1000];
    END LOOP;
END $$;
SELECT string_agg(funcname || ' ' || calls || ' calls ' ||
                  round((total_time * 1000 / calls)::numeric, 1) || ' us/call', ', '
                  ORDER BY funcname)
FROM pg_stat_xact_user_functions;
COMMIT;
SQL
done
