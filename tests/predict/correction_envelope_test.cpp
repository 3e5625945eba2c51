// The local correction range of residual models (correction_envelope.h).
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/correction_envelope.h"

namespace snnipred::predict {
namespace {

using Point = CorrectionEnvelope::Point;

// Points at log bases 0, 1, ..., count - 1 whose correction is `correction(i)`.
template <typename F>
CorrectionEnvelope ladder(int count, F correction) {
    std::vector<Point> points;
    for (int i = count - 1; i >= 0; --i) points.push_back({static_cast<double>(i), correction(i)});
    return CorrectionEnvelope(std::move(points));
}

TEST(CorrectionEnvelope, SortsItsPointsByBase) {
    const CorrectionEnvelope envelope = ladder(4, [](int i) { return 0.1 * i; });
    ASSERT_EQ(envelope.points().size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(envelope.points()[i].log_base, static_cast<double>(i));
}

TEST(CorrectionEnvelope, RangeOfTheRowsWithinAFactorTwoWhenThereAreEnough) {
    // Eleven rows at every log base, corrections 0.01 * base plus -0.05..+0.05: the rows
    // within ln 2 = 0.69 of log base 5 are exactly the eleven at 5.
    std::vector<Point> points;
    for (int base = 0; base < 10; ++base)
        for (int k = -5; k <= 5; ++k) points.push_back({static_cast<double>(base), 0.01 * base + 0.01 * k});
    const CorrectionEnvelope envelope(std::move(points));
    const auto [low, high] = envelope.range(5.0);
    EXPECT_DOUBLE_EQ(low, 0.0);
    EXPECT_DOUBLE_EQ(high, 0.1);
    const auto [low_between, high_between] = envelope.range(5.5);  // both 5 and 6 are within ln 2
    EXPECT_DOUBLE_EQ(low_between, 0.0);
    EXPECT_DOUBLE_EQ(high_between, 0.11);
}

TEST(CorrectionEnvelope, TakesTheNearestRowsWhenTooFewAreWithinAFactorTwo) {
    // One row per unit of log base: the five nearest to 10 are 8..12.
    const CorrectionEnvelope envelope = ladder(30, [](int i) { return i == 7 || i == 13 ? 5.0 : 0.01 * i; });
    const auto [low, high] = envelope.range(10.0);
    EXPECT_DOUBLE_EQ(low, 0.08);
    EXPECT_DOUBLE_EQ(high, 0.12);
}

TEST(CorrectionEnvelope, BeyondTheTrainingBasesTheOuterRowsBound) {
    const CorrectionEnvelope envelope = ladder(30, [](int i) { return i < 25 ? 1.0 : -0.01 * i; });
    const auto [low, high] = envelope.range(100.0);  // far above the largest training base
    EXPECT_DOUBLE_EQ(low, -0.29);
    EXPECT_DOUBLE_EQ(high, -0.25);
    const auto [low_small, high_small] = ladder(3, [](int i) { return 0.1 * i; }).range(-40.0);
    EXPECT_DOUBLE_EQ(low_small, 0.0);  // fewer rows than kMinNeighbours: all of them
    EXPECT_DOUBLE_EQ(high_small, 0.2);
}

TEST(CorrectionEnvelope, RejectsNonFinitePoints) {
    EXPECT_THROW(CorrectionEnvelope({{0.0, std::numeric_limits<double>::quiet_NaN()}}), InvalidInput);
    EXPECT_THROW(CorrectionEnvelope({{std::numeric_limits<double>::infinity(), 0.0}}), InvalidInput);
}

}  // namespace
}  // namespace snnipred::predict
