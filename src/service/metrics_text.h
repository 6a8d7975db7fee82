#pragma once
// Prometheus text exposition (format 0.0.4, which OpenMetrics scrapers also read): metric
// families with their HELP and TYPE lines and their samples, labels escaped as the format
// says. Pure: values in, text out.
// Thread-safety: values only.

#include <string>
#include <utility>
#include <vector>

namespace rsm::service::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
    Labels labels;
    double value = 0;
    std::string suffix;  // histograms: "_bucket", "_sum", "_count"; else empty
};

enum class Type { Counter, Gauge, Histogram };

struct Family {
    std::string name;  // rsm_…; a counter's ends in _total
    std::string help;
    Type type = Type::Gauge;
    std::vector<Sample> samples;
};

// A histogram's buckets (upper bounds, ascending) and what they counted.
struct Histogram {
    std::vector<double> bounds;
    std::vector<std::uint64_t> counts;  // per bucket, not cumulative; one more for +Inf
    double sum = 0;
    std::uint64_t count = 0;

    explicit Histogram(std::vector<double> upperBounds = {});
    void observe(double value);
    // Its samples (cumulative _bucket with le, _sum, _count) with `labels`, into `family`.
    void appendTo(Family &family, const Labels &labels) const;
};

// The families as text; a family without samples is left out.
std::string exposition(const std::vector<Family> &families);

// Label values: backslash, double quote and newline escaped.
std::string escapeLabel(const std::string &value);

}  // namespace rsm::service::metrics
