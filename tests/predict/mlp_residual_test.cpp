// The residual target of the MLP predictor (mlp_predictor.h): a learned correction of the
// analytical model.
#include <cmath>
#include <memory>
#include <random>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/mlp_predictor.h"
#include "support/expect_error.h"
#include "support/synthetic_step_records.h"

namespace snnipred::predict {
namespace {

// A ReLU layer whose time is linear in its size times a smooth factor that grows with the
// size (1.0 for small layers to 1.25 for huge ones): what the analytical model's linear
// law misses and an MLP should learn.
LayerRecord relu(double n) {
    LayerRecord r;
    r.kind = LayerKind::kRelu;
    r.setting = "LAN";
    r.raw = {{"N", n}};
    r.time_ms = (3 + 0.01 * n) * (1 + 0.25 * n / (n + 20000));
    return r;
}

// `count` layers with N log-uniform in [low, high].
std::vector<LayerRecord> relus(std::uint64_t seed, int count, double low, double high) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> exponent(std::log(low), std::log(high));
    std::vector<LayerRecord> records;
    for (int i = 0; i < count; ++i) records.push_back(relu(std::round(std::exp(exponent(rng)))));
    return records;
}

double mape(const Predictor& predictor, const std::vector<LayerRecord>& records) {
    double sum = 0;
    for (const LayerRecord& r : records) sum += std::abs(predictor.predict(r) - r.time_ms) / r.time_ms;
    return 100 * sum / static_cast<double>(records.size());
}

MlpPredictorOptions options(MlpTarget target) {
    MlpPredictorOptions o;
    o.trials = 2;
    o.seed = 3;
    o.target = target;
    return o;
}

const AnalyticalOptions kProtocol{FeatureSet::kProtocol};

// Test layers up to 3x larger than any training layer: the time MLP cannot follow them
// (its prediction is clamped to twice the largest training time), the residual one rides
// on the analytical model's linear extrapolation and adds its bounded correction.
TEST(MlpResidual, ExtrapolatesToLargerLayersBetterThanTheTimeTarget) {
    const std::vector<LayerRecord> train = relus(1, 200, 1e3, 5e4);
    const std::vector<LayerRecord> larger = relus(2, 50, 6e4, 1.5e5);
    MlpPredictor time(options(MlpTarget::kTime), {}, kProtocol);
    MlpPredictor residual(options(MlpTarget::kResidual), {}, kProtocol);
    time.fit(train);
    residual.fit(train);
    const double time_error = mape(time, larger);
    const double residual_error = mape(residual, larger);
    RecordProperty("time_mape_percent", std::to_string(time_error));
    RecordProperty("residual_mape_percent", std::to_string(residual_error));
    EXPECT_LT(residual_error, 5.0);
    EXPECT_LT(residual_error, time_error / 3);
    EXPECT_LT(mape(residual, train), 5.0);
}

// A regressor whose output layer is zero predicts exactly the offset: a zero correction.
MlpRegressor zero_correction(const MlpRegressor& trained, double offset) {
    std::vector<MlpDenseLayer> layers = trained.layers();
    layers.back().weight.setZero();
    layers.back().bias.setZero();
    return MlpRegressor(trained.input_standardizer(), offset, 1.0, std::move(layers), trained.config());
}

// A residual predictor of one tuning trial fitted on 40 ReLUs of 1e3..5e4 elements.
MlpPredictor quick_residual(std::uint64_t seed) {
    MlpPredictorOptions o = options(MlpTarget::kResidual);
    o.trials = 1;
    MlpPredictor predictor(o, {}, kProtocol);
    predictor.fit(relus(seed, 40, 1e3, 5e4));
    return predictor;
}

TEST(MlpResidual, ZeroCorrectionPredictsTheAnalyticalModel) {
    const MlpPredictor fitted = quick_residual(3);
    ASSERT_NE(fitted.base(), nullptr);
    EXPECT_EQ(fitted.name(), "mlp/raw+protocol/residual");

    // Without the base's envelope, whose neighbours need not straddle zero, the clamp is
    // the whole training range widened by kCorrectionMargin, which holds zero.
    std::map<MlpPredictor::Key, MlpPredictor::Model> models = fitted.models();
    for (auto& [key, model] : models) model.regressor = zero_correction(model.regressor, model.correction_offset);
    const MlpPredictor zero(fitted.options(), models,
                            std::make_shared<AnalyticalPredictor>(test_support::without_envelopes(*fitted.base())));
    for (const LayerRecord& r : relus(4, 20, 1e2, 1e6)) {
        const double analytical = std::max(fitted.base()->predict(r), kMinLogTimeMs);
        EXPECT_NEAR(zero.predict(r), analytical, 1e-12 * analytical) << r.raw_value("N");
    }
}

TEST(MlpResidual, CorrectionIsClampedToTheEnvelopeOfItsBase) {
    const MlpPredictor fitted = quick_residual(5);
    std::map<MlpPredictor::Key, MlpPredictor::Model> models = fitted.models();
    ASSERT_EQ(models.size(), 1u);
    MlpPredictor::Model& model = models.begin()->second;
    const CorrectionEnvelope& envelope = fitted.base()->models().begin()->second.envelope;
    ASSERT_EQ(envelope.points().size(), 40u);  // one point per training row
    // A correction of +3 (20x) is far beyond any training row's (the times are within 25 %
    // of linear), so every prediction is the analytical one times e^(its envelope's max).
    model.regressor = zero_correction(model.regressor, model.correction_offset + 3.0);
    const MlpPredictor large(fitted.options(), models, fitted.base());
    const std::vector<LayerRecord> layers = relus(8, 20, 1e2, 1e6);
    for (const LayerRecord& r : layers) {
        const double analytical = std::max(fitted.base()->predict(r), kMinLogTimeMs);
        const double high = envelope.range(std::log(analytical)).second;
        EXPECT_NEAR(large.predict(r), analytical * std::exp(high), 1e-9 * analytical) << r.raw_value("N");
    }
    EXPECT_EQ(large.predict_many(layers)[3], large.predict(layers[3]));
    // A base saved before envelopes existed: the MLP's whole training range plus the margin.
    const auto without_envelope = std::make_shared<AnalyticalPredictor>(test_support::without_envelopes(*fitted.base()));
    const MlpPredictor old(fitted.options(), models, without_envelope);
    for (const LayerRecord& r : layers) {
        const double analytical = std::max(fitted.base()->predict(r), kMinLogTimeMs);
        EXPECT_NEAR(old.predict(r), analytical * std::exp(model.max_correction + MlpPredictor::kCorrectionMargin),
                    1e-9 * analytical)
            << r.raw_value("N");
    }
}

TEST(MlpResidual, RestoredResidualModelNeedsItsAnalyticalBase) {
    const std::vector<LayerRecord> train = relus(6, 12, 1e3, 5e4);
    MlpPredictorOptions o = options(MlpTarget::kResidual);
    o.trials = 1;
    MlpPredictor predictor(o, {}, kProtocol);
    predictor.fit(train);
    test_support::expect_error_containing<InvalidInput>([&] { MlpPredictor(o, predictor.models()); },
                                                        "residual target needs the analytical model");
    // The time target reads one input less.
    EXPECT_THROW(MlpPredictor(options(MlpTarget::kTime), predictor.models(), predictor.base()), InvalidInput);
}

TEST(MlpResidual, ParsesTargetNames) {
    EXPECT_EQ(parse_mlp_target("time"), MlpTarget::kTime);
    EXPECT_EQ(parse_mlp_target(mlp_target_name(MlpTarget::kResidual)), MlpTarget::kResidual);
    EXPECT_THROW(parse_mlp_target("ratio"), InvalidInput);
}

}  // namespace
}  // namespace snnipred::predict
