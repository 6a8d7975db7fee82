// The event log for watchers: who may watch, whom each event is for, and the retention.

#include <algorithm>
#include <map>

#include "src/engine/engine.h"

namespace rsm::engine {

Result<std::int64_t> Engine::mayWatch(const Uuid &session) {
    return asCaller<std::int64_t>(session, [&](Tx &tx, const Caller &c) -> Result<std::int64_t> {
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Use,
                             "the computer (watching every change)"));
        return tx.lastEventSeq();
    });
}

Result<EventBatch> Engine::events(std::int64_t after, int limit) {
    return asDaemon<EventBatch>([&](Tx &tx) -> Result<EventBatch> {
        EventBatch batch;
        batch.events = tx.events(after, limit);
        batch.purgedThrough = tx.purgedThrough();
        return batch;
    });
}

Result<ObjectStates> Engine::objectSnapshot() {
    return store_.transact<ObjectStates>(
        "rsmd", [](Tx &tx) -> Result<ObjectStates> { return tx.objectSnapshot(); },
        Isolation::ReadCommitted);
}

Result<ObjectStates> Engine::objectEvents(std::int64_t after, int limit) {
    return store_.transact<ObjectStates>(
        "rsmd", [&](Tx &tx) -> Result<ObjectStates> { return tx.objectEvents(after, limit); },
        Isolation::ReadCommitted);
}

Result<std::int64_t> Engine::lastEventSeq() {
    return asDaemon<std::int64_t>(
        [&](Tx &tx) -> Result<std::int64_t> { return tx.lastEventSeq(); });
}

namespace {

// The pool of a medium, of a side's medium, of an LMID's side's medium.
std::optional<Uuid> poolOfMedia(Tx &tx, const std::optional<Uuid> &media) {
    if (!media)
        return std::nullopt;
    if (auto m = tx.media(*media))
        return m->poolId;
    return std::nullopt;
}

std::optional<Uuid> poolOfSide(Tx &tx, const std::optional<Uuid> &side) {
    if (!side)
        return std::nullopt;
    if (auto s = tx.side(*side))
        return poolOfMedia(tx, s->mediaId);
    return std::nullopt;
}

}  // namespace

Result<std::vector<EventAudience>> Engine::eventAudiences(const std::vector<EventRow> &events) {
    using Out = std::vector<EventAudience>;
    return asDaemon<Out>([&](Tx &tx) -> Result<Out> {
        Out out;
        out.reserve(events.size());
        // A batch is often many changes of one object: look each governor up once.
        std::map<Uuid, std::optional<std::pair<ObjectKind, Uuid>>> governors;
        auto pool = [](const std::optional<Uuid> &id) {
            EventAudience a;
            if (id)
                a.object = std::pair{ObjectKind::Pool, *id};
            return a;
        };
        auto library = [](const std::optional<Uuid> &id) {
            EventAudience a;
            if (id)
                a.object = std::pair{ObjectKind::Library, *id};
            return a;
        };
        for (const EventRow &e : events) {
            const std::string &k = e.kind;
            if (k == "computer" || k == "media_type" || k == "operator_request" || k == "vault") {
                out.push_back(EventAudience{true, {}, {}});
            } else if (k == "pool") {
                out.push_back(pool(e.objectId));
            } else if (k == "physical_media") {
                out.push_back(pool(e.poolId));
            } else if (k == "cleaner") {
                out.push_back(pool(poolOfMedia(tx, e.objectId)));
            } else if (k == "side") {
                out.push_back(pool(poolOfMedia(tx, e.mediaId)));
            } else if (k == "logical_media") {
                out.push_back(pool(poolOfSide(tx, e.sideId)));
            } else if (k == "library") {
                out.push_back(library(e.objectId));
            } else if (k == "drive" || k == "slot" || k == "ieport" || k == "changer") {
                out.push_back(library(e.libraryId));
            } else if (k == "library_request") {
                EventAudience a = library(e.libraryId);
                if (e.sessionId)
                    if (auto s = tx.session(*e.sessionId))
                        a.uid = s->uid;
                out.push_back(a);
            } else if (k == "session") {
                out.push_back(EventAudience{false, {}, e.uid});
            } else if ((k == "attribute" || k == "acl") && e.ownerObject) {
                auto it = governors.find(*e.ownerObject);
                if (it == governors.end())
                    it = governors.emplace(*e.ownerObject, governor(tx, *e.ownerObject)).first;
                EventAudience a;
                a.object = it->second;
                out.push_back(a);
            } else {
                out.push_back(EventAudience{});  // administrators only
            }
        }
        return out;
    });
}

Result<std::vector<bool>> Engine::mayRead(const Uuid &session,
                                          const std::vector<EventAudience> &audiences) {
    using Out = std::vector<bool>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Use,
                             "the computer (watching every change)"));
        const bool admin = isAdmin(c.principal);
        std::map<Uuid, bool> held;  // USE on an object, read once per call
        Out out;
        out.reserve(audiences.size());
        for (const EventAudience &a : audiences) {
            bool may = admin || a.everyone || (a.uid && *a.uid == c.principal.uid);
            if (!may && a.object) {
                auto it = held.find(a.object->second);
                if (it == held.end())
                    it = held.emplace(a.object->second,
                                      has(tx, c, a.object->first, a.object->second, rights::Use))
                             .first;
                may = it->second;
            }
            out.push_back(may);
        }
        return out;
    });
}

Result<PurgeCounts> Engine::purge(std::chrono::seconds events, std::chrono::seconds sessions,
                                  int batch) {
    PurgeCounts total;
    batch = std::max(batch, 1);
    // Each batch its own transaction: a long purge never holds the log for long.
    while (events.count() > 0) {
        auto n = asDaemon<std::int64_t>(
            [&](Tx &tx) -> Result<std::int64_t> { return tx.purgeEvents(events.count(), batch); });
        if (!n)
            return n.error();
        total.events += *n;
        if (*n < batch)
            break;
    }
    while (sessions.count() > 0) {
        auto n = asDaemon<std::int64_t>([&](Tx &tx) -> Result<std::int64_t> {
            return tx.purgeSessions(sessions.count(), batch);
        });
        if (!n)
            return n.error();
        total.sessions += *n;
        if (*n < batch)
            break;
    }
    return total;
}

}  // namespace rsm::engine
