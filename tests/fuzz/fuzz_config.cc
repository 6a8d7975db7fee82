// libFuzzer target: rsmd.conf (src/daemon/config.h: parseConfig), and withoutPassword on the
// database setting it yields (what rsmd logs).
//
// Invariants: the parser never throws or crashes; failures are ERROR_INVALID_PARAMETER and
// name the source ("fuzz.conf:LINE: …"); a parsed config keeps its documented ranges (workers,
// connections, timeouts, socket mode, cleaner prefix, an absolute socket path that fits
// sun_path), every library has a valid unique name of at most 64 characters and a device; and the
// libraries survive a round trip: written back as [library NAME] sections with quoted, escaped
// values, they parse to the same names, devices and descriptions. withoutPassword never grows a
// string without "password" or "://" in it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/daemon/config.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::string quoted(const std::string &value) {
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace rsm::daemon;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto config = parseConfig(text, "fuzz.conf");
    if (!config) {
        FUZZ_CHECK(config.error().code() == rsm::ErrorCode::InvalidParameter);
        FUZZ_CHECK(config.error().message().rfind("fuzz.conf:", 0) == 0);
        return 0;
    }
    const Config &c = *config;
    FUZZ_CHECK(c.workers >= 1 && c.workers <= 1024);
    FUZZ_CHECK(c.dbConnections >= 1 && c.dbConnections <= 1024);
    FUZZ_CHECK(c.maxConnections >= 1 && c.maxConnections <= 65536);
    FUZZ_CHECK(c.cleanerUses >= 1 && c.cleanerUses <= 10000);
    FUZZ_CHECK(c.cleanerPrefix.size() <= 16);
    FUZZ_CHECK(c.socketMode <= 0777);
    FUZZ_CHECK(!c.socket.empty() && c.socket.front() == '/' && c.socket.size() <= kMaxSocketPath);
    FUZZ_CHECK(!c.schemaDir.empty());
    for (auto t :
         {c.idleTimeout, c.writeTimeout, c.commandTimeout, c.readyTimeout, c.dismountDelay})
        FUZZ_CHECK(t.count() >= 1 && t.count() <= 86400);

    std::string again = "[rsmd]\n";
    for (std::size_t i = 0; i < c.libraries.size(); ++i) {
        const LibraryConfig &l = c.libraries[i];
        FUZZ_CHECK(!l.name.empty() && l.name.size() <= 64 && !l.device.empty() && l.line >= 1);
        FUZZ_CHECK(l.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789._-") == std::string::npos);
        for (std::size_t j = 0; j < i; ++j)
            FUZZ_CHECK(c.libraries[j].name != l.name);
        again += "[library " + l.name + "]\ndevice = " + quoted(l.device) + "\n";
        if (!l.description.empty())
            again += "description = " + quoted(l.description) + "\n";
    }
    // Values cannot hold a newline (a line ends there), so the quoted form is one line.
    auto reparsed = parseConfig(again, "again.conf");
    if (!reparsed)
        std::fprintf(stderr, "%s\n", reparsed.error().message().c_str());
    FUZZ_CHECK(reparsed.ok());
    FUZZ_CHECK(reparsed->libraries.size() == c.libraries.size());
    for (std::size_t i = 0; i < c.libraries.size(); ++i) {
        FUZZ_CHECK(reparsed->libraries[i].name == c.libraries[i].name);
        FUZZ_CHECK(reparsed->libraries[i].device == c.libraries[i].device);
        FUZZ_CHECK(reparsed->libraries[i].description == c.libraries[i].description);
    }

    const std::string hidden = withoutPassword(c.database);
    if (c.database.find("password") == std::string::npos &&
        c.database.find("://") == std::string::npos)
        FUZZ_CHECK(hidden == c.database);
    return 0;
}
