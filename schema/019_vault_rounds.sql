-- rsm schema, version 19: the cartridges of a vault send's rounds (docs/vaulting.md).
--
-- * vault_round: one row per cartridge of a round, naming the round's operator request (the
--   MESSAGE "vault V: round r of n: remove k cartridges …" that `vault send` posts). rsmd
--   completes the request once every cartridge it names has left the library (is in the
--   OFFLINE library, library_kind 0, or was deleted: media_id NULL). The rows go with the
--   request.
CREATE TABLE vault_round (
    operator_request_id uuid NOT NULL REFERENCES operator_request ON DELETE CASCADE,
    media_id            uuid REFERENCES physical_media ON DELETE SET NULL
);
CREATE INDEX vault_round_request ON vault_round (operator_request_id);
CREATE INDEX vault_round_media ON vault_round (media_id) WHERE media_id IS NOT NULL;
