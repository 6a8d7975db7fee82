#include <fmt/format.h>

#include "src/library/jobs/jobs.h"

namespace rsm::library {

void report(const RobotOptions &options, RobotLog level, const std::string &message) {
    if (options.log)
        options.log(level, message);
}

Result<JobDone> runRequest(engine::Engine &engine, const RobotOptions &options,
                           const engine::PreparedRequest &prepared, ChangerLink *link) {
    const engine::RequestRow &request = prepared.request;
    const engine::LibraryRow &library = prepared.library;
    const JobContext job{engine, options, request, library, prepared, link};
    auto done = std::visit(
        [&job](const auto &work) -> Result<JobDone> {
            using Work = std::decay_t<decltype(work)>;
            if constexpr (std::is_same_v<Work, engine::work::Unknown>)
                return Error(ErrorCode::InvalidOperation,
                             fmt::format("rsmd has no robot job \"{}\"", work.kind));
            else
                return run(job, work);
        },
        request.work);
    const std::string what =
        fmt::format("{}: request {} ({})", library.name, request.id.toString(), request.kind());
    if (!done)
        report(options, RobotLog::Warning, what + " failed: " + done.error().toString());
    else if (done->wait)  // said once at info; the same again (every 30 s) at debug
        report(options, done->message == request.message ? RobotLog::Debug : RobotLog::Info,
               what + " waits: " + done->message);
    else
        report(options, RobotLog::Info, what + ": " + done->message);
    return done;
}

Job robotJob(engine::Engine &engine, const RobotOptions &options) {
    return [&engine, &options](const engine::PreparedRequest &prepared, ChangerLink &link) {
        return runRequest(engine, options, prepared, &link);
    };
}

}  // namespace rsm::library
