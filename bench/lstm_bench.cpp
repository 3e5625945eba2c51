// LSTM whole-network prediction time (t_pred): lowering, featurising and Eigen inference
// of zoo networks, for the smallest and the largest model the random search can pick.
// Weights are random (timing does not depend on their values) and built outside the
// timed region. BundleLstmPredict times the default bundle's LSTM instead, with its
// analytical base and the per-step correction bounds.
#include <map>
#include <string>

#include <benchmark/benchmark.h>

#include "snnipred/model/zoo.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/predict/lstm_predictor.h"

namespace snnipred::predict {
namespace {

LstmPredictor random_predictor(int hidden, int layers, int fc_layers, int fc_width) {
    const Eigen::Index features = LstmPredictor().features(zoo_network("lenet5")).cols();
    std::vector<LstmLayerWeights> lstm;
    Eigen::Index in = features;
    for (int l = 0; l < layers; ++l) {
        lstm.push_back({Eigen::MatrixXd::Random(4 * hidden, in) * 0.1, Eigen::MatrixXd::Random(4 * hidden, hidden) * 0.1,
                        Eigen::VectorXd::Zero(4 * hidden)});
        in = hidden;
    }
    in += features;  // step-sum head reads state and step features
    std::vector<MlpDenseLayer> head;
    for (int l = 0; l <= fc_layers; ++l) {
        const Eigen::Index out = l == fc_layers ? 2 : fc_width;
        head.push_back({Eigen::MatrixXd::Random(out, in) * 0.1, Eigen::VectorXd::Zero(out)});
        in = out;
    }
    LstmConfig config{hidden, layers, fc_layers, fc_width};
    std::map<std::string, std::vector<LstmRegressor>> models;
    models["LAN"].push_back(LstmRegressor(LstmHead::kStepSum, config,
                                          MlpStandardizer{Eigen::VectorXd::Zero(features), Eigen::VectorXd::Ones(features)},
                                          LstmInputRange{Eigen::VectorXd::Constant(features, -3), Eigen::VectorXd::Constant(features, 3)},
                                          std::move(lstm), std::move(head)));
    return LstmPredictor({}, "cheetah", std::move(models));
}

void BM_LstmPredict(benchmark::State& state, const char* name, int hidden, int layers, int fc_layers, int fc_width) {
    const Network network = zoo_network(name);
    const LstmPredictor predictor = random_predictor(hidden, layers, fc_layers, fc_width);
    for (auto _ : state) benchmark::DoNotOptimize(predictor.predict(network, "LAN"));
    state.counters["steps"] = static_cast<double>(predictor.features(network).rows());
}

void BM_LstmFeatures(benchmark::State& state, const char* name) {
    const Network network = zoo_network(name);
    const LstmPredictor predictor;
    for (auto _ : state) benchmark::DoNotOptimize(predictor.features(network));
}

// What `snnipred predict --method lstm` times as t_pred; the bundle is loaded once.
void BM_BundleLstmPredict(benchmark::State& state, const char* name, const char* setting) {
    static const Bundle bundle =
        load_bundle(std::string(SNNIPRED_SOURCE_DIR) + "/predictors/snnipred-default.bundle.gz");
    const Network network = zoo_network(name);
    const LstmPredictor& predictor = bundle.lstm_predictor();
    for (auto _ : state) benchmark::DoNotOptimize(predictor.predict(network, setting));
    state.counters["steps"] = static_cast<double>(predictor.features(network, setting).rows());
}

BENCHMARK_CAPTURE(BM_LstmFeatures, resnet50, "resnet50")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LstmFeatures, densenet121, "densenet121")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LstmPredict, resnet50_small, "resnet50", 16, 1, 0, 16)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LstmPredict, resnet50_largest, "resnet50", 64, 2, 3, 128)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LstmPredict, densenet121_small, "densenet121", 16, 1, 0, 16)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LstmPredict, densenet121_largest, "densenet121", 64, 2, 3, 128)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BundleLstmPredict, resnet50_lan, "resnet50", "LAN")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BundleLstmPredict, resnet50_wan, "resnet50", "WAN")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BundleLstmPredict, densenet121_lan, "densenet121", "LAN")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BundleLstmPredict, densenet121_wan, "densenet121", "WAN")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace snnipred::predict
