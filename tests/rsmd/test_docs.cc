// The documentation runs as written: every command of README.md and of every man page's
// EXAMPLES section, in order, on an empty rsmd over a fresh database and a tgtd virtual
// library (one of each per document), through bash, with the rsmctl, rsm-mtx and rsmd of this
// build first on PATH. A command passes when it exits 0, or, marked in the text to fail
// (tests/rsmd/doc_examples.h), when it exits 1 naming that RSM error.
//
// What stands in for the reader's host, the same for every document:
//   - /dev/sg3 is the virtual library's changer, through the SG_IO test double (LD_PRELOAD,
//     tests/sg/sg_double.c): rsmctl changer, rsm-mtx and rsmd open it as on a real host;
//   - an iscsi:// URL of a changer (127.0.0.1:3261/…, 192.0.2.10:3260/…) is the virtual
//     library's URL, on the port its tgtd got;
//   - /run/rsm/rsmd.sock is the test's rsmd's socket, and /usr/local/sbin/, /etc/rsm/ and
//     /srv/data/ are directories of the test's own (`rsmd --check-config` reads the
//     test's /etc/rsm/rsmd.conf);
//   - the library holds A00001L5…A00008L5 in slots 1000…1007, B00007L5 and A00042L5 in 1008
//     and 1009, and the cleaner CLN001L1 in slot 1019 (20 slots from 1000, drives 500 and
//     501, I/E ports 10…13).
//   - hidden setup steps (never what the reader runs) may call operator-take-out ADDRESS and
//     operator-put-in ADDRESS BARCODE: what an operator does at an I/E port, through tgtadm.
// Blocks marked `skip` are listed in the test's output with their reasons.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "tests/rsmd/doc_examples.h"
#include "tests/rsmd/rsmd_rig.h"
#include "tests/rsmd/sg_library.h"

using namespace rsm::test;
namespace fs = std::filesystem;

namespace {

bool wholeCommand(const std::string &text) {
    return run({"/bin/bash", "-n", "-c", text}).status == 0;
}

std::string readFile(const fs::path &path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

VirtualLibrary::Shape docLibrary() {
    VirtualLibrary::Shape shape;
    shape.barcodes = {"A00001L5", "A00002L5", "A00003L5", "A00004L5", "A00005L5", "A00006L5",
                      "A00007L5", "A00008L5", "B00007L5", "A00042L5", "CLN001L1"};
    shape.tapeSlots = {1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1019};
    shape.tapes = static_cast<int>(shape.barcodes.size());
    return shape;
}

void writeScript(const fs::path &path, const std::string &body) {
    std::ofstream(path) << "#!/bin/sh\n" << body;
    fs::permissions(path, fs::perms(0755));
}

std::string shellQuoted(const std::string &text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// One document's run: its library, its rsmd, its directory, and the shell script of the
// commands of its blocks up to a block that needs a library of its own.
class DocRun {
public:
    explicit DocRun(std::string name) : name_(std::move(name)) { startLibrary(); }

    void runBlocks(const std::vector<DocBlock> &blocks) {
        std::vector<const DocBlock *> segment;
        for (const DocBlock &block : blocks) {
            if (block.kind == DocBlock::Kind::Skipped) {
                skipped.push_back(fmt::format("{}:{}: {}", name_, block.line, block.reason));
                continue;
            }
            if (block.newLibrary && !segment.empty()) {
                runSegment(segment);
                segment.clear();
            }
            if (block.newLibrary)
                startLibrary();
            segment.push_back(&block);
        }
        runSegment(segment);
    }

    std::vector<std::string> failures;
    std::vector<std::string> skipped;
    int commandsRun = 0;

private:
    struct Step {
        std::string where, text;
        std::optional<std::string> fails;
        bool setup = false;
        int untilStopped = 0;
    };

    void startLibrary() {
        sg_.reset();
        vtl_.reset();
        vtl_ = std::make_unique<VirtualLibrary>(docLibrary());
        sg_ = std::make_unique<SgLibrary>(*vtl_);
        for (const std::string &entry : sg_->env())
            if (entry.rfind("RSM_SG_DOUBLE=", 0) == 0)
                std::ofstream(entry.substr(14), std::ios::app)
                    << "/dev/sg3 " << vtl_->changerUrl() << "\n";
        if (!rig_)
            rig_ = std::make_unique<RsmdRig>(
                sg_->rsmdConfig() + "command_timeout = 10\nready_timeout = 20\n",
                PgCluster::shared(), std::nullopt, sg_->env());
        root_ = rig_->dir / "host";
        for (const char *sub : {"usr/local/sbin", "etc/rsm", "srv/data", "bin"})
            fs::create_directories(root_ / sub);
        // rsm-mtx is linked statically in some builds: the dynamic one takes the double.
        const std::string dynamicMtx = RSM_BUILD_DIR "/tests/rsm-mtx-dynamic";
        const std::vector<std::pair<const char *, std::string>> programs = {
            {"rsmctl", rsmctlPath()},
            {"rsm-mtx", fs::exists(dynamicMtx) ? dynamicMtx : rsmMtxPath()},
            {"rsmd", rsmdPath()}};
        for (const auto &[program, target] : programs)
            if (!fs::exists(root_ / "bin" / program))
                fs::create_symlink(target, root_ / "bin" / program);
        // What the operator does by hand, for hidden setup steps: an I/E port emptied, or
        // given a new cartridge (tgtadm on this library's tgtd).
        const std::string tgtadm = fmt::format(
            "TGT_IPC_SOCKET={}/tgtsock exec /usr/sbin/tgtadm -C 0 --lld iscsi --op update "
            "--mode logicalunit --tid 1 --lun {} --params element_type=3,address=\"$1\",",
            vtl_->dir(), vtl_->env().at("CHANGER_LUN"));
        writeScript(root_ / "bin/operator-take-out", tgtadm + "clear_slot=1\n");
        writeScript(root_ / "bin/operator-put-in", tgtadm + "barcode=\"$2\",sides=1\n");
        std::ofstream(root_ / "srv/data/README") << "data of the backup examples\n";
    }

    std::string substitute(std::string text) const {
        static const std::regex url(R"(iscsi://[A-Za-z0-9.:\[\]-]+/[^/\s'"]+/[0-9]+)");
        text = std::regex_replace(text, url, vtl_->changerUrl());
        for (const auto &[from, to] : std::vector<std::pair<std::string, std::string>>{
                 {"/run/rsm/rsmd.sock", rig_->socket.string()},
                 {"/usr/local/sbin/", (root_ / "usr/local/sbin").string() + "/"},
                 {"/etc/rsm/", (root_ / "etc/rsm").string() + "/"},
                 {"/srv/data", (root_ / "srv/data").string()},
                 // After the rule of /etc/rsm/: the path it gives holds /etc/rsm/ too.
                 {"rsmd --check-config",
                  "rsmd --config " + (root_ / "etc/rsm/rsmd.conf").string() + " --check-config"}}) {
            for (auto at = text.find(from); at != std::string::npos;
                 at = text.find(from, at + to.size()))
                text.replace(at, from.size(), to);
        }
        return text;
    }

    void runSegment(const std::vector<const DocBlock *> &blocks) {
        std::vector<Step> steps;
        for (const DocBlock *block : blocks) {
            const std::string where = fmt::format("{}:{}", name_, block->line);
            for (const std::string &setup : block->setup)
                steps.push_back({where + " (setup)", substitute(setup), {}, true});
            if (block->kind == DocBlock::Kind::Script || block->kind == DocBlock::Kind::File) {
                const std::string path = substitute(block->path);
                std::string body = substitute(block->body);
                if (block->kind == DocBlock::Kind::Script && body.rfind("#!", 0) != 0)
                    body = "#!/bin/sh\n" + body;
                fs::create_directories(fs::path(path).parent_path());
                std::ofstream(path) << body;
                if (block->kind == DocBlock::Kind::Script)
                    fs::permissions(path, fs::perms(0755));
                continue;
            }
            for (const DocCommand &command : block->commands)
                steps.push_back({fmt::format("{}:{}", name_, command.line),
                                 substitute(command.text), command.fails, false,
                                 block->untilStoppedSeconds});
        }
        if (steps.empty())
            return;
        const fs::path out = rig_->dir / fmt::format("doc-{}", segments_++);
        fs::create_directories(out);
        std::string script = "cd " + shellQuoted(root_.string()) + "\n";
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const std::string text =
                steps[i].untilStopped ? fmt::format("timeout {} bash -c {}", steps[i].untilStopped,
                                                    shellQuoted(steps[i].text))
                                      : steps[i].text;
            script +=
                fmt::format("{{ {}\n}} >{}/out.{} 2>{}/err.{} </dev/null\necho $? >{}/rc.{}\n",
                            text, out.string(), i, out.string(), i, out.string(), i);
        }
        std::ofstream(out / "script.sh") << script;
        std::vector<std::string> env = sg_->env();
        env.push_back("RSM_SOCKET=" + rig_->socket.string());
        env.push_back("PATH=" + (root_ / "bin").string() + ":/usr/sbin:/usr/bin:/sbin:/bin");
        env.push_back("RSM_DOC_CONFIG=" + rig_->config.string());
        env.push_back("TZ=UTC");
        run({"/bin/bash", (out / "script.sh").string()}, env);
        for (std::size_t i = 0; i < steps.size(); ++i)
            check(steps[i], out, i);
    }

    void check(const Step &step, const fs::path &out, std::size_t i) {
        const std::string rcText = readFile(out / fmt::format("rc.{}", i));
        const std::string err = readFile(out / fmt::format("err.{}", i));
        const std::string stdoutText = readFile(out / fmt::format("out.{}", i));
        if (!step.setup)
            ++commandsRun;
        std::string problem;
        if (rcText.empty()) {
            problem = "never ran: the script ended before it";
        } else {
            const int rc = std::stoi(rcText);
            const int wanted = step.untilStopped ? 124 : step.fails ? 1 : 0;
            if (rc != wanted)
                problem = fmt::format("exit status {}, wanted {}", rc, wanted);
            else if (step.fails && err.find(*step.fails) == std::string::npos)
                problem = "failed without " + *step.fails;
        }
        if (!problem.empty())
            failures.push_back(fmt::format("{}: {}\n  $ {}\n  stdout: {}\n  stderr: {}", step.where,
                                           problem, step.text, stdoutText.substr(0, 2000),
                                           err.substr(0, 2000)));
    }

    std::string name_;
    std::unique_ptr<VirtualLibrary> vtl_;
    std::unique_ptr<SgLibrary> sg_;
    std::unique_ptr<RsmdRig> rig_;
    fs::path root_;
    int segments_ = 0;
};

std::vector<fs::path> documents() {
    std::vector<fs::path> docs = {fs::path(RSM_SOURCE_DIR) / "README.md"};
    std::vector<fs::path> pages;
    for (const auto &entry : fs::directory_iterator(fs::path(RSM_SOURCE_DIR) / "man"))
        if (std::regex_match(entry.path().filename().string(), std::regex(R"(.*\.[158])")))
            pages.push_back(entry.path());
    std::sort(pages.begin(), pages.end());
    docs.insert(docs.end(), pages.begin(), pages.end());
    return docs;
}

}  // namespace

TEST_CASE("docs: every command of the README and of the man pages' EXAMPLES runs as written") {
    int commands = 0;
    std::vector<std::string> skipped;
    for (const fs::path &doc : documents()) {
        const std::string name = doc.filename().string();
        CAPTURE(name);
        const std::string text = readFile(doc);
        std::vector<DocBlock> blocks;
        REQUIRE_NOTHROW(blocks = doc.extension() == ".md" ? markdownExamples(text, wholeCommand)
                                                          : manPageExamples(text, wholeCommand));
        CHECK_MESSAGE(!blocks.empty(), name << " has no examples");
        DocRun docRun(name);
        docRun.runBlocks(blocks);
        for (const std::string &failure : docRun.failures)
            FAIL_CHECK(failure);
        commands += docRun.commandsRun;
        skipped.insert(skipped.end(), docRun.skipped.begin(), docRun.skipped.end());
    }
    std::string list;
    for (const std::string &s : skipped)
        list += "\n  " + s;
    MESSAGE(fmt::format("{} commands run; {} blocks not run:{}", commands, skipped.size(), list));
    CHECK(commands > 100);
}

TEST_CASE("docs: examples are read as the reader sees them") {
    const std::string page =
        ".SH EXAMPLES\n"
        ".\\\" doc-test: setup rsmctl library add lib1 /dev/sg3\n"
        ".EX\n"
        "rsmctl \\-\\-json lmid list |\n"
        "    jq \\-r \\(aq.lmids[].name\\(aq\n"
        "0 6 * * *  root  rsmctl library probe lib1 >/dev/null\n"
        "rsmctl delete\\-media A1   # fails: ERROR_INVALID_STATE, allocated\n"
        ".EE\n"
        ".\\\" doc-test: skip a systemd drop-in\n"
        ".EX\n"
        "[Service]\n"
        ".EE\n";
    const auto blocks = manPageExamples(page, wholeCommand);
    REQUIRE(blocks.size() == 2);
    REQUIRE(blocks[0].commands.size() == 3);
    CHECK(blocks[0].setup == std::vector<std::string>{"rsmctl library add lib1 /dev/sg3"});
    CHECK(blocks[0].commands[0].text == "rsmctl --json lmid list |\n    jq -r '.lmids[].name'");
    CHECK(blocks[0].commands[0].line == 4);
    CHECK(blocks[0].commands[1].text == "rsmctl library probe lib1 >/dev/null");
    CHECK(blocks[0].commands[2].fails == "ERROR_INVALID_STATE");
    CHECK(blocks[1].kind == DocBlock::Kind::Skipped);
    CHECK(blocks[1].reason == "a systemd drop-in");
    CHECK_THROWS(manPageExamples(".SH EXAMPLES\n.\\\" doc-test: frobnicate\n", wholeCommand));
    CHECK_THROWS(manPageExamples(".SH EXAMPLES\n.EX\necho 'open\n.EE\n", wholeCommand));
}
