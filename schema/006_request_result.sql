-- rsm schema, version 6: what a library request found, for its client; which mount holds a
-- drive. A request that passed
-- may leave a JSON result (the element status `rsmctl mtx status` asked rsmd for); one that
-- failed on a SCSI error keeps the sense ({"sense": [key, asc, ascq]}), so that the client can
-- word the failure as its device would (mtx's "Source Element Address 1000 is Empty").
ALTER TABLE library_request ADD COLUMN result jsonb;

-- The mount that holds a drive's cartridge for an application, from the mount until the
-- dismount (or until the cartridge leaves the drive): what rsmctl mtx must not take away.
ALTER TABLE drive ADD COLUMN mounted_by uuid REFERENCES library_request ON DELETE SET NULL;
