#pragma once
// rsm::Error: one failure, as every layer reports it. It carries the RSM result code, a message
// for people, and, when the failure came from a SCSI device, the sense record it returned.
// rsm::Result<T>: a value or an Error. Free on success; no exceptions cross module boundaries.
// Thread-safety: values; safe to copy between threads.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "rsm/error_code.h"

namespace rsm {

// The parts of SCSI sense data that decide what a failure means. Filled by sg/ from fixed or
// descriptor format sense; key 0 with asc/ascq 0 means "no sense".
struct SenseRecord {
    std::uint8_t key = 0;
    std::uint8_t asc = 0;
    std::uint8_t ascq = 0;

    friend bool operator==(const SenseRecord &, const SenseRecord &) = default;
};

class Error {
public:
    Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
    Error(ErrorCode code, std::string message, SenseRecord sense)
        : code_(code), message_(std::move(message)), sense_(sense) {}

    ErrorCode code() const { return code_; }
    const std::string &message() const { return message_; }
    const std::optional<SenseRecord> &sense() const { return sense_; }

    // "ERROR_INVALID_STATE (5023): <message>" — the form rsmctl prints.
    std::string toString() const;

    // A copy with "context: " put before the message; the code, the sense and the mark below
    // stay.
    Error withContext(const std::string &context) const;

    // Whether the failure is a command that got no answer from its device: a timeout, a
    // connection lost or refused, an adapter's failure (DID_NO_CONNECT, DID_TIME_OUT). Set by
    // the transports (sg/) with unanswered(); a device that answered, even with an error,
    // never has it. Not carried over the protocol.
    bool isUnanswered() const { return unanswered_; }
    Error unanswered() const {
        Error e = *this;
        e.unanswered_ = true;
        return e;
    }

private:
    ErrorCode code_;
    std::string message_;
    std::optional<SenseRecord> sense_;
    bool unanswered_ = false;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(v_); }
    const T &value() const & { return std::get<0>(v_); }
    T &&value() && { return std::get<0>(std::move(v_)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *error_; }

private:
    std::optional<Error> error_;
};

inline Result<void> success() {
    return {};
}

}  // namespace rsm

// Propagate an Error from an expression yielding Result<...>: RSM_TRY(r, expr) declares r.
#define RSM_TRY_VOID(expr)                  \
    do {                                    \
        auto rsm_try_result_ = (expr);      \
        if (!rsm_try_result_.ok())          \
            return rsm_try_result_.error(); \
    } while (0)
