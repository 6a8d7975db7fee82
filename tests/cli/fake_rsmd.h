#pragma once
// A scripted stand-in for rsmd: a thread that listens on a Unix socket in a temporary
// directory, records every request line rsmctl sends, and answers each verb with a canned
// result, an error, silence, or a hang-up. hello and session.open have answers of their own;
// any other verb gets {} unless told otherwise. Connections are served one after another.
// Thread-safety: the setters are called before rsmctl runs; requests() from any thread.

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/run.h"

namespace rsm::test {

class FakeRsmd {
public:
    static constexpr const char *kSession = "3f2a7c1e-5b9d-4e8f-a1c2-0d9e8f7a6b5c";

    FakeRsmd();
    ~FakeRsmd();
    FakeRsmd(const FakeRsmd &) = delete;
    FakeRsmd &operator=(const FakeRsmd &) = delete;

    const std::string &socketPath() const { return socket_; }

    void answer(const std::string &verb, nlohmann::json result);
    void refuse(const std::string &verb, nlohmann::json error);
    // Writes `partial` (no newline) and closes the connection instead of replying.
    void hangUp(const std::string &verb, std::string partial = "");
    // Writes `line` as the reply, whatever it is.
    void reply(const std::string &verb, std::string line);
    // Never replies to verb (the connection stays open until rsmctl closes it).
    void ignore(const std::string &verb);
    // Lines written after the reply to watch; then the connection is closed.
    void stream(std::vector<std::string> lines);

    // Every request received, in order, as parsed JSON (a line that is not JSON: a string).
    std::vector<nlohmann::json> requests() const;
    std::vector<std::string> verbs() const;
    // The first request for verb without "verb" and "id", or null when none came.
    nlohmann::json fields(const std::string &verb) const;

private:
    struct Script {
        enum Kind { Result, Error, HangUp, Raw, Ignore } kind = Result;
        nlohmann::json value;
        std::string text;
    };

    void serve();
    void serveConnection(int fd);
    // Handles one line; false when the connection is to be closed.
    bool handle(int fd, const std::string &line);

    std::string dir_, socket_;
    int listen_ = -1;
    int stop_[2] = {-1, -1};
    mutable std::mutex mutex_;
    std::map<std::string, Script> scripts_;
    std::vector<std::string> streamLines_;
    std::vector<nlohmann::json> requests_;
    std::thread thread_;
};

// Runs rsmctl --socket <fake's socket> args… (and `env`, "NAME=value").
RunResult runRsmctl(const FakeRsmd &fake, const std::vector<std::string> &args,
                    const std::vector<std::string> &env = {});

}  // namespace rsm::test
