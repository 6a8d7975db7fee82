// "Did you mean …?" for object names the engine cannot find: the names of that kind the caller
// may see, read on the failure path only, and the one a mistyped name is probably a typo of
// (include/rsm/suggest.h).

#include <map>

#include <fmt/format.h>

#include "rsm/suggest.h"
#include "src/engine/engine.h"

namespace rsm::engine {

namespace {

// How far apart in length a name and a candidate may be (nearName's most edits).
constexpr std::size_t kSlack = 2;

}  // namespace

std::string Engine::suggestion(Tx &tx, const Caller &c, ObjectKind kind,
                               const std::string &name) const {
    std::vector<std::string> names;
    std::map<std::pair<ObjectKind, Uuid>, bool> visible;  // rights asked once per object
    const auto sees = [&](ObjectKind governorKind, const Uuid &governor) {
        auto known = visible.find({governorKind, governor});
        if (known == visible.end())
            known = visible
                        .emplace(std::pair(governorKind, governor),
                                 has(tx, c, governorKind, governor, rights::Use))
                        .first;
        return known->second;
    };
    switch (kind) {
        case ObjectKind::Library:
            for (const LibraryRow &l : tx.libraries())
                if (l.kind != LibraryKind::Offline && sees(ObjectKind::Library, l.id))
                    names.push_back(l.name);
            break;
        case ObjectKind::Drive: {
            std::map<Uuid, std::string> libraries;
            for (const LibraryRow &l : tx.libraries())
                libraries.emplace(l.id, l.name);
            for (const DriveRow &d : tx.drives(std::nullopt)) {
                if (!sees(ObjectKind::Library, d.libraryId))
                    continue;
                if (!d.name.empty())
                    names.push_back(d.name);
                if (auto l = libraries.find(d.libraryId); l != libraries.end())
                    names.push_back(fmt::format("{}/{}", l->second, d.number));
            }
            break;
        }
        case ObjectKind::MediaType:
            for (const MediaTypeRow &t : tx.mediaTypes())
                names.push_back(t.name);
            break;
        case ObjectKind::Pool:
            for (const PoolRow &p : tx.pools())
                if (sees(ObjectKind::Pool, p.id))
                    names.push_back(poolPath(tx, p));
            break;
        case ObjectKind::LogicalMedia:
        case ObjectKind::PhysicalMedia: {
            const std::size_t shortest = name.size() > kSlack ? name.size() - kSlack : 0;
            for (const auto &[candidate, pool] : tx.namesNear(kind, shortest, name.size() + kSlack))
                if (sees(ObjectKind::Pool, pool))
                    names.push_back(candidate);
            break;
        }
        default:
            break;
    }
    auto near = nearName(name, names);
    return near ? fmt::format("; did you mean {}?", *near) : std::string();
}

}  // namespace rsm::engine
