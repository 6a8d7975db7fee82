#pragma once
// The invariants every fault scenario ends with (issue 7): the database and the robot agree
// (when there is a robot), no side is in two LMIDs, every LMID has an ALLOCATED or COMPLETE
// side, every row of the model has its insert in the event log, no library request is left
// INPROCESS and no robot move is left without its result. Each broken one is a line.

#include <string>
#include <vector>

#include "tests/integration/vtl_library.h"
#include "tests/rsmd/rsmd_rig.h"

namespace rsm::test {

std::vector<std::string> invariantViolations(const RsmdRig &rig,
                                             const VirtualLibrary *vtl = nullptr,
                                             const std::string &library = "vtl");

// One outcome of an operation of a stream: "ok", or the RSM name of its error
// ("ERROR_DATABASE_FAILURE"), or "other: <stderr>" when rsmctl said something else.
std::string outcomeOf(const RunResult &r);

}  // namespace rsm::test
