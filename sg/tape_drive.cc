#include "sg/tape_drive.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "sg/attributes.h"
#include "sg/cdb.h"
#include "sg/log_pages.h"
#include "sg/sense.h"

namespace rsm::sg {

namespace {

using std::chrono::milliseconds;

constexpr std::uint32_t maxTransferLength = 0xFFFFFF;  // the 24-bit length of READ(6)/WRITE(6)

void realSleep(milliseconds d) {
    std::this_thread::sleep_for(d);
}

bool isNoMedium(const Error &error) {
    return error.sense() && error.sense()->key == sense_key::NotReady && error.sense()->asc == 0x3A;
}

// TEST UNIT READY's failures, with "no medium" turned into ERROR_MEDIA_NOT_AVAILABLE.
Result<void> testUnitReadyWith(CommandRunner &runner, const std::string &drive,
                               milliseconds timeout) {
    Command command = cdb::testUnitReady();
    command.timeout = timeout;
    auto reply = runner.run(command);
    if (reply)
        return success();
    const Error &error = reply.error();
    if (isNoMedium(error))
        return Error(ErrorCode::MediaNotAvailable, fmt::format("no medium in {}", drive),
                     *error.sense());
    return error;
}

// Failures that a drive getting ready (after a load or a robot move) goes through.
bool worthWaiting(const Error &error) {
    if (error.code() == ErrorCode::Timeout || error.code() == ErrorCode::Busy ||
        error.code() == ErrorCode::MediaNotAvailable)
        return true;
    return error.sense() && (error.sense()->key == sense_key::NotReady ||
                             error.sense()->key == sense_key::UnitAttention);
}

// The INFORMATION field of a READ with ILI is requested minus actual length, signed: 4 bytes in
// fixed format sense, 8 in descriptor format.
std::int64_t signedResidue(std::uint64_t information) {
    if (information <= 0xFFFFFFFFu)
        return static_cast<std::int32_t>(static_cast<std::uint32_t>(information));
    return static_cast<std::int64_t>(information);
}

}  // namespace

TapeDrive::TapeDrive(std::unique_ptr<Transport> transport, TapeDriveOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      runner_(*transport_, options_.retry, options_.sleep) {}

Result<Reply> TapeDrive::run(Command command, milliseconds timeout) {
    command.timeout = timeout;
    return runner_.run(command);
}

Result<InquiryData> TapeDrive::inquiry() {
    auto reply = run(cdb::inquiry(), options_.commandTimeout);
    if (!reply)
        return reply.error();
    auto parsed = parseInquiry(reply->data);
    if (!parsed)
        return parsed.error().withContext(fmt::format("INQUIRY on {}", transport_->describe()));
    return parsed;
}

Result<std::string> TapeDrive::serialNumber() {
    auto reply = run(cdb::inquiryVpd(0x80), options_.commandTimeout);
    if (!reply)
        return reply.error();
    auto serial = parseUnitSerialNumber(reply->data);
    if (!serial)
        return serial.error().withContext(
            fmt::format("unit serial number of {}", transport_->describe()));
    return serial;
}

Result<void> TapeDrive::testUnitReady() {
    return testUnitReadyWith(runner_, transport_->describe(), options_.commandTimeout);
}

Result<void> TapeDrive::waitReady(milliseconds timeout) {
    const CommandRunner::Sleeper sleep =
        options_.sleep ? options_.sleep : CommandRunner::Sleeper(realSleep);
    const milliseconds interval = options_.retry.pollInterval > milliseconds::zero()
                                      ? options_.retry.pollInterval
                                      : milliseconds(1'000);
    const auto start = std::chrono::steady_clock::now();
    // Time spent is what the clock says or what was slept, whichever is more: a test's sleeper
    // returns at once, and the loop must still end.
    milliseconds slept{0};
    auto countingSleep = [&](milliseconds d) {
        sleep(d);
        slept += d;
    };
    auto elapsed = [&]() {
        const auto clock =
            std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
        return std::max(clock, slept);
    };

    for (;;) {
        // Never let one TEST UNIT READY wait (inside the runner) past our own deadline.
        RetryPolicy policy = options_.retry;
        policy.notReadyWait =
            std::max(milliseconds::zero(), std::min(timeout - elapsed(), policy.notReadyWait));
        CommandRunner runner(*transport_, policy, countingSleep);
        auto ready = testUnitReadyWith(
            runner, transport_->describe(),
            std::max(milliseconds(1'000), std::min(options_.commandTimeout, timeout - elapsed())));
        if (ready)
            return success();
        const Error &error = ready.error();
        if (!worthWaiting(error))
            return error;
        if (elapsed() >= timeout) {
            auto message = fmt::format(
                "{} not ready after {} s: {}", transport_->describe(),
                std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), error.message());
            if (error.sense())
                return Error(ErrorCode::Timeout, std::move(message), *error.sense());
            return Error(ErrorCode::Timeout, std::move(message));
        }
        countingSleep(interval);
    }
}

Result<void> TapeDrive::rewind() {
    auto reply = run(cdb::rewind(), options_.rewindTimeout);
    if (!reply)
        return reply.error();
    return success();
}

Result<std::vector<std::uint8_t>> TapeDrive::readFirstBlock(std::uint32_t maxLength) {
    maxLength = std::min<std::uint32_t>(maxLength, maxTransferLength);
    if (maxLength == 0)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("READ(6) on {}: a block length of 0", transport_->describe()));
    RSM_TRY_VOID(rewind());

    auto reply = run(cdb::read6Variable(maxLength), options_.readTimeout);
    if (!reply) {
        // BLANK CHECK at BOT: a new tape, nothing written yet.
        const Error &error = reply.error();
        if (error.sense() && error.sense()->key == sense_key::BlankCheck)
            return std::vector<std::uint8_t>{};
        return error;
    }

    std::vector<std::uint8_t> data = std::move(reply->data);
    const auto sense = parseSense(reply->sense);
    if (sense && (sense->filemark || sense->key == sense_key::BlankCheck))
        return std::vector<std::uint8_t>{};  // an empty first file, or nothing written
    if (data.size() > maxLength)
        data.resize(maxLength);
    if (!sense || !sense->incorrectLength)
        return data;

    // ILI: the block is not maxLength bytes long. INFORMATION = requested - actual, signed:
    // positive, the block was shorter; negative, it was longer and maxLength bytes were sent.
    if (!sense->information) {
        if (!data.empty())
            return data;  // what came, without a way to tell how much of the block it is
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("READ(6) on {}: incorrect length without the block's length",
                                 transport_->describe()),
                     sense->record());
    }
    const std::int64_t blockLength = std::int64_t{maxLength} - signedResidue(*sense->information);
    if (blockLength <= 0 || blockLength > std::int64_t{maxTransferLength})
        return Error(ErrorCode::DeviceNotAvailable,
                     fmt::format("READ(6) on {}: the drive gives the first block a length of {} "
                                 "bytes",
                                 transport_->describe(), blockLength),
                     sense->record());
    const auto expected =
        static_cast<std::uint32_t>(std::min<std::int64_t>(blockLength, maxLength));
    if (data.size() >= expected) {
        data.resize(expected);
        return data;
    }
    // The transport lost the data that came with the CHECK CONDITION: read the block again
    // with exactly its length, which ends in GOOD on every transport.
    return rereadExactly(static_cast<std::uint32_t>(blockLength), maxLength);
}

Result<std::vector<std::uint8_t>> TapeDrive::rereadExactly(std::uint32_t blockLength,
                                                           std::uint32_t maxLength) {
    RSM_TRY_VOID(rewind());
    auto reply = run(cdb::read6Variable(blockLength), options_.readTimeout);
    if (!reply)
        return reply.error();
    const auto sense = parseSense(reply->sense);
    const bool odd =
        sense && (sense->incorrectLength || sense->filemark || sense->key == sense_key::BlankCheck);
    if (odd || reply->data.size() != blockLength) {
        auto message = fmt::format(
            "READ(6) on {}: the first block is {} bytes long, but a read of that length returned "
            "{} bytes{}",
            transport_->describe(), blockLength, reply->data.size(),
            sense ? " (" + describeSense(*sense) + ")" : std::string());
        if (sense)
            return Error(ErrorCode::DeviceNotAvailable, std::move(message), sense->record());
        return Error(ErrorCode::DeviceNotAvailable, std::move(message));
    }
    std::vector<std::uint8_t> data = std::move(reply->data);
    if (data.size() > maxLength)
        data.resize(maxLength);
    return data;
}

Result<void> TapeDrive::writeBlock(std::span<const std::uint8_t> block) {
    if (block.empty() || block.size() > maxTransferLength)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("WRITE(6) on {}: a block of {} bytes (1 to {} can be written)",
                                 transport_->describe(), block.size(), maxTransferLength));
    // CHECK CONDITION with NO SENSE and EOM is the early warning: the block was written.
    auto reply = run(cdb::write6Variable(block), options_.writeTimeout);
    if (!reply)
        return reply.error();
    return success();
}

Result<void> TapeDrive::writeFilemarks(int count) {
    if (count < 0 || static_cast<std::uint32_t>(count) > maxTransferLength)
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("WRITE FILEMARKS on {}: {} filemarks (0 to {} can be written)",
                                 transport_->describe(), count, maxTransferLength));
    auto reply =
        run(cdb::writeFilemarks6(static_cast<std::uint32_t>(count)), options_.writeTimeout);
    if (!reply)
        return reply.error();
    return success();
}

Result<void> TapeDrive::load() {
    auto reply = run(cdb::loadUnload(true), options_.loadTimeout);
    if (!reply)
        return reply.error();
    return success();
}

Result<void> TapeDrive::unload() {
    auto reply = run(cdb::loadUnload(false), options_.loadTimeout);
    if (!reply)
        return reply.error();
    return success();
}

Result<Reply> TapeDrive::runRefusable(Command command, const char *what) {
    auto reply = run(std::move(command), options_.commandTimeout);
    if (!reply && reply.error().sense() && reply.error().sense()->key == sense_key::IllegalRequest)
        return Error(ErrorCode::NotSupported, fmt::format("the drive has no {}", what))
            .withContext(transport_->describe());
    return reply;
}

Result<TapeAlerts> TapeDrive::tapeAlerts() {
    auto reply = runRefusable(cdb::logSense(kTapeAlertPage), "TapeAlert log page");
    if (!reply)
        return reply.error();
    return parseTapeAlerts(reply->data);
}

Result<MediumAttributes> TapeDrive::readAttributes() {
    auto reply = runRefusable(cdb::readAttribute(), "READ ATTRIBUTE (medium auxiliary memory)");
    if (!reply)
        return reply.error();
    return parseAttributes(reply->data);
}

Result<VolumeStatistics> TapeDrive::volumeStatistics() {
    auto reply =
        runRefusable(cdb::logSense(kVolumeStatisticsPage), "volume statistics log page (17h)");
    if (!reply)
        return reply.error();
    return parseVolumeStatistics(reply->data);
}

Result<ErrorCounters> TapeDrive::errorCounters(std::uint8_t page) {
    auto reply = runRefusable(cdb::logSense(page), page == kWriteErrorCounterPage
                                                       ? "write error counter log page (02h)"
                                                       : "read error counter log page (03h)");
    if (!reply)
        return reply.error();
    return parseErrorCounters(reply->data, page);
}

namespace {

// One reading's bookkeeping: the parts refused, failed, and whether the drive stopped answering
// (then the parts after it are not asked for: each would wait for its timeout in turn).
struct Reading {
    DriveHealth health;
    std::optional<std::string> unanswered;  // the failure of the part that got no answer

    // True when `part` was read; otherwise its name goes into unsupported (refused) or failed.
    template <typename T>
    bool gave(const char *name, const Result<T> &part) {
        if (part)
            return true;
        if (part.error().code() == ErrorCode::NotSupported) {
            health.unsupported.emplace_back(name);
            return false;
        }
        health.failed.push_back(fmt::format("{}: {}", name, part.error().toString()));
        if (isTransportFailure(part.error()))
            unanswered = part.error().toString();
        return false;
    }
    // False, and the part named in failed, once the drive stopped answering.
    bool asks(const char *name) {
        if (!unanswered)
            return true;
        health.failed.push_back(fmt::format("{}: not asked, the drive did not answer", name));
        return false;
    }
};

}  // namespace

DriveHealth TapeDrive::health() {
    Reading r;
    DriveHealth &h = r.health;
    if (auto part = readAttributes(); r.gave("attributes", part))
        h.attributes = *part;
    if (r.asks("volume statistics"))
        if (auto part = volumeStatistics(); r.gave("volume statistics", part))
            h.volume = *part;
    if (r.asks("write errors"))
        if (auto part = errorCounters(kWriteErrorCounterPage); r.gave("write errors", part))
            h.writeErrors = *part;
    if (r.asks("read errors"))
        if (auto part = errorCounters(kReadErrorCounterPage); r.gave("read errors", part))
            h.readErrors = *part;
    if (r.asks("tapealert"))
        if (auto part = tapeAlerts(); r.gave("tapealert", part))
            h.tapeAlertFlags = part->flags.to_ullong();
    return h;
}

}  // namespace rsm::sg
