// DeleteNtmsMedia, row by row of its return-value table (shared/seeds/DeleteNtmsMedia.md),
// against a real PostgreSQL.

#include <doctest/doctest.h>

#include <pqxx/pqxx>

#include "tests/engine/engine_fixture.h"
#include "tests/support/small_tablespace.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

// How many rows anywhere (but the event log and its view, which record history) name the medium or
// one of its sides: every uuid column of every table.
long long references(EngineRig &rig, const Uuid &media, const std::vector<std::string> &sides) {
    std::string ids = "'" + media.toString() + "'";
    for (const auto &s : sides)
        ids += ",'" + s + "'";
    long long total = 0;
    pqxx::connection c(rig.t.connectionString);
    pqxx::work w(c);
    auto cols = w.exec(
        "SELECT table_name, column_name FROM information_schema.columns WHERE "
        "table_schema = 'public' AND data_type = 'uuid' AND table_name NOT IN "
        "('event_log', 'event_log_full')");
    for (const auto &row : cols) {
        auto r = w.exec("SELECT count(*) FROM " + w.quote_name(row[0].as<std::string>()) +
                        " WHERE " + w.quote_name(row[1].as<std::string>()) + " IN (" + ids + ")");
        total += r[0][0].as<long long>();
    }
    return total;
}

std::vector<std::string> sidesOf(EngineRig &rig, const Uuid &media) {
    std::vector<std::string> out;
    pqxx::connection c(rig.t.connectionString);
    pqxx::work w(c);
    for (const auto &row :
         w.exec_params("SELECT id FROM side WHERE media_id = $1::uuid", media.toString()))
        out.push_back(row[0].as<std::string>());
    return out;
}

bool exists(EngineRig &rig, const Uuid &media) {
    return rig.count("SELECT count(*) FROM physical_media WHERE id = $1::uuid",
                     {media.toString()}) == 1;
}

}  // namespace

TEST_CASE("delete: ERROR_SUCCESS — no row anywhere refers to the medium or its sides") {
    EngineRig rig;
    const Uuid m = rig.offlineMedia("DEL001L5");
    REQUIRE_OK(rig.engine->setAttribute(rig.root, m, "owner", "finance"));
    auto sides = sidesOf(rig, m);
    REQUIRE(sides.size() == 1);
    REQUIRE_OK(rig.engine->setAttribute(rig.root, *Uuid::parse(sides[0]), "note", "x"));
    rig.sql(
        "INSERT INTO library_request (library_id, kind, state, media_id, side_id) SELECT "
        "(SELECT id FROM library WHERE kind = 0), 'inventory', 2, media_id, id FROM side");
    rig.sql("INSERT INTO operator_request (kind, media_id) SELECT 4, id FROM physical_media");
    REQUIRE(references(rig, m, sides) > 4);
    REQUIRE_OK(rig.engine->deleteMedia(rig.root, m));
    CHECK(references(rig, m, sides) == 0);
    // The deletion itself is in the event log.
    CHECK(rig.count("SELECT count(*) FROM event_log WHERE object_id = $1::uuid AND op = "
                    "'delete' AND object_kind = 'physical_media'",
                    {m.toString()}) == 1);
    // A decommissioned side does not stop deletion either.
    const Uuid d = rig.offlineMedia("DEL002L5");
    REQUIRE_OK(rig.engine->decommission(rig.root, *Uuid::parse(sidesOf(rig, d)[0])));
    REQUIRE_OK(rig.engine->deleteMedia(rig.root, d));
    CHECK(!exists(rig, d));
}

TEST_CASE("delete: ERROR_INVALID_PARAMETER — the media identifier is missing") {
    EngineRig rig;
    REQUIRE_CODE(rig.engine->deleteMedia(rig.root, Uuid()), ErrorCode::InvalidParameter);
}

TEST_CASE("delete: ERROR_INVALID_HANDLE — the session handle is missing or not valid") {
    EngineRig rig;
    const Uuid m = rig.offlineMedia("DEL001L5");
    REQUIRE_CODE(rig.engine->deleteMedia(Uuid(), m), ErrorCode::InvalidHandle);
    REQUIRE_CODE(rig.engine->deleteMedia(Uuid::random(), m), ErrorCode::InvalidHandle);
    CHECK(exists(rig, m));
}

TEST_CASE("delete: ERROR_INVALID_MEDIA — the media identifier is not valid") {
    EngineRig rig;
    const Uuid l = rig.lmid("DEL001L5");
    REQUIRE_CODE(rig.engine->deleteMedia(rig.root, Uuid::random()), ErrorCode::InvalidMedia);
    REQUIRE_CODE(rig.engine->deleteMedia(rig.root, l), ErrorCode::InvalidMedia);  // an LMID
}

TEST_CASE("delete: ERROR_INVALID_MEDIA_POOL — the media pool for the media is not valid") {
    EngineRig rig;
    const Uuid m = rig.offlineMedia("DEL001L5");
    rig.sql("UPDATE pool SET enabled = false WHERE name = 'backup'");
    REQUIRE_CODE(rig.engine->deleteMedia(rig.root, m), ErrorCode::InvalidMediaPool);
    CHECK(exists(rig, m));
}

TEST_CASE("delete: ERROR_ACCESS_DENIED — MODIFY on the computer or the media's pool is denied") {
    EngineRig rig;
    const Uuid m = rig.offlineMedia("DEL001L5");
    const Uuid user = rig.session(1000, {100});
    auto computer = rig.engine->computer(rig.root);
    REQUIRE_OK(computer);

    SUBCASE("neither") {
        REQUIRE_CODE(rig.engine->deleteMedia(user, m), ErrorCode::AccessDenied);
        REQUIRE_OK(rig.engine->grant(rig.root, rig.pool, PrincipalKind::User, 1000,
                                     rights::Use | rights::Control));
        REQUIRE_OK(rig.engine->grant(rig.root, *computer, PrincipalKind::User, 1000,
                                     rights::Use | rights::Control));
        REQUIRE_CODE(rig.engine->deleteMedia(user, m), ErrorCode::AccessDenied);
        CHECK(exists(rig, m));
    }
    SUBCASE("MODIFY on the pool is enough") {
        REQUIRE_OK(
            rig.engine->grant(rig.root, rig.pool, PrincipalKind::User, 1000, rights::Modify));
        REQUIRE_OK(rig.engine->deleteMedia(user, m));
        CHECK(!exists(rig, m));
    }
    SUBCASE("MODIFY on the computer is enough") {
        REQUIRE_OK(
            rig.engine->grant(rig.root, *computer, PrincipalKind::Group, 100, rights::Modify));
        REQUIRE_OK(rig.engine->deleteMedia(user, m));
        CHECK(!exists(rig, m));
    }
}

TEST_CASE("delete: ERROR_INVALID_STATE — the media is not offline, or a side is owned") {
    EngineRig rig;
    SUBCASE("in an online library") {
        const Uuid m = rig.offlineMedia("DEL001L5");
        rig.sql(
            "INSERT INTO library (name, kind) VALUES ('robot', 1);"
            "INSERT INTO slot (library_id, address) SELECT id, 1000 FROM library WHERE kind = 1;"
            "UPDATE physical_media SET library_id = (SELECT id FROM library WHERE kind = 1), "
            "library_kind = 1, location = 1, slot_id = (SELECT id FROM slot) ");
        REQUIRE_CODE(rig.engine->deleteMedia(rig.root, m), ErrorCode::InvalidState);
        CHECK(exists(rig, m));
    }
    for (auto [state, name] :
         {std::pair{SideState::Allocated, "ALLOCATED"}, std::pair{SideState::Complete, "COMPLETE"},
          std::pair{SideState::Reserved, "RESERVED"}}) {
        SUBCASE(name) {
            const Uuid l = rig.lmid("DEL002L5");
            const Uuid m = rig.mediaOf(l);
            if (state == SideState::Complete)
                REQUIRE_OK(rig.engine->setComplete(rig.root, l));
            if (state == SideState::Reserved)
                rig.sql("DELETE FROM logical_media; UPDATE side SET state = 9");
            auto r = rig.engine->deleteMedia(rig.root, m);
            REQUIRE_CODE(r, ErrorCode::InvalidState);
            CHECK(r.error().message().find(name) != std::string::npos);
            CHECK(exists(rig, m));
        }
    }
}

TEST_CASE("delete: ERROR_NOT_ENOUGH_MEMORY — an allocation failure, mapped at the boundary") {
    EngineRig rig;
    const Uuid m = rig.offlineMedia("DEL001L5");
    rig.t.store->setFaultHook([] { throw std::bad_alloc(); });
    REQUIRE_CODE(rig.engine->deleteMedia(rig.root, m), ErrorCode::NotEnoughMemory);
    rig.t.store->setFaultHook(nullptr);
    CHECK(exists(rig, m));
    CHECK(sidesOf(rig, m).size() == 1);
}

TEST_CASE("delete: ERROR_DATABASE_FAILURE — the database server is gone") {
    PgCluster own;
    EngineRig rig(own);
    const Uuid m = rig.offlineMedia("DEL001L5");
    own.stop(true);
    REQUIRE_CODE(rig.engine->deleteMedia(rig.root, m), ErrorCode::DatabaseFailure);
    own.start();
    CHECK(exists(rig, m));
    REQUIRE_OK(rig.engine->deleteMedia(rig.root, m));
    CHECK(!exists(rig, m));
}

TEST_CASE("delete: ERROR_DATABASE_FULL — the database's disk is full") {
    PgCluster &cluster = PgCluster::shared();
    SmallTablespace space(cluster, "rsm_delete_full");
    std::optional<EngineRig> rig;
    rig.emplace(cluster);
    space.dropDatabaseLater(rig->t.database);
    const Uuid m = rig->offlineMedia("DEL001L5");
    rig->sql(space.moveLogAndAttributesSql());
    // Filled by SQL: an attribute through the engine holds at most 4 KiB, 64 per object.
    fillDisk(rig->t.connectionString);
    REQUIRE_CODE(rig->engine->deleteMedia(rig->root, m), ErrorCode::DatabaseFull);
    CHECK(exists(*rig, m));
    rig.reset();
}
