#pragma once
// The RSM result codes (Win32 numbering, as NTMS used them). rsm keeps the numbers and the
// names so that messages, logs and JSON replies speak the vocabulary of the RSM documentation.
// Thread-safe: pure functions over constant tables.

#include <cstdint>
#include <optional>
#include <string_view>

namespace rsm {

#define RSM_ERROR_CODES(X)                                             \
    X(Success, 0, SUCCESS)                                             \
    X(AccessDenied, 5, ACCESS_DENIED)                                  \
    X(InvalidHandle, 6, INVALID_HANDLE)                                \
    X(NotEnoughMemory, 8, NOT_ENOUGH_MEMORY)                           \
    X(BadFormat, 11, BAD_FORMAT)                                       \
    X(InvalidDrive, 15, INVALID_DRIVE)                                 \
    X(WriteProtect, 19, WRITE_PROTECT)                                 \
    X(NotSupported, 50, NOT_SUPPORTED)                                 \
    X(InvalidParameter, 87, INVALID_PARAMETER)                         \
    X(Busy, 170, BUSY)                                                 \
    X(AlreadyExists, 183, ALREADY_EXISTS)                              \
    X(Cancelled, 1223, CANCELLED)                                      \
    X(Timeout, 1460, TIMEOUT)                                          \
    X(InvalidState, 5023, INVALID_STATE)                               \
    X(InvalidMedia, 4300, INVALID_MEDIA)                               \
    X(InvalidLibrary, 4301, INVALID_LIBRARY)                           \
    X(InvalidMediaPool, 4302, INVALID_MEDIA_POOL)                      \
    X(DriveMediaMismatch, 4303, DRIVE_MEDIA_MISMATCH)                  \
    X(MediaOffline, 4304, MEDIA_OFFLINE)                               \
    X(LibraryOffline, 4305, LIBRARY_OFFLINE)                           \
    X(Empty, 4306, EMPTY)                                              \
    X(NotEmpty, 4307, NOT_EMPTY)                                       \
    X(MediaUnavailable, 4308, MEDIA_UNAVAILABLE)                       \
    X(ResourceDisabled, 4309, RESOURCE_DISABLED)                       \
    X(InvalidCleaner, 4310, INVALID_CLEANER)                           \
    X(UnableToClean, 4311, UNABLE_TO_CLEAN)                            \
    X(ObjectNotFound, 4312, OBJECT_NOT_FOUND)                          \
    X(DatabaseFailure, 4313, DATABASE_FAILURE)                         \
    X(DatabaseFull, 4314, DATABASE_FULL)                               \
    X(MediaIncompatible, 4315, MEDIA_INCOMPATIBLE)                     \
    X(ResourceNotPresent, 4316, RESOURCE_NOT_PRESENT)                  \
    X(InvalidOperation, 4317, INVALID_OPERATION)                       \
    X(MediaNotAvailable, 4318, MEDIA_NOT_AVAILABLE)                    \
    X(DeviceNotAvailable, 4319, DEVICE_NOT_AVAILABLE)                  \
    X(RequestRefused, 4320, REQUEST_REFUSED)                           \
    X(InvalidDriveObject, 4321, INVALID_DRIVE_OBJECT)                  \
    X(LibraryFull, 4322, LIBRARY_FULL)                                 \
    X(MediumNotAccessible, 4323, MEDIUM_NOT_ACCESSIBLE)                \
    X(UnableToLoadMedium, 4324, UNABLE_TO_LOAD_MEDIUM)                 \
    X(UnableToInventoryDrive, 4325, UNABLE_TO_INVENTORY_DRIVE)         \
    X(UnableToInventorySlot, 4326, UNABLE_TO_INVENTORY_SLOT)           \
    X(UnableToInventoryTransport, 4327, UNABLE_TO_INVENTORY_TRANSPORT) \
    X(TransportFull, 4328, TRANSPORT_FULL)                             \
    X(ControllingIeport, 4329, CONTROLLING_IEPORT)                     \
    X(UnableToEjectMountedMedia, 4330, UNABLE_TO_EJECT_MOUNTED_MEDIA)  \
    X(CleanerSlotSet, 4331, CLEANER_SLOT_SET)                          \
    X(CleanerSlotNotSet, 4332, CLEANER_SLOT_NOT_SET)                   \
    X(CleanerCartridgeSpent, 4333, CLEANER_CARTRIDGE_SPENT)            \
    X(UnexpectedOmid, 4334, UNEXPECTED_OMID)                           \
    X(CantDeleteLastItem, 4335, CANT_DELETE_LAST_ITEM)                 \
    X(MessageExceedsMaxSize, 4336, MESSAGE_EXCEEDS_MAX_SIZE)           \
    X(VolumeContainsSysFiles, 4337, VOLUME_CONTAINS_SYS_FILES)         \
    X(IndigenousType, 4338, INDIGENOUS_TYPE)                           \
    X(NoSupportingDrives, 4339, NO_SUPPORTING_DRIVES)                  \
    X(CleanerCartridgeInstalled, 4340, CLEANER_CARTRIDGE_INSTALLED)    \
    X(IeportFull, 4341, IEPORT_FULL)

enum class ErrorCode : std::uint32_t {
#define RSM_X(id, num, name) id = num,
    RSM_ERROR_CODES(RSM_X)
#undef RSM_X
};

// "ERROR_INVALID_STATE" for ErrorCode::InvalidState; "ERROR_UNKNOWN" for a number not in the table.
std::string_view errorName(ErrorCode code);
std::uint32_t errorNumber(ErrorCode code);
// Reverse look-ups, for the protocol and the tests.
std::optional<ErrorCode> errorCodeFromNumber(std::uint32_t number);
std::optional<ErrorCode> errorCodeFromName(std::string_view name);

}  // namespace rsm
