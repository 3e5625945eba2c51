// The LSTM predictor correcting an analytical base (lstm.h, lstm_predictor.h).
#include <array>
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

using test_support::mape;
using test_support::synthetic_analytical;
using test_support::synthetic_samples;

LstmPredictorOptions analytical_base_options() {
    LstmPredictorOptions options;
    options.base = LstmBase::kAnalytical;
    options.trials = 2;
    options.max_epochs = 60;
    options.patience = 10;
    options.seed = 5;
    return options;
}

PartyTimes analytical_sum(const AnalyticalPredictor& analytical, const Network& network) {
    const NetworkPrediction p = predict_network(lower_network(network), analytical, "LAN");
    return {p.client_ms, p.server_ms};
}

// MAPE over `samples` of `predict`, client and server pooled.
template <class Predict>
double samples_mape(const std::vector<NetworkSample>& samples, Predict&& predict) {
    std::vector<double> predicted, actual;
    for (const NetworkSample& s : samples) {
        const PartyTimes t = predict(s.network);
        predicted.insert(predicted.end(), {t.client_ms, t.server_ms});
        actual.insert(actual.end(), {s.client_ms, s.server_ms});
    }
    return mape(predicted, actual);
}

// The base under-predicts every step by 20% (fitted on per-step times scaled by 0.8); the
// LSTM learns to correct it. The base's envelopes, which say it is right on its own
// (scaled) layers, would forbid that: this base has none.
TEST(LstmBase, CorrectsItsAnalyticalBaseInSample) {
    const std::vector<NetworkSample> samples = synthetic_samples(41, 60, 1, 5);
    const auto base = std::make_shared<AnalyticalPredictor>(test_support::without_envelopes(*synthetic_analytical(samples, 0.8)));
    LstmPredictor lstm(analytical_base_options(), "cheetah", LstmFitProgressCallback{}, base);
    lstm.fit(samples);
    const double base_error = samples_mape(samples, [&](const Network& n) { return analytical_sum(*base, n); });
    const double lstm_error = samples_mape(samples, [&](const Network& n) { return lstm.predict(n, "LAN"); });
    RecordProperty("base_mape_percent", std::to_string(base_error));
    RecordProperty("lstm_mape_percent", std::to_string(lstm_error));
    EXPECT_GT(base_error, 15.0);
    EXPECT_LE(lstm_error, base_error / 2);
}

// With the base's envelopes each step's correction stays within what the base's training
// layers of about the same analytical time showed: for a base fitted on the steps scaled by
// 0.8 the LSTM learns +22 % (1 / 0.8) from the networks, but may add only the base's own
// few-percent errors on those scaled steps.
TEST(LstmBase, CorrectionsAreClampedToTheEnvelopesOfTheBase) {
    const std::vector<NetworkSample> samples = synthetic_samples(41, 60, 1, 5);
    const auto base = synthetic_analytical(samples, 0.8);
    LstmPredictor lstm(analytical_base_options(), "cheetah", LstmFitProgressCallback{}, base);
    lstm.fit(samples);
    // The same LSTM on the base without envelopes: unclamped.
    const LstmPredictor unclamped(lstm.options(), "cheetah", lstm.models(),
                                  std::make_shared<AnalyticalPredictor>(test_support::without_envelopes(*base)));
    double clamped_total = 0, unclamped_total = 0;
    for (const NetworkSample& s : samples) {
        const PartyTimes predicted = lstm.predict(s.network, "LAN");
        clamped_total += predicted.client_ms;
        unclamped_total += unclamped.predict(s.network, "LAN").client_ms;
        const std::vector<ProtocolStep> steps = lower_network(s.network);
        const NetworkPrediction analytical = predict_network(steps, *base, "LAN");
        double low = 0, high = 0;  // the client's time with every correction at its bound
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const LinearModel* model = base->find_model(steps[i].record.kind, Party::kClient, "LAN");
            const double log_base = std::log(std::max(analytical.steps[i].client_ms, kMinLogTimeMs));
            const auto [lo, hi] = model->envelope.range(log_base);
            low += std::exp(log_base + lo);
            high += std::exp(log_base + hi);
        }
        EXPECT_GE(predicted.client_ms, low * (1 - 1e-9)) << s.name;
        EXPECT_LE(predicted.client_ms, high * (1 + 1e-9)) << s.name;
    }
    EXPECT_LT(clamped_total, 0.9 * unclamped_total);  // the clamp binds: most of the +22 % is gone
}

// A zero correction (the head's output layer zeroed) predicts the analytical sum.
TEST(LstmBase, ZeroCorrectionPredictsTheAnalyticalSum) {
    const std::vector<NetworkSample> samples = synthetic_samples(42, 8, 1, 4);
    const auto base = synthetic_analytical(samples);
    LstmPredictorOptions options = analytical_base_options();
    options.trials = 1;
    options.max_epochs = 3;
    LstmPredictor fitted(options, "cheetah", LstmFitProgressCallback{}, base);
    fitted.fit(samples);
    const LstmRegressor& trained = fitted.models().at("LAN").front();
    std::vector<MlpDenseLayer> head = trained.head_layers();
    head.back().weight.setZero();
    head.back().bias.setZero();
    const LstmRegressor zero(trained.head(), trained.config(), trained.feature_standardizer(), trained.input_range(),
                             trained.lstm_layers(), std::move(head), LstmBase::kAnalytical);
    const LstmPredictor predictor(options, "cheetah", std::map<std::string, std::vector<LstmRegressor>>{{"LAN", {zero}}}, base);
    for (const NetworkSample& s : synthetic_samples(43, 5, 2, 8)) {
        const PartyTimes expected = analytical_sum(*base, s.network);
        const PartyTimes got = predictor.predict(s.network, "LAN");
        EXPECT_NEAR(got.client_ms, expected.client_ms, 1e-9 * expected.client_ms);
        EXPECT_NEAR(got.server_ms, expected.server_ms, 1e-9 * expected.server_ms);
    }
}

TEST(LstmBase, ExplainsAMissingBaseOrTheWrongHead) {
    const std::vector<NetworkSample> samples = synthetic_samples(44, 6, 1, 2);
    const auto base = synthetic_analytical(samples);
    LstmPredictorOptions options = analytical_base_options();
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmPredictor(options, "cheetah", LstmFitProgressCallback{}, nullptr); },
        "needs the fitted analytical model");
    options.head = LstmHead::kLastState;
    test_support::expect_error_containing<InvalidInput>(
        [&] { LstmPredictor(options, "cheetah", LstmFitProgressCallback{}, base); }, "only the step-sum head");

    // A model trained without a base does not fit a recipe with one (and back).
    LstmPredictorOptions none = analytical_base_options();
    none.base = LstmBase::kNone;
    none.trials = 1;
    none.max_epochs = 2;
    LstmPredictor plain(none);
    plain.fit(samples);
    EXPECT_THROW(LstmPredictor(analytical_base_options(), "cheetah", plain.models(), base), InvalidInput);
    EXPECT_EQ(LstmPredictor(none, "cheetah", plain.models(), base).base(), nullptr);

    LstmPredictor corrected(analytical_base_options(), "cheetah", LstmFitProgressCallback{}, base);
    EXPECT_EQ(corrected.features(samples[0].network, "LAN").cols(), plain.features(samples[0].network).cols() + 2);
    test_support::expect_error_containing<InvalidInput>([&] { corrected.features(samples[0].network, "WAN"); },
                                                        "WAN");
}

}  // namespace
}  // namespace snnipred::predict
