// Time to build the protocol plan of a zoo network (every step's bytes, rounds and
// primitive counts for both parties), the cost the snnipred backend's lowering and
// `predict --json`'s communication figures add to a prediction.
#include <benchmark/benchmark.h>

#include "snnipred/model/zoo.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::protocol {
namespace {

void BM_ProtocolPlan(benchmark::State& state, const char* name, HeSet he) {
    const Network network = zoo_network(name);
    const TruncationMode truncation = TruncationMode::kApproximate;
    const PlanOptions options{.ring = {}, .he = he_layout(he, truncation), .truncation = truncation};
    for (auto _ : state) benchmark::DoNotOptimize(plan_protocol(network, options));
    state.counters["steps"] = static_cast<double>(plan_protocol(network, options).steps.size());
}

BENCHMARK_CAPTURE(BM_ProtocolPlan, resnet50_cheetah, "resnet50", HeSet::kCheetah)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ProtocolPlan, resnet50_secure, "resnet50", HeSet::kSecure)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ProtocolPlan, densenet121_cheetah, "densenet121", HeSet::kCheetah)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ProtocolPlan, squeezenet1_1_cheetah, "squeezenet1_1", HeSet::kCheetah)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace snnipred::protocol
