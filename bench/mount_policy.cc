// Robot moves per mount over simulated backup days: deferred dismount (a tape stays in its
// drive, DISMOUNTABLE, for N minutes after its dismount) against unloading at once, with every
// drive chosen by chooseDrive (src/library/drive_choice.h).
//   bench-mount-policy [DAYS] [SEED]
// The library: 4 drives, 60 cartridges in four pools. Each day (docs/benchmarks.md has the
// table): seven backup jobs in the night, each appending to its pool's current tape (a tape
// holds 240 minutes of writing; a job that fills it continues on the pool's next tape), an
// archive job on the seventh night; in the morning one verify read per tape written that
// night; by day two restores of older tapes and four catalog reads of tapes written in the
// last seven days. Times, lengths and choices are drawn from a seeded mt19937_64 before the
// simulation, so every policy sees the same requests. A job whose tape is in use, or that finds
// every drive in use, waits; the next dismount lets the waiting jobs try again, oldest first.
// Moves take no simulated time.
//
// Moves counted: unload-then-load (naive): one move into the drive per mount and one out per
// dismount. Deferred: a mount of a tape still in its drive costs nothing, into an empty drive
// one move, into a DISMOUNTABLE drive two (its tape home, then the new one in); a deferral that
// runs out costs one move home; tapes still deferred at the end are counted going home.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "src/library/drive_choice.h"

using namespace rsm;
using namespace rsm::library;

namespace {

constexpr int kDrives = 4, kTapeMinutes = 240, kDay = 1440;

struct PoolSpec {
    const char *name;
    int first, count;  // tapes first … first+count-1
};
constexpr PoolSpec kPools[] = {
    {"daily", 0, 24}, {"weekly", 24, 16}, {"db", 40, 12}, {"archive", 52, 8}};
enum Pool { Daily, Weekly, Db, Archive };

struct NightJob {
    const char *name;
    Pool pool;
    int start, shortest, longest;  // minutes after midnight (past 1440: the next day)
};
constexpr NightJob kNight[] = {
    {"fs-home", Daily, 21 * 60, 40, 100},
    {"fs-srv", Daily, 21 * 60 + 30, 30, 80},
    {"db-full", Db, 22 * 60, 60, 150},
    {"mail", Daily, 23 * 60, 20, 50},
    {"vm-images", Weekly, 24 * 60 + 30, 90, 240},
    {"db-logs", Db, 26 * 60, 10, 30},
    {"fs-scratch", Daily, 27 * 60, 20, 60},
};
constexpr NightJob kArchive = {"archive", Archive, 20 * 60, 180, 360};  // every seventh night

enum class Kind { Backup, Verify, Restore, Catalog };

struct Job {
    int start = 0;
    Kind kind = Kind::Backup;
    Pool pool = Daily;  // Backup
    int minutes = 0;
    std::uint64_t pick = 0;  // Verify: the index among last night's tapes; others: a draw
};

class Draw {
public:
    explicit Draw(std::uint64_t seed) : g_(seed) {}
    int between(int lo, int hi) { return lo + static_cast<int>(g_() % (hi - lo + 1)); }
    std::uint64_t any() { return g_(); }

private:
    std::mt19937_64 g_;  // its sequence is fixed by the standard; the ranges are ours
};

std::vector<Job> plan(int days, std::uint64_t seed) {
    Draw draw(seed);
    std::vector<Job> jobs;
    for (int d = 0; d < days; ++d) {
        const int base = d * kDay;
        for (int k = 0; k < 6; ++k)
            jobs.push_back({base + 7 * 60 + 25 * k, Kind::Verify, Daily, draw.between(10, 30),
                            static_cast<std::uint64_t>(k)});
        for (int k = 0; k < 2; ++k)
            jobs.push_back({base + draw.between(9 * 60, 17 * 60), Kind::Restore, Daily,
                            draw.between(20, 60), draw.any()});
        for (int k = 0; k < 4; ++k)
            jobs.push_back({base + draw.between(8 * 60, 18 * 60), Kind::Catalog, Daily,
                            draw.between(5, 15), draw.any()});
        if (d + 1 == days)
            break;  // no night after the last day
        auto night = [&](const NightJob &n) {
            jobs.push_back({base + n.start + draw.between(-10, 10), Kind::Backup, n.pool,
                            draw.between(n.shortest, n.longest), 0});
        };
        for (const NightJob &n : kNight)
            night(n);
        if (d % 7 == 6)
            night(kArchive);
    }
    return jobs;
}

Uuid tapeId(int tape) {
    std::array<std::uint8_t, 16> b{};
    b[14] = 1;
    b[15] = static_cast<std::uint8_t>(tape);
    return Uuid(b);
}

std::chrono::system_clock::time_point at(int minute) {
    return std::chrono::system_clock::time_point(std::chrono::minutes(minute));
}

struct Outcome {
    long mounts = 0, moves = 0, noMove = 0, putAway = 0, beforeReady = 0;
    long waitMinutes = 0, skipped = 0;
};

class Simulation {
public:
    Simulation(const std::vector<Job> &jobs, std::optional<int> defer)
        : jobs_(jobs), defer_(defer), runs_(jobs.size()) {
        for (int i = 0; i < kDrives; ++i) {
            DriveView d;
            d.id = Uuid(std::array<std::uint8_t, 16>{static_cast<std::uint8_t>(i + 1)});
            d.number = i;
            drives_.push_back(d);
        }
        for (const PoolSpec &p : kPools)
            pools_.push_back({p.first, kTapeMinutes});
        for (std::size_t j = 0; j < jobs.size(); ++j)
            events_.push({jobs[j].start, seq_++, static_cast<int>(j), -1, 0});
    }

    Outcome run() {
        while (!events_.empty()) {
            const Event e = events_.top();
            events_.pop();
            expire(e.time);
            if (e.drive < 0)
                start(e.job, e.time);
            else
                finish(e, e.time);
        }
        for (DriveView &d : drives_)  // tapes still deferred go home
            if (d.state == DriveState::Dismountable)
                ++out_.moves;
        return out_;
    }

private:
    struct Event {
        int time;
        long seq;
        int job, drive, segment;  // drive < 0: the job starts
        bool operator>(const Event &o) const {
            return time != o.time ? time > o.time : seq > o.seq;
        }
    };
    struct PoolState {
        int current, left;  // the tape being appended to, and its minutes left
    };
    struct Run {
        int tape = -1;     // the tape of a read, chosen when the job starts
        int left = 0;      // minutes of writing left (Backup)
        int waiting = -1;  // since when, while waiting
    };

    void expire(int now) {
        for (DriveView &d : drives_)
            if (d.state == DriveState::Dismountable && *d.dismountAfter <= at(now)) {
                ++out_.moves;
                d.state = DriveState::Dismounted;
                d.media.reset();
                d.dismountAfter.reset();
            }
    }

    // Tapes written from `from` (inclusive) to `to`, each once, in the order first written.
    std::vector<int> written(int from, int to) const {
        std::vector<int> out;
        std::set<int> seen;
        for (const auto &[time, tape] : written_)
            if (time >= from && time < to && seen.insert(tape).second)
                out.push_back(tape);
        return out;
    }

    void start(int j, int now) {
        const Job &job = jobs_[static_cast<std::size_t>(j)];
        Run &run = runs_[static_cast<std::size_t>(j)];
        const int day = now / kDay * kDay;
        std::vector<int> choices;
        switch (job.kind) {
            case Kind::Backup:
                run.left = job.minutes;
                break;
            case Kind::Verify:  // last night's tapes, 20:00 to 07:00
                choices = written(day - 4 * 60, day + 7 * 60);
                if (job.pick >= choices.size()) {
                    ++out_.skipped;
                    return;
                }
                run.tape = choices[job.pick];
                break;
            case Kind::Restore:  // any tape not being appended to
                for (int t = 0; t < kPools[Archive].first + kPools[Archive].count; ++t) {
                    bool current = false;
                    for (const PoolState &p : pools_)
                        current = current || p.current == t;
                    if (!current)
                        choices.push_back(t);
                }
                run.tape = choices[job.pick % choices.size()];
                break;
            case Kind::Catalog:  // a tape written in the last seven days
                choices = written(now - 7 * kDay, now);
                if (choices.empty()) {
                    ++out_.skipped;
                    return;
                }
                run.tape = choices[job.pick % choices.size()];
                break;
        }
        if (!mount(j, now)) {
            run.waiting = now;
            waiting_.push_back(j);
        }
    }

    // Mounts the job's tape if a drive can take it now.
    bool mount(int j, int now) {
        const Job &job = jobs_[static_cast<std::size_t>(j)];
        Run &run = runs_[static_cast<std::size_t>(j)];
        const int tape = job.kind == Kind::Backup ? pools_[job.pool].current : run.tape;
        auto choice = chooseDrive(drives_, MountWish{tapeId(tape), std::nullopt});
        if (!choice) {
            if (choice.error().code() == ErrorCode::Busy)
                return false;
            std::fprintf(stderr, "bench-mount-policy: %s\n", choice.error().toString().c_str());
            std::exit(1);
        }
        std::size_t d = 0;
        while (drives_[d].id != choice->drive)
            ++d;
        const int moves = choice->alreadyThere ? 0 : choice->putAwayFirst ? 2 : 1;
        out_.moves += moves;
        out_.beforeReady += moves;
        ++out_.mounts;
        out_.noMove += moves == 0;
        out_.putAway += choice->putAwayFirst.has_value();
        if (run.waiting >= 0) {
            out_.waitMinutes += now - run.waiting;
            run.waiting = -1;
        }
        DriveView &drive = drives_[d];
        drive.state = DriveState::Loaded;
        drive.media = tapeId(tape);
        drive.dismountAfter.reset();
        ++drive.mountCount;
        int segment = job.minutes;
        if (job.kind == Kind::Backup) {
            segment = std::min(run.left, pools_[job.pool].left);
            written_.emplace_back(now, tape);
        }
        events_.push({now + segment, seq_++, j, static_cast<int>(d), segment});
        return true;
    }

    void finish(const Event &e, int now) {
        DriveView &drive = drives_[static_cast<std::size_t>(e.drive)];
        if (defer_) {
            drive.state = DriveState::Dismountable;
            drive.dismountAfter = at(now + *defer_);
        } else {
            ++out_.moves;
            drive.state = DriveState::Dismounted;
            drive.media.reset();
        }
        const Job &job = jobs_[static_cast<std::size_t>(e.job)];
        if (job.kind == Kind::Backup) {
            Run &run = runs_[static_cast<std::size_t>(e.job)];
            PoolState &pool = pools_[job.pool];
            run.left -= e.segment;
            pool.left -= e.segment;
            if (pool.left == 0) {  // full: the pool's next tape
                const PoolSpec &spec = kPools[job.pool];
                pool.current = spec.first + (pool.current - spec.first + 1) % spec.count;
                pool.left = kTapeMinutes;
            }
            if (run.left > 0 && !mount(e.job, now)) {
                run.waiting = now;
                waiting_.push_front(e.job);
            }
        }
        for (auto it = waiting_.begin(); it != waiting_.end();)
            it = mount(*it, now) ? waiting_.erase(it) : std::next(it);
    }

    const std::vector<Job> &jobs_;
    std::optional<int> defer_;
    std::vector<Run> runs_;
    std::vector<DriveView> drives_;
    std::vector<PoolState> pools_;
    std::vector<std::pair<int, int>> written_;  // (minute, tape) of each backup mount
    std::deque<int> waiting_;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
    long seq_ = 0;
    Outcome out_;
};

}  // namespace

int main(int argc, char **argv) {
    const int days = argc > 1 ? std::atoi(argv[1]) : 28;
    const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20261121;
    if (days < 1) {
        std::fprintf(stderr, "usage: bench-mount-policy [DAYS] [SEED]\n");
        return 2;
    }
    const std::vector<Job> jobs = plan(days, seed);
    std::vector<std::optional<int>> policies = {std::nullopt, 0, 5, 15, 60, 240, 720};
    for (const std::optional<int> &defer : policies) {
        const Outcome o = Simulation(jobs, defer).run();
        const std::string name =
            defer ? "deferred-" + std::to_string(*defer) + "min" : std::string("unload-then-load");
        std::printf(
            "mount policy=%s days=%d seed=%llu mounts=%ld moves=%ld moves_per_mount=%.2f "
            "no_move=%.1f%% put_away_first=%.1f%% moves_before_ready=%.2f wait_minutes=%ld "
            "reads_without_tape=%ld\n",
            name.c_str(), days, static_cast<unsigned long long>(seed), o.mounts, o.moves,
            static_cast<double>(o.moves) / static_cast<double>(o.mounts),
            100.0 * static_cast<double>(o.noMove) / static_cast<double>(o.mounts),
            100.0 * static_cast<double>(o.putAway) / static_cast<double>(o.mounts),
            static_cast<double>(o.beforeReady) / static_cast<double>(o.mounts), o.waitMinutes,
            o.skipped);
    }
    return 0;
}
