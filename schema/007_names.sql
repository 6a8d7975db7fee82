-- rsm schema, version 7: names that commands find by bare name are unique where they are found.
-- An LMID is found by its name across the whole computer (rsmctl mount NAME), and so is a drive
-- (rsmctl drive … NAME); two of the same name made the name useless to its first holder, and
-- anyone with rights on one pool could take away the name an application in another pool uses
-- (issue 14, finding 12). Library and media type names were unique already, pool names per
-- parent.
--
-- Existing duplicates: the oldest holder (by created, then id) keeps the name; each later one
-- is renamed NAME~2, NAME~3, … (the first number not taken; NAME shortened to fit 64
-- characters), in the order of the name and then of age, so that the result does not depend on
-- the order rows are read in.
DO $$
DECLARE
    t text;
    r record;
    n integer;
    candidate text;
    taken boolean;
BEGIN
    FOREACH t IN ARRAY ARRAY['logical_media', 'drive'] LOOP
        FOR r IN EXECUTE format(
            'SELECT id, name FROM (SELECT id, name, created, row_number() OVER '
            '(PARTITION BY name ORDER BY created, id) AS rank FROM %I WHERE name <> '''') ranked '
            'WHERE rank > 1 ORDER BY name, rank', t)
        LOOP
            n := 2;
            LOOP
                candidate := left(r.name, 64 - length('~' || n)) || '~' || n;
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE name = $1)', t)
                    INTO taken USING candidate;
                EXIT WHEN NOT taken;
                n := n + 1;
            END LOOP;
            EXECUTE format('UPDATE %I SET name = $1 WHERE id = $2', t) USING candidate, r.id;
            RAISE NOTICE '% % renamed from % to % (duplicate name)', t, r.id, r.name, candidate;
        END LOOP;
    END LOOP;
END $$;

DROP INDEX logical_media_name;
CREATE UNIQUE INDEX logical_media_name ON logical_media (name) WHERE name <> '';
CREATE UNIQUE INDEX drive_name ON drive (name) WHERE name <> '';
