#pragma once
// The rows the engine reads and writes through the Store: plain values, one struct per table
// of schema/. No SQL here; the PostgreSQL store maps them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rsm/model.h"
#include "rsm/uuid.h"

namespace rsm::engine {

struct SessionRow {
    Uuid id;
    std::uint32_t uid = 0;
    std::vector<std::uint32_t> gids;
    std::string application;
    bool open = true;
};

struct LibraryRow {
    Uuid id;
    std::string name;
    std::string description;
    LibraryKind kind = LibraryKind::Online;
    std::optional<std::string> device;
    bool enabled = true;
};

struct MediaTypeRow {
    Uuid id;
    std::string name;
    std::string description;
    int sides = 1;
};

struct PoolRow {
    Uuid id;
    std::string name;  // the leaf; the path is built from the parents
    std::string description;
    std::optional<Uuid> parentId;
    Uuid mediaTypeId;
    PoolKind kind = PoolKind::Application;
    bool enabled = true;
    bool allocateFromFree = true;
    bool deallocateToFree = true;
    std::optional<int> maxAllocations;
};

struct MediaRow {
    Uuid id;
    std::string name;
    std::string description;
    std::optional<std::string> barcode;
    Uuid mediaTypeId;
    Uuid poolId;
    Uuid libraryId;
    LibraryKind libraryKind = LibraryKind::Offline;
    LocationKind location = LocationKind::Shelf;
    std::optional<Uuid> slotId, driveId, ieportId, homeSlotId;
    MediaState state = MediaState::Idle;
    int sideCount = 1;
    bool enabled = true;
};

struct SideRow {
    Uuid id;
    Uuid mediaId;
    int number = 0;
    SideState state = SideState::Unknown;
    std::optional<std::string> labelType, labelId, labelInfo;
    std::int64_t mountCount = 0;
    int allocateCount = 0;
};

struct LmidRow {
    Uuid id;
    Uuid sideId;
    std::string name;
    std::string description;
};

enum class PrincipalKind : std::int16_t { User = 0, Group = 1 };

struct AclRow {
    Uuid id;
    PrincipalKind principalKind = PrincipalKind::User;
    std::uint32_t principalId = 0;
    ObjectKind objectKind = ObjectKind::Pool;
    Uuid objectId;
    std::uint32_t rights = 0;
};

struct AttributeRow {
    Uuid objectId;
    ObjectKind objectKind = ObjectKind::PhysicalMedia;
    std::string name;
    std::string value;  // bytes
};

}  // namespace rsm::engine
