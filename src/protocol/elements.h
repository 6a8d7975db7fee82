#pragma once
// Element status and INQUIRY data as rsmd hands them to `rsmctl mtx` (library.mtx): every
// field of sg::Element, volume tags as the hex of their bytes as the library sent them (so
// that mtx's byte-exact output survives the trip), INQUIRY's strings likewise.
// Thread-safety: values only.

#include <vector>

#include <nlohmann/json.hpp>

#include "rsm/error.h"
#include "sg/element.h"
#include "sg/inquiry.h"

namespace rsm::protocol {

nlohmann::json elementsToJson(const std::vector<sg::Element> &elements);
// ERROR_BAD_FORMAT when the JSON is not what elementsToJson makes.
Result<std::vector<sg::Element>> elementsFromJson(const nlohmann::json &elements);

nlohmann::json inquiryToJson(const sg::InquiryData &inquiry);
Result<sg::InquiryData> inquiryFromJson(const nlohmann::json &inquiry);

}  // namespace rsm::protocol
