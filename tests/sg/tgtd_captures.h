#pragma once
// Replies captured from tgtd 1.0.85's virtual library (picker 1, slots 1000-1004, I/E ports
// 10-11, drive 500), as hex text for fromHex(): the unit tests of the parsers and the fuzz
// targets' seed corpora (tests/fuzz/make_corpus.cc) share them.

namespace rsm::test {

// READ ELEMENT STATUS, storage, VOLTAG, allocation 4096, five slots 1000-1004, SMC001L5 in 1000.
// 268 bytes arrived; the header declares 268 (0x10c) after itself (8 bytes short).
inline constexpr const char *kTgtdStorage =
    "03e8 0005 00 00010c 02 80 0034 00 000104"
    "03e8 01 00 0000 00 00 00 00 0000 534d4330 30314c35 20202020 20202020 20202020"
    "20202020 20202020 20202020 00000000 00000000"
    "03e9 00 00 0000 00 00 00 00 0000 20202020 20202020 20202020 20202020 20202020"
    "20202020 20202020 20202020 00000000 00000000"
    "03ea 00 00 0000 00 00 00 00 0000 20202020 20202020 20202020 20202020 20202020"
    "20202020 20202020 20202020 00000000 00000000"
    "03eb 00 00 0000 00 00 00 00 0000 20202020 20202020 20202020 20202020 20202020"
    "20202020 20202020 20202020 00000000 00000000"
    "03ec 00 00 0000 00 00 00 00 0000 20202020 20202020 20202020 20202020 20202020"
    "20202020 20202020 20202020";

// READ ELEMENT STATUS, drives, VOLTAG and DVCID, one drive at 500 (94 bytes arrived).
inline constexpr const char *kTgtdDrive =
    "01f4 0001 00 00005e 04 80 0056 00 000056"
    "01f4 00 00 0000 00 00 00 00 0000 20202020 20202020 20202020 20202020 20202020"
    "20202020 20202020 20202020 00000000"
    "02 01 00 22 49455420 20202020 56495254 55414c2d 54415045 20202020 6265";

// MODE SENSE(6) of pages 1Dh and 1Fh, and of 1Dh with an 8-byte block descriptor.
inline constexpr const char *kTgtdSix1D =
    "17000000 1d12 0001 0001 03e8 0005 000a 0002 01f4 0001 0000";
inline constexpr const char *kTgtdSix1F = "17000000 1f12 0f07 0f0f0f0f 00000000 0f0f0f0f 00000000";
inline constexpr const char *kTgtdSixBlock1D =
    "1f000008 0000000000000000 1d12 0001 0001 03e8 0005 000a 0002 01f4 0001 0000";
// MODE SENSE(10), page 3Fh: pages 00h, 0Ah, 0Ah subpage 01h (SPF), 1Ah, 1Ch, 1Dh, 1Eh, 1Fh.
inline constexpr const char *kTgtdTenAll =
    "00 78 00 00 00 00 00 00 00 00 0a 0a 02 00 00 00"
    "00 00 00 00 02 00 4a 01 00 1c 04 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 1a 0a 08 00 00 00 00 00 00 00"
    "00 00 1c 0a 08 00 00 00 00 00 00 00 00 00 1d 12"
    "00 01 00 01 03 e8 00 05 00 0a 00 02 01 f4 00 01"
    "00 00 1e 02 00 00 1f 12 0f 07 0f 0f 0f 0f 00 00"
    "00 00 0f 0f 0f 0f 00 00 00 00";

// The changer LUN's INQUIRY (66 bytes) and VPD page 80h.
inline constexpr const char *kTgtdChangerInquiry =
    "08 80 05 12 3d 00 00 02 49 45 54 20 20 20 20 20"
    "56 49 52 54 55 41 4c 2d 43 48 41 4e 47 45 52 20"
    "30 30 30 31 00 00 00 00 00 00 00 00 00 00 00 00"
    "00 00 00 00 00 00 00 00 00 00 04 80 09 60 03 00"
    "00 00";
inline constexpr const char *kTgtdChangerSerial =
    "08 80 00 24 20 20 20 20 20 20 20 20 20 20 20 20"
    "20 20 20 20 20 20 20 20 20 20 20 20 20 20 20 20"
    "20 20 62 65 61 66 31 33";

}  // namespace rsm::test
