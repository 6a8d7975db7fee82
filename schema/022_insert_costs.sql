-- rsm schema, version 22 (issue 16): what an inventory's INSERTs cost. The insert events of
-- media and sides are written without their JSON, which is filled in when the row first
-- changes; and a medium's NULL drive and I/E port are no longer indexed.
--
-- A first inventory of a full library inserts 9,000 media and their 9,000 sides in two
-- statements. Building a JSON document of each new row for the log was most of those two
-- statements' time: the log's triggers took 238-369 ms of the media's 426-586 ms INSERT and
-- 122-209 ms of the sides' 233-386 ms (bench/inventory_triggers.sh; docs/benchmarks.md).
--
-- 1. An insert event of a medium or a side is logged with data NULL: "the row as it is now".
--    That is true for as long as the row has not changed, so the first UPDATE or DELETE of the
--    row fills the event in with the row as it was (the statement's old rows) in the same
--    transaction, before it logs its own event. Under MVCC a reader that sees an event still
--    empty therefore also sees the row as inserted: a transaction that changed the row and
--    committed before the reader's snapshot also filled the event in.
-- 2. event_log_full is the log as readers see it: every event with its data, the empty ones
--    read from their rows. rsmd's event feed, history and metrics read it.
--    A query that names data many times should compute it once, in a subquery with a LIMIT
--    (PostgreSQL copies a view's expression into each place that names it).
-- 3. The log stays append-only: the one change allowed is filling an empty event in, by the
--    log's own trigger or with the row as it is now; every other UPDATE is refused as before.
-- 4. A migration that adds a column to physical_media or side should first fill the empty
--    events in (SELECT rsm_fill_insert_events()), or their readers will see the new column.
ALTER TABLE event_log ALTER COLUMN data DROP NOT NULL;
ALTER TABLE event_log ADD CONSTRAINT event_log_data_lazy
    CHECK (data IS NOT NULL OR (op = 'insert' AND object_kind IN ('physical_media', 'side')));
-- An object's events, and which of them are empty: the one index both look-ups use (schema 1's
-- index on object_id alone and a second index for the empty events cost an INSERT of 9,000
-- media 10-20 ms more; docs/benchmarks.md).
DROP INDEX event_log_object;
CREATE INDEX event_log_object ON event_log (object_id, (data IS NULL));

-- 5. A medium's drive and I/E port are unique only when set: schema 1's UNIQUE constraints
--    indexed the NULL of every medium not in a drive or port, two index entries per medium an
--    inventory adds for nothing (about 10-20 ms of 9,000 media; docs/benchmarks.md). The
--    indexes keep their names, which errors name.
ALTER TABLE physical_media DROP CONSTRAINT physical_media_drive_id_key,
    DROP CONSTRAINT physical_media_ieport_id_key;
CREATE UNIQUE INDEX physical_media_drive_id_key ON physical_media (drive_id)
    WHERE drive_id IS NOT NULL;
CREATE UNIQUE INDEX physical_media_ieport_id_key ON physical_media (ieport_id)
    WHERE ieport_id IS NOT NULL;

CREATE OR REPLACE FUNCTION rsm_event_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before text := current_setting('rsm.purge_before', true);
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(before, '') <> '' AND OLD.at < before::timestamptz THEN
        RETURN OLD;  -- the retention's purge of an old event
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.data IS NULL AND NEW.data IS NOT NULL
       AND (pg_trigger_depth() > 1
            OR NEW.data = (SELECT f.data FROM event_log_full f WHERE f.seq = OLD.seq))
       AND (NEW.seq, NEW.at, NEW.txid, NEW.object_kind, NEW.object_id, NEW.op, NEW.principal)
           IS NOT DISTINCT FROM
           (OLD.seq, OLD.at, OLD.txid, OLD.object_kind, OLD.object_id, OLD.op, OLD.principal)
    THEN
        RETURN NEW;  -- filled in by the log's trigger, or with the row as it is now
    END IF;
    RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

-- The log as readers see it: an empty insert event's data is its row as it is now. The
-- look-ups are subqueries of the view's own expression, run only for an empty event: a
-- function would be called for every event (PostgreSQL does not inline one with subqueries),
-- and cost a read of the whole log several times what the subqueries do. data_as_logged is
-- the column itself, for conditions that should use an index on it (schema 14).
CREATE VIEW event_log_full AS
    SELECT seq, at, txid, object_kind, object_id, op, principal,
           CASE
               WHEN data IS NOT NULL THEN data
               WHEN object_kind = 'physical_media' THEN
                   (SELECT to_jsonb(m) FROM physical_media m WHERE m.id = object_id)
               WHEN object_kind = 'side' THEN
                   (SELECT to_jsonb(s) FROM side s WHERE s.id = object_id)
           END AS data,
           data AS data_as_logged
    FROM event_log;

-- The log's statement trigger (schemas 4, 11 and 20).
-- - A row is logged empty only when its modified stamp is its created stamp, as both columns'
--   default makes them: every UPDATE sets modified (rsm_touch_modified), so a row whose stamps
--   differ has been changed since its insert and its insert event is full. Only a statement
--   that changes such a row looks for empty events: the others, a mount's or an allocation's
--   update of a row changed before, only test their old rows' stamps: the function costs a
--   one-row UPDATE of a side what it did in schema 21 (bench/log_update_cost.sh).
-- - The ids of those rows select the empty events by index whatever the plan was made for;
--   the join then only meets those, and without nested loops (schema 20) it is a hash join
--   however many rows the statement has.
CREATE OR REPLACE FUNCTION rsm_log_rows() RETURNS trigger LANGUAGE plpgsql
SET enable_nestloop = off AS $$
DECLARE
    who text := rsm_principal();
    tx  bigint := txid_current();
    lazy boolean := TG_ARGV[0] IN ('physical_media', 'side');
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF lazy THEN
            INSERT INTO event_log (object_kind, object_id, op, principal, txid, data)
            SELECT TG_ARGV[0], n.id, 'insert', who, tx,
                   CASE WHEN n.modified <> n.created THEN to_jsonb(n) END
            FROM rsm_new_rows n;
        ELSE
            INSERT INTO event_log (object_kind, object_id, op, principal, txid, data)
            SELECT TG_ARGV[0], n.id, 'insert', who, tx, to_jsonb(n) FROM rsm_new_rows n;
        END IF;
        RETURN NULL;
    END IF;
    IF lazy AND EXISTS (SELECT 1 FROM rsm_old_rows WHERE modified = created) THEN
        UPDATE event_log e SET data = to_jsonb(o)
        FROM rsm_old_rows o
        WHERE e.object_id = ANY (ARRAY(SELECT id FROM rsm_old_rows WHERE modified = created))
          AND e.data IS NULL AND e.object_kind = TG_ARGV[0] AND o.id = e.object_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO event_log (object_kind, object_id, op, principal, txid, data)
        SELECT TG_ARGV[0], o.id, 'delete', who, tx, to_jsonb(o) FROM rsm_old_rows o;
    ELSE
        INSERT INTO event_log (object_kind, object_id, op, principal, txid, data)
        SELECT TG_ARGV[0], n.id, 'update', who, tx, to_jsonb(n)
        FROM rsm_new_rows n JOIN rsm_old_rows o ON o.id = n.id
        WHERE to_jsonb(o) - 'modified' <> to_jsonb(n) - 'modified';
    END IF;
    RETURN NULL;
END $$;

-- Fills every empty insert event in from its row; the number filled. For migrations (4.).
CREATE FUNCTION rsm_fill_insert_events() RETURNS bigint LANGUAGE sql AS $$
    WITH filled AS (
        UPDATE event_log e SET data = f.data FROM event_log_full f
        WHERE e.data IS NULL AND f.seq = e.seq RETURNING 1)
    SELECT count(*) FROM filled
$$;
