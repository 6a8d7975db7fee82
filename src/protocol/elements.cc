#include "src/protocol/elements.h"

#include <fmt/format.h>

namespace rsm::protocol {

using nlohmann::json;

namespace {

std::string hex(const std::string &bytes) {
    std::string out;
    for (unsigned char c : bytes)
        out += fmt::format("{:02x}", c);
    return out;
}

std::optional<std::string> unhex(const json &text) {
    if (!text.is_string())
        return std::nullopt;
    const std::string &h = text.get_ref<const std::string &>();
    if (h.size() % 2)
        return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < h.size(); i += 2) {
        unsigned value = 0;
        for (std::size_t j = i; j < i + 2; ++j) {
            const char c = h[j];
            const int digit = c >= '0' && c <= '9'   ? c - '0'
                              : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                     : -1;
            if (digit < 0)
                return std::nullopt;
            value = value * 16 + static_cast<unsigned>(digit);
        }
        out += static_cast<char>(value);
    }
    return out;
}

json tagJson(const std::optional<sg::VolumeTag> &tag) {
    if (!tag)
        return nullptr;
    return {{"hex", hex(tag->identifier)}, {"sequence", tag->sequence}};
}

bool tagFrom(const json &j, std::optional<sg::VolumeTag> &tag) {
    if (j.is_null())
        return true;
    if (!j.is_object() || !j.contains("sequence") || !j["sequence"].is_number_unsigned())
        return false;
    auto bytes = unhex(j.value("hex", json()));
    if (!bytes)
        return false;
    tag = sg::VolumeTag{*bytes, j["sequence"].get<std::uint16_t>()};
    return true;
}

template <typename T>
json orNull(const std::optional<T> &v) {
    return v ? json(*v) : json(nullptr);
}

template <typename T>
bool field(const json &j, const char *name, T &out) {
    if (!j.contains(name))
        return false;
    const json &v = j[name];
    if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean())
            return false;
    } else {
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() > std::numeric_limits<T>::max())
            return false;
    }
    out = v.get<T>();
    return true;
}

template <typename T>
bool optionalField(const json &j, const char *name, std::optional<T> &out) {
    if (!j.contains(name) || j[name].is_null())
        return true;
    T value{};
    if (!field(j, name, value))
        return false;
    out = value;
    return true;
}

}  // namespace

json elementsToJson(const std::vector<sg::Element> &elements) {
    json out = json::array();
    for (const sg::Element &e : elements)
        out.push_back({{"type", static_cast<int>(e.type)},
                       {"address", e.address},
                       {"full", e.full},
                       {"exception", e.exception},
                       {"accessible", e.accessible},
                       {"import_export", e.importExport},
                       {"import_enabled", e.importEnabled},
                       {"export_enabled", e.exportEnabled},
                       {"asc", e.asc},
                       {"ascq", e.ascq},
                       {"source", orNull(e.sourceAddress)},
                       {"invert", e.invert},
                       {"tag", tagJson(e.primaryTag)},
                       {"alternate_tag", tagJson(e.alternateTag)},
                       {"identifier", orNull(e.identifier)},
                       {"lun", orNull(e.scsiLun)},
                       {"id", orNull(e.scsiId)}});
    return out;
}

Result<std::vector<sg::Element>> elementsFromJson(const json &elements) {
    const Error bad(ErrorCode::BadFormat, "rsmd's element status is malformed");
    if (!elements.is_array())
        return bad;
    std::vector<sg::Element> out;
    for (const json &j : elements) {
        if (!j.is_object())
            return bad;
        sg::Element e;
        std::uint8_t type = 0;
        if (!field(j, "type", type) || type < 1 || type > 4 || !field(j, "address", e.address) ||
            !field(j, "full", e.full) || !field(j, "exception", e.exception) ||
            !field(j, "accessible", e.accessible) || !field(j, "import_export", e.importExport) ||
            !field(j, "import_enabled", e.importEnabled) ||
            !field(j, "export_enabled", e.exportEnabled) || !field(j, "asc", e.asc) ||
            !field(j, "ascq", e.ascq) || !optionalField(j, "source", e.sourceAddress) ||
            !field(j, "invert", e.invert) || !tagFrom(j.value("tag", json()), e.primaryTag) ||
            !tagFrom(j.value("alternate_tag", json()), e.alternateTag) ||
            !optionalField(j, "lun", e.scsiLun) || !optionalField(j, "id", e.scsiId))
            return bad;
        e.type = static_cast<sg::ElementType>(type);
        if (j.contains("identifier") && j["identifier"].is_string())
            e.identifier = j["identifier"].get<std::string>();
        out.push_back(std::move(e));
    }
    return out;
}

json inquiryToJson(const sg::InquiryData &q) {
    return {{"peripheral_qualifier", q.peripheralQualifier},
            {"peripheral_type", q.peripheralType},
            {"removable", q.removable},
            {"version", q.version},
            {"medium_changer", q.mediumChanger},
            {"vendor", hex(q.vendor)},
            {"product", hex(q.product)},
            {"revision", hex(q.revision)}};
}

Result<sg::InquiryData> inquiryFromJson(const json &j) {
    const Error bad(ErrorCode::BadFormat, "rsmd's INQUIRY data is malformed");
    if (!j.is_object())
        return bad;
    sg::InquiryData q;
    auto vendor = unhex(j.value("vendor", json()));
    auto product = unhex(j.value("product", json()));
    auto revision = unhex(j.value("revision", json()));
    if (!vendor || !product || !revision ||
        !field(j, "peripheral_qualifier", q.peripheralQualifier) ||
        !field(j, "peripheral_type", q.peripheralType) || !field(j, "removable", q.removable) ||
        !field(j, "version", q.version) || !field(j, "medium_changer", q.mediumChanger))
        return bad;
    q.vendor = *vendor;
    q.product = *product;
    q.revision = *revision;
    return q;
}

}  // namespace rsm::protocol
