// Whole-network prediction time (the paper's t_pred): lowering a zoo network to Cheetah
// protocol steps and summing a predictor over them for both parties (analytical, and the
// default bundle's MLP). The predictors are fitted or loaded once, outside the timed region.
// Bundle and Mlp variants are what `snnipred predict` and `evaluate` time: the
// default bundle's models, lowering through the bundle's backend.
#include <map>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "snnipred/model/zoo.h"
#include "snnipred/predict/analytical.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_prediction.h"

namespace snnipred::predict {
namespace {

const AnalyticalPredictor& fitted(FeatureSet features) {
    static std::map<FeatureSet, std::unique_ptr<AnalyticalPredictor>> cache;
    auto& slot = cache[features];
    if (!slot) {
        const Dataset data =
            load_dataset(std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24").filter_setting("LAN");
        AnalyticalOptions options;
        options.features = features;
        slot = std::make_unique<AnalyticalPredictor>(options);
        slot->fit(data.records);
    }
    return *slot;
}

void BM_Lower(benchmark::State& state, const char* name) {
    const Network network = zoo_network(name);
    for (auto _ : state) benchmark::DoNotOptimize(lower_network(network));
    state.counters["steps"] = static_cast<double>(lower_network(network).size());
}

void BM_PredictSteps(benchmark::State& state, const char* name, FeatureSet features) {
    const Network network = zoo_network(name);
    const std::vector<ProtocolStep> steps = lower_network(network);
    const AnalyticalPredictor& predictor = fitted(features);
    for (auto _ : state) {
        state.PauseTiming();  // the copy stands in for a fresh lowering, timed in BM_Lower
        std::vector<ProtocolStep> copy = steps;
        state.ResumeTiming();
        benchmark::DoNotOptimize(predict_network(std::move(copy), predictor, "LAN"));
    }
}

// What `snnipred predict` times as t_pred: lowering plus prediction.
void BM_LowerAndPredict(benchmark::State& state, const char* name, FeatureSet features) {
    const Network network = zoo_network(name);
    const AnalyticalPredictor& predictor = fitted(features);
    for (auto _ : state) benchmark::DoNotOptimize(predict_network(lower_network(network), predictor, "LAN"));
}

// Lowering through the default bundle's backend and predicting every step for both parties
// with one of its methods, as `snnipred predict` times it; the bundle is loaded once.
const Bundle& default_bundle() {
    static const Bundle bundle =
        load_bundle(std::string(SNNIPRED_SOURCE_DIR) + "/predictors/snnipred-default.bundle.gz");
    return bundle;
}

void lower_and_predict_with_bundle(benchmark::State& state, Method method, const char* name, const char* setting) {
    const Bundle& bundle = default_bundle();
    const Predictor& predictor = bundle.predictor(method);
    const LoweringOptions lowering = lowering_for_backend(bundle.manifest.backend, bundle.manifest.ot);
    const Network network = zoo_network(name);
    for (auto _ : state)
        benchmark::DoNotOptimize(predict_network(lower_network(network, lowering), predictor, setting));
    state.counters["steps"] = static_cast<double>(lower_network(network, lowering).size());
}

// Lowering alone through the default bundle's backend (its protocol plan).
void BM_LowerForBundle(benchmark::State& state, const char* name) {
    const Bundle& bundle = default_bundle();
    const LoweringOptions lowering = lowering_for_backend(bundle.manifest.backend, bundle.manifest.ot);
    const Network network = zoo_network(name);
    for (auto _ : state) benchmark::DoNotOptimize(lower_network(network, lowering));
}

void BM_LowerAndPredictBundle(benchmark::State& state, const char* name, const char* setting) {
    lower_and_predict_with_bundle(state, Method::kAnalytical, name, setting);
}

void BM_LowerAndPredictMlp(benchmark::State& state, const char* name, const char* setting) {
    lower_and_predict_with_bundle(state, Method::kNn, name, setting);
}

// The default bundle's LSTM ensemble on a whole network (lowering, its MLP base and every
// member), as `snnipred predict` times it.
void BM_PredictLstm(benchmark::State& state, const char* name, const char* setting) {
    const Bundle& bundle = default_bundle();
    const Network network = zoo_network(name);
    for (auto _ : state) benchmark::DoNotOptimize(bundle.lstm_predictor().predict(network, setting));
}

BENCHMARK_CAPTURE(BM_Lower, resnet50, "resnet50")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Lower, densenet121, "densenet121")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictSteps, resnet50_paper, "resnet50", FeatureSet::kPaper)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictSteps, resnet50_protocol, "resnet50", FeatureSet::kProtocol)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredict, resnet50_paper, "resnet50", FeatureSet::kPaper)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredict, resnet50_protocol, "resnet50", FeatureSet::kProtocol)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredict, densenet121_paper, "densenet121", FeatureSet::kPaper)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredict, densenet121_protocol, "densenet121", FeatureSet::kProtocol)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerForBundle, resnet50, "resnet50")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictBundle, resnet50_lan, "resnet50", "LAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictBundle, densenet121_lan, "densenet121", "LAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictBundle, densenet121_wan, "densenet121", "WAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, resnet50_lan, "resnet50", "LAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, resnet50_wan, "resnet50", "WAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, densenet121_lan, "densenet121", "LAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, densenet121_wan, "densenet121", "WAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLstm, resnet50_lan, "resnet50", "LAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLstm, resnet50_wan, "resnet50", "WAN")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace snnipred::predict
