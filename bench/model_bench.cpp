// Cost of building and featurising networks: the floor under every prediction.
#include <benchmark/benchmark.h>

#include "snnipred/model/features.h"
#include "snnipred/model/json_format.h"
#include "snnipred/model/zoo.h"

namespace snnipred {
namespace {

void BM_BuildZooNetwork(benchmark::State& state, const char* name) {
    for (auto _ : state) benchmark::DoNotOptimize(zoo_network(name));
}

void BM_NetworkFeatures(benchmark::State& state, const char* name) {
    const Network network = zoo_network(name);
    for (auto _ : state) {
        double sum = 0;
        for (const Layer& layer : network.layers()) sum += composite_features(layer).n_op;
        benchmark::DoNotOptimize(sum);
        benchmark::DoNotOptimize(network_totals(network));
    }
}

void BM_JsonRoundTrip(benchmark::State& state, const char* name) {
    const std::string text = network_to_json(zoo_network(name));
    for (auto _ : state) benchmark::DoNotOptimize(network_from_json(text, name));
}

BENCHMARK_CAPTURE(BM_BuildZooNetwork, resnet50, "resnet50");
BENCHMARK_CAPTURE(BM_BuildZooNetwork, densenet121, "densenet121");
BENCHMARK_CAPTURE(BM_NetworkFeatures, resnet50, "resnet50");
BENCHMARK_CAPTURE(BM_NetworkFeatures, densenet121, "densenet121");
BENCHMARK_CAPTURE(BM_JsonRoundTrip, resnet50, "resnet50");

}  // namespace
}  // namespace snnipred
