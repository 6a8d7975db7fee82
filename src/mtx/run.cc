#include "src/mtx/run.h"

#include "src/mtx/format.h"
#include "src/mtx/session.h"

namespace rsm::mtx {

int run(std::span<const Step> steps, const BackendOpener &open, const std::string &defaultDevice,
        std::ostream &out, std::ostream &err) {
    Session session(open, defaultDevice, out, err);
    for (const Step &step : steps) {
        if (Exit exit = session.execute(step)) {
            out.flush();
            err.flush();
            return *exit;
        }
    }
    out.flush();
    return 0;
}

Exit Session::fatal(const std::string &text) {
    out_.flush();
    err_ << text;
    err_.flush();
    return 1;
}

Exit Session::openDevice(const std::string &device) {
    backend_.reset();  // a second -f: the first device (and its lock) is let go first
    map_.reset();
    loadedFrom_.clear();
    auto backend = open_(device);
    if (!backend)
        return fatal(backend.error().message() + "\n");
    backend_ = std::move(*backend);
    device_ = device;
    return std::nullopt;
}

Exit Session::readStatus() {
    SlotMapBuilder builder;
    if (auto read = backend_->elements(volumeTags_, builder); !read)
        return failed(read.error(), "READ ELEMENT STATUS Command Failed\n");
    // A drive this line loaded knows its source even when the library does not report it.
    map_ = std::move(builder).build(loadedFrom_);
    stale_ = false;
    if (map_->drives.empty())
        return fatal("no Data Transfer Element reported\n");
    if (map_->slots.empty())
        return fatal("no Storage Elements reported\n");
    return std::nullopt;
}

Exit Session::failed(const Error &error, const char *what) {
    // rsmd knows no library of this name: what mtx says of a device it cannot open.
    if (error.code() == ErrorCode::InvalidLibrary)
        return fatal(message::cannotOpen(device_, error.message()) + "\n");
    return fatal(failureDetail(error, backend_->lastSense()) + what);
}

Exit Session::readyStatus() {
    Exit refused;  // what mtx says of a status with no drive or no slot
    auto ready = backend_->readyStatus(
        volumeTags_,
        [&](const StatusCounts &n) {
            if (n.drives == 0)
                refused = fatal("no Data Transfer Element reported\n");
            else if (n.slots == 0)
                refused = fatal("no Storage Elements reported\n");
            else
                out_ << statusHeader(device_, n.drives, n.slots, n.importExport);
            return !refused;
        },
        [&](std::string_view piece) {
            out_.write(piece.data(), static_cast<std::streamsize>(piece.size()));
        });
    if (!ready)
        return failed(ready.error(), "READ ELEMENT STATUS Command Failed\n");
    if (!*ready)
        return kNotReady;
    return refused;
}

Exit Session::execute(const Step &step) {
    switch (step.verb) {
        case Verb::Device:
            return openDevice(step.device);
        case Verb::Usage:
            return fatal(usageText());
        case Verb::Version:
            return fatal(versionText());
        case Verb::NoBarcode:
            volumeTags_ = false;
            return std::nullopt;
        case Verb::Invert:
            flags_.invert = true;
            return std::nullopt;
        case Verb::Invert2:
            flags_.invert2 = true;
            return std::nullopt;
        case Verb::NoAttach:
        case Verb::AltRes:
            return std::nullopt;
        case Verb::Eepos:
            if (!step.arg1 || *step.arg1 > 3)
                return fatal("eepos equires argument between 0 and 3.\n");
            flags_.eepos = static_cast<std::uint8_t>(*step.arg1);
            return std::nullopt;
        default:
            break;
    }
    if (needsDevice(step.verb) && !backend_)
        if (Exit e = openDevice(defaultDevice_))
            return e;
    if (step.verb == Verb::Status && (!map_ || stale_) && loadedFrom_.empty())
        if (Exit e = readyStatus(); e != kNotReady)
            return e;
    if (needsStatus(step.verb) && (!map_ || stale_))
        if (Exit e = readStatus())
            return e;
    switch (step.verb) {
        case Verb::Inquiry:
            return inquiry();
        case Verb::Status:
            writeStatus(out_, *map_, device_);
            return std::nullopt;
        case Verb::Load:
            return load(step.arg1, step.arg2);
        case Verb::Unload:
            return unload(step.arg1, step.arg2);
        case Verb::Transfer:
            return transfer(step.arg1, step.arg2);
        case Verb::Exchange:
            return exchange(step.arg1, step.arg2, step.arg3);
        case Verb::First:
            return first(step.arg1);
        case Verb::Last:
            return last(step.arg1);
        case Verb::Next:
            return next(step.arg1);
        case Verb::Previous:
            return previous(step.arg1);
        case Verb::Position:
            return position(step.arg1);
        case Verb::Inventory:
            return inventory();
        case Verb::Eject:
            return eject();
        default:
            return fatal(usageText());
    }
}

Exit Session::inquiry() {
    auto data = backend_->inquiry();
    if (!data)
        return failed(data.error(), "INQUIRY Command Failed\n");
    out_ << inquiryText(*data);
    return std::nullopt;
}

Exit Session::position(std::optional<int> slot) {
    // mtx: a slot number out of range positions in front of slot 1.
    const int count = static_cast<int>(map_->slots.size());
    const int index = slot && *slot >= 1 && *slot <= count ? *slot - 1 : 0;
    if (!backend_->position(map_->slots[static_cast<std::size_t>(index)].address))
        return fatal("Could not position transport\n");
    return std::nullopt;
}

Exit Session::inventory() {
    auto done = backend_->initializeElementStatus();
    stale_ = true;  // the library may have found what it did not know
    if (!done)
        return fatal(failureDetail(done.error(), backend_->lastSense()) +
                     "Initialize Element Status (0x07) failed\nmtx:inventory failed\n");
    return std::nullopt;
}

Exit Session::eject() {
    // mtx reports a failed eject and goes on: its exit status stays 0.
    if (auto done = backend_->eject(); !done) {
        out_.flush();
        err_ << failureDetail(done.error(), backend_->lastSense())
             << "Eject (0x1B) failed\nmtx:eject failed\n";
        err_.flush();
    }
    stale_ = true;
    return std::nullopt;
}

}  // namespace rsm::mtx
