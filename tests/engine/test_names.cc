// The name rules of src/engine/names.h, and through the engine: characters counted as code
// points, invisible and reordering characters, white space at the ends and UUID-shaped names
// refused with the character and its place; names found by bare name kept unique (issue 14,
// findings 12 and 14 (c)-(e)).

#include <doctest/doctest.h>

#include <string>

#include "src/engine/names.h"
#include "tests/engine/engine_fixture.h"

namespace rsm::test {

namespace {

using engine::checkName;
using engine::NameRules;

const NameRules kPool{"a pool name", false, true};
const NameRules kLmid{"an LMID's name", true, false};

std::string repeat(const std::string &text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i)
        out += text;
    return out;
}

std::string refusal(const std::string &name, const NameRules &rules = kPool) {
    auto r = checkName(name, rules);
    if (r.ok())
        return "(accepted)";
    CHECK(r.error().code() == ErrorCode::InvalidParameter);
    return r.error().message();
}

bool says(const std::string &message, const std::string &part) {
    return message.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("names: 64 characters are 64 code points, whatever their bytes") {
    CHECK(engine::codePoints(repeat("\xC3\xA9", 33)) == 33);
    CHECK(engine::codePoints("\xF0\x9F\x93\xBC"
                             "a") == 2);
    CHECK(checkName(repeat("\xC3\xA9", 33), kPool).ok());          // 66 bytes
    CHECK(checkName(repeat("\xE6\xBC\xA2", 64), kPool).ok());      // 192 bytes
    CHECK(checkName(repeat("\xF0\x9F\x93\xBC", 64), kPool).ok());  // 256 bytes
    CHECK(checkName(std::string(64, 'a'), kPool).ok());
    CHECK(says(refusal(std::string(65, 'a')), "has 65 characters"));
    CHECK(says(refusal(repeat("\xC3\xA9", 65)), "has 65 characters"));
}

TEST_CASE("names: invisible, reordering and control characters are named with their place") {
    CHECK(says(refusal("apool\xE2\x80\x8B"), "U+200B (a zero-width character) at character 6"));
    CHECK(says(refusal("\xE2\x80\xAEloopa"), "U+202E (a bidirectional control) at character 1"));
    for (const char *cp :
         {"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D",     "\xE2\x81\xA0", "\xEF\xBB\xBF",
          "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC",     "\xE2\x80\xAD", "\xE2\x80\xAE",
          "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8",     "\xE2\x81\xA9", "\xE2\x80\x8E",
          "\xE2\x80\x8F", "\xC2\xAD",     "\xC2\x85",         "\x7F",         "\x01",
          "\t",           "\xE2\x80\xA8", "\xF3\xA0\x80\x81", "\xEF\xBF\xBE", "\xEE\x80\x80"}) {
        CAPTURE(cp);
        const std::string name = std::string("ab") + cp + "cd";
        CHECK(says(refusal(name), "at character 3"));
        CHECK(says(refusal(name, kLmid), "at character 3"));
    }
    CHECK(says(refusal(std::string("a\0b", 3)), "U+0000 (a control character) at character 2"));
    // Ordinary letters of other scripts, and spaces inside a name, are fine.
    CHECK(
        checkName("b\xC3\xA4nder \xE6\xBC\xA2\xE5\xAD\x97 \xD0\xBB\xD0\xB5\xD0\xBD\xD1\x82\xD0\xB0",
                  kPool)
            .ok());
    CHECK(checkName("weekly backup", kPool).ok());
}

TEST_CASE("names: white space at either end, broken UTF-8, separators, emptiness") {
    CHECK(says(refusal("apool "), "ends with white space (U+0020 at character 6)"));
    CHECK(says(refusal(" apool"), "starts with white space (U+0020)"));
    CHECK(says(refusal("apool\xC2\xA0"), "ends with white space (U+00A0"));
    CHECK(says(refusal("\xE3\x80\x80"
                       "apool"),
               "starts with white space (U+3000)"));
    CHECK(says(refusal(" "), "white space"));
    CHECK(says(refusal("ap\xFFool"), "is not UTF-8 text (byte 3 of the name, 0xFF)"));
    CHECK(says(refusal("ap\xC0\xAFool"), "is not UTF-8 text"));      // overlong '/'
    CHECK(says(refusal("ap\xED\xA0\x80ool"), "is not UTF-8 text"));  // a surrogate
    CHECK(says(refusal("ap\xC3"), "is not UTF-8 text"));             // cut short
    CHECK(says(refusal("ap\xEF\xBF\xBDool"), "U+FFFD (the replacement character"));
    CHECK(says(refusal("a/b"), "holds '/' at character 2"));
    CHECK(says(refusal("a:b"), "holds ':' at character 2"));
    CHECK(checkName("a:b", kLmid).ok());
    CHECK(says(refusal(""), "is empty"));
    CHECK(checkName("", kLmid).ok());
}

TEST_CASE("names: text that parses as a UUID is no name") {
    for (const char *uuid :
         {"01234567-89ab-cdef-0123-456789abcdef", "01234567-89AB-CDEF-0123-456789ABCDEF",
          "00000000-0000-0000-0000-000000000000"}) {
        CAPTURE(uuid);
        CHECK(says(refusal(uuid), "has the form of a UUID"));
        CHECK(says(refusal(uuid, kLmid), "has the form of a UUID"));
    }
    CHECK(checkName("01234567-89ab-cdef-0123-456789abcdeg", kPool).ok());
    CHECK(checkName("01234567-89ab-cdef-0123-456789abcdef0", kPool).ok());
}

TEST_CASE("names: the engine keeps LMID names unique and checks the right before the name") {
    EngineRig rig;
    rig.offlineMedia("NM0001");
    rig.offlineMedia("NM0002");
    rig.offlineMedia("NM0003");
    engine::AllocateOptions named;
    named.name = "a-0001";
    auto first = rig.engine->allocate(rig.root, rig.pool, named);
    REQUIRE_OK(first);
    REQUIRE_CODE(rig.engine->allocate(rig.root, rig.pool, named), ErrorCode::AlreadyExists);
    named.name = "b-0002";
    auto second = rig.engine->allocate(rig.root, rig.pool, named);
    REQUIRE_OK(second);
    auto taken = rig.engine->setName(rig.root, *second, "a-0001");
    REQUIRE_CODE(taken, ErrorCode::AlreadyExists);
    CHECK(says(taken.error().message(), "is taken"));
    CHECK_FALSE(says(taken.error().message(), first->toString()));
    REQUIRE_OK(rig.engine->setName(rig.root, *second, "b-0002"));  // its own name
    REQUIRE_OK(rig.engine->setName(rig.root, *first, ""));         // no name is no clash
    REQUIRE_OK(rig.engine->setName(rig.root, *second, ""));
    // A user without MODIFY learns nothing: refused for the right, taken name or not.
    REQUIRE_OK(rig.engine->setName(rig.root, *first, "a-0001"));
    const Uuid other = rig.session(6001);
    REQUIRE_CODE(rig.engine->setName(other, *second, "a-0001"), ErrorCode::AccessDenied);
    REQUIRE_CODE(rig.engine->setName(other, *second, "free-name"), ErrorCode::AccessDenied);
    CHECK(rig.count("SELECT count(*) FROM logical_media WHERE name = 'a-0001'") == 1);
    REQUIRE_OK(rig.engine->findLmid(rig.root, "a-0001"));
    CHECK(*rig.engine->findLmid(rig.root, "a-0001") == *first);
}

}  // namespace rsm::test
