#include "sg/sense.h"

#include <fmt/format.h>

extern "C" {
#include <scsi/sg_lib.h>
}

namespace rsm::sg {

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
    std::uint64_t info = 0;
    if (sg_get_sense_info_fld(bytes.data(), static_cast<int>(bytes.size()), &info))
        s.information = info;
    bool filemark = false, eom = false, ili = false;
    if (sg_get_sense_filemark_eom_ili(bytes.data(), static_cast<int>(bytes.size()), &filemark, &eom,
                                      &ili)) {
        s.filemark = filemark;
        s.endOfMedium = eom;
        s.incorrectLength = ili;
    }
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
