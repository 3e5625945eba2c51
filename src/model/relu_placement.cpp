#include "snnipred/model/relu_placement.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace snnipred {
namespace {

// The ReLUs a max pool at position `pool` can take after it: its input if that is a ReLU
// read by nothing else, or every input of a concat read by nothing else when they all are.
std::vector<std::size_t> movable_relus(const Network& network, std::size_t pool, const std::vector<std::size_t>& readers) {
    const std::vector<Layer>& layers = network.layers();
    const auto sole_relu = [&](std::size_t i) { return layers[i].type == LayerType::kRelu && readers[i] == 1; };
    const std::size_t input = network.input_positions(pool).front();
    if (sole_relu(input)) return {input};
    if (layers[input].type != LayerType::kConcat || readers[input] != 1) return {};
    std::vector<std::size_t> relus;
    for (const std::size_t part : network.input_positions(input)) {
        if (!sole_relu(part)) return {};
        relus.push_back(part);
    }
    return relus;
}

}  // namespace

RewrittenNetwork relus_after_max_pools(const RewrittenNetwork& rewritten) {
    const Network& network = rewritten.network;
    const std::vector<Layer>& layers = network.layers();
    std::vector<std::size_t> readers(layers.size(), 0);
    for (std::size_t i = 0; i < layers.size(); ++i)
        for (const std::size_t input : network.input_positions(i)) ++readers[input];

    // Per pool, the ReLUs it takes after it; a moved ReLU's readers read what it read.
    std::vector<std::vector<std::size_t>> taken(layers.size());
    std::vector<bool> moved(layers.size(), false);
    std::unordered_map<std::string, std::string> bypassed;
    std::size_t moved_count = 0;
    for (std::size_t i = 1; i < layers.size(); ++i) {
        if (layers[i].type != LayerType::kMaxPool) continue;
        taken[i] = movable_relus(network, i, readers);
        for (const std::size_t relu : taken[i]) {
            moved[relu] = true;
            bypassed.emplace(layers[relu].name, layers[relu].inputs.front());
            ++moved_count;
        }
    }

    Network out(network.name(), network.input().output, network.input().name);
    std::vector<std::size_t> source{0};
    std::unordered_map<std::string, std::string> pool_to_relu;  // a pool's readers read its ReLU
    for (std::size_t i = 1; i < layers.size(); ++i) {
        if (moved[i]) continue;
        Layer layer = layers[i];
        for (std::string& input : layer.inputs) {
            if (const auto it = bypassed.find(input); it != bypassed.end()) input = it->second;
            if (const auto it = pool_to_relu.find(input); it != pool_to_relu.end()) input = it->second;
        }
        out.add(std::move(layer));
        source.push_back(i);
        if (taken[i].empty()) continue;
        Layer relu = layers[taken[i].front()];
        relu.inputs = {layers[i].name};
        pool_to_relu.emplace(layers[i].name, relu.name);
        out.add(std::move(relu));
        source.push_back(taken[i].front());
    }
    RewrittenNetwork result =
        detail::compose(rewritten, std::move(out), source, std::vector<std::optional<std::size_t>>(source.size()));
    result.applied.relu_after_pool = true;
    result.relus_moved = moved_count;
    return result;
}

}  // namespace snnipred
