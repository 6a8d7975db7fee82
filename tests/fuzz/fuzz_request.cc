// libFuzzer target: rsmd's request lines (docs/protocol.md) through the Dispatcher
// (src/service/dispatcher.h) — JSON decoding, hello, sessions, the verb tables' field lists
// and every verb's field checks and the engine's parameter checks — over a NullStore (no
// database: sessions are kept, every other table is empty).
//
// The input is one connection: lines separated by '\n', each handed to the dispatcher as the
// server would (lines longer than protocol::kMaxLine are refused by the server before the
// dispatcher and are skipped here). "@S" in a line stands for the session handle the last
// successful session.open returned, which no fuzzer could guess. Lines asking for
// library.add or library.discover are skipped: they probe devices (/dev/sg*, iSCSI targets
// on the network, sysfs), which a fuzzer must not touch.
//
// Invariants: the dispatcher never throws or crashes; every request gets exactly one reply
// line, one JSON object with "id" (the request's id when it had a usable one) and exactly one
// of "result" and "error"; an error names a known code with its own name; no verb fails with
// an exception turned into "bad request: …" (a verb must check its fields, not trip on them).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "src/protocol/codec.h"
#include "src/service/dispatcher.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/null_store.h"

namespace {

using nlohmann::json;
using namespace rsm;

class FuzzConnection : public daemon::ConnectionState {
public:
    std::uint64_t id() const override { return 1; }
    const Principal &principal() const override { return principal_; }
    int pid() const override { return 4242; }
    bool push(std::string line) override {
        // Lines pushed later (watch events, deferred replies) are JSON objects too.
        const json j = json::parse(line, nullptr, false);
        FUZZ_CHECK(!j.is_discarded() && j.is_object());
        return true;
    }
    bool pushAttached(std::string line, daemon::Attachment attachment) override {
        FUZZ_CHECK(attachment != nullptr);
        return push(std::move(line));
    }
    std::size_t queuedBytes() const override { return 0; }
    void closeAfterWrites() override {}
    void hold() override {}
    void release() override {}

private:
    Principal principal_{0, {0}};
};

struct World {
    fuzz::NullStore store;
    engine::Engine engine{store};
    engine::Ledger ledger{store};
    library::Robots robots{engine, ledger, library::RobotOptions{}};
    service::EventFeed events{engine, [](std::chrono::milliseconds) { return false; }};
    service::Dispatcher dispatcher{service::Services{engine, robots, events}};
};

World &world() {
    static World *w = new World;  // never destroyed: no worker or thread is ever started
    return *w;
}

void replace(std::string &line, std::string_view what, const std::string &with) {
    for (std::size_t at = line.find(what); at != std::string::npos;
         at = line.find(what, at + with.size()))
        line.replace(at, what.size(), with);
}

void checkReply(const std::string &request, const daemon::Reply &reply) {
    FUZZ_CHECK(!reply.line.empty());
    FUZZ_CHECK(reply.line.find('\n') == std::string::npos);
    const json r = json::parse(reply.line, nullptr, false);
    FUZZ_CHECK(!r.is_discarded() && r.is_object());
    FUZZ_CHECK(r.contains("id"));
    FUZZ_CHECK(r.contains("result") != r.contains("error"));
    const json q = json::parse(request, nullptr, false);
    if (!q.is_discarded() && q.is_object() && q.contains("id") && q["id"].is_primitive())
        FUZZ_CHECK(r["id"] == q["id"]);
    if (r.contains("error")) {
        const json &e = r["error"];
        FUZZ_CHECK(e.is_object() && e.contains("code") && e["code"].is_number_unsigned());
        const auto code = errorCodeFromNumber(e["code"].get<std::uint32_t>());
        FUZZ_CHECK(code.has_value());
        FUZZ_CHECK(e.value("name", "") == errorName(*code));
        const std::string message = e.value("message", "");
        if (message.rfind("bad request: ", 0) == 0)
            std::fprintf(stderr, "request %s\nreply %s\n", request.c_str(), reply.line.c_str());
        FUZZ_CHECK(message.rfind("bad request: ", 0) != 0);
    }
}

std::string verbOf(const std::string &line) {
    const json q = json::parse(line, nullptr, false);
    if (q.is_discarded() || !q.is_object() || !q.contains("verb") || !q["verb"].is_string())
        return {};
    return q["verb"].get<std::string>();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    World &w = world();
    w.store.reset();
    auto connection = std::make_shared<FuzzConnection>();
    std::string session = "@S";
    std::string_view input(reinterpret_cast<const char *>(data), size);
    int lines = 0;
    while (!input.empty() && lines++ < 64) {
        const std::size_t end = input.find('\n');
        std::string line(input.substr(0, end));
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
        if (line.size() > protocol::kMaxLine)
            continue;
        replace(line, "@S", session);
        const std::string verb = verbOf(line);
        if (verb == "library.add" || verb == "library.discover")
            continue;
        daemon::Reply reply = w.dispatcher.handle(connection, line);
        checkReply(line, reply);
        if (verb == "session.open") {
            const json r = json::parse(reply.line);
            if (r.contains("result") && r["result"].contains("session"))
                session = r["result"]["session"].get<std::string>();
        }
        if (reply.after)
            reply.after();
        if (reply.close)
            break;
    }
    w.dispatcher.closed(connection);
    return 0;
}
