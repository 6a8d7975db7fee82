#pragma once
// Test helper: run a program, capture its exit status, stdout and stderr, and how long it took.

#include <chrono>
#include <string>
#include <vector>

namespace rsm::test {

struct RunResult {
    int status = -1;  // exit status, or 128 + signal
    std::string out;
    std::string err;
    std::chrono::milliseconds elapsed{0};
};

// argv[0] is the program's path. `env` entries ("NAME=value") are added to the environment.
// `env`: NAME=VALUE entries added to the environment, replacing those of the same name.
RunResult run(const std::vector<std::string> &argv, const std::vector<std::string> &env = {});

// The rsmctl built alongside the tests.
std::string rsmctlPath();
// The rsm-mtx built alongside the tests.
std::string rsmMtxPath();

}  // namespace rsm::test
