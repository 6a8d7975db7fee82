#pragma once
// How a library request's RobotWork is stored: its kind in library_request.kind and its
// parameters as a JSON object in library_request.parameters. Pure functions (no database):
// the unit tests round-trip every kind. Thread-safety: none needed.

#include <optional>
#include <string>
#include <string_view>

#include "rsm/error.h"
#include "src/engine/request.h"

namespace rsm::store {

struct StoredWork {
    std::string kind;
    std::string parameters;  // JSON object text
    friend bool operator==(const StoredWork &, const StoredWork &) = default;
};

StoredWork encodeWork(const engine::RobotWork &work);
// A kind this rsm does not know, or parameters it cannot read, give work::Unknown with what
// was stored (the worker fails such a request; nothing is lost or guessed).
engine::RobotWork decodeWork(std::string_view kind, std::string_view parameters);

// A failed request's sense in library_request.result: {"sense": [key, asc, ascq]}. Anything
// else there (what an older rsmd kept: an element list) decodes to none.
std::string encodeSense(const SenseRecord &sense);
std::optional<SenseRecord> decodeSense(std::string_view result);

}  // namespace rsm::store
