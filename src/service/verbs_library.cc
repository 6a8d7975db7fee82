// The verbs of libraries and their robots: registration, enabling, drives, the request queue,
// discovery, and the watch stream.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sg/discovery.h"
#include "sg/inquiry.h"
#include "src/library/registration.h"
#include "src/protocol/codec.h"
#include "src/service/call.h"
#include "src/service/to_json.h"

namespace rsm::service {

using nlohmann::json;

namespace {

json empty() {
    return json::object();
}

Result<json> libraryList(Call &c) {
    RSM_GET(listing, c.engine().listLibraries(c.session));
    json out = json::array();
    for (const auto &l : listing.libraries)
        out.push_back(toJson(l));
    return json{{"libraries", out}, {"hidden", listing.hidden}};
}

Result<json> libraryShow(Call &c) {
    RSM_GET(id, c.library("library"));
    RSM_GET(library, c.engine().getLibrary(c.session, id));
    RSM_GET(drives, c.engine().listDrives(c.session, id));
    json out = json::array();
    for (const auto &d : drives)
        out.push_back(toJson(d));
    return json{{"library", toJson(library)}, {"drives", out}};
}

// The one medium changer of this computer, for a library added without a device.
Result<std::string> discoveredChanger(const sg::DiscoveryRoots &roots) {
    RSM_GET(devices, sg::discoverDevices(roots));
    std::vector<std::string> changers;
    for (const sg::ScsiDevice &d : devices)
        if (d.peripheralType == sg::peripheral::MediumChanger)
            changers.push_back(d.sgPath);
    if (changers.empty())
        return Error(ErrorCode::ResourceNotPresent,
                     "no medium changer found under /sys/class/scsi_generic; name the device "
                     "(/dev/sgN or iscsi://…)");
    if (changers.size() > 1)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("{} medium changers found ({}); name the device", changers.size(),
                                 fmt::join(changers, ", ")));
    return changers.front();
}

Result<json> libraryAdd(Call &c) {
    RSM_GET(name, c.fields.text("name"));
    std::string device;
    if (c.fields.has("device")) {
        RSM_GET(given, c.fields.text("device"));
        device = given;
    } else {
        RSM_GET(found, discoveredChanger(c.services.robots.probeOptions().discovery));
        device = found;
    }
    RSM_GET(description, c.fields.textOr("description", ""));
    // Rights and names first: an unauthorised caller never makes rsmd touch a device.
    RSM_GET(registered, library::registerLibrary(c.engine(), c.services.robots, c.session,
                                                 {name, device, description}));
    RSM_GET(library, c.engine().getLibrary(c.session, registered.id));
    return json{{"library", toJson(library)}};
}

Result<json> libraryRemove(Call &c) {
    RSM_GET(force, c.fields.flag("force", false));
    RSM_GET(id, c.library("library"));
    RSM_TRY_VOID(c.engine().removeLibrary(c.session, id, force));
    RSM_TRY_VOID(c.services.robots.librariesChanged());
    return empty();
}

template <bool Enabled>
Result<json> libraryEnable(Call &c) {
    RSM_GET(id, c.library("library"));
    RSM_TRY_VOID(c.engine().setLibraryEnabled(c.session, id, Enabled));
    auto library = c.engine().getLibrary(c.session, id);  // done: {} if it cannot be read
    return library ? json{{"library", toJson(*library)}} : empty();
}

Result<json> libraryDiscover(Call &c) {
    RSM_GET(devices, sg::discoverDevices(c.services.robots.probeOptions().discovery));
    json out = json::array();
    for (const sg::ScsiDevice &d : devices) {
        bool changer = d.peripheralType == sg::peripheral::MediumChanger;
        // The designators of the logical unit itself (VPD page 83h), "naa:5000e11156304001":
        // what a robot's binary DVCID identifiers are matched against.
        json designators = json::array();
        for (const sg::Designator &x : d.designators)
            if (x.association == sg::association::LogicalUnit)
                designators.push_back(std::string(sg::designatorTypeName(x.type)) + ":" +
                                      sg::designatorText(x));
        out.push_back({{"device", changer || !d.tapePath ? d.sgPath : *d.tapePath},
                       {"sg", d.sgPath},
                       {"tape", d.tapePath ? json(*d.tapePath) : json()},
                       {"kind", changer ? "changer" : "tape"},
                       {"vendor", d.vendor},
                       {"product", d.model},
                       {"revision", d.revision},
                       {"serial", d.serial},
                       {"designators", std::move(designators)}});
    }
    return json{{"devices", out}};
}

Result<json> libraryProbe(Call &c) {
    return robotWork(c, engine::work::Probe{});
}
Result<json> libraryInventory(Call &c) {
    RSM_GET(full, c.fields.flag("full", false));
    return robotWork(c, engine::work::Inventory{full});
}

Result<json> driveHistory(Call &c) {
    RSM_GET(id, c.drive("drive"));
    RSM_GET(limit, c.fields.integer("limit", 1000, 1, 10000));
    RSM_GET(history, c.engine().driveHistory(c.session, id, static_cast<int>(limit)));
    return historyReply(history);
}

Result<json> driveList(Call &c) {
    std::optional<Uuid> library;
    if (c.fields.has("library")) {
        RSM_GET(id, c.library("library"));
        library = id;
    }
    RSM_GET(drives, c.engine().listDrives(c.session, library));
    json out = json::array();
    for (const auto &d : drives)
        out.push_back(toJson(d));
    return json{{"drives", out}};
}

// A drive as it is after a change, for the reply; {} if the caller cannot read it (the
// change is made: never an error for it).
Result<json> driveNow(Call &c, const Uuid &drive) {
    auto drives = c.engine().listDrives(c.session, std::nullopt);
    if (!drives)
        return empty();
    for (const auto &d : *drives)
        if (d.row.id == drive)
            return json{{"drive", toJson(d)}};
    return empty();
}

template <bool Enabled>
Result<json> driveEnable(Call &c) {
    RSM_GET(id, c.drive("drive"));
    RSM_TRY_VOID(c.engine().setDriveEnabled(c.session, id, Enabled));
    return driveNow(c, id);
}

Result<json> driveSetDevice(Call &c) {
    RSM_GET(id, c.drive("drive"));
    if (!c.fields.has("device"))
        return Error(ErrorCode::InvalidParameter,
                     "drive.set_device needs \"device\" (\"\": back to what probes find)");
    RSM_GET(device, c.fields.textOr("device", ""));
    RSM_TRY_VOID(c.engine().setDriveDevice(c.session, id, device));
    return driveNow(c, id);
}

// A page of requests, newest first; "next" names where the next page starts (null: none).
Result<json> requestList(Call &c) {
    engine::RequestListing listing;
    RSM_GET(all, c.fields.flag("all", false));
    RSM_GET(limit, c.fields.integer("limit", 100, 1, 1000));
    listing.all = all;
    listing.limit = static_cast<int>(limit);
    if (c.fields.has("library")) {
        RSM_GET(id, c.library("library"));
        listing.library = id;
    }
    if (c.fields.has("before")) {
        RSM_GET(before, c.fields.uuid("before"));
        listing.before = before;
    }
    RSM_GET(page, c.engine().listRequests(c.session, listing));
    json out = json::array();
    for (const auto &r : page.requests)
        out.push_back(toJson(r));
    return json{{"requests", out},
                {"next", page.next ? json(page.next->toString()) : json(nullptr)}};
}

Result<json> requestShow(Call &c) {
    RSM_GET(id, c.fields.uuid("request"));
    RSM_GET(info, c.engine().getRequest(c.session, id));
    return json{{"request", toJson(info)}};
}

Result<json> requestCancel(Call &c) {
    RSM_GET(id, c.fields.uuid("request"));
    RSM_TRY_VOID(c.engine().cancelRequest(c.session, id));
    c.services.robots.ended(id);  // its waiting client gets ERROR_CANCELLED now
    return empty();
}

Result<json> watch(Call &c) {
    RSM_GET(last, c.engine().mayWatch(c.session));
    RSM_GET(since, c.fields.integer("since", last, 0, INT64_MAX));
    RSM_GET(sessions, c.fields.flag("sessions", false));
    c.watching = true;
    c.after = [services = &c.services, connection = c.connection, session = c.session, since,
               sessions] {
        connection->hold();  // a stream: not idle while it waits for events
        services->events.subscribe(connection, session, since, sessions);
    };
    return json{{"seq", last}};
}

// rsmctl mtx on a library rsmd manages: one mtx operation as robot work (src/library/jobs/mtx.cc).
Result<json> libraryMtx(Call &c) {
    RSM_GET(opName, c.fields.text("op"));
    const auto op = engine::mtxOpNamed(opName);
    if (!op)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("rsmd runs no mtx operation \"{}\"", opName));
    if (*op == engine::work::MtxOp::Inquiry || *op == engine::work::MtxOp::Elements)
        return mtxFromMap(c, *op);
    engine::work::Mtx work;
    work.op = *op;
    for (auto [name, address] :
         {std::pair{"source", &work.source}, std::pair{"destination", &work.destination},
          std::pair{"second", &work.second}}) {
        RSM_GET(value, c.fields.optionalInteger(name, 0, 65535));
        if (value)
            *address = static_cast<std::uint16_t>(*value);
    }
    RSM_GET(invert, c.fields.flag("invert", false));
    work.invert = invert;
    // What each operation needs, before it is queued.
    const bool twoPlaces =
        work.op == engine::work::MtxOp::Move || work.op == engine::work::MtxOp::Exchange;
    if ((twoPlaces && (!work.source || !work.destination)) ||
        (work.op == engine::work::MtxOp::Exchange && !work.second) ||
        (work.op == engine::work::MtxOp::Position && !work.destination))
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("rsmd runs no mtx operation \"{}\" with these parameters", opName));
    return robotWork(c, work);
}

}  // namespace

// Queues robot work of `kind` on a library; with wait (the default) the reply comes when the
// worker has done it.
Result<json> robotWork(Call &c, const engine::RobotWork &work) {
    RSM_GET(priority, c.fields.integer("priority", 0, -15, 15));
    RSM_GET(wait, c.fields.flag("wait", true));
    RSM_GET(id, c.library("library"));
    engine::NewRequest request;
    request.library = id;
    request.work = work;
    request.priority = static_cast<int>(priority);
    request.right = rights::Control;
    RSM_GET(queued, c.engine().submitRequest(c.session, request));
    return replyWhenDone(c, id, queued.id, wait);
}

Result<json> replyWhenDone(Call &c, const Uuid &library, const Uuid &requestId, bool wait,
                           AddResult addResult) {
    c.services.robots.wake(library);
    if (!wait) {
        RSM_GET(info, c.engine().getRequest(c.session, requestId));
        return json{{"request", toJson(info)}};
    }
    // The reply comes when the robot has done the work.
    c.deferred = true;
    c.after = [services = &c.services, connection = c.connection, replyId = c.id, requestId,
               addResult = std::move(addResult)] {
        connection->hold();  // owed a reply: not idle until it is pushed
        services->robots.whenFinished(requestId, [=](const engine::RequestInfo *finished) {
            struct Release {
                ~Release() { connection->release(); }
                const std::shared_ptr<daemon::ConnectionState> &connection;
            } release{connection};
            // The worker hands over the request as it recorded it, with its whole result (the
            // row keeps only a small one); read it only when the worker could not.
            Result<engine::RequestInfo> info = finished ? Result<engine::RequestInfo>(*finished)
                                                        : services->engine.requestInfo(requestId);
            if (!info) {
                connection->push(protocol::errorLine(replyId, info.error()));
            } else if (info->row.state != RequestState::Passed) {
                Error error = requestError(
                    *info,
                    fmt::format("request {} ({}) {}: {}", requestId.toString(), info->row.kind(),
                                requestStateName(info->row.state), info->row.message.value_or("")));
                connection->push(protocol::errorLine(replyId, error));
            } else {
                json result = {{"request", toJson(*info)}};
                if (addResult)
                    addResult(result, requestId);
                connection->push(protocol::resultLine(replyId, result));
            }
        });
    };
    return json::object();
}

const std::vector<Verb> &libraryVerbs() {
    static const std::vector<Verb> verbs = {
        {"library.list", true, {}, libraryList},
        {"library.show", true, {"library"}, libraryShow},
        {"library.add", true, {"name", "device", "description"}, libraryAdd},
        {"library.remove", true, {"library", "force"}, libraryRemove},
        {"library.enable", true, {"library"}, libraryEnable<true>},
        {"library.disable", true, {"library"}, libraryEnable<false>},
        {"library.discover", false, {}, libraryDiscover},
        {"library.probe", true, {"library", "priority", "wait"}, libraryProbe},
        {"library.inventory", true, {"library", "priority", "wait", "full"}, libraryInventory},
        {"library.mtx",
         true,
         {"library", "op", "source", "destination", "second", "invert", "priority", "wait"},
         libraryMtx},
        {"drive.list", true, {"library"}, driveList},
        {"drive.history", true, {"drive", "limit"}, driveHistory},
        {"drive.enable", true, {"drive"}, driveEnable<true>},
        {"drive.disable", true, {"drive"}, driveEnable<false>},
        {"drive.set_device", true, {"drive", "device"}, driveSetDevice},
        {"request.list", true, {"library", "all", "limit", "before"}, requestList},
        {"request.show", true, {"request"}, requestShow},
        {"request.cancel", true, {"request"}, requestCancel},
        {"watch", true, {"since", "sessions"}, watch},
    };
    return verbs;
}

}  // namespace rsm::service
