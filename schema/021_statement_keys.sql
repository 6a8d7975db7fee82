-- rsm schema, version 21 (issue 16): the references of media and sides checked once per
-- statement.
--
-- PostgreSQL 15 checks a foreign key with one query per inserted row (and calls a trigger per
-- row even for a key left NULL). The first inventory of a full library inserts 9,000 media,
-- each with eight keys (media type, pool, library, slot, home slot, drive, I/E port, vault;
-- the last three NULL for most), then their 9,000 sides with one (the medium): 347 and 60 ms
-- of the two INSERTs (bench/inventory_triggers.sh), against 25 and 28 ms now
-- (docs/benchmarks.md). These nine keys are now kept by triggers, with the same guarantees:
-- * An INSERT checks its new rows with a few queries per statement, from the statement's
--   transition table, at the end of the statement as PostgreSQL's own checks run. As they do,
--   it locks the referenced rows FOR KEY SHARE: a concurrent DELETE of one waits for this
--   transaction, and a DELETE made first makes this check wait, then fail.
-- * An UPDATE checks a key only when it changes (a row trigger whose WHEN is the change), as
--   PostgreSQL does.
-- * The referenced side keeps its actions: a media type, pool, library, slot, drive, I/E
--   port, vault or medium still referenced cannot be deleted (or given another id); a slot's
--   deletion clears the home slot of the media that had it (ON DELETE SET NULL, now one UPDATE
--   per statement rather than one per slot); a library's kind reaches its media (ON UPDATE
--   CASCADE).
-- * The errors are PostgreSQL's: SQLSTATE 23503, the constraints' names and messages, so rsm's
--   error mapping and messages are unchanged.
-- * Isolation. A deletion's check must see the rows that reference what it deletes, including
--   those added by a transaction it waited for. PostgreSQL's own check reads them with a newer
--   snapshot than the transaction's; a trigger cannot. So:
--   - a medium's keys other than its pool, and a side's medium, are written only in
--     SERIALIZABLE transactions, as rsm writes them (inventories, media added, mounts, moves,
--     vaults); their rows are deleted in READ COMMITTED (the check, after its lock waits, takes
--     a new snapshot) or SERIALIZABLE (serializable isolation sees the read-write conflict of a
--     check that misses a concurrent insert, and fails one of the two);
--   - a medium's pool is written in READ COMMITTED transactions too (allocations and
--     deallocations, issue 16's locking), so a pool is deleted only in READ COMMITTED
--     (Engine::deletePool, which locks the pool first).
--   The triggers refuse the other levels, with a hint.
ALTER TABLE physical_media
    DROP CONSTRAINT physical_media_media_type_id_fkey,
    DROP CONSTRAINT physical_media_pool_id_fkey,
    DROP CONSTRAINT physical_media_library_id_library_kind_fkey,
    DROP CONSTRAINT physical_media_slot_id_library_id_fkey,
    DROP CONSTRAINT physical_media_home_slot_id_fkey,
    DROP CONSTRAINT physical_media_drive_id_library_id_fkey,
    DROP CONSTRAINT physical_media_ieport_id_library_id_fkey,
    DROP CONSTRAINT physical_media_vault_id_fkey;
ALTER TABLE side DROP CONSTRAINT side_media_id_fkey;

-- The errors, worded as PostgreSQL's.
CREATE FUNCTION rsm_key_missing(con text, tab text, cols text, val text, parent text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', tab, con
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = con, TABLE = tab,
              DETAIL = format('Key (%s)=(%s) is not present in table "%s".', cols, val, parent);
END $$;
CREATE FUNCTION rsm_key_referenced(con text, parent text, tab text, val text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "%"',
        parent, con, tab
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = con, TABLE = parent,
              DETAIL = format('Key (id)=(%s) is still referenced from table "%s".', val, tab);
END $$;
CREATE FUNCTION rsm_keys_checkable() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') = 'repeatable read' THEN
        RAISE EXCEPTION 'rsm deletes what media and sides reference in READ COMMITTED or '
                        'SERIALIZABLE transactions, not REPEATABLE READ'
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE first.';
    END IF;
END $$;
-- A write that names a key (not one a trigger makes: the library's kind reaching its media).
CREATE FUNCTION rsm_keys_writable() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'serializable' AND pg_trigger_depth() = 1 THEN
        RAISE EXCEPTION 'rsm writes the references of a medium (but its pool) and the medium '
                        'of a side in SERIALIZABLE transactions only'
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE first.';
    END IF;
END $$;

-- A statement's new media. One pass over them finds their distinct media types, pools and
-- libraries (an inventory's media share one of each), each then locked and checked by its
-- key, and counts the other keys they name. Their slots are then locked in one query, which
-- must lock as many as the new media name (a slot holds one medium: physical_media_slot_id_key);
-- the other keys, named by few or none, are locked and checked only when named.
CREATE FUNCTION rsm_media_keys_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
    slots bigint := 0;
    others bigint := 0;
    locked bigint;
BEGIN
    PERFORM rsm_keys_writable();
    FOR k IN SELECT media_type_id, pool_id, library_id, library_kind, count(slot_id) AS slots,
                    count(drive_id) + count(ieport_id) + count(vault_id)
                    + count(home_slot_id) FILTER (WHERE home_slot_id IS DISTINCT FROM slot_id)
                    AS others
             FROM rsm_new_rows GROUP BY 1, 2, 3, 4 LOOP
        PERFORM 1 FROM media_type WHERE id = k.media_type_id FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_media_type_id_fkey', 'physical_media',
                                    'media_type_id', k.media_type_id::text, 'media_type');
        END IF;
        PERFORM 1 FROM pool WHERE id = k.pool_id FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_pool_id_fkey', 'physical_media', 'pool_id',
                                    k.pool_id::text, 'pool');
        END IF;
        PERFORM 1 FROM library WHERE id = k.library_id AND kind = k.library_kind FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_library_id_library_kind_fkey',
                                    'physical_media', 'library_id, library_kind',
                                    k.library_id || ', ' || k.library_kind, 'library');
        END IF;
        slots := slots + k.slots;
        others := others + k.others;
    END LOOP;
    IF slots > 0 THEN
        PERFORM 1 FROM slot s
            WHERE (s.id, s.library_id) IN (SELECT slot_id, library_id FROM rsm_new_rows)
            FOR KEY SHARE OF s;
        GET DIAGNOSTICS locked = ROW_COUNT;
        IF locked < slots THEN
            SELECT n.slot_id || ', ' || n.library_id AS v INTO k FROM rsm_new_rows n
                WHERE n.slot_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM slot s
                                  WHERE s.id = n.slot_id AND s.library_id = n.library_id)
                LIMIT 1;
            PERFORM rsm_key_missing('physical_media_slot_id_library_id_fkey', 'physical_media',
                                    'slot_id, library_id', k.v, 'slot');
        END IF;
    END IF;
    IF others = 0 THEN
        RETURN NULL;
    END IF;
    -- A home slot other than the medium's own slot (which is checked above).
    PERFORM 1 FROM slot s
        WHERE s.id IN (SELECT home_slot_id FROM rsm_new_rows
                       WHERE home_slot_id IS DISTINCT FROM slot_id)
        FOR KEY SHARE OF s;
    SELECT n.home_slot_id AS v INTO k FROM rsm_new_rows n
        WHERE n.home_slot_id IS NOT NULL AND n.home_slot_id IS DISTINCT FROM n.slot_id
          AND NOT EXISTS (SELECT 1 FROM slot s WHERE s.id = n.home_slot_id) LIMIT 1;
    IF FOUND THEN
        PERFORM rsm_key_missing('physical_media_home_slot_id_fkey', 'physical_media',
                                'home_slot_id', k.v::text, 'slot');
    END IF;
    PERFORM 1 FROM drive d
        WHERE (d.id, d.library_id) IN (SELECT drive_id, library_id FROM rsm_new_rows)
        FOR KEY SHARE OF d;
    SELECT n.drive_id || ', ' || n.library_id AS v INTO k FROM rsm_new_rows n
        WHERE n.drive_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM drive d
                          WHERE d.id = n.drive_id AND d.library_id = n.library_id) LIMIT 1;
    IF FOUND THEN
        PERFORM rsm_key_missing('physical_media_drive_id_library_id_fkey', 'physical_media',
                                'drive_id, library_id', k.v, 'drive');
    END IF;
    PERFORM 1 FROM ieport e
        WHERE (e.id, e.library_id) IN (SELECT ieport_id, library_id FROM rsm_new_rows)
        FOR KEY SHARE OF e;
    SELECT n.ieport_id || ', ' || n.library_id AS v INTO k FROM rsm_new_rows n
        WHERE n.ieport_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ieport e
                          WHERE e.id = n.ieport_id AND e.library_id = n.library_id) LIMIT 1;
    IF FOUND THEN
        PERFORM rsm_key_missing('physical_media_ieport_id_library_id_fkey', 'physical_media',
                                'ieport_id, library_id', k.v, 'ieport');
    END IF;
    PERFORM 1 FROM vault v WHERE v.id IN (SELECT vault_id FROM rsm_new_rows) FOR KEY SHARE OF v;
    SELECT n.vault_id AS v INTO k FROM rsm_new_rows n
        WHERE n.vault_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vault v WHERE v.id = n.vault_id)
        LIMIT 1;
    IF FOUND THEN
        PERFORM rsm_key_missing('physical_media_vault_id_fkey', 'physical_media', 'vault_id',
                                k.v::text, 'vault');
    END IF;
    RETURN NULL;
END $$;
-- Named to run before the medium's other AFTER triggers (the event log, WORM): a refused row
-- is refused before it is logged.
CREATE TRIGGER physical_media_keys_insert AFTER INSERT ON physical_media
    REFERENCING NEW TABLE AS rsm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_media_keys_new();

-- A medium whose keys change: the changed ones, as PostgreSQL checks them.
CREATE FUNCTION rsm_media_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rsm_keys_writable();
    IF NEW.media_type_id IS DISTINCT FROM OLD.media_type_id THEN
        PERFORM 1 FROM media_type WHERE id = NEW.media_type_id FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_media_type_id_fkey', 'physical_media',
                                    'media_type_id', NEW.media_type_id::text, 'media_type');
        END IF;
    END IF;
    IF (NEW.library_id, NEW.library_kind) IS DISTINCT FROM (OLD.library_id, OLD.library_kind) THEN
        PERFORM 1 FROM library WHERE id = NEW.library_id AND kind = NEW.library_kind
            FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_library_id_library_kind_fkey',
                                    'physical_media', 'library_id, library_kind',
                                    NEW.library_id || ', ' || NEW.library_kind, 'library');
        END IF;
    END IF;
    IF NEW.slot_id IS NOT NULL
       AND (NEW.slot_id, NEW.library_id) IS DISTINCT FROM (OLD.slot_id, OLD.library_id) THEN
        PERFORM 1 FROM slot WHERE id = NEW.slot_id AND library_id = NEW.library_id
            FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_slot_id_library_id_fkey', 'physical_media',
                                    'slot_id, library_id', NEW.slot_id || ', ' || NEW.library_id,
                                    'slot');
        END IF;
    END IF;
    IF NEW.home_slot_id IS NOT NULL AND NEW.home_slot_id IS DISTINCT FROM OLD.home_slot_id THEN
        PERFORM 1 FROM slot WHERE id = NEW.home_slot_id FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_home_slot_id_fkey', 'physical_media',
                                    'home_slot_id', NEW.home_slot_id::text, 'slot');
        END IF;
    END IF;
    IF NEW.drive_id IS NOT NULL
       AND (NEW.drive_id, NEW.library_id) IS DISTINCT FROM (OLD.drive_id, OLD.library_id) THEN
        PERFORM 1 FROM drive WHERE id = NEW.drive_id AND library_id = NEW.library_id
            FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_drive_id_library_id_fkey', 'physical_media',
                                    'drive_id, library_id',
                                    NEW.drive_id || ', ' || NEW.library_id, 'drive');
        END IF;
    END IF;
    IF NEW.ieport_id IS NOT NULL
       AND (NEW.ieport_id, NEW.library_id) IS DISTINCT FROM (OLD.ieport_id, OLD.library_id) THEN
        PERFORM 1 FROM ieport WHERE id = NEW.ieport_id AND library_id = NEW.library_id
            FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_ieport_id_library_id_fkey', 'physical_media',
                                    'ieport_id, library_id',
                                    NEW.ieport_id || ', ' || NEW.library_id, 'ieport');
        END IF;
    END IF;
    IF NEW.vault_id IS NOT NULL AND NEW.vault_id IS DISTINCT FROM OLD.vault_id THEN
        PERFORM 1 FROM vault WHERE id = NEW.vault_id FOR KEY SHARE;
        IF NOT FOUND THEN
            PERFORM rsm_key_missing('physical_media_vault_id_fkey', 'physical_media', 'vault_id',
                                    NEW.vault_id::text, 'vault');
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER physical_media_keys_update AFTER UPDATE
    OF media_type_id, library_id, library_kind, slot_id, home_slot_id, drive_id, ieport_id,
       vault_id ON physical_media
    FOR EACH ROW
    WHEN (NEW.media_type_id IS DISTINCT FROM OLD.media_type_id
          OR NEW.library_id IS DISTINCT FROM OLD.library_id
          OR NEW.library_kind IS DISTINCT FROM OLD.library_kind
          OR (NEW.slot_id IS NOT NULL AND NEW.slot_id IS DISTINCT FROM OLD.slot_id)
          OR (NEW.home_slot_id IS NOT NULL AND NEW.home_slot_id IS DISTINCT FROM OLD.home_slot_id)
          OR (NEW.drive_id IS NOT NULL AND NEW.drive_id IS DISTINCT FROM OLD.drive_id)
          OR (NEW.ieport_id IS NOT NULL AND NEW.ieport_id IS DISTINCT FROM OLD.ieport_id)
          OR (NEW.vault_id IS NOT NULL AND NEW.vault_id IS DISTINCT FROM OLD.vault_id))
    EXECUTE FUNCTION rsm_media_keys_changed();

-- A medium moved to another pool: allocations and deallocations do it, in READ COMMITTED
-- transactions, so the pool's deletion is the one that must run in READ COMMITTED.
CREATE FUNCTION rsm_media_pool_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM pool WHERE id = NEW.pool_id FOR KEY SHARE;
    IF NOT FOUND THEN
        PERFORM rsm_key_missing('physical_media_pool_id_fkey', 'physical_media', 'pool_id',
                                NEW.pool_id::text, 'pool');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER physical_media_pool_update AFTER UPDATE OF pool_id ON physical_media
    FOR EACH ROW WHEN (NEW.pool_id IS DISTINCT FROM OLD.pool_id)
    EXECUTE FUNCTION rsm_media_pool_changed();

-- A statement's new sides, and a side given another medium.
CREATE FUNCTION rsm_side_keys_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    PERFORM rsm_keys_writable();
    PERFORM 1 FROM physical_media m WHERE m.id IN (SELECT media_id FROM rsm_new_rows)
        FOR KEY SHARE OF m;
    SELECT n.media_id AS v INTO k FROM rsm_new_rows n
        WHERE NOT EXISTS (SELECT 1 FROM physical_media m WHERE m.id = n.media_id) LIMIT 1;
    IF FOUND THEN
        PERFORM rsm_key_missing('side_media_id_fkey', 'side', 'media_id', k.v::text,
                                'physical_media');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER side_keys_insert AFTER INSERT ON side
    REFERENCING NEW TABLE AS rsm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_side_keys_new();
CREATE FUNCTION rsm_side_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rsm_keys_writable();
    PERFORM 1 FROM physical_media WHERE id = NEW.media_id FOR KEY SHARE;
    IF NOT FOUND THEN
        PERFORM rsm_key_missing('side_media_id_fkey', 'side', 'media_id', NEW.media_id::text,
                                'physical_media');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER side_keys_update AFTER UPDATE OF media_id ON side
    FOR EACH ROW WHEN (NEW.media_id IS DISTINCT FROM OLD.media_id)
    EXECUTE FUNCTION rsm_side_keys_changed();

-- The referenced side. A deleted (or re-keyed) row still referenced: TG_ARGV is the
-- constraint, the referencing table and its column, and for a pool 'read committed', the one
-- level its deletion may run in. For the rows deleted one at a time (all but slots and media).
CREATE FUNCTION rsm_key_still_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used boolean;
BEGIN
    IF TG_NARGS > 3 AND current_setting('transaction_isolation') <> TG_ARGV[3] THEN
        RAISE EXCEPTION 'rsm deletes a % in % transactions only', TG_TABLE_NAME,
                        upper(TG_ARGV[3])
            USING ERRCODE = 'feature_not_supported',
                  HINT = format('SET TRANSACTION ISOLATION LEVEL %s first.', upper(TG_ARGV[3]));
    END IF;
    PERFORM rsm_keys_checkable();
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[1], TG_ARGV[2])
        INTO used USING OLD.id;
    IF used THEN
        PERFORM rsm_key_referenced(TG_ARGV[0], TG_TABLE_NAME, TG_ARGV[1], OLD.id::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER media_type_keys_delete AFTER DELETE ON media_type FOR EACH ROW
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_media_type_id_fkey',
                                              'physical_media', 'media_type_id');
CREATE TRIGGER media_type_keys_update AFTER UPDATE OF id ON media_type FOR EACH ROW
    WHEN (NEW.id <> OLD.id)
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_media_type_id_fkey',
                                              'physical_media', 'media_type_id');
CREATE TRIGGER pool_keys_delete AFTER DELETE ON pool FOR EACH ROW
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_pool_id_fkey', 'physical_media',
                                              'pool_id', 'read committed');
CREATE TRIGGER pool_keys_update AFTER UPDATE OF id ON pool FOR EACH ROW
    WHEN (NEW.id <> OLD.id)
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_pool_id_fkey', 'physical_media',
                                              'pool_id', 'read committed');
CREATE TRIGGER drive_keys_delete AFTER DELETE ON drive FOR EACH ROW
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_drive_id_library_id_fkey',
                                              'physical_media', 'drive_id');
CREATE TRIGGER drive_keys_update AFTER UPDATE OF id, library_id ON drive FOR EACH ROW
    WHEN (NEW.id <> OLD.id OR NEW.library_id <> OLD.library_id)
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_drive_id_library_id_fkey',
                                              'physical_media', 'drive_id');
CREATE TRIGGER ieport_keys_delete AFTER DELETE ON ieport FOR EACH ROW
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_ieport_id_library_id_fkey',
                                              'physical_media', 'ieport_id');
CREATE TRIGGER ieport_keys_update AFTER UPDATE OF id, library_id ON ieport FOR EACH ROW
    WHEN (NEW.id <> OLD.id OR NEW.library_id <> OLD.library_id)
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_ieport_id_library_id_fkey',
                                              'physical_media', 'ieport_id');
CREATE TRIGGER vault_keys_delete AFTER DELETE ON vault FOR EACH ROW
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_vault_id_fkey', 'physical_media',
                                              'vault_id');
CREATE TRIGGER vault_keys_update AFTER UPDATE OF id ON vault FOR EACH ROW
    WHEN (NEW.id <> OLD.id)
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_vault_id_fkey', 'physical_media',
                                              'vault_id');
CREATE TRIGGER library_keys_delete AFTER DELETE ON library FOR EACH ROW
    EXECUTE FUNCTION rsm_key_still_referenced('physical_media_library_id_library_kind_fkey',
                                              'physical_media', 'library_id');
CREATE TRIGGER physical_media_keys_rekey AFTER UPDATE OF id ON physical_media FOR EACH ROW
    WHEN (NEW.id <> OLD.id)
    EXECUTE FUNCTION rsm_key_still_referenced('side_media_id_fkey', 'side', 'media_id');

-- Media deleted by the statement that still have sides (an inventory deletes many at once).
CREATE FUNCTION rsm_media_keys_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    PERFORM rsm_keys_checkable();
    SELECT s.media_id AS v INTO k FROM side s JOIN rsm_old_rows o ON s.media_id = o.id LIMIT 1;
    IF FOUND THEN
        PERFORM rsm_key_referenced('side_media_id_fkey', 'physical_media', 'side', k.v::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER physical_media_keys_delete AFTER DELETE ON physical_media
    REFERENCING OLD TABLE AS rsm_old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_media_keys_deleted();

-- A library's new id or kind reaches its media (ON UPDATE CASCADE).
CREATE FUNCTION rsm_library_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE physical_media SET library_id = NEW.id, library_kind = NEW.kind
        WHERE library_id = OLD.id AND library_kind = OLD.kind;
    RETURN NULL;
END $$;
CREATE TRIGGER library_keys_update AFTER UPDATE OF id, kind ON library FOR EACH ROW
    WHEN (NEW.id <> OLD.id OR NEW.kind <> OLD.kind)
    EXECUTE FUNCTION rsm_library_keys_changed();

-- Slots deleted by the statement (a library's, all at once): the media that had one as their
-- home slot lose it, and a slot still holding a medium is refused. Hash joins, whatever the
-- connection's first call planned for (see schema 20).
CREATE FUNCTION rsm_slot_keys_deleted() RETURNS trigger LANGUAGE plpgsql
SET enable_nestloop = off AS $$
DECLARE
    k record;
BEGIN
    PERFORM rsm_keys_checkable();
    UPDATE physical_media m SET home_slot_id = NULL
        FROM rsm_old_rows o WHERE m.home_slot_id = o.id;
    SELECT m.slot_id AS v INTO k FROM physical_media m
        JOIN rsm_old_rows o ON m.slot_id = o.id AND m.library_id = o.library_id LIMIT 1;
    IF FOUND THEN
        PERFORM rsm_key_referenced('physical_media_slot_id_library_id_fkey', 'slot',
                                   'physical_media', k.v::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER slot_keys_delete AFTER DELETE ON slot
    REFERENCING OLD TABLE AS rsm_old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_slot_keys_deleted();
CREATE FUNCTION rsm_slot_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rsm_keys_checkable();
    IF EXISTS (SELECT 1 FROM physical_media WHERE slot_id = OLD.id AND library_id = OLD.library_id)
    THEN
        PERFORM rsm_key_referenced('physical_media_slot_id_library_id_fkey', 'slot',
                                   'physical_media', OLD.id::text);
    END IF;
    IF NEW.id <> OLD.id AND EXISTS (SELECT 1 FROM physical_media WHERE home_slot_id = OLD.id) THEN
        PERFORM rsm_key_referenced('physical_media_home_slot_id_fkey', 'slot', 'physical_media',
                                   OLD.id::text);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER slot_keys_update AFTER UPDATE OF id, library_id ON slot FOR EACH ROW
    WHEN (NEW.id <> OLD.id OR NEW.library_id <> OLD.library_id)
    EXECUTE FUNCTION rsm_slot_keys_changed();
