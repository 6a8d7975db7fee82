// The engine's other operations against a real PostgreSQL: pools, allocation policies,
// deallocation, completion, decommission, moves between pools, names and attributes, ACLs.

#include <doctest/doctest.h>

#include "tests/engine/engine_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

SideState stateOf(EngineRig &rig, const Uuid &side) {
    return static_cast<SideState>(
        rig.count("SELECT state FROM side WHERE id = $1::uuid", {side.toString()}));
}

std::string poolOf(EngineRig &rig, const Uuid &media) {
    auto info = rig.engine->getMedia(rig.root, media);
    REQUIRE_OK(info);
    return info->pool;
}

}  // namespace

TEST_CASE("pools: paths, system pools, and deletion of empty application pools only") {
    EngineRig rig;
    PoolOptions o;
    REQUIRE_OK(rig.engine->createPool(rig.root, "backup/daily", o));  // inherits LTO-5
    REQUIRE_CODE(rig.engine->createPool(rig.root, "backup/daily", o), ErrorCode::AlreadyExists);
    REQUIRE_CODE(rig.engine->createPool(rig.root, "nope/daily", o), ErrorCode::InvalidMediaPool);
    REQUIRE_CODE(rig.engine->createPool(rig.root, "bad//path", o), ErrorCode::InvalidParameter);
    REQUIRE_CODE(rig.engine->createPool(rig.root, "orphan", o), ErrorCode::InvalidParameter);
    auto daily = rig.engine->findPool(rig.root, "backup/daily");
    REQUIRE_OK(daily);
    auto pools = rig.engine->listPools(rig.root);
    REQUIRE_OK(pools);
    std::vector<std::string> paths;
    for (const auto &p : *pools)
        paths.push_back(p.path);
    std::sort(paths.begin(), paths.end());
    CHECK(paths == std::vector<std::string>{"backup", "backup/daily", "free:LTO-5", "import:LTO-5",
                                            "unrecognized:LTO-5"});
    REQUIRE_CODE(rig.engine->deletePool(rig.root, rig.pool), ErrorCode::NotEmpty);  // a child
    auto free = rig.engine->findPool(rig.root, "free:LTO-5");
    REQUIRE_OK(free);
    REQUIRE_CODE(rig.engine->deletePool(rig.root, *free), ErrorCode::InvalidMediaPool);
    rig.offlineMedia("OPS001L5", "Bacula", *daily);
    REQUIRE_CODE(rig.engine->deletePool(rig.root, *daily), ErrorCode::NotEmpty);
    // A user may create root pools only with CONTROL on the computer; its creator may use it.
    const Uuid user = rig.session(1000);
    PoolOptions lto;
    lto.mediaType = "LTO-5";
    REQUIRE_CODE(rig.engine->createPool(user, "mine", lto), ErrorCode::AccessDenied);
    auto computer = rig.engine->computer(rig.root);
    REQUIRE_OK(rig.engine->grant(rig.root, *computer, PrincipalKind::User, 1000, rights::Control));
    auto mine = rig.engine->createPool(user, "mine", lto);
    REQUIRE_OK(mine);
    REQUIRE_OK(rig.engine->deletePool(user, *mine));
}

TEST_CASE("allocate: from the pool, then from FREE when the policy allows, else unavailable") {
    EngineRig rig;
    auto free = rig.engine->findPool(rig.root, "free:LTO-5");
    REQUIRE_OK(free);
    const Uuid inPool = rig.offlineMedia("ALC001L5");
    const Uuid scratch = rig.offlineMedia("ALC002L5", "Bacula", *free);
    auto a = rig.engine->allocate(rig.root, rig.pool, {});
    REQUIRE_OK(a);
    CHECK(rig.mediaOf(*a) == inPool);
    auto b = rig.engine->allocate(rig.root, rig.pool, {});
    REQUIRE_OK(b);
    CHECK(rig.mediaOf(*b) == scratch);
    CHECK(poolOf(rig, scratch) == "backup");  // drawn from FREE into the pool
    REQUIRE_CODE(rig.engine->allocate(rig.root, rig.pool, {}), ErrorCode::MediaUnavailable);
    REQUIRE_CODE(rig.engine->allocate(rig.root, *free, {}), ErrorCode::InvalidMediaPool);
    // A pool whose policy forbids drawing from FREE.
    PoolOptions closed;
    closed.mediaType = "LTO-5";
    closed.allocateFromFree = false;
    auto c = rig.engine->createPool(rig.root, "closed", closed);
    REQUIRE_OK(c);
    rig.offlineMedia("ALC003L5", "Bacula", *free);
    REQUIRE_CODE(rig.engine->allocate(rig.root, *c, {}), ErrorCode::MediaUnavailable);
}

TEST_CASE("allocate NEW reserves the other side; NEXT takes it") {
    EngineRig rig;
    REQUIRE_OK(rig.engine->createMediaType(rig.root, "MO", 2));
    PoolOptions o;
    o.mediaType = "MO";
    auto pool = rig.engine->createPool(rig.root, "optical", o);
    REQUIRE_OK(pool);
    NewMedia m;
    m.barcode = "MO0001";
    m.mediaType = "MO";
    m.pool = *pool;
    auto media = rig.engine->createOfflineMedia(rig.root, m);
    REQUIRE_OK(media);
    AllocateOptions first;
    first.newSide = true;
    auto a = rig.engine->allocate(rig.root, *pool, first);
    REQUIRE_OK(a);
    CHECK(rig.count("SELECT count(*) FROM side WHERE state = 9") == 1);  // RESERVED
    REQUIRE_CODE(rig.engine->allocate(rig.root, *pool, first), ErrorCode::MediaUnavailable);
    AllocateOptions next;
    next.next = *a;
    auto b = rig.engine->allocate(rig.root, *pool, next);
    REQUIRE_OK(b);
    CHECK(rig.mediaOf(*b) == *media);
    CHECK(rig.sideOf(*b) != rig.sideOf(*a));
}

TEST_CASE("deallocate: back to AVAILABLE and FREE, or DECOMMISSIONED at max allocations") {
    EngineRig rig;
    auto l = rig.lmid("DEA001L5");
    const Uuid side = rig.sideOf(l), media = rig.mediaOf(l);
    REQUIRE_OK(rig.engine->deallocate(rig.root, l));
    CHECK(stateOf(rig, side) == SideState::Available);
    CHECK(poolOf(rig, media) == "free:LTO-5");
    REQUIRE_CODE(rig.engine->deallocate(rig.root, l), ErrorCode::InvalidMedia);

    PoolOptions o;
    o.mediaType = "LTO-5";
    o.maxAllocations = 2;
    o.deallocateToFree = false;
    auto limited = rig.engine->createPool(rig.root, "limited", o);
    REQUIRE_OK(limited);
    auto x = rig.lmid("DEA002L5", "Bacula", *limited);
    REQUIRE_OK(rig.engine->deallocate(rig.root, x));
    auto y = rig.engine->allocate(rig.root, *limited, {});
    REQUIRE_OK(y);
    const Uuid ySide = rig.sideOf(*y);
    REQUIRE_OK(rig.engine->setComplete(rig.root, *y));
    CHECK(stateOf(rig, ySide) == SideState::Complete);
    REQUIRE_CODE(rig.engine->setComplete(rig.root, *y), ErrorCode::InvalidState);
    REQUIRE_OK(rig.engine->deallocate(rig.root, *y));
    CHECK(stateOf(rig, ySide) == SideState::Decommissioned);  // the second allocation was the last
    REQUIRE_CODE(rig.engine->decommission(rig.root, ySide), ErrorCode::InvalidState);
}

TEST_CASE("move to pool: the pool rules") {
    EngineRig rig;
    auto free = rig.engine->findPool(rig.root, "free:LTO-5");
    auto import = rig.engine->findPool(rig.root, "import:LTO-5");
    REQUIRE_OK(free);
    REQUIRE_OK(import);
    PoolOptions o;
    o.mediaType = "LTO-5";
    auto other = rig.engine->createPool(rig.root, "other", o);
    REQUIRE_OK(other);
    auto l = rig.lmid("MOV001L5");
    const Uuid owned = rig.mediaOf(l);
    REQUIRE_CODE(rig.engine->moveToPool(rig.root, owned, *free), ErrorCode::InvalidMediaPool);
    REQUIRE_OK(rig.engine->moveToPool(rig.root, owned, *other));  // the LMID goes along
    auto info = rig.engine->getLmid(rig.root, l);
    REQUIRE_OK(info);
    CHECK(info->pool == "other");
    REQUIRE_CODE(rig.engine->moveToPool(rig.root, owned, *import), ErrorCode::InvalidMediaPool);
    // IMPORT media go to FREE only, and become AVAILABLE there.
    NewMedia m;
    m.barcode = "IMP001L5";
    m.mediaType = "LTO-5";
    m.pool = *import;
    m.sideState = SideState::Import;
    auto imported = rig.engine->createOfflineMedia(rig.root, m);
    REQUIRE_OK(imported);
    REQUIRE_CODE(rig.engine->moveToPool(rig.root, *imported, rig.pool),
                 ErrorCode::InvalidMediaPool);
    REQUIRE_OK(rig.engine->moveToPool(rig.root, *imported, *free));
    CHECK(rig.count("SELECT count(*) FROM side s JOIN physical_media m ON m.id = s.media_id "
                    "WHERE m.barcode = 'IMP001L5' AND s.state = 4") == 1);
    // Another media type does not fit; busy media do not move.
    REQUIRE_OK(rig.engine->createMediaType(rig.root, "LTO-8", 1));
    PoolOptions eight;
    eight.mediaType = "LTO-8";
    auto lto8 = rig.engine->createPool(rig.root, "lto8", eight);
    REQUIRE_OK(lto8);
    REQUIRE_CODE(rig.engine->moveToPool(rig.root, *imported, *lto8), ErrorCode::MediaIncompatible);
    rig.sql("UPDATE physical_media SET state = 1 WHERE barcode = 'IMP001L5'");
    REQUIRE_CODE(rig.engine->moveToPool(rig.root, *imported, rig.pool), ErrorCode::Busy);
}

TEST_CASE("names, descriptions, attributes and ACLs") {
    EngineRig rig;
    const Uuid m = rig.offlineMedia("ATT001L5");
    REQUIRE_OK(rig.engine->setName(rig.root, m, "spare"));
    REQUIRE_OK(rig.engine->setDescription(rig.root, m, "kept in the safe"));
    REQUIRE_CODE(rig.engine->setName(rig.root, m, std::string(65, 'x')),
                 ErrorCode::InvalidParameter);
    REQUIRE_CODE(rig.engine->setName(rig.root, Uuid::random(), "x"), ErrorCode::ObjectNotFound);
    REQUIRE_OK(rig.engine->setAttribute(rig.root, m, "bytes", std::string("\0\x01\xff", 3)));
    auto v = rig.engine->getAttribute(rig.root, m, "bytes");
    REQUIRE_OK(v);
    CHECK(*v == std::string("\0\x01\xff", 3));
    REQUIRE_CODE(rig.engine->getAttribute(rig.root, m, "none"), ErrorCode::ObjectNotFound);
    const Uuid user = rig.session(1000);
    REQUIRE_CODE(rig.engine->getAttribute(user, m, "bytes"), ErrorCode::AccessDenied);
    REQUIRE_OK(rig.engine->grant(rig.root, rig.pool, PrincipalKind::User, 1000, rights::Use));
    REQUIRE_OK(rig.engine->getAttribute(user, m, "bytes"));
    REQUIRE_CODE(rig.engine->setAttribute(user, m, "x", "y"), ErrorCode::AccessDenied);
    REQUIRE_CODE(rig.engine->grant(user, rig.pool, PrincipalKind::User, 1000, rights::All),
                 ErrorCode::AccessDenied);
    auto acl = rig.engine->listAcl(rig.root, rig.pool);
    REQUIRE_OK(acl);
    CHECK(acl->size() == 2);  // the creator (uid 0) and uid 1000
    REQUIRE_OK(rig.engine->revoke(rig.root, rig.pool, PrincipalKind::User, 1000));
    REQUIRE_CODE(rig.engine->getAttribute(user, m, "bytes"), ErrorCode::AccessDenied);
    auto media = rig.engine->listMedia(user);
    REQUIRE_OK(media);
    CHECK(media->empty());  // lists show only what the caller may USE
}
