#pragma once
// Service notifications to systemd (sd_notify): readiness, reloading, stopping and a status
// line for `systemctl status`. Each call does nothing when rsmd was not started by systemd
// with Type=notify (NOTIFY_SOCKET unset).
// Thread-safety: any thread.

#include <string_view>

namespace rsm::daemon::notify {

// READY=1 with an optional STATUS= line.
void ready(std::string_view status = {});
// RELOADING=1 (with MONOTONIC_USEC=, as Type=notify-reload wants); end it with ready().
void reloading();
// STOPPING=1.
void stopping();
// STATUS=text.
void status(std::string_view text);

}  // namespace rsm::daemon::notify
