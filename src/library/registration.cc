#include "src/library/registration.h"

#include "src/library/probe.h"

namespace rsm::library {

Result<Registered> registerLibrary(engine::Engine &engine, Robots &robots, const Uuid &session,
                                   const LibraryToRegister &library, RegistrationStep *failed) {
    auto fail = [failed](RegistrationStep step, const Error &error) {
        if (failed)
            *failed = step;
        return error;
    };
    if (auto may = engine.mayAddLibrary(session, library.name, library.device); !may)
        return fail(RegistrationStep::Check, may.error());
    auto probe = probeLibrary(library.device, robots.probeOptions());
    if (!probe)
        return fail(RegistrationStep::Probe, probe.error());
    probe->name = library.name;
    probe->description = library.description;
    auto id = engine.addLibrary(session, *probe);
    if (!id)
        return fail(RegistrationStep::Add, id.error());
    if (auto changed = robots.librariesChanged(); !changed)
        return fail(RegistrationStep::Start, changed.error());
    return Registered{*id, std::move(*probe)};
}

}  // namespace rsm::library
