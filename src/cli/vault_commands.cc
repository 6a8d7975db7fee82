// rsmctl vault: the offsite places of the OFFLINE library and the rotation of media through
// them (docs/vaulting.md): create, list, show, delete, send (the pick list), arrived, recall
// (the return list), overdue, report. The pick and return lists also go to a CSV file.

#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "src/cli/context.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct VaultArgs {
    std::string vault, description, csv;
    std::vector<std::string> media;
    bool listOnly = false;
    int days = 7;
};

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string csvField(const std::string &text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char ch : text)
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

// The cartridges of a pick or return list as CSV, one line each after the header.
Result<void> writeCsv(const std::string &path, const json &result) {
    std::ofstream out(path);
    if (!out)
        return Error(ErrorCode::InvalidParameter, "cannot write " + path);
    static const char *const fields[] = {"barcode", "pool",  "lmids", "library", "round",
                                         "vault",   "state", "since", "media_id"};
    for (std::size_t i = 0; i < std::size(fields); ++i)
        out << (i ? "," : "") << fields[i];
    out << "\r\n";
    const json &list = member(result, "cartridges");
    if (list.is_array())
        for (const json &c : list) {
            for (std::size_t i = 0; i < std::size(fields); ++i) {
                const json &v = member(c, fields[i]);
                std::string text;
                if (v.is_array()) {
                    for (const json &n : v)
                        text += (text.empty() ? "" : " ") + cellText(n);
                } else if (!v.is_null()) {
                    text = cellText(v);
                }
                out << (i ? "," : "") << csvField(text);
            }
            out << "\r\n";
        }
    out.flush();
    if (!out)
        return Error(ErrorCode::InvalidParameter, "cannot write " + path);
    return success();
}

// A pick or return list: the table (or JSON), and the CSV file when asked for.
void cartridgeList(Context &context, const std::string &verb, json fields, const std::string &csv) {
    context.call(verb, std::move(fields), [&context, csv](const json &result) {
        if (!csv.empty())
            if (auto written = writeCsv(csv, result); !written)
                return context.fail(written.error());
        context.printer->rows(objectKind("cartridge"), result);
    });
}

}  // namespace

void addVaultCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<VaultArgs>();

    auto *create = group.add_subcommand("create", "Create a vault (an offsite location)");
    create->add_option("NAME", args->vault, "Its name")->required();
    create->add_option("--description", args->description, "Where or what it is");
    create->callback([&context, args] {
        json fields = {{"name", args->vault}};
        addIfGiven(fields, "description", args->description);
        context.change("vault.create", std::move(fields), "created vault " + args->vault);
    });

    group.add_subcommand("list", "List the vaults, with how many media each holds")
        ->callback([&context] { context.list("vault.list", json::object(), "vault"); });

    auto *show = group.add_subcommand(
        "show", "Show a vault: its media, in it or in transit to or from it, with dates");
    show->add_option("VAULT", args->vault, "The vault's name or UUID")->required();
    show->callback([&context, args] {
        context.show("vault.show", {{"vault", args->vault}}, "vault");
    });

    auto *remove = group.add_subcommand("delete", "Delete a vault that holds no media");
    remove->add_option("VAULT", args->vault, "The vault's name or UUID")->required();
    remove->callback([&context, args] {
        context.change("vault.delete", {{"vault", args->vault}}, "deleted vault " + args->vault);
    });

    auto *send = group.add_subcommand(
        "send", "Eject pools' or cartridges' media for a vault, in I/E port rounds; the pick list");
    send->add_option("POOL|BARCODE", args->media, "Pools (their media in a library) or media")
        ->required();
    send->add_option("--to", args->vault, "The vault")->required();
    send->add_option("--csv", args->csv, "Also write the pick list to this CSV file");
    send->callback([&context, args] {
        cartridgeList(context, "vault.send", {{"vault", args->vault}, {"media", args->media}},
                      args->csv);
    });

    auto *arrived = group.add_subcommand(
        "arrived", "Media in transit to a vault arrived there (all that left, or those named)");
    arrived->add_option("VAULT", args->vault, "The vault")->required();
    arrived->add_option("BARCODE", args->media, "Only these media");
    arrived->callback([&context, args] {
        cartridgeList(context, "vault.arrived", {{"vault", args->vault}, {"media", args->media}},
                      args->csv);
    });

    auto *recall = group.add_subcommand(
        "recall", "Recall media from a vault: those named, or the return list (no side in use)");
    recall->add_option("VAULT", args->vault, "The vault")->required();
    recall->add_option("BARCODE", args->media, "These media (default: the return list)");
    recall->add_flag("--list", args->listOnly, "Only print the return list; recall nothing");
    recall->add_option("--csv", args->csv, "Also write the list to this CSV file");
    recall->callback([&context, args] {
        cartridgeList(
            context, "vault.recall",
            {{"vault", args->vault}, {"media", args->media}, {"list_only", args->listOnly}},
            args->csv);
    });

    auto *overdue = group.add_subcommand("overdue", "Media in transit for DAYS days or more");
    overdue->add_option("--days", args->days, "Days in transit (default 7)")
        ->check(CLI::Range(0, 3650));
    overdue->callback([&context, args] {
        cartridgeList(context, "vault.overdue", {{"days", args->days}}, "");
    });

    auto *report = group.add_subcommand(
        "report", "Pools whose media written in the last DAYS days have no copy offsite");
    report->add_option("--days", args->days, "The window (default 7)")->check(CLI::Range(1, 3650));
    report->callback([&context, args] {
        context.list("vault.report", {{"days", args->days}}, "uncovered");
    });
}

}  // namespace rsm::cli
