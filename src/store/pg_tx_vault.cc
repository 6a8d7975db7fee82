// PgTx: vaults and the media in a rotation (schema/018_vaults.sql), and the cartridges of a
// send's rounds (019_vault_rounds.sql). Times travel as Unix seconds (the engine's clock),
// never SQL now().

#include "src/store/pg_rows.h"
#include "src/store/pg_tx.h"

namespace rsm::store {

using namespace rsm::engine;

using namespace detail;

namespace {

#define RSM_VAULT_COLUMNS "id, name, description, " RSM_EPOCH("created")
#define RSM_MEDIA_VAULT_COLUMNS                                        \
    "vault_id, vault_state, " RSM_EPOCH("vault_since") ", " RSM_EPOCH( \
        "vault_sent") ", " RSM_EPOCH("vault_arrived") ", " RSM_EPOCH("vault_recalled")

VaultRow vaultRow(const pqxx::row &r) {
    VaultRow v;
    v.id = uuid(r[0]);
    v.name = r[1].as<std::string>();
    v.description = r[2].as<std::string>();
    v.created = optSeconds(r, 3);
    return v;
}

// The rotation columns, from column `at` on.
MediaVault mediaVaultAt(const pqxx::row &r, pqxx::row::size_type at) {
    MediaVault v;
    v.vault = optUuid(r[at]);
    if (!v.vault)
        return v;
    v.state = vaultStateFromName(r[at + 1].as<std::string>()).value_or(VaultState::InTransitOut);
    v.since = optSeconds(r, at + 2).value_or(0);
    v.sent = optSeconds(r, at + 3);
    v.arrived = optSeconds(r, at + 4);
    v.recalled = optSeconds(r, at + 5);
    return v;
}

std::optional<std::string> seconds(const std::optional<std::int64_t> &s) {
    if (!s)
        return std::nullopt;
    return std::to_string(*s);
}

}  // namespace

std::optional<VaultRow> PgTx::vault(const Uuid &id) {
    return first<VaultRow>(
        exec("rsm_vault", "SELECT " RSM_VAULT_COLUMNS " FROM vault WHERE id = $1::uuid",
             id.toString()),
        vaultRow);
}

std::optional<VaultRow> PgTx::vaultByName(const std::string &name) {
    return first<VaultRow>(
        exec("rsm_vault_by_name", "SELECT " RSM_VAULT_COLUMNS " FROM vault WHERE name = $1", name),
        vaultRow);
}

std::vector<VaultRow> PgTx::vaults() {
    return all<VaultRow>(
        exec("rsm_vaults", "SELECT " RSM_VAULT_COLUMNS " FROM vault ORDER BY name"), vaultRow);
}

void PgTx::insertVault(const VaultRow &row) {
    exec("rsm_insert_vault", "INSERT INTO vault (id, name, description) VALUES ($1::uuid, $2, $3)",
         row.id.toString(), row.name, row.description);
}

void PgTx::deleteVault(const Uuid &id) {
    exec("rsm_delete_vault", "DELETE FROM vault WHERE id = $1::uuid", id.toString());
}

std::vector<VaultedMedia> PgTx::vaultedMedia(const std::optional<Uuid> &vault) {
    const std::optional<std::string> id = text(vault);
    pqxx::result r = exec("rsm_vaulted_media",
                          "SELECT " RSM_MEDIA_COLUMNS RSM_MEDIA_TIMES ", " RSM_MEDIA_VAULT_COLUMNS
                          " FROM physical_media WHERE vault_id IS NOT NULL"
                          " AND ($1::uuid IS NULL OR vault_id = $1::uuid)"
                          " ORDER BY barcode NULLS LAST, id",
                          nullable(id));
    std::vector<VaultedMedia> out;
    out.reserve(r.size());
    for (const pqxx::row &row : r)
        out.push_back(VaultedMedia{mediaRow(row.slice(0, 17)), mediaVaultAt(row, 17)});
    return out;
}

MediaVault PgTx::mediaVault(const Uuid &media) {
    pqxx::result r = exec("rsm_media_vault",
                          "SELECT " RSM_MEDIA_VAULT_COLUMNS
                          " FROM physical_media"
                          " WHERE id = $1::uuid",
                          media.toString());
    return r.empty() ? MediaVault{} : mediaVaultAt(r[0], 0);
}

void PgTx::setMediaVault(const Uuid &media, const MediaVault &place) {
    const std::optional<std::string> vault = text(place.vault);
    const std::optional<std::string> state =
        place.vault ? std::optional<std::string>(vaultStateName(place.state)) : std::nullopt;
    const std::optional<std::string> since =
        place.vault ? std::optional<std::string>(std::to_string(place.since)) : std::nullopt;
    const auto sent = seconds(place.sent), arrived = seconds(place.arrived),
               recalled = seconds(place.recalled);
    exec("rsm_set_media_vault",
         "UPDATE physical_media SET vault_id = $2::uuid, vault_state = $3,"
         " vault_since = to_timestamp($4::bigint), vault_sent = to_timestamp($5::bigint),"
         " vault_arrived = to_timestamp($6::bigint), vault_recalled = to_timestamp($7::bigint)"
         " WHERE id = $1::uuid",
         media.toString(), nullable(vault), nullable(state), nullable(since), nullable(sent),
         nullable(arrived), nullable(recalled));
}

void PgTx::insertVaultRound(const Uuid &request, const std::vector<Uuid> &media) {
    ArrayLiteral ids;
    for (const Uuid &id : media)
        ids.add(id);
    exec("rsm_insert_vault_round",
         "INSERT INTO vault_round (operator_request_id, media_id)"
         " SELECT $1::uuid, unnest($2::uuid[])",
         request.toString(), ids.done());
}

std::vector<VaultRoundMedia> PgTx::openVaultRounds() {
    pqxx::result r =
        exec("rsm_open_vault_rounds",
             "SELECT v.operator_request_id, m.library_kind, m.vault_id IS NOT NULL"
             " FROM vault_round v"
             " JOIN operator_request o ON o.id = v.operator_request_id"
             " LEFT JOIN physical_media m ON m.id = v.media_id"
             " WHERE o.state NOT IN ($1, $2)"
             " ORDER BY o.created, v.operator_request_id",
             number(OperatorRequestState::Refused), number(OperatorRequestState::Complete));
    std::vector<VaultRoundMedia> out;
    out.reserve(r.size());
    for (const pqxx::row &row : r)
        out.push_back(VaultRoundMedia{
            uuid(row[0]),
            row[1].is_null() ? std::nullopt : std::optional(enumValue<LibraryKind>(row[1])),
            !row[2].is_null() && row[2].as<bool>()});
    return out;
}

std::vector<RecentMedia> PgTx::recentMedia(std::int64_t since) {
    pqxx::result r = exec("rsm_recent_media",
                          "SELECT m.id, m.pool_id, m.barcode,"
                          " extract(epoch FROM max(greatest(s.completed, s.last_written)))::bigint,"
                          " coalesce(m.vault_state IN ('in-transit-out', 'in-vault'), false)"
                          " FROM physical_media m JOIN side s ON s.media_id = m.id"
                          " JOIN pool p ON p.id = m.pool_id AND p.kind = $2"
                          " WHERE greatest(s.completed, s.last_written) >= to_timestamp($1::bigint)"
                          " GROUP BY m.id ORDER BY m.barcode NULLS LAST, m.id",
                          since, number(PoolKind::Application));
    std::vector<RecentMedia> out;
    out.reserve(r.size());
    for (const pqxx::row &row : r)
        out.push_back(RecentMedia{uuid(row[0]), uuid(row[1]), optText(row[2]),
                                  row[3].as<long long>(), row[4].as<bool>()});
    return out;
}

}  // namespace rsm::store
