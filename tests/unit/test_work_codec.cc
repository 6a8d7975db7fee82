// The typed boundary of library requests: every kind of robot work survives the store's
// encoding (library_request.kind and .parameters) unchanged, and what no rsm wrote is kept as
// Unknown, never guessed.

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "src/store/work_codec.h"

namespace rsm::test {

namespace {

namespace work = engine::work;
using engine::RobotWork;
using store::decodeSense;
using store::decodeWork;
using store::encodeSense;
using store::encodeWork;

RobotWork roundTrip(const RobotWork &w) {
    const store::StoredWork stored = encodeWork(w);
    return decodeWork(stored.kind, stored.parameters);
}

}  // namespace

TEST_CASE("work codec: every kind of robot work round-trips with its parameters") {
    work::Mtx move;
    move.op = work::MtxOp::Move;
    move.source = 1000;
    move.destination = 500;
    move.invert = true;
    work::Mtx exchange;
    exchange.op = work::MtxOp::Exchange;
    exchange.source = 0;
    exchange.destination = 65535;
    exchange.second = 1001;
    work::Mtx position;
    position.op = work::MtxOp::Position;
    position.destination = 7;
    const std::vector<RobotWork> all = {
        work::Probe{},
        work::Inventory{false},
        work::Inventory{true},
        work::Audit{},
        work::Mount{},
        work::Mount{true, false, true},
        work::Mount{false, true, false},
        work::Dismount{false},
        work::Dismount{true},
        work::Eject{false},
        work::Eject{true},
        work::Inject{},
        work::Clean{},
        work::Health{},
        work::Mtx{work::MtxOp::Inquiry, {}, {}, {}, false},
        work::Mtx{work::MtxOp::Elements, {}, {}, {}, false},
        work::Mtx{work::MtxOp::Initialize, {}, {}, {}, false},
        move,
        exchange,
        position,
        work::Unknown{"calibrate", R"({"arm":2})"},
    };
    for (const RobotWork &w : all) {
        CAPTURE(encodeWork(w).kind);
        CAPTURE(encodeWork(w).parameters);
        CHECK(roundTrip(w) == w);
        CHECK(engine::kindOf(roundTrip(w)) == engine::kindOf(w));
    }
}

TEST_CASE("work codec: the stored kinds and parameters are those earlier rsm versions wrote") {
    CHECK(encodeWork(work::Mount{true, false, true}) ==
          store::StoredWork{"mount", R"({"error_if_offline":true,"nowait":false,"write":true})"});
    CHECK(encodeWork(work::Dismount{true}) ==
          store::StoredWork{"dismount", R"({"deferred":true})"});
    CHECK(encodeWork(work::Audit{}) == store::StoredWork{"audit", "{}"});
    CHECK(encodeWork(work::Health{}) == store::StoredWork{"health", "{}"});
    CHECK(decodeWork("health", "{}") == RobotWork{work::Health{}});
    // Rows written before parameters were typed: "{}" and a missing flag are false.
    CHECK(decodeWork("eject", "{}") == RobotWork{work::Eject{false}});
    CHECK(decodeWork("eject", R"({"queue": true})") == RobotWork{work::Eject{true}});
    CHECK(decodeWork("inventory", R"({"full": false})") == RobotWork{work::Inventory{false}});
    CHECK(decodeWork("mtx", R"({"op": "move", "source": 1, "destination": 2, "invert": false})") ==
          RobotWork{work::Mtx{work::MtxOp::Move, 1, 2, {}, false}});
}

TEST_CASE("work codec: what no rsm wrote is Unknown, kept as stored") {
    for (const auto &stored : std::vector<std::pair<std::string, std::string>>{
             {"calibrate", "{}"},
             {"mount", R"({"write": "yes"})"},
             {"mtx", R"({"op": "rewind"})"},
             {"mtx", R"({"op": "move", "source": 70000, "destination": 1})"},
             {"mtx", R"({"op": "move", "source": -1, "destination": 1})"},
             {"mtx", "{}"},
             {"inventory", "[]"},
             {"probe", "not json"},
         }) {
        const std::string &kind = stored.first;
        const std::string &parameters = stored.second;
        CAPTURE(kind);
        CAPTURE(parameters);
        const RobotWork w = decodeWork(kind, parameters);
        REQUIRE(std::holds_alternative<work::Unknown>(w));
        CHECK(std::get<work::Unknown>(w).kind == kind);
        CHECK(std::get<work::Unknown>(w).parameters == parameters);
        CHECK(engine::kindOf(w) == kind);
    }
}

TEST_CASE("work codec: a failure's sense round-trips; anything else in the result is none") {
    const SenseRecord sense{0x04, 0x15, 0x01};
    const auto back = decodeSense(encodeSense(sense));
    REQUIRE(back);
    CHECK(back->key == 0x04);
    CHECK(back->asc == 0x15);
    CHECK(back->ascq == 0x01);
    for (const char *stored :
         {R"({"elements": []})", R"({"sense": [1, 2]})", R"({"sense": [1, 2, 300]})",
          R"({"sense": [1, -2, 3]})", "not json", "[]"}) {
        CAPTURE(stored);
        CHECK_FALSE(decodeSense(stored));
    }
}

}  // namespace rsm::test
