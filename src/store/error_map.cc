// The SQLSTATE table and the exception dispatch of error_map.h.

#include "src/store/error_map.h"

#include <array>
#include <new>
#include <pqxx/except>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace rsm::store {

namespace {

// One row per SQLSTATE or SQLSTATE prefix; the first row whose prefix matches decides.
struct SqlStateRule {
    std::string_view prefix;
    ErrorCode code;
};

constexpr std::array kRules = {
    SqlStateRule{"40001", ErrorCode::DatabaseFailure},  // serialization failure (retries spent)
    SqlStateRule{"40P01", ErrorCode::DatabaseFailure},  // deadlock (retries spent)
    SqlStateRule{"53200", ErrorCode::NotEnoughMemory},  // out_of_memory
    SqlStateRule{"53300", ErrorCode::DatabaseFailure},  // too_many_connections
    SqlStateRule{"53", ErrorCode::DatabaseFull},        // disk_full, configuration_limit_exceeded
    SqlStateRule{"54", ErrorCode::DatabaseFull},        // program limits
    SqlStateRule{"08", ErrorCode::DatabaseFailure},     // connection exception
    SqlStateRule{"57P", ErrorCode::DatabaseFailure},    // shutdown, crash, cannot connect now
    SqlStateRule{"XX", ErrorCode::DatabaseFailure},     // internal error, data/index corrupted
    SqlStateRule{"58", ErrorCode::DatabaseFailure},     // system error (I/O)
    SqlStateRule{"23", ErrorCode::InvalidParameter},    // integrity constraint violation
};

// The server's message without its "ERROR:  " prefix, on one line; a DETAIL line is kept.
std::string cleanMessage(std::string_view what) {
    std::string out;
    std::size_t pos = 0;
    while (pos < what.size()) {
        std::size_t end = what.find('\n', pos);
        if (end == std::string_view::npos)
            end = what.size();
        std::string_view line = what.substr(pos, end - pos);
        pos = end + 1;
        for (std::string_view prefix : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
            if (line.starts_with(prefix))
                line.remove_prefix(prefix.size());
        }
        bool detail = line.starts_with("DETAIL:  ");
        if (detail)
            line.remove_prefix(9);
        if (line.empty())
            continue;
        if (out.empty()) {
            out = line;
        } else if (detail) {
            out += "; ";
            out += line;
        }
    }
    return out.empty() ? std::string("(no message)") : out;
}

// The constraint a violation names: `... constraint "name"`; empty when none is named.
std::string constraintName(std::string_view what) {
    constexpr std::string_view marker = "constraint \"";
    std::size_t at = what.find(marker);
    if (at == std::string_view::npos)
        return {};
    at += marker.size();
    std::size_t end = what.find('"', at);
    if (end == std::string_view::npos)
        return {};
    return std::string(what.substr(at, end - at));
}

Error fromSqlState(std::string_view sqlstate, std::string_view what) {
    ErrorCode code = errorCodeForSqlState(sqlstate);
    std::string message = cleanMessage(what);
    if (sqlstate.empty())
        return Error(code, fmt::format("database: {}", message));
    if (code == ErrorCode::InvalidParameter) {
        std::string constraint = constraintName(what);
        std::string subject = constraint.empty() ? std::string("an integrity rule")
                                                 : fmt::format("the constraint \"{}\"", constraint);
        return Error(code, fmt::format("database: the change breaks {}, a bug or a race the "
                                       "engine did not catch: {} (SQLSTATE {})",
                                       subject, message, sqlstate));
    }
    return Error(code, fmt::format("database: {} (SQLSTATE {})", message, sqlstate));
}

}  // namespace

ErrorCode errorCodeForSqlState(std::string_view sqlstate) {
    for (const auto &rule : kRules) {
        if (sqlstate.starts_with(rule.prefix))
            return rule.code;
    }
    return ErrorCode::DatabaseFailure;
}

Error errorFromException(std::exception_ptr e) {
    if (!e)
        return Error(ErrorCode::DatabaseFailure, "database: failure without an exception");
    try {
        std::rethrow_exception(e);
    } catch (const pqxx::in_doubt_error &x) {
        return Error(ErrorCode::DatabaseFailure,
                     fmt::format("database: connection lost during commit, the outcome is "
                                 "unknown: {}",
                                 cleanMessage(x.what())));
    } catch (const pqxx::too_many_connections &x) {
        return fromSqlState("53300", x.what());
    } catch (const pqxx::broken_connection &x) {
        return Error(ErrorCode::DatabaseFailure,
                     fmt::format("database: connection lost: {}", cleanMessage(x.what())));
    } catch (const pqxx::serialization_failure &x) {
        return fromSqlState("40001", x.what());
    } catch (const pqxx::deadlock_detected &x) {
        return fromSqlState("40P01", x.what());
    } catch (const pqxx::statement_completion_unknown &x) {
        return fromSqlState("40003", x.what());
    } catch (const pqxx::transaction_rollback &x) {
        return fromSqlState("40000", x.what());
    } catch (const pqxx::insufficient_privilege &x) {
        // libpqxx 6 throws this one without its SQLSTATE.
        return fromSqlState(x.sqlstate().empty() ? "42501" : x.sqlstate(), x.what());
    } catch (const pqxx::sql_error &x) {
        return fromSqlState(x.sqlstate(), x.what());
    } catch (const std::bad_alloc &) {
        return Error(ErrorCode::NotEnoughMemory,
                     "database: out of memory while running the transaction (std::bad_alloc)");
    } catch (const std::invalid_argument &x) {
        return Error(ErrorCode::InvalidParameter,
                     fmt::format("database: invalid argument, a bug the engine did not catch: {}",
                                 x.what()));
    } catch (const std::exception &x) {
        return Error(ErrorCode::DatabaseFailure,
                     fmt::format("database: {}", cleanMessage(x.what())));
    } catch (...) {
        return Error(ErrorCode::DatabaseFailure, "database: unknown exception");
    }
}

bool isUniqueViolation(std::exception_ptr e) {
    if (!e)
        return false;
    try {
        std::rethrow_exception(e);
    } catch (const pqxx::sql_error &x) {
        return x.sqlstate() == "23505";
    } catch (...) {
        return false;
    }
}

bool isRetryable(std::exception_ptr e) {
    if (!e)
        return false;
    try {
        std::rethrow_exception(e);
    } catch (const pqxx::serialization_failure &) {
        return true;
    } catch (const pqxx::deadlock_detected &) {
        return true;
    } catch (const pqxx::sql_error &x) {
        return x.sqlstate() == "40001" || x.sqlstate() == "40P01";
    } catch (...) {
        return false;
    }
}

bool isConnectionLost(std::exception_ptr e) {
    if (!e)
        return false;
    try {
        std::rethrow_exception(e);
    } catch (const pqxx::broken_connection &) {
        return true;
    } catch (const pqxx::in_doubt_error &) {
        return true;
    } catch (const pqxx::sql_error &x) {
        const std::string &s = x.sqlstate();
        return s.starts_with("08") || s.starts_with("57P");
    } catch (...) {
        return false;
    }
}

}  // namespace rsm::store
