-- rsm schema, version 16 (issue 19): health readings of drives and tapes, and the flags derived
-- from them (docs/health.md).
--
-- * health_reading: one row per reading of a drive, at a dismount (trigger 0) or on demand
--   (trigger 1): what the drive reported of the cartridge's Medium Auxiliary Memory, its
--   volume statistics (log page 17h), its write and read error counters (02h, 03h) and its
--   TapeAlert flags (bit N-1 is flag N). A figure the drive did not report is NULL; the parts
--   it refused are named in `unsupported`, those that failed otherwise in `failed`. Readings
--   are not in the event log (a reading is written once and never changed; the flags it
--   raises are, on physical_media and drive). They go with their drive or medium.
-- * physical_media.suspect, drive.suspect (with suspect_reason): raised by a reading whose
--   figures cross a threshold, cleared by an administrator (rsmctl media clear-suspect, drive
--   clear-suspect). Their changes are logged as every change of those rows is.
CREATE TABLE health_reading (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    drive_id                uuid NOT NULL REFERENCES drive ON DELETE CASCADE,
    media_id                uuid REFERENCES physical_media ON DELETE CASCADE,
    request_id              uuid,
    trigger                 smallint NOT NULL CHECK (trigger IN (0, 1)),
    taken                   timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Medium Auxiliary Memory
    load_count              bigint,
    lifetime_written_mib    bigint,
    lifetime_read_mib       bigint,
    remaining_capacity_mib  bigint,
    maximum_capacity_mib    bigint,
    mam_serial              text,
    manufacturer            text,
    manufacture_date        text,
    medium_type             smallint,
    worm                    boolean,  -- the medium is WORM (MAM medium type, else page 17h)
    -- volume statistics (17h)
    thread_count            bigint,
    datasets_written        bigint,
    write_retries           bigint,
    unrecovered_write_errors bigint,
    datasets_read           bigint,
    read_retries            bigint,
    unrecovered_read_errors bigint,
    last_mount_written_mb   bigint,
    last_mount_read_mb      bigint,
    lifetime_written_mb     bigint,
    lifetime_read_mb        bigint,
    native_capacity_mb      bigint,
    used_native_capacity_mb bigint,
    volume_serial           text,
    write_protect           boolean,
    volume_worm             boolean,
    -- write (02h) and read (03h) error counters
    write_uncorrected       bigint,
    write_corrected         bigint,
    write_retries_total     bigint,
    write_bytes             bigint,
    read_uncorrected        bigint,
    read_corrected          bigint,
    read_retries_total      bigint,
    read_bytes              bigint,
    write_corrected_without_delay bigint,
    write_corrected_with_delay    bigint,
    write_correction_invocations  bigint,
    read_corrected_without_delay  bigint,
    read_corrected_with_delay     bigint,
    read_correction_invocations   bigint,
    tape_alert_flags        bigint,
    unsupported             text[] NOT NULL DEFAULT '{}',
    failed                  text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX health_reading_media ON health_reading (media_id, id DESC) WHERE media_id IS NOT NULL;
CREATE INDEX health_reading_drive ON health_reading (drive_id, id DESC);
CREATE INDEX health_reading_request ON health_reading (request_id) WHERE request_id IS NOT NULL;

ALTER TABLE physical_media
    ADD COLUMN suspect        boolean NOT NULL DEFAULT false,
    ADD COLUMN suspect_reason text NOT NULL DEFAULT '' CHECK (length(suspect_reason) <= 1024);
ALTER TABLE drive
    ADD COLUMN suspect        boolean NOT NULL DEFAULT false,
    ADD COLUMN suspect_reason text NOT NULL DEFAULT '' CHECK (length(suspect_reason) <= 1024);
