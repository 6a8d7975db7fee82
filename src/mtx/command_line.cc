#include "src/mtx/command_line.h"

#include <array>
#include <climits>

namespace rsm::mtx {

namespace {

struct VerbInfo {
    std::string_view name;
    Verb verb;
    int arguments;  // numeric arguments mtx reads after the word
    bool device;
    bool status;
};

// mtx 1.3.12's command table, less `erase` (an SSC command for tape drives, not changers).
constexpr std::array kVerbs = {
    VerbInfo{"inquiry", Verb::Inquiry, 0, true, false},
    VerbInfo{"status", Verb::Status, 0, true, true},
    VerbInfo{"invert", Verb::Invert, 0, false, false},
    VerbInfo{"noattach", Verb::NoAttach, 0, false, false},
    VerbInfo{"eepos", Verb::Eepos, 1, false, false},
    VerbInfo{"load", Verb::Load, 2, true, true},
    VerbInfo{"unload", Verb::Unload, 2, true, true},
    VerbInfo{"transfer", Verb::Transfer, 2, true, true},
    VerbInfo{"first", Verb::First, 1, true, true},
    VerbInfo{"last", Verb::Last, 1, true, true},
    VerbInfo{"previous", Verb::Previous, 1, true, true},
    VerbInfo{"next", Verb::Next, 1, true, true},
    VerbInfo{"--version", Verb::Version, 0, false, false},
    VerbInfo{"inventory", Verb::Inventory, 0, true, false},
    VerbInfo{"eject", Verb::Eject, 0, true, false},
    VerbInfo{"nobarcode", Verb::NoBarcode, 0, false, false},
    VerbInfo{"position", Verb::Position, 1, true, true},
    VerbInfo{"invert2", Verb::Invert2, 0, false, false},
    VerbInfo{"exchange", Verb::Exchange, 3, true, true},
    VerbInfo{"altres", Verb::AltRes, 0, false, false},
};

const VerbInfo *find(std::string_view word) {
    for (const VerbInfo &info : kVerbs)
        if (info.name == word)
            return &info;
    return nullptr;
}

const VerbInfo *find(Verb verb) {
    for (const VerbInfo &info : kVerbs)
        if (info.verb == verb)
            return &info;
    return nullptr;
}

// mtx's get_arg(): a word whose first character is a digit is a number (atoi: its leading
// digits); anything else is no argument. Numbers beyond int are held at INT_MAX (atoi's
// overflow is undefined; every such number is out of range for mtx anyway).
std::optional<int> number(std::span<const std::string> args, std::size_t i) {
    if (i >= args.size())
        return std::nullopt;
    const std::string &word = args[i];
    if (word.empty() || word[0] < '0' || word[0] > '9')
        return std::nullopt;
    long long value = 0;
    for (char c : word) {
        if (c < '0' || c > '9')
            break;
        value = value * 10 + (c - '0');
        if (value > INT_MAX)
            return INT_MAX;
    }
    return static_cast<int>(value);
}

}  // namespace

std::vector<Step> parseCommandLine(std::span<const std::string> args) {
    std::vector<Step> steps;
    std::size_t i = 0;
    while (i < args.size()) {
        if (args[i] == "-f") {
            if (i + 1 >= args.size()) {
                steps.push_back(Step::of(Verb::Usage));
                return steps;
            }
            steps.push_back(Step::openDevice(args[i + 1]));
            i += 2;
            continue;
        }
        const VerbInfo *info = find(args[i]);
        if (info == nullptr) {
            steps.push_back(Step::of(Verb::Usage));
            return steps;
        }
        ++i;
        Step step = Step::of(info->verb);
        // Like mtx: the second argument is looked for only after a first, the third after a
        // second.
        if (info->arguments >= 1 && (step.arg1 = number(args, i)))
            ++i;
        if (info->arguments >= 2 && step.arg1 && (step.arg2 = number(args, i)))
            ++i;
        if (info->arguments >= 3 && step.arg2 && (step.arg3 = number(args, i)))
            ++i;
        steps.push_back(std::move(step));
        if (info->verb == Verb::Version)
            return steps;
    }
    return steps;
}

std::string_view verbName(Verb verb) {
    if (verb == Verb::Device)
        return "-f";
    const VerbInfo *info = find(verb);
    return info != nullptr ? info->name : std::string_view();
}

bool needsDevice(Verb verb) {
    const VerbInfo *info = find(verb);
    return info != nullptr && info->device;
}

bool needsStatus(Verb verb) {
    const VerbInfo *info = find(verb);
    return info != nullptr && info->status;
}

std::string defaultDevice(const char *changer, const char *tape) {
    if (changer != nullptr)
        return changer;
    if (tape != nullptr)
        return tape;
    return "/dev/changer";
}

}  // namespace rsm::mtx
