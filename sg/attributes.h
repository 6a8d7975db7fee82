#pragma once
// Medium Auxiliary Memory attributes (SPC-4 READ ATTRIBUTE, service action ATTRIBUTE VALUES):
// the parser of the parameter data into rsm::MediumAttributes (issue 19). Pure; no I/O.
// Thread-safety: values only.

#include <cstdint>
#include <span>

#include "rsm/error.h"
#include "rsm/health.h"

namespace rsm::sg {

// The data begins with a 4-byte AVAILABLE DATA length, then attributes of identifier (2 bytes),
// a byte of READ ONLY (bit 7) and FORMAT (bits 0-1), length (2 bytes) and value. Known
// identifiers fill their field: binary values big-endian of their length (1 to 8 bytes; others
// left empty), ASCII ones with trailing blanks and NULs cut. Unknown identifiers are skipped.
// Data cut by the allocation length is read as far as it goes; ERROR_BAD_FORMAT when the header
// is short or an attribute overruns the AVAILABLE DATA length.
Result<MediumAttributes> parseAttributes(std::span<const std::uint8_t> data);

}  // namespace rsm::sg
