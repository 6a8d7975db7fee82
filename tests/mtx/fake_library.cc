#include "tests/mtx/fake_library.h"

#include "sg/cdb.h"
#include "src/mtx/changer_backend.h"
#include "src/mtx/run.h"

namespace rsm::test::mtx {

namespace {

auto typeIs(sg::ElementType type) {
    return [type](const sg::Command &c) { return (c.cdb[1] & 0x0F) == static_cast<int>(type); };
}

// The backend's view of the rig's FakeTransport, which outlives the backend so that tests
// can look at the commands after the run.
}  // namespace

FakeElement at(std::uint16_t address, bool full, std::string tag, std::uint16_t source) {
    FakeElement e;
    e.address = address;
    e.full = full;
    e.tag = std::move(tag);
    e.source = source;
    return e;
}

FakeLibrary FakeLibrary::make(int slots, int ieports, int drives, std::vector<int> full) {
    FakeLibrary lib;
    for (int i = 0; i < slots; ++i)
        lib.slots.push_back(at(static_cast<std::uint16_t>(1000 + i)));
    for (int i = 0; i < ieports; ++i)
        lib.ieports.push_back(at(static_cast<std::uint16_t>(10 + i)));
    for (int i = 0; i < drives; ++i)
        lib.drives.push_back(at(static_cast<std::uint16_t>(500 + i)));
    for (int address : full) {
        lib.slot(address).full = true;
        lib.slot(address).tag = "S" + std::to_string(address);
    }
    return lib;
}

void FakeLibrary::script(sg::FakeTransport &fake, bool modeSense) const {
    sg::ElementAddressAssignment map;
    map.transport = {1, 1};
    map.storage = {1000, static_cast<std::uint16_t>(slots.size())};
    map.importExport = {10, static_cast<std::uint16_t>(ieports.size())};
    map.dataTransfer = {500, static_cast<std::uint16_t>(drives.size())};
    if (modeSense)
        fake.expect(sg::cdb::op::ModeSense6,
                    sg::FakeTransport::dataReply(elementAddressPage6(map)));
    const std::vector<FakeElement> picker = {at(1)};
    const std::pair<sg::ElementType, const std::vector<FakeElement> *> pages[] = {
        {sg::ElementType::Transport, &picker},
        {sg::ElementType::Storage, &slots},
        {sg::ElementType::ImportExport, &ieports},
        {sg::ElementType::DataTransfer, &drives}};
    for (const auto &[type, elements] : pages)
        if (!elements->empty())
            fake.expect(
                sg::cdb::op::ReadElementStatus, typeIs(type),
                sg::FakeTransport::dataReply(elementStatusReply(type, *elements, volumeTags)));
}

MtxRig::MtxRig(const FakeLibrary &library) : owned(std::make_unique<sg::FakeTransport>()) {
    fake = owned.get();
    library.script(*fake);
}

int MtxRig::run(std::vector<std::string> args, bool device) {
    if (device)
        args.insert(args.begin(), {"-f", "/dev/fake"});
    const auto steps = rsm::mtx::parseCommandLine(args);
    rsm::mtx::BackendOpener open =
        [this](const std::string &) -> Result<std::unique_ptr<rsm::mtx::MtxBackend>> {
        ++opened;
        sg::ChangerOptions options;
        options.sleep = [](std::chrono::milliseconds) {};
        return std::unique_ptr<rsm::mtx::MtxBackend>(std::make_unique<rsm::mtx::ChangerBackend>(
            std::make_unique<sg::BorrowedTransport>(*owned), options));
    };
    return rsm::mtx::run(steps, open, "/dev/changer", out, err);
}

sg::Reply senseBytes(std::vector<std::uint8_t> bytes) {
    sg::Reply reply;
    reply.status = sg::status::CheckCondition;
    reply.sense = std::move(bytes);
    return reply;
}

}  // namespace rsm::test::mtx
