-- rsm schema, version 9 (issue 14): barcodes a robot reports in more than one element, and the
-- order request listings page in.
--
-- Two cartridges that carry one barcode cannot both be the medium of that barcode: the
-- inventory that finds them records the conflict here (and keeps the medium where it was, or
-- at the first of the places), and a mount of that barcode is refused until an inventory finds
-- it once only.
CREATE TABLE barcode_conflict (
    library_id uuid NOT NULL REFERENCES library ON DELETE CASCADE,
    barcode    text NOT NULL,
    places     text NOT NULL,                       -- "slot 1003, IE port 10"
    seen_at    timestamptz NOT NULL DEFAULT now(),  -- first found
    PRIMARY KEY (library_id, barcode)
);
CREATE INDEX barcode_conflict_barcode ON barcode_conflict (barcode);

-- request.list pages newest first, from a request on: (created, id) descending.
CREATE INDEX library_request_created ON library_request (created DESC, id DESC);
