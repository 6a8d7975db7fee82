// libiscsi's declarations come first so that the header's `struct iscsi_context` names the
// global type (the header should forward-declare it at global scope).
extern "C" {
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
}

#include "sg/iscsi_transport.h"

#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string_view>

#include <fmt/format.h>

// libiscsi is driven through its asynchronous calls and a poll loop of our own rather than its
// *_sync wrappers: those keep their completion state on the stack and return early when poll()
// is interrupted by a signal, leaving a queued PDU that later writes into a dead stack frame.
// Here a command completes when libiscsi stores a status in the task (it always does, also for
// timeouts and cancellations), and every transport-level failure closes the connection, so no
// PDU of ours is ever serviced again.

namespace rsm::sg {

namespace {

constexpr std::string_view scheme = "iscsi://";
constexpr int pendingStatus = -0x5253;  // never a libiscsi status
constexpr int maxLun = 255;             // libiscsi encodes the LUN in peripheral addressing

Error badUrl(const std::string &url, std::string_view why) {
    return Error(ErrorCode::InvalidParameter, fmt::format("invalid iSCSI URL \"{}\": {} (expected "
                                                          "iscsi://host[:port]/<target-iqn>/<lun>)",
                                                          url, why));
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i])
            return false;
    return true;
}

// A decimal number of at most `digits` digits, no sign, no blanks.
std::optional<long> parseNumber(std::string_view text, std::size_t digits) {
    if (text.empty() || text.size() > digits)
        return std::nullopt;
    long value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

bool isHostNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

bool isIpv6Char(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

// iSCSI names (RFC 3720 3.2.6): iqn./eui./naa. forms use letters, digits, '.', '-', ':'.
bool isTargetNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
           c == '_';
}

// A command's time limit in words: "3 s", or "1500 ms" when not whole seconds.
std::string spoken(std::chrono::milliseconds t) {
    return t.count() % 1000 == 0 ? fmt::format("{} s", t.count() / 1000)
                                 : fmt::format("{} ms", t.count());
}

std::string contextError(iscsi_context *context) {
    const char *text = iscsi_get_error(context);
    std::string message = text != nullptr && *text != '\0' ? text : "unknown iSCSI error";
    while (!message.empty() &&
           (message.back() == '\n' || message.back() == ' ' || message.back() == '.'))
        message.pop_back();
    return message;
}

// libiscsi times PDUs in whole seconds against time(), so a deadline of N seconds can strike
// up to a second early; one second more makes sure no command is cut short.
int libiscsiTimeout(std::chrono::milliseconds timeout) {
    const std::int64_t ms = std::max<std::int64_t>(timeout.count(), 1);
    return static_cast<int>(std::min<std::int64_t>((ms + 999) / 1000, 1'000'000)) + 1;
}

// Writes to a socket whose peer has gone raise SIGPIPE (libiscsi uses writev() for data-out,
// which has no MSG_NOSIGNAL). Block it on this thread while libiscsi runs and drop any
// SIGPIPE that this produced, so a dead target cannot kill the process.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        wasPending_ = sigismember(&pending, SIGPIPE) == 1;
        blocked_ = pthread_sigmask(SIG_BLOCK, &pipe, &old_) == 0;
    }
    ~SigpipeGuard() {
        if (!blocked_)
            return;
        if (!wasPending_) {
            sigset_t pending;
            sigemptyset(&pending);
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                sigset_t pipe;
                sigemptyset(&pipe);
                sigaddset(&pipe, SIGPIPE);
                const timespec zero{0, 0};
                sigtimedwait(&pipe, nullptr, &zero);
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard &) = delete;
    SigpipeGuard &operator=(const SigpipeGuard &) = delete;

private:
    sigset_t old_{};
    bool blocked_ = false;
    bool wasPending_ = false;
};

enum class PumpOutcome { Done, Failed, Deadline };

// Services the context until done() holds, the connection fails, or the deadline passes.
// poll() wakes at least once a second so that libiscsi's PDU timeouts are checked.
PumpOutcome pump(iscsi_context *context, const std::function<bool()> &done,
                 std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono;
    SigpipeGuard guard;
    while (!done()) {
        const auto now = steady_clock::now();
        if (now >= deadline)
            return PumpOutcome::Deadline;
        const int fd = iscsi_get_fd(context);
        if (fd < 0)
            return PumpOutcome::Failed;
        pollfd pfd{fd, static_cast<short>(iscsi_which_events(context)), 0};
        const auto left = duration_cast<milliseconds>(deadline - now).count() + 1;
        const int wait = static_cast<int>(std::min<std::int64_t>(left, 1000));
        const int ready = poll(&pfd, 1, wait);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            return PumpOutcome::Failed;
        }
        if (iscsi_service(context, ready == 0 ? 0 : pfd.revents) < 0)
            return done() ? PumpOutcome::Done : PumpOutcome::Failed;
    }
    return PumpOutcome::Done;
}

// libiscsi stores the status in the task before calling this; nothing else to do.
void commandDone(iscsi_context *, int, void *, void *) {}

struct AsyncState {
    bool finished = false;
    int status = 0;
};

void asyncDone(iscsi_context *, int status, void *, void *privateData) {
    auto *state = static_cast<AsyncState *>(privateData);
    state->finished = true;
    state->status = status;
}

// Why a TCP connection to the portal fails, when it fails at once or within a second
// (libiscsi reports a refused connection as "iscsi_service_reconnect_if_loggedin. Can not
// reconnect right now"); nullopt when it connects or the answer takes longer.
std::optional<std::string> tcpFailure(const IscsiUrl &url) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const std::string port = std::to_string(url.port);
    if (const int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found); rc != 0)
        return fmt::format("cannot resolve {}: {}", url.host, gai_strerror(rc));
    std::optional<std::string> failure;
    for (const addrinfo *a = found; a != nullptr; a = a->ai_next) {
        const int fd =
            ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int error = 0;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            error = errno;
            if (error == EINPROGRESS) {
                pollfd p{fd, POLLOUT, 0};
                error = ::poll(&p, 1, 1000) == 1 ? 0 : -1;
                socklen_t length = sizeof error;
                if (error == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
                    error = errno;
            }
        }
        ::close(fd);
        if (error == 0 || error == -1) {
            failure.reset();  // connects, or no answer yet: nothing to say
            break;
        }
        failure = fmt::format("TCP connection to {}: {}", url.portal(), std::strerror(error));
    }
    freeaddrinfo(found);
    return failure;
}

}  // namespace

std::string IscsiUrl::portal() const {
    if (host.find(':') != std::string::npos)
        return fmt::format("[{}]:{}", host, port);
    return fmt::format("{}:{}", host, port);
}

std::string IscsiUrl::toString() const {
    return fmt::format("iscsi://{}/{}/{}", portal(), target, lun);
}

Result<IscsiUrl> parseIscsiUrl(const std::string &url) {
    if (!startsWithNoCase(url, scheme))
        return badUrl(url, "it does not start with iscsi://");
    std::string_view rest(url);
    rest.remove_prefix(scheme.size());

    const auto slash = rest.find('/');
    if (slash == std::string_view::npos)
        return badUrl(url, "the target name and LUN are missing");
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = rest.substr(slash + 1);

    if (authority.find('@') != std::string_view::npos)
        return badUrl(url, "credentials in the URL are not supported");

    IscsiUrl parsed;
    std::string_view portText;
    bool hasPort = false;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return badUrl(url, "the IPv6 address has no closing ']'");
        std::string_view address = authority.substr(1, close - 1);
        if (address.empty() || address.find(':') == std::string_view::npos ||
            !std::all_of(address.begin(), address.end(), isIpv6Char))
            return badUrl(url, fmt::format("\"{}\" is not an IPv6 address", address));
        parsed.host = std::string(address);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return badUrl(url, "unexpected text after the IPv6 address");
            portText = after.substr(1);
            hasPort = true;
        }
    } else {
        const auto colon = authority.find(':');
        std::string_view host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            portText = authority.substr(colon + 1);
            hasPort = true;
            if (portText.find(':') != std::string_view::npos)
                return badUrl(url, "an IPv6 address must be written in brackets: [::1]:3260");
        }
        if (host.empty())
            return badUrl(url, "the host is missing");
        if (!std::all_of(host.begin(), host.end(), isHostNameChar))
            return badUrl(url, fmt::format("\"{}\" is not a host name or address", host));
        parsed.host = std::string(host);
    }
    if (hasPort) {
        const auto port = parseNumber(portText, 5);
        if (!port || *port < 1 || *port > 65535)
            return badUrl(url,
                          fmt::format("the port \"{}\" is not a number from 1 to 65535", portText));
        parsed.port = static_cast<int>(*port);
    }

    const auto lastSlash = path.rfind('/');
    if (lastSlash == std::string_view::npos)
        return badUrl(url, "the LUN is missing");
    std::string_view target = path.substr(0, lastSlash);
    std::string_view lunText = path.substr(lastSlash + 1);
    if (target.empty())
        return badUrl(url, "the target name is missing");
    if (target.find('/') != std::string_view::npos)
        return badUrl(url, "too many path elements: the target name cannot contain '/'");
    if (!std::all_of(target.begin(), target.end(), isTargetNameChar))
        return badUrl(url, fmt::format("\"{}\" is not an iSCSI target name", target));
    if (lunText.empty())
        return badUrl(url, "the LUN is missing");
    const auto lun = parseNumber(lunText, 5);
    if (!lun || *lun > maxLun)
        return badUrl(url,
                      fmt::format("the LUN \"{}\" is not a number from 0 to {}", lunText, maxLun));
    parsed.target = std::string(target);
    parsed.lun = static_cast<int>(*lun);
    return parsed;
}

IscsiTransport::IscsiTransport(IscsiUrl url, iscsi_context *context)
    : url_(std::move(url)), context_(context) {}

Result<std::unique_ptr<IscsiTransport>> IscsiTransport::connect(const std::string &url,
                                                                const IscsiOptions &options) {
    auto parsed = parseIscsiUrl(url);
    if (!parsed)
        return parsed.error();
    const std::string where = parsed->toString();
    auto fail = [&](iscsi_context *context, const std::string &reason) {
        if (context != nullptr)
            iscsi_destroy_context(context);
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("cannot connect to {}: {}", where, reason))
            .unanswered();
    };

    iscsi_context *context = iscsi_create_context(options.initiatorName.c_str());
    if (context == nullptr)
        return fail(nullptr, fmt::format("cannot create an iSCSI context for initiator \"{}\"",
                                         options.initiatorName));
    if (iscsi_set_targetname(context, parsed->target.c_str()) != 0 ||
        iscsi_set_session_type(context, ISCSI_SESSION_NORMAL) != 0 ||
        iscsi_set_header_digest(context, ISCSI_HEADER_DIGEST_NONE_CRC32C) != 0)
        return fail(context, contextError(context));
    iscsi_set_noautoreconnect(context, 1);
    // The login and TEST UNIT READY PDUs get the connect timeout itself: when it strikes,
    // libiscsi ends the connect and frees what it allocated for it. The pump's deadline, a
    // little later, only covers a TCP connect that never completes.
    const auto connectTimeout = std::max<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(options.connectTimeout),
        std::chrono::milliseconds(1000));
    iscsi_set_timeout(context, static_cast<int>((connectTimeout.count() + 999) / 1000));

    // Connects, logs in, and eats the unit attentions of a fresh login with TEST UNIT READY.
    AsyncState state;
    const std::string portal = parsed->portal();
    if (iscsi_full_connect_async(context, portal.c_str(), parsed->lun, asyncDone, &state) != 0)
        return fail(context, contextError(context));
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + connectTimeout + std::chrono::milliseconds(1500);
    const PumpOutcome outcome = pump(
        context, [&] { return state.finished; }, deadline);
    const bool late = std::chrono::steady_clock::now() - started >=
                      connectTimeout - std::chrono::milliseconds(1000);
    if (outcome == PumpOutcome::Deadline ||
        (late && (outcome == PumpOutcome::Failed || state.status != SCSI_STATUS_GOOD)))
        return fail(context, fmt::format("no answer within {} s ({})",
                                         options.connectTimeout.count(), contextError(context)));
    if (outcome == PumpOutcome::Failed || state.status != SCSI_STATUS_GOOD) {
        // A portal that refuses connections (no target running, a wrong port) gets the TCP
        // reason rather than libiscsi's.
        if (!iscsi_is_logged_in(context))
            if (auto tcp = tcpFailure(*parsed))
                return fail(context, *tcp);
        return fail(context, contextError(context));
    }
    return std::unique_ptr<IscsiTransport>(new IscsiTransport(std::move(*parsed), context));
}

IscsiTransport::~IscsiTransport() {
    if (context_ == nullptr)
        return;
    if (iscsi_get_fd(context_) >= 0 && iscsi_is_logged_in(context_)) {
        // Log out quietly; a target that does not answer in time is simply dropped.
        AsyncState state;
        iscsi_set_timeout(context_, 2);
        if (iscsi_logout_async(context_, asyncDone, &state) == 0)
            pump(
                context_, [&] { return state.finished; },
                std::chrono::steady_clock::now() + std::chrono::seconds(3));
    }
    iscsi_destroy_context(context_);
}

Result<Reply> IscsiTransport::execute(const Command &command) {
    using namespace std::chrono;
    const std::string where = url_.toString();
    if (command.cdb.empty() || command.cdb.size() > SCSI_CDB_MAX_SIZE)
        return Error(
            ErrorCode::InvalidParameter,
            fmt::format("{}: a CDB of {} bytes cannot be sent", command.name, command.cdb.size()));
    if (iscsi_get_fd(context_) < 0)
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("{} on {}: the connection was lost earlier", command.name, where))
            .unanswered();

    int direction = SCSI_XFER_NONE;
    int expected = 0;
    if (command.direction == Direction::FromDevice) {
        direction = SCSI_XFER_READ;
        expected = static_cast<int>(command.allocationLength);
    } else if (command.direction == Direction::ToDevice) {
        direction = SCSI_XFER_WRITE;
        expected = static_cast<int>(command.dataOut.size());
    }

    const int seconds = libiscsiTimeout(command.timeout);
    iscsi_set_timeout(context_, seconds);

    std::array<unsigned char, SCSI_CDB_MAX_SIZE> cdb{};
    std::copy(command.cdb.begin(), command.cdb.end(), cdb.begin());
    scsi_task *task =
        scsi_create_task(static_cast<int>(command.cdb.size()), cdb.data(), direction, expected);
    if (task == nullptr)
        return Error(ErrorCode::NotEnoughMemory,
                     fmt::format("{} on {}: cannot allocate an iSCSI task", command.name, where));
    task->status = pendingStatus;
    // libiscsi only reads the data-out buffer; its API just lacks the const.
    iscsi_data dataOut{command.dataOut.size(), const_cast<unsigned char *>(command.dataOut.data())};
    const bool writes = direction == SCSI_XFER_WRITE && !command.dataOut.empty();
    if (iscsi_scsi_command_async(context_, url_.lun, task, commandDone, writes ? &dataOut : nullptr,
                                 nullptr) != 0) {
        const std::string reason = contextError(context_);
        scsi_free_scsi_task(task);
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("{} on {}: {}", command.name, where, reason))
            .unanswered();
    }
    // Data-in goes straight into the reply's buffer: without one of ours libiscsi collects it
    // in a buffer of its own, to be copied (half a megabyte for a 10,000-slot library). The
    // buffer is made once the command has gone out, while the device works on it, and handed
    // to libiscsi before it reads any reply (pump() below).
    std::vector<std::uint8_t> dataIn;
    if (direction == SCSI_XFER_READ && expected > 0) {
        dataIn.resize(static_cast<std::size_t>(expected));
        if (scsi_task_add_data_in_buffer(task, expected, dataIn.data()) != 0)
            dataIn = {};  // then libiscsi collects it (task->datain)
    }

    // libiscsi's own timeout normally fires first; this is the backstop.
    const auto deadline = steady_clock::now() + seconds * 1000ms + 2000ms;
    const PumpOutcome outcome = pump(
        context_, [task] { return task->status != pendingStatus; }, deadline);
    if (outcome != PumpOutcome::Done) {
        // The task may still be queued in libiscsi: close the connection so that it is never
        // serviced again, and leave the task to libiscsi (freeing it could be written to).
        const std::string reason =
            outcome == PumpOutcome::Deadline ? "no answer" : contextError(context_);
        iscsi_disconnect(context_);
        abandoned_.push_back(std::move(dataIn));  // the task's buffer lives as long as the task
        if (outcome == PumpOutcome::Deadline)
            return Error(ErrorCode::Timeout,
                         fmt::format("{} on {}: no answer within {} ({})", command.name, where,
                                     spoken(command.timeout), reason))
                .unanswered();
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("{} on {}: {}", command.name, where, reason))
            .unanswered();
    }

    const int status = task->status;
    if (status == SCSI_STATUS_TIMEOUT || status == SCSI_STATUS_ERROR ||
        status == SCSI_STATUS_CANCELLED || status < 0 || status > 0xFF) {
        const std::string reason = contextError(context_);
        scsi_free_scsi_task(task);
        // The session cannot be trusted after this (a late reply would not match any
        // command): close it; later commands fail at once.
        iscsi_disconnect(context_);
        if (status == SCSI_STATUS_TIMEOUT)
            return Error(ErrorCode::Timeout,
                         fmt::format("{} on {}: no answer within {} ({})", command.name, where,
                                     spoken(command.timeout), reason))
                .unanswered();
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("{} on {}: {}", command.name, where,
                                 status == SCSI_STATUS_CANCELLED
                                     ? "the connection to the target was lost (" + reason + ")"
                                     : reason))
            .unanswered();
    }

    Reply reply;
    reply.status = static_cast<std::uint8_t>(status);
    const unsigned char *bytes = task->datain.data;
    const std::size_t size =
        task->datain.size > 0 ? static_cast<std::size_t>(task->datain.size) : 0;
    if (status == SCSI_STATUS_CHECK_CONDITION) {
        // The response's data segment: a 2-byte big-endian SenseLength, then the sense bytes.
        if (bytes != nullptr && size >= 2) {
            const std::size_t length = (std::size_t{bytes[0]} << 8) | bytes[1];
            const std::size_t available = std::min(length, size - 2);
            reply.sense.assign(bytes + 2, bytes + 2 + available);
        }
    } else if (!dataIn.empty() &&
               (status == SCSI_STATUS_GOOD || status == SCSI_STATUS_CONDITION_MET)) {
        // What was transferred: all that was asked for, less the residual of an underflow.
        std::size_t count = dataIn.size();
        if (task->residual_status == SCSI_RESIDUAL_UNDERFLOW)
            count -= std::min(task->residual, count);
        dataIn.resize(count);
        reply.data = std::move(dataIn);
    } else if (direction == SCSI_XFER_READ && bytes != nullptr) {
        // libiscsi's own buffer holds what was transferred; never more than was asked for.
        const std::size_t count = std::min<std::size_t>(size, command.allocationLength);
        reply.data.assign(bytes, bytes + count);
    }
    scsi_free_scsi_task(task);
    return reply;
}

}  // namespace rsm::sg
