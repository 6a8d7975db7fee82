#pragma once
// The first block of a tape as each program writes it, built byte by byte, for the label
// library tests and for writing labels onto virtual tapes. Sources of each layout are named at
// each builder; src/label/*.cc describe the same layouts from the reading side.
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rsm::test::labels {

using Block = std::vector<std::uint8_t>;

// ANSI X3.27-1987 VOL1: one 80-byte block, version '4'.
Block ansiVol1(std::string_view volser, std::string_view implementation = {},
               std::string_view owner = {});
// IBM standard label VOL1 in EBCDIC: one 80-byte block (owner at offset 41).
Block ibmVol1(std::string_view volser, std::string_view owner = {});
// LTFS's VOL1 on each partition: the first six characters of the barcode (blanks when there
// is none), accessibility 'L', implementation "LTFS", version '4'.
Block ltfsVol1(std::string_view barcode);

// A Bacula/Bareos volume label. Defaults: what `label` in bconsole writes with Bacula 9-13 on
// a tape (BB02, PRE_LABEL, VerNum 11), in a block padded to 1 KiB.
struct BaculaVolume {
    std::string blockId = "BB02";  // "BB01" (Bacula <= 1.26), "BB02", "BB03" (newest Bacula)
    std::string id = "Bacula 1.0 immortal\n";
    std::uint32_t verNum = 11;
    std::int32_t labelType = -1;  // PRE_LABEL; VOL_LABEL is -2
    std::string volumeName = "Vol-0001";
    std::string prevVolumeName;
    std::string poolName = "Default";
    std::string poolType = "Backup";
    std::string mediaType = "LTO-5";
    std::string hostName = "backup1";
    std::string labelProg = "bacula-sd";
    std::string progVersion = "Ver. 13.0.4 03 February 2024 ";
    std::string progDate = "Build Feb  3 2024 10:00:00 ";
    std::uint32_t volSessionId = 0;
    std::uint32_t volSessionTime = 0;
    std::int64_t labelTime = 1'700'000'000'000'000;  // btime: microseconds since 1970
};
BaculaVolume bareosVolume(std::string volumeName);  // Bareos 2.0, VerNum 20, bareos-sd
Block baculaBlock(const BaculaVolume &volume);

// Amanda's tape header: "AMANDA: TAPESTART DATE <datestamp> TAPE <label>\n\f\n" in 32 KiB.
Block amandaBlock(std::string_view datestamp, std::string_view label);

// tar: the first record (10240 bytes, GNU tar's default blocking factor 20) of an archive.
enum class TarFormat { Gnu, Ustar, Pax };
struct TarMember {
    std::string name;
    char type = '0';
    std::string content;
};
Block tarBlock(TarFormat format, const std::vector<TarMember> &members,
               std::optional<std::string> volumeLabel = std::nullopt);
// One 512-byte header (checksum filled in), for tests that break it.
Block tarHeader(TarFormat format, std::string_view name, char type, std::uint64_t size);

}  // namespace rsm::test::labels
