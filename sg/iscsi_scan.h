#pragma once
// The tape drives of an iSCSI target: what a library reached over iSCSI has in place of the
// sysfs discovery of sg/discovery.h. Each LUN of the changer's target but the changer's own is
// asked by INQUIRY whether it is a tape drive, and a tape drive for its serial number (VPD page
// 80h) and designators (VPD page 83h), the identities matchDrive compares with a library's
// DVCID drive identifiers.
// Thread-safety: free functions; each LUN is opened on a transport of its own.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rsm/error.h"
#include "sg/discovery.h"
#include "sg/iscsi_transport.h"
#include "sg/transport.h"

namespace rsm::sg {

// LUNs of a target looked at for tape drives: 0 to kScannedLuns - 1.
constexpr int kScannedLuns = 16;

// Opens one LUN by its URL (openTransport over iSCSI; a scripted fake in tests).
using LunOpener = std::function<Result<std::unique_ptr<Transport>>(const std::string &url)>;

// The tape LUNs (peripheral qualifier 0, type 1) of `changer`'s target other than
// changer.lun, in LUN order: each a ScsiDevice whose sgPath is its URL, with vendor, model and
// serial number trimmed by trimBlanksAndNuls, and its designators. A LUN that cannot be opened
// or does not answer INQUIRY is left out; a VPD page it refuses or gives malformed leaves its
// serial number or designators empty (after a VPD command that got no answer, the LUN is asked
// nothing more).
std::vector<ScsiDevice> scanTapeLuns(const IscsiUrl &changer, const LunOpener &open);

// The same over iSCSI, each LUN opened with `options`.
std::vector<ScsiDevice> scanTapeLuns(const IscsiUrl &changer, const IscsiOptions &options);

}  // namespace rsm::sg
