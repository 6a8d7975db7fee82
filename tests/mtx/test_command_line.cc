// mtx's command line: the steps parseCommandLine() makes of it, in mtx 1.3.12's way.

#include <doctest/doctest.h>

#include <climits>

#include "src/mtx/command_line.h"

using namespace rsm::mtx;

namespace {

std::vector<Step> parse(std::vector<std::string> args) {
    return parseCommandLine(args);
}

}  // namespace

TEST_CASE("mtx command line: -f, then commands with their numeric arguments") {
    auto steps = parse({"-f", "/dev/sg3", "status"});
    REQUIRE(steps.size() == 2);
    CHECK(steps[0] == Step::openDevice("/dev/sg3"));
    CHECK(steps[1] == Step::of(Verb::Status));

    CHECK(parse({"load", "3", "1"}) == std::vector{Step::of(Verb::Load, 3, 1)});
    CHECK(parse({"load", "3"}) == std::vector{Step::of(Verb::Load, 3)});
    CHECK(parse({"unload"}) == std::vector{Step::of(Verb::Unload)});
    CHECK(parse({"exchange", "1", "2", "3"}) == std::vector{Step::of(Verb::Exchange, 1, 2, 3)});
    CHECK(parse({"transfer", "4", "21"}) == std::vector{Step::of(Verb::Transfer, 4, 21)});
    CHECK(parse({"position", "7"}) == std::vector{Step::of(Verb::Position, 7)});
    CHECK(parse({"first", "1"}) == std::vector{Step::of(Verb::First, 1)});
    CHECK(parse({"eepos", "2"}) == std::vector{Step::of(Verb::Eepos, 2)});
}

TEST_CASE("mtx command line: several commands on one line run in order") {
    auto steps = parse({"-f", "/dev/sg3", "unload", "3", "0", "load", "4", "0", "status"});
    CHECK(steps == std::vector{Step::openDevice("/dev/sg3"), Step::of(Verb::Unload, 3, 0),
                               Step::of(Verb::Load, 4, 0), Step::of(Verb::Status)});
    // A command word ends the previous command's arguments.
    CHECK(parse({"unload", "load", "2"}) ==
          std::vector{Step::of(Verb::Unload), Step::of(Verb::Load, 2)});
    // A one-argument command leaves the next number to... nothing: mtx then has no command.
    CHECK(parse({"next", "1", "2"}) == std::vector{Step::of(Verb::Next, 1), Step::of(Verb::Usage)});
}

TEST_CASE("mtx command line: flags and the commands that take none") {
    auto steps = parse(
        {"nobarcode", "invert", "invert2", "noattach", "altres", "inquiry", "inventory", "eject"});
    CHECK(steps == std::vector{Step::of(Verb::NoBarcode), Step::of(Verb::Invert),
                               Step::of(Verb::Invert2), Step::of(Verb::NoAttach),
                               Step::of(Verb::AltRes), Step::of(Verb::Inquiry),
                               Step::of(Verb::Inventory), Step::of(Verb::Eject)});
    CHECK(parse({"status", "5"}) == std::vector{Step::of(Verb::Status), Step::of(Verb::Usage)});
}

TEST_CASE("mtx command line: numbers as atoi reads them, other words are not arguments") {
    CHECK(parse({"load", "3abc", "0"}) == std::vector{Step::of(Verb::Load, 3, 0)});
    CHECK(parse({"load", "007"}) == std::vector{Step::of(Verb::Load, 7)});
    // "-1" does not start with a digit: it is the next command, which mtx does not know.
    CHECK(parse({"load", "-1"}) == std::vector{Step::of(Verb::Load), Step::of(Verb::Usage)});
    // The second argument is looked for only after a first one.
    CHECK(parse({"load", "x", "2"}) == std::vector{Step::of(Verb::Load), Step::of(Verb::Usage)});
    CHECK(parse({"load", "99999999999999"}) == std::vector{Step::of(Verb::Load, INT_MAX)});
}

TEST_CASE("mtx command line: an unknown word or a bare -f ends the line with Usage") {
    CHECK(parse({"status", "bogus", "load", "1"}) ==
          std::vector{Step::of(Verb::Status), Step::of(Verb::Usage)});
    CHECK(parse({"-f"}) == std::vector{Step::of(Verb::Usage)});
    CHECK(parse({"status", "-f"}) == std::vector{Step::of(Verb::Status), Step::of(Verb::Usage)});
    CHECK(parse({"erase"}) == std::vector{Step::of(Verb::Usage)});
    CHECK(parse({"STATUS"}) == std::vector{Step::of(Verb::Usage)});  // case matters
    CHECK(parse({"--version", "status"}) == std::vector{Step::of(Verb::Version)});
    CHECK(parse({}).empty());
}

TEST_CASE("mtx command line: a second -f opens another device") {
    CHECK(parse({"-f", "/dev/sg1", "status", "-f", "/dev/sg2", "status"}) ==
          std::vector{Step::openDevice("/dev/sg1"), Step::of(Verb::Status),
                      Step::openDevice("/dev/sg2"), Step::of(Verb::Status)});
}

TEST_CASE("mtx command line: which steps need the device and the element status") {
    CHECK(needsDevice(Verb::Inquiry));
    CHECK(!needsStatus(Verb::Inquiry));
    CHECK(needsStatus(Verb::Status));
    CHECK(needsStatus(Verb::Load));
    CHECK(needsStatus(Verb::Position));
    CHECK(needsDevice(Verb::Inventory));
    CHECK(!needsStatus(Verb::Inventory));
    CHECK(needsDevice(Verb::Eject));
    CHECK(!needsDevice(Verb::NoBarcode));
    CHECK(!needsDevice(Verb::Version));
    CHECK(verbName(Verb::Previous) == "previous");
    CHECK(verbName(Verb::Device) == "-f");
}

TEST_CASE("mtx command line: the default device is $CHANGER, else $TAPE, else /dev/changer") {
    CHECK(defaultDevice("/dev/sg4", "/dev/nst0") == "/dev/sg4");
    CHECK(defaultDevice(nullptr, "/dev/sg5") == "/dev/sg5");
    CHECK(defaultDevice(nullptr, nullptr) == "/dev/changer");
}
