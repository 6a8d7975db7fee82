-- rsm schema, version 15 (issue 18): media and LMIDs carry their times.
--
-- * logical_media.allocated: when the LMID got its current side — its allocation, or the swap
--   that last gave it another side (set by the swap's own UPDATE: no extra statement). A side's
--   "allocated" time is its LMID's; a side without an LMID has none. LMIDs allocated before
--   this version have none recorded (NULL): their created time stands for it.
-- * side.completed: when the side became COMPLETE; cleared when it leaves COMPLETE (a
--   deallocation). side.last_mounted: when a mount of the side last found it in a drive ready
--   (stamped by the UPDATE that counts the mount). side.last_written: the end of the last
--   mount of the side made for writing (its dismount). All NULL until it happens; sides
--   completed or mounted before this version have none recorded.
-- A medium's created time is physical_media.created (schema 1); its last mount and write are
-- those of its sides.
ALTER TABLE logical_media ADD COLUMN allocated timestamptz;
ALTER TABLE logical_media ALTER COLUMN allocated SET DEFAULT now();

ALTER TABLE side
    ADD COLUMN completed    timestamptz,
    ADD COLUMN last_mounted timestamptz,
    ADD COLUMN last_written timestamptz;

