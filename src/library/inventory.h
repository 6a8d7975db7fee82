#pragma once
// Reading a library for a FAST inventory: the status of every slot, drive and import/export
// port with its barcode, as the engine's reconciliation takes it. Thread-safety: a free
// function; each call opens its own transport.

#include <string>
#include <vector>

#include "rsm/error.h"
#include "sg/element.h"
#include "src/engine/engine.h"
#include "src/library/probe.h"

namespace rsm::library {

// The slots, drives and ports of an element status, as the engine's reconciliation takes them.
std::vector<engine::InventoryElement> inventoryOf(const std::vector<sg::Element> &elements);

Result<std::vector<engine::InventoryElement>> readInventory(const std::string &device,
                                                            const ProbeOptions &options);

// "12 cartridges: 3 new, 1 moved, 0 gone offline, 0 without barcode" for the request's message.
std::string describe(const engine::InventoryResult &result);

}  // namespace rsm::library
