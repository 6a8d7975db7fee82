// rsmctl changer: direct access to a medium changer through sg/ (no daemon, no database).
// Addresses are SCSI element addresses.

#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "sg/changer.h"
#include "sg/open.h"
#include "src/cli/context.h"

namespace rsm::cli {

namespace {

struct ChangerArgs {
    std::string device;
    std::string type = "all";
    unsigned timeoutSeconds = 0;
    unsigned chunk = 0;
    bool noBarcodes = false;
    unsigned source = 0, destination = 0, second = 0, address = 0, first = 0, count = 0;
};

Result<std::unique_ptr<sg::Changer>> openChanger(const ChangerArgs &args) {
    std::string device = args.device;
    if (device.empty())
        if (const char *env = std::getenv("CHANGER"))
            device = env;
    if (device.empty())
        return Error(ErrorCode::InvalidParameter,
                     "no device: give --device /dev/sgN or an iscsi:// URL (or set $CHANGER)");
    sg::IscsiOptions iscsi;
    if (args.timeoutSeconds)
        iscsi.connectTimeout = std::chrono::seconds(args.timeoutSeconds);
    auto transport = sg::openTransport(device, iscsi);
    if (!transport)
        return transport.error();
    sg::ChangerOptions options;
    options.chunkElements = static_cast<std::uint16_t>(std::min(args.chunk, 65535u));
    options.volumeTags = !args.noBarcodes;
    if (args.timeoutSeconds) {
        const std::chrono::milliseconds t = std::chrono::seconds(args.timeoutSeconds);
        options.timeouts = {t, t, t, t, t, t, t};
        options.retry.notReadyWait = t;
    }
    return std::make_unique<sg::Changer>(std::move(*transport), options);
}

Result<std::optional<sg::ElementType>> parseType(const std::string &name) {
    for (auto t : {sg::ElementType::Transport, sg::ElementType::Storage,
                   sg::ElementType::ImportExport, sg::ElementType::DataTransfer})
        if (name == sg::elementTypeName(t))
            return std::optional<sg::ElementType>(t);
    if (name == "all")
        return std::optional<sg::ElementType>();
    return Error(
        ErrorCode::InvalidParameter,
        fmt::format("unknown element type '{}' (transport, slot, ieport, drive, all)", name));
}

// Runs fn on an opened changer; any Error is printed and sets the exit status.
template <typename Fn>
void withChanger(Context &context, const ChangerArgs &args, Fn fn) {
    auto changer = openChanger(args);
    if (!changer)
        return context.fail(changer.error());
    if (auto r = fn(**changer); !r)
        context.fail(r.error());
}

Result<void> showInquiry(Context &context, sg::Changer &changer) {
    auto data = changer.inquiry();
    if (!data)
        return data.error();
    auto serial = changer.serialNumber();
    context.printer->inquiry(*data, serial ? *serial : std::string());
    return success();
}

Result<void> showStatus(Context &context, sg::Changer &changer, const std::string &typeName) {
    auto type = parseType(typeName);
    if (!type)
        return type.error();
    auto elements = *type ? changer.status(**type) : changer.status();
    if (!elements)
        return elements.error();
    context.printer->elements(*elements);
    return success();
}

}  // namespace

void addChangerCommands(CLI::App &group, Context &context) {
    auto args = std::make_shared<ChangerArgs>();
    group.add_option("-d,--device", args->device, "/dev/sgN or iscsi://host[:port]/IQN/LUN");
    group.add_option("--timeout", args->timeoutSeconds,
                     "Seconds each command may take (default: per command, minutes for moves)");
    group.add_option("--chunk", args->chunk,
                     "Elements per READ ELEMENT STATUS (default 0: all of a type at once, as "
                     "far as the device's maximum transfer allows)");
    group.add_flag("--no-barcodes", args->noBarcodes, "Do not ask for volume tags");

    auto address = [](CLI::App *app, const char *name, unsigned &into, const char *help) {
        app->add_option(name, into, help)->required()->check(CLI::Range(0u, 65535u));
    };

    auto *inquiry = group.add_subcommand("inquiry", "Show vendor, product, revision, serial");
    inquiry->callback([&context, args] {
        withChanger(context, *args, [&](sg::Changer &c) { return showInquiry(context, c); });
    });

    auto *status = group.add_subcommand("status", "Show every element and what it holds");
    status->add_option("--type", args->type, "transport, slot, ieport, drive or all");
    status->callback([&context, args] {
        withChanger(context, *args,
                    [&](sg::Changer &c) { return showStatus(context, c, args->type); });
    });

    auto *move = group.add_subcommand("move", "MOVE MEDIUM from SRC to DST");
    address(move, "SRC", args->source, "Source element address");
    address(move, "DST", args->destination, "Destination element address");
    move->callback([&context, args] {
        withChanger(context, *args, [&](sg::Changer &c) -> Result<void> {
            RSM_TRY_VOID(c.move(static_cast<std::uint16_t>(args->source),
                                static_cast<std::uint16_t>(args->destination)));
            context.printer->done(fmt::format("moved {} to {}", args->source, args->destination));
            return success();
        });
    });

    auto *exchange = group.add_subcommand("exchange", "EXCHANGE MEDIUM between SRC and DST");
    address(exchange, "SRC", args->source, "First element address");
    address(exchange, "DST", args->destination, "Second element address");
    exchange->add_option("SECOND", args->second, "Where DST's cartridge goes (default: SRC)")
        ->check(CLI::Range(0u, 65535u));
    exchange->callback([&context, args] {
        withChanger(context, *args, [&](sg::Changer &c) -> Result<void> {
            std::optional<std::uint16_t> second;
            if (args->second)
                second = static_cast<std::uint16_t>(args->second);
            RSM_TRY_VOID(c.exchange(static_cast<std::uint16_t>(args->source),
                                    static_cast<std::uint16_t>(args->destination), second));
            context.printer->done(
                fmt::format("exchanged {} and {}", args->source, args->destination));
            return success();
        });
    });

    auto *init = group.add_subcommand("init", "INITIALIZE ELEMENT STATUS (inventory)");
    init->add_option("--first", args->first, "First address of a range (WITH RANGE)");
    init->add_option("--count", args->count, "Number of elements of the range");
    init->callback([&context, args] {
        withChanger(context, *args, [&](sg::Changer &c) -> Result<void> {
            if (args->count)
                RSM_TRY_VOID(c.initializeStatus(static_cast<std::uint16_t>(args->first),
                                                static_cast<std::uint16_t>(args->count)));
            else
                RSM_TRY_VOID(c.initializeStatus());
            context.printer->done("element status initialized");
            return success();
        });
    });

    auto *position = group.add_subcommand("position", "POSITION TO ELEMENT ADDR");
    address(position, "ADDR", args->address, "Element address");
    position->callback([&context, args] {
        withChanger(context, *args, [&](sg::Changer &c) -> Result<void> {
            RSM_TRY_VOID(c.position(static_cast<std::uint16_t>(args->address)));
            context.printer->done(fmt::format("positioned at {}", args->address));
            return success();
        });
    });
}

}  // namespace rsm::cli
