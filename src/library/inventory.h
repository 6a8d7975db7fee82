#pragma once
// A library's element status as the engine's reconciliation takes it (the Mover reads it),
// and the words an inventory's record uses. Pure functions; thread-safe.

#include <string>
#include <vector>

#include "sg/element.h"
#include "src/engine/engine.h"

namespace rsm::library {

// The slots, drives and ports of an element status, as the engine's reconciliation takes them.
std::vector<engine::InventoryElement> inventoryOf(const std::vector<sg::Element> &elements);

// "12 cartridges: 3 new, 1 moved, 0 gone offline, 0 without barcode" for the request's message.
std::string describe(const engine::InventoryResult &result);

}  // namespace rsm::library
