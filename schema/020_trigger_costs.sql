-- rsm schema, version 20 (issue 16): triggers that cost an inventory less.
--
-- 0. The event log of an UPDATE (rsm_log_rows, schema 4 and 11) joins the statement's old and
--    new rows by id. PL/pgSQL keeps the plan of that join for the connection, and once it had
--    planned it for updates of a row or two (a swap, a mount: rsmd's connections make
--    thousands) it kept a nested loop: the next inventory's UPDATE of 3,000 media then spent
--    5 to 6 s in its log instead of 0.2 s, and of 9,000 media 45 s instead of 0.5 s
--    (bench/inventory_triggers.sh: eight one-row updates on the same connection first). The
--    function now plans without nested loops: a hash join, whatever the plan was made for.
ALTER FUNCTION rsm_log_rows() SET enable_nestloop = off;

-- 1. A medium of a WORM media type is WORM from the start, whichever way it is added. Schema
--    17 ran a PL/pgSQL function and a query for each inserted medium (BEFORE INSERT, FOR EACH
--    ROW): 9,000 of each in the first inventory of a full library, 46-71 ms (EXPLAIN ANALYZE,
--    bench/inventory_triggers.sh). Now one statement per INSERT marks the new media whose type
--    is WORM (under 1 ms), from the statement's transition table: the insert's event shows the
--    row as inserted, an update event the mark.
-- 2. A change of a medium's type re-reads its type's WORM flag only when the type changes (an
--    inventory's UPDATE names every column), and a medium leaves its vault's rotation only
--    when it comes from the shelf while in a vault: both conditions are now the triggers' WHEN,
--    checked without calling a function.
DROP TRIGGER physical_media_worm ON physical_media;

-- The UPDATE runs only when one is WORM: its plan is kept for the connection too (rsmd's
-- connections plan each statement once, PgStore), and whatever it was made for, a statement
-- that adds no WORM medium reads only its own new rows and their types, and only where a WORM
-- media type exists.
CREATE FUNCTION rsm_media_worm_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM media_type WHERE worm)
       AND EXISTS (SELECT 1 FROM rsm_new_rows n JOIN media_type t ON t.id = n.media_type_id
                   WHERE t.worm AND NOT n.worm) THEN
        UPDATE physical_media p SET worm = true
        FROM rsm_new_rows n JOIN media_type t ON t.id = n.media_type_id
        WHERE p.id = n.id AND t.worm AND NOT n.worm;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER physical_media_worm_insert AFTER INSERT ON physical_media
    REFERENCING NEW TABLE AS rsm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_media_worm_rows();
CREATE TRIGGER physical_media_worm BEFORE UPDATE OF media_type_id ON physical_media
    FOR EACH ROW WHEN (OLD.media_type_id IS DISTINCT FROM NEW.media_type_id)
    EXECUTE FUNCTION rsm_media_worm();

DROP TRIGGER physical_media_leave_vault ON physical_media;
CREATE TRIGGER physical_media_leave_vault BEFORE UPDATE OF library_id, library_kind
    ON physical_media FOR EACH ROW
    WHEN (OLD.vault_id IS NOT NULL AND OLD.library_kind = 0 AND NEW.library_kind <> 0)
    EXECUTE FUNCTION rsm_leave_vault();
