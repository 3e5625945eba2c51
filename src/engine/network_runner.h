#pragma once
// Runs a Network layer by layer in topological order with one of the arithmetics of
// layer_kernels.h. Shared by the ring and float executors and by the data-dependent
// weight scaling of random_weights.

#include <cstddef>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "layer_kernels.h"
#include "snnipred/core/error.h"
#include "snnipred/model/network.h"

namespace snnipred::engine::detail {

/// `params(i)` gives layer i's (weight, bias) spans; `after(i, output)` may inspect or
/// change a layer's output before later layers read it. With keep_all false, a tensor is
/// freed after its last reader and only the output layer's entry is left non-empty.
template <class A, class Params, class After, class V = typename A::Value>
std::vector<std::vector<V>> run_layers(const Network& network, std::span<const V> input, const A& a,
                                       const Params& params, const After& after, bool keep_all) {
    const std::vector<Layer>& layers = network.layers();
    SNNIPRED_CHECK(static_cast<std::int64_t>(input.size()) == network.input().output.elements(), InvalidInput,
                   "network '" + network.name() + "' expects an input of " + network.input().output.str() +
                       " = " + std::to_string(network.input().output.elements()) + " values, got " +
                       std::to_string(input.size()));
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::size_t> last_use(layers.size(), 0);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        index.emplace(layers[i].name, i);
        for (const std::string& name : layers[i].inputs) last_use[index.at(name)] = i;
    }
    std::vector<std::vector<V>> values(layers.size());
    values[0].assign(input.begin(), input.end());
    for (std::size_t i = 1; i < layers.size(); ++i) {
        const Layer& layer = layers[i];
        std::vector<const std::vector<V>*> inputs;
        for (const std::string& name : layer.inputs) inputs.push_back(&values[index.at(name)]);
        const auto [weight, bias] = params(i);
        values[i] = eval_layer<A>(layer, inputs, weight, bias, a);
        after(i, values[i]);
        if (keep_all) continue;
        for (const std::string& name : layer.inputs) {
            const std::size_t j = index.at(name);
            if (last_use[j] == i && j + 1 != layers.size()) std::vector<V>().swap(values[j]);
        }
    }
    return values;
}

}  // namespace snnipred::engine::detail
