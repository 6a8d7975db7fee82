-- rsm schema, version 3: robot moves that survive a crash, and deferred dismounts.
-- * Before each robot move rsmd records its intent (robot_move); after the move it applies the
--   result to the medium and deletes the intent, in one transaction. An intent left behind by
--   a crash is resolved from the library's element status at start-up (and by rsmctl audit):
--   the database again describes what the robot holds.
-- * A drive left DISMOUNTABLE by a deferred dismount keeps its cartridge until dismount_after;
--   a mount of the same medium before then costs no robot move.

CREATE TABLE robot_move (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    library_id          uuid NOT NULL REFERENCES library ON DELETE CASCADE,
    media_id            uuid REFERENCES physical_media ON DELETE SET NULL,
    request_id          uuid REFERENCES library_request ON DELETE SET NULL,
    -- kinds: 2 drive, 3 slot, 4 IE port (the object kinds)
    source_kind         smallint NOT NULL CHECK (source_kind IN (2, 3, 4)),
    source_id           uuid NOT NULL,
    source_address      integer NOT NULL CHECK (source_address BETWEEN 0 AND 65535),
    destination_kind    smallint NOT NULL CHECK (destination_kind IN (2, 3, 4)),
    destination_id      uuid NOT NULL,
    destination_address integer NOT NULL CHECK (destination_address BETWEEN 0 AND 65535),
    created             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX robot_move_library ON robot_move (library_id);
-- One move of a medium at a time.
CREATE UNIQUE INDEX robot_move_media ON robot_move (media_id);

ALTER TABLE drive ADD COLUMN dismount_after timestamptz;
ALTER TABLE drive ADD CONSTRAINT drive_dismount_after
    CHECK (dismount_after IS NULL OR state = 7);
