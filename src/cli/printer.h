#pragma once
// Printer: every result rsmctl shows goes through this interface, which has two backends —
// tables for people (the default) and JSON (--json) for scripts. Field names of the JSON
// backend are part of rsm's interface: add fields, never rename them.
// Errors: the table backend writes "rsmctl: ERROR_NAME (code): message" to stderr; the JSON
// backend writes {"error": {"code", "name", "message"}} to stdout.

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "rsm/error.h"
#include "sg/element.h"
#include "sg/inquiry.h"

namespace rsm::cli {

class Printer {
public:
    virtual ~Printer() = default;

    virtual void inquiry(const sg::InquiryData &data, const std::string &serial) = 0;
    virtual void elements(const std::vector<sg::Element> &elements) = 0;
    // A command that changed something and has nothing else to show: "moved 1000 -> 500".
    virtual void done(const std::string &what) = 0;
    virtual void error(const Error &error) = 0;
};

std::unique_ptr<Printer> makeTablePrinter(std::ostream &out, std::ostream &err);
std::unique_ptr<Printer> makeJsonPrinter(std::ostream &out);

}  // namespace rsm::cli
