#pragma once
// ProgressLine: while rsmd does long robot work for rsmctl, one line on the terminal's stderr
// says what and for how long ("rsmctl: mounting daily-7… 12 s"), rewritten in place every
// second and erased when the reply comes, before the outcome is printed. Nothing when stderr is
// not a terminal or with --json, so scripts and logs see only the outcome. After a few seconds,
// and every few seconds then, it asks rsmd (on a connection of its own) why a request of this
// command's session waits, and shows rsmd's answer ("— waiting for a free drive").
// Thread-safety: made and destroyed on the command's thread; it runs one ticker thread.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "src/cli/context.h"

namespace rsm::cli {

class ProgressLine {
public:
    ProgressLine(Context &context, std::string what);
    ~ProgressLine();
    ProgressLine(const ProgressLine &) = delete;
    ProgressLine &operator=(const ProgressLine &) = delete;

    // Stops the ticker and erases the line (idempotent).
    void stop();

private:
    void tick(std::stop_token stop);
    // What rsmd says of this session's waiting request; empty when none waits or it cannot say.
    std::string askWhy();

    Context &context_;
    std::string what_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread ticker_;
};

}  // namespace rsm::cli
