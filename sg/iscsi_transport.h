#pragma once
// IscsiTransport: a Transport over iSCSI using libiscsi, for iSCSI-attached libraries (virtual
// tape libraries, SAN bridges) and for tgtd's virtual library in tests.
// URL: iscsi://host[:port]/<target-iqn>/<lun>  (port 3260 by default).
// The context is given a timeout and no auto-reconnect, so a dead target fails the command
// with ERROR_TIMEOUT / ERROR_DEVICE_NOT_AVAILABLE instead of hanging.
// Thread-safety: one thread at a time.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "sg/transport.h"

struct iscsi_context;  // libiscsi

namespace rsm::sg {

struct IscsiUrl {
    std::string host;
    int port = 3260;
    std::string target;
    int lun = 0;

    std::string portal() const;    // "host:port"
    std::string toString() const;  // the URL again
};

// Pure: parses iscsi://host[:port]/<iqn>/<lun>; ERROR_INVALID_PARAMETER when malformed.
Result<IscsiUrl> parseIscsiUrl(const std::string &url);

struct IscsiOptions {
    std::string initiatorName = "iqn.2024-01.org.rsm:initiator";
    std::chrono::seconds connectTimeout{10};
};

class IscsiTransport : public Transport {
public:
    static Result<std::unique_ptr<IscsiTransport>> connect(const std::string &url,
                                                           const IscsiOptions &options = {});
    ~IscsiTransport() override;
    IscsiTransport(const IscsiTransport &) = delete;
    IscsiTransport &operator=(const IscsiTransport &) = delete;

    Result<Reply> execute(const Command &command) override;
    std::string describe() const override { return url_.toString(); }

private:
    IscsiTransport(IscsiUrl url, ::iscsi_context *context);

    IscsiUrl url_;
    ::iscsi_context *context_;
    // Data-in buffers of tasks left to libiscsi after a timeout (see execute()).
    std::vector<std::vector<std::uint8_t>> abandoned_;
};

}  // namespace rsm::sg
