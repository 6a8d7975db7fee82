// rsmctl mount, dismount and audit: robot work on media, waited for. `rsmctl mount` prints the
// drive's device alone on stdout, so that a script can say DEVICE=$(rsmctl mount daily-7).

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "src/cli/context.h"
#include "src/cli/progress.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct RobotArgs {
    std::string target;                // LMID, PMID or library
    std::vector<std::string> targets;  // eject: several
    std::string drive;
    bool write = false, nowait = false, deferred = false, media = false, errorIfOffline = false;
    bool queue = false;
    int priority = 0;
};

std::string text(const json &request, const char *field) {
    if (request.is_object() && request.contains(field) && request[field].is_string())
        return request[field].get<std::string>();
    return {};
}

}  // namespace

void addMountCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<RobotArgs>();
    command.add_option("LMID", args->target, "The logical medium's name or UUID")->required();
    command.add_option("--drive", args->drive, "This drive only (LIBRARY/NUMBER, name or UUID)");
    command.add_flag("--write", args->write, "Mount for writing (a COMPLETE side refuses)");
    command.add_option("--priority", args->priority, "-15 (low) to 15 (high)")
        ->check(CLI::Range(-15, 15));
    command.add_flag("--nowait", args->nowait,
                     "Fail with ERROR_BUSY instead of waiting for a free drive");
    command.add_flag("--error-if-offline", args->errorIfOffline,
                     "Fail with ERROR_MEDIA_OFFLINE for a cartridge on the shelf instead of "
                     "waiting until it is put into the library");
    command.callback([&context, args] {
        json fields = {{"lmid", args->target},
                       {"write", args->write},
                       {"nowait", args->nowait},
                       {"error_if_offline", args->errorIfOffline},
                       {"priority", args->priority}};
        addIfGiven(fields, "drive", args->drive);
        ProgressLine shown(context, "mounting " + args->target);
        context.call(
            "media.mount", std::move(fields),
            [&](const json &result) {
                const json &request = result.contains("request") ? result["request"] : json();
                context.printer->done(text(request, "device"), result);
            },
            context.robotTimeout());
    });
}

void addDismountCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<RobotArgs>();
    command
        .add_option("LMID", args->target,
                    "The logical medium's name or UUID, or a cartridge's barcode")
        ->required();
    command.add_flag("--media", args->media,
                     "LMID is a physical medium: its barcode or UUID (an LMID of that name "
                     "is not looked for)");
    command.add_flag("--deferred", args->deferred,
                     "Leave the cartridge in its drive for a while (dismount_delay), so that "
                     "the next mount of it costs no robot move");
    command.callback([&context, args] {
        json fields = {{args->media ? "media" : "lmid", args->target},
                       {"deferred", args->deferred}};
        ProgressLine shown(context, "dismounting " + args->target);
        context.call(
            "media.dismount", std::move(fields),
            [&](const json &result) {
                const json &request = result.contains("request") ? result["request"] : json();
                context.printer->done(
                    fmt::format("dismounted {}: {}", args->target, text(request, "message")),
                    result);
            },
            context.robotTimeout());
    });
}

namespace {

// A robot command on one object: `verb` with {field: TARGET}, "done" as its message.
void addRobotCommand(CLI::App &command, Context &context, const char *argument, const char *help,
                     const char *verb, const char *field, const char *doing, const char *done) {
    auto args = std::make_shared<RobotArgs>();
    command.add_option(argument, args->target, help)->required();
    command.callback([&context, args, verb, field, doing, done] {
        ProgressLine shown(context, fmt::format("{} {}", doing, args->target));
        context.call(
            verb, {{field, args->target}},
            [&context, args, done](const json &result) {
                const json &request = result.contains("request") ? result["request"] : json();
                context.printer->done(
                    fmt::format("{} {}: {}", done, args->target, text(request, "message")), result);
            },
            context.robotTimeout());
    });
}

}  // namespace

void addAuditCommand(CLI::App &command, Context &context) {
    addRobotCommand(command, context, "LIBRARY", "The library's name or UUID", "library.audit",
                    "library", "reading the element status of", "audited library");
}

void addInjectCommand(CLI::App &command, Context &context) {
    addRobotCommand(command, context, "LIBRARY", "The library's name or UUID", "library.inject",
                    "library", "injecting the cartridges in the IE ports of",
                    "injected into library");
}

void addCleanCommand(CLI::App &command, Context &context) {
    addRobotCommand(command, context, "DRIVE", "The drive: LIBRARY/NUMBER, its name or UUID",
                    "drive.clean", "drive", "cleaning drive", "cleaned drive");
}

void addEjectCommand(CLI::App &command, Context &context) {
    auto args = std::make_shared<RobotArgs>();
    command
        .add_option("CARTRIDGE", args->targets,
                    "Barcodes, media UUIDs or LMIDs, ejected one after the other")
        ->required();
    command.add_flag("--queue", args->queue,
                     "With every IE port full, wait until one is free instead of failing with "
                     "ERROR_BUSY");
    command.callback([&context, args] {
        // Each one in turn; a failure is printed and the others are still ejected (exit 1).
        for (const std::string &target : args->targets) {
            ProgressLine shown(context, "ejecting " + target);
            context.call(
                "media.eject", {{"media", target}, {"queue", args->queue}},
                [&context, &target](const json &result) {
                    const json &request = result.contains("request") ? result["request"] : json();
                    context.printer->done(
                        fmt::format("ejected {}: {}", target, text(request, "message")), result);
                },
                context.robotTimeout());
        }
    });
}

}  // namespace rsm::cli
