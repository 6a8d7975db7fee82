-- rsm schema, version 1: the RSM media model.
-- Applied by the store's migration runner inside one transaction (see src/store/migrations.cc).
-- Integrity lives here: foreign keys, state checks, "a side belongs to at most one LMID",
-- "a slot holds at most one medium", "a medium is in exactly one place", exactly one OFFLINE
-- library, and an append-only event log written by triggers on every model table.
-- State numbers are NTMS's (include/rsm/model.h).

-- Who makes a change: SET LOCAL rsm.principal = 'uid:1000' in the writing transaction.
CREATE FUNCTION rsm_principal() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT coalesce(nullif(current_setting('rsm.principal', true), ''), session_user::text) $$;

CREATE FUNCTION rsm_touch_modified() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.modified := now();
    RETURN NEW;
END $$;

-- The event log: one row per inserted, updated or deleted model row, in commit order within
-- a transaction. Append-only: updates, deletes and truncation are refused.
CREATE TABLE event_log (
    seq         bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    txid        bigint NOT NULL DEFAULT txid_current(),
    object_kind text NOT NULL,
    object_id   uuid NOT NULL,
    op          text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    principal   text NOT NULL DEFAULT rsm_principal(),
    data        jsonb NOT NULL
);
CREATE INDEX event_log_object ON event_log (object_id);

CREATE FUNCTION rsm_event_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER event_log_no_update BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION rsm_event_log_immutable();
CREATE TRIGGER event_log_no_truncate BEFORE TRUNCATE ON event_log
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_event_log_immutable();

-- TG_ARGV[0]: the object kind; TG_ARGV[1]: the column holding the object's id (default id).
CREATE FUNCTION rsm_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    id_column text := coalesce(TG_ARGV[1], 'id');
    r jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := to_jsonb(OLD);
    ELSE
        r := to_jsonb(NEW);
    END IF;
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - 'modified' = r - 'modified' THEN
        RETURN NULL;  -- nothing changed
    END IF;
    INSERT INTO event_log (object_kind, object_id, op, data)
    VALUES (TG_ARGV[0], (r ->> id_column)::uuid, lower(TG_OP), r);
    RETURN NULL;
END $$;

-- Deleting an object removes its named attributes and access-control entries, so that no row
-- refers to it afterwards.
CREATE FUNCTION rsm_forget_object() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attribute WHERE object_id = OLD.id;
    DELETE FROM acl WHERE object_id = OLD.id;
    RETURN OLD;
END $$;

CREATE TABLE computer (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    singleton           boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    description         text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    enabled             boolean NOT NULL DEFAULT true,
    purge_offline_free  boolean NOT NULL DEFAULT false,
    keep_offline_import boolean NOT NULL DEFAULT true,
    created             timestamptz NOT NULL DEFAULT now(),
    modified            timestamptz NOT NULL DEFAULT now()
);

-- kind: 0 OFFLINE (the shelf; exactly one), 1 ONLINE (a robot), 2 STANDALONE (one drive).
CREATE TABLE library (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    kind        smallint NOT NULL CHECK (kind IN (0, 1, 2)),
    device      text,
    enabled     boolean NOT NULL DEFAULT true,
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, kind),
    CHECK (kind <> 0 OR device IS NULL)
);
CREATE UNIQUE INDEX library_one_offline ON library (kind) WHERE kind = 0;

CREATE FUNCTION rsm_keep_offline_library() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.kind = 0 THEN
        RAISE EXCEPTION 'the OFFLINE library cannot be deleted' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.kind = 0) <> (NEW.kind = 0) THEN
        RAISE EXCEPTION 'the OFFLINE library stays OFFLINE' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER library_keep_offline BEFORE UPDATE OR DELETE ON library
    FOR EACH ROW EXECUTE FUNCTION rsm_keep_offline_library();

CREATE TABLE changer (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id  uuid NOT NULL REFERENCES library ON DELETE CASCADE,
    address     integer NOT NULL CHECK (address BETWEEN 0 AND 65535),
    name        text NOT NULL DEFAULT '' CHECK (length(name) <= 64),
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (library_id, address)
);

-- state: 0 DISMOUNTED, 1 MOUNTED, 2 LOADED, 5 UNLOADED, 6 BEING_CLEANED, 7 DISMOUNTABLE.
CREATE TABLE drive (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id   uuid NOT NULL REFERENCES library ON DELETE CASCADE,
    number       integer NOT NULL CHECK (number >= 0),
    address      integer CHECK (address BETWEEN 0 AND 65535),
    name         text NOT NULL DEFAULT '' CHECK (length(name) <= 64),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    device_path  text,
    serial       text,
    state        smallint NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2, 5, 6, 7)),
    enabled      boolean NOT NULL DEFAULT true,
    mount_count  bigint NOT NULL DEFAULT 0 CHECK (mount_count >= 0),
    last_cleaned timestamptz,
    created      timestamptz NOT NULL DEFAULT now(),
    modified     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (library_id, number),
    UNIQUE (library_id, address),
    UNIQUE (id, library_id)
);

-- state: 0 EMPTY, 1 FULL, 2 NOTPRESENT, 3 NEEDSINVENTORY.
CREATE TABLE slot (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id  uuid NOT NULL REFERENCES library ON DELETE CASCADE,
    address     integer NOT NULL CHECK (address BETWEEN 0 AND 65535),
    state       smallint NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2, 3)),
    cleaner     boolean NOT NULL DEFAULT false,
    exception   text,
    enabled     boolean NOT NULL DEFAULT true,
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (library_id, address),
    UNIQUE (id, library_id)
);

CREATE TABLE ieport (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id  uuid NOT NULL REFERENCES library ON DELETE CASCADE,
    address     integer NOT NULL CHECK (address BETWEEN 0 AND 65535),
    state       smallint NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2, 3)),
    exception   text,
    enabled     boolean NOT NULL DEFAULT true,
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (library_id, address),
    UNIQUE (id, library_id)
);

CREATE TABLE media_type (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    sides       smallint NOT NULL DEFAULT 1 CHECK (sides IN (1, 2)),
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now()
);

-- kind: 0 FREE, 1 IMPORT, 2 UNRECOGNIZED (system pools, one each per media type, at the root),
-- 3 APPLICATION (made by users; hierarchical, named by paths such as backup/daily).
CREATE TABLE pool (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text NOT NULL CHECK (name ~ '^[^/[:cntrl:]]{1,64}$'),
    description        text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    parent_id          uuid REFERENCES pool ON DELETE RESTRICT,
    media_type_id      uuid NOT NULL REFERENCES media_type ON DELETE RESTRICT,
    kind               smallint NOT NULL CHECK (kind IN (0, 1, 2, 3)),
    enabled            boolean NOT NULL DEFAULT true,
    allocate_from_free boolean NOT NULL DEFAULT true,
    deallocate_to_free boolean NOT NULL DEFAULT true,
    max_allocations    integer CHECK (max_allocations > 0),
    created            timestamptz NOT NULL DEFAULT now(),
    modified           timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 3 OR parent_id IS NULL),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX pool_sibling_names
    ON pool (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name);
CREATE UNIQUE INDEX pool_system_per_type ON pool (media_type_id, kind) WHERE kind <> 3;

-- Where a medium is: location 0 shelf (OFFLINE library only), 1 slot, 2 drive, 3 IE port,
-- 4 transport. The location's row must belong to the medium's library (composite keys), and
-- a slot, drive or IE port holds at most one medium (unique keys).
-- state: 0 IDLE, 1 INUSE, 2 MOUNTED, 3 LOADED, 4 UNLOADED, 5 OPERROR, 6 OPREQ.
CREATE TABLE physical_media (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text NOT NULL DEFAULT '' CHECK (length(name) <= 64),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    barcode       text UNIQUE CHECK (length(barcode) BETWEEN 1 AND 32),
    barcode_state smallint NOT NULL DEFAULT 0 CHECK (barcode_state IN (0, 1)),
    media_type_id uuid NOT NULL REFERENCES media_type ON DELETE RESTRICT,
    pool_id       uuid NOT NULL REFERENCES pool ON DELETE RESTRICT,
    library_id    uuid NOT NULL,
    library_kind  smallint NOT NULL,
    location      smallint NOT NULL CHECK (location IN (0, 1, 2, 3, 4)),
    slot_id       uuid UNIQUE,
    drive_id      uuid UNIQUE,
    ieport_id     uuid UNIQUE,
    home_slot_id  uuid REFERENCES slot ON DELETE SET NULL,
    state         smallint NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 6),
    side_count    smallint NOT NULL DEFAULT 1 CHECK (side_count IN (1, 2)),
    enabled       boolean NOT NULL DEFAULT true,
    created       timestamptz NOT NULL DEFAULT now(),
    modified      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (library_id, library_kind) REFERENCES library (id, kind) ON UPDATE CASCADE,
    FOREIGN KEY (slot_id, library_id) REFERENCES slot (id, library_id),
    FOREIGN KEY (drive_id, library_id) REFERENCES drive (id, library_id),
    FOREIGN KEY (ieport_id, library_id) REFERENCES ieport (id, library_id),
    CHECK ((location = 1) = (slot_id IS NOT NULL)),
    CHECK ((location = 2) = (drive_id IS NOT NULL)),
    CHECK ((location = 3) = (ieport_id IS NOT NULL)),
    CHECK ((location = 0) = (library_kind = 0))
);
CREATE INDEX physical_media_pool ON physical_media (pool_id);
CREATE INDEX physical_media_library ON physical_media (library_id);

-- state: 0 UNKNOWN … 9 RESERVED (NTMS_PARTSTATE_*).
CREATE TABLE side (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    media_id       uuid NOT NULL REFERENCES physical_media ON DELETE RESTRICT,
    number         smallint NOT NULL CHECK (number IN (0, 1)),
    state          smallint NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 9),
    label_type     text CHECK (length(label_type) <= 64),
    label_id       text CHECK (length(label_id) <= 256),
    label_info     text CHECK (length(label_info) <= 256),
    mount_count    bigint NOT NULL DEFAULT 0 CHECK (mount_count >= 0),
    allocate_count integer NOT NULL DEFAULT 0 CHECK (allocate_count >= 0),
    capacity       bigint CHECK (capacity >= 0),
    created        timestamptz NOT NULL DEFAULT now(),
    modified       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (media_id, number)
);

-- An LMID: the identity of an allocated side, held by an application. At most one per side
-- (unique side_id), never without one (not null). Its pool is its medium's pool.
CREATE TABLE logical_media (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    side_id     uuid NOT NULL REFERENCES side ON DELETE RESTRICT,
    name        text NOT NULL DEFAULT '' CHECK (length(name) <= 64),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    -- checked at the end of each statement, so that a swap is one UPDATE
    CONSTRAINT logical_media_one_per_side UNIQUE (side_id) DEFERRABLE INITIALLY IMMEDIATE
);

-- principal_kind: 0 user (uid), 1 group (gid). object_kind: 0 computer, 1 library, 9 pool.
-- rights: a bit set of USE 1, MODIFY 2, CONTROL 4.
CREATE TABLE acl (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    principal_kind smallint NOT NULL CHECK (principal_kind IN (0, 1)),
    principal_id   bigint NOT NULL CHECK (principal_id >= 0),
    object_kind    smallint NOT NULL CHECK (object_kind IN (0, 1, 9)),
    object_id      uuid NOT NULL,
    rights         integer NOT NULL CHECK (rights BETWEEN 0 AND 7),
    created        timestamptz NOT NULL DEFAULT now(),
    modified       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (object_id, principal_kind, principal_id)
);

CREATE TABLE session (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    uid         bigint NOT NULL,
    gids        bigint[] NOT NULL DEFAULT '{}',
    pid         integer,
    application text NOT NULL DEFAULT '' CHECK (length(application) <= 64),
    opened      timestamptz NOT NULL DEFAULT now(),
    closed      timestamptz,
    modified    timestamptz NOT NULL DEFAULT now()
);

-- state: 0 QUEUED … 8 STOPPED (NTMS_LM_*). kind: mount, dismount, inventory, inject, eject,
-- clean, move, audit, … priority −15..15.
CREATE TABLE library_request (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id  uuid NOT NULL REFERENCES library ON DELETE CASCADE,
    kind        text NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    state       smallint NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 8),
    priority    smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN -15 AND 15),
    session_id  uuid REFERENCES session ON DELETE SET NULL,
    media_id    uuid REFERENCES physical_media ON DELETE SET NULL,
    side_id     uuid REFERENCES side ON DELETE SET NULL,
    lmid        uuid REFERENCES logical_media ON DELETE SET NULL,
    drive_id    uuid REFERENCES drive ON DELETE SET NULL,
    parameters  jsonb NOT NULL DEFAULT '{}',
    error_code  integer,
    message     text,
    created     timestamptz NOT NULL DEFAULT now(),
    started     timestamptz,
    finished    timestamptz,
    modified    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX library_request_open ON library_request (library_id, state) WHERE state IN (0, 1, 5, 6);
CREATE INDEX library_request_media ON library_request (media_id) WHERE media_id IS NOT NULL;

-- kind: 1 NEWMEDIA, 2 CLEANER, 3 DEVICESERVICE, 4 MOVEMEDIA, 5 MESSAGE.
-- state: 1 SUBMITTED, 2 ACTIVE, 3 INPROGRESS, 4 REFUSED, 5 COMPLETE.
CREATE TABLE operator_request (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind        smallint NOT NULL CHECK (kind BETWEEN 1 AND 5),
    state       smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 5),
    message     text NOT NULL DEFAULT '' CHECK (length(message) <= 1024),
    library_id  uuid REFERENCES library ON DELETE SET NULL,
    media_id    uuid REFERENCES physical_media ON DELETE SET NULL,
    drive_id    uuid REFERENCES drive ON DELETE SET NULL,
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now()
);

-- Named attributes of any object (NTMS Get/SetNtmsObjectAttribute).
CREATE TABLE attribute (
    object_id   uuid NOT NULL,
    object_kind smallint NOT NULL CHECK (object_kind BETWEEN 0 AND 12),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    value       bytea NOT NULL CHECK (octet_length(value) <= 65536),
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (object_id, name)
);

-- Triggers: modified stamps, the event log, and forgetting deleted objects.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['computer', 'library', 'changer', 'drive', 'slot', 'ieport',
                             'media_type', 'pool', 'physical_media', 'side', 'logical_media',
                             'acl', 'session', 'library_request', 'operator_request']
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_modified BEFORE UPDATE ON %1$I
                        FOR EACH ROW EXECUTE FUNCTION rsm_touch_modified()', t);
        EXECUTE format('CREATE TRIGGER %1$s_log AFTER INSERT OR UPDATE OR DELETE ON %1$I
                        FOR EACH ROW EXECUTE FUNCTION rsm_log_change(%1$L)', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['library', 'drive', 'slot', 'ieport', 'media_type', 'pool',
                             'physical_media', 'side', 'logical_media', 'library_request',
                             'operator_request', 'changer']
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_forget AFTER DELETE ON %1$I
                        FOR EACH ROW EXECUTE FUNCTION rsm_forget_object()', t);
    END LOOP;
END $$;
CREATE TRIGGER attribute_modified BEFORE UPDATE ON attribute
    FOR EACH ROW EXECUTE FUNCTION rsm_touch_modified();
CREATE TRIGGER attribute_log AFTER INSERT OR UPDATE OR DELETE ON attribute
    FOR EACH ROW EXECUTE FUNCTION rsm_log_change('attribute', 'object_id');

-- The objects that always exist.
INSERT INTO computer (name) VALUES ('rsm');
INSERT INTO library (name, kind, description) VALUES ('Offline', 0, 'Media outside any robot');
