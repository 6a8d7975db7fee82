// The SQLSTATE mapping table, with exceptions built by hand (no server needed).

#include <doctest/doctest.h>

#include <new>
#include <pqxx/except>
#include <stdexcept>

#include "src/store/error_map.h"

using namespace rsm;
using rsm::store::errorFromException;

namespace {

Error fromState(const char *sqlstate, const std::string &what = "ERROR:  something\n") {
    return errorFromException(std::make_exception_ptr(pqxx::sql_error(what, "SELECT 1", sqlstate)));
}

}  // namespace

TEST_CASE("error map: SQLSTATEs become RSM codes") {
    struct Case {
        const char *sqlstate;
        ErrorCode code;
    };
    const Case cases[] = {
        {"08000", ErrorCode::DatabaseFailure},  {"08006", ErrorCode::DatabaseFailure},
        {"57P01", ErrorCode::DatabaseFailure},  {"57P02", ErrorCode::DatabaseFailure},
        {"57P03", ErrorCode::DatabaseFailure},  {"XX001", ErrorCode::DatabaseFailure},
        {"XX002", ErrorCode::DatabaseFailure},  {"58030", ErrorCode::DatabaseFailure},
        {"53100", ErrorCode::DatabaseFull},     {"53400", ErrorCode::DatabaseFull},
        {"54000", ErrorCode::DatabaseFull},     {"54001", ErrorCode::DatabaseFull},
        {"53200", ErrorCode::NotEnoughMemory},  {"53300", ErrorCode::DatabaseFailure},
        {"23505", ErrorCode::InvalidParameter}, {"23503", ErrorCode::InvalidParameter},
        {"23514", ErrorCode::InvalidParameter}, {"23502", ErrorCode::InvalidParameter},
        {"42501", ErrorCode::DatabaseFailure},  {"42601", ErrorCode::DatabaseFailure},
        {"22001", ErrorCode::DatabaseFailure},  {"40001", ErrorCode::DatabaseFailure},
        {"", ErrorCode::DatabaseFailure},
    };
    for (const Case &c : cases) {
        CAPTURE(c.sqlstate);
        CHECK(store::errorCodeForSqlState(c.sqlstate) == c.code);
        CHECK(fromState(c.sqlstate).code() == c.code);
    }
}

TEST_CASE("error map: messages name the SQLSTATE and, for violations, the constraint") {
    Error full = fromState("53100",
                           "ERROR:  could not extend file \"base/1/2\": No space left "
                           "on device\nHINT:  Check free disk space.\n");
    CHECK(full.message() ==
          "database: could not extend file \"base/1/2\": No space left on device (SQLSTATE "
          "53100)");

    Error dup = fromState("23505",
                          "ERROR:  duplicate key value violates unique constraint "
                          "\"physical_media_slot_id_key\"\nDETAIL:  Key (slot_id)=(x) already "
                          "exists.\n");
    CHECK(dup.code() == ErrorCode::InvalidParameter);
    CHECK(dup.message().find("\"physical_media_slot_id_key\"") != std::string::npos);
    CHECK(dup.message().find("a bug or a race the engine did not catch") != std::string::npos);
    CHECK(dup.message().find("Key (slot_id)=(x) already exists.") != std::string::npos);
    CHECK(dup.message().ends_with("(SQLSTATE 23505)"));

    Error raised = fromState("23514", "ERROR:  the OFFLINE library cannot be deleted\n");
    CHECK(raised.message().find("an integrity rule") != std::string::npos);
    CHECK(raised.message().find("the OFFLINE library cannot be deleted") != std::string::npos);
}

TEST_CASE("error map: libpqxx and standard exceptions") {
    auto code = [](auto exception) {
        return errorFromException(std::make_exception_ptr(exception)).code();
    };
    CHECK(code(pqxx::broken_connection("server closed the connection")) ==
          ErrorCode::DatabaseFailure);
    CHECK(code(pqxx::in_doubt_error("lost during commit")) == ErrorCode::DatabaseFailure);
    CHECK(code(pqxx::too_many_connections("too many clients")) == ErrorCode::DatabaseFailure);
    CHECK(code(pqxx::serialization_failure("could not serialize")) == ErrorCode::DatabaseFailure);
    CHECK(code(pqxx::deadlock_detected("deadlock")) == ErrorCode::DatabaseFailure);
    CHECK(code(pqxx::disk_full("ERROR:  no space", "q", "53100")) == ErrorCode::DatabaseFull);
    CHECK(code(pqxx::out_of_memory("ERROR:  out of memory", "q", "53200")) ==
          ErrorCode::NotEnoughMemory);
    CHECK(code(pqxx::unique_violation("ERROR:  dup", "q", "23505")) == ErrorCode::InvalidParameter);
    CHECK(code(std::bad_alloc()) == ErrorCode::NotEnoughMemory);
    CHECK(code(std::invalid_argument("no such column")) == ErrorCode::InvalidParameter);
    CHECK(code(std::runtime_error("odd")) == ErrorCode::DatabaseFailure);
    CHECK(code(42) == ErrorCode::DatabaseFailure);
    CHECK(errorFromException(nullptr).code() == ErrorCode::DatabaseFailure);

    Error lost = errorFromException(
        std::make_exception_ptr(pqxx::broken_connection("server closed the connection\n")));
    CHECK(lost.message() == "database: connection lost: server closed the connection");
    Error serial = errorFromException(std::make_exception_ptr(
        pqxx::serialization_failure("ERROR:  could not serialize access\n")));
    CHECK(serial.message() == "database: could not serialize access (SQLSTATE 40001)");
}

TEST_CASE("error map: which failures are retried and which lose the connection") {
    using store::isConnectionLost;
    using store::isRetryable;
    auto ptr = [](auto e) { return std::make_exception_ptr(e); };
    CHECK(isRetryable(ptr(pqxx::serialization_failure("x"))));
    CHECK(isRetryable(ptr(pqxx::deadlock_detected("x"))));
    CHECK(isRetryable(ptr(pqxx::sql_error("x", "q", "40001"))));
    CHECK(isRetryable(ptr(pqxx::sql_error("x", "q", "40P01"))));
    CHECK_FALSE(isRetryable(ptr(pqxx::sql_error("x", "q", "23505"))));
    CHECK_FALSE(isRetryable(ptr(pqxx::broken_connection("x"))));
    CHECK_FALSE(isRetryable(ptr(std::bad_alloc())));
    CHECK_FALSE(isRetryable(nullptr));

    CHECK(isConnectionLost(ptr(pqxx::broken_connection("x"))));
    CHECK(isConnectionLost(ptr(pqxx::in_doubt_error("x"))));
    CHECK(isConnectionLost(ptr(pqxx::sql_error("x", "q", "57P01"))));
    CHECK(isConnectionLost(ptr(pqxx::sql_error("x", "q", "08006"))));
    CHECK_FALSE(isConnectionLost(ptr(pqxx::sql_error("x", "q", "53100"))));
    CHECK_FALSE(isConnectionLost(ptr(std::bad_alloc())));
}
