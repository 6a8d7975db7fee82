// Health on demand (issue 19): the request that has a library's worker read a drive's health
// (rsmctl drive health). The worker reads and records it (src/library/jobs/health.cc).

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

Result<QueuedRequest> Engine::submitHealth(const Uuid &session, const Uuid &driveId) {
    if (driveId.isNil())
        return Error(ErrorCode::InvalidParameter, "the drive is missing");
    return asCaller<QueuedRequest>(session, [&](Tx &tx, const Caller &c) -> Result<QueuedRequest> {
        auto found = driveAndLibrary(tx, c, driveId, rights::Use);
        if (!found)
            return found.error();
        const DriveRow *drive = &found->drive;
        const LibraryRow *lib = &found->library;
        if (lib->kind == LibraryKind::Offline)
            return Error(ErrorCode::InvalidLibrary,
                         fmt::format("library {} is offline: it has no drives to read", lib->name));
        if (!lib->enabled || !drive->enabled)
            return Error(ErrorCode::ResourceDisabled,
                         fmt::format("{} {}/{} is disabled", lib->enabled ? "drive" : "library",
                                     lib->name, drive->number));
        RequestRow row;
        row.id = Uuid::random();
        row.libraryId = lib->id;
        row.work = work::Health{};
        row.sessionId = session;
        row.driveId = drive->id;
        RSM_TRY_VOID(roomForRequest(tx, session));
        tx.insertRequest(row);
        return QueuedRequest{row.id, row.libraryId};
    });
}

}  // namespace rsm::engine
