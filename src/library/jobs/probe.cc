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
    // Drives left without a device (none set by hand either) are reported where the admin
    // looks: rsmd's log, and the request's message.
    int without = 0;
    if (auto drives = job.engine.robotView(lib.id))
        for (const auto &d : drives->drives)
            if (!d.row.devicePath) {
                ++without;
                if (job.options.log)
                    job.options.log(
                        RobotLog::Warning,
                        fmt::format("library {}: drive {}/{} has no device ({}): set "
                                    "it with rsmctl drive set-device {}/{} DEVICE",
                                    lib.name, lib.name, d.row.number,
                                    d.row.deviceProblem.value_or("?"), lib.name, d.row.number));
            }
    return JobDone{fmt::format("{} drives, {} slots, {} ports{}", found->drives.size(),
                               found->slots.size(), found->ieports.size(),
                               without ? fmt::format("; {} drives without a device (rsmctl drive "
                                                     "list says why)",
                                                     without)
                                       : std::string()),
                   false};
}

}  // namespace rsm::library
