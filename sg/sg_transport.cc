#include "sg/sg_transport.h"

#include <linux/fs.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

extern "C" {
#include <scsi/sg_pt.h>
}

namespace rsm::sg {

namespace {

constexpr int senseBufferLength = 252;
constexpr int transportTextLength = 256;

std::string osText(int err) {
    return std::error_code(err, std::generic_category()).message();
}

// Errors that mean "the command ran out of time" rather than "the device is gone".
bool isTimeoutErrno(int err) {
    return err == ETIMEDOUT || err == ETIME || err == EINTR;
}

// libsgutils2 describes Linux host and driver bytes in words: "Host_status=0x03 [DID_TIME_OUT]",
// "Driver_status=0x06 [DRIVER_TIMEOUT]". Any of those words means the command timed out.
bool mentionsTimeout(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::string_view word : {"time_out", "timeout", "timed out"})
        if (lower.find(word) != std::string::npos)
            return true;
    return false;
}

std::string oneLine(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

// sg_pt wants whole seconds; never 0 (which would mean "the library's default").
int timeoutSeconds(std::chrono::milliseconds timeout) {
    const auto ms = std::max<std::int64_t>(timeout.count(), 1);
    const auto seconds = (ms + 999) / 1000;
    return static_cast<int>(std::min<std::int64_t>(seconds, INT_MAX));
}

// Errors of the pass-through itself that mean the device did not answer (rather than the OS
// refusing the command as asked, EINVAL or ENOMEM for a transfer too long).
bool isUnansweredErrno(int err) {
    return isTimeoutErrno(err) || err == EIO || err == ENODEV || err == ENXIO;
}

Error osError(const Command &command, const std::string &path, int err) {
    const ErrorCode code = isTimeoutErrno(err) ? ErrorCode::Timeout : ErrorCode::DeviceNotAvailable;
    Error error(code, fmt::format("{} on {}: {}", command.name, path, osText(err)));
    return isUnansweredErrno(err) ? error.unanswered() : error;
}

// BLKSECTGET on an sg node answers the device queue's max_sectors in bytes (an int; on block
// devices the same ioctl answers sectors in an unsigned short, but SgTransport opens sg nodes).
int blkSectGet(int fd) {
    int bytes = 0;
    if (ioctl(fd, BLKSECTGET, &bytes) < 0)
        return -errno;
    return bytes;
}

}  // namespace

const PassThroughApi &PassThroughApi::libsgutils2() {
    static const PassThroughApi api{
        scsi_pt_open_device,
        scsi_pt_close_device,
        construct_scsi_pt_obj_with_fd,
        destruct_scsi_pt_obj,
        set_scsi_pt_cdb,
        set_scsi_pt_sense,
        set_scsi_pt_data_in,
        set_scsi_pt_data_out,
        do_scsi_pt,
        get_scsi_pt_result_category,
        get_scsi_pt_status_response,
        get_scsi_pt_sense_len,
        get_scsi_pt_resid,
        get_scsi_pt_os_err,
        get_scsi_pt_transport_err_str,
        blkSectGet,
    };
    return api;
}

Result<std::unique_ptr<SgTransport>> SgTransport::open(const std::string &path,
                                                       const PassThroughApi &api) {
    const int fd = api.open(path.c_str(), /*readOnly=*/false, /*verbose=*/0);
    if (fd < 0) {
        const int err = -fd;
        const ErrorCode code = (err == EACCES || err == EPERM) ? ErrorCode::AccessDenied
                                                               : ErrorCode::DeviceNotAvailable;
        Error error(code, fmt::format("cannot open {}: {}", path, osText(err)));
        return code == ErrorCode::AccessDenied ? error : error.unanswered();
    }
    return std::unique_ptr<SgTransport>(new SgTransport(path, fd, api));
}

SgTransport::SgTransport(std::string path, int fd, const PassThroughApi &api)
    : path_(std::move(path)), fd_(fd), api_(api) {
    if (const int bytes = api_.maxTransfer ? api_.maxTransfer(fd_) : -EINVAL; bytes > 0)
        maxTransfer_ = static_cast<std::uint32_t>(bytes);
}

SgTransport::~SgTransport() {
    if (fd_ >= 0)
        api_.close(fd_);
}

Result<Reply> SgTransport::execute(const Command &command) {
    if (command.cdb.empty() || command.cdb.size() > 260)
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("{} on {}: CDB of {} bytes", command.name, path_, command.cdb.size()));

    auto destruct = [this](sg_pt_base *p) { api_.destruct(p); };
    std::unique_ptr<sg_pt_base, decltype(destruct)> pt(api_.construct(fd_, 0), destruct);
    if (!pt)
        return Error(
            ErrorCode::NotEnoughMemory,
            fmt::format("{} on {}: cannot create a pass-through object", command.name, path_));
    if (const int err = api_.osError(pt.get()); err != 0)
        return osError(command, path_, err);

    std::array<unsigned char, senseBufferLength> sense{};
    std::vector<unsigned char> dataIn;
    api_.setCdb(pt.get(), command.cdb.data(), static_cast<int>(command.cdb.size()));
    api_.setSense(pt.get(), sense.data(), senseBufferLength);
    if (command.direction == Direction::FromDevice && command.allocationLength > 0) {
        if (command.allocationLength > static_cast<std::uint32_t>(INT_MAX))
            return Error(ErrorCode::InvalidParameter,
                         fmt::format("{} on {}: allocation length {} too large", command.name,
                                     path_, command.allocationLength));
        dataIn.resize(command.allocationLength);
        api_.setDataIn(pt.get(), dataIn.data(), static_cast<int>(dataIn.size()));
    } else if (command.direction == Direction::ToDevice && !command.dataOut.empty()) {
        api_.setDataOut(pt.get(), command.dataOut.data(), static_cast<int>(command.dataOut.size()));
    }

    const int rc = api_.doScsiPt(pt.get(), fd_, timeoutSeconds(command.timeout), 0);
    if (rc < 0)
        return osError(command, path_, -rc);
    if (rc == SCSI_PT_DO_TIMEOUT)
        return Error(ErrorCode::Timeout,
                     fmt::format("{} on {}: no answer within {} s (timed out)", command.name, path_,
                                 timeoutSeconds(command.timeout)))
            .unanswered();
    if (rc > 0)
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("{} on {}: pass-through refused the command (sg_pt code {})",
                                 command.name, path_, rc));

    // The data-in bytes actually transferred: the buffer less the residual (handed over, not
    // copied: a whole library's element status is half a megabyte).
    auto transferred = [&]() {
        const int resid = api_.residual(pt.get());
        std::size_t n = dataIn.size();
        if (resid > 0)
            n -= std::min<std::size_t>(static_cast<std::size_t>(resid), n);
        dataIn.resize(n);
        return std::move(dataIn);
    };

    Reply reply;
    switch (const int category = api_.resultCategory(pt.get())) {
        case SCSI_PT_RESULT_GOOD:
            reply.status = status::Good;
            reply.data = transferred();
            return reply;
        case SCSI_PT_RESULT_STATUS: {
            const int s = api_.status(pt.get());
            if (s < 0 || s > 0xFF)
                return Error(ErrorCode::DeviceNotAvailable,
                             fmt::format("{} on {}: no SCSI status returned", command.name, path_));
            reply.status = static_cast<std::uint8_t>(s);
            return reply;
        }
        case SCSI_PT_RESULT_SENSE: {
            // Data may accompany a CHECK CONDITION (READ(6) with ILI, RECOVERED ERROR): keep it.
            reply.status = status::CheckCondition;
            reply.data = transferred();
            const int len = std::clamp(api_.senseLength(pt.get()), 0, senseBufferLength);
            reply.sense.assign(sense.begin(), sense.begin() + len);
            return reply;
        }
        case SCSI_PT_RESULT_TRANSPORT_ERR: {
            std::array<char, transportTextLength> text{};
            const char *described =
                api_.transportErrorString(pt.get(), transportTextLength, text.data());
            std::string what = oneLine(described ? std::string(described) : std::string());
            if (what.empty())
                what = "transport error";
            if (mentionsTimeout(what))
                return Error(ErrorCode::Timeout,
                             fmt::format("{} on {}: no answer within {} s ({})", command.name,
                                         path_, timeoutSeconds(command.timeout), what))
                    .unanswered();
            return Error(ErrorCode::DeviceNotAvailable,
                         fmt::format("{} on {}: {}", command.name, path_, what))
                .unanswered();
        }
        case SCSI_PT_RESULT_OS_ERR: {
            const int err = api_.osError(pt.get());
            return osError(command, path_, err != 0 ? err : EIO);
        }
        default:
            return Error(ErrorCode::DeviceNotAvailable,
                         fmt::format("{} on {}: unknown pass-through result category {}",
                                     command.name, path_, category));
    }
}

}  // namespace rsm::sg
