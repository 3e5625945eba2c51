// The default predictor bundled in predictors/ (trained on the project's own campaign)
// must keep loading, answer the README's main command without --predictor, and keep
// predicting what the engine measured on networks that were never in its training data
// (data/snnipred-2026-12-07-bundle/holdout-networks.jsonl, the `holdout` campaign).
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace {

const std::string kData = std::string(SNNIPRED_SOURCE_DIR) + "/data/snnipred-2026-12-07-bundle";

nlohmann::json predict_totals(const std::string& model, const std::string& setting, const std::string& flags = "") {
    const auto result = snnipred::testing::run_snnipred(
        "predict " + model + " --setting " + setting + " --method all --json" + flags, false);
    EXPECT_EQ(result.status, 0) << result.out;
    return nlohmann::json::parse(result.out)["totals"];
}

TEST(DefaultPredictor, ReadmeCommandPredictsWithEveryMethod) {
    const auto result = snnipred::testing::run_snnipred("predict zoo:resnet50");
    ASSERT_EQ(result.status, 0) << result.out;
    for (const char* method : {"analytical", "nn", "lstm"})
        EXPECT_NE(result.out.find(std::string("  ") + method), std::string::npos) << result.out;
}

// Every zoo network the engine runs, with every layer type it has (ReLU6, depthwise convs,
// padded and ceil-mode pools, residual adds, concats, batch norms), gets a positive
// prediction from every method.
TEST(DefaultPredictor, PredictsEveryZooNetworkTheEngineRuns) {
    for (const char* model : {"zoo:mobilenet_v2", "zoo:squeezenet1_0", "zoo:densenet121", "zoo:vgg16", "zoo:minionn"}) {
        const nlohmann::json totals = predict_totals(model, "LAN");
        for (const char* method : {"analytical", "nn", "lstm"})
            for (const char* party : {"client_ms", "server_ms"})
                EXPECT_GT(totals[method][party].get<double>(), 0.0) << model << " " << method;
    }
}

// The largest whole-network error each method keeps on the held-out zoo networks, either
// party. docs/RESULTS.md ("The default bundle re-profiled") has the measured errors: WAN
// +1.3 ... +5.3 %; LAN analytical +5.2 ... +8.6 %, nn +5.8 ... +10.3 %, lstm +2.4 ... +7.5 %.
// Every method over-predicts LAN a little; the bounds leave room for that known gap so that
// any further regression fails.
double error_bound(const std::string& setting) { return setting == "WAN" ? 0.10 : 0.15; }

// Every method of the bundle that `flags` pick keeps its whole-network error on the held-out
// zoo runs of `holdout` within `bound(setting)`, either party.
void expect_errors_kept(const std::string& holdout, const std::string& flags, double (*bound)(const std::string&)) {
    std::ifstream in(holdout);
    ASSERT_TRUE(in) << holdout;
    std::string line;
    int checked = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto sample = nlohmann::json::parse(line);
        const std::string name = sample["name"], setting = sample["setting"];
        const auto totals = predict_totals("zoo:" + name, setting, flags);
        for (const char* method : {"analytical", "nn", "lstm"})
            for (const char* party : {"client_ms", "server_ms"}) {
                const double measured = sample[party], predicted = totals[method][party];
                EXPECT_NEAR(predicted, measured, bound(setting) * measured)
                    << name << " " << setting << " " << method << " " << party << flags;
            }
        ++checked;
    }
    EXPECT_EQ(checked, 6);
}

TEST(DefaultPredictor, EveryMethodKeepsItsErrorOnHeldOutNetworks) {
    expect_errors_kept(kData + "/holdout-networks.jsonl", "", error_bound);
}

// The bundled Ferret predictor (--ot ferret) on the held-out zoo run with Ferret, predicted
// for its own profiling machine. docs/RESULTS.md ("A campaign's calibration in a child process;
// the Ferret bundle profiled a third time") has the measured errors: analytical -2.3 ... +20.3 %,
// nn -21.2 ... -4.1 %, lstm -19.9 ... -3.5 %; the bound leaves room for that known gap so that
// any further regression fails.
double ferret_error_bound(const std::string&) { return 0.25; }

TEST(DefaultPredictor, FerretBundleKeepsItsErrorOnHeldOutNetworks) {
    expect_errors_kept(std::string(SNNIPRED_SOURCE_DIR) + "/data/snnipred-2026-12-08-ferret-calibrated-apart/holdout-networks.jsonl",
                       " --ot ferret", ferret_error_bound);
}

}  // namespace
