-- rsm schema, version 5: cleaning.
-- * A cleaner cartridge is a physical medium with a row in `cleaner`: how many cleanings it
--   has left. Inventory and inject make one of every new barcode that starts with rsmd's
--   cleaner prefix (default CLN); its side is INCOMPATIBLE, so nothing allocates, mounts or
--   labels it. A cleaner with no uses left is spent: rsmd asks the operator for a new one.
-- * A library may reserve one slot for its cleaner (slot.cleaner, already in version 1): no
--   data cartridge is put there, and an injected cleaner goes there first.
-- * A drive remembers that it asked to be cleaned (TapeAlert, or sense 00/17) until it is.

-- id: the cleaner's physical medium.
CREATE TABLE cleaner (
    id          uuid PRIMARY KEY REFERENCES physical_media ON DELETE CASCADE,
    uses_left   integer NOT NULL CHECK (uses_left >= 0),
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER cleaner_log_insert AFTER INSERT ON cleaner
    REFERENCING NEW TABLE AS rsm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows('cleaner');
CREATE TRIGGER cleaner_log_update AFTER UPDATE ON cleaner
    REFERENCING OLD TABLE AS rsm_old_rows NEW TABLE AS rsm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows('cleaner');
CREATE TRIGGER cleaner_log_delete AFTER DELETE ON cleaner
    REFERENCING OLD TABLE AS rsm_old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rsm_log_rows('cleaner');

-- One reserved cleaner slot per library.
CREATE UNIQUE INDEX slot_one_cleaner ON slot (library_id) WHERE cleaner;

ALTER TABLE drive ADD COLUMN needs_cleaning boolean NOT NULL DEFAULT false;
CREATE TRIGGER cleaner_modified BEFORE UPDATE ON cleaner
    FOR EACH ROW EXECUTE FUNCTION rsm_touch_modified();
