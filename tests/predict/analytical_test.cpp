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

// A refill (Ferret's main iteration, ~250 ms) lands in whichever step empties the COT
// buffer: with the plan set it is a cost of its own; with protocol features alone the fit
// spreads the refills of the training steps over every step (the over-prediction of small
// steps the Ferret bundle of 2026-12-05 showed).
TEST(Analytical, PlanFeaturesSeparateRefillsFromPerElementCost) {
    const auto refilling = [](double n, double refills) {
        LayerRecord r = relu(n, 0.01 * n + 250 * refills);
        r.raw.emplace_back("cot_refills", refills);
        r.raw.emplace_back("first_comparison", 0);
        return r;
    };
    std::vector<LayerRecord> train;
    for (double n : {100.0, 2000.0, 9000.0}) train.push_back(refilling(n, 1));  // each network's first step
    for (double n : {300.0, 5000.0, 20000.0, 40000.0}) train.push_back(refilling(n, 0));
    AnalyticalPredictor plan({FeatureSet::kPlan});
    plan.fit(train);
    AnalyticalPredictor protocol({FeatureSet::kProtocol});
    protocol.fit(train);
    // Steps it never saw: a small one that does not refill, a large one that refills twice.
    const LayerRecord quiet = refilling(1000, 0), busy = refilling(80000, 2);
    EXPECT_NEAR(plan.predict(quiet), quiet.time_ms, 1e-6);
    EXPECT_NEAR(plan.predict(busy), busy.time_ms, 1e-6);
    EXPECT_GT(protocol.predict(quiet), 5 * quiet.time_ms);
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
