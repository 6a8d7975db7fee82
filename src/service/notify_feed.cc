#include "src/service/notify_feed.h"

#include <fmt/format.h>

namespace rsm::service {

namespace {

constexpr int kBatch = 500;

}  // namespace

NotifyFeed::NotifyFeed(engine::Engine &engine,
                       std::function<bool(std::chrono::milliseconds)> waitForChange, Sink sink,
                       Warn warn)
    : engine_(engine),
      waitForChange_(std::move(waitForChange)),
      sink_(std::move(sink)),
      warn_(std::move(warn)) {}

NotifyFeed::~NotifyFeed() {
    stop();
}

void NotifyFeed::start() {
    {
        std::lock_guard lock(mutex_);
        if (thread_.joinable() || stopping_)
            return;
    }
    // The end of the log now, before rsmd serves: an event of its first client is told. (A
    // database that does not answer yet: the thread tries again.)
    if (position_ < 0)
        begin();
    std::lock_guard lock(mutex_);
    thread_ = std::thread([this] { run(); });
}

void NotifyFeed::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

void NotifyFeed::run() {
    bool warned = false;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
        }
        const bool ready = position_ >= 0 || begin();
        const bool more = ready && deliver();
        if (!ready && !warned && warn_) {
            warn_("notifications: the database does not answer; trying again");
            warned = true;
        }
        if (more)
            continue;
        if (waitForChange_(std::chrono::milliseconds(200))) {
            // A busy server's commits are read in batches, not one read per commit.
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, std::chrono::milliseconds(5), [this] { return stopping_; });
        }
    }
}

bool NotifyFeed::begin() {
    auto last = engine_.lastEventSeq();
    auto libraries = engine_.onlineLibraries();
    if (!last || !libraries)
        return false;
    for (const engine::LibraryRow &l : *libraries) {
        rules_.seedLibrary(l.id, l.name, l.unreachableSince.has_value());
        auto view = engine_.robotView(l.id);
        if (!view)
            continue;
        for (const auto &d : view->drives)
            rules_.seedDrive(d.row.id, d.row.libraryId, d.row.number, d.row.needsCleaning);
    }
    position_ = *last;
    return true;
}

bool NotifyFeed::deliver() {
    auto batch = engine_.events(position_, kBatch);
    if (!batch)
        return false;
    for (const engine::EventRow &e : batch->events) {
        position_ = e.seq;
        for (Notification &n : rules_.notable(e)) {
            name(n);
            sink_(n);
        }
    }
    return static_cast<int>(batch->events.size()) == kBatch;
}

void NotifyFeed::name(Notification &n) {
    if (n.libraryId && !n.library)
        if (auto l = engine_.libraryRow(*n.libraryId))
            n.library = l->name;
    if (n.mediaId && !n.barcode)
        if (auto m = engine_.mediaRow(*n.mediaId)) {
            n.barcode = m->barcode;
            if (!n.libraryId && m->libraryKind != LibraryKind::Offline) {
                n.libraryId = m->libraryId;
                if (auto l = engine_.libraryRow(m->libraryId))
                    n.library = l->name;
            }
        }
}

}  // namespace rsm::service
