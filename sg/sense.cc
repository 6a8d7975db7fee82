#include "sg/sense.h"

#include <fmt/format.h>

#include <algorithm>

extern "C" {
#include <scsi/sg_lib.h>
}

namespace rsm::sg {

namespace {

// Where the first descriptor of `type` starts in descriptor-format sense, found as
// libsgutils2's sg_scsi_sense_desc_find finds it (walking the ADDITIONAL SENSE LENGTH's bytes,
// cut to those received; a descriptor whose length runs past them is still found). npos: none.
// rsm reads the fields itself, each only when its bytes were received: libsgutils2 1.46's
// sg_get_sense_info_fld and sg_get_sense_filemark_eom_ili read them without that check (a cut
// information descriptor made them read up to 11 bytes past the sense data; found by
// tests/fuzz/fuzz_sense).
std::size_t findDescriptor(std::span<const std::uint8_t> b, std::uint8_t type) {
    if (b.size() < 8 || b[7] == 0 || b[0] < 0x72 || b[0] > 0x73)  // bit 7 of byte 0 clear too
        return std::string::npos;
    const std::size_t additional = std::min<std::size_t>(b[7], b.size() - 8);
    std::size_t length = 0;
    for (std::size_t k = 0; k < additional; k += length) {
        const std::size_t at = 8 + k;
        if (b[at] == type)
            return at;
        if (k + 1 >= additional)
            break;
        length = std::size_t{2} + b[at + 1];
    }
    return std::string::npos;
}

std::uint64_t bigEndian(const std::uint8_t *p, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
        v = v << 8 | p[i];
    return v;
}

}  // namespace

std::optional<Sense> parseSense(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 2)
        return std::nullopt;
    sg_scsi_sense_hdr header{};
    if (!sg_scsi_normalize_sense(bytes.data(), static_cast<int>(bytes.size()), &header))
        return std::nullopt;
    Sense s;
    s.responseCode = header.response_code;
    s.key = header.sense_key & 0x0F;
    s.asc = header.asc;
    s.ascq = header.ascq;
    // The INFORMATION field and the stream bits (FILEMARK, EOM, ILI), by libsgutils2's rules
    // (fixed format: 7 bytes at least; descriptor format: the first information descriptor,
    // the first stream commands descriptor), reading only what arrived.
    if (bytes.size() < 7)
        return s;
    std::uint8_t stream = 0;
    if (s.responseCode == 0x70 || s.responseCode == 0x71) {
        if (bytes[0] & 0x80)
            s.information = bigEndian(bytes.data() + 3, 4);
        stream = bytes[2];
    } else {
        const auto received = [&](std::size_t at, std::size_t n) {
            return at != std::string::npos && at + n <= bytes.size();
        };
        // Information descriptor: type 00h, additional length 0Ah, VALID, 8 bytes of value.
        if (const std::size_t at = findDescriptor(bytes, 0x00);
            received(at, 12) && bytes[at + 1] == 0x0A && (bytes[at + 2] & 0x80))
            s.information = bigEndian(bytes.data() + at + 4, 8);
        // Stream commands descriptor: type 04h, additional length at least 2, the bits in byte 3.
        if (const std::size_t at = findDescriptor(bytes, 0x04);
            received(at, 4) && bytes[at + 1] >= 2)
            stream = bytes[at + 3];
    }
    s.filemark = stream & 0x80;
    s.endOfMedium = stream & 0x40;
    s.incorrectLength = stream & 0x20;
    return s;
}

SenseAction classifySense(const Sense &s) {
    switch (s.key) {
        case sense_key::NoSense:
        case sense_key::RecoveredError:
            return SenseAction::Success;
        case sense_key::UnitAttention:
            return SenseAction::Retry;
        case sense_key::NotReady:
            // 04/01 becoming ready, 04/07 operation in progress, 04/13 SA creation in progress,
            // 04/00 cause not reportable (robots say it while they settle).
            if (s.asc == 0x04 && (s.ascq == 0x00 || s.ascq == 0x01 || s.ascq == 0x07 ||
                                  s.ascq == 0x13 || s.ascq == 0x1A))
                return SenseAction::WaitReady;
            return SenseAction::Fail;
        case sense_key::AbortedCommand:
            // 47/xx and 4B/xx: transport-level glitches a repeat usually cures.
            if (s.asc == 0x47 || s.asc == 0x4B || s.asc == 0x4E)
                return SenseAction::Retry;
            return SenseAction::Fail;
        default:
            return SenseAction::Fail;
    }
}

CleaningState cleaningState(const SenseRecord &sense) {
    const int asc = sense.asc, ascq = sense.ascq;
    if (asc == 0x3A)
        return CleaningState::Ejected;
    if (asc == 0x30 && ascq == 0x07)
        return CleaningState::Failed;
    if (asc == 0x30 && (ascq == 0x01 || ascq == 0x02 || ascq == 0x05 || ascq == 0x06))
        return CleaningState::CleanerRefused;
    if (asc == 0x04 || (asc == 0x30 && ascq == 0x03) || asc == 0x28 || asc == 0x29 ||
        (asc == 0x00 && ascq == 0x17))
        return CleaningState::Cleaning;
    return CleaningState::Other;
}

ErrorCode errorCodeForSense(const Sense &s) {
    const int code = (s.asc << 8) | s.ascq;
    switch (code) {
        case 0x3B0E:  // medium source element empty
            return ErrorCode::Empty;
        case 0x3B0D:  // medium destination element full
            return ErrorCode::NotEmpty;
        case 0x3B12:  // medium magazine removed
        case 0x3B11:  // medium magazine not accessible
            return ErrorCode::MediumNotAccessible;
        case 0x3A00:  // medium not present
        case 0x3A01:
        case 0x3A02:
        case 0x3A04:  // medium not present - medium auxiliary memory accessible
            return ErrorCode::MediaNotAvailable;
        case 0x0483:  // door open (vendor-specific, shared by most libraries)
            return ErrorCode::LibraryOffline;
        case 0x5302:  // medium removal prevented
            return ErrorCode::UnableToEjectMountedMedia;
        case 0x1501:  // mechanical positioning error
        case 0x1500:
            return ErrorCode::UnableToLoadMedium;
        case 0x3003:  // cleaning cartridge installed
            return ErrorCode::CleanerCartridgeInstalled;
        case 0x2000:  // invalid command operation code
            return ErrorCode::InvalidOperation;
        case 0x2400:  // invalid field in CDB
        case 0x2101:  // invalid element address
        case 0x2100:
        case 0x2600:
            return ErrorCode::InvalidParameter;
        case 0x2700:  // write protected
            return ErrorCode::WriteProtect;
        default:
            break;
    }
    switch (s.key) {
        case sense_key::NotReady:
            return s.asc == 0x04 ? ErrorCode::LibraryOffline : ErrorCode::DeviceNotAvailable;
        case sense_key::IllegalRequest:
            return ErrorCode::InvalidOperation;
        case sense_key::DataProtect:
            return ErrorCode::WriteProtect;
        case sense_key::MediumError:
            return ErrorCode::MediumNotAccessible;
        case sense_key::UnitAttention:
            return ErrorCode::Busy;
        default:
            return ErrorCode::DeviceNotAvailable;
    }
}

std::string senseTriple(const SenseRecord &r) {
    return fmt::format("sense {:02X}/{:02X}/{:02X}", r.key, r.asc, r.ascq);
}

std::string describeSense(const Sense &s) {
    char keyText[64];
    sg_get_sense_key_str(s.key, sizeof(keyText), keyText);
    char ascText[128];
    sg_get_asc_ascq_str(s.asc, s.ascq, sizeof(ascText), ascText);
    // A vendor-specific code most libraries share, which libsgutils2 has no words for.
    if (s.key == sense_key::NotReady && s.asc == 0x04 && s.ascq == 0x83)
        return fmt::format("{}: the library's door is open ({})", keyText, senseTriple(s.record()));
    return fmt::format("{}: {} ({})", keyText, ascText, senseTriple(s.record()));
}

}  // namespace rsm::sg
