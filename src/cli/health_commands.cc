// rsmctl media health, media show's health figures, drive show, media clear-suspect and drive
// clear-suspect: the health readings rsmd keeps and the suspect flags derived from them
// (docs/health.md). Reading a drive now is `rsmctl drive health` (robot work).

#include <iostream>

#include <CLI/CLI.hpp>

#include "src/cli/context.h"
#include "src/cli/health_text.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

// "suspect: yes (tape: 100.0 errors per GB …)" or "suspect: no".
std::string suspectLine(const json &object) {
    const bool suspect = member(object, "suspect") == true;
    const json &reason = member(object, "suspect_reason");
    return std::string("suspect: ") + (suspect ? "yes" : "no") +
           (suspect && reason.is_string() ? " (" + reason.get<std::string>() + ")" : "");
}

void printReading(std::ostream &out, const json &reading) {
    out << "\nlatest reading: " << memberText(reading, "taken") << ", "
        << memberText(reading, "trigger") << " in drive " << memberText(reading, "drive")
        << "\n  errors per GB (last mount): " << memberText(reading, "errors_per_gb")
        << "\n  errors per GB (life): " << memberText(reading, "lifetime_errors_per_gb")
        << "\n  load count: " << memberText(reading, "load_count") << '\n'
        << healthText(member(reading, "health"));
}

}  // namespace

void showMediaWithHealth(Context &context, const std::string &media) {
    context.call("media.show", {{"media", media}}, [&](const json &result) {
        if (context.json)
            return context.printer->object(objectKind("media"), result);
        json shown = result;
        json reading;
        if (shown.contains("media") && shown["media"].is_object() &&
            shown["media"].contains("health")) {
            reading = shown["media"]["health"];
            shown["media"].erase("health");
        }
        context.printer->object(objectKind("media"), shown);
        if (reading.is_object())
            printReading(std::cout, reading);
    });
}

void addMediaHealthCommands(CLI::App &group, Context &context) {
    auto media = std::make_shared<std::string>();
    auto limit = std::make_shared<int>(0);
    auto *health = group.add_subcommand(
        "health", "A medium's health readings, one per mount, newest first; its suspect flag");
    health->add_option("PMID", *media, "The medium's barcode or UUID")->required();
    health->add_option("--limit", *limit, "At most this many readings (default 100)")
        ->check(CLI::Range(1, 1000));
    health->callback([&context, media, limit] {
        json fields = {{"media", *media}};
        if (*limit)
            fields["limit"] = *limit;
        context.call("media.health", std::move(fields), [&](const json &result) {
            if (context.json)
                return context.printer->object(objectKind("reading"), result);
            std::cout << suspectLine(result) << '\n';
            context.printer->rows(objectKind("reading"), result);
        });
    });

    auto *clear = group.add_subcommand(
        "clear-suspect", "Clear a medium's suspect flag (administrators; docs/health.md)");
    clear->add_option("PMID", *media, "The medium's barcode or UUID")->required();
    clear->callback([&context, media] {
        context.change("media.clear_suspect", {{"media", *media}},
                       *media + " is no longer suspect");
    });
}

void addDriveSuspectCommand(CLI::App &group, Context &context) {
    auto drive = std::make_shared<std::string>();
    auto *show = group.add_subcommand(
        "show", "A drive, its suspect flag and its latest health reading (docs/health.md)");
    show->add_option("DRIVE", *drive, "The drive: LIBRARY/NUMBER, its name or UUID")->required();
    show->callback([&context, drive] {
        context.call("drive.show", {{"drive", *drive}}, [&](const json &result) {
            if (context.json)
                return context.printer->object(objectKind("drive"), result);
            json shown = result;
            json reading;
            if (shown.contains("drive") && shown["drive"].is_object()) {
                reading = shown["drive"].value("health", json());
                shown["drive"].erase("health");
            }
            context.printer->object(objectKind("drive"), shown);
            if (reading.is_object())
                printReading(std::cout, reading);
        });
    });

    auto *clear = group.add_subcommand(
        "clear-suspect", "Clear a drive's suspect flag (administrators; docs/health.md)");
    clear->add_option("DRIVE", *drive, "The drive: LIBRARY/NUMBER, its name or UUID")->required();
    clear->callback([&context, drive] {
        context.change("drive.clear_suspect", {{"drive", *drive}},
                       "drive " + *drive + " is no longer suspect");
    });
}

}  // namespace rsm::cli
