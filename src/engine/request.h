#pragma once
// RobotWork: what a library request asks the library's worker to do — one struct per kind of
// robot work with that kind's parameters, and the variant of them all that a RequestRow
// carries. The medium and the drive a request concerns are columns of the request itself
// (RequestRow::mediaId, driveId), not parameters.
// src/store encodes it for PostgreSQL (library_request.kind and .parameters), src/service
// makes it from a verb's fields, and the library's worker dispatches on its type
// (std::visit). Plain values: no thread-safety concerns.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace rsm::engine {

namespace work {

// Reads the library's identity and elements again (library probe).
struct Probe {
    friend bool operator==(const Probe &, const Probe &) = default;
};
// Reads the element status and makes the database follow it; `full` also mounts each
// cartridge never read and reads its label.
struct Inventory {
    bool full = false;
    friend bool operator==(const Inventory &, const Inventory &) = default;
};
// An inventory that also resolves the robot moves a failure left without a result.
struct Audit {
    friend bool operator==(const Audit &, const Audit &) = default;
};
// MountNtmsMedia of the request's medium, in the request's drive when it names one.
struct Mount {
    bool write = false;           // NTMS_MOUNT_WRITE
    bool nowait = false;          // NTMS_MOUNT_NOWAIT
    bool errorIfOffline = false;  // NTMS_MOUNT_ERROR_IF_OFFLINE
    friend bool operator==(const Mount &, const Mount &) = default;
};
// DismountNtmsMedia: `deferred` leaves the cartridge in its drive for the dismount delay.
struct Dismount {
    bool deferred = false;
    friend bool operator==(const Dismount &, const Dismount &) = default;
};
// EjectNtmsMedia to a free IE port; `queue` waits for one instead of failing.
struct Eject {
    bool queue = false;
    friend bool operator==(const Eject &, const Eject &) = default;
};
// InjectNtmsMedia: the cartridges in the IE ports go to free slots.
struct Inject {
    friend bool operator==(const Inject &, const Inject &) = default;
};
// CleanNtmsDrive: the request's drive, with the library's cleaner.
struct Clean {
    friend bool operator==(const Clean &, const Clean &) = default;
};

// The health of the request's drive read on demand (rsmctl drive health, issue 19): the
// cartridge's MAM attributes and the drive's log pages, recorded with trigger Demand.
struct Health {
    friend bool operator==(const Health &, const Health &) = default;
};

// One mtx operation on a library rsmd manages (rsmctl mtx -f LIBRARY).
enum class MtxOp { Inquiry, Elements, Move, Exchange, Position, Initialize };
struct Mtx {
    MtxOp op = MtxOp::Elements;
    std::optional<std::uint16_t> source, destination, second;  // element addresses
    bool invert = false;
    friend bool operator==(const Mtx &, const Mtx &) = default;
};

// A request whose kind this rsmd has no job for (written by another version of rsm): kept
// as it was stored, and failed by the worker with ERROR_INVALID_OPERATION.
struct Unknown {
    std::string kind;
    std::string parameters = "{}";  // as stored
    friend bool operator==(const Unknown &, const Unknown &) = default;
};

}  // namespace work

using RobotWork =
    std::variant<work::Probe, work::Inventory, work::Audit, work::Mount, work::Dismount,
                 work::Eject, work::Inject, work::Clean, work::Health, work::Mtx, work::Unknown>;

namespace detail {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 14 deduces no aggregate's arguments itself

constexpr std::array<std::pair<work::MtxOp, std::string_view>, 6> kMtxOps{{
    {work::MtxOp::Inquiry, "inquiry"},
    {work::MtxOp::Elements, "elements"},
    {work::MtxOp::Move, "move"},
    {work::MtxOp::Exchange, "exchange"},
    {work::MtxOp::Position, "position"},
    {work::MtxOp::Initialize, "initialize"},
}};

}  // namespace detail

// The request's kind as rsm names it ("mount", "mtx", …; an Unknown's stored kind).
inline std::string_view kindOf(const RobotWork &work) {
    return std::visit(detail::Overloaded{
                          [](const work::Probe &) -> std::string_view { return "probe"; },
                          [](const work::Inventory &) -> std::string_view { return "inventory"; },
                          [](const work::Audit &) -> std::string_view { return "audit"; },
                          [](const work::Mount &) -> std::string_view { return "mount"; },
                          [](const work::Dismount &) -> std::string_view { return "dismount"; },
                          [](const work::Eject &) -> std::string_view { return "eject"; },
                          [](const work::Inject &) -> std::string_view { return "inject"; },
                          [](const work::Clean &) -> std::string_view { return "clean"; },
                          [](const work::Health &) -> std::string_view { return "health"; },
                          [](const work::Mtx &) -> std::string_view { return "mtx"; },
                          [](const work::Unknown &u) -> std::string_view { return u.kind; },
                      },
                      work);
}

// "inquiry", "elements", "move", "exchange", "position", "initialize".
inline std::string_view mtxOpName(work::MtxOp op) {
    for (const auto &[value, name] : detail::kMtxOps)
        if (value == op)
            return name;
    return "?";
}

inline std::optional<work::MtxOp> mtxOpNamed(std::string_view name) {
    for (const auto &[value, n] : detail::kMtxOps)
        if (n == name)
            return value;
    return std::nullopt;
}

}  // namespace rsm::engine
