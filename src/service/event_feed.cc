#include "src/service/event_feed.h"

#include <algorithm>

#include <fmt/format.h>

#include "src/protocol/codec.h"
#include "src/service/to_json.h"

namespace rsm::service {

namespace {

constexpr int kBatch = 500;

std::string eventLine(const engine::EventRow &e) {
    return nlohmann::json{{"event", toJson(e)}}.dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace);
}

}  // namespace

EventFeed::EventFeed(engine::Engine &engine,
                     std::function<bool(std::chrono::milliseconds)> waitForChange)
    : engine_(engine), waitForChange_(std::move(waitForChange)) {}

EventFeed::~EventFeed() {
    stop();
}

void EventFeed::start() {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable())
        thread_ = std::thread([this] { run(); });
}

void EventFeed::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

void EventFeed::subscribe(const std::shared_ptr<daemon::ConnectionState> &connection,
                          const Uuid &session, std::int64_t after, bool sessions) {
    std::lock_guard lock(mutex_);
    watchers_[connection->id()] =
        Watcher{connection, session, after, false, std::nullopt, sessions};
    kicked_ = true;
    cv_.notify_all();
}

void EventFeed::unsubscribe(std::uint64_t connection) {
    std::lock_guard lock(mutex_);
    watchers_.erase(connection);
}

void EventFeed::run() {
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
            kicked_ = false;
        }
        const Outcome outcome = deliver();
        if (outcome == Outcome::More)
            continue;
        std::unique_lock lock(mutex_);
        if (outcome == Outcome::Paused) {
            // Some reader is behind: look again soon, whether or not the log grows.
            cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stopping_; });
            continue;
        }
        lock.unlock();
        // A commit of this rsmd wakes us; others' changes and a new watcher are seen within
        // 200 ms.
        const bool changed = waitForChange_(std::chrono::milliseconds(200));
        lock.lock();
        if (changed)
            cv_.wait_for(lock, kWatchBatch, [this] { return stopping_; });
        if (watchers_.empty())
            cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || kicked_; });
    }
}

EventFeed::Outcome EventFeed::deliver() {
    // The watchers whose readers keep up; the others wait (their queue is bounded).
    std::map<std::uint64_t, Watcher> ready;
    bool paused = false;
    std::int64_t from = -1;
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        for (auto it = watchers_.begin(); it != watchers_.end();) {
            Watcher &w = it->second;
            auto connection = w.connection.lock();
            if (!connection) {
                it = watchers_.erase(it);
                continue;
            }
            if (connection->queuedBytes() >= kWatchQueueLimit) {
                if (!w.stalledSince)
                    w.stalledSince = now;
                if (now - *w.stalledSince >= kWatchStallLimit) {
                    connection->push(protocol::errorLine(
                        nullptr,
                        Error(ErrorCode::Timeout,
                              fmt::format("watch: this connection fell behind the event log (its "
                                          "output was not read for {} s, at sequence number {}); "
                                          "read the stream as it comes, or watch again with "
                                          "since {}",
                                          kWatchStallLimit.count(), w.position, w.position))));
                    connection->closeAfterWrites();
                    it = watchers_.erase(it);
                    continue;
                }
                paused = true;
                ++it;
                continue;
            }
            w.stalledSince.reset();
            if (from < 0 || w.position < from)
                from = w.position;
            ready.emplace(it->first, w);
            ++it;
        }
    }
    bool more = false;
    // One batch from the furthest-back position; the watchers it reaches take it; those ahead
    // of it get a batch of their own in the next round.
    while (!ready.empty()) {
        from = ready.begin()->second.position;
        for (const auto &[id, w] : ready)
            from = std::min(from, w.position);
        const Batch *batch = batchFrom(from);
        if (!batch)
            return Outcome::Paused;  // the database is away: try again soon
        if (batch->rows.events.empty())
            break;
        const std::int64_t last = batch->rows.events.back().seq;
        const bool full = static_cast<int>(batch->rows.events.size()) == kBatch;
        for (auto it = ready.begin(); it != ready.end();) {
            Watcher &w = it->second;
            if (w.position >= last) {
                ++it;
                continue;
            }
            auto connection = w.connection.lock();
            const bool keep =
                connection && send(w, *connection, batch->rows, batch->audiences, batch->lines);
            {
                std::lock_guard lock(mutex_);
                auto found = watchers_.find(it->first);
                if (found != watchers_.end() && !keep) {
                    watchers_.erase(found);
                } else if (found != watchers_.end()) {
                    found->second.position = w.position;
                    found->second.toldPurged = w.toldPurged;
                }
            }
            // A full batch, or a reader whose queue stopped it: more to send.
            more = more || (keep && (full || w.position < last));
            it = ready.erase(it);
        }
    }
    if (!more && !paused)
        batch_.reset();  // everyone has caught up: hold no batch while idle
    return more ? Outcome::More : paused ? Outcome::Paused : Outcome::Idle;
}

const EventFeed::Batch *EventFeed::batchFrom(std::int64_t from) {
    // A reader that is behind takes a few lines of a batch at a time (its queue is bounded):
    // it gets the rest of the same batch, not a new read of the log.
    if (batch_ && !batch_->rows.events.empty() && batch_->from <= from &&
        from < batch_->rows.events.back().seq)
        return &*batch_;
    batch_.reset();
    auto rows = engine_.events(from, kBatch);
    if (!rows)
        return nullptr;
    auto audiences = engine_.eventAudiences(rows->events);
    if (!audiences)
        return nullptr;
    Batch b;
    b.from = from;
    b.lines.reserve(rows->events.size());
    for (engine::EventRow &e : rows->events) {
        b.lines.push_back(eventLine(e));
        std::string().swap(e.data);  // the line has it; the batch is kept a while
    }
    b.rows = std::move(*rows);
    b.audiences = std::move(*audiences);
    batch_ = std::move(b);
    return &*batch_;
}

bool EventFeed::send(Watcher &w, daemon::ConnectionState &connection,
                     const engine::EventBatch &batch,
                     const std::vector<engine::EventAudience> &audiences,
                     const std::vector<std::string> &lines) {
    const auto &events = batch.events;
    if (w.position >= events.back().seq)
        return true;
    if (w.position < events.front().seq - 1 && w.position < batch.purgedThrough && !w.toldPurged) {
        w.toldPurged = true;
        const nlohmann::json notice = {
            {"notice",
             {{"purged_through", batch.purgedThrough},
              {"message", fmt::format("events up to sequence number {} are no longer kept "
                                      "(rsmd's event_retention); continuing with the next one "
                                      "kept",
                                      batch.purgedThrough)}}}};
        if (!connection.push(protocol::dumpLine(notice)))
            return false;
    }
    auto visible = engine_.mayRead(w.session, audiences);
    if (!visible) {
        if (visible.error().code() == ErrorCode::DatabaseFailure)
            return true;  // try again with the next batch
        connection.push(protocol::errorLine(
            nullptr, Error(visible.error().code(), "watch ended: " + visible.error().message())));
        connection.closeAfterWrites();
        return false;
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].seq <= w.position)
            continue;
        if (connection.queuedBytes() >= kWatchQueueLimit)
            break;  // the rest when the reader has caught up
        const bool wanted = w.sessions || events[i].kind != "session";
        if ((*visible)[i] && wanted && !connection.push(lines[i]))
            return false;
        w.position = events[i].seq;
    }
    return true;
}

}  // namespace rsm::service
