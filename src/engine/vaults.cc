// Vaults (docs/vaulting.md): the offsite places of the OFFLINE library, and the rotation of
// media through them. Creating and deleting a vault needs MODIFY on the computer, reading
// them USE on the computer; sending a medium needs CONTROL on its library (an eject) and USE
// on its pool; arriving and recalling USE on its pool. Times are the engine's clock.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t seconds(WallTime t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

Error noVault(const std::string &name) {
    return Error(ErrorCode::ObjectNotFound,
                 fmt::format("no vault {} (rsmctl vault list lists them)", name));
}

bool mayComeBack(const std::vector<SideRow> &sides) {
    return std::none_of(sides.begin(), sides.end(), [](const SideRow &s) {
        return s.state == SideState::Allocated || s.state == SideState::Complete ||
               s.state == SideState::Reserved;
    });
}

}  // namespace

Result<VaultRow> Engine::vaultIn(Tx &tx, const std::string &nameOrId) const {
    if (nameOrId.empty())
        return Error(ErrorCode::InvalidParameter, "the vault is missing");
    if (auto id = Uuid::parse(nameOrId))
        if (auto v = tx.vault(*id))
            return *v;
    if (auto v = tx.vaultByName(nameOrId))
        return *v;
    return noVault(nameOrId);
}

Result<VaultHolding> Engine::vaultMediaIn(Tx &tx, const std::string &vault, VaultState state,
                                          const std::vector<std::string> &barcodes) const {
    auto v = vaultIn(tx, vault);
    if (!v)
        return v.error();
    VaultHolding held{*v, tx.vaultedMedia(v->id)};
    std::erase_if(held.media, [&](const VaultedMedia &m) { return m.vault.state != state; });
    for (const std::string &b : barcodes)
        if (std::none_of(held.media.begin(), held.media.end(),
                         [&](const VaultedMedia &m) { return m.media.barcode == b; }))
            return Error(ErrorCode::InvalidMedia,
                         fmt::format("{} is not {} vault {}", b,
                                     state == VaultState::InTransitOut ? "in transit to"
                                     : state == VaultState::InVault    ? "in"
                                                                       : "in transit back from",
                                     v->name));
    return held;
}

VaultEntry Engine::vaultEntry(Tx &tx, const MediaRow &m, const MediaVault &place,
                              const std::string &vault) const {
    VaultEntry e;
    e.media = m.id;
    e.barcode = m.barcode;
    if (auto pool = tx.pool(m.poolId))
        e.pool = poolPath(tx, *pool);
    for (const SideRow &s : tx.sides(m.id))
        if (auto l = tx.lmidBySide(s.id))
            e.lmids.push_back(l->name.empty() ? l->id.toString() : l->name);
    if (auto lib = tx.library(m.libraryId))
        e.library = lib->name;
    e.vault = vault;
    e.place = place;
    return e;
}

Result<Uuid> Engine::createVault(const Uuid &session, const std::string &name,
                                 const std::string &description) {
    if (name.empty() || name.size() > 64)
        return Error(ErrorCode::InvalidParameter, "a vault's name is 1 to 64 characters");
    if (description.size() > 256)
        return Error(ErrorCode::InvalidParameter, "a description is at most 256 characters");
    return asCaller<Uuid>(session, [&](Tx &tx, const Caller &c) -> Result<Uuid> {
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Modify,
                             "the computer (creating a vault)"));
        if (tx.vaultByName(name))
            return Error(ErrorCode::AlreadyExists, fmt::format("vault {} exists already", name));
        VaultRow row{Uuid::random(), name, description};
        tx.insertVault(row);
        return row.id;
    });
}

Result<void> Engine::deleteVault(const Uuid &session, const std::string &vault) {
    return asCaller<void>(session, [&](Tx &tx, const Caller &c) -> Result<void> {
        auto v = vaultIn(tx, vault);
        if (!v)
            return v.error();
        RSM_TRY_VOID(require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Modify,
                             "the computer (deleting a vault)"));
        const auto held = tx.vaultedMedia(v->id);
        if (!held.empty())
            return Error(ErrorCode::NotEmpty,
                         fmt::format("vault {} holds {} medi{} (in it or in transit): recall "
                                     "them and inject them first",
                                     v->name, held.size(), held.size() == 1 ? "um" : "a"));
        tx.deleteVault(v->id);
        return success();
    });
}

Result<std::vector<VaultInfo>> Engine::listVaults(const Uuid &session) {
    using Out = std::vector<VaultInfo>;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Use, "the computer"));
        std::map<Uuid, VaultInfo> byId;
        Out out;
        for (const VaultRow &v : tx.vaults())
            byId[v.id] = VaultInfo{v};
        for (const VaultedMedia &m : tx.vaultedMedia(std::nullopt)) {
            VaultInfo &info = byId[*m.vault.vault];
            (m.vault.state == VaultState::InTransitOut ? info.inTransitOut
             : m.vault.state == VaultState::InVault    ? info.inVault
                                                       : info.inTransitBack)++;
        }
        for (const VaultRow &v : tx.vaults())
            out.push_back(byId[v.id]);
        return out;
    });
}

Result<VaultContents> Engine::getVault(const Uuid &session, const std::string &vault) {
    return asCaller<VaultContents>(session, [&](Tx &tx, const Caller &c) -> Result<VaultContents> {
        auto v = vaultIn(tx, vault);
        if (!v)
            return v.error();
        RSM_TRY_VOID(
            require(tx, c, ObjectKind::Computer, tx.computerId(), rights::Use, "the computer"));
        VaultContents out{VaultInfo{*v}, {}};
        for (const VaultedMedia &m : tx.vaultedMedia(v->id)) {
            (m.vault.state == VaultState::InTransitOut ? out.vault.inTransitOut
             : m.vault.state == VaultState::InVault    ? out.vault.inVault
                                                       : out.vault.inTransitBack)++;
            if (has(tx, c, ObjectKind::Pool, m.media.poolId, rights::Use))
                out.media.push_back(vaultEntry(tx, m.media, m.vault, v->name));
        }
        return out;
    });
}

Result<std::vector<VaultEntry>> Engine::vaultSend(const Uuid &session,
                                                  const std::vector<std::string> &refs,
                                                  const std::string &vault) {
    using Out = std::vector<VaultEntry>;
    if (refs.empty())
        return Error(ErrorCode::InvalidParameter, "name the pools or media to send");
    const std::int64_t now = seconds(clock_.now());
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        auto v = vaultIn(tx, vault);
        if (!v)
            return v.error();
        // The media named, in the order named, each once.
        std::vector<MediaRow> media;
        auto add = [&](const MediaRow &m) {
            for (const MediaRow &have : media)
                if (have.id == m.id)
                    return;
            media.push_back(m);
        };
        for (const std::string &ref : refs) {
            if (auto m = tx.mediaByBarcode(ref)) {
                add(*m);
                continue;
            }
            if (auto id = Uuid::parse(ref))
                if (auto m = tx.media(*id)) {
                    add(*m);
                    continue;
                }
            auto pool = poolIn(tx, c, ref);
            if (!pool)
                return Error(ErrorCode::InvalidMedia,
                             fmt::format("no medium or media pool {}", ref));
            for (const MediaRow &m : tx.mediaInPool(*pool))
                if (m.libraryKind != LibraryKind::Offline && m.location == LocationKind::Slot)
                    add(m);
        }
        if (media.empty())
            return Error(ErrorCode::InvalidMedia, "none of those media is in a library");
        std::map<Uuid, std::vector<std::size_t>> byLibrary;  // indexes into media
        for (std::size_t i = 0; i < media.size(); ++i) {
            auto place = mediaPlace(tx, c, media[i].id, rights::Control, false);
            if (!place)
                return place.error();
            const MediaRow &m = place->media;
            RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, m.poolId, rights::Use,
                                 poolNamed(tx, place->pool)));
            if (m.libraryKind == LibraryKind::Offline)
                return Error(ErrorCode::MediaOffline,
                             fmt::format("{} is on the shelf already", cartridgeName(m)));
            if (m.location != LocationKind::Slot || m.state != MediaState::Idle ||
                tx.mediaHasActiveRequest(m.id))
                return Error(ErrorCode::Busy, fmt::format("{} is mounted, moved or in an I/E "
                                                          "port: it cannot be sent now",
                                                          cartridgeName(m)));
            if (tx.mediaVault(m.id).vault)
                return Error(ErrorCode::InvalidState,
                             fmt::format("{} is in a vault rotation already", cartridgeName(m)));
            if (!place->library.enabled)
                return Error(ErrorCode::ResourceDisabled,
                             fmt::format("library {} is disabled", place->library.name));
            byLibrary[m.libraryId].push_back(i);
        }
        if (static_cast<int>(media.size()) > maxQueuedRequests_)
            return Error(ErrorCode::Busy,
                         fmt::format("{} media are more than one send takes ({}): send fewer at "
                                     "a time",
                                     media.size(), maxQueuedRequests_));
        Out out;
        for (const auto &[libraryId, indexes] : byLibrary) {
            auto lib = tx.library(libraryId);
            const std::size_t ports =
                std::max<std::size_t>(1, tx.elements(ObjectKind::IePort, libraryId).size());
            const std::size_t rounds = (indexes.size() + ports - 1) / ports;
            for (std::size_t r = 0; r < rounds; ++r) {
                const std::size_t begin = r * ports;
                const std::size_t end = std::min(indexes.size(), begin + ports);
                std::string names;
                for (std::size_t k = begin; k < end; ++k)
                    names += (k > begin ? ", " : "") + cartridgeName(media[indexes[k]]);
                const Uuid asked = operatorRequestIn(
                    tx, OperatorRequestKind::Message,
                    fmt::format("vault {}: round {} of {}: remove {} cartridge{} from the I/E "
                                "ports of library {}: {}",
                                v->name, r + 1, rounds, end - begin, end - begin == 1 ? "" : "s",
                                lib->name, names),
                    libraryId, std::nullopt, std::nullopt);
                std::vector<Uuid> round;  // completed once they all left (robot_tx.h)
                for (std::size_t k = begin; k < end; ++k)
                    round.push_back(media[indexes[k]].id);
                tx.insertVaultRound(asked, round);
                for (std::size_t k = begin; k < end; ++k) {
                    const MediaRow &m = media[indexes[k]];
                    RequestRow row;
                    row.id = Uuid::random();
                    row.libraryId = libraryId;
                    row.work = work::Eject{true};
                    // The rounds in their order: round r at priority 1 - r (down to -15).
                    row.priority = -static_cast<int>(std::min<std::size_t>(r, 15));
                    row.mediaId = m.id;  // rsmd's own: it outlives the sender's session
                    tx.insertRequest(row);
                    MediaVault place{v->id, VaultState::InTransitOut, now, now};
                    tx.setMediaVault(m.id, place);
                    VaultEntry e = vaultEntry(tx, m, place, v->name);
                    e.round = static_cast<int>(r + 1);
                    e.request = row.id;
                    e.operatorRequest = asked;
                    out.push_back(std::move(e));
                }
            }
        }
        return out;
    });
}

Result<std::vector<VaultEntry>> Engine::vaultArrived(const Uuid &session, const std::string &vault,
                                                     const std::vector<std::string> &barcodes) {
    using Out = std::vector<VaultEntry>;
    const std::int64_t now = seconds(clock_.now());
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        auto v = vaultMediaIn(tx, vault, VaultState::InTransitOut, barcodes);
        if (!v)
            return v.error();
        Out out;
        for (VaultedMedia &m : v->media) {
            const bool named = std::find(barcodes.begin(), barcodes.end(),
                                         m.media.barcode.value_or("")) != barcodes.end();
            if (!barcodes.empty() && !named)
                continue;
            if (m.media.libraryKind != LibraryKind::Offline) {
                if (!named)
                    continue;  // not ejected yet
                return Error(ErrorCode::InvalidState,
                             fmt::format("{} is still in a library: it has not left",
                                         cartridgeName(m.media)));
            }
            RSM_TRY_VOID(require(tx, c, ObjectKind::Pool, m.media.poolId, rights::Use, "its pool"));
            m.vault.state = VaultState::InVault;
            m.vault.since = now;
            m.vault.arrived = now;
            tx.setMediaVault(m.media.id, m.vault);
            out.push_back(vaultEntry(tx, m.media, m.vault, v->vault.name));
        }
        return out;
    });
}

Result<std::vector<VaultEntry>> Engine::vaultRecall(const Uuid &session, const std::string &vault,
                                                    const std::vector<std::string> &barcodes,
                                                    bool listOnly) {
    using Out = std::vector<VaultEntry>;
    const std::int64_t now = seconds(clock_.now());
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        auto v = vaultMediaIn(tx, vault, VaultState::InVault, barcodes);
        if (!v)
            return v.error();
        Out out;
        for (VaultedMedia &m : v->media) {
            if (barcodes.empty() ? !mayComeBack(tx.sides(m.media.id))
                                 : std::find(barcodes.begin(), barcodes.end(),
                                             m.media.barcode.value_or("")) == barcodes.end())
                continue;
            if (!has(tx, c, ObjectKind::Pool, m.media.poolId, rights::Use)) {
                if (barcodes.empty())
                    continue;
                return Error(ErrorCode::AccessDenied,
                             fmt::format("no USE right on the pool of {}", cartridgeName(m.media)));
            }
            if (!listOnly) {
                m.vault.state = VaultState::InTransitBack;
                m.vault.since = now;
                m.vault.recalled = now;
                tx.setMediaVault(m.media.id, m.vault);
            }
            out.push_back(vaultEntry(tx, m.media, m.vault, v->vault.name));
        }
        return out;
    });
}

Result<std::vector<VaultEntry>> Engine::vaultOverdue(const Uuid &session, int days) {
    using Out = std::vector<VaultEntry>;
    if (days < 0 || days > 3650)
        return Error(ErrorCode::InvalidParameter, "days is 0..3650");
    const std::int64_t before = seconds(clock_.now()) - days * kDay;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        Out out;
        std::map<Uuid, std::string> names;
        for (const VaultRow &v : tx.vaults())
            names[v.id] = v.name;
        for (const VaultedMedia &m : tx.vaultedMedia(std::nullopt))
            if (m.vault.state != VaultState::InVault && m.vault.since <= before &&
                has(tx, c, ObjectKind::Pool, m.media.poolId, rights::Use))
                out.push_back(vaultEntry(tx, m.media, m.vault, names[*m.vault.vault]));
        return out;
    });
}

Result<std::vector<UncoveredPool>> Engine::vaultReport(const Uuid &session, int days) {
    using Out = std::vector<UncoveredPool>;
    if (days < 1 || days > 3650)
        return Error(ErrorCode::InvalidParameter, "days is 1..3650");
    const std::int64_t since = seconds(clock_.now()) - days * kDay;
    return asCaller<Out>(session, [&](Tx &tx, const Caller &c) -> Result<Out> {
        std::map<Uuid, UncoveredPool> pools;
        std::map<Uuid, bool> covered;
        for (const RecentMedia &m : tx.recentMedia(since)) {
            UncoveredPool &p = pools[m.pool];
            ++p.recent;
            p.last = std::max(p.last, m.last);
            if (m.barcode)
                p.barcodes.push_back(*m.barcode);
            covered[m.pool] = covered[m.pool] || m.offsite;
        }
        Out out;
        for (auto &[id, p] : pools) {
            if (covered[id] || !has(tx, c, ObjectKind::Pool, id, rights::Use))
                continue;
            if (auto row = tx.pool(id))
                p.pool = poolPath(tx, *row);
            out.push_back(std::move(p));
        }
        std::sort(out.begin(), out.end(),
                  [](const UncoveredPool &a, const UncoveredPool &b) { return a.pool < b.pool; });
        return out;
    });
}

}  // namespace rsm::engine
