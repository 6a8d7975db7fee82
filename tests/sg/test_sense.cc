#include <doctest/doctest.h>

#include "sg/fake_transport.h"
#include "sg/sense.h"

using namespace rsm;
using namespace rsm::sg;

TEST_CASE("fixed-format sense is normalised") {
    Reply r = FakeTransport::senseReply(0x05, 0x3B, 0x0E);
    auto s = parseSense(r.sense);
    REQUIRE(s.has_value());
    CHECK(s->key == 5);
    CHECK(s->asc == 0x3B);
    CHECK(s->ascq == 0x0E);
    CHECK(!s->deferred());
    CHECK(errorCodeForSense(*s) == ErrorCode::Empty);
    CHECK(describeSense(*s).find("(sense 05/3B/0E)") != std::string::npos);
    CHECK(describeSense(*s).find("empty") != std::string::npos);  // libsgutils2's words
}

TEST_CASE("descriptor-format sense is normalised, with the information field") {
    std::vector<std::uint8_t> d = {0x72, 0x06, 0x28, 0x00, 0, 0, 0, 12,
                                   // information descriptor: type 0, length 10, VALID
                                   0x00, 0x0A, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x02};
    auto s = parseSense(d);
    REQUIRE(s.has_value());
    CHECK(s->key == 6);
    CHECK(s->asc == 0x28);
    CHECK(s->information == 0x0102u);
    CHECK(classifySense(*s) == SenseAction::Retry);
}

TEST_CASE("stream bits of fixed sense: filemark, EOM, ILI") {
    std::vector<std::uint8_t> d(18, 0);
    d[0] = 0xF0;  // VALID + 70h
    d[2] = 0x20;  // ILI, key NO SENSE
    d[3] = 0xFF;
    d[4] = 0xFF;
    d[5] = 0xFF;
    d[6] = 0x00;  // information = -256 as a 32-bit value
    d[7] = 10;
    auto s = parseSense(d);
    REQUIRE(s.has_value());
    CHECK(s->incorrectLength);
    CHECK(!s->filemark);
    CHECK(s->information == 0xFFFFFF00u);
    CHECK(classifySense(*s) == SenseAction::Success);
}

TEST_CASE("descriptor-format sense is read only as far as it arrived") {
    // An information descriptor cut by the sense length (found by tests/fuzz/fuzz_sense:
    // libsgutils2 read its value from the 4 bytes after these 16).
    const std::vector<std::uint8_t> cut = {0x72, 0x70, 0x00, 0x02, 0x00, 0x02, 0x00, 0x04,
                                           0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x02};
    auto s = parseSense(cut);
    REQUIRE(s.has_value());
    CHECK(s->key == 0);
    CHECK(!s->information.has_value());
    // A stream commands descriptor declaring more bytes than arrived: byte 3 did arrive, so
    // FILEMARK, EOM and ILI count (libsgutils2's rule).
    const std::vector<std::uint8_t> stream = {0x72, 0x00, 0x00, 0xA2, 0xA2, 0xA2, 0xA2, 0x29,
                                              0x00, 0x00, 0x00, 0x00, 0x04, 0x29, 0x00, 0xF0,
                                              0x00, 0x70, 0x00, 0x29, 0x00, 0xBE, 0x3A};
    s = parseSense(stream);
    REQUIRE(s.has_value());
    CHECK(s->filemark);
    CHECK(s->endOfMedium);
    CHECK(s->incorrectLength);
    // The stream commands descriptor's byte 3 missing: no bits.
    s = parseSense(std::vector<std::uint8_t>(stream.begin(), stream.begin() + 15));
    REQUIRE(s.has_value());
    CHECK(!s->filemark);
    CHECK(!s->incorrectLength);
    // Descriptors of descriptor-format sense (72h) with the information descriptor complete.
    const std::vector<std::uint8_t> whole = {0x72, 0x00, 0x00, 0x00, 0,    0,    0,    16,
                                             0x00, 0x0A, 0x80, 0,    0,    0,    0,    0,
                                             0,    0,    0x12, 0x34, 0x04, 0x02, 0x00, 0x80};
    s = parseSense(whole);
    REQUIRE(s.has_value());
    CHECK(s->information == 0x1234u);
    CHECK(s->filemark);
    CHECK(!s->endOfMedium);
}

TEST_CASE("garbage is not sense") {
    CHECK(!parseSense(std::vector<std::uint8_t>{}).has_value());
    CHECK(!parseSense(std::vector<std::uint8_t>{0x70}).has_value());
    CHECK(!parseSense(std::vector<std::uint8_t>{0x12, 0x34, 0x56, 0x78}).has_value());
}

TEST_CASE("sense classification and RSM codes") {
    auto make = [](std::uint8_t k, std::uint8_t a, std::uint8_t q) {
        return *parseSense(FakeTransport::senseReply(k, a, q).sense);
    };
    CHECK(classifySense(make(2, 0x04, 0x01)) == SenseAction::WaitReady);
    CHECK(classifySense(make(2, 0x04, 0x07)) == SenseAction::WaitReady);
    CHECK(classifySense(make(2, 0x3A, 0x00)) == SenseAction::Fail);
    CHECK(classifySense(make(6, 0x29, 0x00)) == SenseAction::Retry);
    CHECK(classifySense(make(1, 0x5D, 0x00)) == SenseAction::Success);
    CHECK(classifySense(make(4, 0x40, 0x80)) == SenseAction::Fail);
    CHECK(errorCodeForSense(make(5, 0x3B, 0x0D)) == ErrorCode::NotEmpty);
    CHECK(errorCodeForSense(make(5, 0x24, 0x00)) == ErrorCode::InvalidParameter);
    CHECK(errorCodeForSense(make(5, 0x21, 0x01)) == ErrorCode::InvalidParameter);
    CHECK(errorCodeForSense(make(5, 0x20, 0x00)) == ErrorCode::InvalidOperation);
    CHECK(errorCodeForSense(make(4, 0x15, 0x01)) == ErrorCode::UnableToLoadMedium);
    CHECK(errorCodeForSense(make(5, 0x53, 0x02)) == ErrorCode::UnableToEjectMountedMedia);
    CHECK(errorCodeForSense(make(2, 0x3A, 0x00)) == ErrorCode::MediaNotAvailable);
    CHECK(errorCodeForSense(make(2, 0x04, 0x03)) == ErrorCode::LibraryOffline);
    CHECK(errorCodeForSense(make(4, 0x44, 0x00)) == ErrorCode::DeviceNotAvailable);
    CHECK(errorCodeForSense(make(2, 0x3A, 0x04)) == ErrorCode::MediaNotAvailable);
    CHECK(senseTriple({5, 0x3B, 0x0E}) == "sense 05/3B/0E");
}

TEST_CASE("a library's door open (02/04/83) is ERROR_LIBRARY_OFFLINE, said in words") {
    auto s = *parseSense(FakeTransport::senseReply(2, 0x04, 0x83).sense);
    CHECK(classifySense(s) == SenseAction::Fail);  // not waited out: someone must close it
    CHECK(errorCodeForSense(s) == ErrorCode::LibraryOffline);
    CHECK(describeSense(s).find("door is open (sense 02/04/83)") != std::string::npos);
}

TEST_CASE("sense: what a drive holding a cleaner says of the cleaning") {
    auto state = [](int asc, int ascq) {
        return cleaningState(
            SenseRecord{0x02, static_cast<std::uint8_t>(asc), static_cast<std::uint8_t>(ascq)});
    };
    CHECK(state(0x3A, 0x00) == CleaningState::Ejected);
    CHECK(state(0x3A, 0x02) == CleaningState::Ejected);
    CHECK(state(0x30, 0x07) == CleaningState::Failed);
    for (int ascq : {0x01, 0x02, 0x05, 0x06})
        CHECK(state(0x30, ascq) == CleaningState::CleanerRefused);
    const std::pair<int, int> cleaning[] = {{0x30, 0x03}, {0x04, 0x01}, {0x04, 0x07},
                                            {0x28, 0x00}, {0x29, 0x00}, {0x00, 0x17}};
    for (const auto &sense : cleaning)
        CHECK(state(sense.first, sense.second) == CleaningState::Cleaning);
    CHECK(state(0x30, 0x00) == CleaningState::Other);
    CHECK(state(0x3B, 0x0E) == CleaningState::Other);
    CHECK(state(0x00, 0x00) == CleaningState::Other);
}
