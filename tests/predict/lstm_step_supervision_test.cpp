// Per-step supervision of the LSTM (LstmTrainingData::step_times) and its per-step outputs.
#include <cmath>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/lstm.h"
#include "snnipred/predict/lstm_predictor.h"
#include "support/expect_error.h"
#include "support/synthetic_networks.h"

namespace snnipred::predict {
namespace {

using test_support::step_cost_ms;
using test_support::synthetic_samples;

// Sequences of `samples` (no base) and, with `per_step`, their steps' known costs.
LstmTrainingData training_data(const std::vector<NetworkSample>& samples, bool per_step) {
    const LstmPredictor featuriser;
    LstmTrainingData data;
    data.times.resize(static_cast<Eigen::Index>(samples.size()), 2);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        data.sequences.push_back(featuriser.features(samples[i].network));
        data.times.row(static_cast<Eigen::Index>(i)) << samples[i].client_ms, samples[i].server_ms;
        if (!per_step) continue;
        const std::vector<ProtocolStep> steps = lower_network(samples[i].network);
        Eigen::MatrixXd times(2, static_cast<Eigen::Index>(steps.size()));
        for (std::size_t s = 0; s < steps.size(); ++s)
            times.col(static_cast<Eigen::Index>(s)) << step_cost_ms(steps[s]), 1.05 * step_cost_ms(steps[s]);
        data.step_times.push_back(std::move(times));
    }
    return data;
}

LstmConfig config() {
    LstmConfig c;
    c.hidden = 16;
    c.fc_layers = 1;
    c.fc_width = 16;
    c.learning_rate = 0.01;
    c.batch_size = 16;
    c.max_epochs = 60;
    c.patience = 0;
    return c;
}

// Time-weighted mean |log error| of the client's per-step times over `samples`.
double step_error(const LstmRegressor& model, const std::vector<NetworkSample>& samples) {
    const LstmTrainingData truth = training_data(samples, true);
    double error = 0, total = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const Eigen::MatrixXd predicted = model.predict_steps(truth.sequences[i]);
        const Eigen::MatrixXd& actual = truth.step_times[i];
        for (Eigen::Index s = 0; s < actual.cols(); ++s) {
            error += actual(0, s) * std::abs(std::log(predicted(0, s) / actual(0, s)));
            total += actual(0, s);
        }
    }
    return error / total;
}

// Whole-network times alone do not say how a network's time splits between its steps (a
// conv is always followed by a ReLU); the measured per-step times do.
TEST(LstmStepSupervision, PerStepTimesTeachHowTheTimeSplitsBetweenSteps) {
    const std::vector<NetworkSample> train = synthetic_samples(61, 80, 1, 4);
    const std::vector<NetworkSample> test = synthetic_samples(62, 20, 1, 4);
    const LstmRegressor totals_only = LstmRegressor::train(training_data(train, false), config(), LstmHead::kStepSum, 7);
    const LstmRegressor per_step = LstmRegressor::train(training_data(train, true), config(), LstmHead::kStepSum, 7);
    const double without = step_error(totals_only, test), with = step_error(per_step, test);
    RecordProperty("step_error_totals_only", std::to_string(without));
    RecordProperty("step_error_per_step", std::to_string(with));
    EXPECT_LT(with, without / 2);
}

TEST(LstmStepSupervision, PredictStepsAreWhatPredictSums) {
    const std::vector<NetworkSample> samples = synthetic_samples(63, 8, 1, 3);
    LstmConfig quick = config();
    quick.max_epochs = 3;
    const LstmTrainingData data = training_data(samples, true);
    const LstmRegressor model = LstmRegressor::train(data, quick, LstmHead::kStepSum, 1);
    for (const Eigen::MatrixXd& s : data.sequences) {
        const Eigen::MatrixXd steps = model.predict_steps(s);
        ASSERT_EQ(steps.cols(), s.rows());
        const std::array<double, 2> total = model.predict(s);
        EXPECT_NEAR(steps.row(0).sum(), total[0], 1e-9 * total[0]);
        EXPECT_NEAR(steps.row(1).sum(), total[1], 1e-9 * total[1]);
    }
    const LstmRegressor last_state = LstmRegressor::train(training_data(samples, false), quick, LstmHead::kLastState, 1);
    test_support::expect_error_containing<InvalidInput>([&] { last_state.predict_steps(data.sequences.front()); },
                                                        "only the step-sum head");
}

TEST(LstmStepSupervision, RejectsPerStepTimesThatDoNotFit) {
    const std::vector<NetworkSample> samples = synthetic_samples(64, 6, 1, 3);
    LstmTrainingData data = training_data(samples, true);
    data.step_times.front() = Eigen::MatrixXd::Ones(2, data.sequences.front().rows() + 1);
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmRegressor::train(data, config(), LstmHead::kStepSum, 1); }, "per-step times must be 2 x steps");
    data = training_data(samples, true);
    data.step_times.front()(1, 0) = 0;
    EXPECT_THROW(LstmRegressor::train(data, config(), LstmHead::kStepSum, 1), InvalidInput);
    data = training_data(samples, true);
    data.step_times.pop_back();
    EXPECT_THROW(LstmRegressor::train(data, config(), LstmHead::kStepSum, 1), InvalidInput);
    data = training_data(samples, true);
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmRegressor::train(data, config(), LstmHead::kLastState, 1); }, "step-sum head");
    data.step_times.front() = Eigen::MatrixXd(2, 0);  // a network without per-step times is fine
    EXPECT_NO_THROW(LstmRegressor::train(data, LstmConfig{8, 1, 0, 8, 0.01, 8, 1, 0}, LstmHead::kStepSum, 1));
}

}  // namespace
}  // namespace snnipred::predict
