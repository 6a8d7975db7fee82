#pragma once
// TapeDrive: the SSC commands rsm needs from a tape drive to recognise media labels and to
// prepare a drive for a robot move: TEST UNIT READY, waiting until ready, REWIND, READ(6) of
// the first block and WRITE(6) of a block in variable-block mode, WRITE FILEMARKS, LOAD/UNLOAD,
// INQUIRY and serial number, the TapeAlert flags and the health figures (rsm/health.h).
// Thread-safety: one thread at a time (it owns its transport).

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "rsm/error.h"
#include "rsm/health.h"
#include "sg/command_runner.h"
#include "sg/inquiry.h"
#include "sg/tape_alert.h"
#include "sg/transport.h"

namespace rsm::sg {

struct TapeDriveOptions {
    RetryPolicy retry;
    std::chrono::milliseconds rewindTimeout{600'000};
    std::chrono::milliseconds readTimeout{600'000};
    std::chrono::milliseconds writeTimeout{600'000};
    std::chrono::milliseconds loadTimeout{600'000};
    // TEST UNIT READY, INQUIRY, LOG SENSE.
    std::chrono::milliseconds commandTimeout{60'000};
    CommandRunner::Sleeper sleep;
};

class TapeDrive {
public:
    explicit TapeDrive(std::unique_ptr<Transport> transport, TapeDriveOptions options = {});

    Result<InquiryData> inquiry();
    Result<std::string> serialNumber();
    // Ok when ready; ERROR_MEDIA_NOT_AVAILABLE with sense 02/3A/xx when no medium is loaded.
    Result<void> testUnitReady();
    // Polls TEST UNIT READY until ready or the timeout; ERROR_TIMEOUT then.
    Result<void> waitReady(std::chrono::milliseconds timeout);
    Result<void> rewind();
    // Reads the first block (rewinds first). A block longer than maxLength is returned cut to
    // maxLength. A filemark or blank tape at BOT gives an empty vector.
    // A block of another length than asked ends in CHECK CONDITION with ILI and the difference
    // in the sense; a transport that loses the data with that status (libiscsi hands back the
    // sense instead) gets the block by a second read of exactly its length, which ends in GOOD.
    Result<std::vector<std::uint8_t>> readFirstBlock(std::uint32_t maxLength = 256 * 1024);
    // Writes one block of 1 to 0xFFFFFF bytes at the current position (WRITE(6), variable).
    Result<void> writeBlock(std::span<const std::uint8_t> block);
    // Writes `count` filemarks (0 to 0xFFFFFF; 0 only flushes the drive's buffer to the tape).
    Result<void> writeFilemarks(int count);
    Result<void> load();
    Result<void> unload();
    // The TapeAlert flags (LOG SENSE page 2Eh; reading them clears them on most drives).
    // ERROR_NOT_SUPPORTED when the drive refuses the page.
    Result<TapeAlerts> tapeAlerts();
    // Health figures (issue 19), each ERROR_NOT_SUPPORTED when the drive refuses the command
    // (ILLEGAL REQUEST): the cartridge's MAM attributes (READ ATTRIBUTE), the volume statistics
    // (LOG SENSE 17h) and the error counters of `page` (kWriteErrorCounterPage 02h or
    // kReadErrorCounterPage 03h).
    Result<MediumAttributes> readAttributes();
    Result<VolumeStatistics> volumeStatistics();
    Result<ErrorCounters> errorCounters(std::uint8_t page);
    // All of the above and the TapeAlert flags, in that order. Never fails: a part the drive
    // refuses is named in `unsupported`, a part that fails otherwise in `failed` with the error.
    // Once a command gets no answer (isTransportFailure) the parts after it are not asked for
    // and are named in `failed` too.
    // Reading TapeAlert clears the flags on most drives: callers that act on them use these.
    DriveHealth health();

    Transport &transport() { return *transport_; }

private:
    Result<Reply> run(Command command, std::chrono::milliseconds timeout);
    // run() with the command timeout; ILLEGAL REQUEST is ERROR_NOT_SUPPORTED "the drive has no
    // `what`".
    Result<Reply> runRefusable(Command command, const char *what);
    Result<std::vector<std::uint8_t>> rereadExactly(std::uint32_t blockLength,
                                                    std::uint32_t maxLength);

    std::unique_ptr<Transport> transport_;
    TapeDriveOptions options_;
    CommandRunner runner_;
};

}  // namespace rsm::sg
