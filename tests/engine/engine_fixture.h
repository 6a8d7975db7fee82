#pragma once
// Engine tests' rig: a fresh migrated database on the private cluster, an Engine over a
// PgStore, a root session, the media type LTO-5 and an application pool "backup", and short
// ways to make media, LMIDs and sessions of other users, and to ask the database directly.

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

#include "src/engine/engine.h"
#include "tests/store/store_fixture.h"

namespace rsm::test {

constexpr std::uint32_t kAdminGid = 4242;

struct EngineRig {
    explicit EngineRig(PgCluster &cluster = PgCluster::shared(), store::PgStoreOptions options = {},
                       const Clock *clock = nullptr);
    ~EngineRig();

    TestStore t;
    std::unique_ptr<engine::Engine> engine;
    Uuid root;  // a session of uid 0
    Uuid pool;  // "backup", LTO-5

    // A session of another user.
    Uuid session(std::uint32_t uid, std::vector<std::uint32_t> gids = {});
    // A medium on the shelf, in `pool` (default: "backup"), sides AVAILABLE with a label.
    Uuid offlineMedia(const std::string &barcode, std::optional<std::string> label = "Bacula",
                      std::optional<Uuid> inPool = std::nullopt);
    // A medium on the shelf in `inPool` (default "backup") with an LMID allocated on it.
    Uuid lmid(const std::string &barcode, std::optional<std::string> label = "Bacula",
              std::optional<Uuid> inPool = std::nullopt);
    Uuid sideOf(const Uuid &lmid);
    Uuid mediaOf(const Uuid &lmid);
    // The first column of the first row of a query (parameters $1.. as text).
    std::string query(const std::string &sql, const std::vector<std::string> &params = {});
    long long count(const std::string &sql, const std::vector<std::string> &params = {});
    void sql(const std::string &statements);
};

// REQUIRE that a result failed with `code`; prints the message either way.
#define REQUIRE_CODE(result, expected)                                      \
    do {                                                                    \
        const auto &r_ = (result);                                          \
        INFO((r_.ok() ? std::string("succeeded") : r_.error().toString())); \
        REQUIRE(!r_.ok());                                                  \
        CHECK(r_.error().code() == (expected));                             \
    } while (0)

#define REQUIRE_OK(result)                                       \
    do {                                                         \
        const auto &r_ = (result);                               \
        INFO((r_.ok() ? std::string() : r_.error().toString())); \
        REQUIRE(r_.ok());                                        \
    } while (0)

}  // namespace rsm::test
