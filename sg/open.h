#pragma once
// Opening a device by its name: "iscsi://…" -> IscsiTransport, anything else -> SgTransport.

#include <memory>
#include <string>

#include "sg/iscsi_transport.h"
#include "sg/transport.h"

namespace rsm::sg {

bool isIscsiUrl(const std::string &device);
Result<std::unique_ptr<Transport>> openTransport(const std::string &device,
                                                 const IscsiOptions &iscsi = {});

}  // namespace rsm::sg
