// rsmd: the rsm daemon. Reads rsmd.conf, opens the database (applying migrations), starts a
// worker per library and the watch feed, registers the libraries the config names, and serves
// the protocol on its Unix socket until SIGTERM. SIGHUP re-reads the config.

#include <csignal>
#include <iostream>
#include <optional>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "src/daemon/command_notifier.h"
#include "src/daemon/config.h"
#include "src/daemon/log.h"
#include "src/daemon/metrics_listener.h"
#include "src/daemon/notify.h"
#include "src/daemon/server.h"
#include "src/daemon/startup.h"
#include "src/service/change_signal.h"
#include "src/service/dispatcher.h"
#include "src/service/lifecycle_job.h"
#include "src/service/metrics.h"
#include "src/service/notify_feed.h"
#include "src/service/retention.h"
#include "src/store/pg_store.h"

namespace {

using namespace rsm;
using namespace rsm::daemon;

constexpr const char *kVersion = "rsmd 0.1.0";

struct Options {
    std::string config = defaultConfigPath();
    std::string socket;
    bool checkConfig = false;
};

int fail(const Error &e) {
    log::error("{}", e.toString());
    std::cerr << "rsmd: " << e.toString() << "\n";
    return 1;
}

// rsmd's own gauges at each scrape: its connections, sessions and database pool.
service::GaugeReader daemonGauges(const Server &server, const service::Dispatcher &dispatcher,
                                  const store::PgStore &store) {
    return [&server, &dispatcher, &store] {
        using service::metrics::Family;
        using service::metrics::Type;
        auto one = [](const char *name, const char *help, Type type, double value) {
            return Family{name, help, type, {{{}, value, {}}}};
        };
        return std::vector<Family>{
            one("rsm_connections", "Protocol connections open", Type::Gauge,
                static_cast<double>(server.connectionCount())),
            one("rsm_sessions", "Sessions open on this rsmd's connections", Type::Gauge,
                static_cast<double>(dispatcher.openSessions())),
            one("rsm_database_connections", "Database connections open", Type::Gauge,
                store.openConnections()),
            one("rsm_database_retries_total",
                "Database transactions run again after a conflict (serialization failure, "
                "deadlock, a key taken first)",
                Type::Counter, static_cast<double>(store.retries()))};
    };
}

int serve(const Options &options, Config config) {
    auto adminGid = adminGroupId(config);
    if (!adminGid)
        return fail(adminGid.error());
    log::info("{} starting; database \"{}\", schema {}", kVersion, withoutPassword(config.database),
              config.schemaDir);
    notify::status("connecting to the database");
    service::ChangeSignal changes;  // woken after each commit: the event feed looks at the log
    service::ChangeSignal notifyChanges;  // and the notifications' feed
    auto store = openStore(config, [&changes, &notifyChanges] {
        changes.raise();
        notifyChanges.raise();
    });
    if (!store)
        return fail(store.error());
    engine::HealthThresholds health;
    health.errorsPerGigabyte = config.suspectErrorsPerGb;
    health.loadCount = static_cast<std::uint64_t>(config.suspectLoadCount);
    health.cleanAfterMounts = config.cleanAfterMounts;
    engine::Engine engine(
        **store, engine::EngineConfig{*adminGid, config.cleanerPrefix, config.cleanerUses,
                                      config.maxQueuedRequests, config.logSessionEvents, health,
                                      &environmentClock()});
    service::MetricsCollector metrics(engine);
    library::RobotOptions robotOptions;
    robotOptions.moved = [&metrics](const std::string &library, double seconds, bool ok) {
        metrics.moved(library, seconds, ok);
    };
    robotOptions.healthRead = [&metrics](const engine::HealthRecord &reading) {
        metrics.health(reading.driveId, reading.health);
    };
    robotOptions.probe.commandTimeout = config.commandTimeout;
    robotOptions.probe.statusTimeout = config.statusTimeout.value_or(config.commandTimeout);
    robotOptions.probe.moveTimeout = config.moveTimeout;
    robotOptions.probe.initializeTimeout = config.initializeTimeout;
    robotOptions.probe.discovery = {config.sysfsRoot, config.devRoot};
    robotOptions.readyTimeout = config.readyTimeout;
    robotOptions.dismountDelay = config.dismountDelay;
    robotOptions.log = [](library::RobotLog level, const std::string &message) {
        log::message(level == library::RobotLog::Warning ? log::Level::Warning
                     : level == library::RobotLog::Info  ? log::Level::Info
                                                         : log::Level::Debug,
                     "{}", message);
    };
    engine::Ledger ledger(**store);
    library::Robots robots(engine, ledger, robotOptions);
    if (auto started = robots.start(); !started)
        return fail(started.error());
    registerLibraries(engine, robots, config);

    service::EventFeed feed(
        engine, [&](std::chrono::milliseconds timeout) { return changes.wait(timeout); });
    feed.start();
    const service::JobReport toLog = [](bool failed, const std::string &line) {
        if (failed)
            log::warning("{}", line);
        else
            log::info("{}", line);
    };
    const service::RetentionOptions retained{config.eventRetention, config.sessionRetention,
                                             config.purgeInterval, toLog};
    service::PeriodicJob retention(service::purgeInterval(retained),
                                   service::purgeWork(engine, retained));
    retention.start();
    service::PeriodicJob lifecycle(config.lifecycleInterval, service::sweepWork(engine, toLog));
    lifecycle.start();
    // notify_command: a feed of notable events, and a thread that runs the program for each.
    CommandNotifier notifier(config.notifyCommand, config.notifyTimeout);
    service::NotifyFeed notifyFeed(
        engine, [&](std::chrono::milliseconds timeout) { return notifyChanges.wait(timeout); },
        [&notifier](const service::Notification &n) {
            notifier.submit(NotifyJob{n.environment(), n.json(), n.label()});
        },
        [](const std::string &text) { log::warning("{}", text); });
    if (!config.notifyCommand.empty()) {
        notifier.start();
        notifyFeed.start();
        log::info("notifications: {} (timeout {} s)", config.notifyCommand.front(),
                  config.notifyTimeout.count());
    }
    service::DispatcherOptions dispatch;
    dispatch.serverName = kVersion;
    dispatch.warn = [](const std::string &text) { log::warning("{}", text); };
    dispatch.observe = [&metrics](std::string_view verb, std::optional<ErrorCode> error) {
        metrics.request(verb, error);
    };
    service::Dispatcher dispatcher(service::Services{engine, robots, feed}, dispatch);

    boost::asio::io_context io;
    ServerOptions serving = serverOptions(config);
    serving.privileged = [&engine](const Principal &p) { return engine.isAdministrator(p); };
    Server server(io, std::move(serving), dispatcher);
    if (auto listening = server.listen(); !listening)
        return fail(listening.error());
    log::notice("listening on {}{}", config.socket,
                server.activated() ? " (socket activation)" : "");

    metrics.addGauges(daemonGauges(server, dispatcher, **store));
    std::optional<MetricsListener> metricsListener;
    if (!config.metricsListen.empty()) {
        auto address = parseListenAddress(config.metricsListen);
        if (!address)
            return fail(address.error());
        metricsListener.emplace(*address, [&metrics] { return metrics.scrape(); });
        if (auto started = metricsListener->start(); !started)
            return fail(started.error());
        log::notice("metrics on http://{}:{}/metrics",
                    config.metricsListen.substr(0, config.metricsListen.rfind(':')),
                    metricsListener->port());
    }

    boost::asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);
    std::function<void(const boost::system::error_code &, int)> onSignal =
        [&](const boost::system::error_code &ec, int signal) {
            if (ec)
                return;
            if (signal == SIGHUP) {
                notify::reloading();
                reload(options.config, config, engine, robots, [&](const Config &fresh) {
                    notifier.setCommand(fresh.notifyCommand, fresh.notifyTimeout);
                    if (!fresh.notifyCommand.empty()) {
                        notifier.start();
                        notifyFeed.start();
                    }
                    log::notice("notifications: {}", fresh.notifyCommand.empty()
                                                         ? std::string("off")
                                                         : fresh.notifyCommand.front());
                });
                notify::ready("reloaded");
                signals.async_wait(onSignal);
                return;
            }
            log::notice("stopping on signal {}", signal);
            notify::stopping();
            server.stop();
        };
    signals.async_wait(onSignal);
    notify::ready("serving");
    io.run();

    if (metricsListener)
        metricsListener->stop();
    retention.stop();
    lifecycle.stop();
    notifyFeed.stop();
    notifier.stop();
    feed.stop();
    robots.stop();
    log::notice("stopped");
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    std::signal(SIGPIPE, SIG_IGN);
    Options options;
    CLI::App app("rsmd: the rsm tape-library daemon", "rsmd");
    app.add_option("--config", options.config, "Configuration file")->capture_default_str();
    app.add_option("--socket", options.socket, "Unix socket path (overrides the config)");
    app.add_flag("--check-config", options.checkConfig, "Check the configuration and exit");
    app.set_version_flag("--version", kVersion);
    CLI11_PARSE(app, argc, argv);

    auto config = loadConfig(options.config);
    if (!config)
        return fail(config.error());
    if (!options.socket.empty())
        config->socket = options.socket;
    log::setLevel(config->logLevel);
    if (options.checkConfig) {
        if (auto checked = checkSystem(*config); !checked)
            return fail(checked.error());
        std::cout << options.config << ": OK (" << config->libraries.size() << " libraries)\n";
        return 0;
    }
    return serve(options, std::move(*config));
}
