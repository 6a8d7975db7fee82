#pragma once
// Session: the state of one mtx command line while it runs (run.h): the open backend, the
// element status as mtx numbers it, and the flags given so far. Internal to src/mtx:
// run.cc holds the device, status and single-command steps; moves.cc the steps that move
// cartridges (load, unload, transfer, exchange, first, last, next, previous).
// Thread-safety: one thread at a time.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "src/mtx/backend.h"
#include "src/mtx/command_line.h"
#include "src/mtx/slot_map.h"

namespace rsm::mtx {

// What a step ends in: nullopt to go on with the next one, else the exit status.
using Exit = std::optional<int>;

class Session {
public:
    Session(const BackendOpener &open, std::string defaultDevice, std::ostream &out,
            std::ostream &err)
        : open_(open), defaultDevice_(std::move(defaultDevice)), out_(out), err_(err) {}

    Exit execute(const Step &step);

private:
    // run.cc
    Exit openDevice(const std::string &device);
    Exit readStatus();
    // `status` as the backend has it ready-made (one line loaded nothing yet): printed, or
    // kNotReady when the backend has none.
    Exit readyStatus();
    static constexpr int kNotReady = -1;
    Exit fatal(const std::string &text);
    // A command that failed: mtx's words for it, then `what` ("INQUIRY Command Failed\n").
    Exit failed(const Error &error, const char *what);
    Exit inquiry();
    Exit position(std::optional<int> slot);
    Exit inventory();
    Exit eject();

    // moves.cc
    Exit load(std::optional<int> slot, std::optional<int> drive);
    Exit unload(std::optional<int> slot, std::optional<int> drive);
    Exit transfer(std::optional<int> from, std::optional<int> to);
    Exit exchange(std::optional<int> from, std::optional<int> to, std::optional<int> second);
    Exit first(std::optional<int> drive);
    Exit last(std::optional<int> drive);
    Exit next(std::optional<int> drive);
    Exit previous(std::optional<int> drive);
    // Drive -> slot; on success `unloadedTo` is the slot index it went to.
    Exit unloadTo(std::optional<int> slot, int drive, int &unloadedTo);
    Exit moveMedium(std::uint16_t source, std::uint16_t destination);
    // mtx's choice of drive for first/last/next/previous: the argument if it names a drive,
    // else drive 0.
    int driveOf(std::optional<int> drive) const;

    const BackendOpener &open_;
    std::string defaultDevice_;
    std::ostream &out_;
    std::ostream &err_;

    std::unique_ptr<MtxBackend> backend_;
    std::string device_;
    std::optional<SlotMap> map_;
    bool stale_ = false;  // a cartridge moved since map_ was read
    bool volumeTags_ = true;
    MoveFlags flags_;
    std::map<std::uint16_t, std::uint16_t> loadedFrom_;  // drive address -> slot address
};

}  // namespace rsm::mtx
