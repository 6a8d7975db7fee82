#include "src/library/robot_options.h"

#include "sg/open.h"

namespace rsm::library {

Result<std::unique_ptr<sg::Transport>> openDevice(const std::string &device,
                                                  const RobotOptions &options) {
    if (options.openTransport)
        return options.openTransport(device);
    sg::IscsiOptions iscsi;
    iscsi.connectTimeout = options.probe.commandTimeout;
    return sg::openTransport(device, iscsi);
}

}  // namespace rsm::library
