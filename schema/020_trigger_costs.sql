-- rsm schema, version 20 (issue 16): triggers that cost an inventory less.
--
-- 0. The event log of an UPDATE (rsm_log_rows, schema 4 and 11) joins the statement's old and
--    new rows by id. PL/pgSQL keeps the plan of that join for the connection, and once it had
--    planned it for updates of a row or two (a swap, a mount: rsmd's connections make
--    thousands) it kept a nested loop: the next inventory's UPDATE of 3,000 media then spent
--    5.6 s in its log instead of 0.12 s, and 9,000 would take about a minute (EXPLAIN ANALYZE
--    after eight one-row updates on the same connection). The function now plans without
--    nested loops: a hash join, whatever the plan was first made for.
ALTER FUNCTION rsm_log_rows() SET enable_nestloop = off;

-- 1. A medium of a WORM media type is WORM from the start, whichever way it is added. Schema
--    17 ran a PL/pgSQL function and a query for each inserted medium (BEFORE INSERT, FOR EACH
--    ROW): 9,000 of each in the first inventory of a full library, 67 ms of its ~1.1 s
--    (EXPLAIN ANALYZE of the INSERT, on the afternoon's slower machine). Now one statement per
--    INSERT marks the new media whose type is WORM (2 ms), from the statement's transition
--    table: the insert's event shows the row as inserted, an update event the mark.
-- 2. A change of a medium's type re-reads its type's WORM flag only when the type changes (an
--    inventory's UPDATE names every column), and a medium leaves its vault's rotation only
--    when it comes from the shelf while in a vault: both conditions are now the triggers' WHEN,
--    checked without calling a function.
DROP TRIGGER physical_media_worm ON physical_media;

CREATE FUNCTION rsm_media_worm_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE physical_media p SET worm = true
    FROM rsm_new_rows n JOIN media_type t ON t.id = n.media_type_id
    WHERE p.id = n.id AND t.worm AND NOT n.worm;
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
