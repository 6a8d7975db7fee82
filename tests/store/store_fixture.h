#pragma once
// Helpers of the database tests: a fresh migrated database per test case on the shared
// private cluster, a small model (media type, pools, libraries, slots) to build scenarios on,
// and short ways to run a transaction that must succeed.

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <pqxx/connection>

#include "src/store/pg_store.h"
#include "tests/support/pg_cluster.h"

namespace rsm::test {

std::filesystem::path schemaDir();

struct TestStore {
    std::string database;
    std::string connectionString;
    std::unique_ptr<store::PgStore> store;
};

// A fresh database on `cluster`, migrated, with a PgStore over it. Throws on failure.
TestStore openTestStore(PgCluster &cluster = PgCluster::shared(),
                        store::PgStoreOptions options = {});

// Runs `fn` in one transaction of the store; the test fails when the transaction does.
// A pool's deletion runs in READ COMMITTED (schema 21): `isolation` says so.
void write(store::PgStore &store, const std::function<void(engine::Tx &)> &fn,
           const std::string &principal = "uid:0",
           engine::Isolation isolation = engine::Isolation::Serializable);
// Runs `fn` in one transaction and returns the outcome (for failures the test expects).
Result<void> attempt(store::PgStore &store, const std::function<void(engine::Tx &)> &fn);

// The ids of a small model: LTO-5 with its FREE pool and an application pool "backup", an
// online library "robot" with slots 1..4 and a drive, and the OFFLINE library.
struct World {
    Uuid mediaType, freePool, appPool, online, offline, drive;
    Uuid slots[4];
};
World makeWorld(TestStore &t);

// The transaction was refused by the schema (a constraint or a key): ERROR_INVALID_PARAMETER
// naming `words` (the constraint), as the store reports a refusal it did not expect.
void checkRefused(const Result<void> &r, const std::string &words);

struct Medium {
    Uuid media, side;
};
// A one-sided medium in `pool`: in `slot` of the online library, or on the shelf of the
// OFFLINE library when `slot` is empty; its side is in `sideState`.
Medium addMedium(engine::Tx &tx, const World &w, const std::string &barcode,
                 std::optional<Uuid> slot, const Uuid &pool,
                 SideState sideState = SideState::Available);

}  // namespace rsm::test
