-- rsm schema, version 11 (issue 16): the event log wakes no one.
--
-- Schema 2 made every statement that adds to the event log NOTIFY channel rsm_events. A
-- transaction that notifies takes PostgreSQL's one notification-queue lock at commit and holds
-- it until its commit is done, so every writing transaction of the server waited for the
-- others: with 32 clients swapping through rsmd, 2,233 swaps/s with it and 2,884 without
-- (p99 30 -> 18 ms; docs/benchmarks.md). rsmd wakes its own event feed after its commits now,
-- and looks at the log every 200 ms for changes made by others.
DROP TRIGGER event_log_notify ON event_log;
DROP FUNCTION rsm_notify_events();
