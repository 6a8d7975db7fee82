// The command table of rsmctl: one row per group of subcommands or command of its own, in the
// order `rsmctl --help` lists them. Each row's `add` lives in the feature file of its objects.

#include "src/cli/context.h"

namespace rsm::cli {

const std::vector<CommandGroup> &commandGroups() {
    static const std::vector<CommandGroup> groups = {
        {"status",
         "One screen of health: libraries, drives, requests, operator requests, free media",
         addStatusCommand, Shape::Command},
        {"library",
         "Libraries: list, show, add, remove, enable, disable, cleaner-slot, discover, probe, "
         "inventory",
         addLibraryCommands},
        {"drive", "Drives of the libraries: list, show, health, enable, disable", addDriveCommands},
        {"media", "Physical media: list, show, create, cleaner", addMediaCommands},
        {"mediatype", "Media types: list, create", addMediaTypeCommands},
        {"pool", "Media pools: list, show, create, delete", addPoolCommands},
        {"lmid", "Logical media (LMIDs): list, show", addLmidCommands},
        {"vault",
         "Vaults (offsite locations): create, list, show, delete, send, arrived, recall, "
         "overdue, report",
         addVaultCommands},
        {"allocate", "Allocate a side from a pool as a new LMID", addAllocateCommand,
         Shape::Command},
        {"deallocate", "Give an LMID's side back to its pool", addDeallocateCommand,
         Shape::Command},
        {"swap", "Swap the media behind two LMIDs", addSwapCommand, Shape::Command},
        {"complete", "Mark an LMID's side as complete (full)", addCompleteCommand, Shape::Command},
        {"delete-media", "Delete a physical medium from rsm's database", addDeleteMediaCommand,
         Shape::Command},
        {"move-to-pool", "Move a physical medium to another pool", addMoveToPoolCommand,
         Shape::Command},
        {"decommission", "Decommission a side of a medium", addDecommissionCommand, Shape::Command},
        {"inventory", "Inventory a library (FAST: barcodes; --full: labels too)",
         addInventoryCommand, Shape::Command},
        {"mount", "Mount an LMID in a drive and print the drive's device", addMountCommand,
         Shape::Command},
        {"dismount", "Take an LMID (or a cartridge) out of its drive", addDismountCommand,
         Shape::Command},
        {"inject", "Move the cartridges in a library's IE ports to free slots", addInjectCommand,
         Shape::Command},
        {"eject", "Move a cartridge to a free IE port, for the operator to take out",
         addEjectCommand, Shape::Command},
        {"clean", "Clean a drive with one of its library's cleaner cartridges", addCleanCommand,
         Shape::Command},
        {"audit", "Bring a library's database in line with its robot after a crash",
         addAuditCommand, Shape::Command},
        {"acl", "Access control lists: list, grant, revoke", addAclCommands},
        {"object", "Any object: rename, describe, get and set attributes; the computer",
         addObjectCommands},
        {"request",
         "Library requests (robot work) and operator requests: list, show, cancel, submit, "
         "satisfy, wait",
         addRequestCommands},
        {"watch", "Print rsmd's events as they happen", addWatchCommand, Shape::Command},
        {"changer", "Drive a medium changer directly (no daemon, no database)", addChangerCommands},
        {"mtx", "mtx 1.3.12's commands and output, on a changer directly (see rsm-mtx(1))",
         addMtxCommand, Shape::Command},
    };
    return groups;
}

}  // namespace rsm::cli
