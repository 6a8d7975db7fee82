#pragma once
// ChangerLink: a library worker's connection to its robot (the medium changer's transport),
// kept open from one request to the next instead of logging in for each, and the library's
// element map: every element as the robot last reported it. The connection is opened on first
// use, and again when the library's device changes or after a request failed (a transport
// that broke, a robot that was restarted): dropped, the next use connects anew, and the map
// is read again.
// The map is read by every full element status (inventory, audit, inject, eject, mtx) and
// kept up to date by the moves made through the link (each move re-reads its two elements).
// Before it answers from the map, the worker asks the robot whether anything happened since
// its last command (TEST UNIT READY: a UNIT ATTENTION for a door opened, an I/E port used, a
// power-on or "medium may have changed", or a robot not ready, makes it read the whole status
// again). What the map cannot see: another initiator (a second host, or mtx run on the
// device directly) moving cartridges without the robot raising a unit attention for rsmd's
// connection. `rsmctl inventory LIBRARY` (or an audit) reads the whole status and so the map
// again.
// Thread-safety: none; it belongs to the library's worker thread.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sg/changer.h"
#include "src/library/robot_health.h"
#include "src/library/robot_options.h"

namespace rsm::library {

class ChangerLink {
public:
    // The changer of `device`, connected with the options' transport, retry rules and clock.
    Result<sg::Changer *> changer(const std::string &device, const RobotOptions &options);
    // The changer changer() last opened, without asking it anything; null: none open.
    sg::Changer *current() const { return changer_.get(); }
    // Closes the connection; the next changer() opens a new one.
    void drop();
    // How many connections it opened (for the tests and rsmd's debug log).
    int opened() const { return opened_; }

    // The element map, if the link has one. Valid after changer(): each reuse of the
    // connection first asks the robot whether anything happened since (TEST UNIT READY), and a
    // UNIT ATTENTION or a robot not ready forgets the map.
    const std::vector<sg::Element> *map() const { return map_ ? &*map_ : nullptr; }
    // A whole element status just read: the map from now on.
    void remember(const std::vector<sg::Element> &elements);
    // A move the link's changer made: its two elements read again into the map (forgotten
    // when that fails).
    void moved(std::uint16_t from, std::uint16_t to);
    void forget() {
        map_.reset();
        renderings_.clear();
    }
    // What a reader made of the map (mtx's status text, a JSON element list), by its own key:
    // made once by `make` and kept until the map changes (handed out to other threads as it
    // is, never changed). Null without a map.
    template <typename T, typename Make>
    std::shared_ptr<const T> rendering(const std::string &key, Make &&make) {
        if (!map_)
            return nullptr;
        auto &kept = renderings_[key];
        if (!kept)
            kept = std::make_shared<const T>(make(*map_));
        return std::static_pointer_cast<const T>(kept);
    }

    // Whether the robot answered the link's last commands (and connection attempts).
    RobotHealth &health() { return health_; }

private:
    RobotHealth health_;
    std::string device_;
    std::unique_ptr<sg::Changer> changer_;
    int opened_ = 0;
    std::optional<std::vector<sg::Element>> map_;
    std::map<std::string, std::shared_ptr<const void>> renderings_;
};

}  // namespace rsm::library
