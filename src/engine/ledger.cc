#include "src/engine/ledger.h"

#include <fmt/format.h>

#include "src/engine/robot_tx.h"

namespace rsm::engine {

namespace {

// The work that takes cartridges to and from drives needs the robot view to choose.
bool needsView(const RobotWork &work) {
    return std::holds_alternative<work::Mount>(work) ||
           std::holds_alternative<work::Dismount>(work) ||
           std::holds_alternative<work::Clean>(work) || std::holds_alternative<work::Health>(work);
}

}  // namespace

Ledger::Ledger(Store &store) : store_(store) {}

template <typename T, typename Fn>
Result<T> Ledger::transact(Fn &&fn) {
    return store_.transact<T>("rsmd", [&](Tx &tx) -> Result<T> {
        tx.setPrincipal("rsmd");
        return fn(tx);
    });
}

Result<std::optional<PreparedRequest>> Ledger::prepare(const Uuid &library) {
    using Out = std::optional<PreparedRequest>;
    return transact<Out>([&](Tx &tx) -> Result<Out> { return prepareIn(tx, library); });
}

Result<NextWork> Ledger::next(const Uuid &library, std::int64_t now) {
    return transact<NextWork>([&](Tx &tx) { return nextIn(tx, library, now); });
}

Result<NextWork> Ledger::nextIn(Tx &tx, const Uuid &library, std::int64_t now) {
    auto prepared = prepareIn(tx, library);
    if (!prepared)
        return prepared.error();
    NextWork out;
    if (*prepared) {
        out.idle.library = (*prepared)->library;
        out.request = std::move(*prepared);
        return out;
    }
    auto lib = tx.library(library);
    if (!lib)
        return Error(ErrorCode::InvalidLibrary, "no such library");
    out.idle.library = *lib;
    if (lib->enabled)
        out.idle.dueDismounts = dueDismountsIn(tx, library, now);
    return out;
}

Result<std::optional<PreparedRequest>> Ledger::prepareIn(Tx &tx, const Uuid &library) {
    using Out = std::optional<PreparedRequest>;
    {
        auto row = tx.nextQueuedRequest(library);
        if (!row)
            return Out{};
        row->state = RequestState::InProcess;
        tx.updateRequest(*row);
        auto lib = tx.library(library);
        if (!lib)
            return Error(ErrorCode::InvalidLibrary, "no such library");
        PreparedRequest prepared{*row, *lib, std::nullopt, std::nullopt};
        if (row->mediaId)
            prepared.media = tx.media(*row->mediaId);
        if (needsView(row->work))
            prepared.view = robotViewIn(tx, *lib);
        // A mount of a cartridge an operator was asked to bring: it is here now.
        if (std::holds_alternative<work::Mount>(row->work) && prepared.media &&
            prepared.media->libraryId == library)
            for (const OperatorRequestRow &r : tx.operatorRequests(true))
                if (r.kind == OperatorRequestKind::MoveMedia && r.libraryId == library &&
                    r.mediaId == prepared.media->id)
                    tx.setOperatorRequestState(r.id, OperatorRequestState::Complete);
        return Out{std::move(prepared)};
    }
}

Result<Finished> Ledger::finish(const Uuid &requestId, const RequestOutcome &outcome,
                                std::optional<std::int64_t> nextAt) {
    return transact<Finished>([&](Tx &tx) -> Result<Finished> {
        auto row = tx.request(requestId);
        if (!row)
            return Error(ErrorCode::ObjectNotFound, "no such library request");
        if (outcome.move)
            (void)completeMoveIn(tx, *outcome.move);  // (an audit may have resolved it)
        auto lib = tx.library(row->libraryId);
        const std::string name = lib ? lib->name : row->libraryId.toString();
        if (requestFinished(row->state))
            return Finished{requestInfoIn(tx, *row, name), std::nullopt};
        Result<void> status = outcome.status;
        if (status && outcome.mountedDrive)
            status = markMountedIn(tx, *row, *outcome.mountedDrive);
        if (status.ok()) {
            row->state = RequestState::Passed;
            row->errorCode = std::nullopt;
            if (!outcome.message.empty())
                row->message = outcome.message;
        } else {
            row->state = RequestState::Failed;
            row->errorCode = static_cast<std::uint32_t>(status.error().code());
            row->message = status.error().message();
            row->sense = status.error().sense();
        }
        tx.updateRequest(*row);
        if (row->state != RequestState::Passed && row->mediaId &&
            std::holds_alternative<work::Mount>(row->work))
            withdrawUnwaitedMovesIn(tx, *row->mediaId);
        // A vault send's eject that did not take the cartridge out: no longer on its way.
        if (row->state != RequestState::Passed && row->mediaId &&
            std::holds_alternative<work::Eject>(row->work))
            undoUnsentVaultIn(tx, *row->mediaId);
        requeueIn(tx, row->libraryId, RequestState::Waiting);
        // As stored: the database stamps started and finished.
        Finished out{requestInfoIn(tx, tx.request(requestId).value_or(*row), name), std::nullopt};
        if (nextAt && row->state == RequestState::Passed) {
            auto next = nextIn(tx, row->libraryId, *nextAt);
            if (!next)
                return next.error();
            out.next = std::move(*next);
        }
        return out;
    });
}

Result<void> Ledger::wait(const Uuid &requestId, const std::string &why) {
    return transact<void>([&](Tx &tx) -> Result<void> {
        auto request = tx.request(requestId);
        if (!request)
            return Error(ErrorCode::ObjectNotFound, "no such library request");
        if (requestFinished(request->state))
            return success();
        request->state = RequestState::Waiting;
        request->message = why;
        tx.updateRequest(*request);
        return success();
    });
}

}  // namespace rsm::engine
