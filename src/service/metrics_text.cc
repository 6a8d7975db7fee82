#include "src/service/metrics_text.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace rsm::service::metrics {

Histogram::Histogram(std::vector<double> upperBounds)
    : bounds(std::move(upperBounds)), counts(bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
    const auto at = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
    ++counts[static_cast<std::size_t>(at)];
    sum += value;
    ++count;
}

namespace {

std::string number(double v) {
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    if (std::isnan(v))
        return "NaN";
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{}", v);
}

const char *typeName(Type t) {
    switch (t) {
        case Type::Counter:
            return "counter";
        case Type::Histogram:
            return "histogram";
        case Type::Gauge:
            break;
    }
    return "gauge";
}

void appendLabels(std::string &out, const Labels &labels) {
    if (labels.empty())
        return;
    out += '{';
    bool first = true;
    for (const auto &[name, value] : labels) {
        if (!first)
            out += ',';
        first = false;
        out += name;
        out += "=\"";
        out += escapeLabel(value);
        out += '"';
    }
    out += '}';
}

}  // namespace

void Histogram::appendTo(Family &family, const Labels &labels) const {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += counts[i];
        Labels l = labels;
        l.emplace_back("le", i < bounds.size() ? number(bounds[i]) : "+Inf");
        family.samples.push_back(Sample{std::move(l), static_cast<double>(cumulative), "_bucket"});
    }
    family.samples.push_back(Sample{labels, sum, "_sum"});
    family.samples.push_back(Sample{labels, static_cast<double>(count), "_count"});
}

std::string escapeLabel(const std::string &value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string exposition(const std::vector<Family> &families) {
    std::string out;
    for (const Family &f : families) {
        if (f.samples.empty())
            continue;
        out +=
            fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, typeName(f.type));
        for (const Sample &s : f.samples) {
            out += f.name;
            out += s.suffix;
            appendLabels(out, s.labels);
            out += ' ';
            out += number(s.value);
            out += '\n';
        }
    }
    return out;
}

}  // namespace rsm::service::metrics
