-- rsm schema, version 18 (issue 20, part B): vaults, the offsite places of the OFFLINE library
-- (docs/vaulting.md).
--
-- * vault: a named offsite location. Its rows are logged as every object's are.
-- * physical_media.vault_id, vault_state: where a medium on the shelf is in the rotation:
--   'in-transit-out' (sent to the vault: being ejected or on its way), 'in-vault' (arrived),
--   'in-transit-back' (recalled: on its way home); both NULL when it is in no rotation.
--   vault_since: when it entered that state; vault_sent, vault_arrived, vault_recalled: when
--   each step of its current rotation happened. rsmd writes these times from its own clock
--   (an injectable one in tests), never from SQL now().
-- * A medium that comes from the OFFLINE library into a library (an inject, an inventory)
--   leaves its rotation: the trigger clears its vault columns in the same UPDATE, so that the
--   medium's logged change shows it. A medium sent but not yet ejected is still in its
--   library, and keeps them.
-- A vault that holds media (in any of the three states) cannot be deleted.
CREATE TABLE vault (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 256),
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER vault_modified BEFORE UPDATE ON vault
    FOR EACH ROW EXECUTE FUNCTION rsm_touch_modified();
CREATE TRIGGER vault_log AFTER INSERT OR UPDATE OR DELETE ON vault
    FOR EACH ROW EXECUTE FUNCTION rsm_log_change('vault');

ALTER TABLE physical_media
    ADD COLUMN vault_id       uuid REFERENCES vault ON DELETE RESTRICT,
    ADD COLUMN vault_state    text
        CHECK (vault_state IN ('in-transit-out', 'in-vault', 'in-transit-back')),
    ADD COLUMN vault_since    timestamptz,
    ADD COLUMN vault_sent     timestamptz,
    ADD COLUMN vault_arrived  timestamptz,
    ADD COLUMN vault_recalled timestamptz,
    ADD CONSTRAINT physical_media_vault_state
        CHECK ((vault_id IS NULL) = (vault_state IS NULL)
               AND (vault_state IS NULL OR vault_since IS NOT NULL));
CREATE INDEX physical_media_vault ON physical_media (vault_id) WHERE vault_id IS NOT NULL;

CREATE FUNCTION rsm_leave_vault() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.vault_id IS NOT NULL AND OLD.library_kind = 0 AND NEW.library_kind <> 0 THEN
        NEW.vault_id := NULL;
        NEW.vault_state := NULL;
        NEW.vault_since := NULL;
        NEW.vault_sent := NULL;
        NEW.vault_arrived := NULL;
        NEW.vault_recalled := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER physical_media_leave_vault BEFORE UPDATE OF library_id, library_kind
    ON physical_media FOR EACH ROW EXECUTE FUNCTION rsm_leave_vault();
