#include "snnipred/engine/weights.h"

#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "network_runner.h"
#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/engine/fixed_point.h"

namespace snnipred::engine {
namespace {

// The layers whose weights multiply the client's ciphertexts (engine/hom_*.h).
bool multiplies_under_he(LayerType type) {
    return type == LayerType::kConv || type == LayerType::kFullyConnected || type == LayerType::kBatchNorm;
}

bool has_parameters(LayerType type) { return multiplies_under_he(type) || type == LayerType::kShiftedRelu; }

std::int64_t fan_in(const Layer& layer) {
    if (layer.type == LayerType::kConv)
        return layer.input_shapes.front().c / layer.groups * layer.window.kernel_h * layer.window.kernel_w;
    return layer.input_shapes.front().elements();
}

// Uniform in [lo, hi) from the top 53 bits: unlike std::uniform_real_distribution, the
// same on every standard library.
double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * std::ldexp(static_cast<double>(rng() >> 11), -53);
}

LayerParameters draw_layer(const Layer& layer, std::mt19937_64& rng) {
    LayerParameters w;
    w.weight.resize(weight_count(layer));
    w.bias.resize(bias_count(layer));
    if (layer.type == LayerType::kBatchNorm) {
        for (double& v : w.weight) v = uniform(rng, 0.75, 1.25);
    } else if (layer.type == LayerType::kShiftedRelu) {
        for (double& v : w.weight) v = uniform(rng, -1.0, 1.0) < 0 ? -1.0 : 1.0;
    } else {
        const double bound = std::sqrt(6.0 / static_cast<double>(fan_in(layer)));
        for (double& v : w.weight) v = uniform(rng, -bound, bound);
    }
    for (double& v : w.bias) v = uniform(rng, -0.1, 0.1);
    return w;
}

// Scales a conv/FC layer's weights (and its bias-free output) to output RMS 1, then adds
// the bias the pass left out.
void normalise(LayerParameters& w, std::vector<double>& out) {
    double sum = 0.0;
    for (const double v : out) sum += v * v;
    const double rms = std::sqrt(sum / static_cast<double>(out.size()));
    if (rms > 0.0) {
        for (double& v : w.weight) v /= rms;
        for (double& v : out) v /= rms;
    }
    if (w.bias.empty()) return;
    const std::size_t per_channel = out.size() / w.bias.size();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += w.bias[i / per_channel];
}

}  // namespace

std::size_t weight_count(const Layer& layer) {
    switch (layer.type) {
        case LayerType::kConv:
        case LayerType::kFullyConnected: return static_cast<std::size_t>(layer.out_channels * fan_in(layer));
        case LayerType::kBatchNorm:
        case LayerType::kShiftedRelu: return static_cast<std::size_t>(layer.output.c);
        default: return 0;
    }
}

std::size_t bias_count(const Layer& layer) {
    switch (layer.type) {
        case LayerType::kConv:
        case LayerType::kFullyConnected: return layer.bias ? static_cast<std::size_t>(layer.out_channels) : 0;
        case LayerType::kBatchNorm:
        case LayerType::kShiftedRelu: return static_cast<std::size_t>(layer.output.c);
        default: return 0;
    }
}

void check_tensor_sizes(const Network& network) {
    const auto check = [&](const Layer& layer, const char* what, std::uint64_t elements) {
        SNNIPRED_CHECK(elements <= kMaxTensorElements, InvalidInput,
                       "network '" + network.name() + "' layer '" + layer.name + "': " + what + " of " +
                           std::to_string(elements) + " elements exceeds the engine's limit of " +
                           std::to_string(kMaxTensorElements) + " per tensor");
    };
    for (const Layer& layer : network.layers()) {
        check(layer, ("output " + layer.output.str()).c_str(), static_cast<std::uint64_t>(layer.output.elements()));
        check(layer, "weights", weight_count(layer));
    }
}

void NetworkWeights::check(const Network& network) const {
    const std::vector<Layer>& net_layers = network.layers();
    SNNIPRED_CHECK(layers.size() == net_layers.size(), InvalidInput,
                   "weights have " + std::to_string(layers.size()) + " layer entries, network '" + network.name() +
                       "' has " + std::to_string(net_layers.size()) + " layers");
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& layer = net_layers[i];
        SNNIPRED_CHECK(layers[i].weight.size() == weight_count(layer) && layers[i].bias.size() == bias_count(layer),
                       InvalidInput,
                       "weights of layer '" + layer.name + "' have " + std::to_string(layers[i].weight.size()) +
                           " + " + std::to_string(layers[i].bias.size()) + " values, expected " +
                           std::to_string(weight_count(layer)) + " + " + std::to_string(bias_count(layer)));
    }
}

void check_weight_bound(const Network& network, const NetworkWeights& weights) {
    weights.check(network);
    const RingConfig& ring = weights.ring;
    const int bound_bits = crypto::he::weight_bits(ring.bits);
    const std::uint64_t bound = std::uint64_t{1} << bound_bits;
    for (std::size_t i = 0; i < weights.layers.size(); ++i) {
        const Layer& layer = network.layers()[i];
        if (!multiplies_under_he(layer.type)) continue;
        const std::vector<std::uint64_t>& values = weights.layers[i].weight;
        for (std::size_t k = 0; k < values.size(); ++k) {
            const std::int64_t w = ring.to_signed(values[k]);
            SNNIPRED_CHECK(static_cast<std::uint64_t>(w < 0 ? -w : w) <= bound, InvalidInput,
                           "weight " + std::to_string(k) + " of layer '" + layer.name + "' is " +
                               std::to_string(std::ldexp(static_cast<double>(w), -ring.scale)) +
                               ", beyond the public bound 2^" + std::to_string(bound_bits - ring.scale) +
                               " that the HE noise budget assumes (2^" + std::to_string(bound_bits) +
                               " at scale " + std::to_string(ring.scale) + ", docs/SECURITY.md)");
        }
    }
}

LayerWeights quantise_layer(std::span<const double> weight, std::span<const double> bias, const RingConfig& ring) {
    LayerWeights out;
    out.weight.reserve(weight.size());
    out.bias.reserve(bias.size());
    for (const double v : weight) out.weight.push_back(encode(v, ring, ring.scale));
    for (const double v : bias) out.bias.push_back(encode(v, ring, 2 * ring.scale));
    return out;
}

NetworkWeights quantise_weights(const Network& network, std::span<const LayerParameters> params,
                                const RingConfig& ring) {
    ring.validate();
    NetworkWeights weights;
    weights.ring = ring;
    weights.layers.reserve(params.size());
    for (const LayerParameters& p : params) weights.layers.push_back(quantise_layer(p.weight, p.bias, ring));
    weights.check(network);
    return weights;
}

std::vector<double> real_weight(const LayerWeights& weights, const RingConfig& ring) {
    std::vector<double> out;
    out.reserve(weights.weight.size());
    for (const std::uint64_t v : weights.weight) out.push_back(decode(v, ring, ring.scale));
    return out;
}

std::vector<double> real_bias(const LayerWeights& weights, const RingConfig& ring) {
    std::vector<double> out;
    out.reserve(weights.bias.size());
    for (const std::uint64_t v : weights.bias) out.push_back(decode(v, ring, 2 * ring.scale));
    return out;
}

std::vector<LayerParameters> random_parameters(const Network& network, std::uint64_t seed) {
    check_tensor_sizes(network);
    const std::vector<Layer>& layers = network.layers();
    std::mt19937_64 rng(seed);
    std::vector<LayerParameters> real(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (has_parameters(layers[i].type)) real[i] = draw_layer(layers[i], rng);

    std::vector<double> probe(static_cast<std::size_t>(network.input().output.elements()));
    for (double& v : probe) v = uniform(rng, -1.0, 1.0);
    using Span = std::span<const double>;
    const auto params = [&](std::size_t i) {
        // Conv/FC run without their bias so that normalise() sees the products alone.
        const bool linear = layers[i].type == LayerType::kConv || layers[i].type == LayerType::kFullyConnected;
        return std::pair<Span, Span>{real[i].weight, linear ? Span{} : Span(real[i].bias)};
    };
    const auto after = [&](std::size_t i, std::vector<double>& out) {
        if (layers[i].type == LayerType::kConv || layers[i].type == LayerType::kFullyConnected)
            normalise(real[i], out);
    };
    detail::run_layers(network, Span(probe), detail::FloatArith{}, params, after, false);
    return real;
}

NetworkWeights random_weights(const Network& network, std::uint64_t seed, const RingConfig& ring) {
    ring.validate();
    return quantise_weights(network, random_parameters(network, seed), ring);
}

}  // namespace snnipred::engine
