#include <nlohmann/json.hpp>

#include "src/cli/printer.h"
#include "src/cli/terminal_text.h"
#include "src/protocol/codec.h"

namespace rsm::cli {

namespace {

using nlohmann::json;

json optionalText(const std::optional<sg::VolumeTag> &tag) {
    // Libraries blank-pad the tag field of empty elements: a tag of blanks is no tag.
    if (!tag || !tag->present() || tag->trimmed().empty())
        return nullptr;
    return tag->trimmed();
}

// Device data may hold any byte; JSON text must be UTF-8, so bytes outside printable ASCII
// become '?'.
std::string printable(std::string text) {
    for (char &c : text)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E)
            c = '?';
    return text;
}

class JsonPrinter : public Printer {
public:
    explicit JsonPrinter(std::ostream &out) : out_(out) {}

    void inquiry(const sg::InquiryData &d, const std::string &serial) override {
        emit({{"vendor", printable(sg::trimField(d.vendor))},
              {"product", printable(sg::trimField(d.product))},
              {"revision", printable(sg::trimField(d.revision))},
              {"peripheral_type", d.peripheralType},
              {"serial", printable(serial)}});
    }

    void elements(const std::vector<sg::Element> &elements) override {
        json list = json::array();
        for (const auto &e : elements) {
            json tag = optionalText(e.primaryTag);
            if (tag.is_string())
                tag = printable(tag.get<std::string>());
            list.push_back({
                {"type", std::string(sg::elementTypeName(e.type))},
                {"address", e.address},
                {"full", e.full},
                {"volume_tag", tag},
                {"source_address", e.sourceAddress ? json(*e.sourceAddress) : json(nullptr)},
                {"identifier", e.identifier ? json(printable(*e.identifier)) : json(nullptr)},
            });
        }
        emit({{"elements", std::move(list)}});
    }

    void done(const std::string &what) override { emit({{"result", "ok"}, {"message", what}}); }

    void rows(const ObjectKind &, const json &result) override { emit(result); }
    void object(const ObjectKind &, const json &result) override { emit(result); }
    void done(const std::string &, const json &result) override { emit(result); }
    void health(const std::string &, const json &result) override { emit(result); }
    // Scripts get the events alone, one object per line; each carries its seq.
    void watching(const json &) override {}
    void event(const json &event) override {
        emit(event);
        out_.flush();
    }

    void error(const Error &error) override { emit({{"error", protocol::errorJson(error)}}); }

private:
    // Text that is not UTF-8 (device data, a message quoting it) is replaced, not refused.
    // Strings stay exact; the characters a terminal would act on are \u escapes
    // (terminal_text.h), so that --json on a terminal is safe too.
    void emit(const json &value) {
        out_ << jsonForTerminal(value.dump(-1, ' ', false, json::error_handler_t::replace)) << '\n';
    }

    std::ostream &out_;
};

}  // namespace

std::unique_ptr<Printer> makeJsonPrinter(std::ostream &out) {
    return std::make_unique<JsonPrinter>(out);
}

}  // namespace rsm::cli
