// service::ChangeSignal: the event feed's wake-up after rsmd's commits.

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "src/service/change_signal.h"

using namespace std::chrono_literals;

TEST_CASE("change signal: a raise before the wait is kept, and taken once") {
    rsm::service::ChangeSignal signal;
    signal.raise();
    signal.raise();  // raised already: one wake-up
    CHECK(signal.wait(0ms));
    CHECK_FALSE(signal.wait(0ms));
}

TEST_CASE("change signal: a wait without a raise times out false") {
    rsm::service::ChangeSignal signal;
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(signal.wait(30ms));
    CHECK(std::chrono::steady_clock::now() - start >= 30ms);
}

TEST_CASE("change signal: a raise from another thread ends a long wait") {
    rsm::service::ChangeSignal signal;
    std::thread raiser([&] {
        std::this_thread::sleep_for(20ms);
        signal.raise();
    });
    const auto start = std::chrono::steady_clock::now();
    CHECK(signal.wait(60s));
    CHECK(std::chrono::steady_clock::now() - start < 30s);
    raiser.join();
}
