// Whole-network prediction: the analytical fast path (features computed once per step,
// models looked up once per kind) against the per-record Predictor::predict it replaces.
#include "snnipred/predict/network_prediction.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/zoo.h"
#include "snnipred/predict/analytical.h"

namespace snnipred::predict {
namespace {

const std::string kData = std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24";

const Dataset& published_data() {
    static const Dataset data = load_dataset(kData);
    return data;
}

// Hides the predictor's type, so predict_network takes its generic per-record path.
class Opaque : public Predictor {
public:
    explicit Opaque(const Predictor& inner) : inner_(inner) {}
    std::string name() const override { return inner_.name(); }
    void fit(std::span<const LayerRecord>) override {}
    double predict(const LayerRecord& record) const override { return inner_.predict(record); }

private:
    const Predictor& inner_;
};

struct Case {
    const char* network;
    FeatureSet features;
    TruncationPlacement truncation;
};

class FastPathMatchesPredict : public testing::TestWithParam<Case> {};

TEST_P(FastPathMatchesPredict, StepByStepAndInTotal) {
    const Case c = GetParam();
    AnalyticalOptions options;
    options.features = c.features;
    AnalyticalPredictor predictor(options);
    predictor.fit(published_data().records);
    LoweringOptions lowering;
    lowering.truncation = c.truncation;
    const std::vector<ProtocolStep> steps = lower_network(zoo_network(c.network), lowering);

    for (const std::string setting : {"LAN", "WAN"}) {
        const NetworkPrediction fast = predict_network(steps, predictor, setting);
        const NetworkPrediction generic = predict_network(steps, Opaque(predictor), setting);
        ASSERT_EQ(fast.steps.size(), steps.size());
        ASSERT_EQ(generic.steps.size(), steps.size());
        double client = 0, server = 0;
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const double expected_client = predictor.predict(step_record(steps[i], Party::kClient, setting));
            const double expected_server = predictor.predict(step_record(steps[i], Party::kServer, setting));
            // Same arithmetic in the same order: equal bits, not merely close.
            EXPECT_EQ(fast.steps[i].client_ms, expected_client) << c.network << " step " << i;
            EXPECT_EQ(fast.steps[i].server_ms, expected_server) << c.network << " step " << i;
            EXPECT_EQ(generic.steps[i].client_ms, expected_client) << c.network << " step " << i;
            EXPECT_EQ(generic.steps[i].server_ms, expected_server) << c.network << " step " << i;
            client += expected_client;
            server += expected_server;
        }
        EXPECT_EQ(fast.client_ms, client);
        EXPECT_EQ(fast.server_ms, server);
        EXPECT_EQ(generic.client_ms, client);
        EXPECT_EQ(generic.server_ms, server);
    }
}

// ResNet-50 (residual adds, BN), DenseNet-121 (concats), MobileNetV2 (ReLU6, grouped
// convs), VGG-16 (several FC layers), under both truncation placements.
INSTANTIATE_TEST_SUITE_P(
    Zoo, FastPathMatchesPredict,
    testing::Values(Case{"resnet50", FeatureSet::kPaper, TruncationPlacement::kAthos},
                    Case{"resnet50", FeatureSet::kProtocol, TruncationPlacement::kAthos},
                    Case{"resnet50", FeatureSet::kProtocol, TruncationPlacement::kEager},
                    Case{"densenet121", FeatureSet::kProtocol, TruncationPlacement::kAthos},
                    Case{"mobilenet_v2", FeatureSet::kPaper, TruncationPlacement::kEager},
                    Case{"mobilenet_v2", FeatureSet::kProtocol, TruncationPlacement::kAthos},
                    Case{"vgg16", FeatureSet::kProtocol, TruncationPlacement::kAthos}));

TEST(PredictNetwork, MissingModelThrowsWhatPredictThrows) {
    AnalyticalPredictor predictor({FeatureSet::kProtocol});
    predictor.fit(published_data().filter_setting("LAN").records);
    const std::vector<ProtocolStep> steps = lower_network(zoo_network("resnet50"));
    std::string expected;
    try {
        predictor.predict(step_record(steps.front(), Party::kClient, "WAN"));
    } catch (const InvalidInput& e) {
        expected = e.what();
    }
    ASSERT_FALSE(expected.empty());
    try {
        predict_network(steps, predictor, "WAN");
        ADD_FAILURE() << "no exception";
    } catch (const InvalidInput& e) {
        EXPECT_EQ(std::string(e.what()), expected);
    }
}

}  // namespace
}  // namespace snnipred::predict
