#include "tests/engine/engine_fixture.h"

#include <pqxx/pqxx>

namespace rsm::test {

using namespace rsm::engine;

EngineRig::EngineRig(PgCluster &cluster, store::PgStoreOptions options, const Clock *clock)
    : t(openTestStore(cluster, options)) {
    EngineConfig config;
    config.adminGid = kAdminGid;
    config.clock = clock;
    engine = std::make_unique<Engine>(*t.store, config);
    auto s = engine->openSession(Principal{0, {}}, "tests");
    REQUIRE_OK(s);
    root = *s;
    REQUIRE_OK(engine->createMediaType(root, "LTO-5", 1));
    PoolOptions o;
    o.mediaType = "LTO-5";
    auto p = engine->createPool(root, "backup", o);
    REQUIRE_OK(p);
    pool = *p;
}

EngineRig::~EngineRig() {
    engine.reset();
    t.store.reset();
}

Uuid EngineRig::session(std::uint32_t uid, std::vector<std::uint32_t> gids) {
    auto s = engine->openSession(Principal{uid, std::move(gids)}, "tests");
    REQUIRE_OK(s);
    return *s;
}

Uuid EngineRig::offlineMedia(const std::string &barcode, std::optional<std::string> label,
                             std::optional<Uuid> inPool) {
    NewMedia m;
    m.barcode = barcode;
    m.mediaType = "LTO-5";
    m.pool = inPool.value_or(pool);
    m.labelType = label;
    m.labelId = label ? std::optional(barcode) : std::nullopt;
    auto id = engine->createOfflineMedia(root, m);
    REQUIRE_OK(id);
    return *id;
}

Uuid EngineRig::lmid(const std::string &barcode, std::optional<std::string> label,
                     std::optional<Uuid> inPool) {
    const Uuid media = offlineMedia(barcode, label, inPool);
    AllocateOptions o;
    auto l = engine->allocate(root, inPool.value_or(pool), o);
    REQUIRE_OK(l);
    REQUIRE(mediaOf(*l) == media);
    return *l;
}

Uuid EngineRig::sideOf(const Uuid &lmid) {
    return *Uuid::parse(
        query("SELECT side_id FROM logical_media WHERE id = $1::uuid", {lmid.toString()}));
}

Uuid EngineRig::mediaOf(const Uuid &lmid) {
    return *Uuid::parse(
        query("SELECT s.media_id FROM logical_media l JOIN side s ON "
              "s.id = l.side_id WHERE l.id = $1::uuid",
              {lmid.toString()}));
}

std::string EngineRig::query(const std::string &sql, const std::vector<std::string> &params) {
    pqxx::connection c(t.connectionString);
    pqxx::work w(c);
    pqxx::result r;
    switch (params.size()) {
        case 0:
            r = w.exec(sql);
            break;
        case 1:
            r = w.exec_params(sql, params[0]);
            break;
        case 2:
            r = w.exec_params(sql, params[0], params[1]);
            break;
        default:
            FAIL("query takes at most 2 parameters");
    }
    w.commit();
    REQUIRE(!r.empty());
    return r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
}

long long EngineRig::count(const std::string &sql, const std::vector<std::string> &params) {
    return std::stoll(query(sql, params));
}

void EngineRig::sql(const std::string &statements) {
    Result<void> r = t.store->execForTests(statements);
    REQUIRE_OK(r);
}

}  // namespace rsm::test
