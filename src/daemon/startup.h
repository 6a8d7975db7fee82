#pragma once
// What rsmd does with its configuration: open the store (waiting a while for a database that is
// still starting), register the libraries the config names, and apply a reloaded config.
// Thread-safety: called from rsmd's main thread.

#include <functional>
#include <memory>
#include <optional>

#include "src/daemon/config.h"
#include "src/daemon/server.h"
#include "src/engine/engine.h"
#include "src/library/robots.h"
#include "src/store/pg_store.h"

namespace rsm::daemon {

// The admin group's gid, or none when the config names no admin group.
Result<std::optional<std::uint32_t>> adminGroupId(const Config &config);

ServerOptions serverOptions(const Config &config);

// Opens the database and applies migrations; retries for up to a minute while the server
// refuses connections (PostgreSQL starting beside rsmd). `onCommit` runs after each commit.
Result<std::unique_ptr<store::PgStore>> openStore(const Config &config,
                                                  std::function<void()> onCommit);

// Registers each [library] of the config that the database does not know by name
// (library::registerLibrary). A robot that cannot be reached is logged and left out; rsmd runs
// without it.
void registerLibraries(engine::Engine &engine, library::Robots &robots, const Config &config);

// SIGHUP: re-reads the file; applies the log level, the admin group, new libraries and, through
// `notify`, notify_command and notify_timeout. A file with errors is logged and the running
// config kept.
void reload(const std::string &path, Config &config, engine::Engine &engine,
            library::Robots &robots, const std::function<void(const Config &)> &notify = {});

}  // namespace rsm::daemon
