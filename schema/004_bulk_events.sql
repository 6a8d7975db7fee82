-- rsm schema, version 4: the event log of the tables an inventory writes in bulk
-- (physical_media, side, drive) is written once per statement from its transition tables,
-- instead of once per row: an inventory that adds thousands of cartridges costs one INSERT
-- into the log per statement. The events are the same: one per inserted, deleted or changed
-- row (an update that changes nothing but the modified stamp logs nothing), with the whole row.

CREATE FUNCTION rsm_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO event_log (object_kind, object_id, op, data)
        SELECT TG_ARGV[0], n.id, 'insert', to_jsonb(n) FROM rsm_new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO event_log (object_kind, object_id, op, data)
        SELECT TG_ARGV[0], o.id, 'delete', to_jsonb(o) FROM rsm_old_rows o;
    ELSE
        INSERT INTO event_log (object_kind, object_id, op, data)
        SELECT TG_ARGV[0], n.id, 'update', to_jsonb(n)
        FROM rsm_new_rows n JOIN rsm_old_rows o ON o.id = n.id
        WHERE to_jsonb(o) - 'modified' <> to_jsonb(n) - 'modified';
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['physical_media', 'side', 'drive']
    LOOP
        EXECUTE format('DROP TRIGGER %1$s_log ON %1$I', t);
        EXECUTE format('CREATE TRIGGER %1$s_log_insert AFTER INSERT ON %1$I
                        REFERENCING NEW TABLE AS rsm_new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows(%1$L)', t);
        EXECUTE format('CREATE TRIGGER %1$s_log_update AFTER UPDATE ON %1$I
                        REFERENCING OLD TABLE AS rsm_old_rows NEW TABLE AS rsm_new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows(%1$L)', t);
        EXECUTE format('CREATE TRIGGER %1$s_log_delete AFTER DELETE ON %1$I
                        REFERENCING OLD TABLE AS rsm_old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows(%1$L)', t);
    END LOOP;
END $$;
