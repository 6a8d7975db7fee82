#pragma once
// Who holds a lock: the processes /proc/locks lists for a file, named for the message that
// tells a waiting rsm-mtx whom it waited for ("pid 4242 (bacula-sd, user bacula)").
// /proc/locks has one line per lock, e.g.
//   1: FLOCK  ADVISORY  WRITE 4242 00:1a:12345 0 EOF
//   1: -> FLOCK  ADVISORY  WRITE 4250 00:1a:12345 0 EOF     (a waiter, not a holder)
// with the file's device as hexadecimal major:minor and its inode in decimal. A pid of 0 or
// -1 (a process of another PID namespace, an open file description lock) is left out.
// Thread-safety: pure functions, and reads of /proc.

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace rsm::mtx {

// The pids holding (not waiting for) a lock on the file (device major:minor, inode), in the
// order of `procLocks`, the text of /proc/locks. Pure.
std::vector<pid_t> lockHolderPids(std::string_view procLocks, unsigned major, unsigned minor,
                                  ino_t inode);

// "pid 4242 (bacula-sd, user bacula)" for each holder of the lock on the open file `fd`,
// joined by ", "; "a process rsm-mtx cannot see (…)" when /proc/locks names none.
std::string describeLockHolders(int fd);

}  // namespace rsm::mtx
