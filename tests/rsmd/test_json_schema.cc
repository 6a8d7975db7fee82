// rsmctl --json as docs/json.md describes it (issue 18): the page's table of objects is read,
// and every object rsmd returns through rsmctl has exactly the fields listed there; each
// command of the page's first table prints the top-level fields it says.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

using nlohmann::json;
using Fields = std::set<std::string>;

std::vector<std::string> split(const std::string &text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto first = item.find_first_not_of(' ');
        const auto last = item.find_last_not_of(' ');
        if (first != std::string::npos)
            out.push_back(item.substr(first, last - first + 1));
    }
    return out;
}

// docs/json.md's "Objects" table: object name -> fields; a list of objects inside one
// ("sides: [{…}]") as "Media.sides".
std::map<std::string, Fields> documentedObjects() {
    std::ifstream page(std::string(RSM_SOURCE_DIR) + "/docs/json.md");
    REQUIRE(page.good());
    std::map<std::string, Fields> out;
    std::string line;
    bool inObjects = false;
    const std::regex note(R"(\s*\([^)]*\))");
    const std::regex nested(R"((\w+): \[\{([^\]]*)\}\])");
    while (std::getline(page, line)) {
        if (line.rfind("## ", 0) == 0)
            inObjects = line == "## Objects";
        if (!inObjects || line.rfind("| ", 0) != 0 || line.rfind("| object", 0) == 0)
            continue;
        const auto bar = line.find(" | ");
        const std::string name = line.substr(2, bar - 2);
        std::string fields = std::regex_replace(line.substr(bar + 3), note, "");
        fields = fields.substr(0, fields.rfind(" |"));
        std::smatch inner;
        if (std::regex_search(fields, inner, nested)) {
            for (const std::string &f : split(inner[2].str()))
                out[name + "." + inner[1].str()].insert(f);
            fields = inner.prefix().str() + inner[1].str() + inner.suffix().str();
        }
        for (const std::string &f : split(fields))
            out[name].insert(f);
    }
    return out;
}

Fields keysOf(const json &object) {
    Fields out;
    for (const auto &[key, value] : object.items())
        out.insert(key);
    return out;
}

std::string joined(const Fields &fields) {
    std::string out;
    for (const std::string &f : fields)
        out += (out.empty() ? "" : ", ") + f;
    return out;
}

// docs/json.md's "Results, by command" table: command -> the sets of top-level fields its
// result may have (a row may give two shapes: "`{…}` or `{…}`"); an empty list for a command
// whose row gives no object (watch, mtx).
std::map<std::string, std::vector<Fields>> documentedResults() {
    std::ifstream page(std::string(RSM_SOURCE_DIR) + "/docs/json.md");
    REQUIRE(page.good());
    std::map<std::string, std::vector<Fields>> out;
    bool inResults = false;
    const std::regex span("`(\\{[^`]*\\})`");
    const std::regex key("(^|[{,]\\s*)\"([a-z_]+)\"");  // not a value: "ok"
    for (std::string line; std::getline(page, line);) {
        if (line.rfind("## ", 0) == 0)
            inResults = line == "## Results, by command";
        if (!inResults || line.rfind("| `", 0) != 0)
            continue;
        const auto close = line.find('`', 3);
        const std::string command = line.substr(3, close - 3);
        std::vector<Fields> shapes;
        const std::string result = line.substr(line.find(" | ", close) + 3);
        for (std::sregex_iterator s(result.begin(), result.end(), span), end; s != end; ++s) {
            // The keys at the top level of the object: depth 1 of its braces and brackets.
            const std::string object = (*s)[1].str();
            Fields keys;
            int depth = 0;
            std::string top;
            for (char c : object) {
                if (c == '{' || c == '[')
                    ++depth;
                if (depth == 1)
                    top += c;
                if (c == '}' || c == ']')
                    --depth;
            }
            for (std::sregex_iterator k(top.begin(), top.end(), key), e; k != e; ++k)
                keys.insert((*k)[2].str());
            shapes.push_back(keys);
        }
        out[command] = shapes;
    }
    return out;
}

// Every command of rsmctl, from its help: "library list", "swap", …
std::vector<std::string> rsmctlCommands() {
    auto subcommands = [](const std::vector<std::string> &args) {
        std::vector<std::string> argv = {rsmctlPath()};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back("--help");
        const RunResult help = run(argv);
        std::vector<std::string> names;
        std::stringstream lines(help.out);
        bool listing = false;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("Subcommands:", 0) == 0) {
                listing = true;
                continue;
            }
            std::smatch m;
            if (listing && std::regex_match(line, m, std::regex("  ([a-z-]+)( .*)?")))
                names.push_back(m[1].str());
        }
        return names;
    };
    std::vector<std::string> out;
    for (const std::string &group : subcommands({})) {
        const auto subs = subcommands({group});
        if (subs.empty())
            out.push_back(group);
        for (const std::string &sub : subs)
            out.push_back(group + " " + sub);
    }
    return out;
}
}  // namespace

TEST_CASE("json: every object rsmctl --json prints has the fields docs/json.md lists") {
    const auto documented = documentedObjects();
    REQUIRE(documented.size() >= 11);

    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string barcode = vtl.barcodes().at(0);
    expectOk(rig, {"allocate", "backup", "--name", "j1", "--media", barcode});
    expectOk(rig, {"mount", "j1"});
    expectOk(rig, {"acl", "grant", "pool:backup", "--user", "nobody", "use"});
    expectOk(rig, {"request", "submit", "message", "check the json"});
    // A health reading of the medium, as a dismount keeps one (tgtd's drives report none).
    rig.sql(
        "INSERT INTO health_reading (drive_id, media_id, trigger, load_count) SELECT d.id,"
        " m.id, 0, 3 FROM drive d, physical_media m WHERE d.number = 0 AND m.barcode = '" +
        barcode + "' RETURNING id");

    // The top level of each command's result, as the page's first table says.
    const std::vector<std::pair<std::vector<std::string>, Fields>> commands = {
        {{"status"}, {"libraries", "drives", "requests", "operator_requests", "pools"}},
        {{"library", "list"}, {"libraries", "hidden"}},
        {{"library", "show", "vtl"}, {"library", "drives"}},
        {{"drive", "list"}, {"drives"}},
        {{"drive", "show", "vtl/0"}, {"drive"}},
        {{"drive", "history", "vtl/0"}, {"history"}},
        {{"media", "history", barcode}, {"history"}},
        {{"media", "list"}, {"media"}},
        {{"media", "show", barcode}, {"media"}},
        {{"media", "health", barcode}, {"media_id", "suspect", "suspect_reason", "readings"}},
        {{"mediatype", "list"}, {"media_types"}},
        {{"pool", "list"}, {"pools"}},
        {{"pool", "show", "backup"}, {"pool"}},
        {{"lmid", "list"}, {"lmids"}},
        {{"lmid", "show", "j1"}, {"lmid"}},
        {{"request", "list", "--all"}, {"requests", "next"}},
        {{"request", "list", "--operator"}, {"operator_requests"}},
        {{"acl", "list", "pool:backup"}, {"acl"}},
    };
    std::map<std::string, json> results;
    for (const auto &[args, top] : commands) {
        std::string line;
        for (const std::string &a : args)
            line += (line.empty() ? "" : " ") + a;
        CAPTURE(line);
        json result = rig.json(args);
        CHECK(keysOf(result) == top);
        results[line] = std::move(result);
    }

    // Each object as rsmd returns it, against the page.
    const std::vector<std::pair<std::string, json>> objects = {
        {"Library", results["library list"]["libraries"][0]},
        {"Drive", results["drive show vtl/0"]["drive"]},
        {"Pool", results["pool show backup"]["pool"]},
        {"Media", results["media show " + barcode]["media"]},
        {"Media.sides", results["media show " + barcode]["media"]["sides"][0]},
        {"Lmid", results["lmid show j1"]["lmid"]},
        {"Request", results["request list --all"]["requests"][0]},
        {"OperatorRequest", results["request list --operator"]["operator_requests"][0]},
        {"History", results["media history " + barcode]["history"][0]},
        {"Reading", results["media health " + barcode]["readings"][0]},
        {"Ace", results["acl list pool:backup"]["acl"][0]},
        {"MediaType", results["mediatype list"]["media_types"][0]},
    };
    for (const auto &[name, object] : objects) {
        CAPTURE(name);
        REQUIRE(documented.count(name) == 1);
        Fields expected = documented.at(name);
        Fields got = keysOf(object);
        // Shown only when there is something to show.
        if (name == "Library" && !got.count("duplicate_barcodes"))
            expected.erase("duplicate_barcodes");
        INFO("documented: " << joined(expected));
        INFO("printed:    " << joined(got));
        CHECK(got == expected);
    }
    // An event of watch: rsmctl watch streams until stopped; read its first lines.
    RunResult watched =
        run({"/usr/bin/timeout", "2", rsmctlPath(), "--json", "watch", "--since", "0"},
            {"RSM_SOCKET=" + rig.socket.string()});
    std::stringstream lines(watched.out);
    std::string first;
    REQUIRE(std::getline(lines, first));
    const json event = json::parse(first);
    CHECK(keysOf(event) == documented.at("Event"));
}

}  // namespace rsm::test

namespace rsm::test {

TEST_CASE("json: every rsmctl command has its row in docs/json.md and prints what it says") {
    const auto documented = documentedResults();
    const auto commands = rsmctlCommands();
    REQUIRE(commands.size() >= 60);
    for (const std::string &command : commands) {
        CAPTURE(command);
        CHECK(documented.count(command) == 1);
    }

    VirtualLibrary vtl(smallLibrary());
    VirtualLibrary other(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const std::string b0 = vtl.barcodes().at(0), b3 = vtl.barcodes().at(3);
    std::string request, operatorRequest, spare;

    // Every command once, in an order in which each can do its work; `fails`: the RSM error
    // tgtd makes it end with (its result is then that error object).
    struct Step {
        std::vector<std::string> args;
        std::string fails = {};
    };
    const std::vector<Step> steps = {
        {{"status"}},
        {{"library", "list"}},
        {{"library", "show", "vtl"}},
        {{"library", "status", "vtl"}},
        {{"library", "discover"}},
        {{"library", "probe", "vtl"}},
        {{"library", "inventory", "vtl"}},
        {{"library", "disable", "vtl"}},
        {{"library", "enable", "vtl"}},
        {{"library", "cleaner-slot", "vtl", "1007"}},
        {{"library", "add", "other", other.changerUrl()}},
        {{"library", "remove", "other"}},
        {{"drive", "list"}},
        {{"drive", "show", "vtl/1"}},
        {{"drive", "disable", "vtl/1"}},
        {{"drive", "enable", "vtl/1"}},
        {{"drive", "set-device", "vtl/1", "--clear"}},
        {{"drive", "health", "vtl/1"}, "ERROR_"},  // an empty drive (tests/rsmd/test_health.cc)
        {{"mediatype", "list"}},
        {{"mediatype", "create", "LTO-6"}},
        {{"pool", "list"}},
        {{"pool", "show", "backup"}},
        {{"pool", "create", "scratch", "--type", "LTO-5"}},
        {{"pool", "delete", "scratch"}},
        {{"pool", "policy", "backup", "--retention", "30d", "--low-mark", "0"}},
        {{"media", "create", "--type", "LTO-5", "--barcode", "L00001L5", "--pool", "backup",
          "--label-type", "Bacula", "--label-id", "V1"}},
        {{"media", "create", "--type", "LTO-5", "--barcode", "L00002L5", "--pool", "backup",
          "--label-type", "Bacula", "--label-id", "V2"}},
        {{"media", "create", "--type", "LTO-5", "--barcode", "CLN009L1"}},
        {{"media", "cleaner", "CLN009L1", "--uses", "5"}},
        {{"media", "state", "L00002L5", "active"}},
        {{"media", "list"}},
        {{"media", "show", b0}},
        {{"allocate", "backup", "--media", "L00001L5", "--name", "s1"}},
        {{"allocate", "backup", "--media", "L00002L5", "--name", "s2"}},
        {{"allocate", "backup", "--media", b0, "--name", "j1"}},
        {{"swap", "s1", "s2"}},
        {{"complete", "s1"}},
        {{"deallocate", "s2"}},
        {{"lmid", "list"}},
        {{"lmid", "show", "s1"}},
        {{"media", "list", "--due"}},
        {{"pool", "sweep"}},
        {{"move-to-pool", "L00001L5", "free:LTO-5"}},
        {{"decommission", "L00001L5"}},
        {{"delete-media", "L00001L5"}},
        {{"mount", "j1"}},
        {{"dismount", "j1"}},
        {{"media", "history", b0}},
        {{"media", "health", b0}},
        {{"media", "clear-suspect", b0}},
        {{"drive", "history", "vtl/0"}},
        {{"drive", "clear-suspect", "vtl/0"}},
        {{"inventory", "vtl"}},
        {{"eject", b3}},
        {{"inject", "vtl"}},
        {{"audit", "vtl"}},
        {{"clean", "vtl/0"}, "ERROR_"},  // no cleaner in the library's cleaner slot
        {{"acl", "grant", "pool:backup", "--user", "nobody", "use"}},
        {{"acl", "list", "pool:backup"}},
        {{"acl", "revoke", "pool:backup", "--user", "nobody"}},
        {{"vault", "create", "iron", "--description", "offsite"}},
        {{"vault", "list"}},
        {{"vault", "send", b3, "--to", "iron"}},
        {{"vault", "show", "iron"}},
        {{"vault", "arrived", "iron"}},
        {{"vault", "recall", "iron", "--list"}},
        {{"vault", "overdue", "--days", "0"}},
        {{"vault", "report"}},
        {{"vault", "create", "spare"}},
        {{"vault", "delete", "spare"}},
        {{"object", "rename", "lmid:j1", "j1-renamed"}},
        {{"object", "describe", "media:" + b0, "the first tape"}},
        {{"object", "set", "media:" + b0, "vault", "box 12"}},
        {{"object", "get", "media:" + b0, "vault"}},
        {{"object", "computer"}},
        {{"request", "list", "--all"}},
        {{"request", "submit", "message", "check the json"}},
        {{"changer", "status", "--device", vtl.changerUrl()}},
        {{"changer", "inquiry", "--device", vtl.changerUrl()}},
        {{"changer", "move", "1003", "1005", "--device", other.changerUrl()}},
        {{"changer", "exchange", "1005", "1000", "--device", other.changerUrl()}},
        {{"changer", "init", "--device", other.changerUrl()}},
        {{"changer", "position", "1000", "--device", other.changerUrl()}, "ERROR_"},
    };
    std::set<std::string> ran;
    auto check = [&](const std::string &command, const std::vector<std::string> &args,
                     const std::string &fails) {
        std::string line;
        for (const std::string &a : args)
            line += (line.empty() ? "" : " ") + a;
        CAPTURE(line);
        const json result = rig.json(args);
        ran.insert(command);
        if (!fails.empty()) {
            REQUIRE(result.is_object());
            CHECK(keysOf(result) == Fields{"error"});
            return result;
        }
        INFO("printed: " << result.dump());
        REQUIRE(result.is_object());
        CHECK_FALSE(result.contains("error"));
        const auto &shapes = documented.at(command);
        const Fields got = keysOf(result);
        CHECK(std::find(shapes.begin(), shapes.end(), got) != shapes.end());
        return result;
    };
    auto commandOf = [&](const std::vector<std::string> &args) {
        const std::string two = args.size() > 1 ? args[0] + " " + args[1] : "";
        return std::find(commands.begin(), commands.end(), two) != commands.end() ? two : args[0];
    };
    for (const Step &step : steps) {
        const json result = check(commandOf(step.args), step.args, step.fails);
        if (step.args[0] == "request" && step.args[1] == "list")
            request = result["requests"][0]["id"];
        if (step.args[0] == "request" && step.args[1] == "submit")
            operatorRequest = result["operator_request"]["id"];
    }
    // The commands that need an id from the steps before.
    check("request show", {"request", "show", request}, "");
    check("request list", {"request", "list", "--operator"}, "");
    check("request satisfy", {"request", "satisfy", operatorRequest}, "");
    check("request wait", {"request", "wait", operatorRequest}, "");
    const json second = rig.json({"request", "submit", "message", "to refuse"});
    check("request cancel",
          {"request", "cancel", second["operator_request"]["id"].get<std::string>()}, "");
    // watch is checked above (an Event per line); mtx prints mtx's text.
    ran.insert("watch");
    ran.insert("mtx");
    for (const std::string &command : commands) {
        CAPTURE(command);
        CHECK(ran.count(command) == 1);
    }
}

}  // namespace rsm::test
