// The names of the lifecycle values (src/engine/lifecycle.h), as the protocol and rsmctl
// spell them.

#include "src/engine/lifecycle.h"

namespace rsm::engine {

std::string_view retentionBasisName(RetentionBasis b) {
    return b == RetentionBasis::LastWrite ? "last-write" : "complete";
}

std::optional<RetentionBasis> retentionBasisFromName(std::string_view name) {
    if (name == "complete")
        return RetentionBasis::Complete;
    if (name == "last-write")
        return RetentionBasis::LastWrite;
    return std::nullopt;
}

std::string_view expireActionName(ExpireAction a) {
    return a == ExpireAction::Report ? "report" : "deallocate";
}

std::optional<ExpireAction> expireActionFromName(std::string_view name) {
    if (name == "deallocate")
        return ExpireAction::Deallocate;
    if (name == "report")
        return ExpireAction::Report;
    return std::nullopt;
}

std::string allocationName(AllocationPolicy a, AllocationPeriod p) {
    switch (a) {
        case AllocationPolicy::Continue:
            return "continue";
        case AllocationPolicy::New:
            return "new";
        case AllocationPolicy::Period:
            break;
    }
    switch (p) {
        case AllocationPeriod::Day:
            return "per-day";
        case AllocationPeriod::Week:
            return "per-week";
        case AllocationPeriod::Month:
            return "per-month";
    }
    return "per-day";
}

bool allocationFromName(std::string_view name, AllocationPolicy &a, AllocationPeriod &p) {
    p = AllocationPeriod::Day;
    if (name == "continue")
        a = AllocationPolicy::Continue;
    else if (name == "new")
        a = AllocationPolicy::New;
    else if (name == "per-day")
        a = AllocationPolicy::Period;
    else if (name == "per-week")
        a = AllocationPolicy::Period, p = AllocationPeriod::Week;
    else if (name == "per-month")
        a = AllocationPolicy::Period, p = AllocationPeriod::Month;
    else
        return false;
    return true;
}

std::string_view mediaLifeName(MediaLife l) {
    switch (l) {
        case MediaLife::Active:
            return "active";
        case MediaLife::Full:
            return "full";
        case MediaLife::Damaged:
            return "damaged";
        case MediaLife::Retired:
            return "retired";
    }
    return "active";
}

std::optional<MediaLife> mediaLifeFromName(std::string_view name) {
    for (MediaLife l : {MediaLife::Active, MediaLife::Full, MediaLife::Damaged, MediaLife::Retired})
        if (name == mediaLifeName(l))
            return l;
    return std::nullopt;
}

}  // namespace rsm::engine
