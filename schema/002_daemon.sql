-- rsm schema, version 2: what rsmd needs beside the model.
-- * A library remembers what its robot said it is (INQUIRY and the unit serial number).
-- * Every statement that adds to the event log wakes the listeners of channel rsm_events, so
--   that rsmd's watchers hear of changes without polling. The payload is empty: a listener
--   reads the log from the last sequence number it has seen.
-- * Library requests are taken by priority, then age.

ALTER TABLE library
    ADD COLUMN vendor  text CHECK (length(vendor) <= 64),
    ADD COLUMN product text CHECK (length(product) <= 64),
    ADD COLUMN serial  text CHECK (length(serial) <= 128);

CREATE FUNCTION rsm_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rsm_events', '');
    RETURN NULL;
END $$;
CREATE TRIGGER event_log_notify AFTER INSERT ON event_log
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_notify_events();

CREATE INDEX library_request_queue ON library_request (library_id, priority DESC, created)
    WHERE state = 0;
CREATE INDEX library_request_session ON library_request (session_id) WHERE state IN (0, 5, 6);

-- Clients name LMIDs by name: find one without reading them all (a whole-table read in a
-- SERIALIZABLE transaction would conflict with every concurrent swap).
CREATE INDEX logical_media_name ON logical_media (name) WHERE name <> '';
