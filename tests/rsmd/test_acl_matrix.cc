// The access-control matrix on the protocol itself: every verb that needs a right, each asked
// by a fresh Unix user (the peer credentials of its connection) who holds
//   1. no right at all,
//   2. every right on the object but the one needed,
//   3. the needed right on another object of the same kind (pools and libraries),
//   4. the needed right granted to a group the user is not in,
//   5. exactly the needed right, granted to the user,
//   6. exactly the needed right, granted to a group the user is in,
//   7. nothing, but membership of the admin group.
// 1 to 4 must be ERROR_ACCESS_DENIED and leave the database as it was (no row, no event, no
// library request: refused robot work never reaches a robot); 5 to 7 must get past the check:
// the verb succeeds, or fails for a reason that comes after the check (a cartridge on the
// shelf). Some verbs need a second right besides the one under test (media.create: MODIFY on
// the pool and on the Offline library); every case but 1 holds that one.
//
// Libraries are rows without a robot behind them: nothing runs their requests, so a request
// queued by an allowed call stays queued. library.remove, the last case, starts rsmd's
// workers for them (it tells rsmd the libraries changed); no refused case runs after it.
// One rsmd serves the whole matrix; each case makes the objects it works on.

#include <doctest/doctest.h>

#include <sys/inotify.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <map>

#include "tests/rsmd/protocol_session.h"

namespace rsm::test {

namespace {

using nlohmann::json;

const char *const kRights[] = {"use", "modify", "control"};

// What one case asks, made afresh for each user.
struct Op {
    std::string verb;
    json fields;
    std::string object;  // where the right is granted: "computer", "pool:P", "library:L"
    std::vector<std::pair<std::string, std::string>> also = {};  // (object, right) needed too
    // An allowed call fails after the check with this error; empty: it succeeds.
    std::string allowedError = {};
    // A file standing for a device: a refused call must not open it, an allowed one does.
    std::string device = {};
};

// Whether anyone opened a file since the watch began (inotify IN_OPEN).
class OpenWatch {
public:
    explicit OpenWatch(const std::string &path) {
        fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        REQUIRE(fd_ >= 0);
        REQUIRE(::inotify_add_watch(fd_, path.c_str(), IN_OPEN) >= 0);
    }
    ~OpenWatch() { ::close(fd_); }
    OpenWatch(const OpenWatch &) = delete;
    OpenWatch &operator=(const OpenWatch &) = delete;
    bool opened() {
        alignas(inotify_event) char events[4096];
        return ::read(fd_, events, sizeof events) > 0;
    }

private:
    int fd_ = -1;
};

struct Fixture {
    RsmdRig &rig;
    ProtocolSession &root;
    DatabaseProbe &db;
    int serial = 0;

    std::string unique(const std::string &prefix) { return prefix + std::to_string(++serial); }

    // An application pool of LTO-5 at the root.
    std::string pool() {
        std::string name = unique("pool");
        root.ok("pool.create", {{"path", name}, {"media_type", "LTO-5"}});
        return name;
    }
    // An offline medium of `pool`, labelled; its barcode.
    std::string media(const std::string &pool) {
        std::string barcode = unique("M");
        root.ok("media.create", {{"media_type", "LTO-5"},
                                 {"barcode", barcode},
                                 {"pool", pool},
                                 {"label_type", "Bacula"},
                                 {"label_id", barcode}});
        return barcode;
    }
    // A new medium in `pool` with an LMID allocated on it; the LMID's name. Give each LMID a
    // pool of its own when the medium matters (allocation takes any medium of the pool).
    std::string lmid(const std::string &pool, std::string *barcode = nullptr) {
        std::string b = media(pool);
        if (barcode)
            *barcode = b;
        std::string name = unique("lmid");
        root.ok("lmid.allocate", {{"pool", pool}, {"name", name}});
        return name;
    }
    // An online library with slots 1000..1003, drive 0 at address 500 and IE port 10. A row
    // only: no robot answers at its device.
    std::string library() {
        std::string name = unique("lib");
        const std::string id = "(SELECT id FROM library WHERE name = '" + name + "')";
        db.exec("INSERT INTO library (name, kind, device) VALUES ('" + name +
                "', 1, '/dev/rsm-test-none/" + name + "');" +
                "INSERT INTO slot (library_id, address) SELECT " + id +
                ", a FROM generate_series(1000, 1003) a;" +
                "INSERT INTO drive (library_id, number, address) VALUES (" + id + ", 0, 500);" +
                "INSERT INTO ieport (library_id, address) VALUES (" + id + ", 10)");
        return name;
    }
    // Puts the medium into the library: into slot `slot`, or into drive 0 when slot is 0.
    void place(const std::string &barcode, const std::string &library, int slot) {
        if (slot)
            db.exec(
                "UPDATE physical_media m SET library_id = l.id, library_kind = 1, "
                "location = 1, slot_id = s.id FROM library l JOIN slot s ON s.library_id = "
                "l.id WHERE l.name = '" +
                library + "' AND s.address = " + std::to_string(slot) + " AND m.barcode = '" +
                barcode + "'");
        else
            db.exec(
                "UPDATE physical_media m SET library_id = l.id, library_kind = 1, "
                "location = 2, drive_id = d.id FROM library l JOIN drive d ON d.library_id = "
                "l.id WHERE l.name = '" +
                library + "' AND d.number = 0 AND m.barcode = '" + barcode + "'");
    }
    // An operator request (a message) root asked for, about `library` or none; its id.
    std::string operatorRequest(const std::string &library = {}) {
        json fields = {{"kind", "MESSAGE"}, {"message", unique("message ")}};
        if (!library.empty())
            fields["library"] = library;
        return root.ok("operator.submit", fields)["operator_request"]["id"];
    }
    // A request of root's session queued on `library`; its id.
    std::string queuedRequest(const std::string &library) {
        return root.ok("library.probe", {{"library", library}, {"wait", false}})["request"]["id"];
    }
    void grant(const std::string &object, const char *kind, std::uint32_t id,
               const std::vector<std::string> &rights) {
        root.ok(
            "acl.grant",
            {{"object", object}, {"principal", kind}, {"principal_id", id}, {"rights", rights}});
    }
};

struct Case {
    const char *right;  // the one right under test
    std::function<Op(Fixture &)> make;
};

// Every verb that needs a right. Objects: "computer", "pool:…", "library:…".
std::vector<Case> cases() {
    std::vector<Case> c;
    auto add = [&](const char *right, std::function<Op(Fixture &)> make) {
        c.push_back({right, std::move(make)});
    };
    // --- the computer --------------------------------------------------------------------
    add("modify", [](Fixture &f) {
        return Op{"mediatype.create", {{"name", f.unique("T")}}, "computer"};
    });
    add("control", [](Fixture &f) {
        return Op{"pool.create", {{"path", f.unique("root")}, {"media_type", "LTO-5"}}, "computer"};
    });
    // Refused, rsmd never opens the device; allowed, it does (and finds no changer there).
    add("control", [](Fixture &f) {
        std::string name = f.unique("added");
        std::string device = (f.rig.dir / ("device-" + name)).string();
        std::ofstream(device) << "not a changer\n";
        return Op{"library.add",
                  {{"name", name}, {"device", device}},
                  "computer",
                  {},
                  "ERROR_DEVICE_NOT_AVAILABLE",
                  device};
    });
    add("use", [](Fixture &) { return Op{"watch", json::object(), "computer"}; });
    add("use", [](Fixture &) { return Op{"operator.list", json::object(), "computer"}; });
    add("use", [](Fixture &f) {
        return Op{"operator.show", {{"request", f.operatorRequest()}}, "computer"};
    });
    add("use", [](Fixture &f) {
        return Op{
            "operator.submit", {{"kind", "MESSAGE"}, {"message", f.unique("please ")}}, "computer"};
    });
    add("control", [](Fixture &f) {
        return Op{"operator.satisfy", {{"request", f.operatorRequest()}}, "computer"};
    });
    add("control", [](Fixture &f) {
        return Op{"operator.cancel", {{"request", f.operatorRequest()}}, "computer"};
    });
    // MODIFY on the computer or on the medium's pool (DeleteNtmsMedia).
    add("modify", [](Fixture &f) {
        return Op{"media.delete", {{"media", f.media(f.pool())}}, "computer"};
    });
    add("modify", [](Fixture &f) {
        std::string type = f.unique("T");
        f.root.ok("mediatype.create", {{"name", type}});
        return Op{"object.describe",
                  {{"object", "media_type:" + type}, {"description", "described"}},
                  "computer"};
    });
    add("modify", [](Fixture &f) {
        std::string type = f.unique("T");
        f.root.ok("mediatype.create", {{"name", type}});
        return Op{
            "object.rename", {{"object", "media_type:" + type}, {"name", type + "r"}}, "computer"};
    });
    add("modify", [](Fixture &f) {
        return Op{"attribute.set",
                  {{"object", "computer"}, {"name", f.unique("a")}, {"value", "v"}},
                  "computer"};
    });
    add("use", [](Fixture &f) {
        std::string name = f.unique("a");
        f.root.ok("attribute.set", {{"object", "computer"}, {"name", name}, {"value", "v"}});
        return Op{"attribute.get", {{"object", "computer"}, {"name", name}}, "computer"};
    });
    add("use", [](Fixture &) { return Op{"acl.list", {{"object", "computer"}}, "computer"}; });
    add("control", [](Fixture &f) {
        return Op{"acl.grant",
                  {{"object", "computer"},
                   {"principal", "user"},
                   {"principal_id", 7'000'000 + f.serial++},
                   {"rights", {"use"}}},
                  "computer"};
    });
    add("control", [](Fixture &f) {
        std::uint32_t who = 7'000'000 + f.serial++;
        f.grant("computer", "user", who, {"use"});
        return Op{"acl.revoke",
                  {{"object", "computer"}, {"principal", "user"}, {"principal_id", who}},
                  "computer"};
    });

    // --- pools -------------------------------------------------------------------------------
    add("use", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"pool.show", {{"pool", p}}, "pool:" + p};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"pool.delete", {{"pool", p}}, "pool:" + p};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"pool.set_policy", {{"pool", p}, {"retention", 86400}}, "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"pool.create", {{"path", p + "/child"}}, "pool:" + p};
    });
    add("use", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.show", {{"media", f.media(p)}}, "pool:" + p};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.create",
                  {{"media_type", "LTO-5"}, {"barcode", f.unique("N")}, {"pool", p}},
                  "pool:" + p,
                  {{"library:Offline", "modify"}}};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.delete", {{"media", f.media(p)}}, "pool:" + p};
    });
    // CONTROL on both pools: the one it leaves, then the one it enters.
    add("control", [](Fixture &f) {
        std::string from = f.pool(), to = f.pool();
        return Op{"media.move_to_pool",
                  {{"media", f.media(from)}, {"pool", to}},
                  "pool:" + from,
                  {{"pool:" + to, "control"}}};
    });
    add("control", [](Fixture &f) {
        std::string from = f.pool(), to = f.pool();
        return Op{"media.move_to_pool",
                  {{"media", f.media(from)}, {"pool", to}},
                  "pool:" + to,
                  {{"pool:" + from, "control"}}};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.decommission", {{"media", f.media(p)}, {"side", 0}}, "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.set_state", {{"media", f.media(p)}, {"state", "retired"}}, "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.cleaner", {{"media", f.media(p)}, {"uses", 5}}, "pool:" + p};
    });
    add("use", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"lmid.show", {{"lmid", f.lmid(p)}}, "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        f.media(p);
        return Op{"lmid.allocate", {{"pool", p}, {"name", f.unique("al")}}, "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"lmid.deallocate", {{"lmid", f.lmid(p)}}, "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"lmid.complete", {{"lmid", f.lmid(p)}}, "pool:" + p};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        std::string a = f.lmid(p), b = f.lmid(p);
        return Op{"lmid.swap", {{"lmid1", a}, {"lmid2", b}}, "pool:" + p};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"object.rename", {{"object", "pool:" + p}, {"name", p + "r"}}, "pool:" + p};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"object.describe",
                  {{"object", "media:" + f.media(p)}, {"description", "described"}},
                  "pool:" + p};
    });
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"attribute.set",
                  {{"object", "lmid:" + f.lmid(p)}, {"name", "a"}, {"value", "v"}},
                  "pool:" + p};
    });
    add("use", [](Fixture &f) {
        std::string p = f.pool(), m = f.media(p);
        f.root.ok("attribute.set", {{"object", "media:" + m}, {"name", "a"}, {"value", "v"}});
        return Op{"attribute.get", {{"object", "media:" + m}, {"name", "a"}}, "pool:" + p};
    });
    add("use", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"acl.list", {{"object", "pool:" + p}}, "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"acl.grant",
                  {{"object", "pool:" + p},
                   {"principal", "group"},
                   {"principal_id", 7'000'000 + f.serial++},
                   {"rights", {"use", "modify"}}},
                  "pool:" + p};
    });
    add("control", [](Fixture &f) {
        std::string p = f.pool();
        std::uint32_t who = 7'000'000 + f.serial++;
        f.grant("pool:" + p, "user", who, {"use"});
        return Op{"acl.revoke",
                  {{"object", "pool:" + p}, {"principal", "user"}, {"principal_id", who}},
                  "pool:" + p};
    });
    // A cartridge on the shelf: USE on its pool decides; then it is found offline.
    add("use", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.mount",
                  {{"lmid", f.lmid(p)}, {"error_if_offline", true}},
                  "pool:" + p,
                  {},
                  "ERROR_MEDIA_OFFLINE"};
    });
    add("use", [](Fixture &f) {
        std::string p = f.pool();
        return Op{
            "media.dismount", {{"media", f.media(p)}}, "pool:" + p, {}, "ERROR_INVALID_STATE"};
    });

    // --- libraries ---------------------------------------------------------------------------
    add("use", [](Fixture &f) {
        std::string l = f.library();
        return Op{"library.show", {{"library", l}}, "library:" + l};
    });
    for (const char *verb : {"library.enable", "library.disable"})
        add("control", [verb](Fixture &f) {
            std::string l = f.library();
            return Op{verb, {{"library", l}}, "library:" + l};
        });
    // Robot work: queued (wait false) once allowed; nothing runs it.
    for (const char *verb :
         {"library.probe", "library.inventory", "library.audit", "library.inject"})
        add("control", [verb](Fixture &f) {
            std::string l = f.library();
            return Op{verb, {{"library", l}, {"wait", false}}, "library:" + l};
        });
    // Answered from the library worker's element map: these libraries have no worker, so an
    // allowed call gets that far and no further.
    add("control", [](Fixture &f) {
        std::string l = f.library();
        return Op{"library.mtx",
                  {{"library", l}, {"op", "elements"}, {"wait", false}},
                  "library:" + l,
                  {},
                  "ERROR_INVALID_LIBRARY"};
    });
    add("control", [](Fixture &f) {
        std::string l = f.library();
        return Op{"mtx.status", {{"library", l}}, "library:" + l, {}, "ERROR_INVALID_LIBRARY"};
    });
    add("use", [](Fixture &f) {
        std::string l = f.library();
        return Op{"library.status", {{"library", l}}, "library:" + l, {}, "ERROR_INVALID_LIBRARY"};
    });
    add("control", [](Fixture &f) {
        std::string l = f.library();
        return Op{"library.cleaner_slot", {{"library", l}, {"address", 1003}}, "library:" + l};
    });
    for (const char *verb : {"drive.enable", "drive.disable"})
        add("control", [verb](Fixture &f) {
            std::string l = f.library();
            return Op{verb, {{"drive", l + "/0"}}, "library:" + l};
        });
    add("control", [](Fixture &f) {
        std::string l = f.library();
        return Op{"drive.clean", {{"drive", l + "/0"}, {"wait", false}}, "library:" + l};
    });
    // Vaults (docs/vaulting.md): sending ejects, CONTROL on the library and USE on the pool.
    add("modify", [](Fixture &f) {
        return Op{"vault.create", {{"name", f.unique("vault")}}, "computer"};
    });
    add("use", [](Fixture &) { return Op{"vault.list", json::object(), "computer"}; });
    add("control", [](Fixture &f) {
        std::string l = f.library(), p = f.pool(), m = f.media(p), v = f.unique("vault");
        f.place(m, l, 1000);
        f.root.ok("vault.create", {{"name", v}});
        return Op{
            "vault.send", {{"vault", v}, {"media", {m}}}, "library:" + l, {{"pool:" + p, "use"}}};
    });
    // Another session's request; one's own needs no right.
    add("control", [](Fixture &f) {
        std::string l = f.library();
        return Op{"request.cancel", {{"request", f.queuedRequest(l)}}, "library:" + l};
    });
    for (bool queue : {false, true})
        add("control", [queue](Fixture &f) {
            std::string l = f.library(), m = f.media(f.pool());
            f.place(m, l, 1000);
            json fields = {{"media", m}, {"wait", false}};
            if (queue)
                fields["queue"] = true;
            return Op{"media.eject", fields, "library:" + l};
        });
    // USE on the library of a cartridge it holds is enough without any right on its pool.
    add("use", [](Fixture &f) {
        std::string l = f.library(), m;
        std::string lmid = f.lmid(f.pool(), &m);
        f.place(m, l, 1001);
        return Op{"media.mount", {{"lmid", lmid}, {"wait", false}}, "library:" + l};
    });
    add("use", [](Fixture &f) {
        std::string l = f.library(), m = f.media(f.pool());
        f.place(m, l, 0);
        return Op{"media.dismount", {{"media", m}, {"wait", false}}, "library:" + l};
    });
    add("control", [](Fixture &f) {
        std::string l = f.library(), m = f.media(f.pool());
        f.place(m, l, 1002);
        return Op{"media.cleaner", {{"media", m}, {"uses", 7}}, "library:" + l};
    });
    for (const char *verb : {"operator.satisfy", "operator.cancel"})
        add("control", [verb](Fixture &f) {
            std::string l = f.library();
            return Op{verb, {{"request", f.operatorRequest(l)}}, "library:" + l};
        });
    add("modify", [](Fixture &f) {
        std::string l = f.library();
        return Op{"object.rename", {{"object", "library:" + l}, {"name", l + "r"}}, "library:" + l};
    });
    add("modify", [](Fixture &f) {
        std::string l = f.library();
        return Op{"object.describe",
                  {{"object", "drive:" + l + "/0"}, {"description", "described"}},
                  "library:" + l};
    });
    add("modify", [](Fixture &f) {
        std::string l = f.library();
        return Op{"attribute.set",
                  {{"object", "library:" + l}, {"name", "a"}, {"value", "v"}},
                  "library:" + l};
    });
    add("use", [](Fixture &f) {
        std::string l = f.library();
        f.root.ok("attribute.set", {{"object", "library:" + l}, {"name", "a"}, {"value", "v"}});
        return Op{"attribute.get", {{"object", "library:" + l}, {"name", "a"}}, "library:" + l};
    });
    add("use", [](Fixture &f) {
        std::string l = f.library();
        return Op{"acl.list", {{"object", "library:" + l}}, "library:" + l};
    });
    add("control", [](Fixture &f) {
        std::string l = f.library();
        return Op{"acl.grant",
                  {{"object", "library:" + l},
                   {"principal", "user"},
                   {"principal_id", 7'000'000 + f.serial++},
                   {"rights", {"control"}}},
                  "library:" + l};
    });
    add("control", [](Fixture &f) {
        std::string l = f.library();
        std::uint32_t who = 7'000'000 + f.serial++;
        f.grant("library:" + l, "group", who, {"use"});
        return Op{"acl.revoke",
                  {{"object", "library:" + l}, {"principal", "group"}, {"principal_id", who}},
                  "library:" + l};
    });
    // media.create needs MODIFY on the Offline library too.
    add("modify", [](Fixture &f) {
        std::string p = f.pool();
        return Op{"media.create",
                  {{"media_type", "LTO-5"}, {"barcode", f.unique("N")}, {"pool", p}},
                  "library:Offline",
                  {{"pool:" + p, "modify"}}};
    });
    // Last: an allowed removal starts rsmd's workers for the libraries of the matrix.
    add("modify", [](Fixture &f) {
        std::string l = f.library();
        return Op{"library.remove", {{"library", l}}, "library:" + l};
    });
    return c;
}

enum class Holds { Nothing, OtherRights, RightElsewhere, OtherGroup, Right, RightByGroup, Admin };

struct Scenario {
    Holds holds;
    const char *name;
    bool allowed;
};

const Scenario kScenarios[] = {
    {Holds::Nothing, "no right", false},
    {Holds::OtherRights, "every other right on the object", false},
    {Holds::RightElsewhere, "the right on another object of the kind", false},
    {Holds::OtherGroup, "the right granted to a group the user is not in", false},
    {Holds::Right, "exactly the right, granted to the user", true},
    {Holds::RightByGroup, "exactly the right, granted to a group of the user", true},
    {Holds::Admin, "no grant, a member of the admin group", true},
};

}  // namespace

TEST_CASE("rsmd access matrix: every verb that needs a right, per right, object and principal") {
    RsmdRig rig;
    DatabaseProbe db(rig);
    ProtocolSession root(rig);
    REQUIRE(root.open());
    root.ok("mediatype.create", {{"name", "LTO-5"}});
    Fixture f{rig, root, db};
    // The objects holding the right "elsewhere".
    root.ok("pool.create", {{"path", "decoy"}, {"media_type", "LTO-5"}});
    const std::string decoyLibrary = f.library();

    std::uint32_t uid = 20000;
    int denied = 0, allowed = 0;
    std::map<std::string, int> perRight;  // "pool/use" -> cases
    for (const Case &c : cases()) {
        for (const Scenario &s : kScenarios) {
            Op op = c.make(f);
            const std::string kind = op.object.substr(0, op.object.find(':'));
            if (s.holds == Holds::Nothing)
                ++perRight[kind + "/" + c.right];
            if (s.holds == Holds::RightElsewhere && kind == "computer")
                continue;  // there is one computer
            CAPTURE(op.verb);
            CAPTURE(op.fields.dump());
            CAPTURE(op.object);
            const std::string right = c.right, scenario = s.name;
            CAPTURE(right);
            CAPTURE(scenario);
            ++uid;
            Who who{uid, {uid}};
            const std::uint32_t group = uid + 1'000'000;
            auto grantAlso = [&] {
                for (const auto &[object, right] : op.also)
                    f.grant(object, "user", uid, {right});
            };
            switch (s.holds) {
                case Holds::Nothing:
                    break;
                case Holds::OtherRights: {
                    std::vector<std::string> others;
                    for (const char *r : kRights)
                        if (std::string(r) != c.right)
                            others.push_back(r);
                    f.grant(op.object, "user", uid, others);
                    grantAlso();
                    break;
                }
                case Holds::RightElsewhere:
                    f.grant(kind == "pool" ? "pool:decoy" : "library:" + decoyLibrary, "user", uid,
                            {c.right});
                    grantAlso();
                    break;
                case Holds::OtherGroup:
                    f.grant(op.object, "group", group, {c.right});
                    grantAlso();
                    break;
                case Holds::Right:
                    f.grant(op.object, "user", uid, {c.right});
                    grantAlso();
                    break;
                case Holds::RightByGroup:
                    f.grant(op.object, "group", group, {c.right});
                    grantAlso();
                    who.gids.push_back(group);
                    break;
                case Holds::Admin:
                    who.gids.push_back(kRsmdAdminGid);
                    break;
            }
            ProtocolSession user(rig, who);
            REQUIRE(user.open());
            std::optional<OpenWatch> device;
            if (!op.device.empty())
                device.emplace(op.device);
            const std::string before = db.modelState();
            json reply = user.call(op.verb, op.fields);
            CAPTURE(reply.dump());
            if (device)
                CHECK(device->opened() == s.allowed);
            if (!s.allowed) {
                ++denied;
                CHECK(errorName(reply) == "ERROR_ACCESS_DENIED");
                CHECK(db.modelState() == before);
            } else {
                ++allowed;
                CHECK(errorName(reply) != "ERROR_ACCESS_DENIED");
                if (op.allowedError.empty())
                    CHECK(reply.contains("result"));
                else
                    CHECK(errorName(reply) == op.allowedError);
            }
        }
    }
    std::string rights;
    for (const auto &[what, n] : perRight)
        rights += " " + what + "=" + std::to_string(n);
    MESSAGE("access matrix: " << cases().size() << " cases (" << rights << " ), " << denied
                              << " refused and " << allowed << " allowed calls");
}

}  // namespace rsm::test

namespace rsm::test {

TEST_CASE("rsmd access: verbs that need no right answer anyone, and lists hide the rest") {
    RsmdRig rig;
    DatabaseProbe db(rig);
    ProtocolSession root(rig);
    REQUIRE(root.open());
    root.ok("mediatype.create", {{"name", "LTO-5"}});
    Fixture f{rig, root, db};
    const std::string pool = f.pool(), hidden = f.pool();
    f.lmid(pool);
    f.lmid(hidden);
    const std::string library = f.library(), other = f.library();
    f.queuedRequest(library);
    f.queuedRequest(other);

    const Who nobody{30001, {30001}};
    ProtocolSession user(rig, nobody);
    REQUIRE(user.open());
    CHECK(user.ok("computer.show").contains("computer"));
    CHECK(user.ok("mediatype.list")["media_types"].size() == 1);
    for (const auto &[verb, list] :
         std::vector<std::pair<std::string, std::string>>{{"pool.list", "pools"},
                                                          {"media.list", "media"},
                                                          {"lmid.list", "lmids"},
                                                          {"library.list", "libraries"},
                                                          {"drive.list", "drives"},
                                                          {"request.list", "requests"}}) {
        CAPTURE(verb);
        CHECK(user.ok(verb)[list].empty());
    }
    // library.discover needs no session at all.
    CHECK(user.call("library.discover", {{"session", nullptr}}).contains("result"));

    // USE on one pool and one library shows those, and nothing else.
    f.grant("pool:" + pool, "user", nobody.uid, {"use"});
    f.grant("library:" + library, "group", 30002, {"use"});
    ProtocolSession member(rig, Who{nobody.uid, {nobody.uid, 30002}});
    REQUIRE(member.open());
    auto pools = member.ok("pool.list")["pools"];
    REQUIRE(pools.size() == 1);
    CHECK(pools[0]["path"] == pool);
    CHECK(member.ok("media.list")["media"].size() == 1);
    CHECK(member.ok("lmid.list")["lmids"].size() == 1);
    auto libraries = member.ok("library.list")["libraries"];
    REQUIRE(libraries.size() == 1);
    CHECK(libraries[0]["name"] == library);
    CHECK(member.ok("drive.list")["drives"].size() == 1);
    auto requests = member.ok("request.list")["requests"];
    REQUIRE(requests.size() == 1);
    CHECK(requests[0]["library"] == library);

    // A session's own request needs no right to cancel, even once the right to ask is gone.
    const Who operatorUser{30003, {30003}};
    f.grant("library:" + other, "user", operatorUser.uid, {"control"});
    ProtocolSession asker(rig, operatorUser);
    REQUIRE(asker.open());
    std::string mine =
        asker.ok("library.probe", {{"library", other}, {"wait", false}})["request"]["id"];
    root.ok("acl.revoke",
            {{"object", "library:" + other}, {"principal", "user"}, {"principal_id", 30003}});
    CHECK(errorName(asker.call("library.probe", {{"library", other}, {"wait", false}})) ==
          "ERROR_ACCESS_DENIED");
    asker.ok("request.cancel", {{"request", mine}});
}

}  // namespace rsm::test
