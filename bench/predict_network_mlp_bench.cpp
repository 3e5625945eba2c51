// Whole-network prediction time (t_pred) of the default bundle's per-layer MLP ("nn"):
// lowering a zoo network through the bundle's backend and predicting every step for both
// parties, as `snnipred predict` times it. The bundle is loaded once, outside the timed
// region.
#include <string>

#include <benchmark/benchmark.h>

#include "snnipred/model/zoo.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_prediction.h"

namespace snnipred::predict {
namespace {

const Bundle& default_bundle() {
    static const Bundle bundle =
        load_bundle(std::string(SNNIPRED_SOURCE_DIR) + "/predictors/snnipred-default.bundle.gz");
    return bundle;
}

void BM_LowerAndPredictMlp(benchmark::State& state, const char* name, const char* setting) {
    const Bundle& bundle = default_bundle();
    const Predictor& predictor = bundle.predictor(Method::kNn);
    const LoweringOptions lowering = lowering_for_backend(bundle.manifest.backend);
    const Network network = zoo_network(name);
    for (auto _ : state)
        benchmark::DoNotOptimize(predict_network(lower_network(network, lowering), predictor, setting));
    state.counters["steps"] = static_cast<double>(lower_network(network, lowering).size());
}

BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, resnet50_lan, "resnet50", "LAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, resnet50_wan, "resnet50", "WAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, densenet121_lan, "densenet121", "LAN")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LowerAndPredictMlp, densenet121_wan, "densenet121", "WAN")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace snnipred::predict
