// The access-control matrix through rsmd: each operation as a Unix user without rights, with
// every right but the one it needs, with only the one it needs (granted to the user, and to a
// group the user is in), and as a member of the admin group. The uid and groups are the peer
// credentials rsmd reads from the socket (rsmctl runs under setpriv).

#include <doctest/doctest.h>

#include <functional>

#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

struct Case {
    const char *name;
    const char *object;  // where the right is granted
    const char *right;   // the one right needed
    // Makes what the operation works on (as root), with names made unique by `n`; returns the
    // rsmctl arguments of the operation.
    std::function<std::vector<std::string>(const RsmdRig &, const std::string &n)> setup;
};

const char *kRights[] = {"use", "modify", "control"};

std::vector<Case> cases() {
    return {
        {"pool create (a root pool)", "computer", "control",
         [](const RsmdRig &, const std::string &n) {
             return std::vector<std::string>{"pool", "create", "p" + n, "--type", "LTO-5"};
         }},
        {"mediatype create", "computer", "modify",
         [](const RsmdRig &, const std::string &n) {
             return std::vector<std::string>{"mediatype", "create", "T" + n};
         }},
        {"pool delete", "pool:backup/x", "modify",
         [](const RsmdRig &rig, const std::string &n) {
             expectOk(rig, {"pool", "create", "backup/x" + n});
             return std::vector<std::string>{"pool", "delete", "backup/x" + n};
         }},
        {"pool show", "pool:backup", "use",
         [](const RsmdRig &, const std::string &) {
             return std::vector<std::string>{"pool", "show", "backup"};
         }},
        {"delete-media", "pool:backup", "modify",
         [](const RsmdRig &rig, const std::string &n) {
             makeMedia(rig, "DEL" + n, "backup");
             return std::vector<std::string>{"delete-media", "DEL" + n};
         }},
        {"allocate", "pool:backup", "control",
         [](const RsmdRig &rig, const std::string &n) {
             makeMedia(rig, "ALL" + n, "backup");
             return std::vector<std::string>{"allocate", "backup", "--name", "al-" + n};
         }},
        {"deallocate", "pool:backup", "control",
         [](const RsmdRig &rig, const std::string &n) {
             makeMedia(rig, "DEA" + n, "backup", "Bacula", "de-" + n);
             return std::vector<std::string>{"deallocate", "de-" + n};
         }},
        {"complete", "pool:backup", "control",
         [](const RsmdRig &rig, const std::string &n) {
             makeMedia(rig, "COM" + n, "backup", "Bacula", "co-" + n);
             return std::vector<std::string>{"complete", "co-" + n};
         }},
        {"swap", "pool:backup", "modify",
         [](const RsmdRig &rig, const std::string &n) {
             makeMedia(rig, "SWA" + n, "backup", "Bacula", "sa-" + n);
             makeMedia(rig, "SWB" + n, "backup", "Bacula", "sb-" + n);
             return std::vector<std::string>{"swap", "sa-" + n, "sb-" + n};
         }},
        {"decommission", "pool:backup", "control",
         [](const RsmdRig &rig, const std::string &n) {
             makeMedia(rig, "DEC" + n, "backup");
             return std::vector<std::string>{"decommission", "DEC" + n};
         }},
        {"library disable", "library:paper", "control",
         [](const RsmdRig &, const std::string &) {
             return std::vector<std::string>{"library", "disable", "paper"};
         }},
        {"library enable", "library:paper", "control",
         [](const RsmdRig &, const std::string &) {
             return std::vector<std::string>{"library", "enable", "paper"};
         }},
        {"acl grant", "pool:backup", "control",
         [](const RsmdRig &, const std::string &n) {
             return std::vector<std::string>{"acl",    "grant", "pool:backup",
                                             "--user", "7" + n, "use"};
         }},
    };
}

}  // namespace

TEST_CASE("rsmd access control: each operation needs its right, and only that one") {
    RsmdRig rig;
    makeModel(rig);
    rig.sql("INSERT INTO library (name, kind, device) VALUES ('paper', 1, '/dev/null')");

    int n = 0;
    std::uint32_t uid = 3000;
    for (const Case &c : cases()) {
        CAPTURE(c.name);
        // Grants on "pool:backup/x" go to the pool the case creates, named when it is made.
        auto target = [&](const std::string &tag) {
            std::string o = c.object;
            return o == "pool:backup/x" ? o + tag : o;
        };
        // 1. No rights at all.
        {
            ++uid;
            std::string tag = std::to_string(++n);
            auto args = c.setup(rig, tag);
            expectError(rig, args, 5, "ERROR_ACCESS_DENIED", Who{uid, {uid}});
        }
        // 2. Every right but the needed one.
        {
            ++uid;
            std::string tag = std::to_string(++n);
            auto args = c.setup(rig, tag);
            std::vector<std::string> grant = {"acl", "grant", target(tag), "--user",
                                              std::to_string(uid)};
            for (const char *r : kRights)
                if (std::string(r) != c.right)
                    grant.push_back(r);
            expectOk(rig, grant);
            expectError(rig, args, 5, "ERROR_ACCESS_DENIED", Who{uid, {uid}});
        }
        // 3. Only the needed right, to the user.
        {
            ++uid;
            std::string tag = std::to_string(++n);
            auto args = c.setup(rig, tag);
            expectOk(rig, {"acl", "grant", target(tag), "--user", std::to_string(uid), c.right});
            expectOk(rig, args, Who{uid, {uid}});
        }
        // 4. Only the needed right, to a group the user is in.
        {
            ++uid;
            std::string tag = std::to_string(++n);
            auto args = c.setup(rig, tag);
            const std::uint32_t gid = 20000 + uid;
            expectOk(rig, {"acl", "grant", target(tag), "--group", std::to_string(gid), c.right});
            expectOk(rig, args, Who{uid, {uid, gid}});
        }
        // 5. A member of the admin group holds every right.
        {
            ++uid;
            std::string tag = std::to_string(++n);
            auto args = c.setup(rig, tag);
            expectOk(rig, args, Who{uid, {uid, kRsmdAdminGid}});
        }
    }
}

TEST_CASE("rsmd access control: lists show only what the user may use") {
    RsmdRig rig;
    makeModel(rig);
    expectOk(rig, {"pool", "create", "secret", "--type", "LTO-5"});
    makeMedia(rig, "VIS001L5", "backup");
    makeMedia(rig, "HID001L5", "secret");
    const Who user{4001, {4001}};
    expectOk(rig, {"acl", "grant", "pool:backup", "--user", "4001", "use"});
    auto media = rig.json({"media", "list"}, user);
    REQUIRE(media.contains("media"));
    REQUIRE(media["media"].size() == 1);
    CHECK(media["media"][0]["barcode"] == "VIS001L5");
    auto pools = rig.json({"pool", "list"}, user);
    std::vector<std::string> paths;
    for (const auto &p : pools["pools"])
        paths.push_back(p["path"]);
    CHECK(paths == std::vector<std::string>{"backup"});
    // watch needs USE on the computer.
    expectError(rig, {"watch"}, 5, "ERROR_ACCESS_DENIED", user);
}

}  // namespace rsm::test
