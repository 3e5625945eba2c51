#include "secure_layers.h"

#include <algorithm>
#include <string>

#include "snnipred/core/error.h"
#include "snnipred/engine/hom_bn.h"
#include "snnipred/engine/hom_conv.h"
#include "snnipred/engine/hom_fc.h"
#include "snnipred/engine/nonlinear.h"

namespace snnipred::engine::detail {
namespace {

std::vector<std::int64_t> to_signed(const std::vector<std::uint64_t>& values, const RingConfig& ring) {
    std::vector<std::int64_t> out(values.size());
    std::transform(values.begin(), values.end(), out.begin(), [&](std::uint64_t v) { return ring.to_signed(v); });
    return out;
}

[[noreturn]] void not_linear(const Layer& layer) {
    throw Unsupported("layer '" + layer.name + "' (" + std::string(layer_type_name(layer.type)) +
                      ") is not an HE linear layer");
}

}  // namespace

ShareVector linear_client(const HomClient& he, const Layer& layer, std::span<const std::uint64_t> x0,
                          net::Channel& channel, crypto::he::Prng& prng) {
    const Shape in = layer.input_shapes.front();
    switch (layer.type) {
        case LayerType::kConv: return HomConvClient(he, ConvShape::from_layer(layer)).run(x0, channel, prng);
        case LayerType::kFullyConnected:
            return HomFcClient(he, in.elements(), layer.out_channels).run(x0, channel, prng);
        case LayerType::kBatchNorm: return HomBnClient(he, in.c, in.h, in.w).run(x0, channel, prng);
        default: not_linear(layer);
    }
}

ShareVector linear_server(const HomServer& he, const Layer& layer, const LayerWeights& weights,
                          std::span<const std::uint64_t> x1, net::Channel& channel, crypto::he::Prng& prng) {
    const Shape in = layer.input_shapes.front();
    const RingConfig& ring = he.ring();
    std::vector<std::int64_t> w = to_signed(weights.weight, ring), b = to_signed(weights.bias, ring);
    switch (layer.type) {
        case LayerType::kConv:
            return HomConvServer(he, ConvShape::from_layer(layer), std::move(w), std::move(b)).run(x1, channel, prng);
        case LayerType::kFullyConnected:
            return HomFcServer(he, in.elements(), layer.out_channels, std::move(w), std::move(b))
                .run(x1, channel, prng);
        case LayerType::kBatchNorm:
            return HomBnServer(he, in.c, in.h, in.w, std::move(w), std::move(b)).run(x1, channel, prng);
        default: not_linear(layer);
    }
}

std::vector<std::vector<std::size_t>> pool_windows(const Layer& layer) {
    const Shape in = layer.input_shapes.front();
    std::vector<std::vector<std::size_t>> windows(static_cast<std::size_t>(layer.output.elements()));
    for_each_pool_window(layer, [&](std::int64_t c, std::int64_t out_index, const PoolWindow& w) {
        std::vector<std::size_t>& window = windows[static_cast<std::size_t>(out_index)];
        for (std::int64_t iy = w.iy0; iy < w.iy1; ++iy)
            for (std::int64_t ix = w.ix0; ix < w.ix1; ++ix)
                window.push_back(static_cast<std::size_t>((c * in.h + iy) * in.w + ix));
        SNNIPRED_CHECK(!window.empty(), InvalidInput, "pooling layer '" + layer.name + "' has a window with no input cell");
    });
    return windows;
}

ShareVector window_max(OtSession& session, std::span<const std::uint64_t> x,
                       const std::vector<std::vector<std::size_t>>& windows) {
    std::vector<std::vector<std::uint64_t>> values(windows.size());
    for (std::size_t w = 0; w < windows.size(); ++w)
        for (const std::size_t i : windows[w]) values[w].push_back(x[i]);
    return max_of_windows(session, std::move(values));
}

ShareVector local_layer(const Layer& layer, const std::vector<const std::vector<std::uint64_t>*>& inputs,
                        const RingConfig& ring) {
    switch (layer.type) {
        case LayerType::kAvgPool:
        case LayerType::kGlobalAvgPool:
        case LayerType::kAdd:
        case LayerType::kConcat:
        case LayerType::kFlatten:
        case LayerType::kPad:
        case LayerType::kIdentity:
            return eval_layer<ShareArith>(layer, inputs, std::span<const std::uint64_t>{},
                                          std::span<const std::uint64_t>{}, ShareArith{{ring}});
        default:
            throw Unsupported("layer '" + layer.name + "' (" + std::string(layer_type_name(layer.type)) +
                              ") is not local on shares");
    }
}

}  // namespace snnipred::engine::detail
