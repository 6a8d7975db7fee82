// rsmctl library and rsmctl drive: the libraries rsmd manages, their drives, the changers it
// could manage (discover), and probing a library with its robot.

#include <unistd.h>

#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "rsm/principal.h"
#include "src/cli/context.h"
#include "src/cli/progress.h"
#include "src/protocol/codec.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

struct LibraryArgs {
    std::string name, device, description;
    bool force = false;
    int priority = 0;
    bool noWait = false;
    bool full = false;
};

// A finished library request that did not pass is the command's failure.
// Robot work a library command queues: the verb, and how its outcome reads.
struct RobotWork {
    const char *verb;    // "probe": library.probe
    const char *done;    // "probed"
    const char *queued;  // "a probe"
    const char *help;
    bool full = false;       // has --full (a FULL inventory)
    const char *doing = "";  // "probing", for the progress line
};

const RobotWork kProbe = {"probe",   "probed",
                          "a probe", "Have the robot say what it is and where its elements are",
                          false,     "probing"};
const RobotWork kInventory = {
    "inventory",
    "inventoried",
    "an inventory",
    "Read every element's barcode and bring the database in line (FAST); with --full, also "
    "read the label of each cartridge never read",
    true,
    "inventorying"};

// The reply of a verb that queued robot work on a library.
void showRobotWork(Context &context, const RobotWork &work, const std::string &library, bool waited,
                   const json &result) {
    const json &request = member(result, "request");
    const std::string id = memberText(request, "id");
    const std::string state = memberText(request, "state");
    if (!waited)
        return context.printer->done(
            fmt::format("queued {} of library {} as request {}", work.queued, library, id), result);
    if (state == "passed") {
        std::string message;
        if (request.is_object() && request.contains("message") && request["message"].is_string())
            message = ": " + request["message"].get<std::string>();
        return context.printer->done(
            fmt::format("{} library {} (request {}){}", work.done, library, id, message), result);
    }
    const json &error = member(request, "error");
    if (error.is_object())
        return context.fail(protocol::errorFromJson(error));
    context.fail(Error(
        state == "cancelled" ? ErrorCode::Cancelled : ErrorCode::InvalidState,
        fmt::format("{} of library {} (request {}) ended {}", work.verb, library, id, state)));
}

void addRobotWork(CLI::App &sub, Context &context, const RobotWork &work) {
    auto args = std::make_shared<LibraryArgs>();
    sub.add_option("NAME", args->name, "The library's name or UUID")->required();
    auto *priority = sub.add_option("--priority", args->priority, "-15 (low) to 15 (high)")
                         ->check(CLI::Range(-15, 15));
    sub.add_flag("--no-wait", args->noWait, "Queue the work and return at once");
    if (work.full)
        sub.add_flag("--full", args->full,
                     "Also mount each cartridge never read and read its label (slow)");
    sub.callback([&context, args, priority, &work] {
        json fields = {{"library", args->name}, {"wait", !args->noWait}};
        if (priority->count())
            fields["priority"] = args->priority;
        if (work.full)
            fields["full"] = args->full;
        const bool waited = !args->noWait;
        std::optional<ProgressLine> shown;
        if (waited)
            shown.emplace(context, fmt::format("{} library {}{}", work.doing, args->name,
                                               args->full ? " (FULL: reading labels)" : ""));
        context.call(
            std::string("library.") + work.verb, std::move(fields),
            [&context, args, &work, waited](const json &result) {
                showRobotWork(context, work, args->name, waited, result);
            },
            waited ? std::optional<Timeout>(context.robotTimeout()) : std::nullopt);
    });
}

}  // namespace

void addInventoryCommand(CLI::App &command, Context &context) {
    addRobotWork(command, context, kInventory);
}

void addLibraryCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<LibraryArgs>();
    auto name = [&](CLI::App *app) {
        app->add_option("NAME", args->name, "The library's name or UUID")->required();
    };

    group.add_subcommand("list", "List the libraries you may use")->callback([&context] {
        context.call("library.list", json::object(), [&](const json &result) {
            context.printer->rows(objectKind("library"), result);
            // Left out for want of USE: say so, rather than an empty table that says nothing.
            const json &hidden = member(result, "hidden");
            if (!context.json && hidden.is_number_integer() && hidden.get<int>() > 0)
                std::cerr << fmt::format(
                    "rsmctl: {} more librar{} you have no USE right on; an administrator grants "
                    "it with rsmctl acl grant library:NAME --user {} use\n",
                    hidden.get<int>(), hidden.get<int>() == 1 ? "y" : "ies",
                    userName(static_cast<std::uint32_t>(getuid())).empty()
                        ? std::to_string(getuid())
                        : userName(static_cast<std::uint32_t>(getuid())));
        });
    });

    auto *show = group.add_subcommand("show", "Show a library and its drives");
    name(show);
    show->callback([&context, args] {
        context.show("library.show", {{"library", args->name}}, "library");
    });

    // From the worker's element map: it answers between two robot requests.
    auto *status = group.add_subcommand(
        "status",
        "Show every slot, drive and port as the robot reports it, with what rsm knows "
        "of each cartridge (pool, LMID, state)");
    name(status);
    status->callback([&context, args] {
        context.call(
            "library.status", {{"library", args->name}},
            [&](const json &result) { context.printer->rows(objectKind("element"), result); },
            context.robotTimeout());
    });

    auto *add = group.add_subcommand("add", "Register a medium changer as a library");
    name(add);
    add->add_option("DEVICE", args->device,
                    "/dev/sgN, /dev/tape/by-id/… or an iscsi:// URL (default: the one changer "
                    "rsmd finds in sysfs)");
    add->add_option("--description", args->description, "What the library is for");
    add->callback([&context, args] {
        json fields = {{"name", args->name}};
        addIfGiven(fields, "device", args->device);
        addIfGiven(fields, "description", args->description);
        // rsmd reads the changer's inventory before it answers.
        context.change("library.add", std::move(fields),
                       fmt::format("added library {}{}", args->name,
                                   args->device.empty() ? "" : " (" + args->device + ")"),
                       context.robotTimeout());
    });

    auto *remove = group.add_subcommand("remove", "Remove a library from rsm");
    name(remove);
    remove->add_flag("--force", args->force, "Remove it even when it holds media");
    remove->callback([&context, args] {
        context.change("library.remove", {{"library", args->name}, {"force", args->force}},
                       "removed library " + args->name);
    });

    for (const char *verb : {"enable", "disable"}) {
        auto *sub = group.add_subcommand(
            verb, std::string(verb) == "enable" ? "Let rsm use a library" : "Stop using a library");
        name(sub);
        sub->callback([&context, args, verb = std::string(verb)] {
            context.change("library." + verb, {{"library", args->name}},
                           fmt::format("{}d library {}", verb, args->name));
        });
    }

    auto slot = std::make_shared<int>(-1);
    auto *cleaner = group.add_subcommand(
        "cleaner-slot", "Reserve a slot for the library's cleaner cartridge, or release it");
    name(cleaner);
    cleaner->add_option("SLOT", *slot, "The slot's element address (none: release the slot)")
        ->check(CLI::Range(0, 65535));
    cleaner->callback([&context, args, slot] {
        json fields = {{"library", args->name}};
        if (*slot >= 0)
            fields["address"] = *slot;
        context.change(
            "library.cleaner_slot", std::move(fields),
            *slot >= 0 ? fmt::format("slot {} of library {} is its cleaner slot", *slot, args->name)
                       : "released the cleaner slot of library " + args->name);
    });

    group.add_subcommand("discover", "List the changers and tape drives this computer sees")
        ->callback([&context] { context.list("library.discover", json::object(), "device"); });

    // Robot work: queued on the library's worker; by default rsmctl waits for the result.
    for (const RobotWork *work : {&kProbe, &kInventory})
        addRobotWork(*group.add_subcommand(work->verb, work->help), context, *work);
}

void addDriveCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<LibraryArgs>();

    auto *list = group.add_subcommand("list", "List the drives");
    list->add_option("--library", args->name, "Only the drives of this library");
    list->callback([&context, args] {
        json fields = json::object();
        addIfGiven(fields, "library", args->name);
        context.list("drive.list", std::move(fields), "drive");
    });

    addDriveSuspectCommand(group, context);

    auto *history = group.add_subcommand(
        "history", "What happened in a drive: mounts and who asked, cleanings");
    history->add_option("DRIVE", args->device, "LIBRARY/NUMBER, the drive's name or UUID")
        ->required();
    history->add_option("--limit", args->priority, "Read at most this many events (default 1000)")
        ->check(CLI::Range(1, 10000));
    history->callback([&context, args] {
        json fields = {{"drive", args->device}};
        if (args->priority)
            fields["limit"] = args->priority;
        context.list("drive.history", std::move(fields), "history");
    });

    // The drive's health, read now by the library's worker from the drive and the cartridge in
    // it (issue 19): a library request, waited for.
    auto *health = group.add_subcommand(
        "health", "Read a drive's health now: the tape's MAM, volume statistics, error counters");
    health->add_option("DRIVE", args->device, "LIBRARY/NUMBER, the drive's name or UUID")
        ->required();
    health->callback([&context, args] {
        ProgressLine shown(context, "reading the health of drive " + args->device);
        context.call(
            "drive.health", {{"drive", args->device}},
            [&context, args](const json &result) {
                context.printer->health(
                    fmt::format("drive {}: {}", args->device,
                                memberText(member(result, "request"), "message")),
                    result);
            },
            context.robotTimeout());
    });

    for (const char *verb : {"enable", "disable"}) {
        auto *sub = group.add_subcommand(
            verb, std::string(verb) == "enable" ? "Let rsm use a drive" : "Stop using a drive");
        sub->add_option("DRIVE", args->device, "LIBRARY/NUMBER, the drive's name or UUID")
            ->required();
        sub->callback([&context, args, verb = std::string(verb)] {
            context.change("drive." + verb, {{"drive", args->device}},
                           fmt::format("{}d drive {}", verb, args->device));
        });
    }

    // The drive's device by hand, for a library whose robot does not say which device each
    // drive is (no or cut DVCID identifiers): kept across probes.
    auto device = std::make_shared<std::pair<std::string, std::string>>();
    auto clear = std::make_shared<bool>(false);
    auto *set = group.add_subcommand(
        "set-device", "Set a drive's device (/dev/nstN, /dev/sgN or iscsi://…) by hand");
    set->add_option("DRIVE", device->first, "LIBRARY/NUMBER, the drive's name or UUID")->required();
    set->add_option("DEVICE", device->second,
                    "The drive's tape device: rsmctl library discover lists them");
    set->add_flag("--clear", *clear, "Forget the device set by hand: probes find it again");
    set->callback([&context, device, clear] {
        if (device->second.empty() == !*clear)
            return context.fail(Error(ErrorCode::InvalidParameter,
                                      "give the DEVICE, or --clear to let probes find it"));
        context.change(
            "drive.set_device", {{"drive", device->first}, {"device", device->second}},
            *clear ? fmt::format("drive {} gets its device from probes again", device->first)
                   : fmt::format("drive {} is {}", device->first, device->second));
    });
}

}  // namespace rsm::cli
