// The locking of READ COMMITTED swaps (store.h, Isolation) against the SERIALIZABLE operations,
// with interleavings chosen to collide: swaps sharing LMIDs, a swap against the deallocation
// and deletion of one of its media, an operation holding an LMID while a swap waits, and many
// clients allocating the last free side at once (and one waiting for a side another holds), and
// a deallocation against the allocation of the other side of its medium. Afterwards the
// invariants are checked in SQL.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "tests/engine/engine_fixture.h"

using namespace rsm;
using namespace rsm::engine;
using namespace rsm::test;

namespace {

store::PgStoreOptions manyClients() {
    store::PgStoreOptions options;
    options.schemaDir = schemaDir();
    options.poolSize = 16;
    options.maxRetries = 200;
    return options;
}

// The invariants of the concurrency test: no side in two LMIDs, an LMID exactly for each owned
// side, and each LMID's last event its current side.
void checkInvariants(EngineRig &rig) {
    CHECK(rig.count("SELECT count(*) FROM (SELECT side_id FROM logical_media GROUP BY side_id "
                    "HAVING count(*) > 1) d") == 0);
    CHECK(rig.count("SELECT count(*) FROM logical_media l JOIN side s ON s.id = l.side_id "
                    "WHERE s.state NOT IN (5, 6)") == 0);
    CHECK(rig.count("SELECT count(*) FROM side s WHERE s.state IN (5, 6) AND NOT EXISTS "
                    "(SELECT 1 FROM logical_media l WHERE l.side_id = s.id)") == 0);
    CHECK(rig.count("SELECT count(*) FROM logical_media l WHERE (SELECT e.data ->> 'side_id' "
                    "FROM event_log e WHERE e.object_id = l.id ORDER BY seq DESC LIMIT 1) IS "
                    "DISTINCT FROM l.side_id::text") == 0);
}

// Whether `f` is still running after `wait`.
template <typename T>
bool blocked(std::future<T> &f, std::chrono::milliseconds wait = std::chrono::milliseconds(400)) {
    return f.wait_for(wait) == std::future_status::timeout;
}

}  // namespace

TEST_CASE("isolation: swaps sharing LMIDs, 12 clients at once: none lost, none doubled") {
    EngineRig rig(PgCluster::shared(), manyClients());
    const Uuid lmids[3] = {rig.lmid("ISO001L5"), rig.lmid("ISO002L5"), rig.lmid("ISO003L5")};
    const std::set<Uuid> sides = {rig.sideOf(lmids[0]), rig.sideOf(lmids[1]), rig.sideOf(lmids[2])};
    std::atomic<long> swaps{0}, failures{0};
    std::mutex firstLock;
    std::string first;  // the first failure's message
    std::vector<std::thread> threads;
    for (int n = 0; n < 12; ++n)
        threads.emplace_back([&, n] {
            const Uuid session = *rig.engine->openSession(Principal{0, {}}, "iso");
            for (int i = 0; i < 40; ++i) {
                // (0,1), (1,2), (2,0): every pair shares an LMID with the two others.
                auto r = rig.engine->swap(session, lmids[(n + i) % 3], lmids[(n + i + 1) % 3]);
                if (r) {
                    ++swaps;
                } else if (failures++ == 0) {
                    std::lock_guard lock(firstLock);
                    first = r.error().toString();
                }
            }
        });
    for (auto &t : threads)
        t.join();
    CHECK_MESSAGE(failures.load() == 0, first);
    CHECK(swaps.load() == 12 * 40);
    // Each swap is a transposition of the three sides: 480 of them leave an even permutation,
    // and the three LMIDs still hold the three sides.
    std::vector<Uuid> now = {rig.sideOf(lmids[0]), rig.sideOf(lmids[1]), rig.sideOf(lmids[2])};
    CHECK(std::set<Uuid>(now.begin(), now.end()) == sides);
    CHECK(rig.count("SELECT count(*) FROM event_log WHERE object_kind = 'logical_media' AND "
                    "op = 'update'") == 2 * swaps.load());
    checkInvariants(rig);
}

TEST_CASE("isolation: a swap against the deallocation and deletion of one of its media") {
    EngineRig rig(PgCluster::shared(), manyClients());
    for (int round = 0; round < 20; ++round) {
        CAPTURE(round);
        const Uuid a = rig.lmid("ISA" + std::to_string(100 + round) + "L5");
        const Uuid b = rig.lmid("ISB" + std::to_string(100 + round) + "L5");
        const Uuid mediaA = rig.mediaOf(a);
        const Uuid s1 = *rig.engine->openSession(Principal{0, {}}, "swap");
        const Uuid s2 = *rig.engine->openSession(Principal{0, {}}, "delete");
        auto swapped = std::async(std::launch::async, [&]() -> Result<void> {
            auto done = rig.engine->swap(s1, a, b);
            return done ? success() : Result<void>(done.error());
        });
        auto deleted = std::async(std::launch::async, [&]() -> Result<void> {
            RSM_TRY_VOID(rig.engine->deallocate(s2, a));
            return rig.engine->deleteMedia(s2, mediaA);
        });
        const Result<void> swap = swapped.get(), removal = deleted.get();
        INFO("swap: " << (swap ? "ok" : swap.error().toString()));
        INFO("removal: " << (removal ? "ok" : removal.error().toString()));
        if (swap) {
            // The swap came first: A now holds B's old side, whose medium is still owned by B
            // (now on mediaA) — the deallocation freed B's old side, and the delete of mediaA,
            // which B's LMID holds, is refused.
            CHECK(!removal);
            CHECK(rig.count("SELECT count(*) FROM physical_media WHERE id = $1::uuid",
                            {mediaA.toString()}) == 1);
        } else {
            // The deallocation came first: the swap finds no LMID A, and mediaA is gone.
            CHECK(swap.error().code() == ErrorCode::InvalidMedia);
            CHECK(removal);
            CHECK(rig.count("SELECT count(*) FROM physical_media WHERE id = $1::uuid",
                            {mediaA.toString()}) == 0);
        }
        checkInvariants(rig);
    }
}

TEST_CASE("isolation: an operation holding an LMID makes the swap wait; a swap makes it wait") {
    EngineRig rig(PgCluster::shared(), manyClients());
    const Uuid a = rig.lmid("ISH001L5"), b = rig.lmid("ISH002L5");
    const Uuid sideA = rig.sideOf(a), sideB = rig.sideOf(b);

    // A transaction that depends on A (as Engine::held locks it: FOR SHARE) holds the swap.
    {
        pqxx::connection c(rig.t.connectionString);
        pqxx::work holder(c);
        holder.exec("SELECT id FROM logical_media WHERE id = '" + a.toString() + "' FOR SHARE");
        auto swapped =
            std::async(std::launch::async, [&] { return rig.engine->swap(rig.root, a, b); });
        CHECK(blocked(swapped));
        holder.commit();
        REQUIRE_OK(swapped.get());
        CHECK(rig.sideOf(a) == sideB);
    }
    // A swap holding A (its FOR UPDATE, here taken by hand and then committed with the swap's
    // change) makes a SERIALIZABLE deallocation of A wait; it is then retried and deallocates
    // A's side as the swap left it.
    {
        pqxx::connection c(rig.t.connectionString);
        pqxx::transaction<pqxx::read_committed> swapper(c);
        swapper.exec("SELECT id FROM logical_media WHERE id IN ('" + a.toString() + "', '" +
                     b.toString() + "') ORDER BY id FOR UPDATE");
        swapper.exec("UPDATE logical_media SET side_id = CASE id WHEN '" + a.toString() +
                     "'::uuid THEN '" + sideA.toString() + "'::uuid ELSE '" + sideB.toString() +
                     "'::uuid END WHERE id IN ('" + a.toString() + "', '" + b.toString() + "')");
        auto deallocated =
            std::async(std::launch::async, [&] { return rig.engine->deallocate(rig.root, a); });
        CHECK(blocked(deallocated));
        swapper.commit();
        REQUIRE_OK(deallocated.get());
        // A held sideA again when it was deallocated: sideA is free, sideB still B's.
        CHECK(rig.count("SELECT count(*) FROM side WHERE id = $1::uuid AND state = 4",
                        {sideA.toString()}) == 1);
        CHECK(rig.sideOf(b) == sideB);
    }
    checkInvariants(rig);
}

TEST_CASE("isolation: 16 clients allocating the last free side at once: exactly one gets it") {
    EngineRig rig(PgCluster::shared(), manyClients());
    rig.offlineMedia("LAST01L5");
    std::atomic<int> got{0}, unavailable{0}, other{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int n = 0; n < 16; ++n)
        threads.emplace_back([&] {
            const Uuid session = *rig.engine->openSession(Principal{0, {}}, "alloc");
            while (!go)
                std::this_thread::yield();
            auto r = rig.engine->allocate(session, rig.pool, {});
            if (r)
                ++got;
            else if (r.error().code() == ErrorCode::MediaUnavailable)
                ++unavailable;
            else
                ++other;
        });
    go = true;
    for (auto &t : threads)
        t.join();
    CHECK(got.load() == 1);
    CHECK(unavailable.load() == 15);
    CHECK(other.load() == 0);
    CHECK(rig.count("SELECT count(*) FROM logical_media") == 1);
    checkInvariants(rig);
}

TEST_CASE("isolation: an allocation finding every free side held waits for it, not 'none'") {
    EngineRig rig(PgCluster::shared(), manyClients());
    rig.offlineMedia("WAIT01L5");
    // The medium's side held by another transaction while an allocation starts (which must
    // wait for it), then let go by `release`: what the allocation answers.
    const auto allocateWhileHeld =
        [&](const std::function<void(pqxx::transaction_base &)> &release) {
            pqxx::connection c(rig.t.connectionString);
            pqxx::transaction<pqxx::read_committed> holder(c);
            holder.exec(
                "SELECT s.id FROM side s JOIN physical_media m ON m.id = s.media_id"
                " WHERE m.barcode = 'WAIT01L5' FOR UPDATE OF s, m");
            auto taken = std::async(std::launch::async,
                                    [&] { return rig.engine->allocate(rig.root, rig.pool, {}); });
            CHECK(blocked(taken));
            release(holder);
            return taken.get();
        };
    // Held by a transaction that then lets it go: the allocation takes it.
    auto lmid = allocateWhileHeld([](pqxx::transaction_base &holder) { holder.abort(); });
    REQUIRE_OK(lmid);
    REQUIRE_OK(rig.engine->deallocate(rig.root, *lmid));
    // Held by a transaction that takes it out of service: then there is none.
    auto none = allocateWhileHeld([](pqxx::transaction_base &holder) {
        holder.exec(
            "UPDATE side SET state = 3 WHERE media_id = (SELECT id FROM physical_media "
            "WHERE barcode = 'WAIT01L5')");
        holder.commit();
    });
    REQUIRE_FALSE(none);
    CHECK(none.error().code() == ErrorCode::MediaUnavailable);
    checkInvariants(rig);
}

TEST_CASE(
    "isolation: deallocating one side of a two-sided medium while its other side is "
    "allocated: the medium leaves the pool only when no side is owned") {
    EngineRig rig(PgCluster::shared(), manyClients());
    REQUIRE_OK(rig.engine->createMediaType(rig.root, "DVD-RAM", 2, "two sides"));
    PoolOptions o;
    o.mediaType = "DVD-RAM";
    o.allocateFromFree = false;  // a side that went back to FREE is not taken again here
    o.deallocateToFree = true;
    auto discs = rig.engine->createPool(rig.root, "discs", o);
    REQUIRE_OK(discs);
    for (int round = 0; round < 20; ++round) {
        CAPTURE(round);
        NewMedia m;
        m.barcode = "DISC" + std::to_string(100 + round);
        m.mediaType = "DVD-RAM";
        m.pool = *discs;
        m.labelType = "Bacula";
        m.labelId = m.barcode;
        auto media = rig.engine->createOfflineMedia(rig.root, m);
        REQUIRE_OK(media);
        auto first = rig.engine->allocate(rig.root, *discs, AllocateOptions{});
        REQUIRE_OK(first);
        REQUIRE(rig.mediaOf(*first) == *media);
        const Uuid s1 = *rig.engine->openSession(Principal{0, {}}, "deallocate");
        const Uuid s2 = *rig.engine->openSession(Principal{0, {}}, "allocate");
        auto freed =
            std::async(std::launch::async, [&] { return rig.engine->deallocate(s1, *first); });
        auto taken = std::async(std::launch::async, [&] {
            return rig.engine->allocate(s2, *discs, AllocateOptions{});
        });
        const Result<void> dealloc = freed.get();
        const Result<Uuid> alloc = taken.get();
        REQUIRE_OK(dealloc);
        INFO("allocate: " << (alloc ? "ok" : alloc.error().toString()));
        const long long owned =
            rig.count("SELECT count(*) FROM side WHERE media_id = $1::uuid AND state IN (5, 6)",
                      {media->toString()});
        const std::string pool = rig.query(
            "SELECT pool_id::text FROM physical_media WHERE id = $1::uuid", {media->toString()});
        if (alloc) {
            // The allocation took the other side first (this medium is the only one in the
            // pool with a free side): the deallocation saw it owned, the medium stays.
            CHECK(rig.mediaOf(*alloc) == *media);
            CHECK(owned == 1);
            CHECK(pool == discs->toString());
            REQUIRE_OK(rig.engine->deallocate(rig.root, *alloc));
        } else {
            // It found nothing: the deallocation came first (or held the medium locked) and
            // sent the medium to FREE.
            CHECK(owned == 0);
            CHECK(pool != discs->toString());
        }
        // Either way the medium has gone to FREE now, and the next round's is the only one.
        CHECK(rig.query("SELECT pool_id::text FROM physical_media WHERE id = $1::uuid",
                        {media->toString()}) != discs->toString());
        checkInvariants(rig);
    }
}
