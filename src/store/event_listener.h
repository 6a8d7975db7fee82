#pragma once
// PgEventListener: a connection of its own that LISTENs on channel rsm_events, which schema 2
// notifies after every statement that adds to the event log. rsmd's watchers wait here instead
// of polling the log. A lost connection is reopened on the next wait.
// Thread-safety: one thread at a time.

#include <chrono>
#include <memory>
#include <string>

#include "rsm/error.h"

namespace rsm::store {

class PgEventListener {
public:
    static Result<std::unique_ptr<PgEventListener>> open(const std::string &connectionString);
    ~PgEventListener();
    PgEventListener(const PgEventListener &) = delete;
    PgEventListener &operator=(const PgEventListener &) = delete;

    // Waits up to `timeout` for a notification; true if one (or more) came. After a failure
    // it sleeps out the timeout and returns true, so that callers look at the log again.
    bool wait(std::chrono::milliseconds timeout);

private:
    explicit PgEventListener(std::string connectionString);
    Result<void> connect();

    struct Impl;
    std::string connectionString_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace rsm::store
