-- rsm schema, version 10 (issue 16): allocation that does not read the whole pool.
--
-- An allocation looks for an AVAILABLE side (state 4) of an idle medium in the pool. Without
-- this index PostgreSQL read every side to find the few available ones: 21 ms with 100,000
-- LMIDs in the pool (EXPLAIN ANALYZE of Tx::allocatableSide's statement), 0.4 ms with it.
CREATE INDEX side_available ON side (media_id) WHERE state = 4;
