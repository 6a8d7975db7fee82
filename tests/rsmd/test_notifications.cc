// notify_command end to end (issue 19): a real rsmd whose rsmd.conf names a program that records
// its calls; an operator request posted (through rsmctl, and by another writer of the same
// database) and a library going unreachable and coming back each make one call, with the
// event's variables and its JSON on standard input.

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// A directory with a program that appends each call to `calls`: its arguments, its RSM_
// variables (sorted) and its standard input, then a line "--".
struct Recorder {
    std::filesystem::path dir;
    std::filesystem::path program, calls;

    Recorder() {
        char name[] = "/tmp/rsm-notify-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        dir = name;
        program = dir / "record";
        calls = dir / "calls";
        std::ofstream(program) << "#!/bin/bash\n{ echo \"args: $*\"; env | grep '^RSM_' | sort; "
                                  "echo \"stdin: $(cat)\"; echo --; } >> '"
                               << calls.string() << "'\n";
        ::chmod(program.c_str(), 0755);
    }
    ~Recorder() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::string config() const {
        return fmt::format("notify_command = {} \"first arg\"\nnotify_timeout = 10\n",
                           program.string());
    }

    struct Call {
        std::string args;
        std::map<std::string, std::string> env;
        json input;
    };
    std::vector<Call> read() const {
        std::ifstream in(calls);
        std::vector<Call> out;
        Call c;
        for (std::string line; std::getline(in, line);) {
            if (line == "--") {
                out.push_back(c);
                c = Call{};
            } else if (line.rfind("args: ", 0) == 0) {
                c.args = line.substr(6);
            } else if (line.rfind("stdin: ", 0) == 0) {
                c.input = json::parse(line.substr(7), nullptr, false);
            } else if (auto eq = line.find('='); eq != std::string::npos) {
                c.env[line.substr(0, eq)] = line.substr(eq + 1);
            }
        }
        return out;
    }
    // The calls for one event.
    std::vector<Call> of(const std::string &event) const {
        std::vector<Call> out;
        for (const Call &c : read())
            if (c.env.count("RSM_EVENT") && c.env.at("RSM_EVENT") == event)
                out.push_back(c);
        return out;
    }
};

}  // namespace

TEST_CASE("rsmd notifications: an operator request posted runs notify_command once") {
    Recorder rec;
    RsmdRig rig(rec.config());
    const json submitted = rig.json({"request", "submit", "DEVICESERVICE", "drive 2 rattles"});
    const std::string id = submitted["operator_request"]["id"];
    REQUIRE(eventually([&] { return rec.of("operator-request-posted").size() == 1; }, 10s));
    const auto call = rec.of("operator-request-posted").at(0);
    CHECK(call.args == "first arg");
    CHECK(call.env.at("RSM_OBJECT_KIND") == "operator_request");
    CHECK(call.env.at("RSM_OBJECT_ID") == id);
    CHECK(call.env.at("RSM_REQUEST_KIND") == "DEVICESERVICE");
    CHECK(call.env.at("RSM_MESSAGE") == "drive 2 rattles");
    CHECK(call.env.count("RSM_LIBRARY") == 0);
    CHECK(!call.env.at("RSM_SEQ").empty());
    CHECK(call.env.at("RSM_TIME").size() == 24);  // 2026-12-07T03:00:00.000Z
    CHECK(call.input["event"] == "operator-request-posted");
    CHECK(call.input["object_id"] == id);
    CHECK(call.input["request_kind"] == "DEVICESERVICE");
    CHECK(call.input["message"] == "drive 2 rattles");
    CHECK(std::to_string(call.input["seq"].get<long long>()) == call.env.at("RSM_SEQ"));
    CHECK(call.input["time"] == call.env.at("RSM_TIME"));
    // Answering it is no new notification.
    expectOk(rig, {"request", "satisfy", id});

    // Written by another client of the database (another rsmd, an administrator's SQL): found
    // by the feed's look at the log.
    rig.sql("INSERT INTO operator_request (kind, message) VALUES (5, 'from elsewhere')");
    REQUIRE(eventually([&] { return rec.of("operator-request-posted").size() == 2; }, 10s));
    const auto other = rec.of("operator-request-posted").at(1);
    CHECK(other.env.at("RSM_REQUEST_KIND") == "MESSAGE");
    CHECK(other.env.at("RSM_MESSAGE") == "from elsewhere");
    std::this_thread::sleep_for(1s);
    CHECK(rec.read().size() == 2);  // nothing else was told
    CHECK(rig.log().find("notify_command for operator-request-posted #") != std::string::npos);
}

TEST_CASE("rsmd notifications: a library unreachable, and back") {
    Recorder rec;
    VirtualLibrary vtl;
    RsmdRig rig("command_timeout = 3\nready_timeout = 20\n" + rec.config());
    prepareLibrary(rig, vtl);
    const std::string barcode = allocate(rig, "n1");
    CHECK(rec.of("library-unreachable").empty());

    vtl.kill();  // tgtd dies: its port refuses connections
    CHECK(rig.ctl({"mount", "n1"}).status == 1);
    REQUIRE(eventually([&] { return rec.of("library-unreachable").size() == 1; }, 10s));
    const auto down = rec.of("library-unreachable").at(0);
    CHECK(down.env.at("RSM_LIBRARY") == "vtl");
    CHECK(down.env.at("RSM_OBJECT_KIND") == "library");
    CHECK_MESSAGE(down.env.at("RSM_MESSAGE").find("Connection refused") != std::string::npos,
                  down.env.at("RSM_MESSAGE"));
    CHECK(down.input["library"] == "vtl");
    // Failing again is not news.
    CHECK(rig.ctl({"mount", "n1"}).status == 1);

    vtl.restart();
    RunResult again = rig.ctl({"mount", "n1"});
    CHECK_MESSAGE(again.status == 0, again.err);
    REQUIRE(eventually([&] { return rec.of("library-reachable").size() == 1; }, 10s));
    CHECK(rec.of("library-reachable").at(0).env.at("RSM_LIBRARY") == "vtl");
    CHECK(rec.of("library-unreachable").size() == 1);
    expectOk(rig, {"dismount", "n1"});
}

TEST_CASE("rsmd notifications: set by a reload; a drive that needs cleaning; a cleaner spent") {
    Recorder rec;
    VirtualLibrary::Shape shape;
    shape.slots = 8;
    shape.drives = 2;
    shape.tapes = 3;
    shape.barcodes = {"SMC001L5", "SMC002L5", "CLN001L1"};
    VirtualLibrary vtl(shape);
    RsmdRig rig;
    expectOk(rig, {"library", "add", "vtl", vtl.changerUrl()});
    expectOk(rig, {"library", "inventory", "vtl"});
    // Drive N of library vtl, in SQL.
    const auto drive = [](int n) {
        return fmt::format(
            "(SELECT d.id FROM drive d JOIN library l ON l.id = d.library_id "
            "WHERE l.name = 'vtl' AND d.number = {})",
            n);
    };
    // No notify_command yet: nothing is told.
    rig.sql(fmt::format("UPDATE drive SET needs_cleaning = true WHERE id = {}", drive(0)));
    std::this_thread::sleep_for(1s);
    CHECK(rec.read().empty());

    // SIGHUP takes it (and the flags as they are then: drive 0 needs cleaning already).
    std::ofstream(rig.config, std::ios::app) << rec.config();
    REQUIRE(::kill(rig.pid, SIGHUP) == 0);
    REQUIRE(eventually(
        [&] {
            return rig.log().find("notifications: " + rec.program.string()) != std::string::npos;
        },
        10s));
    std::this_thread::sleep_for(500ms);  // the feed has seeded and reached the end of the log
    rig.sql(fmt::format("UPDATE drive SET description = 'still dirty' WHERE id = {}", drive(0)));
    rig.sql(fmt::format("UPDATE drive SET needs_cleaning = true WHERE id = {}", drive(1)));
    REQUIRE(eventually([&] { return rec.of("drive-needs-cleaning").size() == 1; }, 10s));
    const auto dirty = rec.of("drive-needs-cleaning").at(0);
    CHECK(dirty.env.at("RSM_DRIVE") == "vtl/1");
    CHECK(dirty.env.at("RSM_LIBRARY") == "vtl");
    CHECK(dirty.input["drive"] == "vtl/1");

    // The cleaner's last use.
    rig.sql("UPDATE cleaner SET uses_left = 0");
    REQUIRE(eventually([&] { return rec.of("cleaner-spent").size() == 1; }, 10s));
    const auto spent = rec.of("cleaner-spent").at(0);
    CHECK(spent.env.at("RSM_BARCODE") == "CLN001L1");
    CHECK(spent.env.at("RSM_LIBRARY") == "vtl");
    CHECK(spent.env.at("RSM_USES_LEFT") == "0");
    std::this_thread::sleep_for(1s);
    CHECK(rec.read().size() == 2);
}

}  // namespace rsm::test
