// rsmd.conf: defaults, every key, [library] sections, quoting, and each error with its line.

#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "src/daemon/config.h"
#include "src/daemon/metrics_listener.h"
#include "tests/daemon/server_fixture.h"

namespace rsm::daemon::test {

namespace {

std::string errorOf(std::string_view text) {
    auto config = parseConfig(text, "rsmd.conf");
    if (config.ok())
        return "(no error)";
    CHECK(config.error().code() == ErrorCode::InvalidParameter);
    return config.error().message();
}

void checkDefaults(const Config &config) {
    CHECK(config.database == "dbname=rsm");
    CHECK(config.socket == "/run/rsm/rsmd.sock");
    CHECK(config.socketMode == 0660);
    CHECK(config.socketGroup == "rsm");
    CHECK(config.adminGroup == "");
    CHECK(config.workers == 8);
    CHECK(config.dbConnections == 8);
    CHECK(config.logLevel == log::Level::Info);
    CHECK(config.idleTimeout == std::chrono::seconds(60));
    CHECK(config.writeTimeout == std::chrono::seconds(30));
    CHECK(config.commandTimeout == std::chrono::seconds(60));
    CHECK(config.maxConnections == 256);
    CHECK(config.notifyCommand.empty());
    CHECK(config.notifyTimeout == std::chrono::seconds(30));
    CHECK(config.suspectErrorsPerGb == 50);
    CHECK(config.suspectLoadCount == 5000);
}

std::string shippedConfig() {
    std::ifstream in(RSM_SOURCE_DIR "/src/daemon/rsmd.conf");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("config: an empty file gives the defaults") {
    auto config = parseConfig("", "rsmd.conf");
    REQUIRE(config.ok());
    checkDefaults(*config);
    CHECK(config->schemaDir == defaultSchemaDir());
    CHECK(config->schemaDir.ends_with("/share/rsm/schema"));
    CHECK(config->libraries.empty());
}

TEST_CASE("config: the shipped rsmd.conf parses, and its commented defaults are the defaults") {
    auto shipped = parseConfig(shippedConfig(), "rsmd.conf");
    REQUIRE(shipped.ok());
    checkDefaults(*shipped);
    CHECK(shipped->libraries.empty());

    // Uncomment every setting and the example library: still the defaults.
    std::istringstream lines(shippedConfig());
    std::string line, uncommented;
    while (std::getline(lines, line)) {
        if (line.size() > 1 && line[0] == '#' && (std::isalpha(line[1]) || line[1] == '['))
            line.erase(0, 1);
        uncommented += line + "\n";
    }
    auto config = parseConfig(uncommented, "rsmd.conf");
    REQUIRE_MESSAGE(config.ok(), config.error().message());
    checkDefaults(*config);
    CHECK(config->schemaDir == "/usr/share/rsm/schema");
    REQUIRE(config->libraries.size() == 1);
    CHECK(config->libraries[0].name == "vtl");
    CHECK(config->libraries[0].device == "iscsi://127.0.0.1:3260/iqn.2024-01.test.rsm:vtl/1");
    CHECK(config->libraries[0].description == "the virtual tape library of the tests");
}

TEST_CASE("config: every key") {
    auto config = parseConfig(R"(# rsmd
[rsmd]
database = host=db.example dbname=media user=rsm
socket=/run/other/rsmd.sock
  socket_mode   =   0600
socket_group = 1234
admin_group = tape-admins
workers = 16
db_connections = 4
schema_dir = /opt/rsm/schema
; a comment of the other kind
log_level = debug
idle_timeout = 10
write_timeout = 5
command_timeout = 600
max_connections = 32

[library big]
device = /dev/sg7
description = "the big one, with \"quotes\""

[library	vtl-2]
device = iscsi://[::1]:3261/iqn.2024-01.test.rsm:vtl/3
)",
                              "rsmd.conf");
    REQUIRE_MESSAGE(config.ok(), config.error().message());
    CHECK(config->database == "host=db.example dbname=media user=rsm");
    CHECK(config->socket == "/run/other/rsmd.sock");
    CHECK(config->socketMode == 0600);
    CHECK(config->socketGroup == "1234");
    CHECK(config->adminGroup == "tape-admins");
    CHECK(config->workers == 16);
    CHECK(config->dbConnections == 4);
    CHECK(config->schemaDir == "/opt/rsm/schema");
    CHECK(config->logLevel == log::Level::Debug);
    CHECK(config->idleTimeout == std::chrono::seconds(10));
    CHECK(config->writeTimeout == std::chrono::seconds(5));
    CHECK(config->commandTimeout == std::chrono::seconds(600));
    CHECK(config->maxConnections == 32);
    REQUIRE(config->libraries.size() == 2);
    CHECK(config->libraries[0].name == "big");
    CHECK(config->libraries[0].device == "/dev/sg7");
    CHECK(config->libraries[0].description == R"(the big one, with "quotes")");
    CHECK(config->libraries[0].line == 18);
    CHECK(config->libraries[1].name == "vtl-2");
    CHECK(config->libraries[1].device == "iscsi://[::1]:3261/iqn.2024-01.test.rsm:vtl/3");
    CHECK(config->libraries[1].description == "");
}

TEST_CASE("config: quoted values keep their spaces and '#'; an empty value clears a group") {
    auto config = parseConfig(
        "[rsmd]\ndatabase = \"  password='a # b' \"\nsocket_group =\n"
        "socket_mode = 660\r\n",
        "rsmd.conf");
    REQUIRE(config.ok());
    CHECK(config->database == "  password='a # b' ");
    CHECK(config->socketGroup == "");
    CHECK(config->socketMode == 0660);
}

TEST_CASE("config: each error names the file, the line and the fault") {
    CHECK(errorOf("[rsmd]\n\n# x\nsokcet = /run/x") ==
          "rsmd.conf:4: unknown key 'sokcet' in [rsmd]");
    CHECK(errorOf("[rsmd]\nsocket_mode = 660x") ==
          "rsmd.conf:2: socket_mode must be an octal mode like 0660");
    CHECK(errorOf("[rsmd]\nsocket_mode = 0860") ==
          "rsmd.conf:2: socket_mode must be an octal mode like 0660");
    CHECK(errorOf("[rsmd]\nsocket_mode = 01777") ==
          "rsmd.conf:2: socket_mode must be an octal mode like 0660");
    CHECK(errorOf("[rsmd]\nsocket_mode = 66") ==
          "rsmd.conf:2: socket_mode must be an octal mode like 0660");
    // from_chars takes a sign: "-660" was mode 037777777120 (found by tests/fuzz/fuzz_config).
    CHECK(errorOf("[rsmd]\nsocket_mode = -660") ==
          "rsmd.conf:2: socket_mode must be an octal mode like 0660");
    CHECK(errorOf("[library vtl]\ndescription = x\n[rsmd]\n") ==
          "rsmd.conf:1: [library vtl] has no device");
    CHECK(errorOf("[rsmd]\n[library a]\ndevice = /dev/sg1\n[library b]\n") ==
          "rsmd.conf:4: [library b] has no device");
    CHECK(errorOf("socket = /x") ==
          "rsmd.conf:1: key 'socket' is outside a section; put it under [rsmd]");
    CHECK(errorOf("[rsmd]\nworkers = 0") ==
          "rsmd.conf:2: workers must be a whole number from 1 to 1024");
    CHECK(errorOf("[rsmd]\nworkers = eight") ==
          "rsmd.conf:2: workers must be a whole number from 1 to 1024");
    CHECK(errorOf("[rsmd]\ndb_connections = 2000") ==
          "rsmd.conf:2: db_connections must be a whole number from 1 to 1024");
    CHECK(errorOf("[rsmd]\nmax_connections = -1") ==
          "rsmd.conf:2: max_connections must be a whole number from 1 to 65536");
    CHECK(errorOf("[rsmd]\nidle_timeout = 1.5") ==
          "rsmd.conf:2: idle_timeout must be a number of seconds from 1 to 86400");
    CHECK(errorOf("[rsmd]\nwrite_timeout = 0") ==
          "rsmd.conf:2: write_timeout must be a number of seconds from 1 to 86400");
    CHECK(errorOf("[rsmd]\ncommand_timeout =") ==
          "rsmd.conf:2: command_timeout must be a number of seconds from 1 to 86400");
    CHECK(errorOf("[rsmd]\nlog_level = verbose") ==
          "rsmd.conf:2: log_level must be one of error, warning, notice, info, debug");
    CHECK(errorOf("[rsmd]\nsocket = run/rsmd.sock") ==
          "rsmd.conf:2: socket must be an absolute path");
    CHECK(errorOf("[rsmd]\nschema_dir = \"\"") == "rsmd.conf:2: schema_dir must not be empty");
    CHECK(errorOf("[rsmd]\nworkers = 2\nworkers = 3") ==
          "rsmd.conf:3: 'workers' is set twice in [rsmd] (first on line 2)");
    CHECK(errorOf("[rsmd]\ndatabase = \"dbname=rsm") ==
          "rsmd.conf:2: quoted value has no closing quote");
    CHECK(errorOf("[rsmd]\ndatabase = \"a\" b") ==
          "rsmd.conf:2: unexpected text after the closing quote");
    CHECK(errorOf("[rsmd]\njust words") ==
          "rsmd.conf:2: expected 'key = value' or a [section], got 'just words'");
    CHECK(errorOf("[rsmd]\n= 3") == "rsmd.conf:2: a value has no key before its '='");
    CHECK(errorOf("[rsmd\n") == "rsmd.conf:1: section header '[rsmd' has no closing ']'");
    CHECK(errorOf("[server]\n") == "rsmd.conf:1: unknown section [server]");
    CHECK(errorOf("[library]\n") == "rsmd.conf:1: [library] needs a name: [library NAME]");
    CHECK(errorOf("[library a/b]\n") ==
          "rsmd.conf:1: library name 'a/b' may only have letters, digits, '.', '_' and '-'");
    CHECK(errorOf("[library a]\ndevice=/dev/sg1\n\n[library a]\n") ==
          "rsmd.conf:4: [library a] is defined twice (first on line 1)");
    CHECK(errorOf("[library a]\ndevise = /dev/sg1\n") ==
          "rsmd.conf:2: unknown key 'devise' in [library a]");
    CHECK(errorOf("[library a]\ndevice = sg1\n") ==
          "rsmd.conf:2: device must be /dev/sgN (an absolute path) or "
          "iscsi://host[:port]/target-iqn/lun, not 'sg1'");
    CHECK(errorOf("[library a]\ndevice = iscsi://host/iqn.x\n") ==
          "rsmd.conf:2: device must be /dev/sgN (an absolute path) or "
          "iscsi://host[:port]/target-iqn/lun, not "
          "'iscsi://host/iqn.x'");
    CHECK(errorOf("[library a]\ndevice = iscsi://host:99999/iqn.x/1\n") ==
          "rsmd.conf:2: device must be /dev/sgN (an absolute path) or "
          "iscsi://host[:port]/target-iqn/lun, not "
          "'iscsi://host:99999/iqn.x/1'");
    CHECK(errorOf("[library a]\ndevice = /dev/sg1\ndevice = /dev/sg2\n") ==
          "rsmd.conf:3: 'device' is set twice in [library a] (first on line 2)");
}

// Issue 14, finding 14(b): what rsmd refused at start-up (or ignored) passed the parser.
TEST_CASE("config: a socket path, a library name rsm would refuse, and the reserved Offline") {
    const std::string longSocket = "/run/" + std::string(103, 's');  // 108 bytes
    CHECK(errorOf("[rsmd]\nsocket = " + longSocket) ==
          "rsmd.conf:2: socket path has 108 bytes; a Unix socket's path has at most 107 "
          "(sun_path)");
    const std::string fits = "/run/" + std::string(102, 's');  // 107 bytes
    auto ok = parseConfig("[rsmd]\nsocket = " + fits, "rsmd.conf");
    REQUIRE(ok.ok());
    CHECK(ok->socket == fits);
    const std::string hundred(100, 'L');
    CHECK(errorOf("[rsmd]\n\n[library " + hundred + "]\ndevice = /dev/sg1\n") ==
          "rsmd.conf:3: library name '" + hundred +
              "' has 100 characters; rsm's names have at most 64");
    CHECK(parseConfig("[library " + std::string(64, 'L') + "]\ndevice = /dev/sg1\n", "rsmd.conf")
              .ok());
    CHECK(errorOf("[library 01234567-89ab-CDEF-0123-456789abcdef]\ndevice = /dev/sg1\n") ==
          "rsmd.conf:1: library name '01234567-89ab-CDEF-0123-456789abcdef' has the form of a "
          "UUID, and UUIDs name objects by their id; choose another name");
    CHECK(parseConfig("[library 01234567-89ab-cdef-0123-456789abcdeg]\ndevice = /dev/sg1\n",
                      "rsmd.conf")
              .ok());
    for (const char *name : {"Offline", "offline", "OFFLINE"}) {
        CAPTURE(name);
        CHECK(errorOf(std::string("[library ") + name + "]\ndevice = /dev/sg1\n") ==
              std::string("rsmd.conf:1: library name '") + name +
                  "' is reserved for rsm's library of the media outside any robot; choose "
                  "another name");
    }
}

TEST_CASE("config: loadConfig reads a file and names it in messages") {
    TempDir dir;
    const std::string path = dir.file("rsmd.conf");
    std::ofstream(path) << "[rsmd]\nworkers = 3\n";
    auto config = loadConfig(path);
    REQUIRE(config.ok());
    CHECK(config->workers == 3);

    std::ofstream(path) << "[rsmd]\nwrokers = 3\n";
    auto bad = loadConfig(path);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message() == path + ":2: unknown key 'wrokers' in [rsmd]");

    auto missing = loadConfig(dir.file("none.conf"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code() == ErrorCode::InvalidParameter);
    CHECK(missing.error().message() ==
          "cannot read " + dir.file("none.conf") + ": No such file or directory");
}

TEST_CASE("config: resolveGroup takes a number or a name") {
    auto number = resolveGroup("4242");
    REQUIRE(number.ok());
    CHECK(*number == 4242);
    auto root = resolveGroup("root");
    REQUIRE(root.ok());
    CHECK(*root == 0);
    auto missing = resolveGroup("no-such-group-for-rsmd");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code() == ErrorCode::InvalidParameter);
    CHECK(missing.error().message() == "group 'no-such-group-for-rsmd' does not exist");
    CHECK_FALSE(resolveGroup("99999999999").ok());
}

}  // namespace rsm::daemon::test

namespace rsm::daemon {

TEST_CASE("config: passwords never reach the log") {
    CHECK(withoutPassword("host=/run/postgresql password=s3cret dbname=rsm") ==
          "host=/run/postgresql password=*** dbname=rsm");
    CHECK(withoutPassword("password = 'se cr\\'et' dbname=rsm") == "password = *** dbname=rsm");
    CHECK(withoutPassword("dbname=rsm") == "dbname=rsm");
    CHECK(withoutPassword("postgresql://rsm:pw@db.example/rsm") ==
          "postgresql://rsm:***@db.example/rsm");
    CHECK(withoutPassword("postgresql://db.example/rsm") == "postgresql://db.example/rsm");
}

// Issue 14, finding 14(a): libpq takes any white space around '=' and between pairs, and
// quoted values with spaces; each form once showed the password in rsmd's log.
TEST_CASE("config: passwords are hidden in every form libpq accepts") {
    CHECK(withoutPassword("password\t=\ts3cret dbname=rsm") == "password\t=\t*** dbname=rsm");
    CHECK(withoutPassword("password\t=s3cret") == "password\t=***");
    CHECK(withoutPassword("host=h\tpassword=s3cret\tdbname=rsm") ==
          "host=h\tpassword=***\tdbname=rsm");
    CHECK(withoutPassword("dbname=rsm\npassword =\n's3 cr et'") == "dbname=rsm\npassword =\n***");
    CHECK(withoutPassword("password = x") == "password = ***");
    CHECK(withoutPassword("password= 'a b' user=rsm") == "password= *** user=rsm");
    CHECK(withoutPassword("password=se\\ cret user=rsm") == "password=*** user=rsm");
    // The SSL key's password too; a value that only says "password" is no key.
    CHECK(withoutPassword("sslpassword=k password=p") == "sslpassword=*** password=***");
    CHECK(withoutPassword("user=password dbname=rsm") == "user=password dbname=rsm");
    // The URI form's query parameter.
    CHECK(withoutPassword("postgresql:///rsm?host=/run&password=s3cret&user=rsm") ==
          "postgresql:///rsm?host=/run&password=***&user=rsm");
    for (const char *conninfo : {"password\t=\ts3cret", "password =\ts3cret", "\tpassword=s3cret",
                                 "password\v=s3cret", "password='s3cret'"}) {
        CAPTURE(conninfo);
        CHECK(withoutPassword(conninfo).find("s3cret") == std::string::npos);
    }
}

}  // namespace rsm::daemon

namespace rsm::daemon {

TEST_CASE("config: the retention keys take durations with units; defaults keep 30 and 7 days") {
    auto defaults = parseConfig("[rsmd]\n", "rsmd.conf");
    REQUIRE(defaults.ok());
    CHECK(defaults->eventRetention == std::chrono::hours(24 * 30));
    CHECK(defaults->sessionRetention == std::chrono::hours(24 * 7));
    CHECK(defaults->purgeInterval == std::chrono::hours(1));
    CHECK(defaults->lifecycleInterval == std::chrono::minutes(5));
    CHECK_FALSE(defaults->logSessionEvents);

    auto config = parseConfig(
        "[rsmd]\nevent_retention = 90m\nsession_retention = 0\npurge_interval = 30\n"
        "log_session_events = yes\nlifecycle_interval = 1h\n",
        "rsmd.conf");
    REQUIRE_MESSAGE(config.ok(), config.error().message());
    CHECK(config->lifecycleInterval == std::chrono::hours(1));
    auto off = parseConfig("[rsmd]\nlifecycle_interval = 0\n", "rsmd.conf");
    REQUIRE(off.ok());
    CHECK(off->lifecycleInterval == std::chrono::seconds(0));
    CHECK(config->eventRetention == std::chrono::minutes(90));
    CHECK(config->sessionRetention == std::chrono::seconds(0));
    CHECK(config->purgeInterval == std::chrono::seconds(30));
    CHECK(config->logSessionEvents);

    for (const char *bad :
         {"event_retention = 30x", "event_retention = -1d", "session_retention = 3651d",
          "purge_interval = 0", "log_session_events = maybe", "lifecycle_interval = 5x"}) {
        CAPTURE(bad);
        auto r = parseConfig(std::string("[rsmd]\n") + bad + "\n", "rsmd.conf");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code() == ErrorCode::InvalidParameter);
        CHECK(r.error().message().starts_with("rsmd.conf:2: "));
    }
}

}  // namespace rsm::daemon

namespace rsm::daemon::test {

TEST_CASE("config: metrics_listen takes HOST:PORT of an IP address, or nothing") {
    auto config = parseConfig("[rsmd]\nmetrics_listen = 127.0.0.1:9464\n", "rsmd.conf");
    REQUIRE(config.ok());
    CHECK(config->metricsListen == "127.0.0.1:9464");
    auto v6 = parseListenAddress("[::1]:9464");
    REQUIRE(v6.ok());
    CHECK(v6->host == "::1");
    CHECK(v6->port == 9464);
    CHECK(parseConfig("[rsmd]\nmetrics_listen =\n", "rsmd.conf")->metricsListen.empty());
    CHECK(errorOf("[rsmd]\nmetrics_listen = 9464") ==
          "rsmd.conf:2: metrics_listen \"9464\": no host and port; write HOST:PORT, as "
          "127.0.0.1:9464 or [::1]:9464");
    CHECK(errorOf("[rsmd]\nmetrics_listen = localhost:9464") ==
          "rsmd.conf:2: metrics_listen \"localhost:9464\": \"localhost\" is not an IP address; "
          "write HOST:PORT, as 127.0.0.1:9464 or [::1]:9464");
    CHECK(errorOf("[rsmd]\nmetrics_listen = 127.0.0.1:99999") ==
          "rsmd.conf:2: metrics_listen \"127.0.0.1:99999\": the port is not a number from 0 to "
          "65535; write HOST:PORT, as 127.0.0.1:9464 or [::1]:9464");
}

}  // namespace rsm::daemon::test

namespace rsm::daemon::test {

TEST_CASE("config: clean_after_mounts is off by default and takes 0 to 1000000") {
    CHECK(parseConfig("", "rsmd.conf")->cleanAfterMounts == 0);
    CHECK(parseConfig("[rsmd]\nclean_after_mounts = 40\n", "rsmd.conf")->cleanAfterMounts == 40);
    CHECK(errorOf("[rsmd]\nclean_after_mounts = -1") ==
          "rsmd.conf:2: clean_after_mounts must be a whole number from 0 (off) to 1000000");
}

}  // namespace rsm::daemon::test
