// Bundles whose LSTM is an ensemble correcting the bundle's residual MLP (lstm.base nn,
// lstm.members; bundle.h, bundle_recipe.cpp).
#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/bundle.h"
#include "support/bundle_expect.h"
#include "support/bundle_sections.h"
#include "support/expect_error.h"
#include "support/synthetic_networks.h"
#include "support/synthetic_step_records.h"

namespace snnipred::predict {
namespace {

const std::vector<NetworkSample>& network_samples() {
    static const std::vector<NetworkSample> samples = test_support::synthetic_samples(71, 8, 1, 3);
    return samples;
}

const Dataset& run_records() {
    static const Dataset data{test_support::synthetic_run_records(network_samples())};
    return data;
}

BundleRecipe nn_base_recipe() {
    BundleRecipe recipe;
    recipe.methods = {Method::kAnalytical, Method::kNn, Method::kLstm};
    recipe.analytical.features = FeatureSet::kProtocol;
    recipe.mlp.trials = 1;
    recipe.mlp.target = MlpTarget::kResidual;
    recipe.lstm.trials = 1;
    recipe.lstm.max_epochs = 3;
    recipe.lstm.base = LstmBase::kNn;
    recipe.lstm.members = 2;
    return recipe;
}

const Bundle& nn_base_bundle() {
    static const Bundle bundle = train_bundle(
        BundleTrainingData{&run_records(), "runs.csv", network_samples(), "nets.jsonl", "cheetah"}, nn_base_recipe());
    return bundle;
}

TEST(BundleLstmNn, TheLstmCorrectsTheBundlesMlpWithPerStepTimes) {
    const Bundle& bundle = nn_base_bundle();
    EXPECT_EQ(bundle.lstm->nn_base(), bundle.mlp);
    EXPECT_EQ(bundle.lstm->base(), bundle.analytical);
    EXPECT_EQ(bundle.lstm->steps_supervised(), network_samples().size());
    EXPECT_EQ(bundle.lstm->models().at("LAN").size(), 2u);
}

TEST(BundleLstmNn, RoundTripKeepsBaseAndMembers) {
    const Bundle& original = nn_base_bundle();
    const std::string bytes = serialize_bundle(original);
    const Bundle loaded = parse_bundle(bytes, "n.bundle");
    EXPECT_EQ(loaded.manifest.recipe.lstm.base, LstmBase::kNn);
    EXPECT_EQ(loaded.manifest.recipe.lstm.members, 2);
    EXPECT_EQ(loaded.lstm->nn_base(), loaded.mlp);
    EXPECT_EQ(loaded.lstm->models().at("LAN").size(), 2u);
    test_support::expect_same_lstm_predictions(original, loaded, network_samples());
    EXPECT_EQ(serialize_bundle(loaded), bytes);

    const std::string three = test_support::with_edited_section(
        bytes, "manifest", [](nlohmann::json& m) { m["recipe"]["lstm"]["members"] = 3; });
    test_support::expect_error_containing<InvalidInput>([&] { parse_bundle(three, "m.bundle"); },
                                                        "2 LSTM members for setting 'LAN', the recipe says 3");
    const std::string time_target = test_support::with_edited_section(
        bytes, "manifest", [](nlohmann::json& m) { m["recipe"]["nn"]["target"] = "time"; });
    EXPECT_THROW(parse_bundle(time_target, "t.bundle"), InvalidInput);
}

TEST(BundleLstmNn, RecipeNeedsTheResidualMlp) {
    BundleRecipe recipe = nn_base_recipe();
    recipe.methods = {Method::kAnalytical, Method::kLstm};
    test_support::expect_error_containing<InvalidInput>(
        [&] {
            train_bundle(BundleTrainingData{&run_records(), "runs.csv", network_samples(), "nets.jsonl", "cheetah"},
                         recipe);
        },
        "lstm base nn corrects the residual per-layer MLP");
}

}  // namespace
}  // namespace snnipred::predict
