#pragma once
// What every rsmctl command gets: the chosen printer, the exit status it sets, and the
// connection to rsmd, made on the first command that needs it (changer commands never do).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/cli/client.h"
#include "src/cli/printer.h"

namespace CLI {
class App;
}

namespace rsm::cli {

struct Context {
    bool json = false;
    TableOptions table;          // --utc, --wide
    std::string socket;          // --socket; empty: $RSM_SOCKET or the default
    double timeoutSeconds = 30;  // --timeout: connecting and each reply; 0: no limit
    std::unique_ptr<Printer> printer;
    std::unique_ptr<Client> client;
    int exitCode = 0;
    // Called when rsmd's reply (or the failure to get one) comes, before anything is printed:
    // a progress line erases itself (progress.h).
    std::function<void()> replied;

    // Prints the error and sets exit status 1.
    void fail(const Error &error) {
        printer->error(error);
        exitCode = 1;
    }

    // The connection to rsmd, made (with hello) on first use.
    Result<Client *> daemon();
    // How long a verb that waits for a robot may take: --timeout, but at least an hour.
    Timeout robotTimeout() const;

    // Calls verb with fields; on success hands the result to `show`, else prints the Error.
    void call(const std::string &verb, nlohmann::json fields,
              const std::function<void(const nlohmann::json &)> &show,
              std::optional<Timeout> timeout = {});
    // A list verb printed as a table of `kind`, a show verb as its listing.
    void list(const std::string &verb, nlohmann::json fields, const char *kind);
    void show(const std::string &verb, nlohmann::json fields, const char *kind);
    // A verb that changes something: `what` is the confirmation people see.
    void change(const std::string &verb, nlohmann::json fields, const std::string &what,
                std::optional<Timeout> timeout = {});

    // After the command: closes the session, if one was opened.
    void finish();
};

// One row of the command table in commands.cc: a group of subcommands ("library", "pool", …)
// or a command of its own ("swap", "allocate", …). `add` adds the subcommands, or the
// options and callback of the command itself.
enum class Shape { Group, Command };

struct CommandGroup {
    const char *name;
    const char *help;
    void (*add)(CLI::App &app, Context &context);
    Shape shape = Shape::Group;
};

const std::vector<CommandGroup> &commandGroups();

// Adds `name` to fields when it was given (an optional field of the protocol).
void addIfGiven(nlohmann::json &fields, const char *name, const std::string &value);

void addChangerCommands(CLI::App &group, Context &context);
void addLibraryCommands(CLI::App &group, Context &context);
void addDriveCommands(CLI::App &group, Context &context);
void addMediaCommands(CLI::App &group, Context &context);
// health_commands.cc: media health and clear-suspect (added to the media group), drive
// clear-suspect (to the drive group), and media show with its latest health reading.
void addMediaHealthCommands(CLI::App &group, Context &context);
void addDriveSuspectCommand(CLI::App &group, Context &context);
void showMediaWithHealth(Context &context, const std::string &media);
void addMediaTypeCommands(CLI::App &group, Context &context);
void addDeleteMediaCommand(CLI::App &command, Context &context);
void addMoveToPoolCommand(CLI::App &command, Context &context);
void addDecommissionCommand(CLI::App &command, Context &context);
void addPoolCommands(CLI::App &group, Context &context);
void addVaultCommands(CLI::App &group, Context &context);
// pool policy, pool sweep; media state; media list --due/--expired (lifecycle_commands.cc).
void addPoolLifecycleCommands(CLI::App &group, Context &context);
void addMediaLifecycleCommands(CLI::App &group, Context &context);
void listRetention(Context &context, const std::string &pool, bool expired);
void addLmidCommands(CLI::App &group, Context &context);
void addAllocateCommand(CLI::App &command, Context &context);
void addDeallocateCommand(CLI::App &command, Context &context);
void addSwapCommand(CLI::App &command, Context &context);
void addCompleteCommand(CLI::App &command, Context &context);
void addAclCommands(CLI::App &group, Context &context);
void addRequestCommands(CLI::App &group, Context &context);
void addWatchCommand(CLI::App &command, Context &context);
void addObjectCommands(CLI::App &group, Context &context);
void addMountCommand(CLI::App &command, Context &context);
void addDismountCommand(CLI::App &command, Context &context);
void addAuditCommand(CLI::App &command, Context &context);
void addStatusCommand(CLI::App &command, Context &context);
void addInventoryCommand(CLI::App &command, Context &context);
void addInjectCommand(CLI::App &command, Context &context);
void addEjectCommand(CLI::App &command, Context &context);
void addCleanCommand(CLI::App &command, Context &context);
void addMtxCommand(CLI::App &command, Context &context);

}  // namespace rsm::cli
