// The two feature sets: names and values agree in length, and the allocation-free
// compute_features returns exactly what feature_values does.
#include "snnipred/predict/feature_sets.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

LayerRecord record_of(LayerKind kind, RawFeatures raw, std::string variant = {}) {
    LayerRecord r;
    r.kind = kind;
    r.raw = std::move(raw);
    r.variant = std::move(variant);
    return r;
}

std::vector<LayerRecord> one_of_each_kind() {
    return {
        record_of(LayerKind::kConv, {{"C_I", 16}, {"H_I", 10}, {"W_I", 12}, {"C_O", 32}, {"H_O", 5}, {"W_O", 6},
                                     {"H_F", 3}, {"W_F", 3}, {"S_H", 2}, {"S_W", 2}, {"P_H", 2}, {"P_W", 2}}),
        record_of(LayerKind::kFc, {{"N_I", 2048}, {"N_O", 1000}}),
        record_of(LayerKind::kMaxPool, {{"C", 64}, {"H_I", 112}, {"W_I", 112}, {"H_O", 56}, {"W_O", 56}, {"H_F", 3},
                                        {"W_F", 3}, {"S_H", 2}, {"S_W", 2}, {"P_H", 2}, {"P_W", 2}}),
        record_of(LayerKind::kAvgPool, {{"C", 2048}, {"H_I", 7}, {"W_I", 7}, {"H_O", 1}, {"W_O", 1}, {"H_F", 7},
                                        {"W_F", 7}, {"S_H", 1}, {"S_W", 1}, {"P_H", 0}, {"P_W", 0}}),
        record_of(LayerKind::kRelu, {{"N", 802816}}),
        record_of(LayerKind::kTrunc, {{"N", 1000}}),
        record_of(LayerKind::kBatchNorm, {{"C", 64}, {"H", 56}, {"W", 56}}, "BN1"),
        record_of(LayerKind::kBatchNorm, {{"C", 64}, {"H", 56}, {"W", 56}}, "BN2_3D"),
    };
}

TEST(FeatureSets, ComputeFeaturesEqualsFeatureValues) {
    for (FeatureSet set : {FeatureSet::kPaper, FeatureSet::kProtocol}) {
        for (const LayerRecord& r : one_of_each_kind()) {
            const std::vector<double> values = feature_values(set, r);
            const FeatureVector f = compute_features(set, r);
            EXPECT_EQ(std::vector<double>(f.view().begin(), f.view().end()), values) << layer_kind_name(r.kind);
            EXPECT_EQ(values.size(), feature_names(set, r.kind).size()) << layer_kind_name(r.kind);
        }
    }
}

TEST(FeatureSets, EveryKindFitsAFeatureVector) {
    for (FeatureSet set : {FeatureSet::kPaper, FeatureSet::kProtocol, FeatureSet::kPlan})
        for (LayerKind kind : kAllLayerKinds) EXPECT_LE(feature_names(set, kind).size(), kMaxFeatureCount);
}

// plan is protocol with the step's refills and first comparison appended; a record without
// them (the cheetah backend's, exported before they were) is refused, not read as zero.
TEST(FeatureSets, PlanIsProtocolTheStepsRefillsAndFirstComparison) {
    for (LayerRecord r : one_of_each_kind()) {
        std::vector<std::string> names = feature_names(FeatureSet::kProtocol, r.kind);
        names.emplace_back("cot_refills");
        names.emplace_back("first_comparison");
        EXPECT_EQ(feature_names(FeatureSet::kPlan, r.kind), names) << layer_kind_name(r.kind);
        EXPECT_THROW(feature_values(FeatureSet::kPlan, r), InvalidInput) << layer_kind_name(r.kind);
        r.raw.emplace_back("cot_refills", 3);
        EXPECT_THROW(feature_values(FeatureSet::kPlan, r), InvalidInput) << layer_kind_name(r.kind);
        r.raw.emplace_back("first_comparison", 1);
        std::vector<double> values = feature_values(FeatureSet::kProtocol, r);
        values.push_back(3);
        values.push_back(1);
        EXPECT_EQ(feature_values(FeatureSet::kPlan, r), values) << layer_kind_name(r.kind);
        const FeatureVector f = compute_features(FeatureSet::kPlan, r);
        EXPECT_EQ(std::vector<double>(f.view().begin(), f.view().end()), values) << layer_kind_name(r.kind);
    }
    EXPECT_EQ(parse_feature_set("plan"), FeatureSet::kPlan);
    EXPECT_EQ(feature_set_name(FeatureSet::kPlan), "plan");
}

// The value of protocol feature `name` for `record`.
double protocol_feature(const LayerRecord& record, const std::string& name) {
    const std::vector<std::string>& names = feature_names(FeatureSet::kProtocol, record.kind);
    const auto it = std::find(names.begin(), names.end(), name);
    EXPECT_NE(it, names.end()) << name;
    return feature_values(FeatureSet::kProtocol, record).at(static_cast<std::size_t>(it - names.begin()));
}

// BN2_3D counts both Cheetah's ciphertexts (one channel tile each) and this engine's, which
// packs floor(sqrt(4096 / (H W))) small channels per ciphertext (engine/bn_plan.h).
TEST(FeatureSets, BatchNormCountsCheetahsAndTheEnginesCiphertexts) {
    const LayerRecord small_maps = record_of(LayerKind::kBatchNorm, {{"C", 1024}, {"H", 14}, {"W", 14}}, "BN2_3D");
    EXPECT_EQ(protocol_feature(small_maps, "bn2_cts"), 1024);
    EXPECT_EQ(protocol_feature(small_maps, "bn2_packed_cts"), 256);  // 4 channels of 196 per ciphertext
    const LayerRecord tiny_maps = record_of(LayerKind::kBatchNorm, {{"C", 2048}, {"H", 7}, {"W", 7}}, "BN2_3D");
    EXPECT_EQ(protocol_feature(tiny_maps, "bn2_packed_cts"), 228);  // 9 channels of 49: ceil(2048 / 9)
    const LayerRecord large_maps = record_of(LayerKind::kBatchNorm, {{"C", 64}, {"H", 112}, {"W", 112}}, "BN2_3D");
    EXPECT_EQ(protocol_feature(large_maps, "bn2_packed_cts"), 256);  // 4 chunks of 3,136 per channel
    const LayerRecord flat = record_of(LayerKind::kBatchNorm, {{"C", 64}, {"H", 56}, {"W", 56}}, "BN1");
    EXPECT_EQ(protocol_feature(flat, "bn2_packed_cts"), 0);
}

}  // namespace
}  // namespace snnipred::predict
