// MlpPredictor::predict_many, and whole-network prediction through it: one matrix product
// per model must give what per-record predict() gives (up to GEMM-vs-GEMV rounding) on
// every step of real networks, for both bundled predictors (the default's residual MLP and
// cheetah-sec24's time-target MLP), and fail exactly as predict() fails.
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/zoo.h"
#include "snnipred/predict/analytical.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/mlp_predictor.h"
#include "snnipred/predict/network_prediction.h"
#include "support/expect_error.h"

namespace snnipred::predict {
namespace {

using test_support::thrown_message;

constexpr double kRelativeTolerance = 1e-12;

const Bundle& bundled(const std::string& file) {
    static std::map<std::string, Bundle> cache;
    auto it = cache.find(file);
    if (it == cache.end())
        it = cache.emplace(file, load_bundle(std::string(SNNIPRED_SOURCE_DIR) + "/predictors/" + file)).first;
    return it->second;
}

std::vector<ProtocolStep> lowered(const Bundle& bundle, const char* network) {
    return lower_network(zoo_network(network), lowering_for_backend(bundle.manifest.backend));
}

// Every step's record for the client, then for the server.
std::vector<LayerRecord> both_parties(const std::vector<ProtocolStep>& steps, const std::string& setting) {
    std::vector<LayerRecord> records;
    for (const Party party : {Party::kClient, Party::kServer})
        for (const ProtocolStep& step : steps) records.push_back(step_record(step, party, setting));
    return records;
}

void expect_close(double actual, double expected, const std::string& what) {
    EXPECT_NEAR(actual, expected, kRelativeTolerance * std::abs(expected)) << what;
}

struct Case {
    const char* name;
    const char* bundle;
    const char* network;
};

class PredictManyMatchesPredict : public testing::TestWithParam<Case> {};

TEST_P(PredictManyMatchesPredict, EveryStepBothPartiesEverySetting) {
    const Case c = GetParam();
    const Bundle& bundle = bundled(c.bundle);
    ASSERT_NE(bundle.mlp, nullptr);
    const MlpPredictor& mlp = *bundle.mlp;
    const std::vector<ProtocolStep> steps = lowered(bundle, c.network);
    const std::size_t n = steps.size();
    ASSERT_FALSE(bundle.manifest.settings.empty());

    for (const std::string& setting : bundle.manifest.settings) {
        const std::vector<LayerRecord> records = both_parties(steps, setting);
        std::vector<double> expected;
        for (const LayerRecord& record : records) expected.push_back(mlp.predict(record));

        const std::vector<double> many = mlp.predict_many(records);
        ASSERT_EQ(many.size(), records.size());
        for (std::size_t i = 0; i < records.size(); ++i)
            expect_close(many[i], expected[i], setting + " record " + std::to_string(i));

        const NetworkPrediction network = predict_network(steps, mlp, setting);
        ASSERT_EQ(network.steps.size(), n);
        double client = 0, server = 0;
        for (std::size_t i = 0; i < n; ++i) {
            expect_close(network.steps[i].client_ms, expected[i], setting + " client step " + std::to_string(i));
            expect_close(network.steps[i].server_ms, expected[n + i], setting + " server step " + std::to_string(i));
            client += expected[i];
            server += expected[n + i];
        }
        expect_close(network.client_ms, client, setting + " client total");
        expect_close(network.server_ms, server, setting + " server total");
    }
}

INSTANTIATE_TEST_SUITE_P(Bundled, PredictManyMatchesPredict,
                         testing::Values(Case{"DefaultDensenet121", "snnipred-default.bundle.gz", "densenet121"},
                                         Case{"DefaultResnet50", "snnipred-default.bundle.gz", "resnet50"},
                                         Case{"CheetahDensenet121", "cheetah-sec24.bundle", "densenet121"}),
                         [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// predict_many evaluates a residual MLP's analytical base without predict()'s per-record
// model lookup, on the protocol features of the MLP's inputs when the base reads those (as
// the default bundle's does) and on its own features otherwise: here paper features.
TEST(PredictMany, MatchesPredictOnABaseWithOtherFeatures) {
    const Bundle& bundle = bundled("snnipred-default.bundle.gz");
    ASSERT_EQ(bundle.analytical->options().features, FeatureSet::kProtocol);
    auto base = std::make_shared<AnalyticalPredictor>(AnalyticalOptions{FeatureSet::kPaper});
    base->fit(load_dataset(std::string(SNNIPRED_SOURCE_DIR) + "/data/snnipred-2026-11-25/train-layers.csv").records);
    const MlpPredictor mlp(bundle.mlp->options(), bundle.mlp->models(), base);
    ASSERT_EQ(mlp.options().target, MlpTarget::kResidual);

    const std::vector<LayerRecord> records = both_parties(lowered(bundle, "densenet121"), "WAN");
    const std::vector<double> many = mlp.predict_many(records);
    ASSERT_EQ(many.size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i)
        expect_close(many[i], mlp.predict(records[i]), "record " + std::to_string(i));
}

// The first failing record decides the error, as in a loop over predict(): here the first
// step of a kind the predictor has no model for (the first average pool, after DenseNet's
// first dense block).
TEST(PredictMany, ThrowsWhatPredictThrowsForTheFirstBadRecord) {
    const Bundle& bundle = bundled("snnipred-default.bundle.gz");
    const MlpPredictor& mlp = *bundle.mlp;
    const std::vector<ProtocolStep> steps = lowered(bundle, "densenet121");
    const std::vector<LayerRecord> records = both_parties(steps, "WAN");

    const LayerKind dropped = LayerKind::kAvgPool;
    std::map<MlpPredictor::Key, MlpPredictor::Model> models = mlp.models();
    std::erase_if(models, [dropped](const auto& entry) { return std::get<0>(entry.first) == dropped; });
    ASSERT_LT(models.size(), mlp.models().size());
    const MlpPredictor without(mlp.options(), models, mlp.base());

    std::optional<std::string> expected;
    for (const LayerRecord& record : records) {
        if (record.kind != dropped) continue;
        expected = thrown_message<InvalidInput>([&] { without.predict(record); });
        break;
    }
    ASSERT_TRUE(expected.has_value()) << "densenet121 has no step of the dropped kind";
    EXPECT_EQ(thrown_message<InvalidInput>([&] { without.predict_many(records); }), expected);
    EXPECT_EQ(thrown_message<InvalidInput>([&] { predict_network(steps, without, "WAN"); }), expected);

    // An unknown setting fails on the first record, an unseen variant on its own record.
    EXPECT_EQ(thrown_message<InvalidInput>([&] { predict_network(steps, mlp, "5G"); }),
              thrown_message<InvalidInput>([&] { mlp.predict(step_record(steps.front(), Party::kClient, "5G")); }));
    std::vector<LayerRecord> bad_variant = records;
    bad_variant[3].variant = "unseen";
    EXPECT_EQ(thrown_message<InvalidInput>([&] { mlp.predict_many(bad_variant); }),
              thrown_message<InvalidInput>([&] { mlp.predict(bad_variant[3]); }));
}

}  // namespace
}  // namespace snnipred::predict
