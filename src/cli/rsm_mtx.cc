// rsm-mtx: mtx 1.3.12's command line, output and exit status (rsm-mtx(1)), as a program of its
// own. Backup software runs mtx once per query, often three times per decision, so what a
// start costs counts: this program holds only the mtx mode (mtx_command.h) — no CLI11 and
// none of rsmctl's other commands — and, built as meson.build says, loads no C++ runtime, fmt,
// libsgutils2 or libiscsi at start. Under any name (a link named `mtx` too) it is mtx.

#include <string>
#include <vector>

#include "src/cli/mtx_command.h"

int main(int argc, char **argv) {
    rsm::cli::keepFreedMemory();
    return rsm::cli::runMtx(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
}
