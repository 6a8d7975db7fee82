#pragma once
// The kinds of object rsmd returns (docs/protocol.md, "Objects"), described as data for the
// table printer: the columns of a list, the order of the fields of a `show`, and the fields of
// a result that hold one object or a list of them. Adding a kind or a column is a table row in
// kinds.cc; the printers hold no per-kind code.
// Thread-safety: constant tables.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rsm::cli {

struct Column {
    const char *header;
    const char *field;
    // The cell from the field's value and the whole row; nullptr: cellText(value).
    std::string (*format)(const nlohmann::json &value, const nlohmann::json &row) = nullptr;
};

struct ObjectKind {
    const char *name;  // "library"
    const char *one;   // the field of a show result that holds one: "library"
    const char *many;  // the field of a list result that holds them: "libraries"
    std::vector<Column> columns;
    std::vector<const char *> fields;  // the order of a show listing; other fields follow
};

// The kind called `name`; an unknown name is a bug and aborts.
const ObjectKind &objectKind(std::string_view name);
// The kind whose lists are held in a field called `many` ("drives", "sides"), or nullptr.
const ObjectKind *kindOfList(std::string_view many);

// object[name], or null when object is not an object or has no such field: rsmd's results are
// read through this, so a field of another type or a missing one never throws.
const nlohmann::json &member(const nlohmann::json &object, std::string_view name);
// member() as text for people (cellText).
std::string memberText(const nlohmann::json &object, std::string_view name);

// A JSON value as text for people: null "-", booleans yes/no, arrays of scalars joined by
// commas, arrays of objects counted, an error object as "ERROR_X (n): message".
std::string cellText(const nlohmann::json &value);

}  // namespace rsm::cli
