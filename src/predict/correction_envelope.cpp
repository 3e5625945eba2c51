#include "snnipred/predict/correction_envelope.h"

#include <algorithm>

#include "snnipred/core/error.h"

namespace snnipred::predict {

namespace {

// 1e-4 in a log is 0.01 %: plenty for a clamp, and a value rounded so is saved in a few
// digits (a bundle holds one point per training row) and read back exactly.
double quantize(double value) { return std::round(value * 1e4) / 1e4; }

}  // namespace

CorrectionEnvelope::CorrectionEnvelope(std::vector<Point> points) : points_(std::move(points)) {
    for (Point& p : points_) {
        SNNIPRED_CHECK(std::isfinite(p.log_base) && std::isfinite(p.correction), InvalidInput,
                       "correction envelope: a point is not finite");
        p = {quantize(p.log_base), quantize(p.correction)};
    }
    std::sort(points_.begin(), points_.end(), [](const Point& a, const Point& b) {
        return a.log_base < b.log_base || (a.log_base == b.log_base && a.correction < b.correction);
    });
}

std::pair<double, double> CorrectionEnvelope::range(double log_base) const {
    const double radius = std::log(kNeighbourhoodFactor);
    const auto by_base = [](const Point& p, double x) { return p.log_base < x; };
    auto first = std::lower_bound(points_.begin(), points_.end(), log_base - radius, by_base);
    auto last = std::lower_bound(first, points_.end(), std::nextafter(log_base + radius, INFINITY), by_base);
    // Widen towards the nearer side until there are enough neighbours.
    while (static_cast<std::size_t>(last - first) < kMinNeighbours && (first != points_.begin() || last != points_.end())) {
        if (first == points_.begin())
            ++last;
        else if (last == points_.end() || log_base - std::prev(first)->log_base <= last->log_base - log_base)
            --first;
        else
            ++last;
    }
    const auto [low, high] = std::minmax_element(first, last, [](const Point& a, const Point& b) {
        return a.correction < b.correction;
    });
    return {low->correction, high->correction};
}

}  // namespace snnipred::predict
