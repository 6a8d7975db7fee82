#pragma once
// Shared steps of the rsmd tests that go through rsmctl: building a small model with rsmctl
// itself, and checking that a failure reads the same on stderr and in --json.

#include <string>
#include <vector>

#include "tests/rsmd/rsmd_rig.h"

namespace rsm::test {

// Runs rsmctl ARGS twice, plainly and with --json, and checks both say the error: exit status
// 1, "rsmctl: NAME (CODE): …" on stderr, {"error": {"code", "name", "message"}} on stdout.
void expectError(const RsmdRig &rig, const std::vector<std::string> &args, int code,
                 const std::string &name, const std::optional<Who> &who = {});
// Runs rsmctl ARGS and requires success.
void expectOk(const RsmdRig &rig, const std::vector<std::string> &args,
              const std::optional<Who> &who = {});

// Media type LTO-5 and pool "backup" (as root).
void makeModel(const RsmdRig &rig);
// An offline medium in `pool`, labelled (label type "Bacula", id = barcode) unless `label` is
// empty; with `lmid`, an LMID of that name allocated on it.
void makeMedia(const RsmdRig &rig, const std::string &barcode, const std::string &pool,
               const std::string &label = "Bacula", const std::string &lmid = {});

}  // namespace rsm::test
