#pragma once
// Clock: the wall clock rsm's time-based policies read (retention, water marks, vault transit
// dates). SystemClock is the real one. ManualClock is set and advanced by tests. OffsetClock is
// the system clock moved forward by the seconds written in a file: rsmd uses it when the
// environment names such a file (RSM_CLOCK_OFFSET_FILE), so a test of a real rsmd can advance
// its time without sleeping; a file that is missing or unreadable counts as zero.
// Thread-safety: now() may be called from any thread; ManualClock's set/advance too.

#include <chrono>
#include <mutex>
#include <string>

namespace rsm {

using WallTime = std::chrono::system_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual WallTime now() const = 0;
};

class SystemClock final : public Clock {
public:
    WallTime now() const override { return std::chrono::system_clock::now(); }
    // The one instance, for callers that are given no clock.
    static const SystemClock &instance();
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(WallTime start = std::chrono::system_clock::now()) : now_(start) {}
    WallTime now() const override;
    void set(WallTime when);
    void advance(std::chrono::seconds by);

private:
    mutable std::mutex mutex_;
    WallTime now_;
};

class OffsetClock final : public Clock {
public:
    explicit OffsetClock(std::string offsetFile) : file_(std::move(offsetFile)) {}
    WallTime now() const override;

private:
    const std::string file_;
};

// The clock of the environment: an OffsetClock when RSM_CLOCK_OFFSET_FILE is set and not
// empty, else the system clock. The returned clock lives for the program's lifetime.
const Clock &environmentClock();

}  // namespace rsm
