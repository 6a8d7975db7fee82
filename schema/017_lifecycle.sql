-- rsm schema, version 17 (issue 20, part A): the life of media in a pool (docs/lifecycle.md).
--
-- * pool: its retention (retention_seconds after the side's basis time; NULL: kept for good),
--   the basis (0: when the side became COMPLETE, side.completed; 1: its last write,
--   side.last_written, else its completion), what happens when it ends (0: the side is
--   deallocated back to the pool's scratch source; 1: it is only reported), the allocation
--   policy (0 continue: any available side; 1 new: a never-used medium each time; 2 period: a
--   never-used medium for the first allocation of each calendar period, allocation_period 0
--   day, 1 week, 2 month), and the water marks of its free media (NULL: none). low_request is
--   the operator request rsmd posted when the free media fell below the low mark, while it
--   is open,
--   with the count of free media then (low_free): a change of the pool row that sets it is
--   the notification scratch-pool-low (docs/notifications.md).
-- * physical_media.life: 0 active, 1 full, 2 damaged, 3 retired — the states beyond RSM's
--   side states; only active media are allocated. physical_media.worm: the medium is WORM (its
--   media type says so, or a drive reported it): its sides are never deallocated to scratch.
-- * media_type.worm: media of this type are WORM.
ALTER TABLE pool
    ADD COLUMN retention_seconds bigint CHECK (retention_seconds > 0),
    ADD COLUMN retention_basis   smallint NOT NULL DEFAULT 0 CHECK (retention_basis IN (0, 1)),
    ADD COLUMN expire_action     smallint NOT NULL DEFAULT 0 CHECK (expire_action IN (0, 1)),
    ADD COLUMN allocation_policy smallint NOT NULL DEFAULT 0 CHECK (allocation_policy IN (0, 1, 2)),
    ADD COLUMN allocation_period smallint NOT NULL DEFAULT 0 CHECK (allocation_period IN (0, 1, 2)),
    ADD COLUMN low_mark          integer CHECK (low_mark >= 0),
    ADD COLUMN high_mark         integer CHECK (high_mark >= 0),
    ADD COLUMN low_request       uuid REFERENCES operator_request ON DELETE SET NULL,
    ADD COLUMN low_free          integer,  -- the free media counted when it was posted
    ADD CONSTRAINT pool_marks CHECK (low_mark IS NULL OR high_mark IS NULL OR low_mark <= high_mark);

ALTER TABLE physical_media
    ADD COLUMN life smallint NOT NULL DEFAULT 0 CHECK (life IN (0, 1, 2, 3)),
    ADD COLUMN worm boolean NOT NULL DEFAULT false;

ALTER TABLE media_type ADD COLUMN worm boolean NOT NULL DEFAULT false;

-- A medium of a WORM media type is WORM from the start, whichever way it is added.
CREATE FUNCTION rsm_media_worm() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.worm := NEW.worm OR coalesce((SELECT t.worm FROM media_type t
                                      WHERE t.id = NEW.media_type_id), false);
    RETURN NEW;
END $$;
CREATE TRIGGER physical_media_worm BEFORE INSERT OR UPDATE OF media_type_id ON physical_media
    FOR EACH ROW EXECUTE FUNCTION rsm_media_worm();
