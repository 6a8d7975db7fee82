#pragma once
// Running a parsed mtx command line (command_line.h) against a changer, with mtx 1.3.12's
// semantics and output: results on `out`, failures on `err`, and the exit status mtx would
// give (0, or 1 after the first fatal error; the commands after it do not run).
//
// Like mtx, the device is opened when `-f` is read, or before the first command that needs
// one (then `defaultDevice`); the element status is read before the first command that needs
// it and kept for the line, updated by each move. Unlike mtx it is read again before the next
// command after a move, so that `unload 3 0 load 4 0 status` shows the library as it is.
//
// Where rsm does better than mtx (the output formats are unchanged):
//   - a drive whose source slot is unknown goes back to an empty storage slot no other
//     drive calls its own (slot_map.h), and `first`, `next`, `last`, `previous` unload it
//     there too (mtx reads outside its arrays for such a drive);
//   - `previous` on an empty drive searches the storage slots only (mtx looks at the first
//     I/E slot first);
//   - `position 0` and `exchange` with a third slot out of range are refused instead of
//     reading outside mtx's arrays;
//   - after a load within the line, the drive's source is known even when the library does
//     not report it;
//   - `exchange` on a library without EXCHANGE MEDIUM is done with moves (sg::Changer).
// Thread-safety: one thread at a time.

#include <ostream>
#include <span>
#include <string>

#include "src/mtx/backend.h"
#include "src/mtx/command_line.h"

namespace rsm::mtx {

int run(std::span<const Step> steps, const BackendOpener &open, const std::string &defaultDevice,
        std::ostream &out, std::ostream &err);

}  // namespace rsm::mtx
