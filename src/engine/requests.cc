// Library requests: the robot's queue as the engine keeps it (submit, cancel, list), the
// worker's side (take the next, finish, recover after a crash), and the event log for watchers.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "src/engine/engine.h"
#include "src/engine/robot_tx.h"

namespace rsm::engine {

namespace {

// Queued by this session, or by another session of the same user (each rsmctl command opens a
// session of its own): the user's own request, which they may see and cancel.
bool ownRequest(Tx &tx, const RequestRow &r, const Uuid &session, std::uint32_t uid) {
    if (r.sessionId == session)
        return true;
    if (!r.sessionId)
        return false;
    auto queuedBy = tx.session(*r.sessionId);
    return queuedBy && queuedBy->uid == uid;
}

}  // namespace

Result<QueuedRequest> Engine::submitRequest(const Uuid &session, const NewRequest &request) {
    if (std::holds_alternative<work::Unknown>(request.work))
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("rsmd has no robot work \"{}\"", kindOf(request.work)));
    if (request.priority < -15 || request.priority > 15)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("priority {} is outside -15..15", request.priority));
    return asCaller<QueuedRequest>(session, [&](Tx &tx, const Caller &c) -> Result<QueuedRequest> {
        auto lib = tx.library(request.library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        if (lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::InvalidLibrary, "the Offline library has no robot to do " +
                                                        std::string(kindOf(request.work)));
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Library, lib->id, request.right, "library " + lib->name));
        if (!lib->enabled)
            return Error(ErrorCode::ResourceDisabled,
                         fmt::format("library {} is disabled", lib->name));
        RequestRow row;
        row.id = Uuid::random();
        row.libraryId = lib->id;
        row.work = request.work;
        row.priority = request.priority;
        row.sessionId = session;
        row.mediaId = request.media;
        row.driveId = request.drive;
        RSM_TRY_VOID(roomForRequest(tx, session));
        tx.insertRequest(row);
        return QueuedRequest{row.id, row.libraryId};
    });
}

Result<void> Engine::cancelRequest(const Uuid &session, const Uuid &request) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto row = tx.request(request);
        if (!row)
            return Error(ErrorCode::ObjectNotFound,
                         fmt::format("no library request {}", request.toString()));
        if (!ownRequest(tx, *row, session, c.principal.uid)) {
            auto lib = tx.library(row->libraryId);
            RSM_TRY_VOID(require(tx, c, ObjectKind::Library, row->libraryId, rights::Control,
                                 "library " + (lib ? lib->name : row->libraryId.toString()) +
                                     " (cancelling another session's request)"));
        }
        if (row->state != RequestState::Queued && row->state != RequestState::Waiting)
            return Error(ErrorCode::InvalidState,
                         fmt::format("request {} is {}; only a queued or waiting request can be "
                                     "cancelled",
                                     request.toString(), requestStateName(row->state)));
        row->state = RequestState::Cancelled;
        row->errorCode = static_cast<std::uint32_t>(ErrorCode::Cancelled);
        row->message = "cancelled by " + c.principal.display();
        tx.updateRequest(*row);
        if (row->mediaId) {
            withdrawUnwaitedMovesIn(tx, *row->mediaId);
            undoUnsentVaultIn(tx, *row->mediaId);
        }
        return success();
    });
}

Result<RequestPage> Engine::listRequests(const Uuid &session, const RequestListing &listing) {
    if (listing.limit < 1 || listing.limit > 1000)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("limit {} is outside 1..1000", listing.limit));
    return asCaller<RequestPage>(session, [&](Tx &tx, const Caller &c) -> Result<RequestPage> {
        if (listing.library && !tx.library(*listing.library))
            return Error(ErrorCode::InvalidLibrary, "no such library");
        std::map<Uuid, std::string> names;
        std::vector<Uuid> visible;
        for (const LibraryRow &l : tx.libraries()) {
            names.emplace(l.id, l.name);
            if (has(tx, c, ObjectKind::Library, l.id, rights::Use))
                visible.push_back(l.id);
        }
        Tx::RequestFilter filter;
        filter.library = listing.library;
        filter.unfinishedOnly = !listing.all;
        if (!isAdmin(c.principal)) {
            filter.visible = std::move(visible);
            filter.ownerUid = c.principal.uid;
        }
        filter.before = listing.before;
        filter.limit = listing.limit + 1;  // one more says whether there are more
        std::vector<RequestRow> rows = tx.requestPage(filter);
        RequestPage page;
        if (rows.size() > static_cast<std::size_t>(listing.limit)) {
            rows.pop_back();
            page.next = rows.back().id;
        }
        for (const RequestRow &r : rows) {
            auto name = names.find(r.libraryId);
            page.requests.push_back(
                requestInfoIn(tx, r, name != names.end() ? name->second : r.libraryId.toString()));
        }
        return page;
    });
}

Result<RequestInfo> Engine::getRequest(const Uuid &session, const Uuid &request) {
    return asCaller<RequestInfo>(session, [&](Tx &tx, const Caller &c) -> Result<RequestInfo> {
        auto r = tx.request(request);
        if (!r)
            return Error(ErrorCode::ObjectNotFound,
                         fmt::format("no library request {}", request.toString()));
        auto lib = tx.library(r->libraryId);
        std::string name = lib ? lib->name : r->libraryId.toString();
        if (!ownRequest(tx, *r, session, c.principal.uid))
            RSM_TRY_VOID(
                require(tx, c, ObjectKind::Library, r->libraryId, rights::Use, "library " + name));
        return requestInfoIn(tx, *r, name);
    });
}

Result<int> Engine::failInterruptedRequests(const Uuid &library) {
    return asDaemon<int>([&](Tx &tx) -> Result<int> {
        int n = 0;
        std::vector<Uuid> media;
        for (RequestRow r : tx.requests(library, true)) {
            if (r.state == RequestState::InProcess) {
                r.state = RequestState::Failed;
                r.message = "rsmd stopped while the request ran";
            } else if (r.sessionId) {
                // Its client was connected to the rsmd that stopped: nobody waits for it now
                // (a mount would leave a cartridge in a drive for no one).
                r.state = RequestState::Cancelled;
                r.message = "rsmd stopped before the request ran; its client is gone";
            } else {
                continue;  // rsmd's own (an audit): still to do
            }
            r.errorCode = static_cast<std::uint32_t>(ErrorCode::Cancelled);
            tx.updateRequest(r);
            if (r.mediaId)
                media.push_back(*r.mediaId);
            ++n;
        }
        for (const Uuid &m : media) {
            withdrawUnwaitedMovesIn(tx, m);
            undoUnsentVaultIn(tx, m);
        }
        return n;
    });
}

Result<void> Engine::updateLibraryProbe(const Uuid &library, const NewLibrary &probe) {
    return asDaemon<void>([&](Tx &tx) -> Result<void> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        lib->vendor = probe.vendor;
        lib->product = probe.product;
        lib->serial = probe.serial;
        tx.updateLibrary(*lib);
        return updateElements(tx, library, probe);
    });
}

Result<bool> Engine::setRobotReachable(const Uuid &library, const std::optional<std::string> &error,
                                       std::int64_t now) {
    return asDaemon<bool>([&](Tx &tx) -> Result<bool> {
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        const bool unreachable = lib->unreachableSince.has_value();
        if (error && !unreachable) {
            lib->unreachableSince = now;
            lib->robotError = error->substr(0, 1024);
        } else if (!error && unreachable) {
            lib->unreachableSince.reset();
            lib->reachableSince = now;
        } else {
            return false;
        }
        tx.setLibraryReachability(*lib);
        return true;
    });
}

Result<LibraryRow> Engine::libraryRow(const Uuid &library) {
    return asDaemon<LibraryRow>([&](Tx &tx) -> Result<LibraryRow> {
        if (auto lib = tx.library(library))
            return *lib;
        return Error(ErrorCode::InvalidLibrary, "no such library");
    });
}

Result<RequestInfo> Engine::requestInfo(const Uuid &request) {
    return asDaemon<RequestInfo>([&](Tx &tx) -> Result<RequestInfo> {
        auto r = tx.request(request);
        if (!r)
            return Error(ErrorCode::ObjectNotFound,
                         fmt::format("no library request {}", request.toString()));
        auto lib = tx.library(r->libraryId);
        return requestInfoIn(tx, *r, lib ? lib->name : r->libraryId.toString());
    });
}

Result<std::vector<Uuid>> Engine::endedRequests(const std::vector<Uuid> &requests,
                                                const std::vector<Uuid> &worked) {
    using Out = std::vector<Uuid>;
    return asDaemon<Out>([&](Tx &tx) -> Result<Out> {
        Out out;
        for (const Uuid &id : requests) {
            auto r = tx.request(id);
            const bool open =
                r && (r->state == RequestState::Queued || r->state == RequestState::InProcess ||
                      r->state == RequestState::Waiting || r->state == RequestState::Deferred);
            if (!r || r->state == RequestState::Cancelled ||
                (!open && std::find(worked.begin(), worked.end(), r->libraryId) == worked.end()))
                out.push_back(id);
        }
        return out;
    });
}

Result<std::vector<LibraryRow>> Engine::onlineLibraries() {
    using Out = std::vector<LibraryRow>;
    return asDaemon<Out>([&](Tx &tx) -> Result<Out> {
        Out out;
        for (const LibraryRow &l : tx.libraries())
            if (l.kind != LibraryKind::Offline)
                out.push_back(l);
        return out;
    });
}

}  // namespace rsm::engine
