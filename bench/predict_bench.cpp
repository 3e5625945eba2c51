// Per-layer prediction latency of the analytical and MLP predictors on real Cheetah
// layer shapes (LAN). Models are fitted once, outside the timed region; each iteration
// predicts one record, cycling through the group's rows.
#include <map>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "snnipred/predict/analytical.h"
#include "snnipred/predict/mlp_predictor.h"

namespace snnipred::predict {
namespace {

const char* file_of(LayerKind kind) {
    switch (kind) {
        case LayerKind::kConv: return "conv_onlyTime_client.csv";
        case LayerKind::kFc: return "FC_onlyTime_client.csv";
        case LayerKind::kMaxPool: return "maxpool_onlyTime_client.csv";
        default: return "relu_onlyTime_client.csv";
    }
}

// One fitted fixture per (kind, method), shared by every run of the benchmark.
struct Fixture {
    std::vector<LayerRecord> records;
    std::unique_ptr<Predictor> predictor;
};

const Fixture& fixture(LayerKind kind, bool mlp) {
    static std::map<std::pair<LayerKind, bool>, Fixture> cache;
    auto it = cache.find({kind, mlp});
    if (it != cache.end()) return it->second;
    Fixture f;
    f.records = read_cheetah_file(std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24/LAN/" + file_of(kind), "LAN");
    if (mlp) {
        MlpPredictorOptions options;
        options.trials = 2;
        f.predictor = std::make_unique<MlpPredictor>(options);
    } else {
        f.predictor = std::make_unique<AnalyticalPredictor>(AnalyticalOptions{FeatureSet::kProtocol});
    }
    f.predictor->fit(f.records);
    return cache.emplace(std::make_pair(kind, mlp), std::move(f)).first->second;
}

void BM_PredictLayer(benchmark::State& state, LayerKind kind, bool mlp) {
    const Fixture& f = fixture(kind, mlp);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(f.predictor->predict(f.records[i]));
        if (++i == f.records.size()) i = 0;
    }
    state.SetLabel(f.predictor->name());
}

BENCHMARK_CAPTURE(BM_PredictLayer, conv_analytical, LayerKind::kConv, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLayer, conv_mlp, LayerKind::kConv, true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLayer, fc_analytical, LayerKind::kFc, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLayer, fc_mlp, LayerKind::kFc, true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLayer, maxpool_analytical, LayerKind::kMaxPool, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLayer, maxpool_mlp, LayerKind::kMaxPool, true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLayer, relu_analytical, LayerKind::kRelu, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PredictLayer, relu_mlp, LayerKind::kRelu, true)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace snnipred::predict
