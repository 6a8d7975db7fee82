#include "sg/tape_drive.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "sg/cdb.h"
#include "sg/sense.h"

namespace rsm::sg {

namespace {

using std::chrono::milliseconds;

void realSleep(milliseconds d) {
    std::this_thread::sleep_for(d);
}

bool isNoMedium(const Error &error) {
    return error.sense() && error.sense()->key == sense_key::NotReady && error.sense()->asc == 0x3A;
}

// TEST UNIT READY's failures, with "no medium" turned into ERROR_MEDIA_NOT_AVAILABLE.
Result<void> testUnitReadyWith(CommandRunner &runner, const std::string &drive) {
    auto reply = runner.run(cdb::testUnitReady());
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
    const Command command = cdb::inquiry();
    auto reply = run(command, command.timeout);
    if (!reply)
        return reply.error();
    auto parsed = parseInquiry(reply->data);
    if (!parsed)
        return parsed.error().withContext(fmt::format("INQUIRY on {}", transport_->describe()));
    return parsed;
}

Result<std::string> TapeDrive::serialNumber() {
    const Command command = cdb::inquiryVpd(0x80);
    auto reply = run(command, command.timeout);
    if (!reply)
        return reply.error();
    auto serial = parseUnitSerialNumber(reply->data);
    if (!serial)
        return serial.error().withContext(
            fmt::format("unit serial number of {}", transport_->describe()));
    return serial;
}

Result<void> TapeDrive::testUnitReady() {
    return testUnitReadyWith(runner_, transport_->describe());
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
        auto ready = testUnitReadyWith(runner, transport_->describe());
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
    maxLength = std::min<std::uint32_t>(maxLength, 0xFFFFFF);  // READ(6) has 24 bits
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
    if (auto sense = parseSense(reply->sense)) {
        if (sense->filemark || sense->key == sense_key::BlankCheck)
            return std::vector<std::uint8_t>{};  // an empty first file, or nothing written
        if (sense->incorrectLength && sense->information) {
            // Positive: the block was shorter than asked, this many bytes were not sent.
            // Negative: the block was longer; the drive sent maxLength bytes of it.
            const std::int64_t residue = signedResidue(*sense->information);
            if (residue > 0) {
                const auto actual = maxLength - static_cast<std::uint32_t>(
                                                    std::min<std::int64_t>(residue, maxLength));
                if (data.size() > actual)
                    data.resize(actual);
            }
        }
    }
    if (data.size() > maxLength)
        data.resize(maxLength);
    return data;
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

}  // namespace rsm::sg
