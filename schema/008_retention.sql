-- rsm schema, version 8: what the event log and the session table keep.
-- * The event log stays append-only for everyone, with one exception: rsm_purge_events, which
--   rsmd runs for its event_retention, deletes events older than a moment it names. The
--   trigger lets a DELETE through only while rsm.purge_before is set (by that function, for
--   its own statement) and only for rows older than it; updates and TRUNCATE are refused as
--   before. event_log_purged remembers the last sequence number purged, so that a watcher
--   who asks for older events learns that they are gone.
-- * rsm_purge_sessions deletes sessions closed before a moment (session_retention); their
--   requests keep their history with no session. A purge is not itself logged.
-- * Opening and closing a session is logged only when the writing transaction asks for it
--   (rsm.log_sessions = 'on', rsmd.conf log_session_events): a client that opens sessions in
--   a loop no longer fills the log.

CREATE TABLE event_log_purged (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    through_seq bigint NOT NULL DEFAULT 0,
    at          timestamptz
);
INSERT INTO event_log_purged DEFAULT VALUES;

CREATE INDEX event_log_at ON event_log (at);
CREATE INDEX session_closed ON session (closed) WHERE closed IS NOT NULL;

CREATE OR REPLACE FUNCTION rsm_event_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before text := current_setting('rsm.purge_before', true);
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(before, '') <> '' AND OLD.at < before::timestamptz THEN
        RETURN OLD;  -- the retention's purge of an old event
    END IF;
    RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

-- Deletes up to max_rows events older than now() - keep, oldest first; the number deleted.
CREATE FUNCTION rsm_purge_events(keep interval, max_rows integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    before timestamptz := now() - keep;
    n bigint;
    last bigint;
BEGIN
    PERFORM set_config('rsm.purge_before', before::text, true);
    WITH gone AS (
        DELETE FROM event_log
        WHERE seq IN (SELECT seq FROM event_log WHERE at < before ORDER BY seq LIMIT max_rows)
        RETURNING seq)
    SELECT count(*), max(seq) INTO n, last FROM gone;
    PERFORM set_config('rsm.purge_before', '', true);
    IF last IS NOT NULL THEN
        UPDATE event_log_purged SET through_seq = greatest(through_seq, last), at = now();
    END IF;
    RETURN n;
END $$;

-- A purge writes no events: a session it deletes, and the requests that then lose it.
CREATE OR REPLACE FUNCTION rsm_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    id_column text := coalesce(TG_ARGV[1], 'id');
    r jsonb;
BEGIN
    IF current_setting('rsm.purging', true) = 'on' THEN
        RETURN NULL;
    END IF;
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

-- Deletes up to max_rows sessions closed before now() - keep; the number deleted.
CREATE FUNCTION rsm_purge_sessions(keep interval, max_rows integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    PERFORM set_config('rsm.purging', 'on', true);
    WITH gone AS (
        DELETE FROM session
        WHERE id IN (SELECT id FROM session WHERE closed < now() - keep LIMIT max_rows)
        RETURNING id)
    SELECT count(*) INTO n FROM gone;
    PERFORM set_config('rsm.purging', '', true);
    RETURN n;
END $$;

DROP TRIGGER session_log ON session;
CREATE TRIGGER session_log AFTER INSERT OR UPDATE OR DELETE ON session
    FOR EACH ROW WHEN (current_setting('rsm.log_sessions', true) = 'on')
    EXECUTE FUNCTION rsm_log_change('session');

-- A UUID column of an event's row, for rsmd's visibility rules (NULL when absent or not one).
CREATE FUNCTION rsm_event_uuid(data jsonb, key text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN (data ->> key) ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN (data ->> key)::uuid END
$$;
