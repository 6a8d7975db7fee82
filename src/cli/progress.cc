#include "src/cli/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "src/cli/terminal_text.h"

namespace rsm::cli {

ProgressLine::ProgressLine(Context &context, std::string what)
    : context_(context), what_("rsmctl: " + terminalText(what) + "…") {
    if (context_.json || !isatty(STDERR_FILENO))
        return;
    context_.replied = [this] { stop(); };
    ticker_ = std::jthread([this](std::stop_token stop) { tick(stop); });
}

ProgressLine::~ProgressLine() {
    stop();
    context_.replied = nullptr;
}

void ProgressLine::stop() {
    if (!ticker_.joinable())
        return;
    ticker_.request_stop();
    wake_.notify_all();
    ticker_.join();
    std::fputs("\r\033[K", stderr);  // back to the start of the line, and erase it
    std::fflush(stderr);
}

void ProgressLine::tick(std::stop_token stop) {
    using namespace std::chrono;
    const auto start = steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        const auto elapsed = duration_cast<seconds>(steady_clock::now() - start).count();
        if (elapsed > 0)
            std::fprintf(stderr, "\r%s %lld s", what_.c_str(), static_cast<long long>(elapsed));
        else
            std::fprintf(stderr, "\r%s", what_.c_str());
        std::fflush(stderr);
        wake_.wait_for(lock, stop, seconds(1), [] { return false; });
    }
}

}  // namespace rsm::cli
