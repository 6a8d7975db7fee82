// Many clients at once on overlapping media: 16 threads, each with its own session and
// connection, doing random swaps, allocations, deallocations, pool moves, deletes and creates
// for a while; afterwards the invariants are checked in SQL.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "tests/engine/engine_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

TEST_CASE("concurrency: 16 clients doing random operations keep every invariant") {
    constexpr int kClients = 16;
    constexpr auto kDuration = std::chrono::seconds(12);
    store::PgStoreOptions options;
    options.schemaDir = schemaDir();
    options.poolSize = kClients;
    options.maxRetries = 200;
    EngineRig rig(PgCluster::shared(), options);
    PoolOptions o;
    o.mediaType = "LTO-5";
    auto archive = rig.engine->createPool(rig.root, "archive", o);
    REQUIRE_OK(archive);
    const Uuid pools[2] = {rig.pool, *archive};
    for (int i = 0; i < 40; ++i)
        rig.offlineMedia("CC" + std::to_string(1000 + i) + "L5", "Bacula", pools[i % 2]);

    std::atomic<long> allocated{0}, deallocated{0}, created{0}, deleted{0}, operations{0};
    std::mutex lock;
    std::map<std::string, long> outcomes;  // "swap ERROR_BUSY" -> count
    std::vector<std::string> unexpected;
    const auto deadline = std::chrono::steady_clock::now() + kDuration;

    auto client = [&](int n) {
        std::mt19937 random(static_cast<unsigned>(1234 + n));
        const Uuid session = *rig.engine->openSession(Principal{0, {}}, "client");
        auto note = [&](const char *op, const Result<void> &r,
                        std::initializer_list<ErrorCode> ok) {
            ++operations;
            const std::string code = r.ok() ? "SUCCESS" : std::string(errorName(r.error().code()));
            bool expected = r.ok();
            for (ErrorCode c : ok)
                expected = expected || r.error().code() == c;
            std::lock_guard<std::mutex> g(lock);
            ++outcomes[std::string(op) + " " + code];
            if (!expected)
                unexpected.push_back(std::string(op) + ": " + r.error().toString());
        };
        while (std::chrono::steady_clock::now() < deadline) {
            auto lmids = rig.engine->listLmids(session);
            auto media = rig.engine->listMedia(session);
            if (!lmids || !media) {
                std::lock_guard<std::mutex> g(lock);
                unexpected.push_back("list failed");
                continue;
            }
            auto pickLmid = [&]() -> Uuid {
                if (lmids->empty())
                    return Uuid::random();
                return (*lmids)[random() % lmids->size()].row.id;
            };
            auto pickMedia = [&]() -> Uuid {
                if (media->empty())
                    return Uuid::random();
                return (*media)[random() % media->size()].row.id;
            };
            switch (random() % 6) {
                case 0: {
                    auto swapped = rig.engine->swap(session, pickLmid(), pickLmid());
                    note("swap", swapped ? success() : Result<void>(swapped.error()),
                         {ErrorCode::InvalidMedia, ErrorCode::InvalidMediaPool,
                          ErrorCode::InvalidParameter});
                    break;
                }
                case 1: {
                    auto r = rig.engine->allocate(session, pools[random() % 2], {});
                    if (r)
                        ++allocated;
                    note("allocate", r.ok() ? success() : Result<void>(r.error()),
                         {ErrorCode::MediaUnavailable});
                    break;
                }
                case 2: {
                    auto r = rig.engine->deallocate(session, pickLmid());
                    if (r)
                        ++deallocated;
                    note("deallocate", r, {ErrorCode::InvalidMedia});
                    break;
                }
                case 3: {
                    auto r = rig.engine->moveToPool(session, pickMedia(), pools[random() % 2]);
                    note("move", r, {ErrorCode::InvalidMedia});
                    break;
                }
                case 4: {
                    auto r = rig.engine->deleteMedia(session, pickMedia());
                    if (r)
                        ++deleted;
                    note("delete", r, {ErrorCode::InvalidMedia, ErrorCode::InvalidState});
                    break;
                }
                case 5: {
                    NewMedia m;
                    m.barcode = "N" + std::to_string(n) + "_" + std::to_string(random() % 100000);
                    m.mediaType = "LTO-5";
                    m.pool = pools[random() % 2];
                    m.labelType = "Bareos";
                    auto r = rig.engine->createOfflineMedia(session, m);
                    if (r)
                        ++created;
                    note("create", r.ok() ? success() : Result<void>(r.error()),
                         {ErrorCode::AlreadyExists});
                    break;
                }
            }
        }
    };
    std::vector<std::thread> threads;
    for (int n = 0; n < kClients; ++n)
        threads.emplace_back(client, n);
    for (auto &t : threads)
        t.join();

    std::string summary;
    for (const auto &[what, n] : outcomes)
        summary += what + "=" + std::to_string(n) + " ";
    MESSAGE("operations: " << operations.load() << "; " << summary);
    for (const auto &u : unexpected)
        FAIL_CHECK("unexpected outcome: " << u);
    CHECK(operations.load() > 200);
    CHECK(allocated.load() > 0);
    CHECK(deallocated.load() > 0);
    CHECK(deleted.load() > 0);
    CHECK(outcomes["swap SUCCESS"] > 0);

    // No side in two LMIDs; no LMID without a side; an LMID exactly for owned sides.
    CHECK(rig.count("SELECT count(*) FROM (SELECT side_id FROM logical_media GROUP BY side_id "
                    "HAVING count(*) > 1) d") == 0);
    CHECK(rig.count("SELECT count(*) FROM logical_media l LEFT JOIN side s ON s.id = l.side_id "
                    "WHERE s.id IS NULL") == 0);
    CHECK(rig.count("SELECT count(*) FROM logical_media l JOIN side s ON s.id = l.side_id "
                    "WHERE s.state NOT IN (5, 6)") == 0);
    CHECK(rig.count("SELECT count(*) FROM side s WHERE s.state IN (5, 6) AND NOT EXISTS "
                    "(SELECT 1 FROM logical_media l WHERE l.side_id = s.id)") == 0);
    // Counts consistent: LMIDs = allocations - deallocations; media = 40 + created - deleted;
    // every allocated side was counted; no owned media in a FREE pool.
    CHECK(rig.count("SELECT count(*) FROM logical_media") == allocated - deallocated);
    CHECK(rig.count("SELECT count(*) FROM physical_media") == 40 + created - deleted);
    CHECK(rig.count("SELECT count(*) FROM side WHERE state IN (5, 6) AND allocate_count < 1") == 0);
    CHECK(rig.count("SELECT count(*) FROM side s JOIN physical_media m ON m.id = s.media_id "
                    "JOIN pool p ON p.id = m.pool_id WHERE s.state IN (5, 6, 9) AND p.kind = 0") ==
          0);
    // Event log complete: the last event of every LMID, medium and side is its current row,
    // and every deleted medium has its delete event.
    CHECK(rig.count("SELECT count(*) FROM logical_media l WHERE (SELECT e.data ->> 'side_id' "
                    "FROM event_log_full e WHERE e.object_id = l.id ORDER BY seq DESC LIMIT 1) IS "
                    "DISTINCT FROM l.side_id::text") == 0);
    CHECK(rig.count("SELECT count(*) FROM physical_media m WHERE (SELECT e.data ->> 'pool_id' "
                    "FROM event_log_full e WHERE e.object_id = m.id AND e.object_kind = "
                    "'physical_media' ORDER BY seq DESC LIMIT 1) IS DISTINCT FROM "
                    "m.pool_id::text") == 0);
    CHECK(rig.count("SELECT count(*) FROM side s WHERE (SELECT (e.data ->> 'state')::int FROM "
                    "event_log_full e WHERE e.object_id = s.id AND e.object_kind = 'side' ORDER BY "
                    "seq DESC LIMIT 1) IS DISTINCT FROM s.state") == 0);
    CHECK(rig.count("SELECT count(*) FROM event_log WHERE object_kind = 'physical_media' AND "
                    "op = 'delete'") == deleted);
    CHECK(rig.count("SELECT count(*) FROM event_log WHERE object_kind = 'logical_media' AND "
                    "op = 'insert'") == allocated);
}
