#include "src/mtx/format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <ostream>

#include <fmt/format.h>

namespace rsm::mtx {

namespace {

// mtx's names of the peripheral device types (5 bits).
constexpr std::array<std::string_view, 32> kDeviceTypes = {"Disk Drive",
                                                           "Tape Drive",
                                                           "Printer",
                                                           "Processor",
                                                           "Write-once",
                                                           "CD-ROM",
                                                           "Scanner",
                                                           "Optical",
                                                           "Medium Changer",
                                                           "Communications",
                                                           "ASC IT8",
                                                           "ASC IT8",
                                                           "RAID Array",
                                                           "Enclosure Services",
                                                           "RBC Simplified Disk",
                                                           "OCR/W",
                                                           "Bridging Expander",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Reserved",
                                                           "Unknown"};

// mtx's names of the sense keys.
constexpr std::array<std::string_view, 16> kSenseKeys = {"No Sense",       "Recovered Error",
                                                         "Not Ready",      "Medium Error",
                                                         "Hardware Error", "Illegal Request",
                                                         "Unit Attention", "Data Protect",
                                                         "Blank Check",    "0x09",
                                                         "0x0a",           "Aborted Command",
                                                         "0x0c",           "Volume Overflow",
                                                         "Miscompare",     "0x0f"};

constexpr std::size_t kSenseLength = 18;  // sizeof(RequestSense_T) in mtx

std::string_view yesNo(bool b) {
    return b ? "yes" : "no";
}

void field(std::string &out, const std::string &value, std::size_t width) {
    out.append(value, 0, std::min(value.size(), width));
    if (value.size() < width)
        out.append(width - value.size(), '\0');
}

void appendNumber(std::string &out, std::size_t n) {
    char digits[24];
    const auto end = std::to_chars(std::begin(digits), std::end(digits), n).ptr;
    out.append(digits, end);
}

// The `status` lines after the first, appended to `out` by plain appends, not fmt (a 10,000-slot
// library is 10,013 lines, and this is most of what `mtx status` does after the reply has
// arrived); after any line, `out` is handed to `flush` once it holds more than `limit` bytes.
template <typename Flush>
void appendBody(const SlotMap &map, std::string &out, std::size_t limit, Flush flush) {
    for (std::size_t i = 0; i < map.drives.size(); ++i) {
        const DriveEntry &d = map.drives[i];
        out += "Data Transfer Element ";
        appendNumber(out, i);
        if (!d.full) {
            out += ":Empty\n";
            continue;
        }
        if (d.source) {
            out += ":Full (Storage Element ";
            appendNumber(out, static_cast<std::size_t>(*d.source) + 1);
            out += " Loaded)";
        } else {
            out += ":Full (Unknown Storage Element Loaded)";
        }
        if (const auto tag = map.tag(d.tags); !tag.empty()) {
            out += ":VolumeTag = ";
            out += tag;
        }
        if (const auto tag = map.alternateTag(d.tags); !tag.empty()) {
            out += ":AlternateVolumeTag = ";
            out += tag;
        }
        out += '\n';
    }
    for (std::size_t i = 0; i < map.slots.size(); ++i) {
        const SlotEntry &s = map.slots[i];
        out += "      Storage Element ";
        appendNumber(out, i + 1);
        if (s.importExport)
            out += " IMPORT/EXPORT";
        out += s.full ? ":Full " : ":Empty";
        if (const auto tag = map.tag(s.tags); !tag.empty()) {
            out += ":VolumeTag=";
            out += tag;
        }
        if (const auto tag = map.alternateTag(s.tags); !tag.empty()) {
            out += ":AlternateVolumeTag=";
            out += tag;
        }
        out += '\n';
        if (out.size() > limit)
            flush(out);
    }
}

}  // namespace

std::string statusHeader(std::string_view device, std::size_t drives, std::size_t slots,
                         std::size_t importExport) {
    std::string out = "  Storage Changer ";
    out += device;
    out += ':';
    appendNumber(out, drives);
    out += " Drives, ";
    appendNumber(out, slots);
    out += " Slots ( ";
    appendNumber(out, importExport);
    out += " Import/Export )\n";
    return out;
}

std::string statusHeader(const SlotMap &map, std::string_view device) {
    return statusHeader(device, map.drives.size(), map.slots.size(),
                        static_cast<std::size_t>(map.importExport));
}

std::string statusBody(const SlotMap &map) {
    std::string out;
    out.reserve(map.drives.size() * 96 + map.slots.size() * 80);
    appendBody(map, out, std::string::npos, [](std::string &) {});
    return out;
}

std::string statusText(const SlotMap &map, std::string_view device) {
    return statusHeader(map, device) + statusBody(map);
}

void writeStatus(std::ostream &out, const SlotMap &map, std::string_view device) {
    constexpr std::size_t kPiece = 64 * 1024;
    std::string buffer = statusHeader(map, device);
    buffer.reserve(kPiece + 1024);
    auto flush = [&out](std::string &text) {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        text.clear();
    };
    appendBody(map, buffer, kPiece, flush);
    flush(buffer);
}

std::string inquiryText(const sg::InquiryData &inquiry) {
    std::string out = "Product Type: ";
    out += kDeviceTypes[inquiry.peripheralType & 0x1F];
    out += "\nVendor ID: '";
    field(out, inquiry.vendor, 8);
    out += "'\nProduct ID: '";
    field(out, inquiry.product, 16);
    out += "'\nRevision: '";
    field(out, inquiry.revision, 4);
    out += "'\nAttached Changer API: ";
    out += inquiry.mediumChanger ? "Yes\n" : "No\n";
    return out;
}

std::string loadingText(int slotOrdinal, int drive) {
    return fmt::format("Loading media from Storage Element {} into drive {}...", slotOrdinal,
                       drive);
}

std::string unloadingText(int drive, int slotOrdinal) {
    return fmt::format("Unloading drive {} into Storage Element {}...", drive, slotOrdinal);
}

std::string usageText() {
    return "Usage:\n"
           "\tmtx --version\n"
           "\tmtx [ -f <loader-dev> ] noattach <more commands>\n"
           "\tmtx [ -f <loader-dev> ] inquiry | inventory \n"
           "\tmtx [ -f <loader-dev> ] [altres] [nobarcode] status\n"
           "\tmtx [ -f <loader-dev> ] [altres] first [<drive#>]\n"
           "\tmtx [ -f <loader-dev> ] [altres] last [<drive#>]\n"
           "\tmtx [ -f <loader-dev> ] [altres] previous [<drive#>]\n"
           "\tmtx [ -f <loader-dev> ] [altres] next [<drive#>]\n"
           "\tmtx [ -f <loader-dev> ] [altres] [invert] load <storage-element-number> "
           "[<drive#>]\n"
           "\tmtx [ -f <loader-dev> ] [altres] [invert] unload "
           "[<storage-element-number>][<drive#>]\n"
           "\tmtx [ -f <loader-dev> ] [altres] [eepos eepos-number] transfer "
           "<storage-element-number> <storage-element-number>\n"
           "\tmtx [ -f <loader-dev> ] [altres] [eepos eepos-number][invert][invert2] exchange "
           "<storage-element-number> <storage-element-number>\n"
           "\tmtx [ -f <loader-dev> ] [altres] position <storage-element-number>\n"
           "\tmtx [ -f <loader-dev> ] eject\n";
}

std::string versionText() {
    return "mtx version 1.3.12\n\n" + usageText();
}

std::vector<std::uint8_t> fixedSense(const SenseRecord &record) {
    std::vector<std::uint8_t> b(kSenseLength, 0);
    b[0] = 0x70;
    b[2] = record.key & 0x0F;
    b[7] = 10;
    b[12] = record.asc;
    b[13] = record.ascq;
    return b;
}

std::string requestSenseText(std::span<const std::uint8_t> raw, const SenseRecord &record) {
    std::vector<std::uint8_t> b;
    const bool descriptor = !raw.empty() && ((raw[0] & 0x7F) == 0x72 || (raw[0] & 0x7F) == 0x73);
    if (raw.empty() || descriptor) {
        b = fixedSense(record);
    } else {
        b.assign(raw.begin(), raw.begin() + std::min(raw.size(), kSenseLength));
        b.resize(kSenseLength, 0);
    }
    const std::uint8_t code = b[0] & 0x7F;
    const bool valid = b[0] & 0x80;
    const bool sksv = b[15] & 0x80, commandData = b[15] & 0x40, bpv = b[15] & 0x08;
    const std::string_view kind = code == 0x70   ? "Current"
                                  : code == 0x71 ? "Deferred"
                                                 : "Unknown?!";
    constexpr std::string_view p = "mtx: Request Sense: ";
    std::string out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "{}Long Report=yes\n", p);
    fmt::format_to(it, "{}Valid Residual={}\n", p, yesNo(valid));
    fmt::format_to(it, "{}Error Code={:x} ({})\n", p, code, kind);
    fmt::format_to(it, "{}Sense Key={}\n", p, kSenseKeys[b[2] & 0x0F]);
    fmt::format_to(it, "{}FileMark={}\n", p, yesNo(b[2] & 0x80));
    fmt::format_to(it, "{}EOM={}\n", p, yesNo(b[2] & 0x40));
    fmt::format_to(it, "{}ILI={}\n", p, yesNo(b[2] & 0x20));
    if (valid)
        fmt::format_to(it, "{}Residual = {:02X} {:02X} {:02X} {:02X}\n", p, b[3], b[4], b[5], b[6]);
    fmt::format_to(it, "{}Additional Sense Code = {:02X}\n", p, b[12]);
    fmt::format_to(it, "{}Additional Sense Qualifier = {:02X}\n", p, b[13]);
    if (sksv)
        fmt::format_to(it, "{}Field in Error = {:02X}\n", p, b[15] & 0x07);
    fmt::format_to(it, "{}BPV={}\n", p, yesNo(bpv));
    fmt::format_to(it, "{}Error in CDB={}\n", p, yesNo(commandData));
    fmt::format_to(it, "{}SKSV={}\n", p, yesNo(sksv));
    if (bpv || sksv)
        fmt::format_to(it, "{}Field Pointer = {:02X} {:02X}\n", p, b[16], b[17]);
    return out;
}

std::string failureDetail(const Error &error, std::span<const std::uint8_t> rawSense) {
    if (error.sense())
        return requestSenseText(rawSense, *error.sense());
    return fmt::format("mtx: {}\n", error.message());
}

std::string moveFailureText(MoveKind kind, int source, int destination, const Error &error,
                            std::span<const std::uint8_t> rawSense) {
    if (const auto &s = error.sense()) {
        const int code = (s->asc << 8) | s->ascq;
        switch (code) {
            case 0x3003:
                return "Cleaning Cartridge Installed and Ejected\n";
            case 0x3A00:
                return "Drive needs offline before move\n";
            case 0x3B0D:
                return fmt::format("Destination Element Address {} is Already Full\n", destination);
            case 0x3B0E:
                return fmt::format("Source Element Address {} is Empty\n", source);
            default:
                break;
        }
    }
    return failureDetail(error, rawSense) +
           fmt::format("{} MEDIUM from Element Address {} to {} Failed\n",
                       kind == MoveKind::Move ? "MOVE" : "EXCHANGE", source, destination);
}

namespace message {

std::string driveFull(int drive, int sourceOrdinal) {
    return fmt::format("Drive {} Full (Storage Element {} loaded)\n", drive, sourceOrdinal);
}

std::string slotAlreadyFull(int ordinal) {
    return fmt::format("Storage Element {} is Already Full\n", ordinal);
}

std::string driveEmpty(int drive) {
    return fmt::format("Data Transfer Element {} is Empty\n", drive);
}

std::string noSourceForDrive(int drive) {
    return fmt::format("No Source for tape in drive {}!\n", drive);
}

std::string badSlotArgument(std::string_view command, int ordinal) {
    return fmt::format("{} <storage-element-number> argument '{}' to '{}' command\n",
                       command == "load" ? "Invalid" : "illegal", ordinal, command);
}

std::string badDriveArgument(std::string_view command, int drive) {
    return fmt::format("illegal <drive-number> argument '{}' to '{}' command\n", drive, command);
}

std::string cannotOpen(std::string_view device, std::string_view reason) {
    return fmt::format("cannot open SCSI device '{}' - {}", device, reason);
}

}  // namespace message

}  // namespace rsm::mtx
