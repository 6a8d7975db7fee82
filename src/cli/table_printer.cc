#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "src/cli/health_text.h"
#include "src/cli/printer.h"
#include "src/cli/table.h"
#include "src/cli/terminal_text.h"
#include "src/cli/time_text.h"

// Everything printed here for people goes through terminalText (terminal_text.h): names,
// messages and barcodes come from rsmd or a robot, and may carry escape sequences.

namespace rsm::cli {

namespace {

std::string tagText(const std::optional<sg::VolumeTag> &tag) {
    return tag && tag->present() ? tag->trimmed() : std::string();
}

using nlohmann::json;

bool isListOfObjects(const json &value) {
    return value.is_array() && !value.empty() && value.front().is_object();
}

// Tables fit this many columns unless --wide.
constexpr std::size_t kTableWidth = 100;

// A value for people: times in the local zone (or UTC), the rest as cellText.
std::string shownText(const json &value, const TableOptions &options) {
    if (value.is_string())
        if (auto time = timeForPeople(value.get<std::string>(), options.utc))
            return *time;
    return cellText(value);
}

void printRows(std::ostream &out, const ObjectKind &kind, const json &list,
               const TableOptions &options, const std::string &indent = "") {
    std::vector<std::string> header;
    for (const Column &column : kind.columns)
        header.emplace_back(column.header);
    Table table(std::move(header));
    if (list.is_array())
        for (const json &row : list) {
            std::vector<std::string> cells;
            for (const Column &column : kind.columns) {
                const json &value = member(row, column.field);
                cells.push_back(column.format ? column.format(value, row)
                                              : shownText(value, options));
            }
            table.add(std::move(cells));
        }
    std::ostringstream text;
    table.print(text, options.wide ? 0 : kTableWidth);
    std::istringstream lines(text.str());
    for (std::string line; std::getline(lines, line);)
        out << (line.empty() ? "" : indent) << line << '\n';
}

// "field: value" lines in the kind's order, then fields it does not name; lists of objects
// (a medium's sides, a library's drives beside it in `extra`) follow as indented tables.
// An empty list beside the object is left out.
void printListing(std::ostream &out, const ObjectKind &kind, const json &object, const json &extra,
                  const TableOptions &options) {
    std::vector<std::string> keys;
    for (const char *field : kind.fields)
        if (object.contains(field))
            keys.emplace_back(field);
    for (const auto &[key, value] : object.items())
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            keys.push_back(key);
    std::vector<std::pair<std::string, const json *>> lists;
    std::vector<std::pair<std::string, std::string>> lines;
    auto take = [&](const std::string &key, const json &value) {
        if (isListOfObjects(value) && kindOfList(key))
            lists.emplace_back(key, &value);
        else
            lines.emplace_back(terminalText(key), terminalText(shownText(value, options)));
    };
    for (const std::string &key : keys)
        take(key, object[key]);
    for (const auto &[key, value] : extra.items())
        if (!(value.is_array() && value.empty()))  // no drives: the library's count says so
            take(key, value);
    std::size_t width = 0;
    for (const auto &line : lines)
        width = std::max(width, terminalWidth(line.first));
    for (const auto &[key, text] : lines) {
        out << key << ':';
        if (!text.empty())
            out << std::string(width - terminalWidth(key) + 2, ' ') << text;
        out << '\n';
    }
    for (const auto &[key, list] : lists) {
        out << '\n' << terminalText(key) << ":\n";
        printRows(out, *kindOfList(key), *list, options, "  ");
    }
}

// What an event is about, as people name it: an LMID's name, a cartridge's barcode, a side as
// "BARCODE side N", with the other name beside it ("daily-0001 on A00001L5"); else the row's
// name, barcode or path, or the object's id.
std::string eventLabel(const json &event) {
    const json &data = member(event, "data");
    const std::string kind = memberText(event, "kind");
    const json &barcode = member(event, "barcode");
    const json &lmid = member(event, "lmid_name");
    const auto with = [](std::string label, const char *joint, const json &other) {
        if (other.is_string())
            label += joint + other.get<std::string>();
        return label;
    };
    if (kind == "logical_media" && lmid.is_string())
        return with(lmid.get<std::string>(), " on ", barcode);
    if (kind == "physical_media" && barcode.is_string())
        return with(barcode.get<std::string>(), " holding ", lmid);
    if (kind == "side" && barcode.is_string())
        return with(barcode.get<std::string>() + " side " + memberText(data, "number"), " holding ",
                    lmid);
    std::string label = memberText(event, "id");
    for (const char *field : {"name", "barcode", "path"})
        if (member(data, field).is_string()) {
            label = memberText(data, field);
            break;
        }
    return barcode.is_string() ? label + " (" + barcode.get<std::string>() + ")" : label;
}

// One event on one line: "1042  2026-11-21 11:00:00 CET  update  logical_media
// daily-0001 on A00001L5  by uid:1000". A newline in a name is shown as \n: one event, one line.
std::string eventLine(const json &event, const TableOptions &options) {
    return terminalText(fmt::format("{}  {}  {}  {}  {}  by {}", memberText(event, "seq"),
                                    shownText(member(event, "at"), options),
                                    memberText(event, "op"), memberText(event, "kind"),
                                    eventLabel(event), memberText(event, "principal")));
}

class TablePrinter : public Printer {
public:
    TablePrinter(std::ostream &out, std::ostream &err, TableOptions options)
        : out_(out), err_(err), options_(options) {}

    void inquiry(const sg::InquiryData &d, const std::string &serial) override {
        out_ << "Vendor:    " << terminalText(sg::trimField(d.vendor)) << '\n'
             << "Product:   " << terminalText(sg::trimField(d.product)) << '\n'
             << "Revision:  " << terminalText(sg::trimField(d.revision)) << '\n'
             << "Type:      " << peripheralName(d.peripheralType) << '\n'
             << "Serial:    " << terminalText(serial) << '\n';
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
        t.print(out_, options_.wide ? 0 : kTableWidth);
    }

    void done(const std::string &what) override { out_ << terminalText(what) << '\n'; }

    void rows(const ObjectKind &kind, const json &result) override {
        printRows(out_, kind, member(result, kind.many), options_);
    }

    void object(const ObjectKind &kind, const json &result) override {
        json extra = result.is_object() ? result : json::object();
        extra.erase(kind.one);
        printListing(out_, kind, member(result, kind.one), extra, options_);
    }

    void done(const std::string &what, const json &) override {
        out_ << terminalText(what) << '\n';
    }

    void health(const std::string &what, const json &result) override {
        out_ << terminalText(what) << '\n';
        const std::string text = healthText(member(result, "health"));
        for (std::size_t at = 0, end; at < text.size(); at = end + 1) {
            end = text.find('\n', at);
            if (end == std::string::npos)
                end = text.size();
            out_ << terminalText(std::string_view(text).substr(at, end - at)) << '\n';
        }
    }

    void watching(const json &started) override {
        err_ << "watching rsmd's events after seq " << terminalText(memberText(started, "seq"))
             << '\n';
    }

    void event(const json &event) override { out_ << eventLine(event, options_) << std::endl; }

    void error(const Error &error) override {
        err_ << "rsmctl: " << terminalText(error.toString()) << '\n';
    }

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
    TableOptions options_;
};

}  // namespace

std::unique_ptr<Printer> makeTablePrinter(std::ostream &out, std::ostream &err,
                                          TableOptions options) {
    return std::make_unique<TablePrinter>(out, err, options);
}

}  // namespace rsm::cli
