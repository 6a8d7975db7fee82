#pragma once
// The examples of rsm's documentation as the documentation test runs them: the ```sh blocks of
// README.md and the .EX/.EE (or .nf/.fi) blocks of each man page's EXAMPLES section, split
// into commands. Pure: text in, blocks out (tests/rsmd/test_docs.cc runs them).
//
// What a reader sees is what runs. Directives the reader does not see say how a block runs;
// they stand on the lines before the block, as `<!-- doc-test: … -->` in Markdown and
// `.\" doc-test: …` in roff:
//   skip REASON         the block is not run (a systemd drop-in, a command that changes the
//                       host); the test reports each one with its reason
//   setup COMMAND       a command run before the block (state a man page takes for granted,
//                       such as a library to work on); it must succeed
//   script PATH         the block is the script PATH (a cron job's), written and made
//                       executable before the commands that follow call it
//   file PATH           the block is the content of the file PATH
//   until-stopped N     each command of the block runs until it is stopped after N seconds
//                       (`watch`); ending by itself is a failure
//   new-library         the block gets a virtual library of its own, as it was at the start
// An expected failure is marked where the reader sees it, in a comment on the command's line
// that says it fails and names the RSM error: `rsmctl delete-media A00001L5  # fails:
// ERROR_INVALID_STATE, …`. A cron line (`0 6 * * *  root  COMMAND`) runs its command.
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <vector>

namespace rsm::test {

struct DocCommand {
    std::string text;  // as written, continuation lines included; roff escapes resolved
    int line = 0;      // its first line in the document
    std::optional<std::string> fails;  // the RSM error name it is marked to fail with
};

struct DocBlock {
    enum class Kind { Commands, Script, File, Skipped };
    Kind kind = Kind::Commands;
    int line = 0;                      // the block's first line
    std::string path;                  // Script and File: where it goes
    std::string reason;                // Skipped: why
    std::vector<std::string> setup;    // hidden commands run before the block
    std::vector<DocCommand> commands;  // Commands
    std::string body;                  // Script and File: the text
    int untilStoppedSeconds = 0;
    bool newLibrary = false;
};

// The example blocks of a Markdown document (every ```sh block) and of a man page (the blocks
// of its EXAMPLES section). A directive it does not know throws std::runtime_error, and so
// does a command left unfinished at the end of its block (`complete` says whether shell text
// is a whole command).
using CompleteCommand = bool (*)(const std::string &text);
std::vector<DocBlock> markdownExamples(const std::string &text, CompleteCommand complete);
std::vector<DocBlock> manPageExamples(const std::string &text, CompleteCommand complete);

// A roff line as the reader sees it: \- \(aq \e \(dq \& \(em resolved.
std::string unRoff(const std::string &line);

}  // namespace rsm::test
