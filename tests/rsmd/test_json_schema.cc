// rsmctl --json as docs/json.md describes it (issue 18): the page's table of objects is read,
// and every object rsmd returns through rsmctl has exactly the fields listed there; each
// command of the page's first table prints the top-level fields it says.

#include <doctest/doctest.h>

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

    // The top level of each command's result, as the page's first table says.
    const std::vector<std::pair<std::vector<std::string>, Fields>> commands = {
        {{"status"}, {"libraries", "drives", "requests", "operator_requests", "pools"}},
        {{"library", "list"}, {"libraries", "hidden"}},
        {{"library", "show", "vtl"}, {"library", "drives"}},
        {{"drive", "list"}, {"drives"}},
        {{"drive", "history", "vtl/0"}, {"history"}},
        {{"media", "history", barcode}, {"history"}},
        {{"media", "list"}, {"media"}},
        {{"media", "show", barcode}, {"media"}},
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
        {"Drive", results["drive list"]["drives"][0]},
        {"Pool", results["pool show backup"]["pool"]},
        {"Media", results["media show " + barcode]["media"]},
        {"Media.sides", results["media show " + barcode]["media"]["sides"][0]},
        {"Lmid", results["lmid show j1"]["lmid"]},
        {"Request", results["request list --all"]["requests"][0]},
        {"OperatorRequest", results["request list --operator"]["operator_requests"][0]},
        {"History", results["media history " + barcode]["history"][0]},
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
    RunResult watched = run({"/usr/bin/timeout", "2", rsmctlPath(), "--json", "watch", "--since",
                             "0"},
                            {"RSM_SOCKET=" + rig.socket.string()});
    std::stringstream lines(watched.out);
    std::string first;
    REQUIRE(std::getline(lines, first));
    const json event = json::parse(first);
    CHECK(keysOf(event) == documented.at("Event"));
}

}  // namespace rsm::test
