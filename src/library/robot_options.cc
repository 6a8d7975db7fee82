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

Result<std::unique_ptr<sg::Changer>> openChanger(const std::string &device,
                                                 const RobotOptions &options,
                                                 const TransportWrap &wrap) {
    auto transport = openDevice(device, options);
    if (!transport)
        return transport.error().withContext("library device " + device);
    if (wrap)
        *transport = wrap(std::move(*transport));
    sg::ChangerOptions changer;
    changer.timeouts = changerTimeouts(options.probe);
    changer.retry = options.retry;
    changer.sleep = options.sleep;
    return std::make_unique<sg::Changer>(std::move(*transport), changer);
}

}  // namespace rsm::library
