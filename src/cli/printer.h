#pragma once
// Printer: every result rsmctl shows goes through this interface, which has two backends —
// tables for people (the default) and JSON (--json) for scripts. Field names of the JSON
// backend are part of rsm's interface: add fields, never rename them.
// Results of rsmd's verbs are printed from their JSON, described by the object kinds of
// kinds.h: the JSON backend prints the verb's result object as one line, as rsmd sent it.
// Times: rsmd's RFC 3339 text under --json; in tables, the local time zone (time_text.h).
// Errors: the table backend writes "rsmctl: ERROR_NAME (code): message" to stderr; the JSON
// backend writes {"error": {"code", "name", "message", "sense"?}} to stdout.

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsm/error.h"
#include "sg/element.h"
#include "sg/inquiry.h"
#include "src/cli/kinds.h"

namespace rsm::cli {

class Printer {
public:
    virtual ~Printer() = default;

    virtual void inquiry(const sg::InquiryData &data, const std::string &serial) = 0;
    virtual void elements(const std::vector<sg::Element> &elements) = 0;
    // A command that changed something and has nothing else to show: "moved 1000 -> 500".
    virtual void done(const std::string &what) = 0;

    // A list verb's result: result[kind.many] as a table.
    virtual void rows(const ObjectKind &kind, const nlohmann::json &result) = 0;
    // A show verb's result: result[kind.one] as "field: value" lines, then any lists beside or
    // inside it as tables.
    virtual void object(const ObjectKind &kind, const nlohmann::json &result) = 0;
    // A daemon verb that changed something: `what` for people, its result for scripts.
    virtual void done(const std::string &what, const nlohmann::json &result) = 0;
    // A health reading (docs/json.md, "Health"): `what` and the reading result["health"] as
    // health_text.h writes it, for people; the result for scripts.
    virtual void health(const std::string &what, const nlohmann::json &result) = 0;
    // watch began: `started` is its result ({"seq"}). Then each event object as rsmd sent it.
    virtual void watching(const nlohmann::json &started) = 0;
    virtual void event(const nlohmann::json &event) = 0;

    virtual void error(const Error &error) = 0;
};

// How tables show things: times in UTC rather than the local zone (--utc); every cell whole,
// however wide the table (--wide), rather than fitting 100 columns.
struct TableOptions {
    bool utc = false;
    bool wide = false;
};

std::unique_ptr<Printer> makeTablePrinter(std::ostream &out, std::ostream &err,
                                          TableOptions options = {});
std::unique_ptr<Printer> makeJsonPrinter(std::ostream &out);

}  // namespace rsm::cli
