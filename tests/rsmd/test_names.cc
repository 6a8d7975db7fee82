// Names through rsmd and rsmctl (issue 14): an LMID's name cannot be taken over from another
// pool (finding 12); a name's 64 characters are characters, not bytes; names with invisible
// or reordering characters, white space at an end, or the form of a UUID are refused, for each
// kind of object commands find by name (finding 14 (c), (d), (e)).

#include <doctest/doctest.h>

#include "tests/rsmd/robot_helpers.h"
#include "tests/rsmd/seed_helpers.h"

namespace rsm::test {

namespace {

std::string repeat(const std::string &text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i)
        out += text;
    return out;
}

// rsmctl ARGS fails with ERROR_INVALID_PARAMETER and a message that says `says`.
void expectInvalid(const RsmdRig &rig, const std::vector<std::string> &args,
                   const std::string &says) {
    expectError(rig, args, 87, "ERROR_INVALID_PARAMETER");
    RunResult r = rig.ctl(args);
    CHECK_MESSAGE(r.err.find(says) != std::string::npos, r.err);
}

}  // namespace

TEST_CASE("rsmd names: another pool's user cannot take an LMID's name (squatting)") {
    VirtualLibrary vtl(smallLibrary());
    RsmdRig rig;
    prepareLibrary(rig, vtl);
    const Who alice{5101, {5101}};
    const Who bob{5102, {5102}};
    expectOk(rig, {"pool", "create", "alice", "--type", "LTO-5"});
    expectOk(rig, {"pool", "create", "bob", "--type", "LTO-5"});
    for (const auto &[who, pool] : {std::pair{alice, "alice"}, std::pair{bob, "bob"}}) {
        const std::string uid = std::to_string(who.uid);
        expectOk(rig, {"acl", "grant", std::string("pool:") + pool, "--user", uid, "use", "modify",
                       "control"});
        expectOk(rig, {"acl", "grant", "pool:free:LTO-5", "--user", uid, "use"});
        expectOk(rig, {"acl", "grant", "library:vtl", "--user", uid, "use"});
    }
    expectOk(rig, {"allocate", "alice", "--name", "a-0001"}, alice);
    expectOk(rig, {"allocate", "bob", "--name", "b-0002"}, bob);
    const std::string aliceId = rig.sql("SELECT id FROM logical_media WHERE name = 'a-0001'");

    // Bob renames his LMID to Alice's name, or allocates one under it: refused, as a name
    // taken, without saying where (no pool, no UUID).
    expectError(rig, {"object", "rename", "lmid:b-0002", "a-0001"}, 183, "ERROR_ALREADY_EXISTS",
                bob);
    RunResult refusal = rig.ctl({"object", "rename", "lmid:b-0002", "a-0001"}, bob);
    CHECK(refusal.err.find("alice") == std::string::npos);
    CHECK(refusal.err.find(aliceId) == std::string::npos);
    CHECK(rig.sql("SELECT name FROM logical_media WHERE name LIKE 'b-%'") == "b-0002");

    // Alice's mount by name still finds her LMID, and loads her cartridge.
    RunResult mount = rig.ctl({"mount", "a-0001"}, alice);
    CHECK_MESSAGE(mount.status == 0, mount.err);
    CHECK(mount.out.find("iscsi://") == 0);
    auto shown = rig.json({"lmid", "show", "a-0001"}, alice);
    CHECK(shown.dump().find(aliceId) != std::string::npos);
    expectOk(rig, {"dismount", "a-0001"}, alice);

    expectError(rig, {"allocate", "bob", "--name", "a-0001"}, 183, "ERROR_ALREADY_EXISTS", bob);
    CHECK(rig.sql("SELECT count(*) FROM logical_media WHERE name = 'a-0001'") == "1");

    // A user without rights on the LMID learns nothing from a rename either: refused for the
    // right before the name is looked at.
    const Who carol{5103, {5103}};
    expectError(rig, {"object", "rename", "lmid:b-0002", "a-0001"}, 5, "ERROR_ACCESS_DENIED",
                carol);
    expectError(rig, {"object", "rename", "lmid:b-0002", "x-0001"}, 5, "ERROR_ACCESS_DENIED",
                carol);

    // Renaming to a free name, and back to one's own, works.
    expectOk(rig, {"object", "rename", "lmid:b-0002", "b-0003"}, bob);
    expectOk(rig, {"object", "rename", "lmid:b-0003", "b-0003"}, bob);
}

// (as root) media type LTO-5, pool "backup", library "paper" with drives 0 and 1, and an LMID
// "lm-1" in "backup".
static void makeNamedThings(const RsmdRig &rig) {
    makeModel(rig);
    rig.sql("INSERT INTO library (name, kind, device) VALUES ('paper', 1, '/dev/null')");
    rig.sql(
        "INSERT INTO drive (library_id, number) SELECT id, n FROM library, "
        "generate_series(0, 1) n WHERE name = 'paper'");
    makeMedia(rig, "NAM001", "backup", "Bacula", "lm-1");
}

TEST_CASE("rsmd names: 64 characters are 64 characters, not 64 bytes") {
    RsmdRig rig;
    makeNamedThings(rig);
    // 33 × "é" is 33 characters in 66 bytes; 65 × "é" is one character too many.
    const std::string e33 = repeat("\xC3\xA9", 33);
    expectOk(rig, {"pool", "create", e33, "--type", "LTO-5"});
    CHECK(rig.json({"pool", "show", e33})["pool"]["name"] == e33);
    const std::string e64 = repeat("\xC3\xA9", 64);
    expectOk(rig, {"pool", "create", "backup/" + e64});
    expectOk(rig, {"object", "rename", "lmid:lm-1", e64});
    expectOk(rig, {"object", "rename", "lmid:" + e64, "lm-1"});
    expectOk(rig, {"object", "rename", "library:paper", e64});
    expectOk(rig, {"object", "rename", "library:" + e64, "paper"});
    expectInvalid(rig, {"pool", "create", repeat("\xC3\xA9", 65), "--type", "LTO-5"},
                  "has 65 characters");
}

TEST_CASE("rsmd names: invisible, reordering and control characters and end spaces refused") {
    RsmdRig rig;
    makeNamedThings(rig);
    struct Bad {
        std::string name;
        std::string says;
    };
    const Bad bad[] = {
        {"apool\xE2\x80\x8B", "U+200B (a zero-width character) at character 6"},
        {"\xE2\x80\xAEloopa", "U+202E (a bidirectional control) at character 1"},
        {"ap\xE2\x80\x8Cool", "U+200C (a zero-width character) at character 3"},
        {"ap\xE2\x80\x8Dool", "U+200D"},
        {"a\xE2\x81\xA0pool", "U+2060"},
        {"\xEF\xBB\xBF"
         "apool",
         "U+FEFF"},
        {"a\xE2\x80\xAApool", "U+202A"},
        {"a\xE2\x81\xA6pool", "U+2066 (a bidirectional control)"},
        {"a\xE2\x81\xA9pool", "U+2069"},
        {"a\xC2\xADpool", "U+00AD (an invisible format character)"},
        {"a\xC2\x9Bpool", "U+009B (a control character)"},
        {"a\x1B[31mpool", "U+001B (a control character) at character 2"},
        {"apool ", "ends with white space (U+0020 at character 6)"},
        {" apool", "starts with white space (U+0020)"},
        {"apool\xC2\xA0", "ends with white space (U+00A0"},
        {"apool\xE3\x80\x80", "ends with white space (U+3000"},
        // rsmctl sends a byte that is not UTF-8 as U+FFFD (JSON is UTF-8).
        {"ap\xFFool", "U+FFFD (the replacement character"},
    };
    for (const Bad &b : bad) {
        CAPTURE(b.says);
        expectInvalid(rig, {"pool", "create", b.name, "--type", "LTO-5"}, b.says);
        expectInvalid(rig, {"pool", "create", "backup/" + b.name}, b.says);
        expectInvalid(rig, {"object", "rename", "pool:backup", b.name}, b.says);
        expectInvalid(rig, {"object", "rename", "library:paper", b.name}, b.says);
        expectInvalid(rig, {"object", "rename", "drive:paper/0", b.name}, b.says);
        expectInvalid(rig, {"object", "rename", "lmid:lm-1", b.name}, b.says);
        expectInvalid(rig, {"allocate", "backup", "--name", b.name}, b.says);
        expectInvalid(rig, {"mediatype", "create", b.name}, b.says);
    }
    CHECK(rig.sql("SELECT count(*) FROM pool WHERE name LIKE '%pool%'") == "0");
    CHECK(rig.sql("SELECT string_agg(name, ',') FROM logical_media") == "lm-1");
}

TEST_CASE("rsmd names: a name with the form of a UUID is refused; bare names stay unique") {
    RsmdRig rig;
    makeNamedThings(rig);
    // Another pool's UUID, or none's: refused for every kind found by "name or UUID".
    const std::string backupId = rig.json({"pool", "show", "backup"})["pool"]["id"];
    for (const std::string &uuid :
         {backupId, std::string("01234567-89ab-CDEF-0123-456789abcdef")}) {
        CAPTURE(uuid);
        const std::string says = "has the form of a UUID";
        expectInvalid(rig, {"pool", "create", uuid, "--type", "LTO-5"}, says);
        expectInvalid(rig, {"object", "rename", "pool:backup", uuid}, says);
        expectInvalid(rig, {"object", "rename", "library:paper", uuid}, says);
        expectInvalid(rig, {"object", "rename", "drive:paper/0", uuid}, says);
        expectInvalid(rig, {"object", "rename", "lmid:lm-1", uuid}, says);
        expectInvalid(rig, {"mediatype", "create", uuid}, says);
    }
    // The pool is still reached by its UUID and by its name.
    CHECK(rig.json({"pool", "show", backupId})["pool"]["name"] == "backup");
    CHECK(rig.json({"pool", "show", "backup"})["pool"]["id"] == backupId);

    // Names found by bare name are unique: a drive's, a library's, a sibling pool's — refused
    // as taken, not as a database failure.
    expectOk(rig, {"object", "rename", "drive:paper/0", "d-one"});
    expectError(rig, {"object", "rename", "drive:paper/1", "d-one"}, 183, "ERROR_ALREADY_EXISTS");
    expectError(rig, {"object", "rename", "library:paper", "Offline"}, 183, "ERROR_ALREADY_EXISTS");
    expectOk(rig, {"pool", "create", "backup/x"});
    expectOk(rig, {"pool", "create", "backup/y"});
    expectError(rig, {"object", "rename", "pool:backup/y", "x"}, 183, "ERROR_ALREADY_EXISTS");
}

}  // namespace rsm::test
