// rsmd's Prometheus endpoint (metrics_listen) end to end, checked with the real tools: the
// text through `promtool check metrics`, a real Prometheus server scraping rsmd and queried
// through its HTTP API after known operations, and the alerting rules and the Grafana
// dashboard in docs/ against the metrics rsmd serves (`promtool check rules`).

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sys/wait.h>

#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

#ifndef RSM_SOURCE_DIR
#error "RSM_SOURCE_DIR must be defined"
#endif

namespace rsm::test {

namespace {

using nlohmann::json;

// The port rsmd's log says its metrics listener bound (metrics_listen = 127.0.0.1:0).
int metricsPort(const RsmdRig &rig) {
    static const std::regex line(R"(metrics on http://127\.0\.0\.1:(\d+)/metrics)");
    int port = 0;
    REQUIRE_MESSAGE(eventually([&] {
                        std::smatch m;
                        const std::string log = rig.log();
                        if (!std::regex_search(log, m, line))
                            return false;
                        port = std::stoi(m[1]);
                        return true;
                    }),
                    rig.log());
    return port;
}

RunResult httpGet(int port, const std::string &path, const std::vector<std::string> &extra = {}) {
    std::vector<std::string> argv = {"/usr/bin/curl", "-sS", "--max-time", "10"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("http://127.0.0.1:" + std::to_string(port) + path);
    return run(argv);
}

std::string scrape(int port) {
    RunResult r = httpGet(port, "/metrics", {"--fail"});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    return r.out;
}

// The value of the sample whose name and labels are exactly `series`; NaN when absent.
double sample(const std::string &text, const std::string &series) {
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l.size() > series.size() && l.compare(0, series.size(), series) == 0 &&
            l[series.size()] == ' ')
            return std::stod(l.substr(series.size() + 1));
    return std::nan("");
}

// The names of the families a scrape has (its TYPE lines).
std::set<std::string> families(const std::string &text) {
    std::set<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l.rfind("# TYPE ", 0) == 0)
            out.insert(l.substr(7, l.find(' ', 7) - 7));
    return out;
}

// Every rsm_ metric name a text uses (PromQL expressions of rules and dashboards).
std::set<std::string> metricNames(const std::string &text) {
    static const std::regex name(R"(\brsm_[a-z_]+)");
    std::set<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), name);
         it != std::sregex_iterator(); ++it) {
        std::string n = it->str();
        for (const char *suffix : {"_bucket", "_sum", "_count"})
            if (n.size() > std::strlen(suffix) &&
                n.compare(n.size() - std::strlen(suffix), std::string::npos, suffix) == 0 &&
                n.find("_seconds") != std::string::npos)
                n.erase(n.size() - std::strlen(suffix));
        out.insert(n);
    }
    return out;
}

std::string readFile(const std::string &path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in, "cannot read " << path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A TCP port free now on 127.0.0.1 (for Prometheus, which takes no port 0).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

void promtoolAccepts(const RsmdRig &rig, const std::string &text) {
    const std::string file = (rig.dir / "metrics.txt").string();
    std::ofstream(file) << text;
    RunResult checked = run({"/bin/sh", "-c", "promtool check metrics < " + file});
    INFO(text);
    CHECK_MESSAGE(checked.status == 0, checked.out << checked.err);
    // promtool prints lint findings (names, units, help) and still exits 0 for some of them.
    CHECK_MESSAGE(checked.out.empty(), checked.out);
    CHECK_MESSAGE(checked.err.empty(), checked.err);
}

// A tape allocated as LMID job1 and mounted in a drive.
void mountOne(const RsmdRig &rig) {
    allocate(rig, "job1");
    RunResult mounted = rig.ctl({"mount", "job1"});
    REQUIRE_MESSAGE(mounted.status == 0, mounted.err);
}

}  // namespace

TEST_CASE("metrics: rsmd serves Prometheus text that promtool accepts, kept current") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig("metrics_listen = 127.0.0.1:0\n");
    const int port = metricsPort(rig);
    promtoolAccepts(rig, scrape(port));  // an empty database

    prepareLibrary(rig, vtl);
    std::string text = scrape(port);
    promtoolAccepts(rig, text);
    CHECK(sample(text, R"(rsm_library_up{library="vtl"})") == 1);
    CHECK(sample(text, R"(rsm_library_slots{library="vtl",state="full"})") == 4);
    CHECK(sample(text, R"(rsm_library_slots{library="vtl",state="empty"})") == 4);
    CHECK(sample(text, R"(rsm_library_ieports{library="vtl",state="full"})") == 0);
    CHECK(sample(text,
                 R"(rsm_pool_available_media{pool="free:LTO-5",kind="free",media_type="LTO-5"})") ==
          4);
    CHECK(sample(text, R"(rsm_drive_mounted{library="vtl",drive="0"})") == 0);
    CHECK(sample(text, R"(rsm_requests_total{verb="library.inventory"})") == 1);
    CHECK(
        sample(
            text,
            R"(rsm_library_requests_ended_total{library="vtl",kind="inventory",state="passed"})") >=
        1);

    mountOne(rig);
    text = scrape(port);
    promtoolAccepts(rig, text);
    CHECK(sample(text,
                 R"(rsm_pool_available_media{pool="free:LTO-5",kind="free",media_type="LTO-5"})") ==
          3);
    CHECK(sample(text, R"(rsm_library_slots{library="vtl",state="full"})") == 3);
    CHECK(sample(text, R"(rsm_drive_mounted{library="vtl",drive="0"})") +
              sample(text, R"(rsm_drive_mounted{library="vtl",drive="1"})") ==
          1);
    CHECK(sample(text, R"(rsm_robot_moves_total{library="vtl",result="ok"})") == 1);
    CHECK(sample(text, R"(rsm_robot_move_duration_seconds_count{library="vtl"})") == 1);
    CHECK(sample(text,
                 R"(rsm_library_request_duration_seconds_count{library="vtl",kind="mount"})") == 1);
    CHECK(sample(text, R"(rsm_sessions)") == 0);

    // A failed request: counted by its RSM error, in the protocol and in the library's work.
    expectError(rig, {"media", "show", "NOSUCH"}, 4300, "ERROR_INVALID_MEDIA");
    RunResult cleaned = rig.ctl({"clean", "vtl/1"});
    CHECK(cleaned.status == 1);
    text = scrape(port);
    CHECK(sample(text, R"(rsm_request_errors_total{error="ERROR_INVALID_MEDIA"})") >= 1);
    CHECK(
        sample(
            text,
            R"(rsm_library_request_failures_total{library="vtl",kind="clean",error="ERROR_UNABLE_TO_CLEAN"})") ==
        1);

    // A scrape reads one statement of the event log, not the tables: the figures follow a
    // change made behind rsmd's back, in SQL, as another rsmd's would be.
    rig.sql("UPDATE drive SET needs_cleaning = true WHERE number = 0 RETURNING 1");
    CHECK(eventually([&] {
        return sample(scrape(port), R"(rsm_drive_needs_cleaning{library="vtl",drive="0"})") == 1;
    }));

    // Not the metrics: 404, and 405 for a POST.
    CHECK(httpGet(port, "/nothing", {"-o", "/dev/null", "-w", "%{http_code}"}).out == "404");
    CHECK(httpGet(port, "/metrics", {"-X", "POST", "-o", "/dev/null", "-w", "%{http_code}"}).out ==
          "405");
}

TEST_CASE("metrics: a real Prometheus scrapes rsmd; the rules and the dashboard use its metrics") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig("metrics_listen = 127.0.0.1:0\n");
    const int port = metricsPort(rig);
    prepareLibrary(rig, vtl);

    const int promPort = freePort();
    const std::string promDir = (rig.dir / "prometheus").string();
    std::filesystem::create_directories(promDir);
    std::ofstream(promDir + "/prometheus.yml")
        << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        << "rule_files:\n  - " << RSM_SOURCE_DIR << "/docs/alerts.yml\n"
        << "scrape_configs:\n  - job_name: rsmd\n    static_configs:\n"
        << "      - targets: ['127.0.0.1:" << port << "']\n";
    RunResult rules =
        run({"/usr/bin/promtool", "check", "rules", RSM_SOURCE_DIR "/docs/alerts.yml"});
    CHECK_MESSAGE(rules.status == 0, rules.out << rules.err);
    RunResult config = run({"/usr/bin/promtool", "check", "config", promDir + "/prometheus.yml"});
    CHECK_MESSAGE(config.status == 0, config.out << config.err);

    const pid_t prometheus = ::fork();
    REQUIRE(prometheus >= 0);
    if (prometheus == 0) {
        const std::string log = promDir + "/prometheus.log";
        std::freopen(log.c_str(), "w", stderr);
        std::freopen("/dev/null", "w", stdout);
        const std::string configFlag = "--config.file=" + promDir + "/prometheus.yml";
        const std::string storageFlag = "--storage.tsdb.path=" + promDir + "/data";
        const std::string listenFlag = "--web.listen-address=127.0.0.1:" + std::to_string(promPort);
        ::execlp("prometheus", "prometheus", configFlag.c_str(), storageFlag.c_str(),
                 listenFlag.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    struct Stop {
        pid_t pid;
        ~Stop() {
            ::kill(pid, SIGTERM);
            int status = 0;
            ::waitpid(pid, &status, 0);
        }
    } stop{prometheus};

    // The value of a PromQL query's only sample ("" while there is none).
    auto query = [&](const std::string &promql) -> std::string {
        RunResult r = run({"/usr/bin/curl", "-sS", "--max-time", "5", "-G",
                           "http://127.0.0.1:" + std::to_string(promPort) + "/api/v1/query",
                           "--data-urlencode", "query=" + promql});
        if (r.status != 0)
            return "";
        const json doc = json::parse(r.out, nullptr, false);
        if (doc.is_discarded() || doc.value("status", "") != "success" ||
            doc["data"]["result"].size() != 1)
            return "";
        return doc["data"]["result"][0]["value"][1].get<std::string>();
    };
    auto becomes = [&](const std::string &promql, const std::string &value) {
        std::string last;
        const bool held = eventually(
            [&] {
                last = query(promql);
                return last == value;
            },
            std::chrono::seconds(30));
        INFO(promql << " = '" << last << "', expected " << value);
        INFO(readFile(promDir + "/prometheus.log"));
        CHECK(held);
    };
    becomes(R"(up{job="rsmd"})", "1");
    becomes(R"(rsm_library_slots{library="vtl",state="full"})", "4");
    becomes(R"(sum(rsm_pool_available_media{kind="free"}))", "4");

    mountOne(rig);
    becomes(R"(sum(rsm_drive_mounted{library="vtl"}))", "1");
    becomes(R"(sum(rsm_robot_moves_total{library="vtl"}))", "1");
    becomes(R"(rsm_library_slots{library="vtl",state="full"})", "3");
    // The rules Prometheus loaded from docs/alerts.yml are evaluated without error.
    RunResult loaded = run({"/usr/bin/curl", "-sS", "--max-time", "5",
                            "http://127.0.0.1:" + std::to_string(promPort) + "/api/v1/rules"});
    REQUIRE(loaded.status == 0);
    const json ruleDoc = json::parse(loaded.out);
    int ruleCount = 0;
    for (const json &group : ruleDoc["data"]["groups"])
        for (const json &rule : group["rules"]) {
            ++ruleCount;
            CHECK_MESSAGE(rule.value("health", "") != "err", rule.dump());
        }
    CHECK(ruleCount >= 5);

    // Every rsm_ metric the rules and the dashboard name is one rsmd serves (after a failed
    // library request, so that the failure counters have samples too).
    RunResult cleaned = rig.ctl({"clean", "vtl/1"});
    CHECK(cleaned.status == 1);
    const std::set<std::string> served = families(scrape(port));
    const std::string documented = readFile(RSM_SOURCE_DIR "/docs/metrics.md");
    for (const std::string &name : served)
        CHECK_MESSAGE(documented.find("`" + name + "`") != std::string::npos,
                      name << " is served but not in docs/metrics.md");
    for (const char *file : {"/docs/alerts.yml", "/docs/grafana-rsm.json"}) {
        const std::string text = readFile(std::string(RSM_SOURCE_DIR) + file);
        if (std::string(file).find(".json") != std::string::npos)
            CHECK_FALSE(json::parse(text, nullptr, false).is_discarded());
        for (const std::string &name : metricNames(text))
            CHECK_MESSAGE(documented.find("`" + name + "`") != std::string::npos,
                          file << " names " << name << ", which docs/metrics.md does not list");
    }
}

}  // namespace rsm::test
