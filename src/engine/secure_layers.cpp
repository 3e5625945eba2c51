#include "secure_layers.h"

#include <algorithm>
#include <string>

#include "snnipred/core/error.h"
#include "snnipred/engine/hom_bn.h"
#include "snnipred/engine/hom_conv.h"
#include "snnipred/engine/hom_fc.h"
#include "snnipred/engine/nonlinear.h"
#include "snnipred/model/pool_windows.h"
#include "snnipred/protocol/max_pool.h"

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

ShareVector shifted_relu_layer(OtSession& session, std::span<const std::uint64_t> x, const Layer& layer,
                               const LayerWeights* weights) {
    if (weights == nullptr) return relu(session, x);
    // The reference's arithmetic (layer_kernels.h shifted_relu), so both shift alike.
    const RingArith ring{session.ring()};
    const std::size_t plane = static_cast<std::size_t>(layer.output.h * layer.output.w);
    const std::size_t channels = weights->weight.size();
    ShareVector shifted(x.size());
    for (std::size_t c = 0; c < channels; ++c) {
        const std::uint64_t shift = ring.finish(weights->bias[c]);
        for (std::size_t i = c * plane; i < (c + 1) * plane; ++i) shifted[i] = ring.clean(ring.add(x[i], shift));
    }
    BitShares kept = drelu(session, shifted);
    for (std::size_t c = 0; c < channels; ++c)
        if (!ring.positive(weights->weight[c]))
            for (std::size_t i = c * plane; i < (c + 1) * plane; ++i) kept[i] ^= 1;
    return multiplex(session, kept, shifted);
}

ShareVector max_pool_layer(OtSession& session, std::span<const std::uint64_t> x, const Layer& layer) {
    const Shape in = layer.input_shapes.front();
    std::vector<std::vector<std::uint64_t>> groups;
    if (protocol::max_pool_order(layer, session.nonlinear()) == protocol::MaxPoolOrder::kWindows) {
        groups.resize(static_cast<std::size_t>(layer.output.elements()));
        for_each_pool_window(layer, [&](std::int64_t c, std::int64_t out_index, const PoolWindow& w) {
            std::vector<std::uint64_t>& window = groups[static_cast<std::size_t>(out_index)];
            for (std::int64_t iy = w.iy0; iy < w.iy1; ++iy)
                for (std::int64_t ix = w.ix0; ix < w.ix1; ++ix)
                    window.push_back(x[static_cast<std::size_t>((c * in.h + iy) * in.w + ix)]);
            SNNIPRED_CHECK(!window.empty(), InvalidInput,
                           "pooling layer '" + layer.name + "' has a window with no input cell");
        });
        return max_of_windows(session, std::move(groups));
    }
    // Separable: the maximum of each read row under every column span, then of those row
    // maxima (laid out channel × read row × output column) under every row span.
    const PoolSpans spans = pool_spans(layer);
    const std::vector<std::int64_t> rows = protocol::pooled_rows(spans);
    std::vector<std::int64_t> row_position(static_cast<std::size_t>(in.h), -1);
    for (std::size_t r = 0; r < rows.size(); ++r) row_position[static_cast<std::size_t>(rows[r])] = static_cast<std::int64_t>(r);
    for (std::int64_t c = 0; c < in.c; ++c)
        for (const std::int64_t y : rows)
            for (const PoolSpan& cols : spans.cols) {
                std::vector<std::uint64_t>& group = groups.emplace_back();
                for (std::int64_t ix = cols.first; ix < cols.last; ++ix)
                    group.push_back(x[static_cast<std::size_t>((c * in.h + y) * in.w + ix)]);
            }
    const ShareVector row_maxima = max_of_windows(session, std::move(groups));
    groups.clear();
    const auto read_rows = static_cast<std::int64_t>(rows.size());
    const auto out_w = static_cast<std::int64_t>(spans.cols.size());
    for (std::int64_t c = 0; c < in.c; ++c)
        for (const PoolSpan& span : spans.rows)
            for (std::int64_t ox = 0; ox < out_w; ++ox) {
                std::vector<std::uint64_t>& group = groups.emplace_back();
                for (std::int64_t y = span.first; y < span.last; ++y)
                    group.push_back(row_maxima[static_cast<std::size_t>(
                        (c * read_rows + row_position[static_cast<std::size_t>(y)]) * out_w + ox)]);
            }
    return max_of_windows(session, std::move(groups));
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
