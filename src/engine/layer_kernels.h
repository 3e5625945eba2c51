#pragma once
// Plaintext evaluation of one IR layer, written once for two arithmetics: the ring
// (fixed point, what the secure engine computes) and double precision (the real-valued
// model it approximates). An arithmetic A supplies:
//   Value                 element type
//   mul(w, x), add(a, b)  product / sum (the ring works mod 2^64 and reduces at the end)
//   finish(acc)           end of a linear layer: ring -> reduce, truncate by scale
//   less(a, b), positive  signed comparisons
//   constant(c)           a real constant at scale (clip bounds)
//   reciprocal(n)         1/n at scale (average pooling)

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "snnipred/engine/fixed_point.h"
#include "snnipred/model/pool_windows.h"
#include "snnipred/model/layer.h"

namespace snnipred::engine::detail {

struct RingArith {
    using Value = std::uint64_t;
    RingConfig ring;

    Value mul(Value a, Value b) const { return a * b; }
    Value add(Value a, Value b) const { return a + b; }
    Value finish(Value acc) const { return ring.from_signed(ring.to_signed(acc) >> ring.scale); }
    Value clean(Value v) const { return ring.reduce(v); }
    bool less(Value a, Value b) const { return ring.to_signed(a) < ring.to_signed(b); }
    bool positive(Value a) const { return ring.to_signed(a) > 0; }
    Value constant(double c) const { return encode(c, ring); }
    Value reciprocal(std::int64_t n) const { return encode(1.0 / static_cast<double>(n), ring); }
};

struct FloatArith {
    using Value = double;

    Value mul(Value a, Value b) const { return a * b; }
    Value add(Value a, Value b) const { return a + b; }
    Value finish(Value acc) const { return acc; }
    Value clean(Value v) const { return v; }
    bool less(Value a, Value b) const { return a < b; }
    bool positive(Value a) const { return a > 0; }
    Value constant(double c) const { return c; }
    Value reciprocal(std::int64_t n) const { return 1.0 / static_cast<double>(n); }
};

// [first, last) of the outputs o < n_out whose input index o * stride + offset lies in [0, n_in).
inline std::pair<std::int64_t, std::int64_t> valid_range(std::int64_t offset, std::int64_t stride, std::int64_t n_in,
                                                         std::int64_t n_out) {
    const std::int64_t first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    const std::int64_t last = offset > n_in - 1 ? 0 : std::min(n_out, (n_in - 1 - offset) / stride + 1);
    return {first, std::max(first, last)};
}

template <class A, class V = typename A::Value>
std::vector<V> conv(const Layer& layer, std::span<const V> x, std::span<const V> weight, std::span<const V> bias,
                    const A& a) {
    const Shape in = layer.input_shapes.front();
    const Shape out = layer.output;
    const Window& win = layer.window;
    const std::int64_t cin_g = in.c / layer.groups, cout_g = out.c / layer.groups;
    const std::int64_t plane = out.h * out.w;
    std::vector<V> y(static_cast<std::size_t>(out.elements()));
    std::vector<V> acc(static_cast<std::size_t>(plane));
    for (std::int64_t oc = 0; oc < out.c; ++oc) {
        std::fill(acc.begin(), acc.end(), bias.empty() ? V{} : bias[oc]);
        const std::int64_t group = oc / cout_g;
        for (std::int64_t icl = 0; icl < cin_g; ++icl) {
            const V* xc = x.data() + (group * cin_g + icl) * in.h * in.w;
            for (std::int64_t ky = 0; ky < win.kernel_h; ++ky) {
                for (std::int64_t kx = 0; kx < win.kernel_w; ++kx) {
                    const V w = weight[((oc * cin_g + icl) * win.kernel_h + ky) * win.kernel_w + kx];
                    // Outputs whose tap stays inside the input: no bounds test in the inner loop.
                    const auto [oy0, oy1] = valid_range(ky - win.pad_top, win.stride_h, in.h, out.h);
                    const auto [ox0, ox1] = valid_range(kx - win.pad_left, win.stride_w, in.w, out.w);
                    for (std::int64_t oy = oy0; oy < oy1; ++oy) {
                        const std::int64_t base = (oy * win.stride_h + ky - win.pad_top) * in.w + kx - win.pad_left;
                        V* row = acc.data() + oy * out.w;
                        for (std::int64_t ox = ox0; ox < ox1; ++ox)
                            row[ox] = a.add(row[ox], a.mul(w, xc[base + ox * win.stride_w]));
                    }
                }
            }
        }
        for (std::int64_t i = 0; i < plane; ++i) y[oc * plane + i] = a.finish(acc[i]);
    }
    return y;
}

template <class A, class V = typename A::Value>
std::vector<V> fully_connected(const Layer& layer, std::span<const V> x, std::span<const V> weight,
                               std::span<const V> bias, const A& a) {
    const std::size_t n = x.size();
    std::vector<V> y(static_cast<std::size_t>(layer.out_channels));
    for (std::size_t o = 0; o < y.size(); ++o) {
        V acc = bias.empty() ? V{} : bias[o];
        const V* row = weight.data() + o * n;
        for (std::size_t i = 0; i < n; ++i) acc = a.add(acc, a.mul(row[i], x[i]));
        y[o] = a.finish(acc);
    }
    return y;
}

// y[c, i] = f(c, x[c, i]) over the channels of a CHW tensor shaped as the layer's output.
template <class V, class F>
std::vector<V> per_channel(const Layer& layer, std::span<const V> x, F f) {
    const std::int64_t plane = layer.output.h * layer.output.w;
    std::vector<V> y(x.size());
    for (std::int64_t c = 0; c < layer.output.c; ++c)
        for (std::int64_t i = 0; i < plane; ++i) y[c * plane + i] = f(c, x[c * plane + i]);
    return y;
}

template <class A, class V = typename A::Value>
std::vector<V> batch_norm(const Layer& layer, std::span<const V> x, std::span<const V> scale,
                          std::span<const V> shift, const A& a) {
    return per_channel(layer, x, [&](std::int64_t c, V v) { return a.finish(a.add(a.mul(scale[c], v), shift[c])); });
}

// s[c] * relu(s[c] * (x + t[c])): relu(x + t) where the sign s is positive, min(x + t, 0)
// where it is not. The shift is given at twice the scale, as a batch norm's, and finish()
// brings it to the input's (the ring: an arithmetic shift, which the engine's server repeats).
template <class A, class V = typename A::Value>
std::vector<V> shifted_relu(const Layer& layer, std::span<const V> x, std::span<const V> sign,
                            std::span<const V> shift, const A& a) {
    return per_channel(layer, x, [&](std::int64_t c, V x_c) {
        const V v = a.clean(a.add(x_c, a.finish(shift[c])));
        const bool kept = a.positive(sign[c]) ? a.positive(v) : a.less(v, V{});
        return kept ? v : V{};
    });
}

// Max pooling ignores padding (it acts as -inf); average pooling counts it as zeros
// (PyTorch's count_include_pad=True), but with ceil_mode a window that runs past the
// padded input is divided only by the part inside it, as PyTorch does.
template <class A, class V = typename A::Value>
std::vector<V> pool(const Layer& layer, std::span<const V> x, const A& a) {
    const Shape in = layer.input_shapes.front();
    const bool is_max = layer.type == LayerType::kMaxPool;
    std::vector<V> y(static_cast<std::size_t>(layer.output.elements()));
    for_each_pool_window(layer, [&](std::int64_t c, std::int64_t out_index, const PoolWindow& w) {
        const V* xc = x.data() + c * in.h * in.w;
        bool any = false;
        V acc{};
        for (std::int64_t iy = w.iy0; iy < w.iy1; ++iy)
            for (std::int64_t ix = w.ix0; ix < w.ix1; ++ix) {
                const V v = xc[iy * in.w + ix];
                if (!is_max)
                    acc = a.add(acc, v);
                else if (!any || a.less(acc, v))
                    acc = v;
                any = true;
            }
        y[static_cast<std::size_t>(out_index)] = is_max ? acc : a.finish(a.mul(a.clean(acc), a.reciprocal(w.divisor)));
    });
    return y;
}

template <class A, class V = typename A::Value>
std::vector<V> global_avg_pool(const Layer& layer, std::span<const V> x, const A& a) {
    const Shape in = layer.input_shapes.front();
    const std::int64_t plane = in.h * in.w;
    const V r = a.reciprocal(plane);
    std::vector<V> y(static_cast<std::size_t>(in.c));
    for (std::int64_t c = 0; c < in.c; ++c) {
        V acc{};
        for (std::int64_t i = 0; i < plane; ++i) acc = a.add(acc, x[c * plane + i]);
        y[c] = a.finish(a.mul(a.clean(acc), r));
    }
    return y;
}

template <class A, class V = typename A::Value>
std::vector<V> zero_pad(const Layer& layer, std::span<const V> x) {
    const Shape in = layer.input_shapes.front();
    const Shape out = layer.output;
    std::vector<V> y(static_cast<std::size_t>(out.elements()), V{});
    for (std::int64_t c = 0; c < in.c; ++c)
        for (std::int64_t iy = 0; iy < in.h; ++iy)
            std::copy_n(x.data() + (c * in.h + iy) * in.w, in.w,
                        y.data() + (c * out.h + iy + layer.window.pad_top) * out.w + layer.window.pad_left);
    return y;
}

/// Output of `layer` from its inputs (in Layer::inputs order) and its parameters
/// (weight / bias as the arithmetic's values; empty for parameter-free layers).
template <class A, class V = typename A::Value>
std::vector<V> eval_layer(const Layer& layer, const std::vector<const std::vector<V>*>& inputs,
                          std::span<const V> weight, std::span<const V> bias, const A& a) {
    const std::vector<V>& x = *inputs.front();
    const std::span<const V> xs(x);
    switch (layer.type) {
        case LayerType::kConv: return conv<A>(layer, xs, weight, bias, a);
        case LayerType::kFullyConnected: return fully_connected<A>(layer, xs, weight, bias, a);
        case LayerType::kBatchNorm: return batch_norm<A>(layer, xs, weight, bias, a);
        case LayerType::kMaxPool:
        case LayerType::kAvgPool: return pool<A>(layer, xs, a);
        case LayerType::kGlobalAvgPool: return global_avg_pool<A>(layer, xs, a);
        case LayerType::kPad: return zero_pad<A>(layer, xs);
        case LayerType::kRelu: {
            std::vector<V> y(x.size());
            for (std::size_t i = 0; i < x.size(); ++i) y[i] = a.positive(x[i]) ? x[i] : V{};
            return y;
        }
        case LayerType::kShiftedRelu: return shifted_relu<A>(layer, xs, weight, bias, a);
        case LayerType::kRelu6: {
            const V lo = a.constant(layer.clip_min), hi = a.constant(layer.clip_max);
            std::vector<V> y(x.size());
            for (std::size_t i = 0; i < x.size(); ++i) y[i] = a.less(x[i], lo) ? lo : a.less(hi, x[i]) ? hi : x[i];
            return y;
        }
        case LayerType::kAdd: {
            const std::vector<V>& z = *inputs[1];
            std::vector<V> y(x.size());
            for (std::size_t i = 0; i < x.size(); ++i) y[i] = a.clean(a.add(x[i], z[i]));
            return y;
        }
        case LayerType::kConcat: {
            std::vector<V> y;
            for (const std::vector<V>* in : inputs) y.insert(y.end(), in->begin(), in->end());
            return y;
        }
        case LayerType::kInput:
        case LayerType::kFlatten:
        case LayerType::kIdentity: return x;
    }
    return x;
}

}  // namespace snnipred::engine::detail
