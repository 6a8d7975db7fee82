// The steps of an mtx command line that move cartridges. Their checks, in mtx's order and
// words, come before any SCSI command; the in-memory status is updated after each move, as
// mtx does, for the rest of a compound step (next = unload + load).

#include "src/mtx/format.h"
#include "src/mtx/session.h"

namespace rsm::mtx {

namespace {

void carry(TagRef &from, TagRef &to) {
    to = from;
    from = TagRef{};
}

}  // namespace

int Session::driveOf(std::optional<int> drive) const {
    return drive && *drive < static_cast<int>(map_->drives.size()) ? *drive : 0;
}

Exit Session::moveMedium(std::uint16_t source, std::uint16_t destination) {
    if (auto moved = backend_->move(source, destination, flags_); !moved)
        return fatal(moveFailureText(MoveKind::Move, source, destination, moved.error(),
                                     backend_->lastSense()));
    stale_ = true;
    return std::nullopt;
}

Exit Session::load(std::optional<int> slot, std::optional<int> drive) {
    if (!slot || *slot < 1)
        return fatal("No source specified\n");
    const int d = drive.value_or(0);
    const int s = *slot - 1;
    if (s >= static_cast<int>(map_->slots.size()))
        return fatal(message::badSlotArgument("load", s + 1));
    if (d >= static_cast<int>(map_->drives.size()))
        return fatal(message::badDriveArgument("load", d));
    DriveEntry &to = map_->drives[static_cast<std::size_t>(d)];
    SlotEntry &from = map_->slots[static_cast<std::size_t>(s)];
    if (to.full)
        return fatal(message::driveFull(d, to.source ? *to.source + 1 : 0));

    out_ << loadingText(s + 1, d);
    out_.flush();
    if (Exit e = moveMedium(from.address, to.address))
        return e;
    out_ << "done\n";
    out_.flush();
    from.full = false;
    to.full = true;
    to.source = s;
    carry(from.tags, to.tags);
    loadedFrom_[to.address] = from.address;
    return std::nullopt;
}

Exit Session::unload(std::optional<int> slot, std::optional<int> drive) {
    int unloadedTo = 0;
    return unloadTo(slot, drive.value_or(0), unloadedTo);
}

Exit Session::unloadTo(std::optional<int> slot, int d, int &unloadedTo) {
    const int drives = static_cast<int>(map_->drives.size());
    int s = 0;
    if (slot) {
        s = *slot - 1;
    } else if (d < drives && !map_->drives[static_cast<std::size_t>(d)].full) {
        // mtx takes an empty drive's (meaningless) source field for the slot and then finds
        // the drive empty: "Data Transfer Element N is Empty". Slot 1 leads to the same.
        s = 0;
    } else {
        // The slot the cartridge came from, or the empty storage slot the slot map gave a
        // cartridge whose source is unknown (slot_map.h); none left: no source.
        std::optional<int> source;
        if (d < drives)
            source = map_->drives[static_cast<std::size_t>(d)].source;
        if (!source)
            return fatal(message::noSourceForDrive(d));
        s = *source;
    }
    if (s < 0 || s >= static_cast<int>(map_->slots.size()))
        return fatal(message::badSlotArgument("unload", s + 1));
    if (d >= drives)
        return fatal(message::badDriveArgument("unload", d));
    DriveEntry &from = map_->drives[static_cast<std::size_t>(d)];
    SlotEntry &to = map_->slots[static_cast<std::size_t>(s)];
    if (!from.full)
        return fatal(message::driveEmpty(d));
    if (to.full)
        return fatal(message::slotAlreadyFull(s + 1));

    out_ << unloadingText(d, s + 1);
    out_.flush();
    if (Exit e = moveMedium(from.address, to.address))
        return e;
    out_ << "done\n";
    out_.flush();
    to.full = true;
    from.full = false;
    from.source.reset();
    carry(from.tags, to.tags);
    loadedFrom_.erase(from.address);
    unloadedTo = s;
    return std::nullopt;
}

Exit Session::transfer(std::optional<int> from, std::optional<int> to) {
    const int count = static_cast<int>(map_->slots.size());
    if (!from || *from < 1)
        return fatal("No source specified\n");
    if (!to || *to < 1)
        return fatal("No destination specified\n");
    if (*from > count)
        return fatal("Invalid source\n");
    if (*to > count)
        return fatal("Invalid destination\n");
    SlotEntry &a = map_->slots[static_cast<std::size_t>(*from - 1)];
    SlotEntry &b = map_->slots[static_cast<std::size_t>(*to - 1)];
    if (Exit e = moveMedium(a.address, b.address))
        return e;
    a.full = false;
    b.full = true;
    carry(a.tags, b.tags);
    return std::nullopt;
}

Exit Session::exchange(std::optional<int> from, std::optional<int> to, std::optional<int> second) {
    const int count = static_cast<int>(map_->slots.size());
    if (!from || *from < 1)
        return fatal("No source specified\n");
    if (!to || *to < 1)
        return fatal("No destination specified\n");
    if (*from > count)
        return fatal("Invalid source\n");
    if (*to > count || (second && (*second < 1 || *second > count)))
        return fatal("Invalid destination\n");
    const auto address = [&](int ordinal) {
        return map_->slots[static_cast<std::size_t>(ordinal - 1)].address;
    };
    const std::uint16_t source = address(*from), destination = address(*to);
    auto done = backend_->exchange(source, destination, address(second.value_or(*from)), flags_);
    stale_ = true;
    if (!done)
        return fatal(moveFailureText(MoveKind::Exchange, source, destination, done.error(),
                                     backend_->lastSense()));
    return std::nullopt;
}

Exit Session::first(std::optional<int> drive) {
    const int d = driveOf(drive);
    const DriveEntry &current = map_->drives[static_cast<std::size_t>(d)];
    if (current.full) {
        if (current.source == 0) {
            out_ << "loading...done.\n";  // it already holds the tape of slot 1
            return std::nullopt;
        }
        int unloadedTo = 0;
        if (Exit e = unloadTo(current.source ? std::optional(*current.source + 1) : std::nullopt, d,
                              unloadedTo))
            return e;
    }
    return load(1, d);
}

Exit Session::last(std::optional<int> drive) {
    const int d = driveOf(drive);
    const int lastSlot = map_->storageCount();
    const DriveEntry &current = map_->drives[static_cast<std::size_t>(d)];
    if (current.full) {
        if (current.source && *current.source + 1 >= lastSlot) {
            out_ << "loading...done.\n";  // it already holds the last tape
            return std::nullopt;
        }
        int unloadedTo = 0;
        if (Exit e = unloadTo(current.source ? std::optional(*current.source + 1) : std::nullopt, d,
                              unloadedTo))
            return e;
    }
    return load(lastSlot, d);
}

Exit Session::next(std::optional<int> drive) {
    const int d = driveOf(drive);
    int position = -1;
    const DriveEntry &current = map_->drives[static_cast<std::size_t>(d)];
    if (current.full) {
        if (Exit e = unloadTo(current.source ? std::optional(*current.source + 1) : std::nullopt, d,
                              position))
            return e;
    }
    for (int s = position + 1; s < map_->storageCount(); ++s)
        if (map_->slots[static_cast<std::size_t>(s)].full)
            return load(s + 1, d);
    return fatal("No More Media\n");
}

Exit Session::previous(std::optional<int> drive) {
    const int d = driveOf(drive);
    int position = map_->storageCount();
    const DriveEntry &current = map_->drives[static_cast<std::size_t>(d)];
    if (current.full) {
        if (current.source == 0)
            return fatal("No More Media\n");  // already at the first slot
        if (Exit e = unloadTo(current.source ? std::optional(*current.source + 1) : std::nullopt, d,
                              position))
            return e;
    }
    for (int s = position - 1; s >= 0; --s)
        if (map_->slots[static_cast<std::size_t>(s)].full)
            return load(s + 1, d);
    return fatal("No More Media\n");
}

}  // namespace rsm::mtx
