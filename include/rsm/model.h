#pragma once
// The RSM media model's states and kinds, with the NTMS numbers (rsm-model.md). These numbers
// are stored in the database and sent over the protocol; never renumber them.

#include <cstdint>
#include <optional>
#include <string_view>

namespace rsm {

enum class SideState : std::int16_t {
    Unknown = 0,
    Unprepared = 1,
    Incompatible = 2,
    Decommissioned = 3,
    Available = 4,
    Allocated = 5,
    Complete = 6,
    Foreign = 7,
    Import = 8,
    Reserved = 9,
};

enum class MediaState : std::int16_t {
    Idle = 0,     // in a slot or on the shelf
    InUse = 1,    // being moved
    Mounted = 2,  // in a drive, not yet ready
    Loaded = 3,   // in a drive, ready
    Unloaded = 4,
    OpError = 5,
    OpRequest = 6,
};

enum class DriveState : std::int16_t {
    Dismounted = 0,
    Mounted = 1,
    Loaded = 2,
    Unloaded = 5,
    BeingCleaned = 6,
    Dismountable = 7,
};

enum class RequestState : std::int16_t {
    Queued = 0,
    InProcess = 1,
    Passed = 2,
    Failed = 3,
    Invalid = 4,
    Waiting = 5,
    Deferred = 6,
    Cancelled = 7,
    Stopped = 8,
};

enum class OperatorRequestState : std::int16_t {
    Submitted = 1,
    Active = 2,
    InProgress = 3,
    Refused = 4,
    Complete = 5,
};

enum class OperatorRequestKind : std::int16_t {
    NewMedia = 1,
    Cleaner = 2,
    DeviceService = 3,
    MoveMedia = 4,
    Message = 5,
};

enum class LibraryKind : std::int16_t { Offline = 0, Online = 1, Standalone = 2 };

enum class PoolKind : std::int16_t { Free = 0, Import = 1, Unrecognized = 2, Application = 3 };

enum class LocationKind : std::int16_t {
    Shelf = 0,
    Slot = 1,
    Drive = 2,
    IePort = 3,
    Transport = 4
};

enum class ObjectKind : std::int16_t {
    Computer = 0,
    Library = 1,
    Drive = 2,
    Slot = 3,
    IePort = 4,
    MediaType = 5,
    PhysicalMedia = 6,
    Side = 7,
    LogicalMedia = 8,
    Pool = 9,
    LibraryRequest = 10,
    OperatorRequest = 11,
    Changer = 12,
};

// Access rights (NTMS_USE_ACCESS, NTMS_MODIFY_ACCESS, NTMS_CONTROL_ACCESS); a bit set.
namespace rights {
constexpr std::uint32_t Use = 1;
constexpr std::uint32_t Modify = 2;
constexpr std::uint32_t Control = 4;
constexpr std::uint32_t All = Use | Modify | Control;
}  // namespace rights

std::string_view sideStateName(SideState s);
std::string_view mediaStateName(MediaState s);
std::string_view driveStateName(DriveState s);
std::string_view requestStateName(RequestState s);
std::string_view operatorRequestKindName(OperatorRequestKind k);
std::string_view operatorRequestStateName(OperatorRequestState s);
// The kind named ("NEWMEDIA", any case), if any.
std::optional<OperatorRequestKind> operatorRequestKindFromName(std::string_view name);
std::string_view poolKindName(PoolKind k);
std::string_view libraryKindName(LibraryKind k);
std::string_view locationKindName(LocationKind k);
// The state or location named ("available", "IDLE", "slot": any case), if any.
std::optional<SideState> sideStateFromName(std::string_view name);
std::optional<MediaState> mediaStateFromName(std::string_view name);
std::optional<LocationKind> locationKindFromName(std::string_view name);
std::string_view objectKindName(ObjectKind k);
// Where a medium is when it sits in an element of this kind: a slot, a drive, an I/E port, or
// (anything else: the robot's picker) in transport.
LocationKind locationOfElement(ObjectKind element);

// Side states in which a side belongs to an application (ALLOCATED, COMPLETE, RESERVED):
// such media may not be deleted nor moved to the FREE pool.
constexpr bool sideIsOwned(SideState s) {
    return s == SideState::Allocated || s == SideState::Complete || s == SideState::Reserved;
}

// Operator request states that are final: someone answered.
constexpr bool operatorRequestFinished(OperatorRequestState s) {
    return s == OperatorRequestState::Refused || s == OperatorRequestState::Complete;
}

// Library request states that are final: the request will not run (again).
constexpr bool requestFinished(RequestState s) {
    return s == RequestState::Passed || s == RequestState::Failed || s == RequestState::Invalid ||
           s == RequestState::Cancelled || s == RequestState::Stopped;
}

}  // namespace rsm
