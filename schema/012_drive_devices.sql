-- rsm schema, version 12 (issue 17): drives' devices as the administrator sets them, why a
-- drive has no device, and whether a library's robot answers.
--
-- device_manual: the device was set by hand (rsmctl drive set-device, or device.N in a
--   [library] section of rsmd.conf); probes keep it instead of matching serial numbers.
-- device_problem: why the last probe found no device for the drive ("no serial match", "the
--   robot reports no identifier for it", ...); NULL when it has one.
ALTER TABLE drive
    ADD COLUMN device_manual boolean NOT NULL DEFAULT false,
    ADD COLUMN device_problem text CHECK (length(device_problem) <= 256);

-- A library's robot: unreachable_since is set when its commands stop getting answers (NULL
-- while it answers), robot_error is the last such failure, reachable_since when it answered
-- again after one (NULL until it ever failed).
ALTER TABLE library
    ADD COLUMN unreachable_since timestamptz,
    ADD COLUMN robot_error text CHECK (length(robot_error) <= 1024),
    ADD COLUMN reachable_since timestamptz;
