#include "src/cli/health_text.h"

#include <string_view>

#include "src/cli/kinds.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

// "lifetime_written_mib" -> "lifetime written (MiB)".
std::string label(std::string_view field) {
    std::string unit;
    for (const auto &[suffix, name] :
         {std::pair<std::string_view, std::string_view>{"_mib", "MiB"}, {"_mb", "MB"}}) {
        if (field.size() > suffix.size() && field.ends_with(suffix)) {
            field.remove_suffix(suffix.size());
            unit = std::string(" (") + std::string(name) + ")";
            break;
        }
    }
    std::string out(field);
    for (char &c : out)
        if (c == '_')
            c = ' ';
    return out + unit;
}

// The part's figures that are not null; "  (nothing reported)" when none is.
std::string partText(const char *heading, const json &part) {
    if (!part.is_object())
        return {};
    std::string out = std::string(heading) + ":\n";
    bool any = false;
    for (const auto &[field, value] : part.items()) {
        if (value.is_null())
            continue;
        out += "  " + label(field) + ": " + cellText(value) + "\n";
        any = true;
    }
    return any ? out : out + "  (nothing reported)\n";
}

// "attributes, read errors", or "" for a missing or empty list.
std::string listText(const json &list) {
    if (!list.is_array() || list.empty())
        return {};
    std::string out;
    for (const json &item : list) {
        out += out.empty() ? "" : ", ";
        out += item.is_string() ? item.get<std::string>() : item.dump();
    }
    return out;
}

}  // namespace

std::string healthText(const json &health) {
    std::string out;
    out += partText("attributes", member(health, "attributes"));
    out += partText("volume statistics", member(health, "volume_statistics"));
    out += partText("write errors", member(health, "write_errors"));
    out += partText("read errors", member(health, "read_errors"));
    const json &alerts = member(health, "tapealert");
    if (alerts.is_array())
        out += "tapealert: " + (alerts.empty() ? std::string("none") : listText(alerts)) + "\n";
    if (const std::string refused = listText(member(health, "unsupported")); !refused.empty())
        out += "not supported: " + refused + "\n";
    if (const json &failed = member(health, "failed"); failed.is_array())
        for (const json &part : failed)
            out += "failed: " + (part.is_string() ? part.get<std::string>() : part.dump()) + "\n";
    return out.empty() ? "nothing reported\n" : out;
}

}  // namespace rsm::cli
