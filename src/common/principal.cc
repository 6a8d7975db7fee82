#include "rsm/principal.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace rsm {

std::string userName(std::uint32_t uid) {
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
    struct passwd entry {};
    struct passwd *found = nullptr;
    while (getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(), buffer.size(), &found) ==
               ERANGE &&
           buffer.size() < (1u << 20))
        buffer.resize(buffer.size() * 2);
    return found && found->pw_name ? std::string(found->pw_name) : std::string();
}

std::string Principal::display() const {
    const std::string name = userName(uid);
    return name.empty() ? "uid " + std::to_string(uid)
                        : "user " + name + " (uid " + std::to_string(uid) + ")";
}

}  // namespace rsm
