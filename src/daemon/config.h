#pragma once
// rsmd's configuration: the [rsmd] settings and the [library NAME] sections of rsmd.conf
// (src/daemon/rsmd.conf documents every key). Parsing is pure: groups are kept as written and
// resolved with resolveGroup() when rsmd starts.
// Thread-safety: values; parseConfig and loadConfig are reentrant.

#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"
#include "src/daemon/log.h"

namespace rsm::daemon {

// The schema directory and the config file of this installation (from meson's prefix).
std::string defaultSchemaDir();
std::string defaultConfigPath();

struct LibraryConfig {
    std::string name;                         // from [library NAME]
    std::string device;                       // /dev/sgN or iscsi://host[:port]/target-iqn/lun
    std::string description;                  // optional
    std::map<int, std::string> driveDevices;  // device.N = DEVICE: drive N's device by hand
    int line = 0;                             // of the section header, for messages
};

struct Config {
    std::string database = "dbname=rsm";  // libpq conninfo
    std::string socket = "/run/rsm/rsmd.sock";
    mode_t socketMode = 0660;
    std::string socketGroup = "rsm";  // name or number; empty: leave the group as it is
    std::string adminGroup;           // name or number; empty: only root administers
    int workers = 8;                  // handler threads
    int dbConnections = 8;
    std::string schemaDir = defaultSchemaDir();
    log::Level logLevel = log::Level::Info;
    std::chrono::seconds idleTimeout{60};
    std::chrono::seconds writeTimeout{30};
    std::chrono::seconds commandTimeout{60};            // SCSI commands (the classes below apart)
    std::optional<std::chrono::seconds> statusTimeout;  // READ ELEMENT STATUS; unset: command's
    std::chrono::seconds moveTimeout{300};              // MOVE MEDIUM, EXCHANGE, POSITION
    std::chrono::seconds initializeTimeout{1800};       // INITIALIZE ELEMENT STATUS
    std::string sysfsRoot = "/sys";           // where SCSI devices are discovered (tests: a tree of
    std::string devRoot = "/dev";             // their own making)
    std::chrono::seconds readyTimeout{600};   // a tape drive's load, until ready
    std::chrono::seconds dismountDelay{300};  // a DEFERRED dismount's wait
    std::string cleanerPrefix = "CLN";        // barcodes of cleaner cartridges ("": none)
    int cleanerUses = 50;                     // the uses of a new cleaner
    int maxConnections = 256;                 // clients at once, root and the admin group apart
    int maxConnectionsPerUid = 32;            // of one uid (root and the admin group apart)
    int adminConnections = 16;   // kept for root and the admin group beyond max_connections
    int maxQueuedRequests = 64;  // library requests of one session queued or running
    // A health reading makes a tape suspect at this many errors per GB, or at this many loads
    // (docs/health.md; engine::HealthThresholds).
    int suspectErrorsPerGb = 50;
    int suspectLoadCount = 5000;
    int cleanAfterMounts = 0;  // a drive is due for cleaning after so many mounts (0: off)
    // The retention: events older than this are purged, and sessions closed longer ago (zero:
    // kept for good), every purgeInterval.
    std::chrono::seconds eventRetention{30 * 86400};
    std::chrono::seconds sessionRetention{7 * 86400};
    std::chrono::seconds purgeInterval{3600};
    // How often the lifecycle sweep runs (docs/lifecycle.md; zero: only when asked, rsmctl
    // pool sweep).
    std::chrono::seconds lifecycleInterval{300};
    bool logSessionEvents = false;  // sessions opened and closed go to the event log
    // HOST:PORT of the Prometheus endpoint (GET /metrics); empty: none.
    std::string metricsListen;
    // notify_command: the program and its arguments (empty: no notifications), run for each
    // notable event (docs/notifications.md), and killed after notifyTimeout.
    std::vector<std::string> notifyCommand;
    std::chrono::seconds notifyTimeout{30};
    int notifyCommandLine = 0;             // where notify_command was set
    std::vector<LibraryConfig> libraries;  // in the order of the file
    std::string source;                    // the file, for messages
    int socketGroupLine = 0;               // where socket_group was set (0: the default)
    int adminGroupLine = 0;
};

// The longest socket path a sockaddr_un holds (its sun_path, less the final NUL).
constexpr std::size_t kMaxSocketPath = 107;

// Parses the text of a config file; source names it in messages ("rsmd.conf:12: ...").
// Errors are ERROR_INVALID_PARAMETER.
Result<Config> parseConfig(std::string_view text, const std::string &source);
// Reads and parses a file; a file that cannot be read is ERROR_INVALID_PARAMETER too.
Result<Config> loadConfig(const std::string &path);

// What parsing cannot see, as rsmd would meet it at start-up: the socket path's length (after
// a --socket override) and the socket and admin groups in the group database. Errors are
// ERROR_INVALID_PARAMETER with the file and the line ("rsmd.conf:4: socket_group: group 'x'
// does not exist"). rsmd --check-config runs it.
Result<void> checkSystem(const Config &config);

// A group given by name or number, as a gid; a name not in the group database is
// ERROR_INVALID_PARAMETER ("group 'rsm' does not exist").
Result<gid_t> resolveGroup(std::string_view nameOrNumber);

// A libpq connection string fit for a log: passwords (password=…, or user:…@ in a URI)
// replaced by "***".
std::string withoutPassword(const std::string &conninfo);

}  // namespace rsm::daemon
