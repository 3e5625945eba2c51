// Bundles whose nn and LSTM correct the bundle's analytical model (nn.target residual,
// lstm.base analytical; bundle.h, bundle_recipe.cpp).
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
    static const std::vector<NetworkSample> samples = test_support::synthetic_samples(51, 8, 1, 3);
    return samples;
}

const Dataset& step_records() {
    static const Dataset data{test_support::synthetic_step_records(network_samples())};
    return data;
}

BundleRecipe corrective_recipe() {
    BundleRecipe recipe;
    recipe.methods = {Method::kLstm, Method::kNn, Method::kAnalytical};  // analytical is still fitted first
    recipe.analytical.features = FeatureSet::kProtocol;
    recipe.mlp.trials = 1;
    recipe.mlp.target = MlpTarget::kResidual;
    recipe.lstm.trials = 1;
    recipe.lstm.max_epochs = 3;
    recipe.lstm.base = LstmBase::kAnalytical;
    return recipe;
}

BundleTrainingData training_data() {
    return BundleTrainingData{&step_records(), "steps.csv", network_samples(), "nets.jsonl", "cheetah"};
}

const Bundle& corrective_bundle() {
    static const Bundle bundle = train_bundle(training_data(), corrective_recipe());
    return bundle;
}

TEST(BundleResidual, NnAndLstmShareTheBundlesAnalyticalModel) {
    const Bundle& bundle = corrective_bundle();
    ASSERT_NE(bundle.analytical, nullptr);
    EXPECT_EQ(bundle.mlp->base(), bundle.analytical);
    EXPECT_EQ(bundle.lstm->base(), bundle.analytical);
    EXPECT_EQ(bundle.mlp->name(), "mlp/raw+protocol/residual");
}

TEST(BundleResidual, RoundTripGivesIdenticalPredictions) {
    const Bundle& original = corrective_bundle();
    const Bundle loaded = parse_bundle(serialize_bundle(original), "r.bundle");
    EXPECT_EQ(loaded.manifest.recipe.mlp.target, MlpTarget::kResidual);
    EXPECT_EQ(loaded.manifest.recipe.lstm.base, LstmBase::kAnalytical);
    EXPECT_EQ(loaded.mlp->base(), loaded.analytical);
    EXPECT_EQ(loaded.lstm->base(), loaded.analytical);
    for (const LayerRecord& r : step_records().records)
        ASSERT_EQ(original.predictor(Method::kNn).predict(r), loaded.predictor(Method::kNn).predict(r));
    test_support::expect_same_lstm_predictions(original, loaded, network_samples());
    EXPECT_EQ(serialize_bundle(loaded), serialize_bundle(original));
}

// Each analytical model stores its correction envelope, which the residual MLP and the
// LSTM clamp to; bundles saved before envelopes existed have none and still load.
TEST(BundleResidual, EnvelopesRoundTripAndOldBundlesLoadWithout) {
    const Bundle& original = corrective_bundle();
    const Bundle loaded = parse_bundle(serialize_bundle(original), "r.bundle");
    for (const auto& [key, model] : original.analytical->models()) {
        const CorrectionEnvelope& envelope = loaded.analytical->models().at(key).envelope;
        ASSERT_EQ(model.envelope.points().size(), model.train_rows);
        ASSERT_EQ(envelope.points().size(), model.envelope.points().size());
        for (std::size_t i = 0; i < envelope.points().size(); ++i) {
            EXPECT_EQ(envelope.points()[i].log_base, model.envelope.points()[i].log_base);
            EXPECT_EQ(envelope.points()[i].correction, model.envelope.points()[i].correction);
        }
    }
    const std::string old_bytes = test_support::with_edited_section(serialize_bundle(original), "analytical", [](nlohmann::json& m) {
        for (nlohmann::json& model : m["models"]) {
            model.erase("envelope_log_base");
            model.erase("envelope_correction");
        }
    });
    const Bundle old = parse_bundle(old_bytes, "old.bundle");
    for (const auto& [key, model] : old.analytical->models()) EXPECT_TRUE(model.envelope.empty());
    for (const LayerRecord& r : step_records().records) old.predictor(Method::kNn).predict(r);
}

TEST(BundleResidual, EnvelopeArraysOfDifferentLengthsAreRejected) {
    const std::string bytes = test_support::with_edited_section(
        serialize_bundle(corrective_bundle()), "analytical",
        [](nlohmann::json& m) { m["models"][0]["envelope_correction"].erase(0); });
    test_support::expect_error_containing<InvalidInput>([&] { parse_bundle(bytes, "short.bundle"); },
                                                        "short.bundle: analytical model ");
    test_support::expect_error_containing<InvalidInput>([&] { parse_bundle(bytes, "short.bundle"); },
                                                        "base times but");
}

TEST(BundleResidual, RecipeWithoutAnalyticalIsAClearError) {
    BundleRecipe recipe = corrective_recipe();
    recipe.methods = {Method::kNn};
    test_support::expect_error_containing<InvalidInput>([&] { train_bundle(training_data(), recipe); },
                                                        "nn target residual corrects the analytical model");
    recipe.methods = {Method::kLstm};
    test_support::expect_error_containing<InvalidInput>([&] { train_bundle(training_data(), recipe); },
                                                        "lstm base analytical corrects the analytical model");
}

TEST(BundleResidual, BundleWithoutItsAnalyticalModelIsRejected) {
    const Bundle& trained = corrective_bundle();
    Bundle broken;
    broken.manifest = trained.manifest;
    broken.manifest.recipe.methods = {Method::kNn};
    broken.mlp = std::make_unique<MlpPredictor>(trained.mlp->options(), trained.mlp->models(), trained.analytical);
    test_support::expect_error_containing<InvalidInput>(
        [&] { parse_bundle(serialize_bundle(broken), "broken.bundle"); },
        "broken.bundle: the recipe's nn target residual corrects the analytical model, but the bundle has no "
        "analytical model");
}

}  // namespace
}  // namespace snnipred::predict
