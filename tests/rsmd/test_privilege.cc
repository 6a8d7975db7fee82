// Least privilege through rsmd: the operating system keeps users outside the socket's group
// from connecting at all (connect(2) fails with EACCES before rsmd hears of them), and rsmd
// itself needs no root: as an ordinary uid with no capability whatsoever (none effective,
// permitted, inheritable, ambient or in the bounding set; no_new_privs) it serves clients,
// gives its socket to a group it belongs to, and drives a library's robot and drives.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/integration/vtl_library.h"
#include "tests/rsmd/protocol_session.h"
#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

constexpr std::uint32_t kSocketGid = 4243;  // the socket's group (rsm's, as rsmd.socket has it)

// "Uid:", "CapEff:", ... of /proc/PID/status.
std::map<std::string, std::string> processStatus(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::map<std::string, std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \t") + 1);
        out[line.substr(0, colon)] = value;
    }
    return out;
}

}  // namespace

TEST_CASE("rsmd access: a user outside the socket's group cannot connect (EACCES)") {
    RsmdRig rig("socket_mode = 0660\nsocket_group = " + std::to_string(kSocketGid) + "\n");
    struct stat st {};
    REQUIRE(::stat(rig.socket.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0660);
    CHECK(st.st_gid == kSocketGid);

    // Outside the group: the kernel refuses the connection; rsmd never sees it.
    for (const Who &outsider : {Who{5001, {5001}}, Who{5002, {5002, 26, 100}}}) {
        RawClient c(rig.socket, outsider.uid, outsider.gids);
        CHECK_FALSE(c.connected());
        CHECK(c.connectError() == EACCES);
    }
    // rsmctl says why and fails.
    RunResult r = rig.ctl({"pool", "list"}, Who{5001, {5001}});
    CHECK(r.status != 0);
    CHECK_MESSAGE(r.err.find("ermission denied") != std::string::npos, r.err);
    // The group as a supplementary group or as the primary one lets a user in; its rights
    // are then rsmd's business.
    for (const Who &member : {Who{5003, {5003, kSocketGid}}, Who{5004, {kSocketGid}}}) {
        ProtocolSession s(rig, member);
        CHECK(s.raw().connectError() == 0);
        REQUIRE(s.open());
        CHECK(s.call("pool.list").contains("result"));
        CHECK(errorName(s.call("mediatype.create", {{"name", "T"}})) == "ERROR_ACCESS_DENIED");
    }
    // As installed, the directory holding the socket is 0750 root:rsm too (tmpfiles.d): the
    // path is closed to others before the socket's own mode is looked at.
    REQUIRE(::chown(rig.dir.c_str(), 0, kSocketGid) == 0);
    REQUIRE(::chmod(rig.dir.c_str(), 0750) == 0);
    {
        RawClient c(rig.socket, 5001, {5001});
        CHECK(c.connectError() == EACCES);
        ProtocolSession s(rig, Who{5003, {5003, kSocketGid}});
        CHECK(s.open());
    }
}

TEST_CASE("rsmd access: rsmd runs as an ordinary user without any capability") {
    // rsmd's user: its own group, the tape group (26 on Debian) and the socket's group.
    const Who rsm{991, {991, 26, kSocketGid}};
    // rsmd reaches PostgreSQL through the Unix socket in the test cluster's directory.
    PgCluster &cluster = PgCluster::shared();
    std::filesystem::permissions(cluster.dir(), std::filesystem::perms::others_exec,
                                 std::filesystem::perm_options::add);
    VirtualLibrary::Shape shape;
    shape.slots = 6;
    shape.drives = 1;
    shape.ieports = 1;
    shape.tapes = 2;
    VirtualLibrary vtl(shape);
    RsmdRig rig("socket_mode = 0660\nsocket_group = " + std::to_string(kSocketGid) + "\n", cluster,
                rsm);

    // Who it is, and what it may do: nothing a user may not.
    auto status = processStatus(rig.pid);
    CHECK(status["Uid"] == "991\t991\t991\t991");
    CHECK(status["Gid"] == "991\t991\t991\t991");
    CHECK(status["Groups"] == "26 4243");
    for (const char *set : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
        CAPTURE(set);
        CHECK(status[set] == "0000000000000000");
    }
    CHECK(status["NoNewPrivs"] == "1");
    // Its socket: its own, given to a group it is in (chown needs no capability for that).
    struct stat st {};
    REQUIRE(::stat(rig.socket.c_str(), &st) == 0);
    CHECK(st.st_uid == rsm.uid);
    CHECK(st.st_gid == kSocketGid);
    CHECK((st.st_mode & 07777) == 0660);

    // It serves, checks rights, and drives the robot and a drive over iSCSI.
    prepareLibrary(rig, vtl);
    expectOk(rig, {"allocate", "backup", "--name", "job1"});
    RunResult mount = rig.ctl({"mount", "job1"});
    REQUIRE_MESSAGE(mount.status == 0, mount.err);
    CHECK(mount.out.find("iscsi://") == 0);
    CHECK(robotHolds(vtl).count(vtl.drive(0)) == 1);
    expectOk(rig, {"dismount", "job1"});
    CHECK(robotHolds(vtl).count(vtl.drive(0)) == 0);
    ProtocolSession user(rig, Who{5005, {5005, kSocketGid}});
    REQUIRE(user.open());
    CHECK(errorName(user.call("library.inventory", {{"library", "vtl"}})) == "ERROR_ACCESS_DENIED");
    CHECK(rig.stop() == 0);
}

}  // namespace rsm::test
