// predict_report with the bundled default predictor: every layer type and variant the
// engine runs gets a finite, positive prediction from every method on both settings, and
// the report's bytes and rounds are the protocol plan's.

#include <cmath>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/model/network.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/predict/prediction_report.h"
#include "support/expect_error.h"

namespace snnipred::predict {
namespace {

const Bundle& default_bundle() {
    static const Bundle bundle = load_bundle(std::filesystem::path(SNNIPRED_SOURCE_DIR) / "predictors" / kDefaultBundleName);
    return bundle;
}

struct Variant {
    std::string name;
    std::vector<Layer> layers;  // after an 8x16x16 input and a 3x3 conv named "c"
};

Layer with_window(Layer layer, Padding padding) {
    layer.window.padding = padding;
    return layer;
}

std::vector<Variant> engine_variants() {
    const auto relu6 = simple_layer(LayerType::kRelu6, "x", {"c"});
    Layer pad = simple_layer(LayerType::kPad, "x", {"c"});
    pad.window.pad_top = pad.window.pad_left = 1;
    pad.window.pad_bottom = pad.window.pad_right = 2;
    return {
        {"conv_3x3_pad1", {conv_layer("x", "c", 16, 3, 1, 1)}},
        {"conv_strided_bias", {conv_layer("x", "c", 16, 3, 2, 1, 1, true)}},
        {"conv_1x1", {conv_layer("x", "c", 32, 1)}},
        {"conv_5x5_same", {with_window(conv_layer("x", "c", 8, 5), Padding::kSame)}},
        {"conv_depthwise", {conv_layer("x", "c", 8, 3, 1, 1, 8)}},
        {"conv_grouped", {conv_layer("x", "c", 16, 3, 1, 1, 2)}},
        {"fc", {simple_layer(LayerType::kFlatten, "f", {"c"}), fc_layer("x", "f", 10)}},
        {"maxpool_2x2", {pool_layer(LayerType::kMaxPool, "x", "c", 2, 2)}},
        {"maxpool_3x3_pad1", {pool_layer(LayerType::kMaxPool, "x", "c", 3, 2, 1)}},
        {"maxpool_ceil", {pool_layer(LayerType::kMaxPool, "x", "c", 3, 2, 0, true)}},
        {"maxpool_same", {with_window(pool_layer(LayerType::kMaxPool, "x", "c", 3, 2), Padding::kSame)}},
        {"avgpool_2x2", {pool_layer(LayerType::kAvgPool, "x", "c", 2, 2)}},
        {"avgpool_3x3_pad1", {pool_layer(LayerType::kAvgPool, "x", "c", 3, 1, 1)}},
        {"avgpool_ceil", {pool_layer(LayerType::kAvgPool, "x", "c", 3, 2, 0, true)}},
        {"global_avgpool", {simple_layer(LayerType::kGlobalAvgPool, "x", {"c"})}},
        {"relu", {simple_layer(LayerType::kRelu, "x", {"c"})}},
        {"relu6", {relu6}},
        {"batchnorm", {simple_layer(LayerType::kBatchNorm, "x", {"c"})}},
        {"residual_add", {conv_layer("d", "c", 8, 3, 1, 1), simple_layer(LayerType::kAdd, "x", {"c", "d"})}},
        {"concat", {conv_layer("d", "c", 4, 1), simple_layer(LayerType::kConcat, "x", {"c", "d"})}},
        {"pad", {pad}},
        {"identity", {simple_layer(LayerType::kIdentity, "x", {"c"})}},
    };
}

std::shared_ptr<const Network> network_of(const Variant& variant) {
    auto network = std::make_shared<Network>(variant.name, Shape{8, 16, 16});
    network->add(conv_layer("c", "input", 8, 3, 1, 1));
    for (const Layer& layer : variant.layers) network->add(layer);
    return network;
}

class EveryEngineLayer : public testing::TestWithParam<Variant> {};

TEST_P(EveryEngineLayer, HasAPredictionFromEveryMethodOnEverySetting) {
    const auto network = network_of(GetParam());
    for (const std::string& setting : default_bundle().manifest.settings) {
        PredictQuery query;
        query.setting = setting;
        query.timing_runs = 1;
        PredictionReport report = predict_report(network, default_bundle(), query);
        ASSERT_EQ(report.per_step.size() + report.whole.size(), default_bundle().manifest.recipe.methods.size());
        for (const MethodResult& method : report.per_step) {
            ASSERT_EQ(method.prediction.steps.size(), report.steps().size());
            for (const StepPrediction& step : method.prediction.steps) {
                EXPECT_TRUE(std::isfinite(step.client_ms) && step.client_ms >= 0) << method.name;
                EXPECT_TRUE(std::isfinite(step.server_ms) && step.server_ms >= 0) << method.name;
            }
            EXPECT_GT(method.prediction.client_ms, 0) << method.name << " " << setting;
        }
        for (const WholeNetworkResult& whole : report.whole)
            EXPECT_TRUE(std::isfinite(whole.times.client_ms) && whole.times.client_ms > 0) << whole.name;
    }
}

TEST(EveryEngineLayerList, CoversEveryLayerType) {
    std::set<LayerType> covered{LayerType::kInput, LayerType::kConv};
    for (const Variant& variant : engine_variants())
        for (const Layer& layer : variant.layers) covered.insert(layer.type);
    for (int type = 0; type <= static_cast<int>(LayerType::kIdentity); ++type)
        EXPECT_TRUE(covered.contains(static_cast<LayerType>(type)))
            << layer_type_name(static_cast<LayerType>(type)) << " has no variant here: add one";
}

INSTANTIATE_TEST_SUITE_P(DefaultBundle, EveryEngineLayer, testing::ValuesIn(engine_variants()),
                         [](const testing::TestParamInfo<Variant>& info) { return info.param.name; });

TEST(PredictionReport, StepBytesAreThePlansAndALinkMoveKeepsThem) {
    const auto network = network_of(engine_variants()[7]);  // maxpool: OT-heavy
    PredictQuery query;
    query.timing_runs = 1;
    PredictionReport lan = predict_report(network, default_bundle(), query);
    query.bandwidth_mbit = 50;
    query.rtt_ms = 100;
    PredictionReport slow = predict_report(network, default_bundle(), query);
    ASSERT_NE(lan.plan(), nullptr);
    std::int64_t steps_bytes = 0;
    for (std::size_t i = 0; i < lan.steps().size(); ++i) {
        steps_bytes += lan.step_comm(i)[party_index(Party::kClient)].bytes_sent;
        EXPECT_EQ(lan.step_comm(i)[0].bytes_sent, slow.step_comm(i)[0].bytes_sent);
    }
    const std::int64_t online = lan.plan()->total(Party::kClient, protocol::Phase::kOnline).comm.bytes_sent;
    EXPECT_GT(steps_bytes, 0);
    EXPECT_LE(steps_bytes, online);
    EXPECT_GT(slow.per_step[0].prediction.client_ms, lan.per_step[0].prediction.client_ms);
    EXPECT_NE(slow.engine.link.find("50 Mbit/s"), std::string::npos);
}

TEST(PredictionReport, ReportsTheEngineConfigurationAndWhereTimesDiffer) {
    PredictQuery query;
    query.he = protocol::HeSet::kSecure;
    query.truncation = "faithful";
    query.timing_runs = 1;
    const PredictionReport report = predict_report(network_of(engine_variants()[0]), default_bundle(), query);
    EXPECT_EQ(report.engine.backend, "snnipred");
    EXPECT_EQ(report.engine.truncation, "faithful");
    ASSERT_TRUE(report.engine.plan.has_value());
    EXPECT_TRUE(report.engine.plan->he.flooding);
    EXPECT_NE(report.engine.note.find("as profiled"), std::string::npos);
    EXPECT_NE(report.engine.describe().find("flooded responses"), std::string::npos);
}

TEST(PredictionReport, RejectsWhatTheBackendCannotDo) {
    PredictQuery query;
    query.truncation = "eager";  // Athos's placement, not an engine mode
    test_support::expect_error_containing<InvalidInput>(
        [&] { predict_report(network_of(engine_variants()[0]), default_bundle(), query); },
        "truncation for the snnipred backend");
    query.truncation.clear();
    query.setting = "MARS";
    EXPECT_THROW(predict_report(network_of(engine_variants()[0]), default_bundle(), query), InvalidInput);
    test_support::expect_error_containing<InvalidInput>(
        [] { predict_report(nullptr, default_bundle(), PredictQuery{}); }, "no network");
}

}  // namespace
}  // namespace snnipred::predict
