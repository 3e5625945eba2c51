#include "snnipred/engine/reference_executor.h"

#include <string>
#include <utility>

#include "network_runner.h"

namespace snnipred::engine {
namespace {

using Span = std::span<const std::uint64_t>;

void check_ring(const RingConfig& ring, const NetworkWeights& weights) {
    ring.validate();
    SNNIPRED_CHECK(ring.bits == weights.ring.bits && ring.scale == weights.ring.scale, ConfigError,
                   "weights quantised for a " + std::to_string(weights.ring.bits) + "-bit ring with scale " +
                       std::to_string(weights.ring.scale) + ", executor asked for " + std::to_string(ring.bits) +
                       " bits with scale " + std::to_string(ring.scale));
}

std::vector<std::vector<std::uint64_t>> run_ring(const Network& network, const NetworkWeights& weights,
                                                 Span input, const RingConfig& ring, bool keep_all) {
    check_ring(ring, weights);
    weights.check(network);
    std::vector<std::uint64_t> reduced(input.begin(), input.end());
    for (std::uint64_t& v : reduced) v = ring.reduce(v);
    const auto params = [&](std::size_t i) {
        return std::pair<Span, Span>{weights.layers[i].weight, weights.layers[i].bias};
    };
    return detail::run_layers(network, Span(reduced), detail::RingArith{ring}, params,
                              [](std::size_t, std::vector<std::uint64_t>&) {}, keep_all);
}

}  // namespace

std::vector<std::uint64_t> reference_layer(const Layer& layer, const LayerWeights& weights,
                                           const std::vector<const std::vector<std::uint64_t>*>& inputs,
                                           const RingConfig& ring) {
    ring.validate();
    SNNIPRED_CHECK(layer.type != LayerType::kInput, Unsupported, "the input layer has no computation");
    SNNIPRED_CHECK(inputs.size() == layer.input_shapes.size(), InvalidInput,
                   "layer '" + layer.name + "' takes " + std::to_string(layer.input_shapes.size()) +
                       " input(s), got " + std::to_string(inputs.size()));
    for (std::size_t k = 0; k < inputs.size(); ++k)
        SNNIPRED_CHECK(static_cast<std::int64_t>(inputs[k]->size()) == layer.input_shapes[k].elements(),
                       InvalidInput,
                       "layer '" + layer.name + "' input " + std::to_string(k) + " has " +
                           std::to_string(inputs[k]->size()) + " values, shape " + layer.input_shapes[k].str());
    SNNIPRED_CHECK(weights.weight.size() == weight_count(layer) && weights.bias.size() == bias_count(layer),
                   InvalidInput, "layer '" + layer.name + "': parameter tensors have the wrong size");
    return detail::eval_layer<detail::RingArith>(layer, inputs, Span(weights.weight), Span(weights.bias),
                                                 detail::RingArith{ring});
}

std::vector<std::vector<std::uint64_t>> run_reference_all(const Network& network, const NetworkWeights& weights,
                                                          Span input, const RingConfig& ring) {
    return run_ring(network, weights, input, ring, true);
}

std::vector<std::uint64_t> run_reference(const Network& network, const NetworkWeights& weights, Span input,
                                         const RingConfig& ring) {
    return std::move(run_ring(network, weights, input, ring, false).back());
}

std::vector<double> run_float(const Network& network, const NetworkWeights& weights, std::span<const double> input) {
    weights.check(network);
    std::vector<std::vector<double>> weight(weights.layers.size()), bias(weights.layers.size());
    for (std::size_t i = 0; i < weights.layers.size(); ++i) {
        weight[i] = real_weight(weights.layers[i], weights.ring);
        bias[i] = real_bias(weights.layers[i], weights.ring);
    }
    using FSpan = std::span<const double>;
    const auto params = [&](std::size_t i) { return std::pair<FSpan, FSpan>{weight[i], bias[i]}; };
    return std::move(detail::run_layers(network, input, detail::FloatArith{}, params,
                                        [](std::size_t, std::vector<double>&) {}, false)
                         .back());
}

}  // namespace snnipred::engine
