#include "sg/tape_drive.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "sg/cdb.h"
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

Result<TapeAlerts> TapeDrive::tapeAlerts() {
    auto reply = run(cdb::logSense(kTapeAlertPage), options_.commandTimeout);
    if (!reply) {
        if (reply.error().sense() && reply.error().sense()->key == 0x05)  // ILLEGAL REQUEST
            return Error(ErrorCode::NotSupported, "the drive has no TapeAlert log page")
                .withContext(transport_->describe());
        return reply.error();
    }
    return parseTapeAlerts(reply->data);
}

}  // namespace rsm::sg
