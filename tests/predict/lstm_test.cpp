#include "snnipred/predict/lstm.h"

#include <random>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/lstm_predictor.h"
#include "support/expect_error.h"
#include "support/synthetic_networks.h"
#include "support/synthetic_step_records.h"

namespace snnipred::predict {
namespace {

// Prediction runs in binary32 (as the weights are kept), the training forward pass in
// binary64: they agree to about 1e-7 relative; a masking or clamping error is far larger.
constexpr double kForwardPassAgreement = 1e-5;

// With base kAnalytical the steps carry the log times of an analytical model fitted on the
// samples' own steps.
LstmTrainingData training_data(std::uint64_t seed, int count, LstmBase base = LstmBase::kNone) {
    LstmTrainingData data;
    data.base = base;
    const auto samples = test_support::synthetic_samples(seed, count, 1, 4);
    LstmPredictorOptions options;
    options.base = base;
    const LstmPredictor featuriser(options, "cheetah", LstmFitProgressCallback{},
                                   base == LstmBase::kNone ? nullptr : test_support::synthetic_analytical(samples));
    data.times.resize(count, 2);
    for (int i = 0; i < count; ++i) {
        data.sequences.push_back(featuriser.features(samples[static_cast<std::size_t>(i)].network, "LAN"));
        data.times.row(i) << samples[static_cast<std::size_t>(i)].client_ms, samples[static_cast<std::size_t>(i)].server_ms;
    }
    return data;
}

LstmConfig small_config() {
    LstmConfig config;
    config.hidden = 8;
    config.fc_width = 8;
    config.max_epochs = 5;
    config.patience = 0;
    return config;
}

// The libtorch forward pass that training uses and the Eigen one agree, with and without
// an analytical base.
TEST(Lstm, PaddingDoesNotChangeThePrediction) {
    for (const auto& [head, base] : {std::pair{LstmHead::kStepSum, LstmBase::kNone},
                                     std::pair{LstmHead::kLastState, LstmBase::kNone},
                                     std::pair{LstmHead::kStepSum, LstmBase::kAnalytical}}) {
        const LstmTrainingData data = training_data(5, 12, base);
        const LstmRegressor model = LstmRegressor::train(data, small_config(), head, 3);
        ASSERT_EQ(model.base(), base);
        const std::string label = std::string(lstm_head_name(head)) + " base " + std::string(lstm_base_name(base));
        // Sequences of different lengths padded to the longest with wild values.
        for (double padding : {0.0, 1e3, -7.5}) {
            const auto batched = padded_batch_predict(model, data.sequences, padding);
            for (std::size_t i = 0; i < data.sequences.size(); ++i) {
                const auto alone = model.predict(data.sequences[i]);
                EXPECT_NEAR(batched[i][0], alone[0], kForwardPassAgreement * alone[0]) << label << " padding " << padding;
                EXPECT_NEAR(batched[i][1], alone[1], kForwardPassAgreement * alone[1]) << label << " padding " << padding;
            }
        }
    }
}

// Bounds of a step's corrections: the training forward pass clamps as predict() does, and
// bounds of [0, 0] everywhere leave exactly the analytical sum, whatever was trained.
TEST(Lstm, TrainingAndPredictionClampToTheSameBounds) {
    LstmTrainingData data = training_data(7, 12, LstmBase::kAnalytical);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> half_width(0.0, 0.05);
    for (const Eigen::MatrixXd& s : data.sequences) {
        LstmCorrectionBounds b{Eigen::MatrixXd(2, s.rows()), Eigen::MatrixXd(2, s.rows())};
        for (Eigen::Index t = 0; t < s.rows(); ++t)
            for (Eigen::Index p = 0; p < 2; ++p) {
                b.low(p, t) = -half_width(rng);
                b.high(p, t) = half_width(rng);
            }
        data.bounds.push_back(std::move(b));
    }
    const LstmRegressor model = LstmRegressor::train(data, small_config(), LstmHead::kStepSum, 3);
    const auto batched = padded_batch_predict(model, data.sequences, 1e3, &data.bounds);
    for (std::size_t i = 0; i < data.sequences.size(); ++i) {
        const auto alone = model.predict(data.sequences[i], &data.bounds[i]);
        EXPECT_NEAR(batched[i][0], alone[0], kForwardPassAgreement * alone[0]);
        EXPECT_NEAR(batched[i][1], alone[1], kForwardPassAgreement * alone[1]);
        const LstmCorrectionBounds zero{Eigen::MatrixXd::Zero(2, data.sequences[i].rows()),
                                        Eigen::MatrixXd::Zero(2, data.sequences[i].rows())};
        const Eigen::MatrixXd log_base = data.sequences[i].rightCols(2);
        const auto analytical = model.predict(data.sequences[i], &zero);
        EXPECT_NEAR(analytical[0], log_base.col(0).array().exp().sum(), 1e-9 * analytical[0]);
        EXPECT_NEAR(analytical[1], log_base.col(1).array().exp().sum(), 1e-9 * analytical[1]);
    }
    data.bounds.pop_back();
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmRegressor::train(data, small_config(), LstmHead::kStepSum, 3); }, "one per network");
}

TEST(Lstm, TrainingIsDeterministicGivenTheSeed) {
    const LstmTrainingData data = training_data(6, 10);
    const LstmRegressor a = tune_lstm(data, LstmHead::kStepSum, 2, 4, 2, 11);
    const LstmRegressor b = tune_lstm(data, LstmHead::kStepSum, 2, 4, 2, 11);
    EXPECT_EQ(a.save(), b.save());
    const LstmRegressor c = tune_lstm(data, LstmHead::kStepSum, 2, 4, 2, 12);
    EXPECT_NE(a.save(), c.save());
}

TEST(Lstm, SaveLoadRoundTripIsExact) {
    const LstmTrainingData data = training_data(7, 6);
    const LstmRegressor model = LstmRegressor::train(data, small_config(), LstmHead::kStepSum, 1);
    const LstmRegressor loaded = LstmRegressor::load(model.save(), "m");
    EXPECT_EQ(loaded.save(), model.save());
    for (const Eigen::MatrixXd& s : data.sequences) EXPECT_EQ(loaded.predict(s), model.predict(s));
}

TEST(Lstm, LoadRejectsInconsistentModels) {
    const LstmTrainingData data = training_data(7, 6);
    std::string text = LstmRegressor::train(data, small_config(), LstmHead::kStepSum, 1).save();
    test_support::expect_error_containing<InvalidInput>([&] { LstmRegressor::load(text.substr(0, text.size() / 2), "m.json"); },
                                                        "m.json: invalid LSTM model");
    text.replace(text.find("\"head\":\"step-sum\""), 17, "\"head\":\"last-state\"");
    test_support::expect_error_containing<InvalidInput>([&] { LstmRegressor::load(text, "m.json"); }, "dimensions");
}

TEST(Lstm, RejectsBadTrainingData) {
    LstmTrainingData data = training_data(8, 4);
    data.times(0, 1) = 0;
    EXPECT_THROW(LstmRegressor::train(data, small_config(), LstmHead::kStepSum, 1), InvalidInput);
    EXPECT_THROW(tune_lstm(LstmTrainingData{}, LstmHead::kStepSum, 1, 1, 1, 1), InvalidInput);
    const LstmTrainingData based = training_data(8, 4, LstmBase::kAnalytical);
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmRegressor::train(based, small_config(), LstmHead::kLastState, 1); }, "only the step-sum head");
}

// Beyond the longest training network the step-sum LSTM restarts its state every max_steps
// steps: a sequence of two such blocks costs what the two blocks cost alone.
TEST(Lstm, StepSumRestartsItsStateAfterTheLongestTrainingNetwork) {
    const LstmTrainingData data = training_data(4, 8, LstmBase::kAnalytical);
    const LstmRegressor model = LstmRegressor::train(data, small_config(), LstmHead::kStepSum, 2);
    const Eigen::Index longest = model.input_range().max_steps;
    ASSERT_GT(longest, 0);
    const Eigen::MatrixXd block = data.sequences.front().topRows(std::min<Eigen::Index>(longest, data.sequences.front().rows()));
    Eigen::MatrixXd padded_block = Eigen::MatrixXd::Zero(longest, block.cols());
    padded_block.topRows(block.rows()) = block;
    padded_block.bottomRows(longest - block.rows()).rowwise() = block.row(block.rows() - 1);
    Eigen::MatrixXd twice(2 * longest, block.cols());
    twice << padded_block, padded_block;
    const auto alone = model.predict(padded_block);
    const auto both = model.predict(twice);
    EXPECT_NEAR(both[0], 2 * alone[0], 1e-9 * alone[0]);
    EXPECT_NEAR(both[1], 2 * alone[1], 1e-9 * alone[1]);
    EXPECT_EQ(LstmRegressor::load(model.save(), "m").input_range().max_steps, longest);
}

TEST(Lstm, SaveLoadKeepsTheBase) {
    const LstmTrainingData data = training_data(9, 6, LstmBase::kAnalytical);
    const LstmRegressor model = LstmRegressor::train(data, small_config(), LstmHead::kStepSum, 1);
    const LstmRegressor loaded = LstmRegressor::load(model.save(), "m");
    EXPECT_EQ(loaded.base(), LstmBase::kAnalytical);
    for (const Eigen::MatrixXd& s : data.sequences) EXPECT_EQ(loaded.predict(s), model.predict(s));
    // Models without a base keep the bytes they had before bases existed.
    EXPECT_EQ(LstmRegressor::train(training_data(9, 6), small_config(), LstmHead::kStepSum, 1).save().find("\"base\""),
              std::string::npos);
}

}  // namespace
}  // namespace snnipred::predict
