#pragma once
// SgTransport: a Transport over a Linux SCSI generic node (/dev/sgN) using libsgutils2's
// pass-through object (sg_pt). Result categories of sg_pt (good, status, sense, transport
// error, OS error) are kept apart as the Transport contract says.
// The pass-through calls go through PassThroughApi, a table of functions that defaults to
// libsgutils2; unit tests substitute their own to exercise every category without a device.
// Thread-safety: one thread at a time.

#include <memory>
#include <string>

#include "sg/transport.h"

// libsgutils2's opaque pass-through object (scsi/sg_pt.h). Declared here at global scope so that
// the pointers below name the library's type, not a new one inside rsm::sg.
struct sg_pt_base;

namespace rsm::sg {

// The slice of sg_pt that SgTransport uses. Pointers default to libsgutils2's functions; the
// signatures are those of scsi/sg_pt.h (uint8_t is unsigned char). open returns a descriptor or
// a negated errno; doScsiPt returns 0, a negated errno, or a positive SCSI_PT_DO_* code.
// maxTransfer is not sg_pt's: the sg driver's BLKSECTGET ioctl, the most bytes one command of
// the device's queue may transfer, or a negated errno.
struct PassThroughApi {
    int (*open)(const char *device, bool readOnly, int verbose);
    int (*close)(int fd);
    struct sg_pt_base *(*construct)(int fd, int verbose);
    void (*destruct)(struct sg_pt_base *);
    void (*setCdb)(struct sg_pt_base *, const unsigned char *cdb, int len);
    void (*setSense)(struct sg_pt_base *, unsigned char *sense, int maxLen);
    void (*setDataIn)(struct sg_pt_base *, unsigned char *buf, int len);
    void (*setDataOut)(struct sg_pt_base *, const unsigned char *buf, int len);
    int (*doScsiPt)(struct sg_pt_base *, int fd, int timeoutSeconds, int verbose);
    int (*resultCategory)(const struct sg_pt_base *);
    int (*status)(const struct sg_pt_base *);
    int (*senseLength)(const struct sg_pt_base *);
    int (*residual)(const struct sg_pt_base *);
    int (*osError)(const struct sg_pt_base *);
    char *(*transportErrorString)(const struct sg_pt_base *, int maxLen, char *buf);
    int (*maxTransfer)(int fd);

    static const PassThroughApi &libsgutils2();
};

class SgTransport : public Transport {
public:
    // Opens the node read-write (O_NONBLOCK as sg3_utils does). ERROR_DEVICE_NOT_AVAILABLE
    // with the OS reason when it cannot be opened; ERROR_ACCESS_DENIED for EACCES/EPERM.
    static Result<std::unique_ptr<SgTransport>> open(
        const std::string &path, const PassThroughApi &api = PassThroughApi::libsgutils2());
    ~SgTransport() override;
    SgTransport(const SgTransport &) = delete;
    SgTransport &operator=(const SgTransport &) = delete;

    Result<Reply> execute(const Command &command) override;
    std::string describe() const override { return path_; }
    // What the kernel said when the node was opened; nullopt if it would not say.
    std::optional<std::uint32_t> maxTransferLength() const override { return maxTransfer_; }

private:
    SgTransport(std::string path, int fd, const PassThroughApi &api);

    std::string path_;
    int fd_;
    const PassThroughApi &api_;
    std::optional<std::uint32_t> maxTransfer_;
};

}  // namespace rsm::sg
