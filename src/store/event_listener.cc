#include "src/store/event_listener.h"

#include <thread>

#include <pqxx/connection>
#include <pqxx/notification>

namespace rsm::store {

namespace {

class Receiver : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection_base &c, bool &flag)
        : pqxx::notification_receiver(c, "rsm_events"), flag_(flag) {}
    void operator()(const std::string &, int) override { flag_ = true; }

private:
    bool &flag_;
};

}  // namespace

struct PgEventListener::Impl {
    pqxx::connection connection;
    bool notified = false;
    Receiver receiver;
    explicit Impl(const std::string &conninfo)
        : connection(conninfo), receiver(connection, notified) {}
};

PgEventListener::PgEventListener(std::string connectionString)
    : connectionString_(std::move(connectionString)) {}

PgEventListener::~PgEventListener() = default;

Result<std::unique_ptr<PgEventListener>> PgEventListener::open(
    const std::string &connectionString) {
    std::unique_ptr<PgEventListener> listener(new PgEventListener(connectionString));
    RSM_TRY_VOID(listener->connect());
    return listener;
}

Result<void> PgEventListener::connect() {
    try {
        impl_ = std::make_unique<Impl>(connectionString_);
        impl_->connection.get_notifs();  // sends the LISTEN
        return success();
    } catch (const std::exception &e) {
        impl_.reset();
        return Error(ErrorCode::DatabaseFailure,
                     std::string("cannot listen for database events: ") + e.what());
    }
}

bool PgEventListener::wait(std::chrono::milliseconds timeout) {
    try {
        if (!impl_ && !connect().ok()) {
            std::this_thread::sleep_for(timeout);
            return true;
        }
        impl_->notified = false;
        if (impl_->connection.get_notifs() == 0) {
            auto us = std::chrono::duration_cast<std::chrono::microseconds>(timeout).count();
            impl_->connection.await_notification(us / 1'000'000, us % 1'000'000);
        }
        return impl_->notified;
    } catch (const std::exception &) {
        impl_.reset();
        std::this_thread::sleep_for(timeout);
        return true;
    }
}

}  // namespace rsm::store
