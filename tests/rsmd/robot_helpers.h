#pragma once
// Shared steps of the rsmd tests of robot work: a library registered, inventoried and its
// cartridges in an application pool; what the robot holds (READ ELEMENT STATUS through
// rsmctl changer) beside what the database says it holds.

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include <pqxx/connection>

#include "tests/integration/vtl_library.h"
#include "tests/rsmd/rsmd_rig.h"

namespace rsm::test {

// A library of 8 slots, 2 drives and 2 IE ports holding 4 cartridges.
VirtualLibrary::Shape smallLibrary();

// Registers the virtual library as "vtl", inventories it, and moves every cartridge into the
// FREE pool of LTO-5, where their sides are AVAILABLE, and creates the pool "backup" that
// allocates from it.
void prepareLibrary(const RsmdRig &rig, const VirtualLibrary &vtl);

// Element address -> barcode of every full slot, drive and IE port, as the robot reports them.
std::map<int, std::string> robotHolds(const VirtualLibrary &vtl);
// The same as the database has it for library `library`.
std::map<int, std::string> databaseHolds(const RsmdRig &rig, const std::string &library = "vtl");

// "1000=A00001L5 500=B00002L5" for messages.
std::string describeHolds(const std::map<int, std::string> &holds);

// Allocates an LMID called `name` from pool "backup"; its barcode.
std::string allocate(const RsmdRig &rig, const std::string &name);

// Polls `condition` every 100 ms until it holds or `limit` has passed; whether it held.
bool eventually(const std::function<bool()> &condition,
                std::chrono::seconds limit = std::chrono::seconds(20));
// The number of library requests of `kind` in `state` (a RequestState number), as text.
std::string requestsIn(const RsmdRig &rig, const std::string &kind, int state);

// Waits (up to 3 s) until rsmd has recorded a robot move it has not finished: polls `db`
// every half millisecond, to catch the move while the robot makes it.
bool waitForIntent(pqxx::connection &db);

// Moves a cartridge with the robot itself, as an operator or another program would.
void robotMove(const VirtualLibrary &vtl, int from, int to);
// An operator takes the cartridge out of the library: the element (SMC type 2 slot, 3 IE port)
// becomes empty (tgtadm's clear_slot).
void takeOut(const VirtualLibrary &vtl, int elementType, int address);
// An operator puts a cartridge labelled `barcode` (any bytes but ',' and '=', at most 10) in an
// empty element (SMC type 2 slot, 3 IE port): tgtadm sets the element's volume tag.
void putIn(const VirtualLibrary &vtl, int elementType, int address, const std::string &barcode);

}  // namespace rsm::test
