// SwapNtmsMedia, row by row of its return-value table (shared/seeds/SwapNtmsMedia.md), against
// a real PostgreSQL.

#include <doctest/doctest.h>

#include "tests/engine/engine_fixture.h"
#include "tests/support/small_tablespace.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

struct SwapPair {
    Uuid a, b, sideA, sideB;
};

SwapPair pair(EngineRig &rig) {
    SwapPair p;
    p.a = rig.lmid("SWP001L5");
    p.b = rig.lmid("SWP002L5");
    p.sideA = rig.sideOf(p.a);
    p.sideB = rig.sideOf(p.b);
    return p;
}

void unchanged(EngineRig &rig, const SwapPair &p) {
    CHECK(rig.sideOf(p.a) == p.sideA);
    CHECK(rig.sideOf(p.b) == p.sideB);
}

}  // namespace

TEST_CASE("swap: ERROR_SUCCESS — each LMID names the other's former side, nothing else changes") {
    EngineRig rig;
    SwapPair p = pair(rig);
    REQUIRE_OK(rig.engine->setName(rig.root, p.a, "monday"));
    const long long events = rig.count("SELECT count(*) FROM event_log");
    REQUIRE_OK(rig.engine->swap(rig.root, p.a, p.b));
    CHECK(rig.sideOf(p.a) == p.sideB);
    CHECK(rig.sideOf(p.b) == p.sideA);
    CHECK(rig.query("SELECT name FROM logical_media WHERE id = $1::uuid", {p.a.toString()}) ==
          "monday");
    auto info = rig.engine->getLmid(rig.root, p.a);
    REQUIRE_OK(info);
    CHECK(info->pool == "backup");
    CHECK(info->barcode == std::optional<std::string>("SWP002L5"));
    // Both LMID rows changed, and the log says so, as one transaction.
    CHECK(rig.count("SELECT count(*) FROM event_log") == events + 2);
    CHECK(rig.count("SELECT count(DISTINCT txid) FROM (SELECT txid FROM event_log "
                    "ORDER BY seq DESC LIMIT 2) last") == 1);
    CHECK(rig.count("SELECT count(*) FROM (SELECT object_kind, op FROM event_log ORDER BY seq "
                    "DESC LIMIT 2) last WHERE object_kind = 'logical_media' AND op = 'update'") ==
          2);
    // And back again.
    REQUIRE_OK(rig.engine->swap(rig.root, p.b, p.a));
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_INVALID_PARAMETER — a media identifier is missing") {
    EngineRig rig;
    SwapPair p = pair(rig);
    REQUIRE_CODE(rig.engine->swap(rig.root, Uuid(), p.b), ErrorCode::InvalidParameter);
    REQUIRE_CODE(rig.engine->swap(rig.root, p.a, Uuid()), ErrorCode::InvalidParameter);
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_INVALID_HANDLE — the session handle is missing or not valid") {
    EngineRig rig;
    SwapPair p = pair(rig);
    REQUIRE_CODE(rig.engine->swap(Uuid(), p.a, p.b), ErrorCode::InvalidHandle);
    REQUIRE_CODE(rig.engine->swap(Uuid::random(), p.a, p.b), ErrorCode::InvalidHandle);
    Uuid closed = rig.session(0);
    REQUIRE_OK(rig.engine->closeSession(closed));
    REQUIRE_CODE(rig.engine->swap(closed, p.a, p.b), ErrorCode::InvalidHandle);
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_INVALID_MEDIA — an id names no LMID") {
    EngineRig rig;
    SwapPair p = pair(rig);
    REQUIRE_CODE(rig.engine->swap(rig.root, p.a, Uuid::random()), ErrorCode::InvalidMedia);
    // A physical medium's id is not an LMID.
    REQUIRE_CODE(rig.engine->swap(rig.root, rig.mediaOf(p.a), p.b), ErrorCode::InvalidMedia);
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_INVALID_MEDIA_POOL — pools not the same, or not valid") {
    EngineRig rig;
    SwapPair p = pair(rig);
    PoolOptions o;
    o.mediaType = "LTO-5";
    auto other = rig.engine->createPool(rig.root, "archive", o);
    REQUIRE_OK(other);
    Uuid c = rig.lmid("SWP003L5", "Bacula", *other);

    SUBCASE("different pools") {
        REQUIRE_CODE(rig.engine->swap(rig.root, p.a, c), ErrorCode::InvalidMediaPool);
    }
    SUBCASE("a disabled pool") {
        rig.sql("UPDATE pool SET enabled = false WHERE name = 'backup'");
        REQUIRE_CODE(rig.engine->swap(rig.root, p.a, p.b), ErrorCode::InvalidMediaPool);
    }
    SUBCASE("an LMID whose medium sits in a system pool") {
        rig.sql(
            "UPDATE physical_media SET pool_id = (SELECT id FROM pool WHERE kind = 0) "
            "WHERE barcode = 'SWP002L5'");
        REQUIRE_CODE(rig.engine->swap(rig.root, p.a, p.b), ErrorCode::InvalidMediaPool);
    }
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_ACCESS_DENIED — MODIFY on either media's pool is denied") {
    EngineRig rig;
    SwapPair p = pair(rig);
    PoolOptions o;
    o.mediaType = "LTO-5";
    auto other = rig.engine->createPool(rig.root, "archive", o);
    REQUIRE_OK(other);
    Uuid c = rig.lmid("SWP003L5", "Bacula", *other);
    const Uuid user = rig.session(1000, {100});

    SUBCASE("no right at all") {
        REQUIRE_CODE(rig.engine->swap(user, p.a, p.b), ErrorCode::AccessDenied);
    }
    SUBCASE("USE and CONTROL are not MODIFY") {
        REQUIRE_OK(rig.engine->grant(rig.root, rig.pool, PrincipalKind::User, 1000,
                                     rights::Use | rights::Control));
        REQUIRE_CODE(rig.engine->swap(user, p.a, p.b), ErrorCode::AccessDenied);
    }
    SUBCASE("MODIFY on the first pool only") {
        REQUIRE_OK(
            rig.engine->grant(rig.root, rig.pool, PrincipalKind::User, 1000, rights::Modify));
        REQUIRE_CODE(rig.engine->swap(user, p.a, c), ErrorCode::AccessDenied);
    }
    SUBCASE("MODIFY on the second pool only") {
        REQUIRE_OK(rig.engine->grant(rig.root, *other, PrincipalKind::User, 1000, rights::Modify));
        REQUIRE_CODE(rig.engine->swap(user, p.a, c), ErrorCode::AccessDenied);
    }
    SUBCASE("MODIFY through a group, and through the admin group, is enough") {
        REQUIRE_OK(
            rig.engine->grant(rig.root, rig.pool, PrincipalKind::Group, 100, rights::Modify));
        REQUIRE_OK(rig.engine->swap(user, p.a, p.b));
        // The log names who swapped: the session's user, in every row of its transaction.
        CHECK(rig.count("SELECT count(*) FROM (SELECT principal FROM event_log ORDER BY seq "
                        "DESC LIMIT 2) last WHERE principal = 'uid:1000'") == 2);
        REQUIRE_OK(rig.engine->swap(rig.session(2000, {kAdminGid}), p.a, p.b));
        CHECK(rig.query("SELECT principal FROM event_log ORDER BY seq DESC LIMIT 1") == "uid:2000");
    }
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_BAD_FORMAT — no media label library recognizes a side's label") {
    EngineRig rig;
    Uuid a = rig.lmid("SWP001L5");
    SUBCASE("no label") {
        Uuid b = rig.lmid("SWP002L5", std::nullopt);
        REQUIRE_CODE(rig.engine->swap(rig.root, a, b), ErrorCode::BadFormat);
    }
    SUBCASE("a label type no library claims") {
        Uuid b = rig.lmid("SWP002L5", "NetWorker");
        REQUIRE_CODE(rig.engine->swap(rig.root, b, a), ErrorCode::BadFormat);
    }
    SUBCASE("every built-in label type is recognized") {
        Uuid b = rig.lmid("SWP002L5", "LTFS");
        REQUIRE_OK(rig.engine->swap(rig.root, a, b));
        for (const char *type : {"VOL1", "Bareos", "Amanda", "tar"}) {
            rig.sql(std::string("UPDATE side SET label_type = '") + type + "'");
            REQUIRE_OK(rig.engine->swap(rig.root, a, b));
        }
    }
}

TEST_CASE("swap: ERROR_BUSY — either medium is in use") {
    EngineRig rig;
    SwapPair p = pair(rig);
    SUBCASE("being moved (INUSE)") {
        rig.sql("UPDATE physical_media SET state = 1 WHERE barcode = 'SWP002L5'");
        REQUIRE_CODE(rig.engine->swap(rig.root, p.a, p.b), ErrorCode::Busy);
    }
    SUBCASE("the subject of a running library request") {
        rig.sql(
            "INSERT INTO library_request (library_id, kind, state, media_id) SELECT "
            "(SELECT id FROM library WHERE kind = 0), 'mount', 1, id FROM physical_media "
            "WHERE barcode = 'SWP001L5'");
        REQUIRE_CODE(rig.engine->swap(rig.root, p.a, p.b), ErrorCode::Busy);
        rig.sql("UPDATE library_request SET state = 2");  // PASSED: no longer in use
        REQUIRE_OK(rig.engine->swap(rig.root, p.a, p.b));
        REQUIRE_OK(rig.engine->swap(rig.root, p.a, p.b));
    }
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_NOT_ENOUGH_MEMORY — an allocation failure, mapped at the boundary") {
    EngineRig rig;
    SwapPair p = pair(rig);
    rig.t.store->setFaultHook([] { throw std::bad_alloc(); });
    REQUIRE_CODE(rig.engine->swap(rig.root, p.a, p.b), ErrorCode::NotEnoughMemory);
    rig.t.store->setFaultHook(nullptr);
    unchanged(rig, p);
}

TEST_CASE("swap: ERROR_DATABASE_FAILURE — the database server is gone") {
    PgCluster own;
    EngineRig rig(own);
    SwapPair p = pair(rig);
    own.stop(true);
    REQUIRE_CODE(rig.engine->swap(rig.root, p.a, p.b), ErrorCode::DatabaseFailure);
    own.start();
    unchanged(rig, p);
    // The lost connection is re-established for the next operation.
    REQUIRE_OK(rig.engine->swap(rig.root, p.a, p.b));
    CHECK(rig.sideOf(p.a) == p.sideB);
}

TEST_CASE("swap: ERROR_DATABASE_FULL — the database's disk is full") {
    PgCluster &cluster = PgCluster::shared();
    SmallTablespace space(cluster, "rsm_swap_full");
    std::optional<EngineRig> rig;
    rig.emplace(cluster);
    space.dropDatabaseLater(rig->t.database);
    SwapPair p = pair(*rig);
    rig->sql(space.moveLogAndAttributesSql());
    // Fill the tablespace until nothing fits (by SQL: an attribute through the engine holds at
    // most 4 KiB, 64 per object).
    fillDisk(rig->t.connectionString);
    REQUIRE_CODE(rig->engine->swap(rig->root, p.a, p.b), ErrorCode::DatabaseFull);
    unchanged(*rig, p);
    rig.reset();  // no connections left to the database the clean-up drops
}
