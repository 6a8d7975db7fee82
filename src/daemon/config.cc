#include "src/daemon/config.h"

#include "src/daemon/metrics_listener.h"

#include <grp.h>
#include <unistd.h>

#include <sys/stat.h>
#include <sys/un.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <map>
#include <system_error>
#include <tuple>

#include <fmt/format.h>

#include "src/daemon/command_notifier.h"

#ifndef RSM_SCHEMA_DIR
#define RSM_SCHEMA_DIR "/usr/share/rsm/schema"
#endif
#ifndef RSM_CONFIG_PATH
#define RSM_CONFIG_PATH "/etc/rsm/rsmd.conf"
#endif

namespace rsm::daemon {

static_assert(kMaxSocketPath == sizeof(sockaddr_un::sun_path) - 1);

namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

bool allDigits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// A number without a sign: from_chars would take "-660" (socket_mode = -660 was a mode of
// 037777777120, found by tests/fuzz/fuzz_config).
std::optional<long> parseNumber(std::string_view s, int base = 10) {
    if (s.empty() || s.front() == '-')
        return std::nullopt;
    long value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty())
        return std::nullopt;
    return value;
}

constexpr std::size_t kMaxLibraryName = 64;              // the engine's names (src/engine/names.h)
constexpr std::string_view kOfflineLibrary = "Offline";  // schema/001_model.sql

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// 8-4-4-4-12 hex digits: what rsm reads as an object's id, never as a name.
bool uuidShaped(std::string_view name) {
    if (name.size() != 36)
        return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? name[i] != '-' : !std::isxdigit(static_cast<unsigned char>(name[i])))
            return false;
    }
    return true;
}

bool validLibraryName(std::string_view name) {
    return !name.empty() && name.find_first_not_of(
                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789._-") == std::string_view::npos;
}

// iscsi://host[:port]/target-iqn/lun, or a device node.
bool validDevice(std::string_view device) {
    if (device.starts_with("/"))
        return device.size() > 1 && !device.ends_with("/");
    constexpr std::string_view kScheme = "iscsi://";
    if (!device.starts_with(kScheme))
        return false;
    device.remove_prefix(kScheme.size());
    const auto slash1 = device.find('/');
    if (slash1 == std::string_view::npos || slash1 == 0)
        return false;
    const auto hostPort = device.substr(0, slash1);
    if (const auto colon = hostPort.rfind(':');
        colon != std::string_view::npos && hostPort.find(']') == std::string_view::npos) {
        const auto port = parseNumber(hostPort.substr(colon + 1));
        if (!port || *port < 1 || *port > 65535 || colon == 0)
            return false;
    }
    const auto rest = device.substr(slash1 + 1);
    const auto slash2 = rest.rfind('/');
    return slash2 != std::string_view::npos && slash2 > 0 && allDigits(rest.substr(slash2 + 1));
}

class Parser {
public:
    explicit Parser(const std::string &source) : source_(source) {}

    Result<Config> parse(std::string_view text) {
        while (!text.empty()) {
            const auto end = text.find('\n');
            const auto line = trim(text.substr(0, end));
            text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
            ++lineNumber_;
            if (line.empty() || line.front() == '#' || line.front() == ';')
                continue;
            auto result = line.front() == '[' ? section(line) : keyValue(line);
            if (!result)
                return result.error();
        }
        for (const auto &library : config_.libraries)
            if (library.device.empty())
                return error(library.line, fmt::format("[library {}] has no device", library.name));
        return std::move(config_);
    }

private:
    Error error(int line, const std::string &message) const {
        return Error(ErrorCode::InvalidParameter, fmt::format("{}:{}: {}", source_, line, message));
    }
    Error error(const std::string &message) const { return error(lineNumber_, message); }

    std::string sectionName() const {
        return library_ ? fmt::format("[library {}]", config_.libraries.back().name) : "[rsmd]";
    }

    Result<void> section(std::string_view line) {
        if (line.back() != ']')
            return error(fmt::format("section header '{}' has no closing ']'", line));
        const auto inner = trim(line.substr(1, line.size() - 2));
        if (inner == "rsmd") {
            inSection_ = true;
            library_ = false;
            return success();
        }
        if (inner != "library" && !inner.starts_with("library ") && !inner.starts_with("library\t"))
            return error(fmt::format("unknown section [{}]", inner));
        const auto name = trim(inner.substr(7));
        if (name.empty())
            return error("[library] needs a name: [library NAME]");
        if (!validLibraryName(name))
            return error(
                fmt::format("library name '{}' may only have letters, digits, '.', "
                            "'_' and '-'",
                            name));
        if (name.size() > kMaxLibraryName)
            return error(
                fmt::format("library name '{}' has {} characters; rsm's names have at "
                            "most {}",
                            name, name.size(), kMaxLibraryName));
        if (uuidShaped(name))
            return error(
                fmt::format("library name '{}' has the form of a UUID, and UUIDs name "
                            "objects by their id; choose another name",
                            name));
        if (equalsIgnoringCase(name, kOfflineLibrary))
            return error(
                fmt::format("library name '{}' is reserved for rsm's library of the "
                            "media outside any robot; choose another name",
                            name));
        for (const auto &library : config_.libraries)
            if (library.name == name)
                return error(fmt::format("[library {}] is defined twice (first on line {})", name,
                                         library.line));
        config_.libraries.push_back(LibraryConfig{std::string(name), {}, {}, {}, lineNumber_});
        inSection_ = true;
        library_ = true;
        return success();
    }

    Result<void> keyValue(std::string_view line) {
        const auto equals = line.find('=');
        if (equals == std::string_view::npos)
            return error(fmt::format("expected 'key = value' or a [section], got '{}'", line));
        const std::string key(trim(line.substr(0, equals)));
        if (key.empty())
            return error("a value has no key before its '='");
        if (!inSection_)
            return error(fmt::format("key '{}' is outside a section; put it under [rsmd]", key));
        auto value = unquote(trim(line.substr(equals + 1)));
        if (!value)
            return value.error();
        const std::string where = sectionName();
        auto [seen, inserted] = seen_.emplace(where + " " + key, lineNumber_);
        if (!inserted)
            return error(fmt::format("'{}' is set twice in {} (first on line {})", key, where,
                                     seen->second));
        if (library_)
            return libraryKey(key, *value);
        return rsmdKey(key, *value);
    }

    Result<std::string> unquote(std::string_view value) const {
        if (value.empty() || value.front() != '"')
            return std::string(value);
        std::string out;
        for (std::size_t i = 1; i < value.size(); ++i) {
            const char c = value[i];
            if (c == '\\' && i + 1 < value.size()) {
                out += value[++i];
            } else if (c == '"') {
                if (!trim(value.substr(i + 1)).empty())
                    return error("unexpected text after the closing quote");
                return out;
            } else {
                out += c;
            }
        }
        return error("quoted value has no closing quote");
    }

    Result<void> libraryKey(const std::string &key, const std::string &value) {
        auto &library = config_.libraries.back();
        if (key == "device") {
            if (!validDevice(value))
                return error(
                    fmt::format("device must be /dev/sgN (an absolute path) or "
                                "iscsi://host[:port]/target-iqn/lun, not '{}'",
                                value));
            library.device = value;
        } else if (key == "description") {
            library.description = value;
        } else if (key.starts_with("device.")) {
            // device.N = DEVICE: drive N's device by hand (rsmctl drive set-device).
            const auto n = parseNumber(key.substr(7));
            if (!n || *n < 0 || *n > 65535)
                return error(
                    fmt::format("'{}': a drive's device is device.N with N its number "
                                "(0, 1, … as rsmctl drive list shows)",
                                key));
            if (!validDevice(value))
                return error(
                    fmt::format("{} must be a device path or iscsi:// URL, not '{}'", key, value));
            library.driveDevices[static_cast<int>(*n)] = value;
        } else {
            return error(fmt::format("unknown key '{}' in [library {}]", key, library.name));
        }
        return success();
    }

    Result<int> count(const std::string &key, const std::string &value, long max) const {
        const auto n = parseNumber(value);
        if (!n || *n < 1 || *n > max)
            return error(fmt::format("{} must be a whole number from 1 to {}", key, max));
        return static_cast<int>(*n);
    }

    Result<std::chrono::seconds> seconds(const std::string &key, const std::string &value) const {
        const auto n = parseNumber(value);
        if (!n || *n < 1 || *n > 86400)
            return error(fmt::format("{} must be a number of seconds from 1 to 86400", key));
        return std::chrono::seconds(*n);
    }

    // A duration: a whole number with an optional unit s, m, h or d (seconds without one);
    // zero only where `zero` allows it.
    Result<std::chrono::seconds> duration(const std::string &key, const std::string &value,
                                          bool zero) const {
        std::string_view number = value;
        long long unit = 1;
        if (!number.empty()) {
            switch (number.back()) {
                case 's':
                    unit = 1;
                    break;
                case 'm':
                    unit = 60;
                    break;
                case 'h':
                    unit = 3600;
                    break;
                case 'd':
                    unit = 86400;
                    break;
                default:
                    unit = 0;
                    break;
            }
            if (unit != 0)
                number.remove_suffix(1);
            else
                unit = 1;
        }
        const auto n = parseNumber(number);
        const long long max = 3650LL * 86400 / unit;
        if (!n || *n < (zero ? 0 : 1) || *n > max)
            return error(
                fmt::format("{} must be a duration like 30d, 12h, 90m or 3600s (at most "
                            "3650 days{})",
                            key, zero ? "; 0 keeps everything" : ""));
        return std::chrono::seconds(*n * unit);
    }

    Result<bool> flag(const std::string &key, const std::string &value) const {
        if (value == "yes" || value == "true" || value == "on" || value == "1")
            return true;
        if (value == "no" || value == "false" || value == "off" || value == "0")
            return false;
        return error(fmt::format("{} must be yes or no", key));
    }

    Result<void> rsmdKey(const std::string &key, const std::string &value);

    std::string source_;
    Config config_;
    int lineNumber_ = 0;
    bool inSection_ = false;
    bool library_ = false;
    std::map<std::string, int> seen_;  // "[section] key" -> line
};

// Assigns a Result's value to a field, or returns its error.
#define RSM_CONFIG_SET(field, expr)     \
    do {                                \
        auto set_result_ = (expr);      \
        if (!set_result_)               \
            return set_result_.error(); \
        field = *set_result_;           \
    } while (0)

Result<void> Parser::rsmdKey(const std::string &key, const std::string &value) {
    if (key == "database") {
        config_.database = value;
    } else if (key == "socket") {
        if (value.empty() || value.front() != '/')
            return error("socket must be an absolute path");
        if (value.size() > kMaxSocketPath)
            return error(
                fmt::format("socket path has {} bytes; a Unix socket's path has at most "
                            "{} (sun_path)",
                            value.size(), kMaxSocketPath));
        config_.socket = value;
    } else if (key == "socket_mode") {
        const auto mode = parseNumber(value, 8);
        if (value.size() < 3 || value.size() > 4 || !mode || *mode > 0777)
            return error("socket_mode must be an octal mode like 0660");
        config_.socketMode = static_cast<mode_t>(*mode);
    } else if (key == "socket_group") {
        config_.socketGroup = value;
        config_.socketGroupLine = lineNumber_;
    } else if (key == "admin_group") {
        config_.adminGroup = value;
        config_.adminGroupLine = lineNumber_;
    } else if (key == "workers") {
        RSM_CONFIG_SET(config_.workers, count(key, value, 1024));
    } else if (key == "db_connections") {
        RSM_CONFIG_SET(config_.dbConnections, count(key, value, 1024));
    } else if (key == "schema_dir") {
        if (value.empty())
            return error("schema_dir must not be empty");
        config_.schemaDir = value;
    } else if (key == "log_level") {
        const auto level = log::parseLevel(value);
        if (!level)
            return error("log_level must be one of error, warning, notice, info, debug");
        config_.logLevel = *level;
    } else if (key == "idle_timeout") {
        RSM_CONFIG_SET(config_.idleTimeout, seconds(key, value));
    } else if (key == "write_timeout") {
        RSM_CONFIG_SET(config_.writeTimeout, seconds(key, value));
    } else if (key == "command_timeout") {
        RSM_CONFIG_SET(config_.commandTimeout, seconds(key, value));
    } else if (key == "status_timeout") {
        std::chrono::seconds t{};
        RSM_CONFIG_SET(t, seconds(key, value));
        config_.statusTimeout = t;
    } else if (key == "move_timeout") {
        RSM_CONFIG_SET(config_.moveTimeout, seconds(key, value));
    } else if (key == "initialize_timeout") {
        RSM_CONFIG_SET(config_.initializeTimeout, seconds(key, value));
    } else if (key == "sysfs_root" || key == "dev_root") {
        if (!value.starts_with("/"))
            return error(fmt::format("{} must be an absolute path", key));
        (key == "sysfs_root" ? config_.sysfsRoot : config_.devRoot) = value;
    } else if (key == "ready_timeout") {
        RSM_CONFIG_SET(config_.readyTimeout, seconds(key, value));
    } else if (key == "dismount_delay") {
        RSM_CONFIG_SET(config_.dismountDelay, seconds(key, value));
    } else if (key == "cleaner_prefix") {
        if (value.size() > 16)
            return error("cleaner_prefix has at most 16 characters");
        config_.cleanerPrefix = value;
    } else if (key == "cleaner_uses") {
        RSM_CONFIG_SET(config_.cleanerUses, count(key, value, 10000));
    } else if (key == "suspect_errors_per_gb") {
        RSM_CONFIG_SET(config_.suspectErrorsPerGb, count(key, value, 1000000));
    } else if (key == "suspect_load_count") {
        RSM_CONFIG_SET(config_.suspectLoadCount, count(key, value, 1000000));
    } else if (key == "clean_after_mounts") {
        const auto n = parseNumber(value);
        if (!n || *n > 1000000)
            return error("clean_after_mounts must be a whole number from 0 (off) to 1000000");
        config_.cleanAfterMounts = static_cast<int>(*n);
    } else if (key == "max_connections") {
        RSM_CONFIG_SET(config_.maxConnections, count(key, value, 65536));
    } else if (key == "max_queued_requests") {
        RSM_CONFIG_SET(config_.maxQueuedRequests, count(key, value, 100000));
    } else if (key == "max_connections_per_uid") {
        RSM_CONFIG_SET(config_.maxConnectionsPerUid, count(key, value, 65536));
    } else if (key == "admin_connections") {
        RSM_CONFIG_SET(config_.adminConnections, count(key, value, 1024));
    } else if (key == "event_retention") {
        RSM_CONFIG_SET(config_.eventRetention, duration(key, value, true));
    } else if (key == "session_retention") {
        RSM_CONFIG_SET(config_.sessionRetention, duration(key, value, true));
    } else if (key == "purge_interval") {
        RSM_CONFIG_SET(config_.purgeInterval, duration(key, value, false));
    } else if (key == "lifecycle_interval") {
        RSM_CONFIG_SET(config_.lifecycleInterval, duration(key, value, true));
    } else if (key == "log_session_events") {
        RSM_CONFIG_SET(config_.logSessionEvents, flag(key, value));
    } else if (key == "metrics_listen") {
        if (!value.empty())
            if (auto address = parseListenAddress(std::string(value)); !address)
                return error(address.error().message());
        config_.metricsListen = std::string(value);
    } else if (key == "notify_command") {
        auto words = splitCommandLine(value);
        if (!words)
            return error(fmt::format("notify_command: {}", words.error().message()));
        if (!words->empty() && !words->front().starts_with("/"))
            return error(
                "notify_command must start with the program's absolute path (it is run "
                "without a shell or a PATH search)");
        config_.notifyCommand = std::move(*words);
        config_.notifyCommandLine = lineNumber_;
    } else if (key == "notify_timeout") {
        RSM_CONFIG_SET(config_.notifyTimeout, seconds(key, value));
    } else {
        return error(fmt::format("unknown key '{}' in [rsmd]", key));
    }
    return success();
}

#undef RSM_CONFIG_SET

}  // namespace

std::string defaultSchemaDir() {
    return RSM_SCHEMA_DIR;
}

std::string defaultConfigPath() {
    return RSM_CONFIG_PATH;
}

Result<Config> parseConfig(std::string_view text, const std::string &source) {
    auto config = Parser(source).parse(text);
    if (config)
        config->source = source;
    return config;
}

Result<void> checkSystem(const Config &config) {
    const auto where = [&](int line) {
        return line > 0 ? fmt::format("{}:{}: ", config.source, line)
                        : fmt::format("{}: ", config.source);
    };
    if (config.socket.size() > kMaxSocketPath)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("{}socket path {} has {} bytes; a Unix socket's path has at most "
                                 "{} (sun_path)",
                                 where(0), config.socket, config.socket.size(), kMaxSocketPath));
    for (const auto &[key, value, line] :
         {std::tuple{"socket_group", config.socketGroup, config.socketGroupLine},
          std::tuple{"admin_group", config.adminGroup, config.adminGroupLine}}) {
        if (value.empty())
            continue;
        if (auto gid = resolveGroup(value); !gid)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("{}{}: {}{}", where(line), key, gid.error().message(),
                                     line > 0 ? "" : " (the default; set it in [rsmd])"));
    }
    if (!config.notifyCommand.empty()) {
        const std::string &program = config.notifyCommand.front();
        struct stat st {};
        if (::stat(program.c_str(), &st) != 0)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("{}notify_command: {}: {}", where(config.notifyCommandLine),
                                     program, std::system_category().message(errno)));
        if (!S_ISREG(st.st_mode) || ::access(program.c_str(), X_OK) != 0)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("{}notify_command: {} is not an executable file",
                                     where(config.notifyCommandLine), program));
    }
    return success();
}

Result<Config> loadConfig(const std::string &path) {
    std::FILE *file = std::fopen(path.c_str(), "re");
    if (file == nullptr)
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("cannot read {}: {}", path, std::system_category().message(errno)));
    std::string text;
    char buffer[8192];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        text.append(buffer, n);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed)
        return Error(ErrorCode::InvalidParameter, fmt::format("cannot read {}", path));
    return parseConfig(text, path);
}

Result<gid_t> resolveGroup(std::string_view nameOrNumber) {
    if (allDigits(nameOrNumber)) {
        const auto gid = parseNumber(nameOrNumber);
        if (!gid || *gid >= 0xffffffffL)
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("group number {} is out of range", nameOrNumber));
        return static_cast<gid_t>(*gid);
    }
    const std::string name(nameOrNumber);
    if (name.empty())
        return Error(ErrorCode::InvalidParameter, "empty group name");
    std::vector<char> buffer(16384);
    struct group entry {};
    struct group *found = nullptr;
    int rc = 0;
    while ((rc = getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found)) ==
               ERANGE &&
           buffer.size() < (1u << 24))
        buffer.resize(buffer.size() * 2);
    if (found != nullptr)
        return found->gr_gid;
    if (rc != 0 && rc != ENOENT && rc != ESRCH)
        return Error(ErrorCode::InvalidParameter, fmt::format("cannot look up group '{}': {}", name,
                                                              std::system_category().message(rc)));
    return Error(ErrorCode::InvalidParameter, fmt::format("group '{}' does not exist", name));
}

std::string withoutPassword(const std::string &conninfo) {
    // The keyword/value form as libpq reads it (conninfo_parse): `key [space] = [space] value`,
    // separated by any white space (isspace: tabs and newlines too); a value is 'quoted' with
    // \' and \\ escapes, or runs to the next white space with \ escaping one character.
    const auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    std::string out;
    const std::string &in = conninfo;
    const bool uri = in.rfind("postgresql://", 0) == 0 || in.rfind("postgres://", 0) == 0;
    std::size_t i = 0;
    while (!uri && i < in.size()) {
        const std::size_t keyBegin = i;
        while (i < in.size() && space(in[i]))
            ++i;
        std::size_t keyStart = i;
        while (i < in.size() && !space(in[i]) && in[i] != '=')
            ++i;
        const std::string key = in.substr(keyStart, i - keyStart);
        while (i < in.size() && space(in[i]))
            ++i;
        if (i >= in.size() || in[i] != '=') {  // not conninfo libpq accepts: keep it as it is
            out += in.substr(keyBegin);
            return out;
        }
        ++i;
        while (i < in.size() && space(in[i]))
            ++i;
        out += in.substr(keyBegin, i - keyBegin);
        const std::size_t valueBegin = i;
        if (i < in.size() && in[i] == '\'') {
            for (++i; i < in.size() && in[i] != '\''; ++i)
                if (in[i] == '\\')
                    ++i;
            i = std::min(i + 1, in.size());
        } else {
            for (; i < in.size() && !space(in[i]); ++i)
                if (in[i] == '\\')
                    ++i;
            i = std::min(i, in.size());
        }
        const bool secret = key == "password" || key == "sslpassword";
        out += secret ? std::string("***") : in.substr(valueBegin, i - valueBegin);
    }
    if (!uri)
        return out;
    // The URI form: postgresql://user:password@host/db?password=…&…
    out = in;
    const std::size_t scheme = out.find("://") + 3;
    const std::size_t at = out.find('@', scheme);
    const std::size_t colon = out.find(':', scheme);
    const std::size_t slash = out.find('/', scheme);
    if (at != std::string::npos && colon != std::string::npos && colon < at && at < slash)
        out.replace(colon + 1, at - colon - 1, "***");
    for (std::size_t q = out.find('?'); q != std::string::npos; q = out.find('&', q + 1)) {
        if (out.compare(q + 1, 9, "password=") != 0)
            continue;
        const std::size_t begin = q + 10;
        const std::size_t end = std::min(out.find('&', begin), out.size());
        out.replace(begin, end - begin, "***");
    }
    return out;
}

}  // namespace rsm::daemon
