// PgTx's calls on many rows at once, for an inventory: each is one statement whatever the
// number of rows. The rows travel as one array parameter per column (ArrayLiteral), spread
// back into rows by unnest().

#include <array>

#include "src/store/pg_rows.h"
#include "src/store/pg_tx.h"

namespace rsm::store {

using namespace rsm::engine;
using namespace detail;

namespace {

// unnest() of the media columns, in RSM_MEDIA_COLUMNS order, as relation u.
#define RSM_MEDIA_UNNEST                                                                         \
    "unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[]," \
    " $8::smallint[], $9::smallint[], $10::uuid[], $11::uuid[], $12::uuid[], $13::uuid[],"       \
    " $14::smallint[], $15::smallint[], $16::boolean[]) AS u (" RSM_MEDIA_COLUMNS ")"

// The columns of `rows` as array literals, in RSM_MEDIA_COLUMNS order.
std::array<std::string, 16> mediaColumns(const std::vector<MediaRow> &rows) {
    std::array<ArrayLiteral, 16> c;
    for (const MediaRow &m : rows) {
        c[0].add(m.id);
        c[1].add(m.name);
        c[2].add(m.description);
        c[3].add(m.barcode);
        c[4].add(m.mediaTypeId);
        c[5].add(m.poolId);
        c[6].add(m.libraryId);
        c[7].addNumber(number(m.libraryKind));
        c[8].addNumber(number(m.location));
        c[9].add(m.slotId);
        c[10].add(m.driveId);
        c[11].add(m.ieportId);
        c[12].add(m.homeSlotId);
        c[13].addNumber(number(m.state));
        c[14].addNumber(m.sideCount);
        c[15].addBool(m.enabled);
    }
    std::array<std::string, 16> out;
    for (std::size_t i = 0; i < c.size(); ++i)
        out[i] = c[i].done();
    return out;
}

}  // namespace

void PgTx::setDriveStates(const std::vector<std::pair<Uuid, DriveState>> &states) {
    ArrayLiteral ids, values;
    for (const auto &[id, state] : states) {
        ids.add(id);
        values.addNumber(number(state));
    }
    exec("rsm_set_drive_states",
         "UPDATE drive AS d SET state = u.state,"
         " dismount_after = CASE WHEN u.state = 7 THEN d.dismount_after END,"
         " mounted_by = CASE WHEN u.state = 0 THEN NULL ELSE d.mounted_by END"
         " FROM unnest($1::uuid[], $2::smallint[]) AS u (id, state) WHERE d.id = u.id",
         ids.done(), values.done());
}

void PgTx::deleteMediaRows(const std::vector<Uuid> &ids) {
    ArrayLiteral list;
    for (const Uuid &id : ids)
        list.add(id);
    const std::string text = list.done();
    exec("rsm_delete_side_rows", "DELETE FROM side WHERE media_id IN (SELECT unnest($1::uuid[]))",
         text);
    exec("rsm_delete_media_rows",
         "DELETE FROM physical_media WHERE id IN (SELECT unnest($1::uuid[]))", text);
}

std::vector<MediaRow> PgTx::mediaByBarcodes(const std::vector<std::string> &barcodes) {
    ArrayLiteral wanted;
    for (const std::string &b : barcodes)
        wanted.add(b);
    return all<MediaRow>(exec("rsm_media_by_barcodes",
                              "SELECT " RSM_MEDIA_COLUMNS " FROM physical_media"
                              " WHERE barcode IN (SELECT unnest($1::text[])) ORDER BY barcode",
                              wanted.done()),
                         mediaRow);
}

void PgTx::insertMediaRows(const std::vector<MediaRow> &rows) {
    const auto c = mediaColumns(rows);
    exec("rsm_insert_media_rows",
         "INSERT INTO physical_media (" RSM_MEDIA_COLUMNS ") SELECT * FROM " RSM_MEDIA_UNNEST, c[0],
         c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14],
         c[15]);
}

void PgTx::updateMediaRows(const std::vector<MediaRow> &rows) {
    const auto c = mediaColumns(rows);
    exec("rsm_update_media_rows",
         "UPDATE physical_media AS p SET name = u.name, description = u.description,"
         " barcode = u.barcode, media_type_id = u.media_type_id, pool_id = u.pool_id,"
         " library_id = u.library_id, library_kind = u.library_kind, location = u.location,"
         " slot_id = u.slot_id, drive_id = u.drive_id, ieport_id = u.ieport_id,"
         " home_slot_id = u.home_slot_id, state = u.state, side_count = u.side_count,"
         " enabled = u.enabled FROM " RSM_MEDIA_UNNEST " WHERE p.id = u.id",
         c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
         c[14], c[15]);
}

void PgTx::insertSideRows(const std::vector<SideRow> &rows) {
    std::array<ArrayLiteral, 9> c;
    for (const SideRow &s : rows) {
        c[0].add(s.id);
        c[1].add(s.mediaId);
        c[2].addNumber(s.number);
        c[3].addNumber(number(s.state));
        c[4].add(s.labelType);
        c[5].add(s.labelId);
        c[6].add(s.labelInfo);
        c[7].addNumber(s.mountCount);
        c[8].addNumber(s.allocateCount);
    }
    exec("rsm_insert_side_rows",
         "INSERT INTO side (" RSM_SIDE_COLUMNS
         ") SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::smallint[],"
         " $5::text[], $6::text[], $7::text[], $8::bigint[], $9::integer[])",
         c[0].done(), c[1].done(), c[2].done(), c[3].done(), c[4].done(), c[5].done(), c[6].done(),
         c[7].done(), c[8].done());
}

}  // namespace rsm::store
