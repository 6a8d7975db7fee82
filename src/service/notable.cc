#include "src/service/notable.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "rsm/model.h"

namespace rsm::service {

namespace {

using nlohmann::json;

std::optional<std::string> text(const json &row, const char *key) {
    auto it = row.find(key);
    if (it == row.end() || !it->is_string())
        return {};
    return it->get<std::string>();
}

std::optional<Uuid> uuid(const json &row, const char *key) {
    if (auto t = text(row, key))
        return Uuid::parse(*t);
    return {};
}

bool flag(const json &row, const char *key) {
    auto it = row.find(key);
    return it != row.end() && it->is_boolean() && it->get<bool>();
}

std::optional<std::int64_t> number(const json &row, const char *key) {
    auto it = row.find(key);
    if (it == row.end() || !it->is_number_integer())
        return {};
    return it->get<std::int64_t>();
}

Notification from(const engine::EventRow &row, const char *event) {
    Notification n;
    n.event = event;
    n.seq = row.seq;
    n.time = row.at;
    n.objectKind = row.kind;
    n.objectId = row.objectId;
    n.barcode = row.barcode;
    return n;
}

}  // namespace

std::optional<std::string> Notification::drive() const {
    if (!library || !driveNumber)
        return {};
    return fmt::format("{}/{}", *library, *driveNumber);
}

std::vector<std::pair<std::string, std::string>> Notification::environment() const {
    std::vector<std::pair<std::string, std::string>> env{
        {"RSM_EVENT", event},
        {"RSM_SEQ", std::to_string(seq)},
        {"RSM_TIME", time},
        {"RSM_OBJECT_KIND", objectKind},
        {"RSM_OBJECT_ID", objectId.toString()},
    };
    const auto add = [&](const char *name, const std::optional<std::string> &value) {
        if (value)
            env.emplace_back(name, *value);
    };
    add("RSM_LIBRARY", library);
    add("RSM_DRIVE", drive());
    add("RSM_BARCODE", barcode);
    add("RSM_POOL", pool);
    add("RSM_REQUEST_KIND", requestKind);
    if (usesLeft)
        env.emplace_back("RSM_USES_LEFT", std::to_string(*usesLeft));
    add("RSM_MESSAGE", message);
    return env;
}

std::string Notification::json() const {
    nlohmann::ordered_json j = {{"event", event},
                                {"seq", seq},
                                {"time", time},
                                {"object_kind", objectKind},
                                {"object_id", objectId.toString()}};
    const auto add = [&](const char *name, const std::optional<std::string> &value) {
        if (value)
            j[name] = *value;
    };
    add("library", library);
    add("drive", drive());
    add("barcode", barcode);
    add("pool", pool);
    add("request_kind", requestKind);
    if (usesLeft)
        j["uses_left"] = *usesLeft;
    add("message", message);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string Notification::label() const {
    return fmt::format("{} #{}", event, seq);
}

void NotableEvents::seedLibrary(const Uuid &id, const std::string &name, bool unreachable) {
    libraries_[id] = LibraryState{name, unreachable};
}

void NotableEvents::seedDrive(const Uuid &id, const Uuid &library, int number, bool needsCleaning,
                              bool suspect) {
    drives_[id] = DriveState{library, number, needsCleaning, suspect};
}

std::optional<std::string> NotableEvents::libraryName(const Uuid &id) const {
    auto it = libraries_.find(id);
    if (it == libraries_.end() || it->second.name.empty())
        return {};
    return it->second.name;
}

std::vector<Notification> NotableEvents::notable(const engine::EventRow &e) {
    const std::string &k = e.kind;
    if (k != "operator_request" && k != "library" && k != "drive" && k != "cleaner" &&
        k != "physical_media" && k != "pool")
        return {};
    const json row = json::parse(e.data, nullptr, false);
    if (!row.is_object())
        return {};
    const bool deleted = e.op == "delete";

    if (k == "operator_request") {
        if (e.op != "insert")
            return {};
        Notification n = from(e, "operator-request-posted");
        n.message = text(row, "message");
        if (auto kind = number(row, "kind"); kind && *kind >= 1 && *kind <= 5)
            n.requestKind =
                std::string(operatorRequestKindName(static_cast<OperatorRequestKind>(*kind)));
        n.libraryId = uuid(row, "library_id");
        n.mediaId = uuid(row, "media_id");
        if (n.libraryId)
            n.library = libraryName(*n.libraryId);
        if (auto drive = uuid(row, "drive_id")) {
            auto it = drives_.find(*drive);
            if (it != drives_.end()) {
                n.driveNumber = it->second.number;
                if (!n.library)
                    n.library = libraryName(it->second.library);
                if (!n.libraryId)
                    n.libraryId = it->second.library;
            }
        }
        return {n};
    }

    if (k == "pool") {  // schema 017: low_request set when the free media fell below low_mark
        const auto request = uuid(row, "low_request");
        const bool was = lowPools_.count(e.objectId) != 0;
        if (deleted || !request) {
            lowPools_.erase(e.objectId);
            return {};
        }
        lowPools_.insert(e.objectId);
        if (was)
            return {};
        return {poolLow(e.objectId, text(row, "name").value_or(""),
                        number(row, "low_free").value_or(0), number(row, "low_mark").value_or(0),
                        e.seq, e.at)};
    }

    if (k == "library") {
        if (deleted) {
            libraries_.erase(e.objectId);
            return {};
        }
        LibraryState &state = libraries_[e.objectId];
        const bool was = state.unreachable;
        state.name = text(row, "name").value_or(state.name);
        state.unreachable = text(row, "unreachable_since").has_value();
        if (state.unreachable == was)
            return {};
        Notification n = from(e, state.unreachable ? "library-unreachable" : "library-reachable");
        n.libraryId = e.objectId;
        n.library = state.name;
        n.message = state.unreachable ? text(row, "robot_error") : std::nullopt;
        return {n};
    }

    if (k == "drive") {
        if (deleted) {
            drives_.erase(e.objectId);
            return {};
        }
        DriveState &state = drives_[e.objectId];
        const DriveState was = state;
        if (auto lib = uuid(row, "library_id"))
            state.library = *lib;
        state.number = static_cast<int>(number(row, "number").value_or(state.number));
        state.needsCleaning = flag(row, "needs_cleaning");
        state.suspect = flag(row, "suspect");
        std::vector<Notification> out;
        const auto add = [&](const char *event) {
            Notification n = from(e, event);
            n.libraryId = state.library;
            n.library = libraryName(state.library);
            n.driveNumber = state.number;
            out.push_back(std::move(n));
        };
        if (state.needsCleaning && !was.needsCleaning)
            add("drive-needs-cleaning");
        if (state.suspect && !was.suspect) {
            add("drive-suspect");
            out.back().message = text(row, "suspect_reason");
        }
        return out;
    }

    if (k == "cleaner") {
        if (deleted) {
            cleaners_.erase(e.objectId);
            return {};
        }
        const auto uses = number(row, "uses_left");
        if (!uses)
            return {};
        auto [it, inserted] = cleaners_.try_emplace(e.objectId, *uses);
        const std::int64_t was = inserted ? -1 : it->second;  // -1: not seen
        it->second = *uses;
        if (*uses != 0 || was == 0)
            return {};
        Notification n = from(e, "cleaner-spent");
        n.mediaId = e.objectId;
        n.usesLeft = 0;
        return {n};
    }

    // physical_media
    if (deleted) {
        suspectMedia_.erase(e.objectId);
        return {};
    }
    const bool was = suspectMedia_.count(e.objectId) != 0;
    const bool suspect = flag(row, "suspect");
    if (suspect)
        suspectMedia_.insert(e.objectId);
    else
        suspectMedia_.erase(e.objectId);
    if (!suspect || was)
        return {};
    Notification n = from(e, "tape-suspect");
    n.mediaId = e.objectId;
    if (!n.barcode)
        n.barcode = text(row, "barcode");
    n.message = text(row, "suspect_reason");
    return {n};
}

Notification NotableEvents::poolLow(const Uuid &pool, const std::string &path, std::int64_t free,
                                    std::int64_t lowMark, std::int64_t seq,
                                    const std::string &time) {
    Notification n;
    n.event = "scratch-pool-low";
    n.seq = seq;
    n.time = time;
    n.objectKind = "pool";
    n.objectId = pool;
    n.pool = path;
    n.message =
        fmt::format("pool {} has {} free media, below its low mark of {}", path, free, lowMark);
    return n;
}

}  // namespace rsm::service
