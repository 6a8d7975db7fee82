#include "sg/cdb.h"

#include <algorithm>

namespace rsm::sg::cdb {

namespace {

using namespace std::chrono_literals;

Command make(std::string_view name, std::vector<std::uint8_t> bytes,
             Direction direction = Direction::None, std::uint32_t allocationLength = 0,
             std::chrono::milliseconds timeout = 60s) {
    Command c;
    c.name = name;
    c.cdb = std::move(bytes);
    c.direction = direction;
    c.allocationLength = allocationLength;
    c.timeout = timeout;
    return c;
}

std::uint8_t hi(std::uint32_t v) {
    return static_cast<std::uint8_t>((v >> 8) & 0xFF);
}
std::uint8_t lo(std::uint32_t v) {
    return static_cast<std::uint8_t>(v & 0xFF);
}

}  // namespace

Command inquiry(std::uint16_t allocationLength) {
    return make("INQUIRY", {op::Inquiry, 0, 0, hi(allocationLength), lo(allocationLength), 0},
                Direction::FromDevice, allocationLength, 30s);
}

Command inquiryVpd(std::uint8_t page, std::uint16_t allocationLength) {
    return make("INQUIRY (VPD)",
                {op::Inquiry, 0x01, page, hi(allocationLength), lo(allocationLength), 0},
                Direction::FromDevice, allocationLength, 30s);
}

Command testUnitReady() {
    return make("TEST UNIT READY", {op::TestUnitReady, 0, 0, 0, 0, 0});
}

Command logSense(std::uint8_t page, std::uint16_t allocationLength) {
    return make("LOG SENSE",
                {op::LogSense, 0, static_cast<std::uint8_t>(0x40 | (page & 0x3F)), 0, 0, 0, 0,
                 static_cast<std::uint8_t>(allocationLength >> 8),
                 static_cast<std::uint8_t>(allocationLength & 0xFF), 0},
                Direction::FromDevice, allocationLength);
}

Command readAttribute(std::uint16_t firstAttribute, std::uint32_t allocationLength) {
    // Bytes 2-4 restricted, 5 logical volume, 6 reserved, 7 partition, 14 CACHE bit: all 0.
    return make("READ ATTRIBUTE",
                {op::ReadAttribute, 0x00, 0, 0, 0, 0, 0, 0, hi(firstAttribute), lo(firstAttribute),
                 static_cast<std::uint8_t>(allocationLength >> 24),
                 static_cast<std::uint8_t>((allocationLength >> 16) & 0xFF), hi(allocationLength),
                 lo(allocationLength), 0, 0},
                Direction::FromDevice, allocationLength);
}

Command requestSense(std::uint8_t allocationLength) {
    return make("REQUEST SENSE", {op::RequestSense, 0, 0, 0, allocationLength, 0},
                Direction::FromDevice, allocationLength);
}

Command modeSense6(std::uint8_t page, std::uint8_t allocationLength, bool disableBlockDescriptors) {
    return make("MODE SENSE(6)",
                {op::ModeSense6, static_cast<std::uint8_t>(disableBlockDescriptors ? 0x08 : 0),
                 static_cast<std::uint8_t>(page & 0x3F), 0, allocationLength, 0},
                Direction::FromDevice, allocationLength);
}

Command modeSense10(std::uint8_t page, std::uint16_t allocationLength,
                    bool disableBlockDescriptors) {
    return make("MODE SENSE(10)",
                {op::ModeSense10, static_cast<std::uint8_t>(disableBlockDescriptors ? 0x08 : 0),
                 static_cast<std::uint8_t>(page & 0x3F), 0, 0, 0, 0, hi(allocationLength),
                 lo(allocationLength), 0},
                Direction::FromDevice, allocationLength);
}

Command preventAllowMediumRemoval(bool prevent) {
    return make("PREVENT ALLOW MEDIUM REMOVAL",
                {op::PreventAllow, 0, 0, 0, static_cast<std::uint8_t>(prevent ? 1 : 0), 0});
}

Command startStopUnit(bool loadEject, bool start, bool immediate) {
    const auto b4 = static_cast<std::uint8_t>((loadEject ? 0x02 : 0) | (start ? 0x01 : 0));
    return make("START STOP UNIT",
                {op::StartStopUnit, static_cast<std::uint8_t>(immediate ? 1 : 0), 0, 0, b4, 0},
                Direction::None, 0, 600s);
}

Command readElementStatus(const ReadElementStatusParams &p) {
    const std::uint32_t len = std::min<std::uint32_t>(p.allocationLength, 0xFFFFFF);
    const auto b1 = static_cast<std::uint8_t>((p.volumeTags ? 0x10 : 0) |
                                              (static_cast<std::uint8_t>(p.type) & 0x0F));
    const auto b6 =
        static_cast<std::uint8_t>((p.currentData ? 0x02 : 0) | (p.deviceIdentifiers ? 0x01 : 0));
    return make(
        "READ ELEMENT STATUS",
        {op::ReadElementStatus, b1, hi(p.startAddress), lo(p.startAddress), hi(p.count),
         lo(p.count), b6, static_cast<std::uint8_t>((len >> 16) & 0xFF), hi(len), lo(len), 0, 0},
        Direction::FromDevice, len, 600s);
}

Command moveMedium(std::uint16_t transport, std::uint16_t source, std::uint16_t destination,
                   bool invert) {
    return make(
        "MOVE MEDIUM",
        {op::MoveMedium, 0, hi(transport), lo(transport), hi(source), lo(source), hi(destination),
         lo(destination), 0, 0, static_cast<std::uint8_t>(invert ? 1 : 0), 0},
        Direction::None, 0, 900s);
}

Command exchangeMedium(std::uint16_t transport, std::uint16_t source,
                       std::uint16_t firstDestination, std::uint16_t secondDestination,
                       bool invert1, bool invert2) {
    const auto b10 = static_cast<std::uint8_t>((invert2 ? 0x02 : 0) | (invert1 ? 0x01 : 0));
    return make("EXCHANGE MEDIUM",
                {op::ExchangeMedium, 0, hi(transport), lo(transport), hi(source), lo(source),
                 hi(firstDestination), lo(firstDestination), hi(secondDestination),
                 lo(secondDestination), b10, 0},
                Direction::None, 0, 900s);
}

Command initializeElementStatus() {
    return make("INITIALIZE ELEMENT STATUS", {op::InitializeElementStatus, 0, 0, 0, 0, 0},
                Direction::None, 0, 1800s);
}

Command initializeElementStatusWithRange(std::uint16_t start, std::uint16_t count) {
    return make("INITIALIZE ELEMENT STATUS WITH RANGE",
                {op::InitializeElementStatusWithRange, 0x01, hi(start), lo(start), 0, 0, hi(count),
                 lo(count), 0, 0},
                Direction::None, 0, 1800s);
}

Command positionToElement(std::uint16_t transport, std::uint16_t destination, bool invert) {
    return make("POSITION TO ELEMENT",
                {op::PositionToElement, 0, hi(transport), lo(transport), hi(destination),
                 lo(destination), 0, 0, static_cast<std::uint8_t>(invert ? 1 : 0), 0},
                Direction::None, 0, 300s);
}

Command rewind(bool immediate) {
    return make("REWIND", {op::Rewind, static_cast<std::uint8_t>(immediate ? 1 : 0), 0, 0, 0, 0},
                Direction::None, 0, 600s);
}

Command read6Variable(std::uint32_t length) {
    length = std::min<std::uint32_t>(length, 0xFFFFFF);
    return make(
        "READ(6)",
        {op::Read6, 0, static_cast<std::uint8_t>((length >> 16) & 0xFF), hi(length), lo(length), 0},
        Direction::FromDevice, length, 600s);
}

Command write6Variable(std::span<const std::uint8_t> block) {
    const auto length = static_cast<std::uint32_t>(std::min<std::size_t>(block.size(), 0xFFFFFF));
    Command c = make("WRITE(6)",
                     {op::Write6, 0, static_cast<std::uint8_t>((length >> 16) & 0xFF), hi(length),
                      lo(length), 0},
                     Direction::ToDevice, 0, 600s);
    c.dataOut.assign(block.begin(), block.begin() + length);
    return c;
}

Command writeFilemarks6(std::uint32_t count, bool immediate) {
    count = std::min<std::uint32_t>(count, 0xFFFFFF);
    return make("WRITE FILEMARKS(6)",
                {op::WriteFilemarks6, static_cast<std::uint8_t>(immediate ? 1 : 0),
                 static_cast<std::uint8_t>((count >> 16) & 0xFF), hi(count), lo(count), 0},
                Direction::None, 0, 600s);
}

Command loadUnload(bool load, bool immediate) {
    return make(load ? "LOAD" : "UNLOAD",
                {op::StartStopUnit, static_cast<std::uint8_t>(immediate ? 1 : 0), 0, 0,
                 static_cast<std::uint8_t>(load ? 1 : 0), 0},
                Direction::None, 0, 600s);
}

}  // namespace rsm::sg::cdb
