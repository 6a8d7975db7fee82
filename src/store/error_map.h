#pragma once
// The one place where exceptions from libpqxx and the standard library become RSM errors.
// PgStore::run catches every exception and hands it here; nothing else in rsm converts them.
//
//   connection lost, server shut down or crashed, in-doubt commit,
//   data corrupted, system errors, anything unknown           -> DATABASE_FAILURE
//   disk full, other insufficient resources, program limits    -> DATABASE_FULL
//   server out of memory, std::bad_alloc                       -> NOT_ENOUGH_MEMORY
//   integrity violations (23xxx), std::invalid_argument        -> INVALID_PARAMETER
//                              (a bug or a race the engine did not catch)
//
// Messages read "database: <what> (SQLSTATE xxxxx)".
// Thread-safety: pure functions.

#include <exception>
#include <string_view>

#include "rsm/error.h"

namespace rsm::store {

// The RSM code for a SQLSTATE (five characters; "" when unknown).
ErrorCode errorCodeForSqlState(std::string_view sqlstate);

// The error for a caught exception (std::current_exception() inside a catch block).
Error errorFromException(std::exception_ptr e);

// True for serialization failures (40001) and deadlocks (40P01): running the transaction
// again may succeed.
bool isRetryable(std::exception_ptr e);
// A unique violation (23505): under READ COMMITTED, a concurrent transaction took the key first;
// the operation is run again and its rules see what that one did.
bool isUniqueViolation(std::exception_ptr e);

// True when the exception means the connection it came from is no longer usable.
bool isConnectionLost(std::exception_ptr e);

}  // namespace rsm::store
