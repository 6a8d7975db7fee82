#include "src/library/robot_jobs.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "src/library/cleaning.h"
#include "src/library/drive_choice.h"
#include "src/library/inventory.h"
#include "src/library/mover.h"
#include "src/library/mtx_job.h"

namespace rsm::library {

namespace {

using engine::LibraryRow;
using engine::RequestRow;

bool flag(const RequestRow &request, const char *name) {
    auto params = nlohmann::json::parse(request.parameters, nullptr, false);
    return params.is_object() && params.value(name, false);
}

const engine::RobotView::Drive *driveHolding(const engine::RobotView &view, const Uuid &media) {
    for (const auto &d : view.drives)
        if (d.media && d.media->id == media)
            return &d;
    return nullptr;
}

std::vector<DriveView> driveViews(const engine::RobotView &view) {
    std::vector<DriveView> out;
    for (const auto &d : view.drives) {
        DriveView v;
        v.id = d.row.id;
        v.number = d.row.number;
        v.enabled = d.row.enabled;
        v.hasDevice = d.row.devicePath.has_value() && d.row.address.has_value();
        v.state = d.row.state;
        if (d.media)
            v.media = d.media->id;
        v.mountCount = d.row.mountCount;
        if (d.row.dismountAfter)
            v.dismountAfter =
                std::chrono::system_clock::time_point(std::chrono::seconds(*d.row.dismountAfter));
        out.push_back(v);
    }
    return out;
}

Result<JobDone> mount(engine::Engine &engine, const RobotOptions &options,
                      const RequestRow &request, const LibraryRow &lib) {
    if (!request.mediaId)
        return Error(ErrorCode::InvalidParameter, "the mount names no medium");
    const bool nowait = flag(request, "nowait");
    auto media = engine.mediaRow(*request.mediaId);
    if (!media)
        return media.error();
    if (media->libraryId != lib.id) {
        if (nowait || flag(request, "error_if_offline"))
            return Error(ErrorCode::MediaOffline,
                         fmt::format("{} is not in library {}", cartridgeName(*media), lib.name));
        return JobDone{fmt::format("waiting for {} to be put into library {}",
                                   cartridgeName(*media), lib.name),
                       true};
    }
    // The cartridge an operator was asked to bring is here.
    (void)engine.completeOperatorRequests(OperatorRequestKind::MoveMedia, lib.id, media->id);
    auto view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    auto choice = chooseDrive(driveViews(*view), MountWish{media->id, request.driveId});
    if (!choice) {
        const bool mounted =
            media->state == MediaState::Mounted || media->state == MediaState::Loaded;
        if (choice.error().code() == ErrorCode::Busy && !nowait && !mounted)
            return JobDone{"waiting for a free drive", true};
        return choice.error();
    }
    const engine::RobotView::Drive *drive = view->drive(choice->drive);
    Mover mover(engine, lib, options);
    int moves = 0;
    if (choice->putAwayFirst) {
        auto put = mover.putAway(*view, *drive, request.id);
        if (!put)
            return put.error();
        ++moves;
        view = engine.robotView(lib.id);
        if (!view)
            return view.error();
        media = engine.mediaRow(media->id);
        if (!media)
            return media.error();
        drive = view->drive(choice->drive);
    }
    if (!choice->alreadyThere) {
        auto from = placeOf(*view, *media);
        if (!from || from->kind == ObjectKind::Drive)
            return Error(ErrorCode::InvalidState,
                         fmt::format("the database has {} in no slot or port of library {}; "
                                     "audit the library",
                                     cartridgeName(*media), lib.name));
        RSM_TRY_VOID(mover.move(*media, *from,
                                Place{ObjectKind::Drive, drive->row.id, *drive->row.address},
                                request.id));
        ++moves;
    }
    if (auto ready = mover.waitReady(drive->row); !ready) {
        // Nobody has it: the idle work takes it home.
        (void)engine.markDismountable(drive->row.id, engine::unixNow());
        return ready.error();
    }
    RSM_TRY_VOID(engine.markMounted(request.id, drive->row.id));
    return JobDone{fmt::format("{} mounted in drive {}/{} ({} robot move{}): {}",
                               cartridgeName(*media), lib.name, drive->row.number, moves,
                               moves == 1 ? "" : "s", drive->row.devicePath.value_or("")),
                   false};
}

Result<JobDone> dismount(engine::Engine &engine, const RobotOptions &options,
                         const RequestRow &request, const LibraryRow &lib) {
    if (!request.mediaId)
        return Error(ErrorCode::InvalidParameter, "the dismount names no medium");
    auto view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    const engine::RobotView::Drive *drive = driveHolding(*view, *request.mediaId);
    if (!drive)
        return Error(ErrorCode::InvalidState, "the cartridge is not in a drive of " + lib.name);
    const std::string name = cartridgeName(*drive->media);
    if (flag(request, "deferred")) {
        const std::int64_t until = engine::unixNow() + options.dismountDelay.count();
        RSM_TRY_VOID(engine.markDismountable(drive->row.id, until));
        return JobDone{fmt::format("{} stays in drive {}/{} for {} s (deferred dismount)", name,
                                   lib.name, drive->row.number, options.dismountDelay.count()),
                       false};
    }
    Mover mover(engine, lib, options);
    auto home = mover.putAway(*view, *drive, request.id);
    if (!home)
        return home.error();
    return JobDone{fmt::format("{} back in slot {}", name, home->address), false};
}

void report(const RobotOptions &options, RobotLog level, const std::string &message) {
    if (options.log)
        options.log(level, message);
}

// A job that reports its outcome in rsmd's log.
Job logged(const RobotOptions &options, std::string kind, Job job) {
    return [&options, kind = std::move(kind), job = std::move(job)](
               const RequestRow &request, const LibraryRow &lib) -> Result<JobDone> {
        auto done = job(request, lib);
        const std::string what =
            fmt::format("{}: request {} ({})", lib.name, request.id.toString(), kind);
        if (!done)
            report(options, RobotLog::Warning, what + " failed: " + done.error().toString());
        else if (done->wait)
            report(options, RobotLog::Debug, what + " waits: " + done->message);
        else
            report(options, RobotLog::Info, what + ": " + done->message);
        return done;
    };
}

// The first IE port that is empty both for the robot and for the database.
std::optional<Place> freePort(const engine::RobotView &view,
                              const std::vector<engine::InventoryElement> &seen) {
    for (const engine::ElementRow &p : view.ieports) {
        if (view.isOccupied(p.id))
            continue;
        bool full = false;
        for (const engine::InventoryElement &e : seen)
            full = full || (e.kind == ObjectKind::IePort && e.address == p.address && e.full);
        if (!full)
            return Place{ObjectKind::IePort, p.id, p.address};
    }
    return std::nullopt;
}

Result<JobDone> eject(engine::Engine &engine, const RobotOptions &options,
                      const RequestRow &request, const LibraryRow &lib) {
    if (!request.mediaId)
        return Error(ErrorCode::InvalidParameter, "the eject names no medium");
    Mover mover(engine, lib, options);
    auto seen = mover.status();
    if (!seen)
        return seen.error();
    auto view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    auto media = engine.mediaRow(*request.mediaId);
    if (!media)
        return media.error();
    auto from = placeOf(*view, *media);
    if (!from || from->kind != ObjectKind::Slot)
        return Error(ErrorCode::InvalidState, fmt::format("{} is in no slot of library {}",
                                                          cartridgeName(*media), lib.name));
    auto to = freePort(*view, *seen);
    if (!to && flag(request, "queue"))
        return JobDone{fmt::format("waiting for a free IE port in library {}", lib.name), true};
    if (!to)
        return Error(ErrorCode::Busy,
                     fmt::format("every IE port of library {} is full: empty one and eject {} "
                                 "again",
                                 lib.name, cartridgeName(*media)));
    RSM_TRY_VOID(mover.move(*media, *from, *to, request.id));
    return JobDone{fmt::format("{} in IE port {}: take it out", cartridgeName(*media), to->address),
                   false};
}

// Inject: cartridges an operator put in the IE ports go to free slots. New barcodes become
// media (as an inventory makes them); with no free slot left, the rest stay in their ports.
Result<JobDone> inject(engine::Engine &engine, const RobotOptions &options,
                       const RequestRow &request, const LibraryRow &lib) {
    Mover mover(engine, lib, options);
    auto seen = mover.status();
    if (!seen)
        return seen.error();
    auto reconciled = engine.reconcileInventory(lib.id, *seen);
    if (!reconciled)
        return reconciled.error();
    auto view = engine.robotView(lib.id);
    if (!view)
        return view.error();
    const std::vector<engine::MediaRow> inPorts = view->inPorts;
    int injected = 0;
    std::string names;
    for (const engine::MediaRow &m : inPorts) {
        const engine::ElementRow *to = view->freeSlotFor(m);
        auto from = placeOf(*view, m);
        if (!to || !from)
            continue;
        RSM_TRY_VOID(
            mover.move(m, *from, Place{ObjectKind::Slot, to->id, to->address}, request.id));
        view->occupied.insert(
            std::upper_bound(view->occupied.begin(), view->occupied.end(), to->id), to->id);
        ++injected;
        names += fmt::format("{}{} -> slot {}{}", names.empty() ? ": " : ", ", cartridgeName(m),
                             to->address, view->isCleaner(m.id) ? " (cleaner)" : "");
    }
    const std::size_t left = inPorts.size() - static_cast<std::size_t>(injected);
    std::string rest;
    if (left) {
        rest = fmt::format("; {} left in the IE ports: no free slot", left);
        auto asked = engine.postOperatorRequest(
            OperatorRequestKind::Message,
            fmt::format("library {} has no free slot for {} cartridge{} in its IE ports: eject "
                        "or take out some cartridges, then inject again",
                        lib.name, left, left == 1 ? "" : "s"),
            lib.id);
        if (asked)
            rest += " (operator request " + asked->toString() + ")";
    }
    return JobDone{
        fmt::format("{} cartridge{} injected{}{}", injected, injected == 1 ? "" : "s", names, rest),
        false};
}

// A full inventory's second part: each cartridge never read goes into a drive, its first block
// is read and recognized, and it goes home. A cartridge that cannot be read is skipped (and
// said so); a robot that fails ends the inventory.
Result<std::string> readLabels(engine::Engine &engine, Mover &mover, const RequestRow &request,
                               const LibraryRow &lib) {
    auto unread = engine.unreadMedia(lib.id);
    if (!unread)
        return unread.error();
    int read = 0, failed = 0;
    std::string details;
    for (const engine::MediaRow &m : *unread) {
        auto view = engine.robotView(lib.id);
        if (!view)
            return view.error();
        auto choice = chooseDrive(driveViews(*view), MountWish{m.id, std::nullopt});
        if (!choice)
            return Error(choice.error().code(),
                         fmt::format("{} labels read, {} cartridges left unread: {}", read,
                                     unread->size() - static_cast<std::size_t>(read),
                                     choice.error().message()));
        const engine::RobotView::Drive *drive = view->drive(choice->drive);
        if (choice->putAwayFirst) {
            if (auto put = mover.putAway(*view, *drive, request.id); !put)
                return put.error();
            view = engine.robotView(lib.id);
            if (!view)
                return view.error();
            drive = view->drive(choice->drive);
        }
        auto media = engine.mediaRow(m.id);
        if (!media)
            return media.error();
        auto from = placeOf(*view, *media);
        if (!from || from->kind != ObjectKind::Slot)
            continue;
        RSM_TRY_VOID(mover.move(*media, *from,
                                Place{ObjectKind::Drive, drive->row.id, *drive->row.address},
                                request.id));
        Result<engine::LabelRead> label =
            mover.waitReady(drive->row).ok()
                ? mover.readLabel(drive->row)
                : Result<engine::LabelRead>(
                      Error(ErrorCode::DeviceNotAvailable, "the drive did not become ready"));
        view = engine.robotView(lib.id);
        if (!view)
            return view.error();
        auto home = mover.putAway(*view, *view->drive(choice->drive), request.id);
        if (!home)
            return home.error();
        if (!label) {
            ++failed;
            details +=
                fmt::format("; {}: unreadable ({})", cartridgeName(m), label.error().message());
            continue;
        }
        auto outcome = engine.classifyLabel(m.id, *label);
        if (!outcome)
            return outcome.error();
        ++read;
        details += "; " + *outcome;
    }
    return fmt::format("{} label{} read, {} unreadable{}", read, read == 1 ? "" : "s", failed,
                       details);
}

}  // namespace

std::string describe(const engine::AuditResult &r) {
    // The inventory's words name the moves it resolved, when there were any.
    return r.inventory.resolved ? describe(r.inventory)
                                : describe(r.inventory) + "; 0 unfinished moves resolved";
}

Jobs robotJobs(engine::Engine &engine, const RobotOptions &options) {
    Jobs jobs;
    jobs["probe"] = [&engine, &options](const RequestRow &,
                                        const LibraryRow &lib) -> Result<JobDone> {
        if (!lib.device)
            return Error(ErrorCode::InvalidLibrary, "library " + lib.name + " has no device");
        auto found = probeLibrary(*lib.device, options.probe);
        if (!found)
            return found.error();
        RSM_TRY_VOID(engine.updateLibraryProbe(lib.id, *found));
        return JobDone{fmt::format("{} drives, {} slots, {} ports", found->drives.size(),
                                   found->slots.size(), found->ieports.size()),
                       false};
    };
    jobs["inventory"] = [&engine, &options](const RequestRow &request,
                                            const LibraryRow &lib) -> Result<JobDone> {
        Mover mover(engine, lib, options);
        auto seen = mover.status();
        if (!seen)
            return seen.error();
        auto result = engine.reconcileInventory(lib.id, *seen);
        if (!result)
            return result.error();
        std::string message = describe(*result);
        if (flag(request, "full")) {
            auto labels = readLabels(engine, mover, request, lib);
            if (!labels)
                return labels.error();
            message += "; " + *labels;
        }
        return JobDone{message, false};
    };
    jobs["audit"] = [&engine, &options](const RequestRow &,
                                        const LibraryRow &lib) -> Result<JobDone> {
        Mover mover(engine, lib, options);
        auto result = mover.audit();
        if (!result)
            return result.error();
        return JobDone{describe(*result), false};
    };
    jobs["mount"] = [&engine, &options](const RequestRow &request, const LibraryRow &lib) {
        return mount(engine, options, request, lib);
    };
    jobs["dismount"] = [&engine, &options](const RequestRow &request, const LibraryRow &lib) {
        return dismount(engine, options, request, lib);
    };
    jobs["eject"] = [&engine, &options](const RequestRow &request, const LibraryRow &lib) {
        return eject(engine, options, request, lib);
    };
    jobs["inject"] = [&engine, &options](const RequestRow &request, const LibraryRow &lib) {
        return inject(engine, options, request, lib);
    };
    jobs["clean"] = [&engine, &options](const RequestRow &request, const LibraryRow &lib) {
        return cleanDrive(engine, options, request, lib);
    };
    jobs["mtx"] = [&engine, &options](const RequestRow &request, const LibraryRow &lib) {
        return mtxJob(engine, options, request, lib);
    };
    for (auto &[kind, job] : jobs)
        job = logged(options, kind, std::move(job));
    return jobs;
}

Idle robotIdle(engine::Engine &engine, const RobotOptions &options) {
    return [&engine, &options](const LibraryRow &lib) {
        const std::int64_t now = engine::unixNow();
        auto due = engine.dueDismounts(lib.id, now);
        if (!due || due->empty())
            return false;
        auto view = engine.robotView(lib.id);
        if (!view)
            return false;
        Mover mover(engine, lib, options);
        bool did = false;
        for (const engine::DriveRow &d : *due) {
            const engine::RobotView::Drive *drive = view->drive(d.id);
            if (!drive || !drive->media)
                continue;
            if (auto home = mover.putAway(*view, *drive, std::nullopt)) {
                report(options, RobotLog::Info,
                       fmt::format("{}: {} back in slot {} (deferred dismount due)", lib.name,
                                   cartridgeName(*drive->media), home->address));
                did = true;
                view = engine.robotView(lib.id);
                if (!view)
                    break;
            } else {
                report(options, RobotLog::Warning,
                       fmt::format("{}: putting away the cartridge of drive {}: {}", lib.name,
                                   d.number, home.error().toString()));
                // Try again after another delay rather than at every idle turn.
                (void)engine.markDismountable(d.id, now + options.dismountDelay.count());
            }
        }
        return did;
    };
}

}  // namespace rsm::library
