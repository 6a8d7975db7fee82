#include "src/library/changer_link.h"

#include <algorithm>

namespace rsm::library {

Result<sg::Changer *> ChangerLink::changer(const std::string &device, const RobotOptions &options) {
    if (changer_ && device == device_) {
        // Still there, and has anything happened since? A robot that does not answer within
        // the command timeout, or a transport that broke, gets a new connection (which fails
        // fast when the robot is gone), not a command that waits minutes for a move.
        auto same = changer_->unchanged(options.probe.commandTimeout);
        if (same) {
            if (!*same)
                forget();
            return changer_.get();
        }
        drop();
        // No answer in time: the robot hangs, and a new connection would wait as long again.
        // The next use connects anew.
        if (same.error().code() == ErrorCode::Timeout)
            return same.error().withContext("library device " + device);
    }
    changer_.reset();
    auto opened = openChanger(device, options, [this](std::unique_ptr<sg::Transport> t) {
        return std::make_unique<WatchedTransport>(std::move(t), health_);
    });
    health_.observe(opened);
    if (!opened)
        return opened.error();
    changer_ = std::move(*opened);
    device_ = device;
    ++opened_;
    return changer_.get();
}

void ChangerLink::drop() {
    changer_.reset();
    device_.clear();
    forget();
}

void ChangerLink::remember(const std::vector<sg::Element> &elements) {
    map_ = elements;
    renderings_.clear();
}

void ChangerLink::moved(std::uint16_t from, std::uint16_t to) {
    renderings_.clear();
    if (!changer_ || !map_)
        return;
    for (std::uint16_t address : {from, to}) {
        auto e = std::find_if(map_->begin(), map_->end(),
                              [address](const sg::Element &x) { return x.address == address; });
        if (e == map_->end()) {
            forget();
            return;
        }
        auto now = changer_->status(e->type, address, 1);
        if (!now || now->size() != 1 || (*now)[0].address != address) {
            forget();
            return;
        }
        *e = (*now)[0];
    }
}

}  // namespace rsm::library
