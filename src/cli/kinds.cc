#include "src/cli/kinds.h"

#include <grp.h>
#include <pwd.h>

#include <cstdlib>
#include <iostream>

#include "src/protocol/codec.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

bool isErrorObject(const json &value) {
    return value.is_object() && value.contains("code") && value.contains("name") &&
           value.contains("message");
}

// A drive's device, or why it has none: "- (no serial match)".
std::string deviceCell(const json &device, const json &row) {
    if (!device.is_null())
        return cellText(device);
    const json &problem = member(row, "device_problem");
    return problem.is_string() ? "- (" + problem.get<std::string>() + ")" : "-";
}

// A health reading's parts the drive did not give: "attributes,tapealert".
std::string unsupportedParts(const json &health, const json &) {
    std::string text;
    for (const char *list : {"unsupported", "failed"}) {
        const json &parts = member(health, list);
        if (parts.is_array())
            for (const json &part : parts)
                text += (text.empty() ? "" : ",") + cellText(part);
    }
    return text.empty() ? "-" : text;
}

// A medium's sides as their states: "allocated,available".
std::string sideStates(const json &sides, const json &) {
    if (!sides.is_array())
        return cellText(sides);
    std::string text;
    for (const json &side : sides) {
        if (!text.empty())
            text += ',';
        text += memberText(side, "state");
    }
    return text.empty() ? "-" : text;
}

// The name of an ACE's user or group, looked up here: rsmd sends numbers.
std::string principalName(const json &id, const json &row) {
    if (!id.is_number_integer())
        return "-";
    const auto number = id.get<long long>();
    if (number < 0)
        return "-";
    if (member(row, "principal") == "user") {
        if (const passwd *pw = getpwuid(static_cast<uid_t>(number)))
            return pw->pw_name;
    } else if (const group *gr = getgrgid(static_cast<gid_t>(number))) {
        return gr->gr_name;
    }
    return "-";
}

const std::vector<ObjectKind> &kinds() {
    static const std::vector<ObjectKind> table = {
        {"media_type",
         "media_type",
         "media_types",
         {{"NAME", "name"}, {"SIDES", "sides"}, {"WORM", "worm"}, {"DESCRIPTION", "description"}},
         {"id", "name", "description", "sides", "worm"}},
        {"library",
         "library",
         "libraries",
         {{"NAME", "name"},
          {"KIND", "kind"},
          {"STATE", "state"},
          {"ENABLED", "enabled"},
          {"DEVICE", "device"},
          {"DRIVES", "drives"},
          {"SLOTS", "slots"},
          {"IEPORTS", "ieports"},
          {"MEDIA", "media"}},
         {"id", "name", "description", "kind", "state", "unreachable_since", "robot_error",
          "reachable_since", "device", "enabled", "drives", "slots", "ieports", "media", "vendor",
          "product", "serial"}},
        {"drive",
         "drive",
         "drives",
         {{"LIBRARY", "library"},
          {"NUMBER", "number"},
          {"NAME", "name"},
          {"STATE", "state"},
          {"ENABLED", "enabled"},
          {"MEDIA", "media"},
          {"ADDRESS", "address"},
          {"DEVICE", "device", deviceCell},
          {"SERIAL", "serial"},
          {"MOUNTS", "mount_count"}},
         {"id", "library", "library_id", "number", "address", "name", "device",
          "device_set_by_hand", "device_problem", "serial", "state", "enabled", "mount_count",
          "media"}},
        {"pool",
         "pool",
         "pools",
         {{"PATH", "path"},
          {"KIND", "kind"},
          {"TYPE", "media_type"},
          {"MEDIA", "media"},
          {"AVAILABLE", "available"},
          {"ENABLED", "enabled"},
          {"FROM FREE", "allocate_from_free"},
          {"TO FREE", "deallocate_to_free"},
          {"MAX ALLOC", "max_allocations"},
          {"DESCRIPTION", "description"}},
         {"id",
          "path",
          "name",
          "description",
          "kind",
          "media_type",
          "parent_id",
          "enabled",
          "allocate_from_free",
          "deallocate_to_free",
          "max_allocations",
          "media",
          "available",
          "available_online",
          "retention_seconds",
          "retention_from",
          "expire",
          "allocation",
          "low_mark",
          "high_mark"}},
        {"retention",
         "retention",
         "retention",
         {{"POOL", "pool"},
          {"BARCODE", "barcode"},
          {"SIDE", "side"},
          {"LMID", "lmid_name"},
          {"SINCE", "since"},
          {"ENDS", "retention_ends"},
          {"EXPIRE", "expire"},
          {"WORM", "worm"},
          {"OUTCOME", "outcome"}},
         {"pool", "pool_id", "media_id", "barcode", "side", "side_id", "lmid", "lmid_name", "since",
          "retention_ends", "worm", "life", "expire", "outcome"}},
        {"mark",
         "mark",
         "marks",
         {{"POOL", "pool"},
          {"FREE", "free"},
          {"LOW", "low_mark"},
          {"HIGH", "high_mark"},
          {"REQUEST", "request"},
          {"RAISED", "raised"},
          {"WITHDRAWN", "withdrawn"}},
         {"pool", "pool_id", "free", "low_mark", "high_mark", "request", "raised", "withdrawn"}},
        {"media",
         "media",
         "media",
         {{"BARCODE", "barcode"},
          {"TYPE", "media_type"},
          {"POOL", "pool"},
          {"LIBRARY", "library"},
          {"LOCATION", "location"},
          {"ADDRESS", "address"},
          {"STATE", "state"},
          {"SIDES", "sides", sideStates}},
         {"id", "barcode", "name", "description", "media_type", "pool", "pool_id", "library",
          "library_id", "location", "address", "state", "life", "worm", "enabled", "created",
          "last_mounted", "last_written", "sides"}},
        {"side",
         "side",
         "sides",
         {{"SIDE", "number"},
          {"STATE", "state"},
          {"LMID", "lmid"},
          {"LABEL TYPE", "label_type"},
          {"LABEL ID", "label_id"},
          {"MOUNTS", "mount_count"},
          {"ALLOCATIONS", "allocate_count"}},
         {"id", "number", "state", "label_type", "label_id", "mount_count", "allocate_count",
          "lmid", "allocated", "completed", "last_mounted", "last_written"}},
        {"lmid",
         "lmid",
         "lmids",
         {{"NAME", "name"},
          {"BARCODE", "barcode"},
          {"SIDE", "side"},
          {"STATE", "side_state"},
          {"POOL", "pool"},
          {"DESCRIPTION", "description"}},
         {"id", "name", "description", "side_id", "side", "side_state", "media_id", "barcode",
          "pool", "created", "allocated", "last_mounted", "last_written", "completed"}},
        {"ace",
         "ace",
         "acl",
         {{"PRINCIPAL", "principal"},
          {"ID", "principal_id"},
          {"NAME", "principal_id", principalName},
          {"RIGHTS", "rights"},
          {"MASK", "rights_mask"}},
         {"principal", "principal_id", "rights", "rights_mask"}},
        {"vault",
         "vault",
         "vaults",
         {{"NAME", "name"},
          {"IN TRANSIT OUT", "in_transit_out"},
          {"IN VAULT", "in_vault"},
          {"IN TRANSIT BACK", "in_transit_back"},
          {"DESCRIPTION", "description"}},
         {"id", "name", "description", "created", "in_transit_out", "in_vault", "in_transit_back"}},
        {"cartridge",
         "cartridge",
         "cartridges",
         {{"BARCODE", "barcode"},
          {"POOL", "pool"},
          {"LMIDS", "lmids"},
          {"LIBRARY", "library"},
          {"ROUND", "round"},
          {"VAULT", "vault"},
          {"STATE", "state"},
          {"SINCE", "since"}},
         {"barcode", "media_id", "pool", "lmids", "library", "vault", "state", "since", "sent",
          "arrived", "recalled", "round", "request", "operator_request"}},
        {"uncovered",
         "uncovered_pool",
         "uncovered_pools",
         {{"POOL", "pool"},
          {"RECENT", "recent"},
          {"LAST WRITTEN", "last_written"},
          {"BARCODES", "barcodes"}},
         {"pool", "recent", "last_written", "barcodes"}},
        {"reading",
         "reading",
         "readings",
         {{"TAKEN", "taken"},
          {"TRIGGER", "trigger"},
          {"DRIVE", "drive"},
          {"ERR/GB", "errors_per_gb"},
          {"LIFE ERR/GB", "lifetime_errors_per_gb"},
          {"LOADS", "load_count"},
          {"NOT SUPPORTED", "health", unsupportedParts}},
         {"id", "taken", "trigger", "drive", "drive_id", "barcode", "media_id", "request_id",
          "errors_per_gb", "lifetime_errors_per_gb", "load_count", "health"}},
        {"history",
         "history",
         "history",
         {{"WHEN", "at"}, {"WHAT", "what"}, {"WHO", "who"}, {"DETAIL", "detail"}},
         {"seq", "at", "what", "who", "detail"}},
        {"request",
         "request",
         "requests",
         {{"ID", "id"},
          {"KIND", "kind"},
          {"STATE", "state"},
          {"PRIORITY", "priority"},
          {"LIBRARY", "library"},
          {"CREATED", "created"},
          {"ERROR", "error"}},
         {"id", "library", "library_id", "kind", "state", "priority", "session_id", "media_id",
          "barcode", "drive_id", "drive", "device", "error", "message", "created", "started",
          "finished"}},
        {"operator_request",
         "operator_request",
         "operator_requests",
         {{"ID", "id"},
          {"KIND", "kind"},
          {"STATE", "state"},
          {"LIBRARY", "library"},
          {"MEDIA", "barcode"},
          {"CREATED", "created"},
          {"MESSAGE", "message"}},
         {"id", "kind", "state", "message", "library", "barcode", "drive", "created", "modified"}},
        {"element",
         "element",
         "elements",
         {{"ELEMENT", "element"},
          {"ADDRESS", "address"},
          {"FULL", "full"},
          {"BARCODE", "barcode"},
          {"SOURCE", "source"},
          {"POOL", "pool"},
          {"LMID", "lmid"},
          {"STATE", "state"},
          {"EXCEPTION", "exception"}},
         {"element", "address", "full", "barcode", "source", "exception", "media_id", "pool",
          "lmid", "state"}},
        {"device",
         "device",
         "devices",
         {{"DEVICE", "device"},
          {"SG", "sg"},
          {"KIND", "kind"},
          {"VENDOR", "vendor"},
          {"PRODUCT", "product"},
          {"REVISION", "revision"},
          {"SERIAL", "serial"},
          {"DESIGNATORS", "designators"}},
         {"device", "sg", "tape", "kind", "vendor", "product", "revision", "serial",
          "designators"}},
    };
    return table;
}

}  // namespace

const json &member(const json &object, std::string_view name) {
    static const json null;
    if (!object.is_object())
        return null;
    auto found = object.find(name);
    return found == object.end() ? null : *found;
}

std::string memberText(const json &object, std::string_view name) {
    return cellText(member(object, name));
}

const ObjectKind &objectKind(std::string_view name) {
    for (const ObjectKind &kind : kinds())
        if (name == kind.name)
            return kind;
    std::cerr << "rsmctl: no object kind '" << name << "'\n";
    std::abort();
}

const ObjectKind *kindOfList(std::string_view many) {
    for (const ObjectKind &kind : kinds())
        if (many == kind.many)
            return &kind;
    return nullptr;
}

std::string cellText(const json &value) {
    if (value.is_null())
        return "-";
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_boolean())
        return value.get<bool>() ? "yes" : "no";
    if (isErrorObject(value))
        return protocol::errorFromJson(value).toString();
    if (value.is_array()) {
        if (!value.empty() && value.front().is_structured())
            return std::to_string(value.size());
        std::string text;
        for (const json &item : value) {
            if (!text.empty())
                text += ',';
            text += cellText(item);
        }
        return text.empty() ? "-" : text;
    }
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace rsm::cli
