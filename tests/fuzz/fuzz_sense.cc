// libFuzzer target: sense data (sg/sense.h), fixed (70h/71h) and descriptor (72h/73h) format,
// normalised by libsgutils2, classified and described.
//
// Invariants: no read outside the bytes; a parsed sense has a response code 70h..73h and a
// 4-bit key; deferred() follows the response code; NO SENSE and RECOVERED ERROR classify as
// success; describeSense ends with the sense triple; classification and the error code are
// total. Differential: libsgutils2's sg_get_sense_info_fld and sg_get_sense_filemark_eom_ili
// (which rsm no longer calls: they read past cut descriptors) are run on two copies of the
// bytes, one followed by 00h bytes and one by FFh bytes; wherever both copies give the same
// answer (the answer depends only on the bytes received), rsm's parse gives that answer too;
// where they differ, libsgutils2 read past the end, and rsm reports nothing for that field.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sg/sense.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" {
#include <scsi/sg_lib.h>
}

namespace {

struct Reference {
    bool valid = false;
    std::uint64_t information = 0;
    bool stream = false;
    bool filemark = false, eom = false, ili = false;
};

// libsgutils2's answer on the bytes followed by 16 bytes of `pad`.
Reference reference(const std::uint8_t *data, std::size_t size, std::uint8_t pad) {
    std::vector<std::uint8_t> copy(data, data + size);
    copy.resize(size + 16, pad);
    const int n = static_cast<int>(size);
    Reference r;
    r.valid = sg_get_sense_info_fld(copy.data(), n, &r.information);
    r.stream = sg_get_sense_filemark_eom_ili(copy.data(), n, &r.filemark, &r.eom, &r.ili);
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace rsm::sg;
    const std::span<const std::uint8_t> bytes(data, size);
    auto sense = parseSense(bytes);
    if (!sense)
        return 0;
    FUZZ_CHECK(size >= 2);
    FUZZ_CHECK(sense->responseCode >= 0x70 && sense->responseCode <= 0x73);
    FUZZ_CHECK(sense->key <= 0x0F);
    FUZZ_CHECK(sense->deferred() == (sense->responseCode == 0x71 || sense->responseCode == 0x73));

    if (size <= 252) {  // the most sense data a device can return
        const Reference zeros = reference(data, size, 0x00);
        const Reference ones = reference(data, size, 0xFF);
        if (zeros.valid == ones.valid && zeros.information == ones.information) {
            FUZZ_CHECK(sense->information.has_value() == zeros.valid);
            if (zeros.valid)
                FUZZ_CHECK(*sense->information == zeros.information);
        } else {
            FUZZ_CHECK(sense->responseCode >= 0x72 && !sense->information);
        }
        if (zeros.stream == ones.stream && zeros.filemark == ones.filemark &&
            zeros.eom == ones.eom && zeros.ili == ones.ili) {
            FUZZ_CHECK(sense->filemark == (zeros.stream && zeros.filemark));
            FUZZ_CHECK(sense->endOfMedium == (zeros.stream && zeros.eom));
            FUZZ_CHECK(sense->incorrectLength == (zeros.stream && zeros.ili));
        } else {
            FUZZ_CHECK(sense->responseCode >= 0x72 && !sense->filemark && !sense->endOfMedium &&
                       !sense->incorrectLength);
        }
    }

    const SenseAction action = classifySense(*sense);
    FUZZ_CHECK(action == SenseAction::Success || action == SenseAction::Retry ||
               action == SenseAction::WaitReady || action == SenseAction::Fail);
    if (sense->key == sense_key::NoSense || sense->key == sense_key::RecoveredError)
        FUZZ_CHECK(action == SenseAction::Success);
    (void)errorCodeForSense(*sense);

    const std::string triple = senseTriple(sense->record());
    FUZZ_CHECK(triple.size() == 14);
    const std::string text = describeSense(*sense);
    FUZZ_CHECK(text.size() >= triple.size() + 2);
    FUZZ_CHECK(text.compare(text.size() - triple.size() - 1, triple.size(), triple) == 0);
    return 0;
}
