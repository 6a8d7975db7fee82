// The seed rows of SwapNtmsMedia and DeleteNtmsMedia, end to end: rsmctl → rsmd → engine →
// PostgreSQL, each code read on stderr and in --json. (ERROR_NOT_ENOUGH_MEMORY cannot be made
// on demand in a whole daemon; the engine tests inject it at the store's boundary.)

#include <doctest/doctest.h>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "tests/rsmd/raw_client.h"
#include "tests/rsmd/seed_helpers.h"
#include "tests/support/small_tablespace.h"

namespace rsm::test {

namespace {

const Who kUser{2001, {2001}};

std::string sideOf(const RsmdRig &rig, const std::string &lmid) {
    return rig.sql("SELECT side_id FROM logical_media WHERE name = '" + lmid + "'");
}

}  // namespace

TEST_CASE("rsmd swap: ERROR_SUCCESS — each LMID names the other's former side") {
    RsmdRig rig;
    makeModel(rig);
    makeMedia(rig, "SWP001L5", "backup", "Bacula", "daily-1");
    makeMedia(rig, "SWP002L5", "backup", "Bacula", "daily-2");
    const std::string a = sideOf(rig, "daily-1"), b = sideOf(rig, "daily-2");
    RunResult r = rig.ctl({"swap", "daily-1", "daily-2"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(sideOf(rig, "daily-1") == b);
    CHECK(sideOf(rig, "daily-2") == a);
    // The reply is the two LMIDs as they now are: what lmid show gives, field for field.
    const nlohmann::json swapped = rig.json({"swap", "daily-1", "daily-2"});
    CHECK(sideOf(rig, "daily-1") == a);
    REQUIRE(swapped["lmids"].size() == 2);
    CHECK(swapped["lmids"][0] == rig.json({"lmid", "show", "daily-1"})["lmid"]);
    CHECK(swapped["lmids"][1] == rig.json({"lmid", "show", "daily-2"})["lmid"]);
}

TEST_CASE("rsmd swap: the failure rows") {
    RsmdRig rig;
    makeModel(rig);
    makeMedia(rig, "SWP001L5", "backup", "Bacula", "daily-1");
    makeMedia(rig, "SWP002L5", "backup", "Bacula", "daily-2");
    expectOk(rig, {"pool", "create", "archive", "--type", "LTO-5"});
    makeMedia(rig, "SWP003L5", "archive", "Bacula", "archive-1");
    makeMedia(rig, "SWP004L5", "backup", "", "raw-1");
    std::string a = sideOf(rig, "daily-1"), b = sideOf(rig, "daily-2");

    SUBCASE("ERROR_INVALID_PARAMETER — a media identifier is missing") {
        expectError(rig, {"swap", "daily-1", ""}, 87, "ERROR_INVALID_PARAMETER");
    }
    SUBCASE("ERROR_INVALID_HANDLE — the session handle is missing or not valid") {
        RawClient c(rig.socket);
        c.call({{"verb", "hello"}, {"protocol", 1}});
        auto r = c.call({{"verb", "lmid.swap"},
                         {"session", "00000000-0000-4000-8000-000000000000"},
                         {"lmid1", "daily-1"},
                         {"lmid2", "daily-2"}});
        CHECK(r["error"]["code"] == 6);
        CHECK(r["error"]["name"] == "ERROR_INVALID_HANDLE");
        r = c.call({{"verb", "lmid.swap"}, {"lmid1", "daily-1"}, {"lmid2", "daily-2"}});
        CHECK(r["error"]["code"] == 6);
    }
    SUBCASE("ERROR_INVALID_MEDIA — an id names no LMID") {
        expectError(rig, {"swap", "daily-1", "no-such-lmid"}, 4300, "ERROR_INVALID_MEDIA");
        expectError(rig, {"swap", "daily-1", "SWP002L5"}, 4300, "ERROR_INVALID_MEDIA");
    }
    SUBCASE("ERROR_INVALID_MEDIA_POOL — the pools differ or are not valid") {
        expectError(rig, {"swap", "daily-1", "archive-1"}, 4302, "ERROR_INVALID_MEDIA_POOL");
        rig.sql("UPDATE pool SET enabled = false WHERE name = 'backup'");
        expectError(rig, {"swap", "daily-1", "daily-2"}, 4302, "ERROR_INVALID_MEDIA_POOL");
    }
    SUBCASE("ERROR_ACCESS_DENIED — MODIFY on either pool is denied") {
        expectError(rig, {"swap", "daily-1", "daily-2"}, 5, "ERROR_ACCESS_DENIED", kUser);
        expectOk(rig, {"acl", "grant", "pool:backup", "--user", "2001", "use", "control"});
        expectError(rig, {"swap", "daily-1", "daily-2"}, 5, "ERROR_ACCESS_DENIED", kUser);
        expectOk(rig, {"acl", "grant", "pool:backup", "--user", "2001", "modify"});
        expectOk(rig, {"swap", "daily-1", "daily-2"}, kUser);
        std::swap(a, b);
    }
    SUBCASE("ERROR_BAD_FORMAT — no label library recognizes a side's label") {
        expectError(rig, {"swap", "daily-1", "raw-1"}, 11, "ERROR_BAD_FORMAT");
    }
    SUBCASE("ERROR_DATABASE_FAILURE — the database server is gone") {
        rig.cluster.stop(true);
        expectError(rig, {"swap", "daily-1", "daily-2"}, 4313, "ERROR_DATABASE_FAILURE");
        rig.cluster.start();
        expectOk(rig, {"pool", "list"});  // rsmd reconnects by itself
    }
    CHECK(sideOf(rig, "daily-1") == a);
    CHECK(sideOf(rig, "daily-2") == b);
}

TEST_CASE("rsmd swap and delete: ERROR_DATABASE_FULL — the database's disk is full") {
    SmallTablespace space(PgCluster::shared(), "rsm_rsmd_full");
    RsmdRig rig;
    space.dropDatabaseLater(rig.database);
    makeModel(rig);
    makeMedia(rig, "FUL001L5", "backup", "Bacula", "full-1");
    makeMedia(rig, "FUL002L5", "backup", "Bacula", "full-2");
    makeMedia(rig, "FUL003L5", "backup");
    const std::string a = sideOf(rig, "full-1");
    rig.sql(space.moveLogAndAttributesSql());
    fillDisk(rig.connectionString);
    expectError(rig, {"swap", "full-1", "full-2"}, 4314, "ERROR_DATABASE_FULL");
    expectError(rig, {"delete-media", "FUL003L5"}, 4314, "ERROR_DATABASE_FULL");
    CHECK(sideOf(rig, "full-1") == a);
    CHECK(rig.sql("SELECT count(*) FROM physical_media WHERE barcode = 'FUL003L5'") == "1");
    rig.stop();
}

TEST_CASE("rsmd delete-media: ERROR_SUCCESS — nothing refers to the medium afterwards") {
    RsmdRig rig;
    makeModel(rig);
    makeMedia(rig, "DEL001L5", "backup");
    const std::string id = rig.sql("SELECT id FROM physical_media WHERE barcode = 'DEL001L5'");
    RunResult r = rig.ctl({"delete-media", "DEL001L5"});
    CHECK(r.status == 0);
    CHECK(rig.sql("SELECT count(*) FROM physical_media WHERE id = '" + id + "'") == "0");
    CHECK(rig.sql("SELECT count(*) FROM side WHERE media_id = '" + id + "'") == "0");
}

TEST_CASE("rsmd delete-media: the failure rows") {
    RsmdRig rig;
    makeModel(rig);
    makeMedia(rig, "DEL001L5", "backup", "Bacula", "kept-1");
    makeMedia(rig, "DEL002L5", "backup");
    auto exists = [&](const std::string &barcode) {
        return rig.sql("SELECT count(*) FROM physical_media WHERE barcode = '" + barcode + "'") ==
               "1";
    };

    SUBCASE("ERROR_INVALID_PARAMETER — the media identifier is missing") {
        expectError(rig, {"delete-media", ""}, 87, "ERROR_INVALID_PARAMETER");
    }
    SUBCASE("ERROR_INVALID_HANDLE — the session handle is missing or not valid") {
        RawClient c(rig.socket);
        c.call({{"verb", "hello"}, {"protocol", 1}});
        auto r = c.call({{"verb", "media.delete"},
                         {"session", "00000000-0000-4000-8000-000000000000"},
                         {"media", "DEL002L5"}});
        CHECK(r["error"]["name"] == "ERROR_INVALID_HANDLE");
    }
    SUBCASE("ERROR_INVALID_MEDIA — the media identifier is not valid") {
        expectError(rig, {"delete-media", "NOSUCH"}, 4300, "ERROR_INVALID_MEDIA");
    }
    SUBCASE("ERROR_INVALID_MEDIA_POOL — the media pool for the media is not valid") {
        rig.sql("UPDATE pool SET enabled = false WHERE name = 'backup'");
        expectError(rig, {"delete-media", "DEL002L5"}, 4302, "ERROR_INVALID_MEDIA_POOL");
    }
    SUBCASE("ERROR_ACCESS_DENIED — MODIFY on the computer or the pool is denied") {
        expectError(rig, {"delete-media", "DEL002L5"}, 5, "ERROR_ACCESS_DENIED", kUser);
        expectOk(rig, {"acl", "grant", "computer", "--user", "2001", "modify"});
        expectOk(rig, {"delete-media", "DEL002L5"}, kUser);
        CHECK(!exists("DEL002L5"));
    }
    SUBCASE("ERROR_INVALID_STATE — a side is allocated") {
        expectError(rig, {"delete-media", "DEL001L5"}, 5023, "ERROR_INVALID_STATE");
    }
    SUBCASE("ERROR_DATABASE_FAILURE — the database server is gone") {
        rig.cluster.stop(true);
        expectError(rig, {"delete-media", "DEL002L5"}, 4313, "ERROR_DATABASE_FAILURE");
        rig.cluster.start();
        expectOk(rig, {"pool", "list"});
    }
    CHECK(exists("DEL001L5"));
}

}  // namespace rsm::test
