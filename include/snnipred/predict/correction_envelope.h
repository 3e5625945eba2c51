#pragma once
// The local range of a residual model's corrections: how far the training layers of about
// the same analytical time were from the analytical model. A learned correction is clamped
// to it. A regressor that saw large corrections on some layers carries them over to
// neighbouring inputs: the WAN max-pool MLP added +8 to +17 % to SqueezeNet's and ResNet-50's
// max pools, whose training neighbours of similar analytical time were all within 1.5 % of
// the analytical model. The envelope keeps what training showed and nothing more.

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace snnipred::predict {

class CorrectionEnvelope {
public:
    /// One training row: natural log of its analytical time, and its log correction
    /// log(measured) - log(analytical).
    struct Point {
        double log_base = 0;
        double correction = 0;
    };

    /// Rows whose analytical time is within this factor of a layer's are its neighbours...
    static constexpr double kNeighbourhoodFactor = 2.0;
    /// ...and when there are fewer than this many, the nearest this many are.
    static constexpr std::size_t kMinNeighbours = 5;

    /// An empty envelope: no local limit.
    CorrectionEnvelope() = default;
    /// Rounds the values to 1e-4 (0.01 % in a log). Throws InvalidInput on a non-finite value.
    explicit CorrectionEnvelope(std::vector<Point> points);

    bool empty() const { return points_.empty(); }
    /// The points, sorted by log_base.
    const std::vector<Point>& points() const { return points_; }
    /// The [min, max] correction of the neighbours of a layer whose analytical time has
    /// natural log `log_base`. Requires !empty().
    std::pair<double, double> range(double log_base) const;

private:
    std::vector<Point> points_;
};

}  // namespace snnipred::predict
