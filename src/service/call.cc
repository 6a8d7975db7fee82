#include "src/service/call.h"

namespace rsm::service {

namespace {

template <typename Find>
Result<Uuid> resolve(Call &call, const char *field, Find find) {
    auto text = call.fields.text(field);
    if (!text)
        return text.error();
    return find(call.engine(), call.session, *text);
}

}  // namespace

Result<Uuid> Call::library(const char *field) {
    return resolve(*this, field, [](engine::Engine &e, const Uuid &s, const std::string &t) {
        return e.findLibrary(s, t);
    });
}

Result<Uuid> Call::drive(const char *field) {
    return resolve(*this, field, [](engine::Engine &e, const Uuid &s, const std::string &t) {
        return e.findDrive(s, t);
    });
}

Result<Uuid> Call::pool(const char *field) {
    return resolve(*this, field, [](engine::Engine &e, const Uuid &s, const std::string &t) {
        return e.findPool(s, t);
    });
}

Result<Uuid> Call::media(const char *field) {
    return resolve(*this, field, [](engine::Engine &e, const Uuid &s, const std::string &t) {
        return e.findMedia(s, t);
    });
}

Result<Uuid> Call::lmid(const char *field) {
    return resolve(*this, field, [](engine::Engine &e, const Uuid &s, const std::string &t) {
        return e.findLmid(s, t);
    });
}

Result<Uuid> Call::mediaType(const char *field) {
    return resolve(*this, field, [](engine::Engine &e, const Uuid &s, const std::string &t) {
        return e.findMediaType(s, t);
    });
}

Result<Uuid> Call::object(const char *field) {
    return resolve(*this, field, [](engine::Engine &e, const Uuid &s, const std::string &t) {
        return e.findObject(s, t);
    });
}

}  // namespace rsm::service
