#include "src/daemon/startup.h"

#include <thread>

#include "src/daemon/log.h"
#include "src/library/registration.h"

namespace rsm::daemon {

Result<std::optional<std::uint32_t>> adminGroupId(const Config &config) {
    if (config.adminGroup.empty())
        return std::optional<std::uint32_t>{};
    auto gid = resolveGroup(config.adminGroup);
    if (!gid)
        return gid.error().withContext("admin_group");
    return std::optional<std::uint32_t>(static_cast<std::uint32_t>(*gid));
}

ServerOptions serverOptions(const Config &config) {
    ServerOptions o;
    o.socketPath = config.socket;
    o.socketMode = config.socketMode;
    o.socketGroup = config.socketGroup;
    o.idleTimeout = config.idleTimeout;
    o.writeTimeout = config.writeTimeout;
    o.maxConnections = static_cast<std::size_t>(config.maxConnections);
    o.maxConnectionsPerUid = static_cast<std::size_t>(config.maxConnectionsPerUid);
    o.adminConnections = static_cast<std::size_t>(config.adminConnections);
    o.workers = static_cast<std::size_t>(config.workers);
    return o;
}

Result<std::unique_ptr<store::PgStore>> openStore(const Config &config,
                                                  std::function<void()> onCommit) {
    store::PgStoreOptions options;
    options.onCommit = std::move(onCommit);
    options.schemaDir = config.schemaDir;
    options.poolSize = config.dbConnections;
    // Many clients on a small database meet as SERIALIZABLE conflicts on the same index pages:
    // a conflict is retried (with a randomised backoff) rather than reported.
    options.maxRetries = 100;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    for (;;) {
        auto store = store::PgStore::open(config.database, options);
        if (store || store.error().code() != ErrorCode::DatabaseFailure ||
            std::chrono::steady_clock::now() > deadline)
            return store;
        log::warning("{}; retrying", store.error().toString());
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
}

namespace {

// device.N = DEVICE of a [library] section: set as by rsmctl drive set-device.
void setDriveDevices(engine::Engine &engine, const Uuid &session, const LibraryConfig &lib) {
    for (const auto &[number, device] : lib.driveDevices) {
        const std::string drive = lib.name + "/" + std::to_string(number);
        auto id = engine.findDrive(session, drive);
        auto set = id ? engine.setDriveDevice(session, *id, device) : Result<void>(id.error());
        if (!set)
            log::error("[library {}] device.{} (line {}): {}", lib.name, number, lib.line,
                       set.error().toString());
    }
}

}  // namespace

void registerLibraries(engine::Engine &engine, library::Robots &robots, const Config &config) {
    if (config.libraries.empty())
        return;
    auto session = engine.openSession(Principal{0, {0}}, "rsmd.conf");
    if (!session) {
        log::error("cannot register the configured libraries: {}", session.error().toString());
        return;
    }
    for (const LibraryConfig &lib : config.libraries) {
        if (engine.findLibrary(*session, lib.name).ok()) {
            setDriveDevices(engine, *session, lib);
            continue;  // known by name: the database is the record from now on
        }
        library::RegistrationStep failed{};
        auto registered = library::registerLibrary(
            engine, robots, *session, {lib.name, lib.device, lib.description}, &failed);
        if (registered) {
            const engine::NewLibrary &found = registered->library;
            log::notice("library {} registered: {} {}, {} drives, {} slots, {} ports", lib.name,
                        found.vendor.value_or("?"), found.product.value_or("?"),
                        found.drives.size(), found.slots.size(), found.ieports.size());
            setDriveDevices(engine, *session, lib);
            for (std::size_t i = 0; i < found.drives.size(); ++i)
                if (!found.drives[i].device && !lib.driveDevices.count(static_cast<int>(i)))
                    log::warning(
                        "library {}: drive {}/{} has no device ({}): set it with "
                        "rsmctl drive set-device {}/{} DEVICE or device.{} in [library "
                        "{}]",
                        lib.name, lib.name, i, found.drives[i].problem.value_or("?"), lib.name, i,
                        i, lib.name);
            continue;
        }
        const std::string error = registered.error().toString();
        switch (failed) {
            case library::RegistrationStep::Check:
                log::error("[library {}] (line {}): {}", lib.name, lib.line, error);
                break;
            case library::RegistrationStep::Probe:
                log::error("[library {}]: {}; not registered (rsmd tries again on reload)",
                           lib.name, error);
                break;
            case library::RegistrationStep::Add:
                log::error("[library {}]: {}", lib.name, error);
                break;
            case library::RegistrationStep::Start:
                log::error("library workers: {}", error);
                break;
        }
    }
    (void)engine.closeSession(*session);
}

void reload(const std::string &path, Config &config, engine::Engine &engine,
            library::Robots &robots, const std::function<void(const Config &)> &notify) {
    auto fresh = loadConfig(path);
    if (!fresh) {
        log::error("reload: {}; keeping the running configuration", fresh.error().toString());
        return;
    }
    auto admin = adminGroupId(*fresh);
    if (!admin) {
        log::error("reload: {}; keeping the running configuration", admin.error().toString());
        return;
    }
    if (fresh->database != config.database || fresh->socket != config.socket)
        log::warning("reload: database and socket changes take effect at the next start");
    log::setLevel(fresh->logLevel);
    engine.setAdminGid(*admin);
    config.logLevel = fresh->logLevel;
    config.adminGroup = fresh->adminGroup;
    config.libraries = fresh->libraries;
    if (fresh->notifyCommand != config.notifyCommand ||
        fresh->notifyTimeout != config.notifyTimeout) {
        if (auto checked = checkSystem(*fresh); !checked)
            log::error("reload: {}; notifications go on as before", checked.error().toString());
        else {
            config.notifyCommand = fresh->notifyCommand;
            config.notifyTimeout = fresh->notifyTimeout;
            config.notifyCommandLine = fresh->notifyCommandLine;
            if (notify)
                notify(config);
        }
    }
    registerLibraries(engine, robots, config);
    log::notice("configuration reloaded from {}", path);
}

}  // namespace rsm::daemon
