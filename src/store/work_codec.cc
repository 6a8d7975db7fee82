#include "src/store/work_codec.h"

#include <nlohmann/json.hpp>

namespace rsm::store {

namespace {

using nlohmann::json;
namespace work = engine::work;

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;  // clang 14 deduces no aggregate's arguments itself

json mtxJson(const work::Mtx &m) {
    json j{{"op", engine::mtxOpName(m.op)}, {"invert", m.invert}};
    if (m.source)
        j["source"] = *m.source;
    if (m.destination)
        j["destination"] = *m.destination;
    if (m.second)
        j["second"] = *m.second;
    return j;
}

// A flag stored by this or an earlier rsm: absent is false; anything but a boolean is no
// parameter rsm wrote.
bool flag(const json &j, const char *name, bool &ok) {
    if (!j.contains(name))
        return false;
    ok = ok && j[name].is_boolean();
    return j[name].is_boolean() && j[name].get<bool>();
}

std::optional<std::uint16_t> address(const json &j, const char *name, bool &ok) {
    if (!j.contains(name))
        return std::nullopt;
    if (!j[name].is_number_unsigned() || j[name].get<std::uint64_t>() > 0xFFFF) {
        ok = false;
        return std::nullopt;
    }
    return j[name].get<std::uint16_t>();
}

std::optional<engine::RobotWork> decodeKnown(std::string_view kind, const json &j) {
    bool ok = true;
    engine::RobotWork out;
    if (kind == "probe") {
        out = work::Probe{};
    } else if (kind == "inventory") {
        out = work::Inventory{flag(j, "full", ok)};
    } else if (kind == "audit") {
        out = work::Audit{};
    } else if (kind == "mount") {
        out = work::Mount{flag(j, "write", ok), flag(j, "nowait", ok),
                          flag(j, "error_if_offline", ok)};
    } else if (kind == "dismount") {
        out = work::Dismount{flag(j, "deferred", ok)};
    } else if (kind == "eject") {
        out = work::Eject{flag(j, "queue", ok)};
    } else if (kind == "inject") {
        out = work::Inject{};
    } else if (kind == "clean") {
        out = work::Clean{};
    } else if (kind == "health") {
        out = work::Health{};
    } else if (kind == "mtx") {
        const auto op = j.contains("op") && j["op"].is_string()
                            ? engine::mtxOpNamed(j["op"].get<std::string>())
                            : std::nullopt;
        if (!op)
            return std::nullopt;
        work::Mtx m;
        m.op = *op;
        m.source = address(j, "source", ok);
        m.destination = address(j, "destination", ok);
        m.second = address(j, "second", ok);
        m.invert = flag(j, "invert", ok);
        out = m;
    } else {
        return std::nullopt;
    }
    if (!ok)
        return std::nullopt;
    return out;
}

}  // namespace

StoredWork encodeWork(const engine::RobotWork &w) {
    const json parameters = std::visit(Overloaded{
                                           [](const work::Inventory &i) {
                                               return json{{"full", i.full}};
                                           },
                                           [](const work::Mount &m) {
                                               return json{{"write", m.write},
                                                           {"nowait", m.nowait},
                                                           {"error_if_offline", m.errorIfOffline}};
                                           },
                                           [](const work::Dismount &d) {
                                               return json{{"deferred", d.deferred}};
                                           },
                                           [](const work::Eject &e) {
                                               return json{{"queue", e.queue}};
                                           },
                                           [](const work::Mtx &m) { return mtxJson(m); },
                                           [](const work::Unknown &u) {
                                               json j = json::parse(u.parameters, nullptr, false);
                                               return j.is_object() ? j : json::object();
                                           },
                                           [](const auto &) { return json::object(); },
                                       },
                                       w);
    return StoredWork{std::string(engine::kindOf(w)), parameters.dump()};
}

engine::RobotWork decodeWork(std::string_view kind, std::string_view parameters) {
    const json j = json::parse(parameters, nullptr, false);
    if (j.is_object())
        if (auto known = decodeKnown(kind, j))
            return *known;
    return work::Unknown{std::string(kind), std::string(parameters)};
}

std::string encodeSense(const SenseRecord &sense) {
    return json{{"sense", {sense.key, sense.asc, sense.ascq}}}.dump();
}

std::optional<SenseRecord> decodeSense(std::string_view result) {
    const json j = json::parse(result, nullptr, false);
    if (!j.is_object() || !j.contains("sense"))
        return std::nullopt;
    const json &s = j["sense"];
    if (!s.is_array() || s.size() != 3)
        return std::nullopt;
    for (const json &v : s)
        if (!v.is_number_unsigned() || v.get<unsigned>() > 255)
            return std::nullopt;
    return SenseRecord{s[0].get<std::uint8_t>(), s[1].get<std::uint8_t>(),
                       s[2].get<std::uint8_t>()};
}

}  // namespace rsm::store
