// Libraries and drives: registration, removal, enabling, listing, and finding by name.

#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/names.h"
#include "src/engine/robot_tx.h"

namespace rsm::engine {

namespace {

Result<void> validLibraryName(const std::string &name) {
    return checkName(name, {"a library name", false, true});
}

}  // namespace

Result<void> Engine::mayAddLibrary(const Uuid &session, const std::string &name,
                                   const std::string &device) {
    RSM_TRY_VOID(validLibraryName(name));
    if (device.empty())
        return Error(ErrorCode::InvalidParameter, "the library's device is missing");
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Control,
                             "the computer (adding a library)"));
        if (tx.libraryByName(name))
            return Error(ErrorCode::AlreadyExists, fmt::format("a library {} exists", name));
        if (auto other = tx.libraryByDevice(device))
            return Error(ErrorCode::AlreadyExists,
                         fmt::format("device {} is library {} already", device, other->name));
        return success();
    });
}

Result<Uuid> Engine::addLibrary(const Uuid &session, const NewLibrary &library) {
    RSM_TRY_VOID(mayAddLibrary(session, library.name, library.device));
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Control,
                             "the computer (adding a library)"));
        if (tx.libraryByName(library.name) || tx.libraryByDevice(library.device))
            return Error(ErrorCode::AlreadyExists, fmt::format("a library {} or device {} exists",
                                                               library.name, library.device));
        LibraryRow row;
        row.id = Uuid::random();
        row.name = library.name;
        row.description = library.description;
        row.kind = LibraryKind::Online;
        row.device = library.device;
        row.vendor = library.vendor;
        row.product = library.product;
        row.serial = library.serial;
        tx.insertLibrary(row);
        RSM_TRY_VOID(updateElements(tx, row.id, library));
        AclRow acl;  // the registering user may use what it registered
        acl.id = Uuid::random();
        acl.principalKind = PrincipalKind::User;
        acl.principalId = c.principal.uid;
        acl.objectKind = ObjectKind::Library;
        acl.objectId = row.id;
        acl.rights = rights::All;
        tx.setAcl(acl);
        return row.id;
    });
}

Result<void> Engine::updateElements(Tx &tx, const Uuid &library, const NewLibrary &probe) {
    auto add = [&](ObjectKind kind, const std::vector<int> &addresses) {
        std::set<int> have;
        for (const ElementRow &e : tx.elements(kind, library))
            have.insert(e.address);
        for (int address : addresses)
            if (!have.count(address))
                tx.insertElement(kind, ElementRow{Uuid::random(), library, address});
    };
    add(ObjectKind::Changer, probe.changers);
    add(ObjectKind::Slot, probe.slots);
    add(ObjectKind::IePort, probe.ieports);
    std::vector<DriveRow> drives = tx.drives(library);
    int next = 0;
    for (const DriveRow &d : drives)
        next = std::max(next, d.number + 1);
    for (const NewLibrary::Drive &nd : probe.drives) {
        DriveRow *known = nullptr;
        for (DriveRow &d : drives)
            if (d.address == nd.address)
                known = &d;
        if (known) {
            bool changed = false;
            if (nd.serial && known->serial != nd.serial) {
                known->serial = nd.serial;
                changed = true;
            }
            // A device set by hand stays; else what the probe found, or why it found none.
            if (!known->deviceManual &&
                (known->devicePath != nd.device ||
                 known->deviceProblem != (nd.device ? std::nullopt : nd.problem))) {
                known->devicePath = nd.device;
                known->deviceProblem = nd.device ? std::nullopt : nd.problem;
                changed = true;
            }
            if (changed)
                tx.updateDrive(*known);
            continue;
        }
        DriveRow row;
        row.id = Uuid::random();
        row.libraryId = library;
        row.number = next++;
        row.address = nd.address;
        row.serial = nd.serial;
        row.devicePath = nd.device;
        if (!nd.device)
            row.deviceProblem = nd.problem;
        tx.insertDrive(row);
    }
    return success();
}

Result<void> Engine::removeLibrary(const Uuid &session, const Uuid &library, bool force) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        if (lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::InvalidLibrary, "the Offline library cannot be removed");
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Library, lib->id, rights::Modify, "library " + lib->name));
        for (const RequestRow &r : tx.requests(lib->id, true)) {
            if (r.state != RequestState::Queued)
                return Error(ErrorCode::Busy, fmt::format("library {} is running request {} ({})",
                                                          lib->name, r.id.toString(), r.kind()));
            if (!force)
                return Error(ErrorCode::Busy,
                             fmt::format("library {} has queued requests; cancel them or use force",
                                         lib->name));
        }
        std::vector<MediaRow> media = tx.mediaInLibrary(lib->id);
        if (!media.empty() && !force)
            return Error(ErrorCode::NotEmpty,
                         fmt::format("library {} holds {} media; eject them, or force to move "
                                     "them to the Offline library",
                                     lib->name, media.size()));
        const LibraryRow offline = tx.offlineLibrary();
        for (MediaRow m : media) {
            if (m.state != MediaState::Idle)
                return Error(ErrorCode::Busy, fmt::format("medium {} in library {} is {}",
                                                          m.barcode.value_or(m.id.toString()),
                                                          lib->name, mediaStateName(m.state)));
            m.libraryId = offline.id;
            m.libraryKind = LibraryKind::Offline;
            m.location = LocationKind::Shelf;
            m.slotId = m.driveId = m.ieportId = m.homeSlotId = std::nullopt;
            tx.updateMedia(m);
        }
        completeLeftVaultRoundsIn(tx);
        tx.deleteLibrary(lib->id);
        return success();
    });
}

Result<void> Engine::setLibraryEnabled(const Uuid &session, const Uuid &library, bool enabled) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        if (lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::InvalidLibrary, "the Offline library is always enabled");
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Library, lib->id, rights::Control, "library " + lib->name));
        lib->enabled = enabled;
        tx.updateLibrary(*lib);
        return success();
    });
}

Result<LibraryListing> Engine::listLibraries(const Uuid &session) {
    using Out = LibraryListing;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        Out out;
        for (const LibraryRow &l : tx.libraries()) {
            if (has(tx, c, ObjectKind::Library, l.id, rights::Use))
                out.libraries.push_back(LibraryInfo{l, tx.libraryCounts(l.id)});
            else if (l.kind != LibraryKind::Offline)  // the shelf is no library to ask for
                ++out.hidden;
        }
        return out;
    });
}

Result<LibraryInfo> Engine::getLibrary(const Uuid &session, const Uuid &library) {
    return asCaller<LibraryInfo>(session, [&](Tx &tx, const Caller &c) -> Result<LibraryInfo> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Library, lib->id, rights::Use, "library " + lib->name));
        return LibraryInfo{*lib, tx.libraryCounts(lib->id), tx.barcodeConflicts(lib->id)};
    });
}

Result<Uuid> Engine::findLibrary(const Uuid &session, const std::string &nameOrId) {
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        if (auto id = Uuid::parse(nameOrId))
            if (tx.library(*id))
                return *id;
        if (auto lib = tx.libraryByName(nameOrId))
            return lib->id;
        return Error(ErrorCode::InvalidLibrary,
                     fmt::format("no library {}{} (rsmctl library list lists them)", nameOrId,
                                 suggestion(tx, c, ObjectKind::Library, nameOrId)));
    });
}

Result<std::vector<LibraryContent>> Engine::libraryContents(const Uuid &session,
                                                            const Uuid &library) {
    using Out = std::vector<LibraryContent>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Library, lib->id, rights::Use, "library " + lib->name));
        std::map<Uuid, std::string> paths;  // every pool's path, from one read
        std::map<Uuid, PoolRow> pools;
        for (PoolRow &p : tx.pools())
            pools.emplace(p.id, std::move(p));
        for (const auto &[id, pool] : pools) {
            std::string path = pool.name;
            std::optional<Uuid> parent = pool.parentId;
            for (int depth = 0; parent && depth < 64; ++depth) {
                auto up = pools.find(*parent);
                if (up == pools.end())
                    break;
                path = up->second.name + "/" + path;
                parent = up->second.parentId;
            }
            paths.emplace(id, std::move(path));
        }
        std::map<Uuid, std::string> lmidOfSide;
        for (const LmidRow &l : tx.lmidsInLibrary(library))
            lmidOfSide.emplace(l.sideId, l.name.empty() ? l.id.toString() : l.name);
        std::map<Uuid, std::vector<SideRow>> sides;
        for (SideRow &s : tx.sidesInLibrary(library))
            sides[s.mediaId].push_back(std::move(s));
        Out out;
        for (MediaRow &m : tx.mediaInLibrary(library)) {
            LibraryContent content{std::move(m), {}, {}, {}};
            if (auto p = paths.find(content.media.poolId); p != paths.end())
                content.pool = p->second;
            for (const SideRow &s : sides[content.media.id]) {
                content.sides.push_back(s.state);
                if (auto l = lmidOfSide.find(s.id); l != lmidOfSide.end())
                    content.lmids.push_back(l->second);
            }
            out.push_back(std::move(content));
        }
        return out;
    });
}

Result<LibraryRow> Engine::libraryFor(const Principal &principal, const std::string &nameOrId,
                                      std::uint32_t need) {
    return store_.transact<LibraryRow>("rsm", [&](Tx &tx) -> Result<LibraryRow> {
        tx.setPrincipal(principal.toString());
        std::optional<LibraryRow> lib;
        if (auto id = Uuid::parse(nameOrId))
            lib = tx.library(*id);
        if (!lib)
            lib = tx.libraryByName(nameOrId);
        const Caller c{SessionRow{}, principal};
        if (!lib)
            return Error(ErrorCode::InvalidLibrary,
                         fmt::format("no library {}{} (rsmctl library list lists them)", nameOrId,
                                     suggestion(tx, c, ObjectKind::Library, nameOrId)));
        RSM_TRY_VOID(require(tx, c, ObjectKind::Library, lib->id, need, "library " + lib->name));
        return *lib;
    });
}

Result<std::vector<DriveInfo>> Engine::listDrives(const Uuid &session,
                                                  const std::optional<Uuid> &library) {
    using Out = std::vector<DriveInfo>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        if (library && !tx.library(*library))
            return Error(ErrorCode::InvalidLibrary, "no such library");
        // Per library, once: may the caller see it, and which medium each drive holds.
        struct Seen {
            std::optional<std::string> name;  // none: not visible to the caller
            std::map<Uuid, std::string> loaded;
        };
        std::map<Uuid, Seen> libraries;
        Out out;
        for (const DriveRow &d : tx.drives(library)) {
            auto [at, fresh] = libraries.try_emplace(d.libraryId);
            Seen &seen = at->second;
            if (fresh) {
                auto lib = tx.library(d.libraryId);
                if (!lib || !has(tx, c, ObjectKind::Library, lib->id, rights::Use))
                    continue;
                seen.name = lib->name;
                for (const MediaRow &m : tx.mediaInLibrary(lib->id))
                    if (m.driveId)
                        seen.loaded[*m.driveId] = m.barcode.value_or(m.id.toString());
            }
            if (!seen.name)
                continue;
            DriveInfo info{d, *seen.name, std::nullopt};
            if (auto m = seen.loaded.find(d.id); m != seen.loaded.end())
                info.barcode = m->second;
            out.push_back(std::move(info));
        }
        return out;
    });
}

Result<Engine::DriveInLibrary> Engine::driveAndLibrary(Tx &tx, const Caller &c, const Uuid &drive,
                                                       std::uint32_t need) const {
    auto d = tx.drive(drive);
    if (!d)
        return Error(ErrorCode::InvalidDrive, "no drive " + drive.toString());
    auto lib = tx.library(d->libraryId);
    if (!lib)
        return Error(ErrorCode::InvalidLibrary, "the drive's library is gone");
    RSM_TRY_VOID(require(tx, c, ObjectKind::Library, lib->id, need, "library " + lib->name));
    return DriveInLibrary{std::move(*d), std::move(*lib)};
}

Result<void> Engine::setDriveEnabled(const Uuid &session, const Uuid &drive, bool enabled) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto found = driveAndLibrary(tx, c, drive, rights::Control);
        if (!found)
            return found.error();
        found->drive.enabled = enabled;
        tx.updateDrive(found->drive);
        return success();
    });
}

Result<void> Engine::setDriveDevice(const Uuid &session, const Uuid &drive,
                                    const std::string &device) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto found = driveAndLibrary(tx, c, drive, rights::Control);
        if (!found)
            return found.error();
        auto *d = &found->drive;
        if (device.size() > 4096)
            return Error(ErrorCode::InvalidParameter, "a device name has at most 4096 characters");
        for (const DriveRow &other : tx.drives(std::nullopt)) {
            if (device.empty() || other.id == d->id || other.devicePath != device)
                continue;
            auto owner = tx.library(other.libraryId);
            return Error(ErrorCode::AlreadyExists,
                         fmt::format("{} is already the device of drive {}/{}; give each drive "
                                     "its own (rsmctl library discover lists the tape devices)",
                                     device, owner ? owner->name : other.libraryId.toString(),
                                     other.number));
        }
        if (device.empty()) {
            d->deviceManual = false;
            d->devicePath.reset();
            d->deviceProblem = "set-device cleared it: probe the library to match serials";
        } else {
            d->deviceManual = true;
            d->devicePath = device;
            d->deviceProblem.reset();
        }
        tx.updateDrive(*d);
        return success();
    });
}

Result<Uuid> Engine::findDrive(const Uuid &session, const std::string &reference) {
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        if (auto id = Uuid::parse(reference))
            if (tx.drive(*id))
                return *id;
        std::size_t slash = reference.rfind('/');
        if (slash != std::string::npos) {
            std::string number = reference.substr(slash + 1);
            int n = -1;
            auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
            auto lib = tx.libraryByName(reference.substr(0, slash));
            if (lib && ec == std::errc() && ptr == number.data() + number.size())
                for (const DriveRow &d : tx.drives(lib->id))
                    if (d.number == n)
                        return d.id;
        }
        for (const DriveRow &d : tx.drives(std::nullopt))
            if (!d.name.empty() && d.name == reference)
                return d.id;
        return Error(ErrorCode::InvalidDrive,
                     fmt::format("no drive {}{} (name one as LIBRARY/NUMBER or by its name; "
                                 "rsmctl drive list lists them)",
                                 reference, suggestion(tx, c, ObjectKind::Drive, reference)));
    });
}

}  // namespace rsm::engine
