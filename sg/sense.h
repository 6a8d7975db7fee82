#pragma once
// Sense data: normalised from fixed (70h/71h) or descriptor (72h/73h) format, classified into
// what to do about it, and described in words (ASC/ASCQ text from libsgutils2).
// Pure functions; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "rsm/error.h"

namespace rsm::sg {

namespace sense_key {
constexpr std::uint8_t NoSense = 0x0;
constexpr std::uint8_t RecoveredError = 0x1;
constexpr std::uint8_t NotReady = 0x2;
constexpr std::uint8_t MediumError = 0x3;
constexpr std::uint8_t HardwareError = 0x4;
constexpr std::uint8_t IllegalRequest = 0x5;
constexpr std::uint8_t UnitAttention = 0x6;
constexpr std::uint8_t DataProtect = 0x7;
constexpr std::uint8_t BlankCheck = 0x8;
constexpr std::uint8_t AbortedCommand = 0xB;
}  // namespace sense_key

struct Sense {
    std::uint8_t responseCode = 0;  // 70h/71h fixed, 72h/73h descriptor
    std::uint8_t key = 0;
    std::uint8_t asc = 0;
    std::uint8_t ascq = 0;
    std::optional<std::uint64_t> information;  // VALID information field
    bool filemark = false;                     // stream commands (tape)
    bool endOfMedium = false;
    bool incorrectLength = false;  // ILI

    bool deferred() const { return responseCode == 0x71 || responseCode == 0x73; }
    SenseRecord record() const { return {key, asc, ascq}; }
};

// Nullopt when the bytes hold no recognisable sense data.
std::optional<Sense> parseSense(std::span<const std::uint8_t> bytes);

enum class SenseAction {
    Success,    // NO SENSE / RECOVERED ERROR: the command did what it was asked
    Retry,      // UNIT ATTENTION (power on, reset, inventory changed, mode change): repeat it
    WaitReady,  // NOT READY, becoming ready / operation in progress: wait, then repeat
    Fail,       // anything else
};

SenseAction classifySense(const Sense &sense);

// What a tape drive's failed TEST UNIT READY says while it holds a cleaner cartridge.
enum class CleaningState {
    Ejected,         // MEDIUM NOT PRESENT: it cleaned and ejected the cleaner
    Failed,          // CLEANING FAILURE (30/07)
    CleanerRefused,  // a cleaner it cannot use: expired, incompatible (30/01, 30/02, 30/05, 30/06)
    Cleaning,        // becoming ready, cleaning (30/03), a unit attention, an operation under way
    Other,           // anything else: the command failed
};
CleaningState cleaningState(const SenseRecord &sense);

// The RSM code a failure with this sense maps to (for example 05/3B/0E -> ERROR_EMPTY).
ErrorCode errorCodeForSense(const Sense &sense);

// "ILLEGAL REQUEST: Medium source element empty (sense 05/3B/0E)"; text from libsgutils2.
std::string describeSense(const Sense &sense);
// "sense 05/3B/0E"
std::string senseTriple(const SenseRecord &record);

}  // namespace rsm::sg
