#include "src/cli/mtx_daemon.h"

#include <fmt/format.h>

#include "sg/open.h"
#include "src/protocol/elements.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

// Robot work may wait behind other requests: as long as rsmctl's robot commands wait.
constexpr std::chrono::hours kRobotTimeout{1};

class DaemonBackend : public mtx::MtxBackend {
public:
    DaemonBackend(std::unique_ptr<Client> client, std::string library)
        : client_(std::move(client)), library_(std::move(library)) {}

    Result<sg::InquiryData> inquiry() override {
        auto result = call({{"op", "inquiry"}});
        if (!result)
            return result.error();
        return protocol::inquiryFromJson(result->value("inquiry", json()));
    }

    // mtx.status: the text rsmd renders once per element map, written as it arrives (no copy
    // of a 10,000-slot library's 760 KB is made); the session writes the first line.
    Result<bool> readyStatus(bool volumeTags, const mtx::StatusStart &start,
                             const mtx::StatusPiece &piece) override {
        bool wanted = true;
        auto reply = client_->callAttached(
            "mtx.status", {{"library", library_}, {"volume_tags", volumeTags}},
            [&](const json &r) {
                wanted = start(mtx::StatusCounts{r.value("drives", std::size_t{0}),
                                                 r.value("slots", std::size_t{0}),
                                                 r.value("import_export", std::size_t{0})});
            },
            [&](std::string_view bytes) {
                if (wanted)
                    piece(bytes);
            },
            Timeout(kRobotTimeout));
        if (!reply)
            return reply.error();
        return true;
    }

    Result<void> elements(bool volumeTags, mtx::SlotMapBuilder &map) override {
        auto result = call({{"op", "elements"}});
        if (!result)
            return result.error();
        auto elements = protocol::elementsFromJson(result->value("elements", json()));
        if (!elements)
            return elements.error();
        map.reserve(elements->size());
        for (sg::Element &e : *elements) {
            if (!volumeTags)  // mtx's nobarcode: as if the library had not sent them
                e.primaryTag = e.alternateTag = std::nullopt;
            map.add(e);
        }
        return success();
    }

    Result<void> move(std::uint16_t source, std::uint16_t destination,
                      const mtx::MoveFlags &flags) override {
        RSM_TRY_VOID(plainEnough(flags));
        return done(run({{"op", "move"},
                         {"source", source},
                         {"destination", destination},
                         {"invert", flags.invert}}));
    }

    Result<void> exchange(std::uint16_t source, std::uint16_t destination, std::uint16_t second,
                          const mtx::MoveFlags &flags) override {
        if (!flags.plain())
            return Error(ErrorCode::NotSupported,
                         "invert, invert2 and eepos of EXCHANGE MEDIUM are not sent through rsmd");
        return done(run({{"op", "exchange"},
                         {"source", source},
                         {"destination", destination},
                         {"second", second}}));
    }

    Result<void> position(std::uint16_t destination) override {
        return done(run({{"op", "position"}, {"destination", destination}}));
    }

    Result<void> initializeElementStatus() override { return done(run({{"op", "initialize"}})); }

    Result<void> eject() override {
        return Error(ErrorCode::NotSupported,
                     fmt::format("rsmd does not eject library {}'s magazine; rsmctl eject moves "
                                 "a cartridge to an IE port",
                                 library_));
    }

private:
    static Result<void> plainEnough(const mtx::MoveFlags &flags) {
        if (flags.eepos || flags.invert2)
            return Error(ErrorCode::NotSupported, "eepos and invert2 are not sent through rsmd");
        return success();
    }

    static Result<void> done(const Result<json> &r) {
        if (!r)
            return r.error();
        return success();
    }

    // library.mtx's inquiry or elements (answered from rsmd's element map): the reply's result.
    Result<json> call(json fields) {
        fields["library"] = library_;
        return client_->call("library.mtx", std::move(fields), Timeout(kRobotTimeout));
    }

    // One library.mtx request, waited for; its result.
    Result<json> run(json fields) {
        fields["library"] = library_;
        auto reply = client_->call("library.mtx", std::move(fields), Timeout(kRobotTimeout));
        if (!reply)
            return reply.error();
        const json request = reply->value("request", json());
        return request.is_object() ? request.value("result", json()) : json();
    }

    std::unique_ptr<Client> client_;
    std::string library_;
};

bool isLibraryName(const std::string &device) {
    return device.find('/') == std::string::npos && !sg::isIscsiUrl(device);
}

}  // namespace

Result<std::unique_ptr<mtx::MtxBackend>> openDaemonBackend(const std::string &device) {
    const bool named = isLibraryName(device);
    Client::Options options;
    options.socketPath = Client::socketPath("");
    options.application = "rsm-mtx";
    options.pipelineHello = true;
    auto client = Client::connect(options);
    if (!client) {
        if (!named)
            return std::unique_ptr<mtx::MtxBackend>();
        return Error(client.error().code(),
                     fmt::format("library {}: rsmd: {}", device, client.error().message()));
    }
    std::string library;
    if (named) {
        library = device;  // an unknown name fails at the first command, naming it
    } else {
        auto listed = (*client)->call("library.list", json::object());
        if (!listed)
            return std::unique_ptr<mtx::MtxBackend>();
        for (const json &l : listed->value("libraries", json::array()))
            if (l.is_object() && l.value("device", json()) == device)
                library = l.value("name", "");
        if (library.empty())
            return std::unique_ptr<mtx::MtxBackend>();
    }
    return std::unique_ptr<mtx::MtxBackend>(
        std::make_unique<DaemonBackend>(std::move(*client), library));
}

}  // namespace rsm::cli
