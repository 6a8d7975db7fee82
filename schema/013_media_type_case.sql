-- rsm schema, version 13 (issue 18): media type names are found whatever their case
-- ("--type lto-5" is LTO-5), so two names that differ only in case cannot both exist. The
-- look-up (lower(name) = lower($1)) uses this index.
--
-- A database holding two such names stops here: rename one (rsmctl object rename) with the
-- rsmd of the previous version, then start this one again.
CREATE UNIQUE INDEX media_type_name_folded ON media_type (lower(name));
