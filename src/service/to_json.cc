#include "src/service/to_json.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "src/protocol/codec.h"

namespace rsm::service {

using nlohmann::json;

json orNull(const std::optional<Uuid> &v) {
    return v ? json(v->toString()) : json(nullptr);
}

namespace {

// The model's state and kind names, lower-case as the protocol has them ("available").
std::string name(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Unix seconds as RFC 3339 UTC in the one format of every time rsmd sends (docs/json.md):
// "2026-11-21T10:00:00.000Z".
std::string isoTime(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return text;
}

// The later of two optional times.
std::optional<std::int64_t> later(const std::optional<std::int64_t> &a,
                                  const std::optional<std::int64_t> &b) {
    if (!a)
        return b;
    if (!b)
        return a;
    return std::max(*a, *b);
}

}  // namespace

json toJson(const engine::MediaTypeRow &t) {
    return {{"id", t.id.toString()},
            {"name", t.name},
            {"description", t.description},
            {"sides", t.sides},
            {"worm", t.worm}};
}

json toJson(const engine::LibraryInfo &l) {
    json out = {
        {"id", l.row.id.toString()},
        {"name", l.row.name},
        {"description", l.row.description},
        {"kind", name(libraryKindName(l.row.kind))},
        {"device", orNull(l.row.device)},
        {"enabled", l.row.enabled},
        {"drives", l.counts.drives},
        {"slots", l.counts.slots},
        {"ieports", l.counts.ieports},
        {"media", l.counts.media},
        {"vendor", orNull(l.row.vendor)},
        {"product", orNull(l.row.product)},
        {"serial", orNull(l.row.serial)},
        {"state", !l.row.enabled           ? "disabled"
                  : l.row.unreachableSince ? "unreachable"
                                           : "ready"},
        {"unreachable_since",
         l.row.unreachableSince ? json(isoTime(*l.row.unreachableSince)) : json()},
        {"robot_error", orNull(l.row.robotError)},
        {"reachable_since", l.row.reachableSince ? json(isoTime(*l.row.reachableSince)) : json()}};
    // "A00001L5 in slot 1003, IE port 10": only when there are any.
    if (!l.duplicates.empty()) {
        json duplicates = json::array();
        for (const engine::BarcodeConflictRow &d : l.duplicates)
            duplicates.push_back(d.barcode + " in " + d.places);
        out["duplicate_barcodes"] = std::move(duplicates);
    }
    return out;
}

json toJson(const engine::DriveInfo &d) {
    return {{"id", d.row.id.toString()},
            {"library", d.library},
            {"library_id", d.row.libraryId.toString()},
            {"number", d.row.number},
            {"address", orNull(d.row.address)},
            {"name", d.row.name},
            {"device", orNull(d.row.devicePath)},
            {"device_set_by_hand", d.row.deviceManual},
            {"device_problem", orNull(d.row.deviceProblem)},
            {"serial", orNull(d.row.serial)},
            {"state", name(driveStateName(d.row.state))},
            {"enabled", d.row.enabled},
            {"mount_count", d.row.mountCount},
            {"needs_cleaning", d.row.needsCleaning},
            {"last_cleaned", d.row.lastCleaned ? json(isoTime(*d.row.lastCleaned)) : json()},
            {"media", orNull(d.barcode)},
            {"barcode", orNull(d.barcode)}};
}

json toJson(const engine::PoolInfo &p) {
    return {{"id", p.row.id.toString()},
            {"path", p.path},
            {"name", p.row.name},
            {"description", p.row.description},
            {"kind", name(poolKindName(p.row.kind))},
            {"media_type", p.mediaType},
            {"parent_id", orNull(p.row.parentId)},
            {"enabled", p.row.enabled},
            {"allocate_from_free", p.row.allocateFromFree},
            {"deallocate_to_free", p.row.deallocateToFree},
            {"max_allocations", orNull(p.row.maxAllocations)},
            {"media", p.counts.media},
            {"available", p.counts.available},
            {"available_online", p.counts.availableOnline},
            {"retention_seconds", orNull(p.policy.retentionSeconds)},
            {"retention_from", std::string(engine::retentionBasisName(p.policy.basis))},
            {"expire", std::string(engine::expireActionName(p.policy.action))},
            {"allocation", engine::allocationName(p.policy.allocation, p.policy.period)},
            {"low_mark", orNull(p.policy.lowMark)},
            {"high_mark", orNull(p.policy.highMark)}};
}

std::string isoTimeOf(std::int64_t seconds) {
    return isoTime(seconds);
}

json toJson(const engine::SweepSide &s) {
    json out = {{"pool", s.pool},
                {"pool_id", s.side.poolId.toString()},
                {"media_id", s.side.mediaId.toString()},
                {"barcode", orNull(s.side.barcode)},
                {"side", s.side.sideNumber},
                {"side_id", s.side.sideId.toString()},
                {"lmid", s.side.lmidId.toString()},
                {"lmid_name", s.side.lmidName},
                {"since", isoTime(s.side.basis)},
                {"retention_ends", isoTime(s.side.ends)},
                {"worm", s.side.worm},
                {"life", std::string(engine::mediaLifeName(s.side.life))},
                {"expire", std::string(engine::expireActionName(s.side.action))}};
    if (!s.outcome.empty())
        out["outcome"] = s.outcome;
    return out;
}

json toJson(const engine::SweepPool &p) {
    return {{"pool", p.pool},
            {"pool_id", p.poolId.toString()},
            {"free", p.free},
            {"low_mark", orNull(p.lowMark)},
            {"high_mark", orNull(p.highMark)},
            {"request", orNull(p.request)},
            {"raised", p.raised},
            {"withdrawn", p.withdrawn}};
}

json toJson(const engine::MediaInfo &m) {
    json sides = json::array();
    for (const engine::SideInfo &s : m.sides)
        sides.push_back({{"id", s.row.id.toString()},
                         {"number", s.row.number},
                         {"state", name(sideStateName(s.row.state))},
                         {"label_type", orNull(s.row.labelType)},
                         {"label_id", orNull(s.row.labelId)},
                         {"mount_count", s.row.mountCount},
                         {"allocate_count", s.row.allocateCount},
                         {"lmid", orNull(s.lmid)},
                         {"lmid_name", s.lmid ? json(s.lmidName) : json()},
                         {"allocated", timeOrNull(s.allocated)},
                         {"completed", timeOrNull(s.row.completed)},
                         {"last_mounted", timeOrNull(s.row.lastMounted)},
                         {"last_written", timeOrNull(s.row.lastWritten)}});
    // The medium's last mount and write: those of its sides.
    std::optional<std::int64_t> lastMounted, lastWritten;
    for (const engine::SideInfo &s : m.sides) {
        lastMounted = later(lastMounted, s.row.lastMounted);
        lastWritten = later(lastWritten, s.row.lastWritten);
    }
    return {{"id", m.row.id.toString()},
            {"barcode", orNull(m.row.barcode)},
            {"name", m.row.name},
            {"description", m.row.description},
            {"media_type", m.mediaType},
            {"pool", m.pool},
            {"pool_id", m.row.poolId.toString()},
            {"library", m.library},
            {"library_id", m.row.libraryId.toString()},
            {"location", name(locationKindName(m.row.location))},
            {"address", orNull(m.address)},
            {"state", name(mediaStateName(m.row.state))},
            {"enabled", m.row.enabled},
            {"cleaner_uses", orNull(m.cleanerUses)},
            {"life", std::string(engine::mediaLifeName(m.life.life))},
            {"worm", m.life.worm},
            {"created", timeOrNull(m.row.created)},
            {"last_mounted", timeOrNull(lastMounted)},
            {"last_written", timeOrNull(lastWritten)},
            {"sides", sides}};
}

json toJson(const engine::LmidInfo &l) {
    return {{"id", l.row.id.toString()},
            {"name", l.row.name},
            {"description", l.row.description},
            {"side_id", l.side.id.toString()},
            {"side", l.side.number},
            {"side_state", name(sideStateName(l.side.state))},
            {"media_id", l.mediaId.toString()},
            {"barcode", orNull(l.barcode)},
            {"pool", l.pool},
            {"created", timeOrNull(l.row.created)},
            {"allocated", timeOrNull(l.row.allocated)},
            {"last_mounted", timeOrNull(l.side.lastMounted)},
            {"last_written", timeOrNull(l.side.lastWritten)},
            {"completed", timeOrNull(l.side.completed)}};
}

std::string protocolName(std::string_view modelName) {
    return name(modelName);
}

json rightsJson(std::uint32_t r) {
    json out = json::array();
    if (r & rights::Use)
        out.push_back("use");
    if (r & rights::Modify)
        out.push_back("modify");
    if (r & rights::Control)
        out.push_back("control");
    return out;
}

Result<std::uint32_t> rightsFromJson(const json &list) {
    if (!list.is_array() || list.empty())
        return Error(ErrorCode::InvalidParameter,
                     "field \"rights\" must be a list of \"use\", \"modify\", \"control\"");
    std::uint32_t out = 0;
    for (const json &r : list) {
        std::string s = r.is_string() ? r.get<std::string>() : r.dump();
        if (s == "use")
            out |= rights::Use;
        else if (s == "modify")
            out |= rights::Modify;
        else if (s == "control")
            out |= rights::Control;
        else
            return Error(ErrorCode::InvalidParameter,
                         "unknown right " + s + " (use, modify, control)");
    }
    return out;
}

json toJson(const engine::AclRow &a) {
    return {{"principal", a.principalKind == engine::PrincipalKind::User ? "user" : "group"},
            {"principal_id", a.principalId},
            {"rights", rightsJson(a.rights)},
            {"rights_mask", a.rights}};
}

Error requestError(const engine::RequestInfo &r, const std::string &message) {
    auto code = errorCodeFromNumber(r.row.errorCode.value_or(0));
    Error e(code.value_or(ErrorCode::InvalidState), message);
    // The sense of a failure, as the request kept it.
    if (r.row.sense)
        e = Error(e.code(), message, *r.row.sense);
    return e;
}

json toJson(const engine::RequestInfo &r) {
    json error = nullptr;
    if (r.row.errorCode)
        error = protocol::errorJson(requestError(r, r.row.message.value_or("")));
    return {{"id", r.row.id.toString()},
            {"library", r.library},
            {"library_id", r.row.libraryId.toString()},
            {"kind", r.row.kind()},
            {"state", name(requestStateName(r.row.state))},
            {"priority", r.row.priority},
            {"session_id", orNull(r.row.sessionId)},
            {"media_id", orNull(r.row.mediaId)},
            {"drive_id", orNull(r.row.driveId)},
            {"drive", orNull(r.drive)},
            {"device", orNull(r.device)},
            {"barcode", orNull(r.barcode)},
            {"error", error},
            {"message", orNull(r.row.message)},
            {"result", nullptr},  // (protocol 1's field: no request keeps a result now)
            {"created", r.row.created},
            {"started", orNull(r.row.started)},
            {"finished", orNull(r.row.finished)}};
}

json toJson(const engine::OperatorRequestInfo &o) {
    return {{"id", o.row.id.toString()},
            {"kind", name(operatorRequestKindName(o.row.kind))},
            {"state", name(operatorRequestStateName(o.row.state))},
            {"message", o.row.message},
            {"library", orNull(o.library)},
            {"barcode", orNull(o.barcode)},
            {"drive", orNull(o.drive)},
            {"created", o.row.created},
            {"modified", o.row.modified}};
}

json toJson(const engine::HistoryEntry &h) {
    return {{"seq", h.seq}, {"at", h.at}, {"what", h.what}, {"who", h.who}, {"detail", h.detail}};
}

json historyReply(const std::vector<engine::HistoryEntry> &entries) {
    json out = json::array();
    for (const auto &h : entries)
        out.push_back(toJson(h));
    return {{"history", std::move(out)}};
}

json toJson(const engine::EventRow &e) {
    json data = json::parse(e.data, nullptr, false);
    return {{"seq", e.seq},
            {"at", e.at},
            {"kind", e.kind},
            {"id", e.objectId.toString()},
            {"op", e.op},
            {"principal", e.principal},
            {"barcode", orNull(e.barcode)},
            {"lmid_name", orNull(e.lmidName)},
            {"data", data.is_discarded() ? json(e.data) : data}};
}

json timeOrNull(const std::optional<std::int64_t> &seconds) {
    return seconds ? json(isoTime(*seconds)) : json();
}

}  // namespace rsm::service
