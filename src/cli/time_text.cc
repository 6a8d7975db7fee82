#include "src/cli/time_text.h"

#include <ctime>
#include <regex>

namespace rsm::cli {

std::optional<std::string> timeForPeople(std::string_view text, bool utc) {
    static const std::regex rfc3339(
        R"((\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|([+-])(\d\d):(\d\d)))");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, rfc3339))
        return std::nullopt;
    auto number = [&m](int i) { return std::stoi(m[i].str()); };
    std::tm tm{};
    tm.tm_year = number(1) - 1900;
    tm.tm_mon = number(2) - 1;
    tm.tm_mday = number(3);
    tm.tm_hour = number(4);
    tm.tm_min = number(5);
    tm.tm_sec = number(6);
    std::time_t when = timegm(&tm);
    if (m[9].matched) {  // an offset east of UTC is that much earlier in UTC
        const long offset = number(10) * 3600L + number(11) * 60L;
        when -= m[9].str() == "+" ? offset : -offset;
    }
    std::tm shown{};
    if (utc ? gmtime_r(&when, &shown) == nullptr : localtime_r(&when, &shown) == nullptr)
        return std::nullopt;
    char out[64];
    if (std::strftime(out, sizeof out, utc ? "%Y-%m-%d %H:%M:%S UTC" : "%Y-%m-%d %H:%M:%S %Z",
                      &shown) == 0)
        return std::nullopt;
    return std::string(out);
}

}  // namespace rsm::cli
