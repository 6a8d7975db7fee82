#pragma once
// What the robot path does inside a transaction, shared by the Engine's calls and the
// worker's Ledger: a library's robot view, a request as `request show` gives it, a move's
// result and a mount recorded, requests queued again, deferred dismounts that are due.
// Thread-safety: each runs in the caller's transaction (a Tx belongs to one thread).

#include <cstdint>
#include <string>
#include <vector>

#include "src/engine/engine.h"

namespace rsm::engine {

RobotView robotViewIn(Tx &tx, const LibraryRow &library);
// The request with its library's name, its drive's name and device, and its medium's barcode.
RequestInfo requestInfoIn(Tx &tx, const RequestRow &request, const std::string &library);
// After a mount: the medium LOADED in the drive, the drive LOADED and mounted by the request
// (one more mount for the drive and the side), and request.driveId set (not yet written).
Result<void> markMountedIn(Tx &tx, RequestRow &request, const Uuid &drive);
// The application's mount of the drive ends (a dismount, immediate or deferred): when it was
// made for writing, its side's last_written is stamped now. Nothing when no mount holds it.
void endMountIn(Tx &tx, const DriveRow &drive);
// A move's intent applied: the medium at its destination, the drives it left and reached,
// the intent gone (ERROR_OBJECT_NOT_FOUND when an audit resolved it already).
Result<void> completeMoveIn(Tx &tx, const Uuid &intent);
// The library's requests in `state` QUEUED again (WAITING: to try again; INPROCESS: ones no
// worker runs); how many.
int requeueIn(Tx &tx, const Uuid &library, RequestState state);
// The MOVEMEDIA requests a waiting mount posted for `media` (they name a library) that no
// unfinished library request of the medium waits for any more: REFUSED, the message saying so.
void withdrawUnwaitedMovesIn(Tx &tx, const Uuid &media);
// A vault send's eject of `media` that ended without taking the cartridge out (failed or
// cancelled, the cartridge still in a slot or drive of its library, no other request of it
// queued): its rotation is undone, so the medium is no longer IN-TRANSIT-OUT (the event log
// records it), and its round's operator request ended when nothing else of it waits
// (completeLeftVaultRoundsIn). Nothing otherwise. True when undone.
bool undoUnsentVaultIn(Tx &tx, const Uuid &media);
// The MOVEMEDIA requests asking for cartridges that are now in `library` (requests naming
// another library excepted): COMPLETE.
void completeArrivedMovesIn(Tx &tx, const Uuid &library);
// The operator requests of vault rounds (Engine::vaultSend) none of whose cartridges waits
// any more: COMPLETE when some left their library (are in the OFFLINE library, or were
// deleted) and the others' sends were undone or they came back; REFUSED (withdrawn) when every
// send of the round was undone (undoUnsentVaultIn). A round with a cartridge still in a
// library and still on its way out stays open.
void completeLeftVaultRoundsIn(Tx &tx);
// DISMOUNTABLE drives whose deferral has ended by `now` (Unix s), and drives holding a cleaner.
std::vector<DriveRow> dueDismountsIn(Tx &tx, const Uuid &library, std::int64_t now);

}  // namespace rsm::engine
