#pragma once
// The PostgreSQL store's conversions between rows of schema/ and the engine's row structs, and
// between parameters and SQL values: UUIDs travel as text cast to uuid, enums as their schema
// numbers, nullable values as null pointers. Internal to src/store/.

#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <pqxx/binarystring>
#include <pqxx/result>

#include "src/engine/rows.h"

namespace rsm::store::detail {

using namespace rsm::engine;

template <typename E>
int number(E e) {
    return static_cast<int>(e);
}

inline std::optional<std::string> text(const std::optional<Uuid> &u) {
    if (!u)
        return std::nullopt;
    return u->toString();
}

inline std::optional<std::string> text(const std::optional<int> &i) {
    if (!i)
        return std::nullopt;
    return std::to_string(*i);
}

// A parameter that may be SQL NULL; the optional must outlive the statement call.
inline const char *nullable(const std::optional<std::string> &s) {
    return s ? s->c_str() : nullptr;
}

// "{1,2,3}": a bigint[] literal, passed as a parameter.
inline std::string bigintArray(const std::vector<std::uint32_t> &values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        out += std::to_string(values[i]);
    }
    return out + "}";
}

// An array literal built element by element ("{"a",NULL,"b"}"), passed as one parameter and
// cast to the element type in the statement (`$1::uuid[]`, `unnest(…)`). Every element is
// quoted, so any text is safe.
class ArrayLiteral {
public:
    void add(std::string_view v) {
        text_ += text_.size() > 1 ? ",\"" : "\"";
        for (char c : v) {
            if (c == '"' || c == '\\')
                text_ += '\\';
            text_ += c;
        }
        text_ += '"';
    }
    void add(const std::optional<std::string> &v) {
        if (v)
            add(std::string_view(*v));
        else
            text_ += text_.size() > 1 ? ",NULL" : "NULL";
    }
    void add(const std::string &v) { add(std::string_view(v)); }
    void add(const Uuid &u) { add(std::string_view(u.toString())); }
    void add(const std::optional<Uuid> &u) { add(text(u)); }
    void addNumber(long long n) { add(std::string_view(std::to_string(n))); }
    void addBool(bool b) { add(std::string_view(b ? "t" : "f")); }
    // The literal; the builder is spent.
    std::string done() { return std::move(text_) + "}"; }

private:
    std::string text_ = "{";
};

inline std::vector<std::uint32_t> parseBigintArray(std::string_view s) {
    std::vector<std::uint32_t> out;
    if (s.size() < 2 || s.front() != '{' || s.back() != '}')
        throw std::runtime_error(fmt::format("not an integer array: {}", s));
    s = s.substr(1, s.size() - 2);
    while (!s.empty()) {
        std::size_t comma = s.find(',');
        std::string_view item = s.substr(0, comma);
        std::uint32_t v = 0;
        auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (ec != std::errc() || ptr != item.data() + item.size())
            throw std::runtime_error(fmt::format("not an integer array: {}", s));
        out.push_back(v);
        if (comma == std::string_view::npos)
            break;
        s.remove_prefix(comma + 1);
    }
    return out;
}

inline Uuid uuid(const pqxx::field &f) {
    std::optional<Uuid> u = Uuid::parse(f.c_str());
    if (!u)
        throw std::runtime_error(fmt::format("column {} is not a UUID", f.name()));
    return *u;
}

inline std::optional<Uuid> optUuid(const pqxx::field &f) {
    if (f.is_null())
        return std::nullopt;
    return uuid(f);
}

inline std::optional<std::string> optText(const pqxx::field &f) {
    if (f.is_null())
        return std::nullopt;
    return f.as<std::string>();
}

template <typename E>
E enumValue(const pqxx::field &f) {
    return static_cast<E>(f.as<int>());
}

// The column lists, in the order the readers below expect.
// A timestamptz column as ISO 8601 UTC text with milliseconds: 2026-11-21T10:00:00.123Z.
#define RSM_ISO_TIME(column) \
    "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
// The event log's rows with each event's data filled in (schema/022, event_log_full): a
// derived table, so that a query naming data many times computes it once per event. Its
// caller appends the WHERE, ORDER BY and LIMIT and closes it with ") e"; a condition on the
// logged JSON that an index serves names data_as_logged.
#define RSM_EVENT_ROWS                                                             \
    "(SELECT seq, at, object_kind, object_id, op, principal, data, data_as_logged" \
    " FROM event_log_full"
#define RSM_SESSION_COLUMNS "id, uid, gids::text, application, closed IS NULL"
#define RSM_ACL_COLUMNS "id, principal_kind, principal_id, object_kind, object_id, rights"
#define RSM_LIBRARY_COLUMNS                                                   \
    "id, name, description, kind, device, enabled, vendor, product, serial, " \
    "extract(epoch FROM unreachable_since)::bigint, robot_error, "            \
    "extract(epoch FROM reachable_since)::bigint"
#define RSM_MEDIA_TYPE_COLUMNS "id, name, description, sides, worm"
#define RSM_POOL_COLUMNS                                                                   \
    "id, name, description, parent_id, media_type_id, kind, enabled, allocate_from_free, " \
    "deallocate_to_free, max_allocations"
#define RSM_MEDIA_COLUMNS                                                                \
    "id, name, description, barcode, media_type_id, pool_id, library_id, library_kind, " \
    "location, slot_id, drive_id, ieport_id, home_slot_id, state, side_count, enabled"
#define RSM_SIDE_COLUMNS \
    "id, media_id, number, state, label_type, label_id, label_info, mount_count, allocate_count"
#define RSM_LMID_COLUMNS "id, side_id, name, description"
// The times of schema/015 (and the created columns), read after a row's columns by the
// readers that show them (mediaRow, sideRow and lmidRow read them when present): Unix seconds.
#define RSM_EPOCH(column) "extract(epoch FROM " column ")::bigint"
#define RSM_MEDIA_TIMES ", " RSM_EPOCH("created")
#define RSM_SIDE_TIMES \
    ", " RSM_EPOCH("completed") ", " RSM_EPOCH("last_mounted") ", " RSM_EPOCH("last_written")
#define RSM_LMID_TIMES ", " RSM_EPOCH("created") ", " RSM_EPOCH("coalesce(allocated, created)")
#define RSM_ATTRIBUTE_COLUMNS "object_id, object_kind, name, value"

inline SessionRow sessionRow(const pqxx::row &r) {
    SessionRow s;
    s.id = uuid(r[0]);
    s.uid = static_cast<std::uint32_t>(r[1].as<long long>());
    s.gids = parseBigintArray(r[2].c_str());
    s.application = r[3].as<std::string>();
    s.open = r[4].as<bool>();
    return s;
}

inline AclRow aclRow(const pqxx::row &r) {
    AclRow a;
    a.id = uuid(r[0]);
    a.principalKind = enumValue<PrincipalKind>(r[1]);
    a.principalId = static_cast<std::uint32_t>(r[2].as<long long>());
    a.objectKind = enumValue<ObjectKind>(r[3]);
    a.objectId = uuid(r[4]);
    a.rights = static_cast<std::uint32_t>(r[5].as<int>());
    return a;
}

inline LibraryRow libraryRow(const pqxx::row &r) {
    LibraryRow l;
    l.id = uuid(r[0]);
    l.name = r[1].as<std::string>();
    l.description = r[2].as<std::string>();
    l.kind = enumValue<LibraryKind>(r[3]);
    l.device = optText(r[4]);
    l.enabled = r[5].as<bool>();
    l.vendor = optText(r[6]);
    l.product = optText(r[7]);
    l.serial = optText(r[8]);
    if (!r[9].is_null())
        l.unreachableSince = r[9].as<long long>();
    l.robotError = optText(r[10]);
    if (!r[11].is_null())
        l.reachableSince = r[11].as<long long>();
    return l;
}

inline MediaTypeRow mediaTypeRow(const pqxx::row &r) {
    MediaTypeRow t;
    t.id = uuid(r[0]);
    t.name = r[1].as<std::string>();
    t.description = r[2].as<std::string>();
    t.sides = r[3].as<int>();
    t.worm = r[4].as<bool>();
    return t;
}

inline PoolRow poolRow(const pqxx::row &r) {
    PoolRow p;
    p.id = uuid(r[0]);
    p.name = r[1].as<std::string>();
    p.description = r[2].as<std::string>();
    p.parentId = optUuid(r[3]);
    p.mediaTypeId = uuid(r[4]);
    p.kind = enumValue<PoolKind>(r[5]);
    p.enabled = r[6].as<bool>();
    p.allocateFromFree = r[7].as<bool>();
    p.deallocateToFree = r[8].as<bool>();
    if (!r[9].is_null())
        p.maxAllocations = r[9].as<int>();
    return p;
}

inline std::optional<std::int64_t> optSeconds(const pqxx::row &r, pqxx::row::size_type i) {
    if (r.size() <= i || r[i].is_null())
        return std::nullopt;
    return r[i].as<long long>();
}

inline MediaRow mediaRow(const pqxx::row &r) {
    MediaRow m;
    m.id = uuid(r[0]);
    m.name = r[1].as<std::string>();
    m.description = r[2].as<std::string>();
    m.barcode = optText(r[3]);
    m.mediaTypeId = uuid(r[4]);
    m.poolId = uuid(r[5]);
    m.libraryId = uuid(r[6]);
    m.libraryKind = enumValue<LibraryKind>(r[7]);
    m.location = enumValue<LocationKind>(r[8]);
    m.slotId = optUuid(r[9]);
    m.driveId = optUuid(r[10]);
    m.ieportId = optUuid(r[11]);
    m.homeSlotId = optUuid(r[12]);
    m.state = enumValue<MediaState>(r[13]);
    m.sideCount = r[14].as<int>();
    m.enabled = r[15].as<bool>();
    m.created = optSeconds(r, 16);
    return m;
}

inline SideRow sideRow(const pqxx::row &r) {
    SideRow s;
    s.id = uuid(r[0]);
    s.mediaId = uuid(r[1]);
    s.number = r[2].as<int>();
    s.state = enumValue<SideState>(r[3]);
    s.labelType = optText(r[4]);
    s.labelId = optText(r[5]);
    s.labelInfo = optText(r[6]);
    s.mountCount = r[7].as<long long>();
    s.allocateCount = r[8].as<int>();
    s.completed = optSeconds(r, 9);
    s.lastMounted = optSeconds(r, 10);
    s.lastWritten = optSeconds(r, 11);
    return s;
}

inline LmidRow lmidRow(const pqxx::row &r) {
    LmidRow l;
    l.id = uuid(r[0]);
    l.sideId = uuid(r[1]);
    l.name = r[2].as<std::string>();
    l.description = r[3].as<std::string>();
    l.created = optSeconds(r, 4);
    l.allocated = optSeconds(r, 5);
    return l;
}

inline AttributeRow attributeRow(const pqxx::row &r) {
    AttributeRow a;
    a.objectId = uuid(r[0]);
    a.objectKind = enumValue<ObjectKind>(r[1]);
    a.name = r[2].as<std::string>();
    a.value = pqxx::binarystring(r[3]).str();
    return a;
}

template <typename Row, typename Reader>
inline std::optional<Row> first(const pqxx::result &r, Reader read) {
    if (r.empty())
        return std::nullopt;
    return read(r[0]);
}

template <typename Row, typename Reader>
inline std::vector<Row> all(const pqxx::result &r, Reader read) {
    std::vector<Row> out;
    out.reserve(r.size());
    for (const auto &row : r)
        out.push_back(read(row));
    return out;
}

}  // namespace rsm::store::detail
