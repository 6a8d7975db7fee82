#pragma once
// RobotHealth: whether a library's robot answers, as its worker last saw it — every command
// sent through the library's ChangerLink, and every attempt to connect, is recorded: a reply
// of any kind (even an error the robot reports) means it answers; a command that got no
// answer (Error::isUnanswered: a timeout, a lost or refused connection) means it does not.
// WatchedTransport is the Transport decorator that records a changer's commands.
// Thread-safety: none; both belong to the library's worker thread.

#include <memory>
#include <optional>
#include <string>

#include "rsm/error.h"
#include "sg/transport.h"

namespace rsm::library {

class RobotHealth {
public:
    enum class Seen { Nothing, Answered, Unanswered };

    void answered() { seen_ = Seen::Answered; }
    void unanswered(const Error &error) {
        seen_ = Seen::Unanswered;
        error_ = error.message();
    }
    // Records `result` when it says something about the robot.
    template <typename T>
    void observe(const Result<T> &result) {
        if (result.ok())
            answered();
        else if (result.error().isUnanswered())
            unanswered(result.error());
    }

    // The last observation since take(), and forgets it.
    Seen take() { return std::exchange(seen_, Seen::Nothing); }
    // The failure of the last unanswered command.
    const std::string &error() const { return error_; }

private:
    Seen seen_ = Seen::Nothing;
    std::string error_;
};

class WatchedTransport : public sg::Transport {
public:
    WatchedTransport(std::unique_ptr<sg::Transport> inner, RobotHealth &health)
        : inner_(std::move(inner)), health_(health) {}
    Result<sg::Reply> execute(const sg::Command &command) override {
        auto reply = inner_->execute(command);
        health_.observe(reply);
        return reply;
    }
    std::string describe() const override { return inner_->describe(); }
    std::optional<std::uint32_t> maxTransferLength() const override {
        return inner_->maxTransferLength();
    }

private:
    std::unique_ptr<sg::Transport> inner_;
    RobotHealth &health_;
};

}  // namespace rsm::library
