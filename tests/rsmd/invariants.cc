#include "tests/rsmd/invariants.h"

#include <regex>

#include "tests/rsmd/robot_helpers.h"

namespace rsm::test {

namespace {

// Each query counts what must not exist.
struct Rule {
    const char *what;
    const char *query;
};

constexpr Rule kRules[] = {
    {"sides in two LMIDs",
     "SELECT count(*) FROM (SELECT side_id FROM logical_media GROUP BY side_id "
     "HAVING count(*) > 1) t"},
    {"LMIDs without a side",
     "SELECT count(*) FROM logical_media l WHERE NOT EXISTS "
     "(SELECT 1 FROM side s WHERE s.id = l.side_id)"},
    {"LMIDs whose side is neither ALLOCATED nor COMPLETE",
     "SELECT count(*) FROM logical_media l JOIN side s ON s.id = l.side_id "
     "WHERE s.state NOT IN (5, 6)"},
    {"allocated sides without an LMID",
     "SELECT count(*) FROM side s WHERE s.state IN (5, 6) AND NOT EXISTS "
     "(SELECT 1 FROM logical_media l WHERE l.side_id = s.id)"},
    {"media without a side",
     "SELECT count(*) FROM physical_media m WHERE NOT EXISTS "
     "(SELECT 1 FROM side s WHERE s.media_id = m.id)"},
    {"media rows missing from the event log",
     "SELECT count(*) FROM physical_media m WHERE NOT EXISTS (SELECT 1 FROM event_log e "
     "WHERE e.object_id = m.id AND e.op = 'insert')"},
    {"side rows missing from the event log",
     "SELECT count(*) FROM side s WHERE NOT EXISTS (SELECT 1 FROM event_log e "
     "WHERE e.object_id = s.id AND e.op = 'insert')"},
    {"LMID rows missing from the event log",
     "SELECT count(*) FROM logical_media l WHERE NOT EXISTS (SELECT 1 FROM event_log e "
     "WHERE e.object_id = l.id AND e.op = 'insert')"},
    {"the last change of a medium missing from the event log",
     "SELECT count(*) FROM physical_media m WHERE NOT EXISTS (SELECT 1 FROM event_log_full e "
     "WHERE e.object_id = m.id AND (e.data ->> 'state')::int = m.state "
     "AND e.data ->> 'pool_id' = m.pool_id::text)"},
    {"library requests left INPROCESS", "SELECT count(*) FROM library_request WHERE state = 1"},
    {"robot moves left without their result", "SELECT count(*) FROM robot_move"},
};

}  // namespace

std::vector<std::string> invariantViolations(const RsmdRig &rig, const VirtualLibrary *vtl,
                                             const std::string &library) {
    std::vector<std::string> out;
    for (const Rule &rule : kRules) {
        const std::string n = rig.sql(rule.query);
        if (n != "0")
            out.push_back(n + " " + rule.what);
    }
    if (vtl) {
        auto robot = robotHolds(*vtl);
        auto database = databaseHolds(rig, library);
        if (robot != database)
            out.push_back("the database has " + describeHolds(database) + ", the robot " +
                          describeHolds(robot));
    }
    return out;
}

std::string outcomeOf(const RunResult &r) {
    if (r.status == 0)
        return "ok";
    static const std::regex name("rsmctl: (ERROR_[A-Z_]+) \\(\\d+\\)");
    std::smatch m;
    if (std::regex_search(r.err, m, name))
        return m[1];
    return "other: " + r.err;
}

}  // namespace rsm::test
