#include "sg/open.h"

#include <cctype>
#include <string_view>

#include "sg/sg_transport.h"

namespace rsm::sg {

bool isIscsiUrl(const std::string &device) {
    constexpr std::string_view scheme = "iscsi://";
    if (device.size() < scheme.size())
        return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(device[i])) != scheme[i])
            return false;
    return true;
}

Result<std::unique_ptr<Transport>> openTransport(const std::string &device,
                                                 const IscsiOptions &iscsi) {
    if (isIscsiUrl(device)) {
        auto transport = IscsiTransport::connect(device, iscsi);
        if (!transport)
            return transport.error();
        return std::unique_ptr<Transport>(std::move(*transport));
    }
    auto transport = SgTransport::open(device);
    if (!transport)
        return transport.error();
    return std::unique_ptr<Transport>(std::move(*transport));
}

}  // namespace rsm::sg
