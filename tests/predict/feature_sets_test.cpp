// The two feature sets: names and values agree in length, and the allocation-free
// compute_features returns exactly what feature_values does.
#include "snnipred/predict/feature_sets.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

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
    for (FeatureSet set : {FeatureSet::kPaper, FeatureSet::kProtocol})
        for (LayerKind kind : kAllLayerKinds) EXPECT_LE(feature_names(set, kind).size(), kMaxFeatureCount);
}

}  // namespace
}  // namespace snnipred::predict
