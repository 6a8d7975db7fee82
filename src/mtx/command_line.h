#pragma once
// mtx 1.3.12's command line, parsed into a list of steps to run in order:
//   mtx [-f DEVICE] command [args] [command [args] ...]
// mtx runs each command as soon as it has read it, so a word it does not know (or a `-f`
// without a device) only ends the line where it stands: the commands before it still run,
// then the usage text is printed and mtx exits 1. parseCommandLine() keeps that order by
// ending the list with a Usage step instead of failing as a whole. `--version` prints the
// version and the usage and exits 1, like mtx, so it also ends the list.
// Pure functions; thread-safe.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rsm::mtx {

enum class Verb {
    Device,     // -f DEVICE: open this device now (argument: device)
    Inquiry,    // inquiry
    Status,     // status
    Load,       // load [slot [drive]]
    Unload,     // unload [slot [drive]]
    Transfer,   // transfer [slot [slot]]
    Exchange,   // exchange [slot [slot [slot]]]
    First,      // first [drive]
    Last,       // last [drive]
    Next,       // next [drive]
    Previous,   // previous [drive]
    Position,   // position [slot]
    Inventory,  // inventory: INITIALIZE ELEMENT STATUS
    Eject,      // eject: START STOP UNIT with LoEj
    NoBarcode,  // nobarcode: do not ask for volume tags
    Invert,     // invert: MOVE MEDIUM with INVERT (EXCHANGE: INV2)
    Invert2,    // invert2: EXCHANGE MEDIUM with INV1
    NoAttach,   // noattach: accepted; rsm never uses the attached-changer commands
    AltRes,     // altres: accepted; rsm reads element status one type at a time anyway
    Eepos,      // eepos [n]: the EEPOS bits (0..3) of MOVE and EXCHANGE MEDIUM
    Version,    // --version: version and usage on stderr, exit 1
    Usage,      // a word mtx does not know, or -f without a device: usage on stderr, exit 1
};

// One step of the line. Numeric arguments are as mtx reads them: a word starting with a digit
// is a number (its leading digits), anything else is not an argument but the next command.
// Absent arguments are nullopt; mtx then uses its defaults (drive 0, the source slot, ...).
struct Step {
    Verb verb = Verb::Usage;
    std::optional<int> arg1, arg2, arg3;
    std::string device;  // Verb::Device

    static Step of(Verb verb, std::optional<int> a1 = std::nullopt,
                   std::optional<int> a2 = std::nullopt, std::optional<int> a3 = std::nullopt) {
        Step step;
        step.verb = verb;
        step.arg1 = a1;
        step.arg2 = a2;
        step.arg3 = a3;
        return step;
    }
    static Step openDevice(std::string device) {
        Step step = of(Verb::Device);
        step.device = std::move(device);
        return step;
    }

    friend bool operator==(const Step &, const Step &) = default;
};

// `args` are the words after the program name (for `rsmctl mtx ...`, after `mtx`).
std::vector<Step> parseCommandLine(std::span<const std::string> args);

// The word of a verb ("load", "-f", "--version"); Usage has none ("").
std::string_view verbName(Verb verb);
// Whether the step talks to the changer (mtx opens the default device for it when no -f
// came before), and whether it needs the element status first.
bool needsDevice(Verb verb);
bool needsStatus(Verb verb);

// The device when no -f is given: $CHANGER, else $TAPE, else /dev/changer (null: unset).
std::string defaultDevice(const char *changer, const char *tape);

}  // namespace rsm::mtx
