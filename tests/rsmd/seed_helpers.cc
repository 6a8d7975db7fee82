#include "tests/rsmd/seed_helpers.h"

#include <doctest/doctest.h>

#include "src/cli/terminal_text.h"

namespace rsm::test {

void expectError(const RsmdRig &rig, const std::vector<std::string> &args, int code,
                 const std::string &name, const std::optional<Who> &who) {
    std::string command;
    for (const auto &a : args)
        command += a + " ";
    CAPTURE(command);
    RunResult plain = rig.ctl(args, who);
    CHECK(plain.status == 1);
    const std::string prefix = "rsmctl: " + name + " (" + std::to_string(code) + "): ";
    CHECK_MESSAGE(plain.err.rfind(prefix, 0) == 0, plain.err);
    CHECK(plain.out.empty());

    std::vector<std::string> withJson = {"--json"};
    withJson.insert(withJson.end(), args.begin(), args.end());
    RunResult json = rig.ctl(withJson, who);
    CHECK(json.status == 1);
    auto parsed = nlohmann::json::parse(json.out, nullptr, false);
    REQUIRE_MESSAGE(parsed.is_object(), json.out << json.err);
    REQUIRE(parsed.contains("error"));
    CHECK(parsed["error"]["code"] == code);
    CHECK(parsed["error"]["name"] == name);
    CHECK(parsed["error"]["message"].is_string());
    // The same message both ways (on a terminal, control characters shown escaped).
    CHECK(plain.err ==
          prefix + cli::terminalText(parsed["error"]["message"].get<std::string>()) + "\n");
}

void expectOk(const RsmdRig &rig, const std::vector<std::string> &args,
              const std::optional<Who> &who) {
    std::string command;
    for (const auto &a : args)
        command += a + " ";
    CAPTURE(command);
    RunResult r = rig.ctl(args, who);
    REQUIRE_MESSAGE(r.status == 0, r.err);
}

void makeModel(const RsmdRig &rig) {
    expectOk(rig, {"mediatype", "create", "LTO-5"});
    expectOk(rig, {"pool", "create", "backup", "--type", "LTO-5"});
}

void makeMedia(const RsmdRig &rig, const std::string &barcode, const std::string &pool,
               const std::string &label, const std::string &lmid) {
    std::vector<std::string> args = {"media",     "create", "--type", "LTO-5",
                                     "--barcode", barcode,  "--pool", pool};
    if (!label.empty())
        args.insert(args.end(), {"--label-type", label, "--label-id", barcode});
    expectOk(rig, args);
    if (!lmid.empty())
        expectOk(rig, {"allocate", pool, "--name", lmid, "--media", barcode});
}

}  // namespace rsm::test
