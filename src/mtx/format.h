#pragma once
// The text mtx 1.3.12 prints, byte for byte: `status`, `inquiry`, the progress lines of load
// and unload, the usage text, the REQUEST SENSE dump, and the messages of its failures
// (FatalError in mtx: the message alone, no program name, on stderr, then exit status 1).
// Pure functions; thread-safe.

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rsm/error.h"
#include "sg/inquiry.h"
#include "src/mtx/slot_map.h"

namespace rsm::mtx {

// `status`: the header, one line per drive, one per slot.
std::string statusText(const SlotMap &map, std::string_view device);
// Its first line ("  Storage Changer DEVICE:4 Drives, 10008 Slots ( 8 Import/Export )"), and
// the rest: rsmd renders the rest once per element map, each client adds its own first line.
std::string statusHeader(std::string_view device, std::size_t drives, std::size_t slots,
                         std::size_t importExport);
std::string statusHeader(const SlotMap &map, std::string_view device);
std::string statusBody(const SlotMap &map);
// The same bytes written to `out` in pieces of about 64 KiB, never held whole.
void writeStatus(std::ostream &out, const SlotMap &map, std::string_view device);

// `inquiry`: Product Type, Vendor ID, Product ID, Revision, Attached Changer API. The three
// identification fields are printed at their full width (8, 16, 4 bytes) as sent; a short
// reply is padded with NULs.
std::string inquiryText(const sg::InquiryData &inquiry);

// "Loading media from Storage Element 3 into drive 0..." (no newline; "done\n" follows).
std::string loadingText(int slotOrdinal, int drive);
// "Unloading drive 0 into Storage Element 3..." (no newline).
std::string unloadingText(int drive, int slotOrdinal);

// "Usage:\n\tmtx --version\n..." and "mtx version 1.3.12\n\n" followed by the usage.
std::string usageText();
std::string versionText();

// The sense bytes as mtx's PrintRequestSense() prints them ("mtx: Request Sense: Long
// Report=yes" ...), read as fixed-format sense (the 18 bytes mtx asks for). When `raw` is empty
// or in descriptor format, fixed-format bytes are made from `record`.
std::string requestSenseText(std::span<const std::uint8_t> raw, const SenseRecord &record);
// Fixed-format sense bytes (70h, 18 bytes) holding only the key, ASC and ASCQ.
std::vector<std::uint8_t> fixedSense(const SenseRecord &record);

// Why MOVE MEDIUM (or EXCHANGE MEDIUM) failed, as mtx words it on stderr: by ASC/ASCQ
// 3B/0D, 3B/0E, 3A/00, 30/03 one line; any other sense the REQUEST SENSE dump then
// "MOVE MEDIUM from Element Address %d to %d Failed". A failure without sense (the device is
// gone) gets "mtx: <message>" instead of the dump.
enum class MoveKind { Move, Exchange };
std::string moveFailureText(MoveKind kind, int source, int destination, const Error &error,
                            std::span<const std::uint8_t> rawSense);

// The messages of mtx's argument checks and other fatal errors, each ending in "\n".
namespace message {
std::string driveFull(int drive, int sourceOrdinal);  // Drive %d Full (Storage Element %d loaded)
std::string slotAlreadyFull(int ordinal);             // Storage Element %d is Already Full
std::string driveEmpty(int drive);                    // Data Transfer Element %d is Empty
std::string noSourceForDrive(int drive);              // No Source for tape in drive %d!
// load: "Invalid <storage-element-number> argument '%d' to 'load' command";
// unload: "illegal <storage-element-number> argument '%d' to 'unload' command".
std::string badSlotArgument(std::string_view command, int ordinal);
std::string badDriveArgument(std::string_view command, int drive);  // illegal <drive-number> ...
// cannot open SCSI device '%s' - %s (without its "\n": an opener's Error message)
std::string cannotOpen(std::string_view device, std::string_view reason);
}  // namespace message

// A command that failed before or without sense data: the dump when there is sense,
// "mtx: <message>" otherwise.
std::string failureDetail(const Error &error, std::span<const std::uint8_t> rawSense);

}  // namespace rsm::mtx
