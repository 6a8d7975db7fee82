#include "src/daemon/notify.h"

#include <time.h>

#include <string>
#include <system_error>

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

#include "src/daemon/log.h"

namespace rsm::daemon::notify {

namespace {

// Newlines would start another assignment; a status is one line.
std::string oneLine(std::string_view text) {
    std::string line(text);
    for (char &c : line)
        if (c == '\n')
            c = ' ';
    return line;
}

void send(const std::string &state) {
    const int r = sd_notify(0, state.c_str());
    if (r < 0)
        log::debug("sd_notify failed: {}", std::error_code(-r, std::system_category()).message());
}

}  // namespace

void ready(std::string_view status) {
    if (status.empty())
        send("READY=1");
    else
        send("READY=1\nSTATUS=" + oneLine(status));
}

void reloading() {
    struct timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const auto usec = static_cast<unsigned long long>(now.tv_sec) * 1000000ULL +
                      static_cast<unsigned long long>(now.tv_nsec) / 1000ULL;
    send(fmt::format("RELOADING=1\nMONOTONIC_USEC={}", usec));
}

void stopping() {
    send("STOPPING=1");
}

void status(std::string_view text) {
    send("STATUS=" + oneLine(text));
}

}  // namespace rsm::daemon::notify
