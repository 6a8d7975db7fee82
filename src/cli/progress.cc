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

std::string ProgressLine::askWhy() {
    if (!context_.client)
        return {};
    const std::string session = context_.client->sessionId();
    if (session.empty())
        return {};
    Client::Options options = context_.client->options();
    options.timeout = Timeout{std::chrono::seconds(2)};
    options.application = "rsmctl progress";
    auto other = Client::connect(options);
    if (!other)
        return {};
    std::string why;
    if (auto listed = (*other)->call("request.list", {}); listed && listed->contains("requests"))
        for (const nlohmann::json &r : (*listed)["requests"])
            if (r.value("session_id", nlohmann::json()) == session && r["state"] == "waiting" &&
                r["message"].is_string())
                why = r["message"].get<std::string>();
    (void)(*other)->closeSession();
    return why;
}

void ProgressLine::tick(std::stop_token stop) {
    using namespace std::chrono;
    const auto start = steady_clock::now();
    auto nextAsk = start + seconds(3);
    std::string why;
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        const auto now = steady_clock::now();
        if (now >= nextAsk) {
            lock.unlock();
            why = askWhy();
            lock.lock();
            nextAsk = steady_clock::now() + seconds(5);
            if (stop.stop_requested())
                break;
        }
        const auto elapsed = duration_cast<seconds>(now - start).count();
        std::string line = what_;
        if (elapsed > 0)
            line += " " + std::to_string(elapsed) + " s";
        if (!why.empty())
            line += " \u2014 " + terminalText(why);
        std::fprintf(stderr, "\r%s\033[K", line.c_str());
        std::fflush(stderr);
        wake_.wait_for(lock, stop, seconds(1), [] { return false; });
    }
}

}  // namespace rsm::cli
