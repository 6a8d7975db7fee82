#include "src/service/event_feed.h"

#include "src/service/to_json.h"

namespace rsm::service {

namespace {
constexpr int kBatch = 500;
}

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
                          std::int64_t after) {
    std::lock_guard lock(mutex_);
    watchers_[connection->id()] = Watcher{connection, after};
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
        if (deliver())
            continue;
        // The database's notification wakes us; a new watcher does too (within 200 ms).
        waitForChange_(std::chrono::milliseconds(200));
        std::unique_lock lock(mutex_);
        if (watchers_.empty())
            cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || kicked_; });
    }
}

bool EventFeed::deliver() {
    std::int64_t from = -1;
    {
        std::lock_guard lock(mutex_);
        for (const auto &[id, w] : watchers_)
            if (from < 0 || w.position < from)
                from = w.position;
    }
    if (from < 0)
        return false;
    auto events = engine_.events(from, kBatch);
    if (!events || events->empty())
        return false;
    std::vector<std::pair<std::int64_t, std::string>> lines;
    for (const engine::EventRow &e : *events)
        lines.emplace_back(e.seq, nlohmann::json{{"event", toJson(e)}}.dump(
                                      -1, ' ', false, nlohmann::json::error_handler_t::replace));
    std::lock_guard lock(mutex_);
    bool behind = false;
    for (auto it = watchers_.begin(); it != watchers_.end();) {
        if (it->second.position < from) {
            // Subscribed since the batch was read, from further back: its turn comes next.
            behind = true;
            ++it;
            continue;
        }
        auto connection = it->second.connection.lock();
        bool open = connection != nullptr;
        for (const auto &[seq, line] : lines) {
            if (!open || seq <= it->second.position)
                continue;
            open = connection->push(line);
            it->second.position = seq;
        }
        it = open ? std::next(it) : watchers_.erase(it);
    }
    return behind || static_cast<int>(events->size()) == kBatch;
}

}  // namespace rsm::service
