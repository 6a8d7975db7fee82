#pragma once
// The robot work a library's worker does: one job per kind of RobotWork (engine/request.h),
// each in its own file of src/library/jobs/, chosen by the request's type (runRequest: a
// std::visit, no table of kind names); and the idle work, deferred dismounts that are due.
// Each job is given the request being run (INPROCESS) and its library, and says what it did
// (JobDone) or fails with the RSM error the request records. A job moves cartridges with a
// Mover and reaches tape drives through one DriveSession of its own (an idle pass likewise).
// Thread-safety: jobs run on the library's worker thread; options must outlive them.

#include "src/engine/engine.h"
#include "src/library/changer_link.h"
#include "src/library/drive_session.h"
#include "src/library/mover.h"
#include "src/library/worker.h"

namespace rsm::library {

// What a job works with: the request as the ledger prepared it (its library, its medium and,
// for mount, dismount, clean and health, the robot view read in the same transaction).
struct JobContext {
    engine::Engine &engine;
    const RobotOptions &options;
    const engine::RequestRow &request;
    const engine::LibraryRow &library;
    const engine::PreparedRequest &prepared;
    ChangerLink *link;  // the worker's connection to the robot (null: one for the job)
};

Result<JobDone> run(const JobContext &job, const engine::work::Probe &work);
Result<JobDone> run(const JobContext &job, const engine::work::Inventory &work);
Result<JobDone> run(const JobContext &job, const engine::work::Audit &work);
Result<JobDone> run(const JobContext &job, const engine::work::Mount &work);
Result<JobDone> run(const JobContext &job, const engine::work::Dismount &work);
Result<JobDone> run(const JobContext &job, const engine::work::Eject &work);
Result<JobDone> run(const JobContext &job, const engine::work::Inject &work);
Result<JobDone> run(const JobContext &job, const engine::work::Clean &work);
Result<JobDone> run(const JobContext &job, const engine::work::Health &work);
Result<JobDone> run(const JobContext &job, const engine::work::Mtx &work);

// Runs the request with the job of its work's type, and reports the outcome in rsmd's log
// (options.log). A request of a kind rsmd has no job for fails with ERROR_INVALID_OPERATION.
Result<JobDone> runRequest(engine::Engine &engine, const RobotOptions &options,
                           const engine::PreparedRequest &prepared, ChangerLink *link = nullptr);

// The worker's job: runRequest with this engine and these options.
Job robotJob(engine::Engine &engine, const RobotOptions &options);
// The worker's idle work: puts away the cartridges whose deferred dismount is due.
Idle robotIdle(engine::Engine &engine, const RobotOptions &options);

// The whole element status read from the robot, remembered as the link's map (when there is a
// link), and the database made to follow it as a FAST inventory does; a reconciliation that
// fails is logged and left to the next inventory (what the robot reports is still returned).
Result<std::vector<sg::Element>> statusAndReconcile(engine::Engine &engine,
                                                    const RobotOptions &options,
                                                    sg::Changer &changer,
                                                    const engine::LibraryRow &lib,
                                                    ChangerLink *link);
// The library's element map, current: the link's when the robot says nothing happened since
// (ChangerLink::changer's TEST UNIT READY), else read again (statusAndReconcile). A disabled
// library fails with ERROR_RESOURCE_DISABLED; a robot that fails drops the link.
Result<const std::vector<sg::Element> *> currentMap(engine::Engine &engine,
                                                    const RobotOptions &options,
                                                    const engine::LibraryRow &lib,
                                                    ChangerLink &link);

// Robot work reported in rsmd's log (options.log), when there is one.
void report(const RobotOptions &options, RobotLog level, const std::string &message);

// "3 cartridges: …; 1 unfinished move resolved" for an audit's record.
std::string describe(const engine::AuditResult &result);

}  // namespace rsm::library
