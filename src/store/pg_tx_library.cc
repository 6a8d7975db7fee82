// PgTx's libraries, drives, elements, library requests and the event log (the rest is in
// pg_tx.cc; calls on many rows at once in pg_tx_inventory.cc).

#include <array>

#include "src/store/pg_rows.h"
#include "src/store/pg_tx.h"
#include "src/store/work_codec.h"

namespace rsm::store {

using namespace rsm::engine;
using namespace detail;

namespace {

#define RSM_DRIVE_COLUMNS                                                                       \
    "id, library_id, number, address, name, description, device_path, serial, state, enabled, " \
    "mount_count, extract(epoch FROM dismount_after)::bigint, needs_cleaning, "                 \
    "extract(epoch FROM last_cleaned)::bigint, mounted_by, device_manual, device_problem"
// clang-format off
#define RSM_REQUEST_LISTED_COLUMNS                                                           \
    "id, library_id, kind, state, priority, session_id, media_id, side_id, lmid, drive_id, " \
    "parameters::text, error_code, message, "                                                \
    RSM_ISO_TIME("created") ", " RSM_ISO_TIME("started") ", " RSM_ISO_TIME("finished")
#define RSM_REQUEST_COLUMNS RSM_REQUEST_LISTED_COLUMNS ", result::text"
// clang-format on

DriveRow driveRow(const pqxx::row &r) {
    DriveRow d;
    d.id = uuid(r[0]);
    d.libraryId = uuid(r[1]);
    d.number = r[2].as<int>();
    if (!r[3].is_null())
        d.address = r[3].as<int>();
    d.name = r[4].as<std::string>();
    d.description = r[5].as<std::string>();
    d.devicePath = optText(r[6]);
    d.serial = optText(r[7]);
    d.state = enumValue<DriveState>(r[8]);
    d.enabled = r[9].as<bool>();
    d.mountCount = r[10].as<long long>();
    if (!r[11].is_null())
        d.dismountAfter = r[11].as<long long>();
    d.needsCleaning = r[12].as<bool>();
    if (!r[13].is_null())
        d.lastCleaned = r[13].as<long long>();
    d.mountedBy = optUuid(r[14]);
    d.deviceManual = r[15].as<bool>();
    d.deviceProblem = optText(r[16]);
    return d;
}

#define RSM_MOVE_COLUMNS                                                             \
    "id, library_id, media_id, request_id, source_kind, source_id, source_address, " \
    "destination_kind, destination_id, destination_address"

MoveRow moveRow(const pqxx::row &r) {
    MoveRow m;
    m.id = uuid(r[0]);
    m.libraryId = uuid(r[1]);
    m.mediaId = optUuid(r[2]);
    m.requestId = optUuid(r[3]);
    m.sourceKind = enumValue<ObjectKind>(r[4]);
    m.sourceId = uuid(r[5]);
    m.sourceAddress = r[6].as<int>();
    m.destinationKind = enumValue<ObjectKind>(r[7]);
    m.destinationId = uuid(r[8]);
    m.destinationAddress = r[9].as<int>();
    return m;
}

std::optional<std::string> epochText(const std::optional<std::int64_t> &seconds) {
    if (!seconds)
        return std::nullopt;
    return std::to_string(*seconds);
}

RequestRow requestRow(const pqxx::row &r) {
    RequestRow q;
    q.id = uuid(r[0]);
    q.libraryId = uuid(r[1]);
    q.state = enumValue<RequestState>(r[3]);
    q.priority = r[4].as<int>();
    q.sessionId = optUuid(r[5]);
    q.mediaId = optUuid(r[6]);
    q.sideId = optUuid(r[7]);
    q.lmid = optUuid(r[8]);
    q.driveId = optUuid(r[9]);
    q.work = decodeWork(r[2].as<std::string>(), r[10].as<std::string>());
    if (!r[11].is_null())
        q.errorCode = static_cast<std::uint32_t>(r[11].as<long long>());
    q.message = optText(r[12]);
    q.created = r[13].as<std::string>();
    q.started = optText(r[14]);
    q.finished = optText(r[15]);
    if (!r[16].is_null())
        q.sense = decodeSense(r[16].as<std::string>());
    return q;
}

// The element tables elements() and insertElement() may name, with their statements.
struct ElementTable {
    ObjectKind kind;
    const char *select, *selectSql, *insert, *insertSql, *address, *addressSql;
};

#define RSM_ELEMENT(kind, table, cleaner)                                                       \
    ElementTable {                                                                              \
        ObjectKind::kind, "rsm_" #table "s",                                                    \
            "SELECT id, library_id, address, " cleaner " FROM " #table                          \
            " WHERE library_id = $1::uuid ORDER BY address",                                    \
            "rsm_insert_" #table,                                                               \
            "INSERT INTO " #table " (id, library_id, address) VALUES ($1::uuid, $2::uuid, $3)", \
            "rsm_" #table "_address", "SELECT address FROM " #table " WHERE id = $1::uuid"      \
    }
constexpr std::array kElementTables = {
    RSM_ELEMENT(Slot, slot, "cleaner"),
    RSM_ELEMENT(IePort, ieport, "false"),
    RSM_ELEMENT(Changer, changer, "false"),
    ElementTable{ObjectKind::Drive, "", "", "", "", "rsm_drive_address",
                 "SELECT address FROM drive WHERE id = $1::uuid"},
};
#undef RSM_ELEMENT

const ElementTable &elementTable(ObjectKind kind) {
    for (const ElementTable &t : kElementTables)
        if (t.kind == kind)
            return t;
    throw std::invalid_argument(fmt::format("a {} is not a library element", objectKindName(kind)));
}

}  // namespace

// --- libraries ---

std::optional<LibraryRow> PgTx::library(const Uuid &id) {
    return first<LibraryRow>(
        exec("rsm_library", "SELECT " RSM_LIBRARY_COLUMNS " FROM library WHERE id = $1::uuid",
             id.toString()),
        libraryRow);
}

std::optional<LibraryRow> PgTx::libraryByName(const std::string &name) {
    return first<LibraryRow>(
        exec("rsm_library_by_name", "SELECT " RSM_LIBRARY_COLUMNS " FROM library WHERE name = $1",
             name),
        libraryRow);
}

LibraryRow PgTx::offlineLibrary() {
    pqxx::result r =
        exec("rsm_offline_library", "SELECT " RSM_LIBRARY_COLUMNS " FROM library WHERE kind = 0");
    if (r.empty())
        throw std::runtime_error("the OFFLINE library is missing");
    return libraryRow(r[0]);
}

std::vector<LibraryRow> PgTx::libraries() {
    return all<LibraryRow>(
        exec("rsm_libraries", "SELECT " RSM_LIBRARY_COLUMNS " FROM library ORDER BY name"),
        libraryRow);
}

std::optional<LibraryRow> PgTx::libraryByDevice(const std::string &device) {
    return first<LibraryRow>(
        exec("rsm_library_by_device",
             "SELECT " RSM_LIBRARY_COLUMNS " FROM library WHERE device = $1", device),
        libraryRow);
}

void PgTx::insertLibrary(const LibraryRow &row) {
    exec("rsm_insert_library",
         "INSERT INTO library (id, name, description, kind, device, enabled, vendor, product,"
         " serial) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9)",
         row.id.toString(), row.name, row.description, number(row.kind), nullable(row.device),
         row.enabled, nullable(row.vendor), nullable(row.product), nullable(row.serial));
}

void PgTx::updateLibrary(const LibraryRow &row) {
    exec("rsm_update_library",
         "UPDATE library SET name = $2, description = $3, device = $4, enabled = $5, vendor = $6,"
         " product = $7, serial = $8 WHERE id = $1::uuid",
         row.id.toString(), row.name, row.description, nullable(row.device), row.enabled,
         nullable(row.vendor), nullable(row.product), nullable(row.serial));
}

void PgTx::setLibraryReachability(const LibraryRow &row) {
    exec("rsm_set_library_reachability",
         "UPDATE library SET unreachable_since = to_timestamp($2::bigint), robot_error = $3,"
         " reachable_since = to_timestamp($4::bigint) WHERE id = $1::uuid",
         row.id.toString(), nullable(epochText(row.unreachableSince)), nullable(row.robotError),
         nullable(epochText(row.reachableSince)));
}

void PgTx::deleteLibrary(const Uuid &id) {
    exec("rsm_delete_library", "DELETE FROM library WHERE id = $1::uuid", id.toString());
}

LibraryCounts PgTx::libraryCounts(const Uuid &id) {
    pqxx::result r = exec("rsm_library_counts",
                          "SELECT (SELECT count(*) FROM drive WHERE library_id = $1::uuid),"
                          " (SELECT count(*) FROM slot WHERE library_id = $1::uuid),"
                          " (SELECT count(*) FROM ieport WHERE library_id = $1::uuid),"
                          " (SELECT count(*) FROM physical_media WHERE library_id = $1::uuid)",
                          id.toString());
    return LibraryCounts{r[0][0].as<long long>(), r[0][1].as<long long>(), r[0][2].as<long long>(),
                         r[0][3].as<long long>()};
}

std::vector<MediaRow> PgTx::mediaInLibrary(const Uuid &id) {
    return all<MediaRow>(exec("rsm_media_in_library",
                              "SELECT " RSM_MEDIA_COLUMNS " FROM physical_media"
                              " WHERE library_id = $1::uuid ORDER BY barcode, id",
                              id.toString()),
                         mediaRow);
}

// --- drives and elements ---

std::optional<DriveRow> PgTx::drive(const Uuid &id) {
    return first<DriveRow>(
        exec("rsm_drive", "SELECT " RSM_DRIVE_COLUMNS " FROM drive WHERE id = $1::uuid",
             id.toString()),
        driveRow);
}

std::vector<DriveRow> PgTx::drives(const std::optional<Uuid> &library) {
    std::optional<std::string> lib = text(library);
    return all<DriveRow>(exec("rsm_drives",
                              "SELECT " RSM_DRIVE_COLUMNS " FROM drive"
                              " WHERE $1::uuid IS NULL OR library_id = $1::uuid"
                              " ORDER BY library_id, number",
                              nullable(lib)),
                         driveRow);
}

void PgTx::insertDrive(const DriveRow &row) {
    exec("rsm_insert_drive",
         "INSERT INTO drive (id, library_id, number, address, name, description, device_path,"
         " serial, state, enabled, mount_count, device_manual, device_problem)"
         " VALUES ($1::uuid, $2::uuid, $3, $4::integer, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
         row.id.toString(), row.libraryId.toString(), row.number, nullable(text(row.address)),
         row.name, row.description, nullable(row.devicePath), nullable(row.serial),
         number(row.state), row.enabled, static_cast<long long>(row.mountCount), row.deviceManual,
         nullable(row.deviceProblem));
}

void PgTx::updateDrive(const DriveRow &row) {
    std::optional<std::string> address = text(row.address);
    exec("rsm_update_drive",
         "UPDATE drive SET number = $2, address = $3::integer, name = $4, description = $5,"
         " device_path = $6, serial = $7, state = $8, enabled = $9, mount_count = $10,"
         " dismount_after = to_timestamp($11::bigint), needs_cleaning = $12,"
         " last_cleaned = to_timestamp($13::bigint), mounted_by = $14::uuid, device_manual = $15,"
         " device_problem = $16 WHERE id = $1::uuid",
         row.id.toString(), row.number, nullable(address), row.name, row.description,
         nullable(row.devicePath), nullable(row.serial), number(row.state), row.enabled,
         static_cast<long long>(row.mountCount), nullable(epochText(row.dismountAfter)),
         row.needsCleaning, nullable(epochText(row.lastCleaned)), nullable(text(row.mountedBy)),
         row.deviceManual, nullable(row.deviceProblem));
}

std::vector<ElementRow> PgTx::elements(ObjectKind kind, const Uuid &library) {
    const ElementTable &t = elementTable(kind);
    return all<ElementRow>(exec(t.select, t.selectSql, library.toString()), [](const pqxx::row &r) {
        return ElementRow{uuid(r[0]), uuid(r[1]), r[2].as<int>(), r[3].as<bool>()};
    });
}

void PgTx::insertElement(ObjectKind kind, const ElementRow &row) {
    const ElementTable &t = elementTable(kind);
    exec(t.insert, t.insertSql, row.id.toString(), row.libraryId.toString(), row.address);
}

std::optional<int> PgTx::elementAddress(ObjectKind kind, const Uuid &id) {
    const ElementTable &t = elementTable(kind);
    pqxx::result r = exec(t.address, t.addressSql, id.toString());
    if (r.empty() || r[0][0].is_null())
        return std::nullopt;
    return r[0][0].as<int>();
}

// --- cleaners ---

namespace {

CleanerRow cleanerRow(const pqxx::row &r) {
    return CleanerRow{uuid(r[0]), r[1].as<int>()};
}

}  // namespace

std::optional<CleanerRow> PgTx::cleaner(const Uuid &media) {
    return first<CleanerRow>(
        exec("rsm_cleaner", "SELECT id, uses_left FROM cleaner WHERE id = $1::uuid",
             media.toString()),
        cleanerRow);
}

std::vector<CleanerRow> PgTx::cleaners(const Uuid &library) {
    return all<CleanerRow>(
        exec("rsm_cleaners",
             "SELECT c.id, c.uses_left FROM cleaner c JOIN physical_media m ON m.id = c.id"
             " LEFT JOIN slot s ON s.id = m.slot_id"
             " WHERE m.library_id = $1::uuid"
             " ORDER BY coalesce(s.cleaner, false) DESC, m.barcode, m.id",
             library.toString()),
        cleanerRow);
}

// --- barcode conflicts ---

namespace {

BarcodeConflictRow conflictRow(const pqxx::row &r) {
    return BarcodeConflictRow{uuid(r[0]), r[1].as<std::string>(), r[2].as<std::string>()};
}

}  // namespace

void PgTx::setBarcodeConflicts(const Uuid &library, const std::vector<BarcodeConflictRow> &rows) {
    ArrayLiteral barcodes, places;
    for (const BarcodeConflictRow &c : rows) {
        barcodes.add(c.barcode);
        places.add(c.places);
    }
    const std::string wanted = barcodes.done();
    exec("rsm_clear_conflicts",
         "DELETE FROM barcode_conflict WHERE library_id = $1::uuid"
         " AND NOT barcode = ANY ($2::text[])",
         library.toString(), wanted);
    if (!rows.empty())
        exec("rsm_set_conflicts",
             "INSERT INTO barcode_conflict (library_id, barcode, places)"
             " SELECT $1::uuid, * FROM unnest($2::text[], $3::text[])"
             " ON CONFLICT (library_id, barcode) DO UPDATE SET places = excluded.places",
             library.toString(), wanted, places.done());
}

std::vector<BarcodeConflictRow> PgTx::barcodeConflicts(const std::optional<Uuid> &library) {
    return all<BarcodeConflictRow>(
        exec("rsm_conflicts",
             "SELECT library_id, barcode, places FROM barcode_conflict"
             " WHERE $1::uuid IS NULL OR library_id = $1::uuid ORDER BY barcode",
             text(library)),
        conflictRow);
}

std::optional<BarcodeConflictRow> PgTx::barcodeConflict(const std::string &barcode) {
    return first<BarcodeConflictRow>(
        exec("rsm_conflict",
             "SELECT library_id, barcode, places FROM barcode_conflict WHERE barcode = $1"
             " ORDER BY seen_at LIMIT 1",
             barcode),
        conflictRow);
}

void PgTx::setCleaners(const std::vector<CleanerRow> &rows) {
    ArrayLiteral ids, uses;
    for (const CleanerRow &c : rows) {
        ids.add(c.mediaId);
        uses.addNumber(c.usesLeft);
    }
    exec("rsm_set_cleaners",
         "INSERT INTO cleaner (id, uses_left)"
         " SELECT * FROM unnest($1::uuid[], $2::integer[])"
         " ON CONFLICT (id) DO UPDATE SET uses_left = excluded.uses_left"
         " WHERE cleaner.uses_left <> excluded.uses_left",
         ids.done(), uses.done());
}

void PgTx::setCleanerSlot(const Uuid &library, const std::optional<Uuid> &slot) {
    std::optional<std::string> id = text(slot);
    exec("rsm_set_cleaner_slot",
         "UPDATE slot SET cleaner = (id = $2::uuid) IS TRUE"
         " WHERE library_id = $1::uuid AND (cleaner OR id = $2::uuid)",
         library.toString(), nullable(id));
}

// --- labels ---

std::vector<SideRow> PgTx::sidesByLabel(const std::string &type, const std::string &id) {
    return all<SideRow>(exec("rsm_sides_by_label",
                             "SELECT " RSM_SIDE_COLUMNS " FROM side"
                             " WHERE label_type = $1 AND label_id = $2 ORDER BY media_id, number",
                             type, id),
                        sideRow);
}

// --- operator requests ---

// clang-format off
#define RSM_OPERATOR_COLUMNS                                            \
    "id, kind, state, message, library_id, media_id, drive_id, "       \
    RSM_ISO_TIME("created") ", " RSM_ISO_TIME("modified")
// clang-format on

namespace {

OperatorRequestRow operatorRow(const pqxx::row &r) {
    OperatorRequestRow o;
    o.id = uuid(r[0]);
    o.kind = enumValue<OperatorRequestKind>(r[1]);
    o.state = enumValue<OperatorRequestState>(r[2]);
    o.message = r[3].as<std::string>();
    o.libraryId = optUuid(r[4]);
    o.mediaId = optUuid(r[5]);
    o.driveId = optUuid(r[6]);
    o.created = r[7].as<std::string>();
    o.modified = r[8].as<std::string>();
    return o;
}

}  // namespace

void PgTx::insertOperatorRequest(const OperatorRequestRow &row) {
    exec("rsm_insert_operator_request",
         "INSERT INTO operator_request (id, kind, state, message, library_id, media_id, drive_id)"
         " VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6::uuid, $7::uuid)",
         row.id.toString(), number(row.kind), number(row.state), row.message,
         nullable(text(row.libraryId)), nullable(text(row.mediaId)), nullable(text(row.driveId)));
}

std::optional<OperatorRequestRow> PgTx::operatorRequest(const Uuid &id) {
    return first<OperatorRequestRow>(
        exec("rsm_operator_request",
             "SELECT " RSM_OPERATOR_COLUMNS " FROM operator_request WHERE id = $1::uuid",
             id.toString()),
        operatorRow);
}

std::vector<OperatorRequestRow> PgTx::operatorRequests(bool unfinishedOnly) {
    return all<OperatorRequestRow>(exec("rsm_operator_requests",
                                        "SELECT " RSM_OPERATOR_COLUMNS " FROM operator_request"
                                        " WHERE NOT $1::boolean OR state NOT IN (4, 5)"
                                        " ORDER BY created, id",
                                        unfinishedOnly),
                                   operatorRow);
}

void PgTx::setOperatorRequestState(const Uuid &id, OperatorRequestState state) {
    exec("rsm_set_operator_request_state",
         "UPDATE operator_request SET state = $2 WHERE id = $1::uuid", id.toString(),
         number(state));
}

void PgTx::endOperatorRequest(const Uuid &id, OperatorRequestState state, const std::string &note) {
    exec("rsm_end_operator_request",
         "UPDATE operator_request SET state = $2, message = left(message || $3, 1024)"
         " WHERE id = $1::uuid",
         id.toString(), number(state), note);
}

// --- robot moves ---

void PgTx::insertMove(const MoveRow &row) {
    exec("rsm_insert_move",
         "INSERT INTO robot_move (id, library_id, media_id, request_id, source_kind, source_id,"
         " source_address, destination_kind, destination_id, destination_address)"
         " VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::uuid, $7, $8, $9::uuid, $10)",
         row.id.toString(), row.libraryId.toString(), nullable(text(row.mediaId)),
         nullable(text(row.requestId)), number(row.sourceKind), row.sourceId.toString(),
         row.sourceAddress, number(row.destinationKind), row.destinationId.toString(),
         row.destinationAddress);
}

std::optional<MoveRow> PgTx::move(const Uuid &id) {
    return first<MoveRow>(
        exec("rsm_move", "SELECT " RSM_MOVE_COLUMNS " FROM robot_move WHERE id = $1::uuid",
             id.toString()),
        moveRow);
}

std::vector<MoveRow> PgTx::moves(const Uuid &library) {
    return all<MoveRow>(exec("rsm_moves",
                             "SELECT " RSM_MOVE_COLUMNS " FROM robot_move"
                             " WHERE library_id = $1::uuid ORDER BY created, id",
                             library.toString()),
                        moveRow);
}

void PgTx::deleteMove(const Uuid &id) {
    exec("rsm_delete_move", "DELETE FROM robot_move WHERE id = $1::uuid", id.toString());
}

// --- library requests ---

std::optional<RequestRow> PgTx::request(const Uuid &id) {
    return first<RequestRow>(
        exec("rsm_request",
             "SELECT " RSM_REQUEST_COLUMNS " FROM library_request WHERE id = $1::uuid",
             id.toString()),
        requestRow);
}

std::vector<RequestRow> PgTx::requests(const std::optional<Uuid> &library, bool unfinishedOnly) {
    // A statement per case, not "$1 IS NULL OR ...": each is planned once for any value
    // (PgStore), and only a plan made for the case can use its index (a library's unfinished
    // requests: library_request_open) rather than read every request ever made.
#define RSM_REQUESTS "SELECT " RSM_REQUEST_COLUMNS " FROM library_request"
#define RSM_OPEN "state IN (0, 1, 5, 6)"
    pqxx::result r;
    if (library && unfinishedOnly)
        r = exec("rsm_requests_open_in",
                 RSM_REQUESTS " WHERE library_id = $1::uuid AND " RSM_OPEN " ORDER BY created, id",
                 library->toString());
    else if (library)
        r = exec("rsm_requests_in",
                 RSM_REQUESTS " WHERE library_id = $1::uuid ORDER BY created, id",
                 library->toString());
    else if (unfinishedOnly)
        r = exec("rsm_requests_open", RSM_REQUESTS " WHERE " RSM_OPEN " ORDER BY created, id");
    else
        r = exec("rsm_requests_all", RSM_REQUESTS " ORDER BY created, id");
#undef RSM_OPEN
#undef RSM_REQUESTS
    return all<RequestRow>(r, requestRow);
}

std::vector<RequestRow> PgTx::sessionRequests(const Uuid &session) {
    return all<RequestRow>(exec("rsm_session_requests",
                                "SELECT " RSM_REQUEST_COLUMNS " FROM library_request"
                                " WHERE session_id = $1::uuid AND state IN (0, 1, 5, 6)"
                                " ORDER BY created",
                                session.toString()),
                           requestRow);
}

void PgTx::insertRequest(const RequestRow &row) {
    const StoredWork stored = encodeWork(row.work);
    exec("rsm_insert_request",
         "INSERT INTO library_request (id, library_id, kind, state, priority, session_id,"
         " media_id, side_id, lmid, drive_id, parameters)"
         " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::uuid, $7::uuid, $8::uuid, $9::uuid,"
         " $10::uuid, $11::jsonb)",
         row.id.toString(), row.libraryId.toString(), stored.kind, number(row.state), row.priority,
         nullable(text(row.sessionId)), nullable(text(row.mediaId)), nullable(text(row.sideId)),
         nullable(text(row.lmid)), nullable(text(row.driveId)), stored.parameters);
}

void PgTx::updateRequest(const RequestRow &row) {
    std::optional<std::string> code;
    if (row.errorCode)
        code = std::to_string(*row.errorCode);
    exec("rsm_update_request",
         "UPDATE library_request SET state = $2::smallint, error_code = $3::integer,"
         " message = $4, drive_id = $5::uuid, media_id = $6::uuid, result = $7::jsonb,"
         " started = CASE WHEN $2::smallint = 1 THEN coalesce(started, now()) ELSE started END,"
         " finished = CASE WHEN $2::smallint IN (2, 3, 4, 7, 8) THEN coalesce(finished, now())"
         " ELSE NULL END WHERE id = $1::uuid",
         row.id.toString(), number(row.state), nullable(code), nullable(row.message),
         nullable(text(row.driveId)), nullable(text(row.mediaId)),
         nullable(row.sense ? std::optional<std::string>(encodeSense(*row.sense)) : std::nullopt));
}

std::vector<RequestRow> PgTx::requestPage(const RequestFilter &f) {
    std::optional<std::string> visible;
    if (f.visible) {
        ArrayLiteral ids;
        for (const Uuid &id : *f.visible)
            ids.add(id);
        visible = ids.done();
    }
    return all<RequestRow>(
        exec("rsm_request_page",
             "SELECT " RSM_REQUEST_LISTED_COLUMNS ", NULL::text FROM library_request r"
             " WHERE ($1::uuid IS NULL OR library_id = $1::uuid)"
             " AND (NOT $2::boolean OR state IN (0, 1, 5, 6))"
             " AND ($3::uuid[] IS NULL OR library_id = ANY ($3::uuid[])"
             " OR EXISTS (SELECT 1 FROM session s WHERE s.id = r.session_id AND s.uid = $4))"
             " AND ($5::uuid IS NULL OR (created, id) < (SELECT created, id FROM"
             " library_request WHERE id = $5::uuid))"
             " ORDER BY created DESC, id DESC LIMIT $6",
             nullable(text(f.library)), f.unfinishedOnly, nullable(visible),
             f.ownerUid ? std::optional<long long>(*f.ownerUid) : std::nullopt,
             nullable(text(f.before)), f.limit),
        requestRow);
}

std::optional<RequestRow> PgTx::nextQueuedRequest(const Uuid &library) {
    return first<RequestRow>(exec("rsm_next_queued_request",
                                  "SELECT " RSM_REQUEST_COLUMNS " FROM library_request"
                                  " WHERE library_id = $1::uuid AND state = 0"
                                  " AND (session_id IS NULL OR EXISTS (SELECT 1 FROM session s"
                                  " WHERE s.id = session_id AND s.closed IS NULL))"
                                  " ORDER BY priority DESC, created, id LIMIT 1"
                                  " FOR UPDATE SKIP LOCKED",
                                  library.toString()),
                             requestRow);
}

}  // namespace rsm::store
