#pragma once
// NotableEvents: which rows of the event log are worth telling a person about, as
// notifications for rsmd.conf's notify_command (docs/notifications.md). Pure: rows in,
// notifications out, no I/O.
//
// The log keeps each changed row's new values only, so a change of a flag (a drive's
// needs_cleaning becoming true) is found against the last value seen: NotableEvents keeps, per
// library, drive, cleaner and medium, the flags it last saw, seeded from the database when it
// starts (seedLibrary, seedDrive) and updated by every row it reads. An object not seen yet
// counts as "not unreachable, not needing cleaning, not suspect", so after a restart a flag
// that was already set and is logged again (another change of the same row) is told once more.
//
// Events (RSM_EVENT):
//   operator-request-posted  an operator request was inserted (any kind; CLEANER too)
//   library-unreachable      library.unreachable_since became set
//   library-reachable        library.unreachable_since became NULL again
//   drive-needs-cleaning     drive.needs_cleaning became true
//   drive-suspect            drive.suspect became true (schema 016 adds the column)
//   tape-suspect             physical_media.suspect became true (schema 016)
//   cleaner-spent            a cleaner's uses_left reached 0
//   scratch-pool-low         pool.low_request became set (schema 017): the lifecycle sweep
//                            found the pool's free media below its low mark and posted a
//                            NEWMEDIA operator request (docs/lifecycle.md); the pool is named
//                            by its own name (the leaf of its path)
// Thread-safety: none; one thread (the notification feed) owns an instance.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rsm/uuid.h"
#include "src/engine/rows.h"

namespace rsm::service {

struct Notification {
    std::string event;  // "operator-request-posted", …
    std::int64_t seq = 0;
    std::string time;  // the event's, ISO 8601 UTC
    std::string objectKind;
    Uuid objectId;
    std::optional<Uuid> libraryId, mediaId;
    std::optional<std::string> library;  // its name
    std::optional<int> driveNumber;
    std::optional<std::string> barcode, message, requestKind, pool;
    std::optional<std::int64_t> usesLeft;

    // "LIB/N" when the library's name and the drive's number are known.
    std::optional<std::string> drive() const;
    // The RSM_* variables of the program's environment.
    std::vector<std::pair<std::string, std::string>> environment() const;
    // One JSON object, one line, for the program's standard input.
    std::string json() const;
    // "operator-request-posted #42", for rsmd's log.
    std::string label() const;
};

class NotableEvents {
public:
    // What the database says when the feed starts.
    void seedLibrary(const Uuid &id, const std::string &name, bool unreachable);
    void seedDrive(const Uuid &id, const Uuid &library, int number, bool needsCleaning,
                   bool suspect = false);
    // The notifications a row of the log makes (none, mostly; a drive row that sets both
    // suspect and needs_cleaning makes two); remembers the row's flags either way.
    std::vector<Notification> notable(const engine::EventRow &row);
    // A pool whose free media fell below its low mark (notable() of its pool row).
    static Notification poolLow(const Uuid &pool, const std::string &path, std::int64_t free,
                                std::int64_t lowMark, std::int64_t seq, const std::string &time);

    std::optional<std::string> libraryName(const Uuid &id) const;

private:
    struct LibraryState {
        std::string name;
        bool unreachable = false;
    };
    struct DriveState {
        Uuid library;
        int number = 0;
        bool needsCleaning = false, suspect = false;
    };
    std::map<Uuid, LibraryState> libraries_;
    std::map<Uuid, DriveState> drives_;
    std::map<Uuid, std::int64_t> cleaners_;  // uses left
    std::set<Uuid> suspectMedia_;
    std::set<Uuid> lowPools_;  // pools with a low-mark request open
};

}  // namespace rsm::service
