// The LSTM predictor correcting the per-layer MLP (LstmBase::kNn, lstm_predictor.h).
#include <cmath>
#include <memory>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/lstm_predictor.h"
#include "snnipred/predict/network_prediction.h"
#include "support/expect_error.h"
#include "support/synthetic_networks.h"
#include "support/synthetic_step_records.h"

namespace snnipred::predict {
namespace {

using test_support::synthetic_samples;

struct Bases {
    std::shared_ptr<const AnalyticalPredictor> analytical;
    std::shared_ptr<const MlpPredictor> nn;  // residual, on `analytical`
};

Bases fitted_bases(const std::vector<NetworkSample>& samples) {
    Bases bases{test_support::synthetic_analytical(samples), nullptr};
    MlpPredictorOptions options;
    options.trials = 1;
    options.seed = 3;
    options.target = MlpTarget::kResidual;
    auto nn = std::make_shared<MlpPredictor>(options, MlpFitProgressCallback{}, AnalyticalOptions{FeatureSet::kProtocol},
                                             bases.analytical);
    nn->fit(test_support::synthetic_step_records(samples));
    bases.nn = std::move(nn);
    return bases;
}

LstmPredictorOptions nn_base_options() {
    LstmPredictorOptions options;
    options.base = LstmBase::kNn;
    options.trials = 1;
    options.max_epochs = 3;
    options.seed = 5;
    return options;
}

// `trained`'s architecture with a head that outputs `correction` for every step.
LstmRegressor constant_correction(const LstmRegressor& trained, double correction) {
    std::vector<MlpDenseLayer> head = trained.head_layers();
    head.back().weight.setZero();
    head.back().bias.setConstant(correction);
    return LstmRegressor(trained.head(), trained.config(), trained.feature_standardizer(), trained.input_range(),
                         trained.lstm_layers(), std::move(head), trained.base());
}

class LstmNnBase : public ::testing::Test {
protected:
    void SetUp() override {
        fitted_.fit(samples_, test_support::synthetic_step_records(samples_));
    }
    LstmPredictor with_correction(double correction) const {
        return LstmPredictor(nn_base_options(), "cheetah",
                             std::map<std::string, std::vector<LstmRegressor>>{
                                 {"LAN", {constant_correction(fitted_.models().at("LAN").front(), correction)}}},
                             nullptr, bases_.nn);
    }

    const std::vector<NetworkSample> samples_ = synthetic_samples(51, 16, 1, 4);
    const Bases bases_ = fitted_bases(samples_);
    LstmPredictor fitted_{nn_base_options(), "cheetah", LstmFitProgressCallback{}, nullptr, bases_.nn};
};

TEST_F(LstmNnBase, ZeroCorrectionPredictsTheMlpSum) {
    EXPECT_EQ(fitted_.base(), bases_.analytical);
    EXPECT_EQ(fitted_.nn_base(), bases_.nn);
    const LstmPredictor zero = with_correction(0.0);
    for (const NetworkSample& s : synthetic_samples(52, 5, 2, 8)) {
        const NetworkPrediction expected = predict_network(lower_network(s.network), *bases_.nn, "LAN");
        const PartyTimes got = zero.predict(s.network, "LAN");
        EXPECT_NEAR(got.client_ms, expected.client_ms, 1e-9 * expected.client_ms);
        EXPECT_NEAR(got.server_ms, expected.server_ms, 1e-9 * expected.server_ms);
    }
}

// The MLP's and the LSTM's corrections together stay within the analytical model's
// envelope: a correction far beyond it lands each step on the envelope's end.
TEST_F(LstmNnBase, TheMlpAndLstmCorrectionsTogetherStayInTheEnvelope) {
    for (const double correction : {-5.0, 5.0}) {
        const LstmPredictor extreme = with_correction(correction);
        for (const NetworkSample& s : synthetic_samples(53, 4, 2, 6)) {
            const std::vector<ProtocolStep> steps = lower_network(s.network);
            const NetworkPrediction analytical = predict_network(steps, *bases_.analytical, "LAN");
            double expected = 0;  // the client's time with every step at the envelope's end
            for (std::size_t i = 0; i < steps.size(); ++i) {
                const LinearModel* model = bases_.analytical->find_model(steps[i].record.kind, Party::kClient, "LAN");
                const double log_base = std::log(std::max(analytical.steps[i].client_ms, kMinLogTimeMs));
                const auto [low, high] = model->envelope.range(log_base);
                expected += std::exp(log_base + (correction < 0 ? low : high));
            }
            EXPECT_NEAR(extreme.predict(s.network, "LAN").client_ms, expected, 1e-9 * expected) << s.name;
        }
    }
}

TEST_F(LstmNnBase, ExplainsAMissingOrMismatchedMlp) {
    test_support::expect_error_containing<InvalidInput>(
        [] { LstmPredictor(nn_base_options(), "cheetah", LstmFitProgressCallback{}, nullptr, nullptr); },
        "base nn needs the fitted per-layer MLP");
    const auto time_target = std::make_shared<MlpPredictor>(MlpPredictorOptions{});  // learns times: no base
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmPredictor(nn_base_options(), "cheetah", LstmFitProgressCallback{}, nullptr, time_target); },
        "target residual");
    const auto other = test_support::synthetic_analytical(samples_, 0.5);
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmPredictor(nn_base_options(), "cheetah", LstmFitProgressCallback{}, other, bases_.nn); },
        "the analytical model its MLP corrects");
    LstmPredictorOptions last_state = nn_base_options();
    last_state.head = LstmHead::kLastState;
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmPredictor(last_state, "cheetah", LstmFitProgressCallback{}, nullptr, bases_.nn); },
        "only the step-sum head");
}

}  // namespace
}  // namespace snnipred::predict
