#pragma once
// The protocol's objects (docs/protocol.md, "Objects") made from the engine's rows. Field
// names are part of the protocol: add, never rename. Pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/engine/engine.h"

namespace rsm::service {

nlohmann::json toJson(const engine::MediaTypeRow &type);
nlohmann::json toJson(const engine::LibraryInfo &library);
// A value, or null when there is none.
template <typename T>
nlohmann::json orNull(const std::optional<T> &v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
// A UUID as its text, or null.
nlohmann::json orNull(const std::optional<Uuid> &v);

// A time the rows keep in Unix seconds, as every time rsmd sends, or null when there is none.
nlohmann::json timeOrNull(const std::optional<std::int64_t> &seconds);

nlohmann::json toJson(const engine::DriveInfo &drive);
nlohmann::json toJson(const engine::PoolInfo &pool);
nlohmann::json toJson(const engine::MediaInfo &media);
nlohmann::json toJson(const engine::LmidInfo &lmid);
nlohmann::json toJson(const engine::AclRow &ace);
nlohmann::json toJson(const engine::RequestInfo &request);
// A failed request's error: its code, this message, and the sense it kept (if any).
Error requestError(const engine::RequestInfo &request, const std::string &message);
nlohmann::json toJson(const engine::EventRow &event);
nlohmann::json toJson(const engine::HistoryEntry &entry);
// media.history and drive.history's reply: {"history": [entry…]}, newest first.
nlohmann::json historyReply(const std::vector<engine::HistoryEntry> &entries);
nlohmann::json toJson(const engine::OperatorRequestInfo &request);

// The life of media (docs/lifecycle.md): a side with its retention (and what a sweep did
// with it), a pool against its water marks.
nlohmann::json toJson(const engine::SweepSide &side);
// Unix seconds in the one time format of the protocol (docs/json.md).
std::string isoTimeOf(std::int64_t seconds);
nlohmann::json toJson(const engine::SweepPool &pool);

nlohmann::json rightsJson(std::uint32_t rights);
// A model's state or kind name as the protocol writes it: lower-case ("idle", "loaded").
std::string protocolName(std::string_view modelName);
// "use", "modify", "control" -> the bit set; INVALID_PARAMETER for anything else.
Result<std::uint32_t> rightsFromJson(const nlohmann::json &rights);

}  // namespace rsm::service
