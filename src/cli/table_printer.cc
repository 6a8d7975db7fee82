#include <fmt/format.h>

#include "src/cli/printer.h"
#include "src/cli/table.h"

namespace rsm::cli {

namespace {

std::string tagText(const std::optional<sg::VolumeTag> &tag) {
    return tag && tag->present() ? tag->trimmed() : std::string();
}

class TablePrinter : public Printer {
public:
    TablePrinter(std::ostream &out, std::ostream &err) : out_(out), err_(err) {}

    void inquiry(const sg::InquiryData &d, const std::string &serial) override {
        out_ << "Vendor:    " << sg::trimField(d.vendor) << '\n'
             << "Product:   " << sg::trimField(d.product) << '\n'
             << "Revision:  " << sg::trimField(d.revision) << '\n'
             << "Type:      " << peripheralName(d.peripheralType) << '\n'
             << "Serial:    " << serial << '\n';
    }

    void elements(const std::vector<sg::Element> &elements) override {
        Table t({"TYPE", "ADDRESS", "STATE", "VOLUME TAG", "SOURCE", "IDENTIFIER", "NOTE"});
        for (const auto &e : elements) {
            std::string note;
            if (e.exception)
                note = fmt::format("exception {:02X}/{:02X}", e.asc, e.ascq);
            if (!e.accessible)
                note += note.empty() ? "not accessible" : ", not accessible";
            if (e.alternateTag && e.alternateTag->present())
                note += (note.empty() ? "" : ", ") + ("alternate tag " + e.alternateTag->trimmed());
            t.add({std::string(sg::elementTypeName(e.type)), std::to_string(e.address),
                   e.full ? "full" : "empty", tagText(e.primaryTag),
                   e.sourceAddress ? std::to_string(*e.sourceAddress) : "",
                   e.identifier.value_or(""), note});
        }
        t.print(out_);
    }

    void done(const std::string &what) override { out_ << what << '\n'; }

    void error(const Error &error) override { err_ << "rsmctl: " << error.toString() << '\n'; }

private:
    static std::string peripheralName(std::uint8_t type) {
        switch (type) {
            case sg::peripheral::MediumChanger:
                return "medium changer";
            case sg::peripheral::Tape:
                return "tape drive";
            case sg::peripheral::Disk:
                return "disk";
            default:
                return fmt::format("peripheral type {:02X}h", type);
        }
    }

    std::ostream &out_;
    std::ostream &err_;
};

}  // namespace

std::unique_ptr<Printer> makeTablePrinter(std::ostream &out, std::ostream &err) {
    return std::make_unique<TablePrinter>(out, err);
}

}  // namespace rsm::cli
