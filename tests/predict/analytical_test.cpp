#include "snnipred/predict/analytical.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/evaluate.h"

namespace snnipred::predict {
namespace {

const std::string kLan = std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24/LAN";

LayerRecord relu(double n, double time) {
    LayerRecord r;
    r.kind = LayerKind::kRelu;
    r.setting = "LAN";
    r.raw = {{"N", n}};
    r.time_ms = time;
    return r;
}

TEST(Analytical, RecoversAnExactLinearLaw) {
    std::vector<LayerRecord> train;
    for (double n : {100.0, 1000.0, 5000.0, 20000.0}) train.push_back(relu(n, 3 + 0.01 * n));
    AnalyticalPredictor p({FeatureSet::kProtocol});
    p.fit(train);
    EXPECT_NEAR(p.predict(relu(40000, 0)), 403, 1e-6);  // extrapolates beyond the training range
    const LinearModel& m = p.models().begin()->second;
    EXPECT_NEAR(m.intercept, 4, 1e-9);  // time at the smallest training N (100)
}

TEST(Analytical, CoefficientsAreNonNegative) {
    std::vector<LayerRecord> train;
    for (double n : {100.0, 1000.0, 5000.0, 20000.0}) train.push_back(relu(n, 500 - 0.01 * n));
    AnalyticalPredictor p({FeatureSet::kPaper});
    p.fit(train);
    for (const auto& [key, model] : p.models()) {
        for (double c : model.coef) EXPECT_GE(c, 0);
        EXPECT_GE(model.intercept, 0);
    }
}

TEST(Analytical, UnknownGroupThrows) {
    AnalyticalPredictor p;
    p.fit(std::vector<LayerRecord>{relu(10, 1), relu(20, 2)});
    LayerRecord other = relu(10, 0);
    other.party = Party::kServer;
    EXPECT_THROW(p.predict(other), InvalidInput);
}

// Held-out configurations (config split): thresholds sit a little below what was measured
// on the published data (paper features: fc client 0.921, relu client 0.968; protocol
// features: fc client 0.932, relu client 0.968).
TEST(Analytical, GeneralisesToUnseenConfigurations) {
    const Dataset lan = load_dataset(kLan);
    Dataset data = lan.filter(LayerKind::kFc, Party::kClient);
    data.append(lan.filter(LayerKind::kRelu, Party::kClient));
    for (FeatureSet set : {FeatureSet::kPaper, FeatureSet::kProtocol}) {
        const EvaluationReport report = evaluate(
            data, [set] { return std::make_unique<AnalyticalPredictor>(AnalyticalOptions{set}); },
            {SplitKind::kConfig, 5, 0.2, 1});
        EXPECT_GT(report.find(LayerKind::kFc, Party::kClient, "LAN")->r2, 0.90) << feature_set_name(set);
        EXPECT_GT(report.find(LayerKind::kRelu, Party::kClient, "LAN")->r2, 0.95) << feature_set_name(set);
    }
}

}  // namespace
}  // namespace snnipred::predict
