#pragma once
// The mtx mode: mtx 1.3.12's command line and output (src/mtx/), for the scripts of Bacula,
// Bareos, Amanda, Proxmox Backup Server and sites that call mtx. The program `rsm-mtx`
// (rsm_mtx.cc), and `rsmctl mtx`; rsmctl run as `rsm-mtx` or `mtx` (a symlink) is mtx too.

#include <optional>
#include <string>
#include <vector>

#include "src/mtx/backend.h"

namespace rsm::cli {

// The arguments mtx is to read when this command line asks for mtx: those after "mtx" when
// argv[1] is "mtx", all of them when the program is called `mtx` or `rsm-mtx`; nullopt else.
std::optional<std::vector<std::string>> mtxArguments(int argc, char **argv);

// Runs mtx's command line on std::cout and std::cerr; returns mtx's exit status.
int runMtx(const std::vector<std::string> &args);

// Opens a device for mtx directly through sg/ (no daemon), under its DeviceLock.
Result<std::unique_ptr<mtx::MtxBackend>> openDirectBackend(const std::string &device);

// For a process that lives for one command line: memory freed stays in the heap for the next
// allocation instead of going back to the kernel. A 10,000-slot library's status passes
// through blocks of hundreds of kilobytes (the reply, the elements, the slot map), which glibc
// would map and unmap one by one, each new page a page fault. Call first thing in main().
void keepFreedMemory();

}  // namespace rsm::cli
