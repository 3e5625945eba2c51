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
#include "support/machine_profiles.h"

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
        {"shifted_relu", {simple_layer(LayerType::kShiftedRelu, "x", {"c"})}},
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

TEST(PredictionReport, NotesTheOtExtensionTheBundleWasProfiledWith) {
    const protocol::OtExtension profiled = default_bundle().manifest.ot;
    const protocol::OtExtension other =
        profiled == protocol::OtExtension::kIknp ? protocol::OtExtension::kFerret : protocol::OtExtension::kIknp;
    PredictQuery query;
    query.timing_runs = 1;
    query.ot = profiled;
    EXPECT_EQ(predict_report(network_of(engine_variants()[0]), default_bundle(), query).engine.note, "");
    query.ot = other;
    const std::string note = predict_report(network_of(engine_variants()[0]), default_bundle(), query).engine.note;
    EXPECT_NE(note.find("OT " + std::string(protocol::ot_extension_name(profiled)) + ")"), std::string::npos) << note;
    EXPECT_NE(note.find("OT " + std::string(protocol::ot_extension_name(other))), std::string::npos) << note;
}

// The default bundle with `profiled` as its profiling machine's profile.
Bundle bundle_profiled_on(const machine::MachineProfile& profiled) {
    Bundle bundle = load_bundle(std::filesystem::path(SNNIPRED_SOURCE_DIR) / "predictors" / kDefaultBundleName);
    bundle.profiled_machine = profiled;
    return bundle;
}

std::shared_ptr<const machine::ChosenProfile> chosen(machine::MachineProfile profile, bool reference) {
    return std::make_shared<const machine::ChosenProfile>(machine::ChosenProfile{std::move(profile), reference});
}

machine::MachineProfile twice_as_slow(machine::MachineProfile profile) {
    for (auto& [key, cost] : profile.costs) cost.seconds *= 2;
    profile.source = "a machine twice as slow";
    return profile;
}

TEST(PredictionReport, TrainedMethodsMoveToACalibratedMachineAndSayWhichMachineTheyAreFor) {
    const machine::MachineProfile profiled = test_support::distinct_profile();
    const Bundle bundle = bundle_profiled_on(profiled);
    const auto network = network_of(engine_variants()[7]);  // maxpool
    PredictQuery query;
    query.timing_runs = 1;
    const PredictionReport unmoved = predict_report(network, bundle, query);
    EXPECT_EQ(unmoved.engine.machine, "the machine the bundle was profiled on (test CPU, calibrated 2026-12-05T00:00:00Z)");

    query.target_machine = chosen(profiled, true);  // this machine is not calibrated
    const PredictionReport reference = predict_report(network, bundle, query);
    EXPECT_NE(reference.engine.machine.find("run `snnipred calibrate`"), std::string::npos);
    EXPECT_EQ(reference.per_step[0].prediction.client_ms, unmoved.per_step[0].prediction.client_ms);

    query.target_machine = chosen(twice_as_slow(profiled), false);
    PredictionReport slow = predict_report(network, bundle, query);
    EXPECT_NE(slow.engine.machine.find("a machine twice as slow"), std::string::npos) << slow.engine.machine;
    ASSERT_EQ(slow.per_step.size(), unmoved.per_step.size());
    for (std::size_t m = 0; m < slow.per_step.size(); ++m) {
        // The LAN link's share of each step keeps the ratio below 2.
        const double ratio = slow.per_step[m].prediction.server_ms / unmoved.per_step[m].prediction.server_ms;
        EXPECT_GT(ratio, 1.05) << slow.per_step[m].name;
        EXPECT_LE(ratio, 2.0 + 1e-9) << slow.per_step[m].name;
    }
    for (std::size_t m = 0; m < slow.whole.size(); ++m)
        EXPECT_GT(slow.whole[m].times.client_ms, unmoved.whole[m].times.client_ms) << slow.whole[m].name;
    EXPECT_NE(slow.to_json()["engine"]["machine"].get<std::string>().find("moved from"), std::string::npos);
}

TEST(PredictionReport, ABundleWithoutItsMachinesProfileSaysItCannotMove) {
    Bundle bundle = bundle_profiled_on(test_support::distinct_profile());
    bundle.profiled_machine.reset();  // as bundles trained without --machine
    PredictQuery query;
    query.timing_runs = 1;
    query.target_machine = chosen(twice_as_slow(test_support::distinct_profile()), false);
    const PredictionReport report = predict_report(network_of(engine_variants()[0]), bundle, query);
    EXPECT_NE(report.engine.machine.find("holds no profile"), std::string::npos) << report.engine.machine;
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
