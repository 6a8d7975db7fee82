// The life of media (docs/lifecycle.md) through the engine against the real store, with a
// ManualClock: a retention ends after its span and not before, a report-only pool only reports,
// a kept pool keeps; WORM media are never deallocated; full, damaged and retired media are not
// allocated; a pool's allocation policy; the water marks raise one operator request and complete
// it when the pool is refilled.

#include <doctest/doctest.h>

#include "tests/engine/engine_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

constexpr std::int64_t kDay = 86400;

// An engine over the rig's database with a clock of its own.
struct LifeRig {
    EngineRig rig;
    ManualClock clock;
    std::unique_ptr<Engine> engine;
    Uuid root;

    LifeRig() {
        EngineConfig config;
        config.adminGid = kAdminGid;
        config.clock = &clock;
        engine = std::make_unique<Engine>(*rig.t.store, config);
        auto s = engine->openSession(Principal{0, {}}, "tests");
        REQUIRE_OK(s);
        root = *s;
    }

    void policy(const Uuid &pool, const PoolPolicyChange &change) {
        REQUIRE_OK(engine->setPoolPolicy(root, pool, change));
    }

    // An LMID of `pool` made COMPLETE now.
    Uuid completed(const std::string &barcode) {
        const Uuid l = rig.lmid(barcode);
        REQUIRE_OK(engine->setComplete(root, l));
        return l;
    }

    Uuid freePool() {
        auto id = engine->findPool(root, "free:LTO-5");
        REQUIRE_OK(id);
        return *id;
    }

    std::string poolOf(const std::string &barcode) {
        return rig.query(
            "SELECT p.name FROM physical_media m JOIN pool p ON p.id = m.pool_id"
            " WHERE m.barcode = $1",
            {barcode});
    }
};

PoolPolicyChange retention(std::int64_t seconds) {
    PoolPolicyChange c;
    c.retentionSeconds = seconds;
    return c;
}

}  // namespace

TEST_CASE("lifecycle: a side's retention ends after its span, then it goes back to scratch") {
    LifeRig r;
    r.policy(r.rig.pool, retention(7 * kDay));
    const Uuid lmid = r.completed("L00001");

    auto sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    CHECK(sweep->sides.empty());
    RetentionFilter due;
    due.after = sweep->now;
    auto listed = r.engine->retentionList(r.root, due);
    REQUIRE_OK(listed);
    REQUIRE(listed->size() == 1);
    CHECK((*listed)[0].pool == "backup");
    CHECK((*listed)[0].side.ends >= sweep->now + 7 * kDay - 5);
    CHECK((*listed)[0].side.ends <= sweep->now + 7 * kDay + 5);

    r.clock.advance(std::chrono::hours(24 * 6));
    sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    CHECK(sweep->sides.empty());

    r.clock.advance(std::chrono::hours(48));
    sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    REQUIRE(sweep->sides.size() == 1);
    CHECK(sweep->sides[0].outcome == "deallocated");
    CHECK(sweep->sides[0].side.lmidId == lmid);
    CHECK(r.rig.count("SELECT count(*) FROM logical_media") == 0);
    CHECK(r.poolOf("L00001") == "free:LTO-5");
    CHECK(r.rig.query("SELECT state::text FROM side") == "4");
    RetentionFilter expired;
    expired.until = sweep->now;
    listed = r.engine->retentionList(r.root, expired);
    REQUIRE_OK(listed);
    CHECK(listed->empty());
}

TEST_CASE("lifecycle: a report-only pool reports, a kept pool keeps, last-write counts") {
    LifeRig r;
    PoolPolicyChange c = retention(kDay);
    c.action = ExpireAction::Report;
    r.policy(r.rig.pool, c);
    r.completed("L00001");
    r.clock.advance(std::chrono::hours(48));
    auto sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    REQUIRE(sweep->sides.size() == 1);
    CHECK(sweep->sides[0].outcome == "reported");
    CHECK(r.rig.count("SELECT count(*) FROM logical_media") == 1);

    PoolPolicyChange keep;
    keep.keep = true;
    r.policy(r.rig.pool, keep);
    sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    CHECK(sweep->sides.empty());

    // Last write: a side written (and not completed) 3 days ago is due after 2 days' span.
    PoolPolicyChange lw = retention(2 * kDay);
    lw.basis = RetentionBasis::LastWrite;
    lw.action = ExpireAction::Deallocate;
    r.policy(r.rig.pool, lw);
    const Uuid written = r.rig.lmid("L00002");
    r.rig.sql("UPDATE side SET last_written = now() WHERE id = '" +
              r.rig.sideOf(written).toString() + "'");
    r.clock.advance(std::chrono::hours(24 * 3));
    sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    CHECK(sweep->sides.size() == 2);
    CHECK(r.rig.count("SELECT count(*) FROM logical_media") == 0);
}

TEST_CASE("lifecycle: WORM media are never deallocated to scratch") {
    LifeRig r;
    r.policy(r.rig.pool, retention(kDay));
    const Uuid lmid = r.completed("W00001");
    r.rig.sql("UPDATE physical_media SET worm = true WHERE barcode = 'W00001'");
    r.clock.advance(std::chrono::hours(48));
    auto sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    REQUIRE(sweep->sides.size() == 1);
    CHECK(sweep->sides[0].outcome == "kept: WORM");
    REQUIRE_CODE(r.engine->deallocate(r.root, lmid), ErrorCode::InvalidOperation);
    CHECK(r.poolOf("W00001") == "backup");

    // A WORM media type makes its media WORM; a drive's reading does too (test_health).
    REQUIRE_OK(r.engine->createMediaType(r.root, "LTO-7-WORM", 1, "", true));
    NewMedia m;
    m.barcode = "W00002";
    m.mediaType = "LTO-7-WORM";
    auto id = r.engine->createOfflineMedia(r.root, m);
    REQUIRE_OK(id);
    auto info = r.engine->getMedia(r.root, *id);
    REQUIRE_OK(info);
    CHECK(info->life.worm);
}

TEST_CASE("lifecycle: full, damaged and retired media are not allocated") {
    LifeRig r;
    const Uuid media = r.rig.offlineMedia("S00001");
    for (MediaLife life : {MediaLife::Full, MediaLife::Damaged, MediaLife::Retired}) {
        REQUIRE_OK(r.engine->setMediaLife(r.root, media, life));
        REQUIRE_CODE(r.engine->allocate(r.root, r.rig.pool, {}), ErrorCode::MediaUnavailable);
        AllocateOptions o;
        o.media = media;
        REQUIRE_CODE(r.engine->allocate(r.root, r.rig.pool, o), ErrorCode::MediaUnavailable);
    }
    const Uuid other = r.rig.session(1000);
    REQUIRE_CODE(r.engine->setMediaLife(other, media, MediaLife::Active), ErrorCode::AccessDenied);
    REQUIRE_OK(r.engine->setMediaLife(r.root, media, MediaLife::Active));
    REQUIRE_OK(r.engine->allocate(r.root, r.rig.pool, {}));
}

TEST_CASE("lifecycle: allocation policies and the policy's checks") {
    LifeRig r;
    const Uuid used = r.rig.lmid("U00001");
    REQUIRE_OK(r.engine->deallocate(r.root, used));
    PoolPolicyChange c;
    c.allocation = AllocationPolicy::New;
    r.policy(r.rig.pool, c);
    // Only a used medium is left (it went back to FREE, the pool draws from it).
    REQUIRE_CODE(r.engine->allocate(r.root, r.rig.pool, {}), ErrorCode::MediaUnavailable);
    c.allocation = AllocationPolicy::Continue;
    r.policy(r.rig.pool, c);
    auto z = r.engine->allocate(r.root, r.rig.pool, {});
    REQUIRE_OK(z);

    // Per day: the first allocation of a day takes a never-used medium, later ones any.
    c.allocation = AllocationPolicy::Period;
    c.period = AllocationPeriod::Day;
    r.policy(r.rig.pool, c);
    REQUIRE_OK(r.engine->deallocate(r.root, *z));  // the used one is available again
    r.rig.offlineMedia("U00002");
    REQUIRE_OK(r.engine->allocate(r.root, r.rig.pool, {}));  // the new one
    auto w = r.engine->allocate(r.root, r.rig.pool, {});     // the same day: the used one
    REQUIRE_OK(w);
    REQUIRE_OK(r.engine->deallocate(r.root, *w));
    r.clock.advance(std::chrono::hours(24));
    REQUIRE_CODE(r.engine->allocate(r.root, r.rig.pool, {}), ErrorCode::MediaUnavailable);

    PoolPolicyChange bad;
    bad.lowMark = 5;
    bad.highMark = 2;
    REQUIRE_CODE(r.engine->setPoolPolicy(r.root, r.rig.pool, bad), ErrorCode::InvalidParameter);
    REQUIRE_CODE(r.engine->setPoolPolicy(r.root, r.freePool(), retention(kDay)),
                 ErrorCode::InvalidMediaPool);
    REQUIRE_CODE(r.engine->setPoolPolicy(r.rig.session(1000), r.rig.pool, retention(kDay)),
                 ErrorCode::AccessDenied);
}

TEST_CASE("lifecycle: a pool below its low mark raises one operator request until refilled") {
    LifeRig r;
    const Uuid free = r.freePool();
    PoolPolicyChange marks;
    marks.lowMark = 2;
    marks.highMark = 3;
    r.policy(free, marks);
    r.rig.offlineMedia("F00001", "Bacula", free);

    auto sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    REQUIRE(sweep->pools.size() == 1);
    CHECK(sweep->pools[0].free == 1);
    CHECK(sweep->pools[0].raised);
    CHECK(r.rig.count("SELECT count(*) FROM operator_request WHERE kind = 1 AND state = 1") == 1);
    CHECK(r.rig.query("SELECT message FROM operator_request").find("below its low mark of 2") !=
          std::string::npos);

    sweep = r.engine->applyLifecycle();  // still low: the same request, not another
    REQUIRE_OK(sweep);
    CHECK(!sweep->pools[0].raised);
    CHECK(r.rig.count("SELECT count(*) FROM operator_request") == 1);

    r.rig.offlineMedia("F00002", "Bacula", free);  // at the low mark, below the high mark
    sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    CHECK(!sweep->pools[0].withdrawn);
    r.rig.offlineMedia("F00003", "Bacula", free);
    sweep = r.engine->applyLifecycle();
    REQUIRE_OK(sweep);
    CHECK(sweep->pools[0].withdrawn);
    CHECK(r.rig.count("SELECT count(*) FROM operator_request WHERE state = 5") == 1);
    CHECK(r.rig.query("SELECT low_request::text FROM pool WHERE id = $1::uuid",
                      {free.toString()}) == "");
}
