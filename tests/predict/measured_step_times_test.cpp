#include "snnipred/predict/measured_step_times.h"

#include <gtest/gtest.h>

#include "support/synthetic_networks.h"
#include "support/synthetic_step_records.h"

namespace snnipred::predict {
namespace {

TEST(MeasuredStepTimes, LinesUpEachRunsRecordsWithItsSteps) {
    std::vector<NetworkSample> samples = test_support::synthetic_samples(3, 3, 1, 3);
    for (NetworkSample& s : samples) s.run = "r1";
    const std::vector<LayerRecord> records = test_support::synthetic_run_records(samples);
    const std::vector<Eigen::MatrixXd> times = measured_step_times(samples, records, LoweringOptions{});
    ASSERT_EQ(times.size(), samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const std::vector<ProtocolStep> steps = lower_network(samples[i].network);
        ASSERT_EQ(times[i].rows(), 2);
        ASSERT_EQ(times[i].cols(), static_cast<Eigen::Index>(steps.size()));
        for (std::size_t s = 0; s < steps.size(); ++s) {
            const double cost = test_support::step_cost_ms(steps[s]);
            EXPECT_DOUBLE_EQ(times[i](0, static_cast<Eigen::Index>(s)), cost);
            EXPECT_DOUBLE_EQ(times[i](1, static_cast<Eigen::Index>(s)), 1.05 * cost);
        }
    }
}

// Records that do not line up step by step give no per-step times rather than wrong ones.
TEST(MeasuredStepTimes, SkipsRunsWhoseRecordsDoNotLineUp) {
    std::vector<NetworkSample> samples = test_support::synthetic_samples(4, 4, 2, 3);
    for (NetworkSample& s : samples) s.run = "r1";
    std::vector<LayerRecord> records = test_support::synthetic_run_records(samples);
    const auto of = [&](std::size_t sample) {
        std::vector<LayerRecord*> mine;
        for (LayerRecord& r : records)
            if (r.source.network == samples[sample].name) mine.push_back(&r);
        return mine;
    };
    of(0).back()->source.run = "another run";  // one server step missing
    of(1).front()->kind = LayerKind::kMaxPool;  // a conv recorded as a max pool
    for (LayerRecord* r : of(2)) r->setting = "WAN";  // another setting
    const std::vector<Eigen::MatrixXd> times = measured_step_times(samples, records, LoweringOptions{});
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(times[i].cols(), 0) << samples[i].name;
    EXPECT_EQ(times[3].cols(), static_cast<Eigen::Index>(lower_network(samples[3].network).size()));
    EXPECT_EQ(measured_step_times(samples, {}, LoweringOptions{}).front().cols(), 0);
}

}  // namespace
}  // namespace snnipred::predict
