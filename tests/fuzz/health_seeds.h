#pragma once
// The seeds of the fuzz targets of drive health (issue 19): MAM attribute data (fuzz_attributes)
// and the log pages 17h, 02h and 03h (fuzz_log_pages), from the layouts of SPC-4 and SSC-4.
// Part of make-corpus (make_corpus.cc), which hands its writer in.
// Thread-safety: one thread.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rsm::test {

// Writes the seed `name` of `target` with these bytes.
using SeedWriter = std::function<void(const std::string &target, const std::string &name,
                                      const std::vector<std::uint8_t> &bytes)>;

void healthSeeds(const SeedWriter &write);

}  // namespace rsm::test
