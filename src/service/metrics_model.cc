#include "src/service/metrics_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rsm/error_code.h"
#include "rsm/model.h"

namespace rsm::service {

using engine::ObjectState;
using metrics::Family;
using metrics::Labels;
using metrics::Type;

namespace {

// Seconds a library request runs: from a tenth of a second (a status) to an hour (a full
// inventory of a big library, a mount waiting for a cartridge).
const std::vector<double> kRequestBuckets = {0.1, 0.25, 0.5, 1,   2.5, 5,    10,
                                             30,  60,   120, 300, 600, 1800, 3600};

bool terminal(int state) {
    switch (static_cast<RequestState>(state)) {
        case RequestState::Passed:
        case RequestState::Failed:
        case RequestState::Invalid:
        case RequestState::Cancelled:
        case RequestState::Stopped:
            return true;
        default:
            return false;
    }
}

bool openOperatorRequest(int state) {
    return state == static_cast<int>(OperatorRequestState::Submitted) ||
           state == static_cast<int>(OperatorRequestState::Active) ||
           state == static_cast<int>(OperatorRequestState::InProgress);
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

Family family(std::string name, std::string help, Type type = Type::Gauge) {
    return Family{std::move(name), std::move(help), type, {}};
}

}  // namespace

MetricsModel::MetricsModel() = default;

bool MetricsModel::fresher(const ObjectState &row) const {
    if (auto t = tombstones_.find(row.id); t != tombstones_.end() && row.seq <= t->second)
        return false;
    auto kind = objects_.find(row.kind);
    if (kind == objects_.end())
        return true;
    auto held = kind->second.find(row.id);
    return held == kind->second.end() || row.seq > held->second.seq;
}

void MetricsModel::apply(const ObjectState &row) {
    if (!fresher(row))
        return;
    auto &byId = objects_[row.kind];
    if (row.kind == "library_request" && terminal(row.state)) {
        finished(row);
        byId.erase(row.id);
        tombstones_[row.id] = row.seq;
        return;
    }
    if (row.kind == "operator_request" && !openOperatorRequest(row.state)) {
        byId.erase(row.id);
        tombstones_[row.id] = row.seq;
        return;
    }
    if (row.deleted) {
        byId.erase(row.id);
        tombstones_[row.id] = row.seq;
        return;
    }
    byId[row.id] = row;
}

void MetricsModel::forget(std::int64_t through) {
    for (auto t = tombstones_.begin(); t != tombstones_.end();)
        t = t->second <= through ? tombstones_.erase(t) : std::next(t);
}

std::size_t MetricsModel::objects() const {
    std::size_t n = 0;
    for (const auto &[kind, byId] : objects_)
        n += byId.size();
    return n;
}

std::optional<metrics::Labels> MetricsModel::driveLabels(const Uuid &drive) const {
    auto drives = objects_.find("drive");
    if (drives == objects_.end())
        return std::nullopt;
    auto d = drives->second.find(drive);
    if (d == drives->second.end())
        return std::nullopt;
    return metrics::Labels{{"library", libraryName(d->second.libraryId)},
                           {"drive", std::to_string(d->second.number)}};
}

std::string MetricsModel::libraryName(const std::optional<Uuid> &library) const {
    if (!library)
        return "";
    auto libs = objects_.find("library");
    if (libs == objects_.end())
        return "";
    auto l = libs->second.find(*library);
    return l == libs->second.end() ? library->toString() : l->second.name;
}

std::string MetricsModel::poolPath(const Uuid &pool) const {
    auto pools = objects_.find("pool");
    if (pools == objects_.end())
        return pool.toString();
    std::string path;
    std::optional<Uuid> at = pool;
    for (int depth = 0; at && depth < 16; ++depth) {
        auto p = pools->second.find(*at);
        if (p == pools->second.end())
            break;
        path = path.empty() ? p->second.name : p->second.name + "/" + path;
        at = p->second.parentId;
    }
    if (path.empty())
        return pool.toString();
    // The system pools of a media type share their names: FREE of LTO-5 is "free:<type>" in
    // rsmctl; here the pool id would say less than its kind and name, so keep the name.
    return path;
}

void MetricsModel::finished(const ObjectState &request) {
    const std::string library = libraryName(request.libraryId);
    const std::string state = lower(requestStateName(static_cast<RequestState>(request.state)));
    ++ended_[{library, request.name, state}];
    if (request.seconds && *request.seconds >= 0) {
        auto [h, inserted] = durations_.try_emplace({library, request.name}, kRequestBuckets);
        h->second.observe(*request.seconds);
    }
    if (request.errorCode && static_cast<RequestState>(request.state) != RequestState::Passed)
        ++failures_[{library, request.name,
                     std::string(errorName(static_cast<ErrorCode>(*request.errorCode)))}];
}

}  // namespace rsm::service

namespace rsm::service {

std::vector<Family> MetricsModel::families(double now) const {
    static const std::map<Uuid, ObjectState> none;
    auto of = [&](const char *kind) -> const std::map<Uuid, ObjectState> & {
        auto k = objects_.find(kind);
        return k == objects_.end() ? none : k->second;
    };
    const auto &libraries = of("library");
    const auto &drives = of("drive");
    const auto &media = of("physical_media");

    // Where the cartridges are: full slots and ports per library, the drive holding each.
    std::map<Uuid, std::int64_t> fullSlots, fullPorts, slots, ports;
    std::map<Uuid, bool> driveHolds;
    for (const auto &[id, m] : media) {
        if (!m.libraryId)
            continue;
        if (m.location == static_cast<int>(LocationKind::Slot))
            ++fullSlots[*m.libraryId];
        else if (m.location == static_cast<int>(LocationKind::IePort))
            ++fullPorts[*m.libraryId];
        else if (m.location == static_cast<int>(LocationKind::Drive) && m.driveId)
            driveHolds[*m.driveId] = true;
    }
    for (const auto &[id, s] : of("slot"))
        if (s.libraryId)
            ++slots[*s.libraryId];
    for (const auto &[id, p] : of("ieport"))
        if (p.libraryId)
            ++ports[*p.libraryId];

    Family up = family("rsm_library_up", "1 when the library's robot answers, 0 when not");
    Family enabledLib = family("rsm_library_enabled", "1 when the library is enabled");
    Family slotFamily = family("rsm_library_slots", "Storage slots of the library by state");
    Family portFamily =
        family("rsm_library_ieports", "Import/export ports of the library by state");
    for (const auto &[id, l] : libraries) {
        if (l.kindCode == static_cast<int>(LibraryKind::Offline))
            continue;
        const Labels lib{{"library", l.name}};
        up.samples.push_back({lib, l.reachable ? 1.0 : 0.0, {}});
        enabledLib.samples.push_back({lib, l.enabled ? 1.0 : 0.0, {}});
        const auto full = static_cast<double>(fullSlots[id]);
        const auto all = static_cast<double>(slots[id]);
        slotFamily.samples.push_back({{{"library", l.name}, {"state", "full"}}, full, {}});
        slotFamily.samples.push_back(
            {{{"library", l.name}, {"state", "empty"}}, std::max(0.0, all - full), {}});
        const auto pfull = static_cast<double>(fullPorts[id]);
        const auto pall = static_cast<double>(ports[id]);
        portFamily.samples.push_back({{{"library", l.name}, {"state", "full"}}, pfull, {}});
        portFamily.samples.push_back(
            {{{"library", l.name}, {"state", "empty"}}, std::max(0.0, pall - pfull), {}});
    }

    Family driveState = family("rsm_drive_state", "1 for the drive's state (RSM drive states)");
    Family mounted = family("rsm_drive_mounted", "1 when a cartridge is in the drive");
    Family cleaning = family("rsm_drive_needs_cleaning", "1 when the drive asks to be cleaned");
    Family driveEnabled = family("rsm_drive_enabled", "1 when the drive is enabled");
    Family driveSuspect =
        family("rsm_drive_suspect", "1 when the drive's error rate rose across tapes");
    Family mounts = family("rsm_drive_mounts_total", "Mounts of the drive", Type::Counter);
    for (const auto &[id, d] : drives) {
        const Labels drive{{"library", libraryName(d.libraryId)},
                           {"drive", std::to_string(d.number)}};
        for (DriveState s :
             {DriveState::Dismounted, DriveState::Mounted, DriveState::Loaded, DriveState::Unloaded,
              DriveState::BeingCleaned, DriveState::Dismountable}) {
            Labels l = drive;
            l.emplace_back("state", lower(driveStateName(s)));
            driveState.samples.push_back({l, d.state == static_cast<int>(s) ? 1.0 : 0.0, {}});
        }
        mounted.samples.push_back({drive, driveHolds.count(id) ? 1.0 : 0.0, {}});
        cleaning.samples.push_back({drive, d.needsCleaning ? 1.0 : 0.0, {}});
        driveEnabled.samples.push_back({drive, d.enabled ? 1.0 : 0.0, {}});
        driveSuspect.samples.push_back({drive, d.suspect ? 1.0 : 0.0, {}});
        mounts.samples.push_back({drive, static_cast<double>(d.mountCount), {}});
    }

    // Media per pool: by side state, available (as rsmctl pool list counts them), suspect.
    const auto &types = of("media_type");
    std::map<Uuid, std::map<int, std::int64_t>> sidesByPool;
    std::map<Uuid, bool> mediaAvailable;
    for (const auto &[id, s] : of("side")) {
        if (!s.mediaId)
            continue;
        auto m = media.find(*s.mediaId);
        if (m == media.end() || !m->second.poolId)
            continue;
        ++sidesByPool[*m->second.poolId][s.state];
        if (s.state == static_cast<int>(SideState::Available))
            mediaAvailable[m->first] = true;
    }
    std::map<Uuid, std::int64_t> inPool, available, availableOnline, suspect;
    for (const auto &[id, m] : media) {
        if (!m.poolId)
            continue;
        ++inPool[*m.poolId];
        if (m.suspect)
            ++suspect[*m.poolId];
        if (m.enabled && m.state == static_cast<int>(MediaState::Idle) && m.life == 0 &&
            mediaAvailable[id]) {
            ++available[*m.poolId];
            if (m.location != static_cast<int>(LocationKind::Shelf) && m.libraryId &&
                libraries.count(*m.libraryId) &&
                libraries.at(*m.libraryId).kindCode != static_cast<int>(LibraryKind::Offline))
                ++availableOnline[*m.poolId];
        }
    }
    Family poolMedia = family("rsm_pool_media", "Cartridges in the pool");
    Family poolAvailable = family(
        "rsm_pool_available_media",
        "Cartridges of the pool with an AVAILABLE side, idle and enabled (the scratch level)");
    Family poolAvailableOnline =
        family("rsm_pool_available_online_media", "Available cartridges of the pool in a library");
    Family poolSides = family("rsm_pool_sides", "Sides of the pool's cartridges by side state");
    Family poolSuspect = family("rsm_pool_suspect_media", "Cartridges of the pool flagged suspect");
    Family poolLow = family("rsm_pool_low_mark",
                            "The pool's low water mark of free media (pools that have one)");
    Family poolHigh = family("rsm_pool_high_mark",
                             "The pool's high water mark of free media (pools that have one)");
    for (const auto &[id, p] : of("pool")) {
        std::string type;
        if (p.mediaTypeId)
            if (auto t = types.find(*p.mediaTypeId); t != types.end())
                type = t->second.name;
        const Labels pool{{"pool", poolPath(id)},
                          {"kind", lower(poolKindName(static_cast<PoolKind>(p.kindCode)))},
                          {"media_type", type}};
        poolMedia.samples.push_back({pool, static_cast<double>(inPool[id]), {}});
        poolAvailable.samples.push_back({pool, static_cast<double>(available[id]), {}});
        poolAvailableOnline.samples.push_back({pool, static_cast<double>(availableOnline[id]), {}});
        poolSuspect.samples.push_back({pool, static_cast<double>(suspect[id]), {}});
        if (p.lowMark)
            poolLow.samples.push_back({pool, static_cast<double>(*p.lowMark), {}});
        if (p.highMark)
            poolHigh.samples.push_back({pool, static_cast<double>(*p.highMark), {}});
        for (const auto &[state, count] : sidesByPool[id]) {
            Labels l = pool;
            l.emplace_back("state", lower(sideStateName(static_cast<SideState>(state))));
            poolSides.samples.push_back({l, static_cast<double>(count), {}});
        }
    }

    // Library requests not ended, by library, kind and state.
    std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> open;
    for (const auto &[id, r] : of("library_request"))
        ++open[{libraryName(r.libraryId), r.name,
                lower(requestStateName(static_cast<RequestState>(r.state)))}];
    Family requests = family("rsm_library_requests", "Library requests not ended, by state");
    for (const auto &[key, count] : open)
        requests.samples.push_back({{{"library", std::get<0>(key)},
                                     {"kind", std::get<1>(key)},
                                     {"state", std::get<2>(key)}},
                                    static_cast<double>(count),
                                    {}});
    Family ended = family("rsm_library_requests_ended_total",
                          "Library requests ended, by final state", Type::Counter);
    for (const auto &[key, count] : ended_)
        ended.samples.push_back({{{"library", std::get<0>(key)},
                                  {"kind", std::get<1>(key)},
                                  {"state", std::get<2>(key)}},
                                 static_cast<double>(count),
                                 {}});
    Family failures =
        family("rsm_library_request_failures_total",
               "Library requests that ended in an RSM error, by error", Type::Counter);
    for (const auto &[key, count] : failures_)
        failures.samples.push_back({{{"library", std::get<0>(key)},
                                     {"kind", std::get<1>(key)},
                                     {"error", std::get<2>(key)}},
                                    static_cast<double>(count),
                                    {}});
    Family duration = family("rsm_library_request_duration_seconds",
                             "Time from a library request's start to its end", Type::Histogram);
    for (const auto &[key, h] : durations_)
        h.appendTo(duration, {{"library", key.first}, {"kind", key.second}});

    // Operator requests open, and the oldest one's age.
    std::map<std::string, std::int64_t> operatorOpen;
    double oldest = std::numeric_limits<double>::infinity();
    for (const auto &[id, r] : of("operator_request")) {
        ++operatorOpen[lower(
            operatorRequestKindName(static_cast<OperatorRequestKind>(r.kindCode)))];
        if (r.seconds)
            oldest = std::min(oldest, *r.seconds);
    }
    Family operatorFamily = family("rsm_operator_requests_open", "Operator requests not ended");
    for (OperatorRequestKind k : {OperatorRequestKind::NewMedia, OperatorRequestKind::Cleaner,
                                  OperatorRequestKind::DeviceService,
                                  OperatorRequestKind::MoveMedia, OperatorRequestKind::Message}) {
        const std::string name = lower(operatorRequestKindName(k));
        operatorFamily.samples.push_back(
            {{{"kind", name}}, static_cast<double>(operatorOpen[name]), {}});
    }
    Family oldestFamily = family("rsm_operator_request_oldest_age_seconds",
                                 "Age of the oldest operator request not ended (0: none)");
    oldestFamily.samples.push_back(
        {{}, std::isinf(oldest) ? 0.0 : std::max(0.0, now - oldest), {}});

    std::vector<Family> out;
    for (Family *f : {&up,
                      &enabledLib,
                      &slotFamily,
                      &portFamily,
                      &driveState,
                      &mounted,
                      &cleaning,
                      &driveEnabled,
                      &driveSuspect,
                      &mounts,
                      &poolMedia,
                      &poolAvailable,
                      &poolAvailableOnline,
                      &poolSides,
                      &poolSuspect,
                      &poolLow,
                      &poolHigh,
                      &requests,
                      &ended,
                      &failures,
                      &duration,
                      &operatorFamily,
                      &oldestFamily})
        out.push_back(std::move(*f));
    return out;
}

}  // namespace rsm::service
