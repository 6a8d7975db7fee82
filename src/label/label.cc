#include "src/label/label.h"

#include "src/label/libraries.h"

namespace rsm::label {

const std::vector<const LabelLibrary *> &libraries() {
    // The most tightly checked formats first: a Bacula block (structure and id string) or a
    // tar header (checksum) is never mistaken for another format, while a tar archive whose
    // first member is called "VOL1…" would be a VOL1 label to the VOL1 library.
    static const detail::BaculaLibrary bacula("Bacula",
                                              {"Bacula 1.0 immortal\n", "Bacula 0.9 mortal\n"});
    static const detail::BaculaLibrary bareos("Bareos", {"Bareos 2.0 immortal\n"});
    static const detail::TarLibrary tar;
    static const detail::AmandaLibrary amanda;
    static const detail::Vol1Library vol1;
    static const std::vector<const LabelLibrary *> all = {&bacula, &bareos, &tar, &amanda, &vol1};
    return all;
}

bool knownType(std::string_view type) {
    if (type == "LTFS")
        return true;  // claimed by the VOL1 library
    for (const LabelLibrary *l : libraries())
        if (l->type() == type)
            return true;
    return false;
}

Result<Label> recognize(std::span<const std::uint8_t> firstBlock) {
    if (firstBlock.empty())
        return Error(ErrorCode::BadFormat, "the side is blank: no label");
    for (const LabelLibrary *l : libraries())
        if (auto label = l->claim(firstBlock))
            return *label;
    return Error(ErrorCode::BadFormat, "no media label library recognizes the media label");
}

}  // namespace rsm::label
