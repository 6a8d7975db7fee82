#include "tests/cli/fake_rsmd.h"

#include <algorithm>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "src/protocol/codec.h"

namespace rsm::test {

using nlohmann::json;

namespace {

void writeAll(int fd, const std::string &text) {
    std::size_t sent = 0;
    while (sent < text.size()) {
        ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return;  // rsmctl went away: what it saw is what the test checks
        sent += static_cast<std::size_t>(n);
    }
}

}  // namespace

FakeRsmd::FakeRsmd() {
    char dir[] = "/tmp/rsmctl-test.XXXXXX";
    if (!mkdtemp(dir))
        throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    socket_ = dir_ + "/rsmd.sock";
    listen_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_.c_str(), sizeof address.sun_path - 1);
    if (listen_ < 0 || bind(listen_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        listen(listen_, 8) != 0 || pipe(stop_) != 0)
        throw std::runtime_error("cannot listen on " + socket_);
    thread_ = std::thread([this] { serve(); });
}

FakeRsmd::~FakeRsmd() {
    static_cast<void>(write(stop_[1], "x", 1));
    thread_.join();
    close(listen_);
    close(stop_[0]);
    close(stop_[1]);
    unlink(socket_.c_str());
    rmdir(dir_.c_str());
}

void FakeRsmd::answer(const std::string &verb, json result) {
    std::lock_guard lock(mutex_);
    scripts_[verb] = {Script::Result, std::move(result), {}};
}

void FakeRsmd::refuse(const std::string &verb, json error) {
    std::lock_guard lock(mutex_);
    scripts_[verb] = {Script::Error, std::move(error), {}};
}

void FakeRsmd::hangUp(const std::string &verb, std::string partial) {
    std::lock_guard lock(mutex_);
    scripts_[verb] = {Script::HangUp, {}, std::move(partial)};
}

void FakeRsmd::reply(const std::string &verb, std::string line) {
    std::lock_guard lock(mutex_);
    scripts_[verb] = {Script::Raw, {}, std::move(line)};
}

void FakeRsmd::ignore(const std::string &verb) {
    std::lock_guard lock(mutex_);
    scripts_[verb] = {Script::Ignore, {}, {}};
}

void FakeRsmd::stream(std::vector<std::string> lines) {
    std::lock_guard lock(mutex_);
    streamLines_ = std::move(lines);
}

std::vector<json> FakeRsmd::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<std::string> FakeRsmd::verbs() const {
    std::vector<std::string> verbs;
    for (const json &request : requests())
        verbs.push_back(request.is_object() ? request.value("verb", "?") : "?");
    return verbs;
}

json FakeRsmd::fields(const std::string &verb) const {
    for (json request : requests())
        if (request.is_object() && request.value("verb", "") == verb) {
            request.erase("verb");
            request.erase("id");
            return request;
        }
    return nullptr;
}

void FakeRsmd::serve() {
    for (;;) {
        pollfd fds[2] = {{listen_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0)
            continue;
        if (fds[1].revents)
            return;
        int fd = accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        serveConnection(fd);
        close(fd);
    }
}

void FakeRsmd::serveConnection(int fd) {
    std::string buffer;
    for (;;) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0)
            continue;
        if (fds[1].revents)
            return;
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0)
            return;
        buffer.append(chunk, static_cast<std::size_t>(n));
        for (auto end = buffer.find('\n'); end != std::string::npos; end = buffer.find('\n')) {
            const std::string line = buffer.substr(0, end);
            buffer.erase(0, end + 1);
            if (!handle(fd, line))
                return;
        }
    }
}

bool FakeRsmd::handle(int fd, const std::string &line) {
    json request = json::parse(line, nullptr, false);
    Script script;
    std::vector<std::string> streamLines;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(request.is_discarded() ? json(line) : request);
        if (!request.is_object())
            return true;
        const std::string verb = request.value("verb", "");
        if (auto found = scripts_.find(verb); found != scripts_.end())
            script = found->second;
        else if (verb == "hello")
            script.value = {{"protocol", 1}, {"server", "fake rsmd"}, {"uid", 0}, {"gids", {0}}};
        else if (verb == "session.open")
            script.value = {{"session", kSession}};
        else
            script.value = json::object();
        if (verb == "watch")
            streamLines = streamLines_;
    }
    const json id = request.value("id", json());
    switch (script.kind) {
        case Script::Result:
            writeAll(fd, protocol::resultLine(id, script.value) + '\n');
            break;
        case Script::Error:
            writeAll(fd, json{{"id", id}, {"error", script.value}}.dump() + '\n');
            break;
        case Script::HangUp:
            writeAll(fd, script.text);
            return false;
        case Script::Raw:
            writeAll(fd, script.text + '\n');
            break;
        case Script::Ignore:
            break;
    }
    if (request.value("verb", "") != "watch")
        return true;
    for (const std::string &event : streamLines)
        writeAll(fd, event + '\n');
    return false;
}

RunResult runRsmctl(const FakeRsmd &fake, const std::vector<std::string> &args,
                    const std::vector<std::string> &env) {
    std::vector<std::string> argv = {rsmctlPath(), "--socket", fake.socketPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    // Tables show times in the local zone: UTC unless the test names another.
    std::vector<std::string> withZone = env;
    if (std::none_of(env.begin(), env.end(),
                     [](const std::string &e) { return e.rfind("TZ=", 0) == 0; }))
        withZone.push_back("TZ=UTC");
    return run(argv, withZone);
}

}  // namespace rsm::test
