#pragma once
// CDB builders: pure functions that return a Command value (CDB bytes, data direction,
// allocation length, a default timeout). No I/O. SPC-4, SMC-3 and SSC-3 commands rsm needs.
// Callers override Command::timeout where their configuration says so.

#include <cstdint>
#include <span>

#include "sg/element.h"
#include "sg/transport.h"

namespace rsm::sg::cdb {

// SPC
Command inquiry(std::uint16_t allocationLength = 96);
Command inquiryVpd(std::uint8_t page, std::uint16_t allocationLength = 252);
Command testUnitReady();
Command requestSense(std::uint8_t allocationLength = 252);
Command modeSense6(std::uint8_t page, std::uint8_t allocationLength = 252,
                   bool disableBlockDescriptors = true);
Command modeSense10(std::uint8_t page, std::uint16_t allocationLength = 1024,
                    bool disableBlockDescriptors = true);
Command preventAllowMediumRemoval(bool prevent);
Command startStopUnit(bool loadEject, bool start, bool immediate = false);
// LOG SENSE of the current cumulative values of one page (PC = 01b).
Command logSense(std::uint8_t page, std::uint16_t allocationLength = 1024);
// READ ATTRIBUTE (16), service action ATTRIBUTE VALUES (00h): the medium's attributes (MAM)
// from `firstAttribute` on, of logical volume 0 and partition 0.
Command readAttribute(std::uint16_t firstAttribute = 0, std::uint32_t allocationLength = 4096);

// SMC
struct ReadElementStatusParams {
    ElementType type = ElementType::All;
    std::uint16_t startAddress = 0;
    std::uint16_t count = 0xFFFF;
    bool volumeTags = true;                   // VOLTAG
    bool deviceIdentifiers = false;           // DVCID
    bool currentData = false;                 // CURDATA: no robot motion to gather the data
    std::uint32_t allocationLength = 0xFFFF;  // 24 bits at most
};
Command readElementStatus(const ReadElementStatusParams &params);
Command moveMedium(std::uint16_t transport, std::uint16_t source, std::uint16_t destination,
                   bool invert = false);
Command exchangeMedium(std::uint16_t transport, std::uint16_t source,
                       std::uint16_t firstDestination, std::uint16_t secondDestination,
                       bool invert1 = false, bool invert2 = false);
Command initializeElementStatus();
Command initializeElementStatusWithRange(std::uint16_t start, std::uint16_t count);
Command positionToElement(std::uint16_t transport, std::uint16_t destination, bool invert = false);

// SSC (tape drives)
Command rewind(bool immediate = false);
// READ(6) in variable-block mode: one block of up to `length` bytes (24 bits).
Command read6Variable(std::uint32_t length);
// WRITE(6) in variable-block mode: `block` as one block (data-out). The length field has 24
// bits: a longer span is cut to 0xFFFFFF bytes, in the CDB and in the data (TapeDrive refuses
// such a block before it gets here).
Command write6Variable(std::span<const std::uint8_t> block);
// WRITE FILEMARKS(6): `count` filemarks (24 bits); 0 only flushes the drive's buffer.
Command writeFilemarks6(std::uint32_t count, bool immediate = false);
Command loadUnload(bool load, bool immediate = false);

// Operation codes, for matching in tests and in sense messages.
namespace op {
constexpr std::uint8_t TestUnitReady = 0x00;
constexpr std::uint8_t Rewind = 0x01;
constexpr std::uint8_t RequestSense = 0x03;
constexpr std::uint8_t InitializeElementStatus = 0x07;
constexpr std::uint8_t Read6 = 0x08;
constexpr std::uint8_t Write6 = 0x0A;
constexpr std::uint8_t WriteFilemarks6 = 0x10;
constexpr std::uint8_t Inquiry = 0x12;
constexpr std::uint8_t ModeSense6 = 0x1A;
constexpr std::uint8_t StartStopUnit = 0x1B;  // also SSC LOAD/UNLOAD
constexpr std::uint8_t PreventAllow = 0x1E;
constexpr std::uint8_t PositionToElement = 0x2B;
constexpr std::uint8_t LogSense = 0x4D;
constexpr std::uint8_t InitializeElementStatusWithRange = 0x37;
constexpr std::uint8_t ModeSense10 = 0x5A;
constexpr std::uint8_t ReadAttribute = 0x8C;
constexpr std::uint8_t MoveMedium = 0xA5;
constexpr std::uint8_t ExchangeMedium = 0xA6;
constexpr std::uint8_t ReadElementStatus = 0xB8;
}  // namespace op

}  // namespace rsm::sg::cdb
