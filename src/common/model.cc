#include "rsm/model.h"

#include <algorithm>
#include <cctype>

namespace rsm {

std::string_view sideStateName(SideState s) {
    switch (s) {
        case SideState::Unknown:
            return "UNKNOWN";
        case SideState::Unprepared:
            return "UNPREPARED";
        case SideState::Incompatible:
            return "INCOMPATIBLE";
        case SideState::Decommissioned:
            return "DECOMMISSIONED";
        case SideState::Available:
            return "AVAILABLE";
        case SideState::Allocated:
            return "ALLOCATED";
        case SideState::Complete:
            return "COMPLETE";
        case SideState::Foreign:
            return "FOREIGN";
        case SideState::Import:
            return "IMPORT";
        case SideState::Reserved:
            return "RESERVED";
    }
    return "?";
}

std::string_view mediaStateName(MediaState s) {
    switch (s) {
        case MediaState::Idle:
            return "IDLE";
        case MediaState::InUse:
            return "INUSE";
        case MediaState::Mounted:
            return "MOUNTED";
        case MediaState::Loaded:
            return "LOADED";
        case MediaState::Unloaded:
            return "UNLOADED";
        case MediaState::OpError:
            return "OPERROR";
        case MediaState::OpRequest:
            return "OPREQ";
    }
    return "?";
}

std::string_view driveStateName(DriveState s) {
    switch (s) {
        case DriveState::Dismounted:
            return "DISMOUNTED";
        case DriveState::Mounted:
            return "MOUNTED";
        case DriveState::Loaded:
            return "LOADED";
        case DriveState::Unloaded:
            return "UNLOADED";
        case DriveState::BeingCleaned:
            return "BEING_CLEANED";
        case DriveState::Dismountable:
            return "DISMOUNTABLE";
    }
    return "?";
}

std::string_view operatorRequestKindName(OperatorRequestKind k) {
    switch (k) {
        case OperatorRequestKind::NewMedia:
            return "NEWMEDIA";
        case OperatorRequestKind::Cleaner:
            return "CLEANER";
        case OperatorRequestKind::DeviceService:
            return "DEVICESERVICE";
        case OperatorRequestKind::MoveMedia:
            return "MOVEMEDIA";
        case OperatorRequestKind::Message:
            return "MESSAGE";
    }
    return "UNKNOWN";
}

namespace {

bool sameLetters(std::string_view known, std::string_view name) {
    return known.size() == name.size() &&
           std::equal(known.begin(), known.end(), name.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

// The value of E, numbered first..last, whose name(E) is `name` in any case.
template <typename E, typename Name>
std::optional<E> fromName(std::string_view name, int first, int last, Name nameOf) {
    for (int n = first; n <= last; ++n)
        if (sameLetters(nameOf(static_cast<E>(n)), name))
            return static_cast<E>(n);
    return std::nullopt;
}

}  // namespace

std::optional<SideState> sideStateFromName(std::string_view name) {
    return fromName<SideState>(name, 0, 9, sideStateName);
}

std::optional<MediaState> mediaStateFromName(std::string_view name) {
    return fromName<MediaState>(name, 0, 6, mediaStateName);
}

std::optional<LocationKind> locationKindFromName(std::string_view name) {
    return fromName<LocationKind>(name, 0, 4, locationKindName);
}

std::optional<OperatorRequestKind> operatorRequestKindFromName(std::string_view name) {
    for (int k = 1; k <= 5; ++k) {
        const auto kind = static_cast<OperatorRequestKind>(k);
        const std::string_view known = operatorRequestKindName(kind);
        if (known.size() == name.size() &&
            std::equal(known.begin(), known.end(), name.begin(), [](char a, char b) {
                return a == std::toupper(static_cast<unsigned char>(b));
            }))
            return kind;
    }
    return std::nullopt;
}

std::string_view operatorRequestStateName(OperatorRequestState s) {
    switch (s) {
        case OperatorRequestState::Submitted:
            return "SUBMITTED";
        case OperatorRequestState::Active:
            return "ACTIVE";
        case OperatorRequestState::InProgress:
            return "INPROGRESS";
        case OperatorRequestState::Refused:
            return "REFUSED";
        case OperatorRequestState::Complete:
            return "COMPLETE";
    }
    return "UNKNOWN";
}

std::string_view requestStateName(RequestState s) {
    switch (s) {
        case RequestState::Queued:
            return "QUEUED";
        case RequestState::InProcess:
            return "INPROCESS";
        case RequestState::Passed:
            return "PASSED";
        case RequestState::Failed:
            return "FAILED";
        case RequestState::Invalid:
            return "INVALID";
        case RequestState::Waiting:
            return "WAITING";
        case RequestState::Deferred:
            return "DEFERRED";
        case RequestState::Cancelled:
            return "CANCELLED";
        case RequestState::Stopped:
            return "STOPPED";
    }
    return "?";
}

std::string_view poolKindName(PoolKind k) {
    switch (k) {
        case PoolKind::Free:
            return "FREE";
        case PoolKind::Import:
            return "IMPORT";
        case PoolKind::Unrecognized:
            return "UNRECOGNIZED";
        case PoolKind::Application:
            return "APPLICATION";
    }
    return "?";
}

std::string_view libraryKindName(LibraryKind k) {
    switch (k) {
        case LibraryKind::Offline:
            return "OFFLINE";
        case LibraryKind::Online:
            return "ONLINE";
        case LibraryKind::Standalone:
            return "STANDALONE";
    }
    return "?";
}

LocationKind locationOfElement(ObjectKind element) {
    switch (element) {
        case ObjectKind::Slot:
            return LocationKind::Slot;
        case ObjectKind::Drive:
            return LocationKind::Drive;
        case ObjectKind::IePort:
            return LocationKind::IePort;
        default:
            return LocationKind::Transport;
    }
}

std::string_view locationKindName(LocationKind k) {
    switch (k) {
        case LocationKind::Shelf:
            return "shelf";
        case LocationKind::Slot:
            return "slot";
        case LocationKind::Drive:
            return "drive";
        case LocationKind::IePort:
            return "ieport";
        case LocationKind::Transport:
            return "transport";
    }
    return "?";
}

std::string_view objectKindName(ObjectKind k) {
    switch (k) {
        case ObjectKind::Computer:
            return "computer";
        case ObjectKind::Library:
            return "library";
        case ObjectKind::Drive:
            return "drive";
        case ObjectKind::Slot:
            return "slot";
        case ObjectKind::IePort:
            return "ieport";
        case ObjectKind::MediaType:
            return "media_type";
        case ObjectKind::PhysicalMedia:
            return "physical_media";
        case ObjectKind::Side:
            return "side";
        case ObjectKind::LogicalMedia:
            return "logical_media";
        case ObjectKind::Pool:
            return "pool";
        case ObjectKind::LibraryRequest:
            return "library_request";
        case ObjectKind::OperatorRequest:
            return "operator_request";
        case ObjectKind::Changer:
            return "changer";
    }
    return "?";
}

}  // namespace rsm
