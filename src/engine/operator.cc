// Operator requests: messages for the person at the library — bring a cartridge
// (MOVEMEDIA), add new media (NEWMEDIA), a cleaner (CLEANER), service a device
// (DEVICESERVICE), or anything else (MESSAGE) — and that person's answer.

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

OperatorRequestInfo Engine::operatorInfo(Tx &tx, const OperatorRequestRow &row) const {
    OperatorRequestInfo info{row, std::nullopt, std::nullopt, std::nullopt};
    if (row.libraryId)
        if (auto lib = tx.library(*row.libraryId))
            info.library = lib->name;
    if (row.mediaId)
        if (auto m = tx.media(*row.mediaId))
            info.barcode = m->barcode;
    if (row.driveId)
        if (auto d = tx.drive(*row.driveId))
            info.drive = fmt::format("{}/{}", info.library.value_or("?"), d->number);
    return info;
}

Result<void> Engine::validOperatorMessage(const std::string &message) {
    if (message.empty() || message.size() > 1024)
        return Error(ErrorCode::InvalidParameter,
                     "an operator request's message has 1 to 1024 characters");
    return success();
}

Result<Uuid> Engine::submitOperatorRequest(const Uuid &session, OperatorRequestKind kind,
                                           const std::string &message,
                                           const std::optional<Uuid> &library) {
    RSM_TRY_VOID(validOperatorMessage(message));
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        if (library && !tx.library(*library))
            return Error(ErrorCode::InvalidLibrary, "no such library");
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Use,
                             "the computer (asking an operator)"));
        OperatorRequestRow row;
        row.id = Uuid::random();
        row.kind = kind;
        row.message = message;
        row.libraryId = library;
        tx.insertOperatorRequest(row);
        return row.id;
    });
}

Result<std::vector<OperatorRequestInfo>> Engine::listOperatorRequests(const Uuid &session,
                                                                      bool all) {
    using Out = std::vector<OperatorRequestInfo>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Use,
                             "the computer (reading operator requests)"));
        Out out;
        for (const OperatorRequestRow &r : tx.operatorRequests(!all))
            out.push_back(operatorInfo(tx, r));
        return out;
    });
}

Result<OperatorRequestInfo> Engine::getOperatorRequest(const Uuid &session, const Uuid &request) {
    return asCaller<OperatorRequestInfo>(
        session, [&](Tx &tx, const Caller &c) -> Result<OperatorRequestInfo> {
            RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Use,
                                 "the computer (reading operator requests)"));
            auto row = tx.operatorRequest(request);
            if (!row)
                return Error(ErrorCode::ObjectNotFound,
                             fmt::format("no operator request {}", request.toString()));
            return operatorInfo(tx, *row);
        });
}

Result<OperatorRequestInfo> Engine::answerOperatorRequest(const Uuid &session, const Uuid &request,
                                                          bool satisfied) {
    using Out = OperatorRequestInfo;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        auto row = tx.operatorRequest(request);
        if (!row)
            return Error(ErrorCode::ObjectNotFound,
                         fmt::format("no operator request {}", request.toString()));
        std::optional<LibraryRow> lib;
        if (row->libraryId)
            lib = tx.library(*row->libraryId);
        if (lib)
            RSM_TRY_VOID(require(tx, c, ObjectKind::Library, lib->id, rights::Control,
                                 "library " + lib->name));
        else
            RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Control,
                                 "the computer"));
        if (operatorRequestFinished(row->state))
            return Error(ErrorCode::InvalidState,
                         fmt::format("operator request {} is {} already", request.toString(),
                                     operatorRequestStateName(row->state)));
        tx.setOperatorRequestState(
            row->id, satisfied ? OperatorRequestState::Complete : OperatorRequestState::Refused);
        auto answered = tx.operatorRequest(request);
        if (!answered)
            return Error(ErrorCode::ObjectNotFound,
                         fmt::format("operator request {} is gone", request.toString()));
        return operatorInfo(tx, *answered);
    });
}

Uuid Engine::operatorRequestIn(Tx &tx, OperatorRequestKind kind, const std::string &message,
                               const std::optional<Uuid> &library, const std::optional<Uuid> &media,
                               const std::optional<Uuid> &drive) {
    // One request per thing to do: the same message for the same library, medium and drive,
    // still unanswered, is not asked twice.
    for (const OperatorRequestRow &r : tx.operatorRequests(true))
        if (r.kind == kind && r.message == message && r.libraryId == library &&
            r.mediaId == media && r.driveId == drive)
            return r.id;
    OperatorRequestRow row;
    row.id = Uuid::random();
    row.kind = kind;
    row.message = message.substr(0, 1024);
    row.libraryId = library;
    row.mediaId = media;
    row.driveId = drive;
    tx.insertOperatorRequest(row);
    return row.id;
}

Result<Uuid> Engine::postOperatorRequest(OperatorRequestKind kind, const std::string &message,
                                         const std::optional<Uuid> &library,
                                         const std::optional<Uuid> &media) {
    RSM_TRY_VOID(validOperatorMessage(message));
    return asDaemon<Uuid>([&](Tx &tx) -> Result<Uuid> {
        return operatorRequestIn(tx, kind, message, library, media, std::nullopt);
    });
}

Result<std::optional<Uuid>> Engine::moveMediaRequestFor(const Uuid &media) {
    using Out = std::optional<Uuid>;
    return asDaemon<Out>([&](Tx &tx) -> Result<Out> {
        for (const OperatorRequestRow &r : tx.operatorRequests(true))
            if (r.kind == OperatorRequestKind::MoveMedia && r.mediaId == media)
                return Out{r.id};
        return Out{};
    });
}

Result<int> Engine::completeOperatorRequests(OperatorRequestKind kind, const Uuid &library,
                                             const std::optional<Uuid> &media) {
    return asDaemon<int>([&](Tx &tx) -> Result<int> {
        int n = 0;
        for (const OperatorRequestRow &r : tx.operatorRequests(true))
            if (r.kind == kind && r.libraryId == library && r.mediaId == media) {
                tx.setOperatorRequestState(r.id, OperatorRequestState::Complete);
                ++n;
            }
        return n;
    });
}

}  // namespace rsm::engine
