#pragma once
// Local accounts: user and group names from the local files (/etc/passwd, /etc/group), not
// through NSS. The mtx mode names a lock file's owner and group and finds the lock directory's
// group ("tape", a local system group) this way, so that rsm-mtx can be one static program
// without glibc's NSS modules; a user or group known only to a directory service (LDAP) is
// shown by its number. Pure reads of the files; thread-safe.

#include <optional>
#include <string>

namespace rsm::mtx {

inline constexpr const char *kPasswdFile = "/etc/passwd";
inline constexpr const char *kGroupFile = "/etc/group";

// The name of the entry whose id (third field) is `id` in a passwd- or group-format file.
std::optional<std::string> localName(unsigned id, const char *file);
// The id of the entry called `name` in such a file.
std::optional<unsigned> localId(const std::string &name, const char *file);

}  // namespace rsm::mtx
