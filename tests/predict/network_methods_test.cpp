// Method names of whole-network evaluation, and the whole pipeline end to end on
// synthetic data whose truth is known.
#include "snnipred/predict/network_methods.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/per_layer_sum.h"
#include "support/expect_error.h"
#include "support/synthetic_snni.h"

namespace snnipred::predict {
namespace {

TEST(NetworkMethods, ParsesNamesAndExpandsBaselines) {
    EXPECT_EQ(parse_network_method_names("analytical,baselines"),
              (std::vector<std::string>{"analytical", "relu-count", "flops", "params"}));
    EXPECT_EQ(parse_network_method_names("mlp,flops"), (std::vector<std::string>{"nn", "flops"}));
    test_support::expect_error_containing<InvalidInput>([] { parse_network_method_names("flops,baselines"); },
                                                        "'flops' given twice");
    test_support::expect_error_containing<InvalidInput>([] { parse_network_method_names("rnn"); },
                                                        "unknown method 'rnn'");
    test_support::expect_error_containing<InvalidInput>([] { parse_network_method_names(""); }, "unknown method ''");
}

// Step costs are linear in the paper's features, so the analytical per-layer sum must
// find the networks' times within the noise; the one-number baselines cannot.
TEST(NetworkMethods, RecoversKnownTimesOfSyntheticNetworksEndToEnd) {
    const LoweringOptions lowering = lowering_for_backend("snnipred");
    const test_support::SyntheticData data = test_support::synthetic_data(24, {"LAN", "WAN"}, 2, 0.02, 11, lowering);
    BundleRecipe recipe;
    recipe.methods = {Method::kAnalytical};
    const auto methods =
        retrained_network_methods(parse_network_method_names("analytical,baselines"), recipe, "snnipred");
    const HeldOutNetworks held = select_holdout(data.samples, {{"net-000", "net-001"}, 4, 5});
    const NetworkEvaluationReport report = evaluate_networks(data.records, data.samples, methods, held);

    ASSERT_EQ(report.methods.size(), 4u);
    EXPECT_EQ(report.results.size(), 2u * 6u * 2u);  // settings x held-out networks x parties
    for (const HeldOutResult& r : report.results) EXPECT_EQ(r.repeats, 2u);
    for (const MethodAccuracy& a : report.accuracy) {
        EXPECT_EQ(a.networks, 6u);
        if (a.method == "analytical") {
            EXPECT_LT(a.mape_pct, 3) << a.setting;
            EXPECT_DOUBLE_EQ(a.within_band_pct, 100) << a.setting;
        }
    }
    double analytical = 0, best_baseline = 1e9;
    for (const MethodAccuracy& a : report.accuracy) {
        if (a.setting != "LAN" || a.party != Party::kClient) continue;
        if (a.method == "analytical") analytical = a.mape_pct;
        else best_baseline = std::min(best_baseline, a.mape_pct);
    }
    EXPECT_LT(analytical, best_baseline);
    EXPECT_EQ(report.records_without_network, 0u);
}

// An LSTM with an analytical base is re-trained per setting on top of an analytical model
// fitted on that setting's training records; it needs those records.
TEST(NetworkMethods, RetrainsTheLstmOnAnAnalyticalBasePerSetting) {
    const LoweringOptions lowering = lowering_for_backend("snnipred");
    const test_support::SyntheticData data = test_support::synthetic_data(12, {"LAN", "WAN"}, 1, 0.02, 13, lowering);
    BundleRecipe recipe;
    recipe.lstm.base = LstmBase::kAnalytical;
    recipe.lstm.trials = 1;
    recipe.lstm.max_epochs = 3;
    const auto methods = retrained_network_methods({"lstm"}, recipe, "snnipred");
    const HeldOutNetworks held = select_holdout(data.samples, {{"net-000"}, 0, 1});
    const NetworkEvaluationReport report = evaluate_networks(data.records, data.samples, methods, held);
    ASSERT_EQ(report.results.size(), 2u * 2u);  // settings x parties
    for (const HeldOutResult& r : report.results) EXPECT_GT(r.methods.at(0).predicted_ms, 0) << r.setting;
    test_support::expect_error_containing<InvalidInput>(
        [&] { evaluate_networks({}, data.samples, methods, held); }, "method lstm: analytical predictor: no training records");
}

TEST(NetworkMethods, ScoresABundleAsItIsOnEveryNetwork) {
    const test_support::SyntheticData data = test_support::synthetic_data(6, {"LAN"}, 1, 0.02, 3);
    const Bundle bundle = train_bundle(data.records, BundleRecipe{}, "synthetic");  // analytical only
    const auto methods = bundle_network_methods({"analytical"}, bundle, "snnipred");
    const NetworkEvaluationReport report = evaluate_networks({}, data.samples, methods, all_networks(data.samples));

    ASSERT_EQ(report.results.size(), 6u * 2u);
    const std::shared_ptr<const Predictor> analytical(std::shared_ptr<const Predictor>{},
                                                      &bundle.predictor(Method::kAnalytical));
    const PerLayerSum reference(analytical, lowering_for_backend("snnipred"), "analytical");
    const PartyTimes expected = reference.predict(data.samples.front().network, "LAN");
    EXPECT_DOUBLE_EQ(report.results[0].methods[0].predicted_ms, expected.client_ms);
    EXPECT_DOUBLE_EQ(report.results[1].methods[0].predicted_ms, expected.server_ms);
    test_support::expect_error_containing<InvalidInput>(
        [&] { bundle_network_methods({"params"}, bundle, "snnipred"); }, "a bundle holds none");
}

}  // namespace
}  // namespace snnipred::predict
