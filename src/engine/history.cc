// History: what happened to a medium or a drive, from the event log — the library requests
// that named it (who asked, what came of it) and the changes of its own row (where the
// cartridge went; the drive's state, its cleanings). Newest first.

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

// "uid:1004" as people know it: "alice"; rsmd's own work (its database user): "rsmd".
std::string who(const std::string &principal) {
    if (principal.rfind("uid:", 0) == 0) {
        const std::string digits = principal.substr(4);
        if (!digits.empty() && digits.size() <= 10 &&
            std::all_of(digits.begin(), digits.end(),
                        [](unsigned char c) { return std::isdigit(c) != 0; })) {
            const auto uid = static_cast<std::uint32_t>(std::stoull(digits));
            const std::string name = userName(uid);
            return name.empty() ? "uid " + digits : name;
        }
    }
    return "rsmd";
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Names of the places an event's row names, read once each.
class Places {
public:
    Places(Tx &tx, std::function<std::string(const PoolRow &)> poolPath)
        : tx_(tx), poolPath_(std::move(poolPath)) {}

    std::string library(const std::optional<Uuid> &id) {
        if (!id)
            return "?";
        auto [it, added] = libraries_.try_emplace(*id);
        if (added) {
            auto l = tx_.library(*id);
            it->second = l ? l->name : id->toString();
        }
        return it->second;
    }
    std::string drive(const std::optional<Uuid> &id) {
        if (!id)
            return "?";
        auto [it, added] = drives_.try_emplace(*id);
        if (added) {
            auto d = tx_.drive(*id);
            it->second =
                d ? fmt::format("{}/{}", library(d->libraryId), d->number) : id->toString();
        }
        return it->second;
    }
    // A slot's or IE port's address (the library's elements of that kind read once).
    std::string element(ObjectKind kind, const std::optional<Uuid> &library,
                        const std::optional<Uuid> &id) {
        if (!id || !library)
            return "?";
        if (read_.insert({*library, static_cast<int>(kind)}).second)
            for (const ElementRow &e : tx_.elements(kind, *library))
                elements_[e.id] = std::to_string(e.address);
        auto it = elements_.find(*id);
        return it != elements_.end() ? it->second : id->toString();
    }
    std::string pool(const std::optional<Uuid> &id) {
        if (!id)
            return "?";
        auto [it, added] = pools_.try_emplace(*id);
        if (added) {
            auto p = tx_.pool(*id);
            it->second = p ? poolPath_(*p) : id->toString();
        }
        return it->second;
    }

private:
    Tx &tx_;
    std::function<std::string(const PoolRow &)> poolPath_;
    std::map<Uuid, std::string> libraries_, drives_, elements_, pools_;
    std::set<std::pair<Uuid, int>> read_;
};

std::string whereMedia(Places &places, const HistoryEventRow &e) {
    switch (static_cast<LocationKind>(e.location.value_or(0))) {
        case LocationKind::Shelf:
            return "on the shelf";
        case LocationKind::Slot:
            return fmt::format("in slot {} of {}",
                               places.element(ObjectKind::Slot, e.libraryId, e.slotId),
                               places.library(e.libraryId));
        case LocationKind::Drive:
            return "in drive " + places.drive(e.driveId);
        case LocationKind::IePort:
            return fmt::format("in IE port {} of {}",
                               places.element(ObjectKind::IePort, e.libraryId, e.ieportId),
                               places.library(e.libraryId));
        case LocationKind::Transport:
            return "in the robot's hand in " + places.library(e.libraryId);
    }
    return "?";
}

// The history of the events, newest first: finished requests with who asked, and the changes
// `describe` finds between an own row's successive versions (oldest first).
// `readings`: the health figures read by a request (its id -> healthSummary), added to its
// entry's detail.
template <class Describe>
std::vector<HistoryEntry> historyOf(const std::vector<HistoryEventRow> &events, Places &places,
                                    const std::map<Uuid, std::string> &readings,
                                    Describe describe) {
    std::map<Uuid, std::string> askedBy;  // request id -> principal of its insert
    for (const HistoryEventRow &e : events)
        if (e.kind == "library_request" && e.op == "insert")
            askedBy[e.objectId] = e.principal;
    std::vector<HistoryEntry> out;
    const HistoryEventRow *previous = nullptr;  // the own row's older version
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        const HistoryEventRow &e = *it;
        if (e.kind == "library_request") {
            const auto state = static_cast<RequestState>(e.state.value_or(0));
            if (e.op != "update" ||
                (state != RequestState::Passed && state != RequestState::Failed &&
                 state != RequestState::Cancelled))
                continue;
            auto asked = askedBy.find(e.objectId);
            std::string detail = e.message.value_or("");
            if (e.driveId && detail.find(places.drive(e.driveId)) == std::string::npos)
                detail = "drive " + places.drive(e.driveId) + (detail.empty() ? "" : ": ") + detail;
            if (auto reading = readings.find(e.objectId); reading != readings.end())
                detail += (detail.empty() ? "" : "; ") + reading->second;
            out.push_back({e.seq, e.at,
                           fmt::format("{} {}", e.requestKind.value_or("request"),
                                       lower(requestStateName(state))),
                           who(asked != askedBy.end() ? asked->second : e.principal), detail});
            continue;
        }
        if (auto entry = describe(previous, e))
            out.push_back(std::move(*entry));
        previous = &e;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

// The summaries of the readings that a request took, by its id.
std::map<Uuid, std::string> readingsByRequest(const std::vector<HealthReadingRow> &readings,
                                              const HealthThresholds &thresholds) {
    std::map<Uuid, std::string> out;
    for (const HealthReadingRow &r : readings)
        if (r.requestId)
            out.emplace(*r.requestId, healthSummary(r.health, thresholds));
    return out;
}

// How many events a history may read: 1 to 10,000.
Result<void> checkLimit(int limit) {
    if (limit < 1 || limit > 10000)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("limit {} is outside 1..10000", limit));
    return success();
}

}  // namespace

Result<std::vector<HistoryEntry>> Engine::mediaHistory(const Uuid &session, const Uuid &mediaId,
                                                       int limit) {
    RSM_TRY_VOID(checkLimit(limit));
    using Out = std::vector<HistoryEntry>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        auto media = physical(tx, mediaId);
        if (!media)
            return media.error();
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Pool, media->poolId, rights::Use, "the medium's pool"));
        Places places(tx, [&](const PoolRow &p) { return poolPath(tx, p); });
        return historyOf(
            tx.historyEvents(mediaId, false, limit), places,
            readingsByRequest(tx.healthReadings(mediaId, false, limit), health_),
            [&](const HistoryEventRow *before,
                const HistoryEventRow &e) -> std::optional<HistoryEntry> {
                if (e.op == "insert")
                    return HistoryEntry{e.seq, e.at, "created", who(e.principal),
                                        whereMedia(places, e) + ", pool " + places.pool(e.poolId)};
                if (e.op == "delete")
                    return HistoryEntry{e.seq, e.at, "deleted", who(e.principal), ""};
                std::string detail;
                const bool moved = !before || before->location != e.location ||
                                   before->slotId != e.slotId || before->driveId != e.driveId ||
                                   before->ieportId != e.ieportId ||
                                   before->libraryId != e.libraryId;
                if (moved &&
                    static_cast<LocationKind>(e.location.value_or(0)) != LocationKind::Transport)
                    detail = whereMedia(places, e);
                if (before && before->poolId != e.poolId)
                    detail += (detail.empty() ? "" : "; ") + ("to pool " + places.pool(e.poolId));
                if (detail.empty())
                    return std::nullopt;
                return HistoryEntry{e.seq, e.at, moved ? "moved" : "pool", who(e.principal),
                                    detail};
            });
    });
}

Result<std::vector<HistoryEntry>> Engine::driveHistory(const Uuid &session, const Uuid &driveId,
                                                       int limit) {
    RSM_TRY_VOID(checkLimit(limit));
    using Out = std::vector<HistoryEntry>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        if (auto found = driveAndLibrary(tx, c, driveId, rights::Use); !found)
            return found.error();
        Places places(tx, [&](const PoolRow &p) { return poolPath(tx, p); });
        return historyOf(
            tx.historyEvents(driveId, true, limit), places,
            readingsByRequest(tx.healthReadings(driveId, true, limit), health_),
            [&](const HistoryEventRow *before,
                const HistoryEventRow &e) -> std::optional<HistoryEntry> {
                if (e.op != "update" || !before)
                    return std::nullopt;
                if (before->lastCleaned != e.lastCleaned && e.lastCleaned)
                    return HistoryEntry{e.seq, e.at, "cleaned", who(e.principal), ""};
                if (before->needsCleaning != e.needsCleaning && e.needsCleaning == true)
                    return HistoryEntry{e.seq, e.at, "needs cleaning", who(e.principal),
                                        "the drive asked for it (TapeAlert)"};
                return std::nullopt;
            });
    });
}

}  // namespace rsm::engine
