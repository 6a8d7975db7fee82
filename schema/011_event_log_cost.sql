-- rsm schema, version 11 (issue 16): an event log that costs writers less.
--
-- 1. The event log wakes no one. Schema 2 made every statement that adds to the log NOTIFY
--    channel rsm_events. A transaction that notifies takes PostgreSQL's one notification-queue
--    lock at commit and holds it until its commit is done, so every writing transaction of the
--    server waited for the others: with 32 clients swapping through rsmd, 2,233 swaps/s with
--    it and 2,884 without (p99 30 -> 18 ms; docs/benchmarks.md). rsmd wakes its own event
--    feed after its commits now, and looks at the log every 200 ms for changes made by others.
-- 2. Logical media are logged once per statement, as schema 4 did for media, sides and drives:
--    a swap (one UPDATE of two rows) runs one trigger and one INSERT into the log instead of
--    two of each (32 swapping clients, alternated runs: 2,537-3,263 swaps/s with it against
--    2,761-2,943 with the row trigger; docs/benchmarks.md). The events are the same: one per
--    inserted, deleted or changed row, with the whole row.
DROP TRIGGER event_log_notify ON event_log;
DROP FUNCTION rsm_notify_events();

DROP TRIGGER logical_media_log ON logical_media;
CREATE TRIGGER logical_media_log_insert AFTER INSERT ON logical_media
    REFERENCING NEW TABLE AS rsm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows('logical_media');
CREATE TRIGGER logical_media_log_update AFTER UPDATE ON logical_media
    REFERENCING OLD TABLE AS rsm_old_rows NEW TABLE AS rsm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows('logical_media');
CREATE TRIGGER logical_media_log_delete AFTER DELETE ON logical_media
    REFERENCING OLD TABLE AS rsm_old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows('logical_media');

-- 3. The statement-level log names its principal and transaction once per statement rather
--    than once per row (the columns' defaults, rsm_principal() and txid_current(), ran for
--    each of the 18,000 rows of a full library's first inventory): 616 -> 524 ms of database
--    time for that inventory (bench/inventory.sh, median of 3). The values are the same.
CREATE OR REPLACE FUNCTION rsm_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    who text := rsm_principal();
    tx  bigint := txid_current();
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO event_log (object_kind, object_id, op, principal, txid, data)
        SELECT TG_ARGV[0], n.id, 'insert', who, tx, to_jsonb(n) FROM rsm_new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
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
