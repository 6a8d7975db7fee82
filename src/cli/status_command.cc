// rsmctl status: one screen of health, from rsmd's lists — the libraries (ready, unreachable
// with since when and why, disabled), the drives (what each holds, which need cleaning), the
// library requests under way or waiting (and why they wait), the operator requests open, and
// the free media of each pool (the scratch level). With --json, the five lists in one object.

#include <iostream>
#include <map>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "src/cli/context.h"
#include "src/cli/terminal_text.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

std::string field(const json &object, const char *name) {
    const json &v = member(object, name);
    if (v.is_string())
        return terminalText(v.get<std::string>());
    if (v.is_number_integer())
        return std::to_string(v.get<long long>());
    return {};
}

void printLibraries(std::ostream &out, const json &libraries) {
    out << "Libraries\n";
    if (libraries.empty())
        out << "  none you may use\n";
    for (const json &l : libraries) {
        if (field(l, "kind") == "offline")
            continue;
        out << fmt::format("  {:<16} {:<12} {} slots, {} media, {} drives\n", field(l, "name"),
                           field(l, "state"), field(l, "slots"), field(l, "media"),
                           field(l, "drives"));
        if (field(l, "state") == "unreachable")
            out << fmt::format("    since {}: {}\n", field(l, "unreachable_since"),
                               field(l, "robot_error"));
        if (member(l, "duplicate_barcodes").is_array())
            out << "    barcodes in more than one element: rsmctl library show " << field(l, "name")
                << "\n";
    }
}

void printDrives(std::ostream &out, const json &drives) {
    out << "Drives\n";
    if (drives.empty())
        out << "  none\n";
    for (const json &d : drives) {
        std::string notes;
        if (member(d, "needs_cleaning") == true)
            notes += ", needs cleaning";
        if (member(d, "enabled") == false)
            notes += ", disabled";
        if (member(d, "device").is_null())
            notes += ", no device: " + field(d, "device_problem");
        out << fmt::format("  {:<20} {:<14} {}{}\n", field(d, "library") + "/" + field(d, "number"),
                           field(d, "state"),
                           member(d, "media").is_string() ? field(d, "media") : "-", notes);
    }
}

void printRequests(std::ostream &out, const json &requests) {
    std::map<std::string, int> byState;
    for (const json &r : requests)
        ++byState[field(r, "state")];
    std::string counts;
    for (const auto &[state, n] : byState)
        counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, state);
    out << "Library requests: " << (counts.empty() ? "none" : counts) << "\n";
    for (const json &r : requests)
        if (field(r, "state") != "queued")
            out << fmt::format("  {} {} {} {}: {}\n", field(r, "id"), field(r, "kind"),
                               field(r, "library"), field(r, "state"), field(r, "message"));
}

void printOperatorRequests(std::ostream &out, const json &requests) {
    out << "Operator requests open: " << requests.size() << "\n";
    for (const json &r : requests)
        out << fmt::format("  {} {} since {}: {}\n", field(r, "id"), field(r, "kind"),
                           field(r, "created"), field(r, "message"));
}

void printPools(std::ostream &out, const json &pools) {
    out << "Free media per pool (available to allocate; in a library)\n";
    for (const json &p : pools) {
        if (field(p, "kind") == "import" || field(p, "kind") == "unrecognized")
            continue;
        out << fmt::format("  {:<24} {:>6} {:>6}\n", field(p, "path"), field(p, "available"),
                           field(p, "available_online"));
    }
}

}  // namespace

void addStatusCommand(CLI::App &command, Context &context) {
    command.callback([&context] {
        auto daemon = context.daemon();
        if (!daemon)
            return context.fail(daemon.error());
        json report = json::object();
        const std::vector<std::pair<std::string, json>> calls = {{"library.list", json::object()},
                                                                 {"drive.list", json::object()},
                                                                 {"request.list", json::object()},
                                                                 {"operator.list", json::object()},
                                                                 {"pool.list", json::object()}};
        for (const auto &[verb, fields] : calls) {
            auto result = (*daemon)->call(verb, fields);
            if (!result)
                return context.fail(result.error());
            for (const auto &[key, value] : result->items())
                if (value.is_array())
                    report[key] = value;
        }
        if (context.json)
            return context.printer->done("", report);
        std::ostream &out = std::cout;
        printLibraries(out, member(report, "libraries"));
        printDrives(out, member(report, "drives"));
        printRequests(out, member(report, "requests"));
        printOperatorRequests(out, member(report, "operator_requests"));
        printPools(out, member(report, "pools"));
    });
}

}  // namespace rsm::cli
