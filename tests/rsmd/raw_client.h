#pragma once
// RawClient: a protocol client with nothing in between — bytes out, lines in — for the tests of
// rsmd's protocol rules and of hostile input. Every read has a timeout, so a test never hangs.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rsm::test {

class RawClient {
public:
    explicit RawClient(const std::filesystem::path &socket);
    // Connects as another principal: a child process takes `uid`, the first of `gids` (or
    // `uid` when there is none) as its group and `gids` as its supplementary groups, and calls
    // connect(2) on this client's socket. The kernel records the child's credentials on the
    // connection (SO_PEERCRED, SO_PEERGROUPS); this process then talks through it. Needs root.
    RawClient(const std::filesystem::path &socket, std::uint32_t uid,
              const std::vector<std::uint32_t> &gids);
    ~RawClient();
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    bool connected() const { return fd_ >= 0; }
    // errno of the failed connect(2) (EACCES, ENOENT, ...); 0 when connected.
    int connectError() const { return connectError_; }
    // Writes all of `bytes`; false when the peer has closed.
    bool send(const std::string &bytes);
    // The next line, without its newline; nullopt at end of stream or after the timeout.
    std::optional<std::string> line(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // The next line as JSON (null when there is none or it is not JSON).
    nlohmann::json reply(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Sends one request line and returns the reply.
    nlohmann::json call(const nlohmann::json &request);
    // True when the server closed the connection within the timeout (lines before are skipped).
    bool closedByServer(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // hello, then session.open: the session handle.
    std::string open();

private:
    int fd_ = -1;
    int connectError_ = 0;
    std::string buffer_;
};

// The error code of a reply, or 0 when it is not an error.
int errorCode(const nlohmann::json &reply);

}  // namespace rsm::test
