// Full inventory: which cartridges to read, and what their first block makes of them.

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

bool systemPool(const PoolRow &p) {
    return p.kind == PoolKind::Import || p.kind == PoolKind::Unrecognized ||
           p.kind == PoolKind::Free;
}

}  // namespace

Result<std::vector<MediaRow>> Engine::unreadMedia(const Uuid &library) {
    using Out = std::vector<MediaRow>;
    return asDaemon<Out>([&](Tx &tx) -> Result<Out> {
        Out out;
        for (const MediaRow &m : tx.mediaInLibrary(library)) {
            if (m.location != LocationKind::Slot || m.state != MediaState::Idle || !m.enabled)
                continue;
            for (const SideRow &s : tx.sides(m.id))
                if (s.number == 0 && s.state == SideState::Unknown)
                    out.push_back(m);
        }
        return out;
    });
}

Result<std::string> Engine::classifyLabel(const Uuid &mediaId, const LabelRead &read) {
    return asDaemon<std::string>([&](Tx &tx) -> Result<std::string> {
        auto media = physical(tx, mediaId);
        if (!media)
            return media.error();
        std::vector<SideRow> sides = tx.sides(media->id);
        if (sides.empty())
            return Error(ErrorCode::InvalidMedia, cartridgeName(*media) + " has no side");
        SideRow &first = sides.front();
        auto pool = tx.pool(media->poolId);
        if (!pool)
            return Error(ErrorCode::InvalidMediaPool, cartridgeName(*media) + " has no pool");
        const std::string name = cartridgeName(*media);
        const bool unclassified = systemPool(*pool);
        auto moveTo = [&](PoolKind kind, SideState state) -> Result<void> {
            auto target = tx.systemPool(media->mediaTypeId, kind);
            if (!target)
                return Error(
                    ErrorCode::InvalidMediaPool,
                    fmt::format("the media type of {} has no {} pool", name, poolKindName(kind)));
            media->poolId = target->id;
            tx.updateMedia(*media);
            for (SideRow &s : sides) {
                s.state = state;
                tx.updateSide(s);
            }
            return success();
        };

        if (read.type) {
            first.labelType = read.type;
            first.labelId = read.id;
            first.labelInfo = read.info;
            const std::string label =
                fmt::format("{} label \"{}\"", *read.type, read.id.value_or(""));
            // The same label on another medium rsm knows, not in a library: this cartridge is
            // that medium.
            std::optional<MediaRow> known;
            if (read.id && !read.id->empty())
                for (const SideRow &s : tx.sidesByLabel(*read.type, *read.id))
                    if (s.mediaId != media->id)
                        if (auto k = tx.media(s.mediaId))
                            known = k;
            if (known && unclassified) {
                if (known->libraryKind != LibraryKind::Offline) {
                    tx.updateSide(first);
                    RSM_TRY_VOID(moveTo(PoolKind::Import, SideState::Import));
                    return fmt::format("{}: {}, also on {} in another place: IMPORT", name, label,
                                       cartridgeName(*known));
                }
                MediaRow merged = *known;
                merged.libraryId = media->libraryId;
                merged.libraryKind = media->libraryKind;
                merged.location = media->location;
                merged.slotId = media->slotId;
                merged.homeSlotId = media->homeSlotId;
                merged.state = MediaState::Idle;
                if (media->barcode)
                    merged.barcode = media->barcode;
                for (const SideRow &s : sides)
                    tx.deleteSide(s.id);
                tx.deleteMedia(media->id);
                tx.updateMedia(merged);
                auto knownPool = tx.pool(merged.poolId);
                return fmt::format("{}: {} of a known medium, back in pool {}", name, label,
                                   knownPool ? poolPath(tx, *knownPool) : "?");
            }
            if (!unclassified) {
                tx.updateSide(first);
                return fmt::format("{}: {} (pool {} kept)", name, label, poolPath(tx, *pool));
            }
            tx.updateSide(first);
            RSM_TRY_VOID(moveTo(PoolKind::Import, SideState::Import));
            return fmt::format("{}: {}: IMPORT", name, label);
        }
        if (!unclassified) {
            first.state = read.blank ? SideState::Unprepared : SideState::Foreign;
            tx.updateSide(first);
            return fmt::format("{}: {} (pool {} kept)", name,
                               read.blank ? "blank" : "no label recognized", poolPath(tx, *pool));
        }
        if (read.blank) {
            RSM_TRY_VOID(moveTo(PoolKind::Free, SideState::Available));
            return name + ": blank: FREE";
        }
        RSM_TRY_VOID(moveTo(PoolKind::Unrecognized, SideState::Foreign));
        return name + ": no label recognized: UNRECOGNIZED";
    });
}

}  // namespace rsm::engine
