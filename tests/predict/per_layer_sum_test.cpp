// PerLayerSum: a network's prediction is the sum of its lowered steps' predictions.
#include "snnipred/predict/per_layer_sum.h"

#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"
#include "support/synthetic_snni.h"

namespace snnipred::predict {
namespace {

// A per-step cost every kind has: first raw feature, kind index and party, so the
// parties and the steps differ.
class FormulaPredictor : public Predictor {
public:
    std::string name() const override { return "formula"; }
    void fit(std::span<const LayerRecord> records) override { fitted_rows = records.size(); }
    double predict(const LayerRecord& r) const override {
        return r.raw.front().second * (1 + static_cast<int>(r.kind)) + (r.party == Party::kServer ? 0.5 : 0.25);
    }
    std::size_t fitted_rows = 0;
};

TEST(PerLayerSum, EqualsTheSumOfPerStepPredictions) {
    std::mt19937_64 rng(7);
    const Network net = test_support::random_network("n", rng);
    const LoweringOptions lowering = lowering_for_backend("cheetah");
    const PerLayerSum sum(std::make_shared<FormulaPredictor>(), lowering, "formula");

    double client = 0, server = 0;
    const FormulaPredictor formula;
    for (const ProtocolStep& step : lower_network(net, lowering)) {
        client += formula.predict(step_record(step, Party::kClient, "LAN"));
        server += formula.predict(step_record(step, Party::kServer, "LAN"));
    }
    const PartyTimes p = sum.predict(net, "LAN");
    EXPECT_DOUBLE_EQ(p.client_ms, client);
    EXPECT_DOUBLE_EQ(p.server_ms, server);
    EXPECT_EQ(sum.name(), "formula");
}

TEST(PerLayerSum, IsFittedOnLayerRecordsNotOnSamples) {
    const std::vector<LayerRecord> records(3);
    const auto sum = fit_per_layer_sum([] { return std::make_unique<FormulaPredictor>(); }, records,
                                       lowering_for_backend("snnipred"), "formula");
    EXPECT_EQ(dynamic_cast<const FormulaPredictor&>(sum->per_layer()).fitted_rows, 3u);
    test_support::expect_error_containing<Unsupported>([&] { sum->fit({}); }, "layer records");
}

}  // namespace
}  // namespace snnipred::predict
