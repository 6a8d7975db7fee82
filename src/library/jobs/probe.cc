#include "src/library/jobs/jobs.h"

#include <fmt/format.h>

#include "src/library/probe.h"

namespace rsm::library {

Result<JobDone> run(const JobContext &job, const engine::work::Probe &) {
    const engine::LibraryRow &lib = job.library;
    if (!lib.device)
        return Error(ErrorCode::InvalidLibrary, "library " + lib.name + " has no device");
    auto found = probeLibrary(*lib.device, job.options.probe);
    if (!found)
        return found.error();
    RSM_TRY_VOID(job.engine.updateLibraryProbe(lib.id, *found));
    return JobDone{fmt::format("{} drives, {} slots, {} ports", found->drives.size(),
                               found->slots.size(), found->ieports.size()),
                   false};
}

}  // namespace rsm::library
