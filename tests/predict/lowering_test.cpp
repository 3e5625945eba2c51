// Lowering of small hand-checked networks to Cheetah protocol steps, and the step counts
// of the Table 4 networks as OpenCheetah's generated programs run them.
#include "snnipred/predict/lowering.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/zoo.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::predict {
namespace {

// input 3x8x8 -> conv 4ch 3x3 pad 1 -> bn -> relu -> maxpool 2/2 -> conv 8ch 1x1 -> flatten -> fc 10
Network small_network() {
    Network net("small", Shape{3, 8, 8});
    net.add(conv_layer("conv1", "input", 4, 3, 1, 1));
    net.add(simple_layer(LayerType::kBatchNorm, "bn1", {"conv1"}));
    net.add(simple_layer(LayerType::kRelu, "relu1", {"bn1"}));
    net.add(pool_layer(LayerType::kMaxPool, "pool", "relu1", 2, 2));
    net.add(conv_layer("conv2", "pool", 8, 1));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"conv2"}));
    net.add(fc_layer("fc", "flat", 10));
    return net;
}

double raw(const ProtocolStep& step, const std::string& name) {
    for (const auto& [key, value] : step.record.raw)
        if (key == name) return value;
    ADD_FAILURE() << "no raw feature " << name;
    return -1;
}

// "kind" or "kind:N" per step, for compact expectations.
std::vector<std::string> describe(const std::vector<ProtocolStep>& steps) {
    std::vector<std::string> out;
    for (const ProtocolStep& step : steps) {
        std::string text(layer_kind_name(step.record.kind));
        if (step.record.kind == LayerKind::kTrunc || step.record.kind == LayerKind::kRelu)
            text += ":" + std::to_string(static_cast<long long>(raw(step, "N")));
        out.push_back(text);
    }
    return out;
}

TEST(Lowering, AthosTruncatesLazilyAndMovesReluAfterMaxPool) {
    // conv1 output (4x8x8 = 256) is truncated before bn; bn's output is rescaled inside the
    // ReLU, which runs after the pool on 4x4x4 = 64 elements; conv2's output (8x4x4 = 128)
    // is truncated before fc; fc's output is revealed without truncation.
    const std::vector<ProtocolStep> steps = lower_network(small_network());
    EXPECT_EQ(describe(steps), (std::vector<std::string>{"conv", "trunc:256", "bn", "maxpool", "relu:64", "conv",
                                                         "trunc:128", "fc"}));
    const Network net = small_network();
    EXPECT_EQ(net.layers()[steps[1].layer].name, "bn1");   // the rescale belongs to its reader
    EXPECT_EQ(net.layers()[steps[4].layer].name, "pool");  // the moved ReLU runs at the pool
    EXPECT_EQ(steps[2].record.variant, "BN2_3D");
}

TEST(Lowering, WithoutTheSwapReluRunsOnTheFullTensor) {
    LoweringOptions options;
    options.swap_relu_maxpool = false;
    EXPECT_EQ(describe(lower_network(small_network(), options)),
              (std::vector<std::string>{"conv", "trunc:256", "bn", "relu:256", "maxpool", "conv", "trunc:128", "fc"}));
}

TEST(Lowering, EagerTruncatesEveryProductOutput) {
    LoweringOptions options;
    options.truncation = TruncationPlacement::kEager;
    EXPECT_EQ(describe(lower_network(small_network(), options)),
              (std::vector<std::string>{"conv", "trunc:256", "bn", "trunc:256", "maxpool", "relu:64", "conv",
                                        "trunc:128", "fc", "trunc:10"}));
}

TEST(Lowering, SnnipredBackendRunsAsTheSecureEngine) {
    // The engine truncates every product at once, average pools included, keeps ReLU
    // before MaxPool, and clips ReLU6 in one step, a ReLU of twice its values (x and
    // x - 6) to the predictors (tests/profile checks the steps against traces).
    Network net("engine", Shape{2, 4, 4});
    net.add(conv_layer("c", "input", 3, 1));
    net.add(simple_layer(LayerType::kRelu6, "r6", {"c"}));
    net.add(pool_layer(LayerType::kAvgPool, "ap", "r6", 2, 2));
    net.add(simple_layer(LayerType::kRelu, "r", {"ap"}));
    net.add(pool_layer(LayerType::kMaxPool, "mp", "r", 2, 2));
    const std::vector<ProtocolStep> steps = lower_network(net, engine_span_lowering());
    EXPECT_EQ(describe(steps),
              (std::vector<std::string>{"conv", "trunc:48", "relu:96", "avgpool", "trunc:12", "relu:12", "maxpool"}));
    EXPECT_EQ(steps[2].plan_kind, protocol::StepKind::kRelu6);
    EXPECT_TRUE(truncates_previous_step(steps, 1));
    EXPECT_FALSE(truncates_previous_step(steps, 2));
    // The backend's own lowering folds each layer's truncation into its product.
    EXPECT_EQ(describe(lower_network(net, lowering_for_backend("snnipred"))),
              (std::vector<std::string>{"conv", "relu:96", "avgpool", "relu:12", "maxpool"}));
}

// With Ferret, every lowered step carries the refills of the plan steps it stands for (a
// fused truncation's included), so they add up to the run's; with IKNP they are 0. Either
// way the first comparison (here the ReLU, not the max pool after it) is marked.
TEST(Lowering, FerretStepsCarryTheRefillsOfTheirPlanSteps) {
    Network net("refilling", Shape{64, 160, 160});  // 1.6 M ReLUs: more COTs than one batch
    net.add(conv_layer("c", "input", 64, 1));
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    net.add(pool_layer(LayerType::kMaxPool, "mp", "r", 2, 2));
    const protocol::ProtocolPlan plan =
        protocol::plan_protocol(net, profiled_plan_options(protocol::OtExtension::kFerret));
    double planned = 0;
    for (const protocol::PlanStep& step : plan.steps) planned += step.ots_in_either_role(&protocol::OtCounts::cot_refills);
    ASSERT_GE(planned, 2);

    const std::vector<ProtocolStep> steps = lower_network(net, lowering_for_backend("snnipred", protocol::OtExtension::kFerret));
    ASSERT_EQ(steps.size(), 3u);  // conv with its truncation, relu, maxpool
    double lowered = 0;
    for (const ProtocolStep& step : steps) {
        double own = 0;
        for (std::size_t k = step.first_plan_step; k < step.first_plan_step + step.plan_steps; ++k)
            own += plan.steps[k].ots_in_either_role(&protocol::OtCounts::cot_refills);
        EXPECT_EQ(step.record.raw_value(kCotRefillsFeature), own) << step.role;
        lowered += own;
    }
    EXPECT_EQ(lowered, planned);
    for (const protocol::OtExtension ot : {protocol::OtExtension::kIknp, protocol::OtExtension::kFerret}) {
        const std::vector<ProtocolStep> lowered_steps = lower_network(net, lowering_for_backend("snnipred", ot));
        std::vector<double> first;
        for (const ProtocolStep& step : lowered_steps) first.push_back(step.record.raw_value(kFirstComparisonFeature));
        EXPECT_EQ(first, (std::vector<double>{0, 1, 0}));
        if (ot == protocol::OtExtension::kIknp)
            for (const ProtocolStep& step : lowered_steps) EXPECT_EQ(step.record.raw_value(kCotRefillsFeature), 0);
    }
}

TEST(Lowering, FusedTruncationsAreTheStepsTruncatesPreviousStepNames) {
    // fuse_truncation drops exactly the steps truncates_previous_step marks in the
    // unfused lowering, on every zoo network, for both placements (predict --truncation
    // may combine Athos with the snnipred backend's fusion).
    for (const ZooEntry& entry : zoo_entries()) {
        const Network net = zoo_network(entry.name);
        for (const TruncationPlacement placement : {TruncationPlacement::kAthos, TruncationPlacement::kEager}) {
            LoweringOptions options = engine_span_lowering();
            options.truncation = placement;
            const std::vector<ProtocolStep> unfused = lower_network(net, options);
            options.fuse_truncation = true;
            const std::vector<ProtocolStep> fused = lower_network(net, options);
            std::vector<const ProtocolStep*> kept;
            for (std::size_t i = 0; i < unfused.size(); ++i)
                if (!truncates_previous_step(unfused, i)) kept.push_back(&unfused[i]);
            ASSERT_EQ(fused.size(), kept.size()) << entry.name;
            for (std::size_t i = 0; i < fused.size(); ++i) {
                EXPECT_EQ(fused[i].record.kind, kept[i]->record.kind) << entry.name << " step " << i;
                EXPECT_EQ(fused[i].record.variant, kept[i]->record.variant) << entry.name << " step " << i;
                EXPECT_EQ(fused[i].record.raw, kept[i]->record.raw) << entry.name << " step " << i;
                EXPECT_EQ(fused[i].layer, kept[i]->layer) << entry.name << " step " << i;
                EXPECT_EQ(fused[i].role, kept[i]->role) << entry.name << " step " << i;
            }
        }
    }
}

TEST(Lowering, ConcatTruncatesEachScaledInputAndAddKeepsTheScale) {
    Network net("branches", Shape{2, 4, 4});
    net.add(simple_layer(LayerType::kRelu, "r", {"input"}));
    net.add(conv_layer("a", "r", 3, 1));
    net.add(conv_layer("b", "r", 3, 1));
    net.add(simple_layer(LayerType::kAdd, "sum", {"a", "b"}));
    net.add(simple_layer(LayerType::kConcat, "cat", {"sum", "r"}));  // only "sum" is scaled
    net.add(simple_layer(LayerType::kRelu6, "r6", {"cat"}));
    net.add(simple_layer(LayerType::kGlobalAvgPool, "gap", {"r6"}));
    const std::vector<ProtocolStep> steps = lower_network(net);
    EXPECT_EQ(describe(steps),
              (std::vector<std::string>{"relu:32", "conv", "conv", "trunc:48", "relu:80", "relu:80", "avgpool"}));
    const ProtocolStep& pool = steps.back();
    EXPECT_EQ(raw(pool, "H_F"), 4);
    EXPECT_EQ(raw(pool, "W_F"), 4);
    EXPECT_EQ(raw(pool, "H_O"), 1);
    EXPECT_EQ(raw(pool, "C"), 5);
}

TEST(Lowering, RescaleIsInPlaceSoLaterReadersSeeItUnscaled) {
    // As in a torchvision dense block: a conv output read by two concats is truncated
    // once (Athos's ScaleDown works in place), not once per reader.
    Network net("dense", Shape{2, 4, 4});
    net.add(conv_layer("c", "input", 3, 1));
    net.add(simple_layer(LayerType::kConcat, "cat1", {"input", "c"}));
    net.add(simple_layer(LayerType::kConcat, "cat2", {"input", "c", "cat1"}));
    EXPECT_EQ(describe(lower_network(net)), (std::vector<std::string>{"conv", "trunc:48"}));
}

TEST(Lowering, StepsCarryTheRequiredRawFeatures) {
    for (const ProtocolStep& step : lower_network(zoo_network("cheetah_densenet121"))) {
        const LayerRecord record = step_record(step, Party::kServer, "WAN");
        for (const std::string& name : required_raw_features(step.record.kind)) EXPECT_NO_THROW(record.raw_value(name));
        EXPECT_EQ(record.setting, "WAN");
        EXPECT_EQ(record.party, Party::kServer);
    }
}

std::map<LayerKind, int> kind_counts(const std::vector<ProtocolStep>& steps) {
    std::map<LayerKind, int> counts;
    for (const ProtocolStep& step : steps) ++counts[step.record.kind];
    return counts;
}

TEST(Lowering, CheetahResNet50MatchesOpenCheetahProgram) {
    // main_resnet50.cpp: 53 Conv2DWrapper, a ScaleDown4 before each of the 49
    // FusedBatchNorm4411, 49 Relu4, one MaxPool, one AvgPool, one MatMul.
    const auto counts = kind_counts(lower_network(zoo_network("cheetah_resnet50")));
    EXPECT_EQ(counts.at(LayerKind::kConv), 53);
    EXPECT_EQ(counts.at(LayerKind::kBatchNorm), 49);
    EXPECT_EQ(counts.at(LayerKind::kTrunc), 49);
    EXPECT_EQ(counts.at(LayerKind::kRelu), 49);
    EXPECT_EQ(counts.at(LayerKind::kMaxPool), 1);
    EXPECT_EQ(counts.at(LayerKind::kAvgPool), 1);
    EXPECT_EQ(counts.at(LayerKind::kFc), 1);
}

TEST(Lowering, CheetahSqueezeNetHasNoStandAloneTruncation) {
    // main_sqnet.cpp: every conv output reaches a Relu4 (which rescales) before any
    // other product, so no ScaleDown4 is called. The first ReLU runs on the pooled 56x56.
    const std::vector<ProtocolStep> steps = lower_network(zoo_network("cheetah_squeezenet"));
    const auto counts = kind_counts(steps);
    EXPECT_EQ(counts.count(LayerKind::kTrunc), 0u);
    EXPECT_EQ(counts.at(LayerKind::kConv), 26);
    EXPECT_EQ(counts.at(LayerKind::kRelu), 26);
    EXPECT_EQ(counts.at(LayerKind::kMaxPool), 3);
    EXPECT_EQ(steps[0].record.kind, LayerKind::kConv);
    EXPECT_EQ(raw(steps[0], "H_I"), 227);
    EXPECT_EQ(raw(steps[2], "N"), 64 * 56 * 56);
}

TEST(Lowering, CheetahDenseNetTruncatesBeforeBnAndConcat) {
    // main_densenet121.cpp: ScaleDown4 after conv0 and after each bottleneck conv (before
    // BN), on each 3x3 conv output before its concat, and on each transition conv.
    const auto counts = kind_counts(lower_network(zoo_network("cheetah_densenet121")));
    EXPECT_EQ(counts.at(LayerKind::kConv), 121);
    EXPECT_EQ(counts.at(LayerKind::kBatchNorm), 121);
    EXPECT_EQ(counts.at(LayerKind::kTrunc), 1 + 58 + 58 + 3);
    EXPECT_EQ(counts.at(LayerKind::kRelu), 121);
    EXPECT_EQ(counts.at(LayerKind::kAvgPool), 4);
}

TEST(Lowering, ParsesPlacementNames) {
    EXPECT_EQ(parse_truncation_placement("athos"), TruncationPlacement::kAthos);
    EXPECT_EQ(parse_truncation_placement(truncation_placement_name(TruncationPlacement::kEager)),
              TruncationPlacement::kEager);
    EXPECT_THROW(parse_truncation_placement("lazy"), InvalidInput);
}

}  // namespace
}  // namespace snnipred::predict
