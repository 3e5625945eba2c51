#include "snnipred/protocol/packing.h"

#include <algorithm>
#include <array>
#include <functional>
#include <unordered_map>
#include <initializer_list>
#include <string>
#include <tuple>

#include "snnipred/core/error.h"

namespace snnipred::protocol {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

void ConvShape::validate() const {
    const Window& w = window;
    SNNIPRED_CHECK(in_channels > 0 && in_h > 0 && in_w > 0 && out_channels > 0 && groups > 0, InvalidInput,
                   "engine/conv: sizes must be positive");
    SNNIPRED_CHECK(in_channels % groups == 0 && out_channels % groups == 0, InvalidInput,
                   "engine/conv: groups must divide both channel counts");
    SNNIPRED_CHECK(w.padding != Padding::kSame, InvalidInput, "engine/conv: SAME padding must be resolved to pads");
    SNNIPRED_CHECK(w.kernel_h > 0 && w.kernel_w > 0 && w.stride_h > 0 && w.stride_w > 0 && w.pad_top >= 0 &&
                       w.pad_bottom >= 0 && w.pad_left >= 0 && w.pad_right >= 0,
                   InvalidInput, "engine/conv: bad window");
    SNNIPRED_CHECK(w.kernel_h <= in_h + w.pad_top + w.pad_bottom && w.kernel_w <= in_w + w.pad_left + w.pad_right,
                   InvalidInput, "engine/conv: kernel larger than the padded input");
}

std::int64_t ConvShape::out_h() const {
    return (in_h + window.pad_top + window.pad_bottom - window.kernel_h) / window.stride_h + 1;
}

std::int64_t ConvShape::out_w() const {
    return (in_w + window.pad_left + window.pad_right - window.kernel_w) / window.stride_w + 1;
}

std::int64_t ConvShape::weight_count() const {
    return out_channels * (in_channels / groups) * window.kernel_h * window.kernel_w;
}

ConvShape ConvShape::from_layer(const Layer& conv) {
    SNNIPRED_CHECK(conv.type == LayerType::kConv && conv.input_shapes.size() == 1 && conv.input_shapes[0].valid(),
                   InvalidInput, "engine/conv: '" + conv.name + "' is not a conv with a known input shape");
    ConvShape shape{conv.input_shapes[0].c, conv.input_shapes[0].h, conv.input_shapes[0].w,
                    conv.out_channels, conv.groups, conv.window};
    if (shape.window.padding == Padding::kValid) {
        shape.window.pad_top = shape.window.pad_bottom = shape.window.pad_left = shape.window.pad_right = 0;
    }
    shape.validate();
    return shape;
}

namespace {

// The first output coefficient of a filter's product (O).
std::int64_t conv_top(std::int64_t block_c, std::int64_t block_h, std::int64_t block_w, const ConvPlan& p) {
    return (block_c - 1) * block_h * block_w + (p.kernel_h - 1) * block_w + (p.kernel_w - 1);
}

struct BlockChoice {
    std::int64_t blocks_c = 0, block_c = 0, blocks_o = 0, block_o = 1;

    // The weight coefficients a response sums: its kernel polynomials' over the channel blocks.
    std::int64_t fan_in(std::int64_t kernel) const { return blocks_c * block_c * kernel * block_o; }
};

// The channel and filter blocks candidates for one spatial block of `plane` coefficients:
// Cheetah's (as many channels as fit, one filter per response), or for dense packing every
// channel block count with as many filters per response as fit without wrapping into
// another filter's outputs and within the fan-in bound, and with one filter per response.
template <typename Visit>
void for_each_block_choice(const ConvPlan& p, std::int64_t block_h, std::int64_t block_w, ConvPacking packing,
                           std::uint64_t max_fan_in, Visit visit) {
    const std::int64_t plane = block_h * block_w;
    const std::int64_t widest_c = std::min(p.packed_channels, p.n / plane);
    const std::int64_t kernel = p.kernel_h * p.kernel_w;
    std::int64_t last_blocks = 0;
    for (std::int64_t c = widest_c; c >= 1; --c) {
        BlockChoice choice;
        choice.blocks_c = ceil_div(p.packed_channels, c);
        if (choice.blocks_c == last_blocks) continue;
        last_blocks = choice.blocks_c;
        choice.block_c = ceil_div(p.packed_channels, choice.blocks_c);
        if (packing == ConvPacking::kDense) {
            const std::int64_t span = choice.block_c * plane;  // filter_span (engine/hom_conv.h)
            const std::int64_t per_filter = BlockChoice{choice.blocks_c, choice.block_c, 1, 1}.fan_in(kernel);
            const std::int64_t by_fan_in = static_cast<std::int64_t>(max_fan_in) / std::max<std::int64_t>(per_filter, 1);
            const std::int64_t fit = std::min({p.filters, 1 + (p.n - choice.block_c * plane) / span, by_fan_in});
            choice.blocks_o = ceil_div(p.filters, std::max<std::int64_t>(fit, 1));
            choice.block_o = ceil_div(p.filters, choice.blocks_o);
            visit(choice);
            // One filter per response too: the smallest fan-in, so the most input rounding.
            if (choice.block_o == 1) continue;
            choice.blocks_o = p.filters;
            choice.block_o = 1;
            visit(choice);
            continue;
        }
        choice.blocks_o = p.filters;
        visit(choice);
        return;
    }
}

// Bytes of one input ciphertext of a candidate, by the candidate's fan-in.
using InputCtBytes = std::function<std::int64_t(std::int64_t fan_in)>;

// An HE layout's: rounded by as many bits as the fan-in leaves room for.
InputCtBytes input_bytes_by_fan_in(const HeLayout& he) {
    return [&he](std::int64_t fan_in) {
        return input_ciphertext_bytes(he, input_drop_bits(he, static_cast<std::uint64_t>(fan_in)));
    };
}

// How one dimension of a conv reads its padded input (ConvPlan's strides).
struct Axis {
    std::int64_t phases, sub, kernel, keep, eff, full;
};

Axis axis(std::int64_t kernel, std::int64_t stride, std::int64_t padded, std::int64_t out, bool split) {
    if (kernel == 1) return {1, stride, 1, 1, out, out};
    if (!split || stride == 1) return {1, 1, kernel, stride, padded, (out - 1) * stride + 1};
    const std::int64_t taps = ceil_div(kernel, stride);
    return {std::min(kernel, stride), stride, taps, 1, out + taps - 1, out};
}

// The plan's reading of its input before any block is chosen: strides split into phases or not.
ConvPlan conv_geometry(const ConvShape& shape, std::int64_t n, bool split) {
    const Window& win = shape.window;
    const Axis rows = axis(win.kernel_h, win.stride_h, shape.in_h + win.pad_top + win.pad_bottom, shape.out_h(), split);
    const Axis cols = axis(win.kernel_w, win.stride_w, shape.in_w + win.pad_left + win.pad_right, shape.out_w(), split);
    ConvPlan p;
    p.shape = shape;
    p.n = n;
    p.channels = shape.in_channels / shape.groups;
    p.filters = shape.out_channels / shape.groups;
    p.phases_h = rows.phases, p.sub_h = rows.sub, p.kernel_h = rows.kernel, p.keep_h = rows.keep;
    p.eff_h = rows.eff, p.full_h = rows.full;
    p.phases_w = cols.phases, p.sub_w = cols.sub, p.kernel_w = cols.kernel, p.keep_w = cols.keep;
    p.eff_w = cols.eff, p.full_w = cols.full;
    p.packed_channels = p.channels * p.phases_h * p.phases_w;
    return p;
}

// Whether a dimension strides over a kernel wider than one: what splitting into phases changes.
bool splits_into_phases(const Window& win) {
    return (win.kernel_h > 1 && win.stride_h > 1) || (win.kernel_w > 1 && win.stride_w > 1);
}

using ConvCost = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // bytes, products, -block area

// The block shape that minimises the bytes both ways for one geometry, ties broken by fewer
// products; `best` is the cost to beat (bytes < 0: none yet). Returns whether it was beaten.
// `fitting_only` skips choices beyond the fan-in bound (else the caller reports them).
bool search_conv_blocks(ConvPlan& p, const InputCtBytes& input_ct_bytes, std::int64_t output_ct_bytes,
                        std::uint64_t max_fan_in, ConvPacking packing, bool fitting_only, ConvCost& best) {
    const std::int64_t kh = p.kernel_h, kw = p.kernel_w, groups = p.shape.groups, n = p.n;
    // Search over the spatial block (Hb, Wb) and, per block, the channel (and filter) blocks
    // for_each_block_choice offers. With Cheetah's packing the cost is constant while Bh, Bw
    // and floor(N / (Hb Wb)) are, and the tie-break then prefers the largest block, so only
    // the last Hb and Wb of each such run can win: the choice of an exhaustive search over
    // every (Hb, Wb), in O(sqrt) instead of O(H W) steps per layer. Dense packing fits fewer
    // filters the larger the block, so it tries every (Hb, Wb).
    bool beaten = false;
    BlockChoice chosen;
    const std::int64_t h_max = std::max(kh, p.full_h + kh - 1), w_max = std::max(kw, p.full_w + kw - 1);
    for (std::int64_t hb = kh; hb <= h_max; ++hb) {
        const std::int64_t bh = ceil_div(p.full_h, hb - kh + 1);
        const std::int64_t widest = n / hb;  // Hb Wb <= N
        if (widest < kw) break;
        if (packing == ConvPacking::kCheetah)
            hb = std::min({h_max, n / widest, bh > 1 ? ceil_div(p.full_h, bh - 1) - 1 + kh - 1 : h_max});
        for (std::int64_t wb = kw; wb <= std::min(w_max, widest); ++wb) {
            const std::int64_t bw = ceil_div(p.full_w, wb - kw + 1);
            const std::int64_t per_block = widest / wb;  // floor(N / (Hb Wb))
            if (packing == ConvPacking::kCheetah)
                wb = std::min({w_max, widest / per_block, bw > 1 ? ceil_div(p.full_w, bw - 1) - 1 + kw - 1 : w_max});
            for_each_block_choice(p, hb, wb, packing, max_fan_in, [&](const BlockChoice& choice) {
                if (fitting_only && static_cast<std::uint64_t>(choice.fan_in(kh * kw)) > max_fan_in) return;
                const std::int64_t in = groups * choice.blocks_c * bh * bw;
                const std::int64_t out = groups * choice.blocks_o * bh * bw;
                const ConvCost cost{in * input_ct_bytes(choice.fan_in(kh * kw)) + out * output_ct_bytes,
                                    out * choice.blocks_c, -hb * wb};
                if (std::get<0>(best) < 0 || cost < best) {
                    best = cost;
                    beaten = true;
                    chosen = choice;
                    p.block_h = hb;
                    p.block_w = wb;
                    p.blocks_h = bh;
                    p.blocks_w = bw;
                }
            });
        }
    }
    if (!beaten) return false;
    // Channels (and filters) balanced over their blocks: same counts, fewer empty slots.
    p.blocks_c = chosen.blocks_c;
    p.block_c = chosen.block_c;
    p.blocks_o = chosen.blocks_o;
    p.block_o = chosen.block_o;
    p.first_output = conv_top(p.block_c, p.block_h, p.block_w, p);
    p.filter_span = p.block_c * p.block_h * p.block_w;
    p.input_cts = groups * p.blocks_c * p.blocks_h * p.blocks_w;
    p.output_cts = groups * p.blocks_o * p.blocks_h * p.blocks_w;
    p.products = p.output_cts * p.blocks_c;
    p.kernel_polys = groups * p.blocks_o * p.blocks_c;
    p.fan_in = chosen.fan_in(kh * kw);
    return true;
}

// The cheapest plan: Cheetah's strides, and with dense packing also the strides split into phases.
ConvPlan search_conv_plan(const ConvShape& shape, std::int64_t n, const InputCtBytes& input_ct_bytes,
                          std::int64_t output_ct_bytes, std::uint64_t max_fan_in, ConvPacking packing) {
    const Window& win = shape.window;
    SNNIPRED_CHECK(win.kernel_h * win.kernel_w <= n, InvalidInput, "engine/conv: the kernel does not fit in one polynomial");
    ConvCost best{-1, 0, 0};
    ConvPlan plan = conv_geometry(shape, n, false);
    search_conv_blocks(plan, input_ct_bytes, output_ct_bytes, max_fan_in, packing, false, best);
    if (packing == ConvPacking::kDense && splits_into_phases(win)) {
        ConvPlan phased = conv_geometry(shape, n, true);
        if (search_conv_blocks(phased, input_ct_bytes, output_ct_bytes, max_fan_in, packing, true, best)) plan = phased;
    }
    SNNIPRED_CHECK(static_cast<std::uint64_t>(plan.fan_in) <= max_fan_in, ConfigError,
                   "engine/conv: fan-in " + std::to_string(plan.fan_in) + " exceeds the noise budget's " +
                       std::to_string(max_fan_in));
    return plan;
}

}  // namespace

namespace {

// Networks repeat their conv shapes (and NAS loops their networks): each thread keeps the
// plans it searched, up to a bound. `costs` names what input_ct_bytes computes.
ConvPlan cached_conv_plan(const ConvShape& shape, std::int64_t n, std::array<std::int64_t, 2> costs,
                          const InputCtBytes& input_ct_bytes, std::int64_t output_ct_bytes, std::uint64_t max_fan_in,
                          ConvPacking packing) {
    shape.validate();
    using Key = std::array<std::int64_t, 19>;
    struct KeyHash {
        std::size_t operator()(const Key& key) const {
            std::size_t h = 0;
            for (const std::int64_t v : key) h = h * 1000003 ^ std::hash<std::int64_t>()(v);
            return h;
        }
    };
    constexpr std::size_t kMaxCachedPlans = 4096;
    thread_local std::unordered_map<Key, ConvPlan, KeyHash> cache;
    const Window& w = shape.window;
    const Key key{shape.in_channels, shape.in_h, shape.in_w, shape.out_channels, shape.groups, w.kernel_h, w.kernel_w,
                  w.stride_h, w.stride_w, w.pad_top, w.pad_bottom, w.pad_left, w.pad_right, n,
                  costs[0], costs[1], output_ct_bytes, static_cast<std::int64_t>(max_fan_in),
                  static_cast<std::int64_t>(packing)};
    if (const auto found = cache.find(key); found != cache.end()) {
        ConvPlan plan = found->second;
        plan.shape = shape;
        return plan;
    }
    ConvPlan plan = search_conv_plan(shape, n, input_ct_bytes, output_ct_bytes, max_fan_in, packing);
    if (cache.size() >= kMaxCachedPlans) cache.clear();
    cache.emplace(key, plan);
    return plan;
}

}  // namespace

ConvPlan plan_conv(const ConvShape& shape, std::int64_t n, std::int64_t input_ct_bytes, std::int64_t output_ct_bytes,
                   std::uint64_t max_fan_in, ConvPacking packing) {
    return cached_conv_plan(shape, n, {input_ct_bytes, -1}, [&](std::int64_t) { return input_ct_bytes; },
                            output_ct_bytes, max_fan_in, packing);
}

ConvPlan plan_conv(const ConvShape& shape, const HeLayout& he) {
    const InputCtBytes input_ct_bytes = input_bytes_by_fan_in(he);
    return cached_conv_plan(shape, he.n, {input_ciphertext_bytes(he, 0), static_cast<std::int64_t>(he.input_noise_room)},
                            input_ct_bytes, response_ciphertext_bytes(he), he.max_fan_in, he.conv_packing);
}

namespace {

FcPlan search_fc_plan(std::int64_t inputs, std::int64_t outputs, std::int64_t n, const InputCtBytes& input_ct_bytes,
                      std::int64_t output_ct_bytes, std::uint64_t max_fan_in) {
    SNNIPRED_CHECK(inputs > 0 && outputs > 0 && n > 0, InvalidInput, "engine/fc: sizes must be positive");
    const auto max_fan = static_cast<std::int64_t>(std::min<std::uint64_t>(max_fan_in, std::uint64_t{1} << 62));
    FcPlan p;
    p.n = n;
    p.inputs = inputs;
    p.outputs = outputs;
    // Counts stay the same while ceil(inputs / n_i) and floor(N / n_i) do: one n_i per run.
    // A response sums every weight of its row blocks: input_cts * block_in * block_out of
    // them (even blocks), which the fan-in bound caps by taking more row blocks.
    std::tuple<std::int64_t, std::int64_t> best{-1, 0};
    const std::int64_t ni_max = std::min(inputs, n);
    for (std::int64_t ni = 1; ni <= ni_max; ++ni) {
        const std::int64_t no = std::min(outputs, n / ni);
        const std::int64_t in = ceil_div(inputs, ni);
        ni = std::min({ni_max, n / (n / ni), in > 1 ? ceil_div(inputs, in - 1) - 1 : ni_max});
        const std::int64_t rows_allowed = max_fan / (in * ceil_div(inputs, in));
        if (rows_allowed < 1) continue;
        const std::int64_t out = std::max(ceil_div(outputs, no), ceil_div(outputs, rows_allowed));
        const std::int64_t fan_in = in * ceil_div(inputs, in) * ceil_div(outputs, out);
        const std::tuple<std::int64_t, std::int64_t> cost{in * input_ct_bytes(fan_in) + out * output_ct_bytes, in * out};
        if (std::get<0>(best) < 0 || cost < best) {
            best = cost;
            p.input_cts = in;
            p.output_cts = out;
        }
    }
    SNNIPRED_CHECK(std::get<0>(best) >= 0, ConfigError,
                   "engine/fc: " + std::to_string(inputs) + " inputs exceed the noise budget's fan-in of " +
                       std::to_string(max_fan_in));
    // Even chunks: same counts, smaller blocks.
    p.block_in = ceil_div(inputs, p.input_cts);
    p.block_out = ceil_div(outputs, p.output_cts);
    p.products = p.input_cts * p.output_cts;
    p.fan_in = p.input_cts * p.block_in * p.block_out;
    return p;
}

}  // namespace

FcPlan plan_fc(std::int64_t inputs, std::int64_t outputs, std::int64_t n, std::int64_t input_ct_bytes,
               std::int64_t output_ct_bytes, std::uint64_t max_fan_in) {
    return search_fc_plan(inputs, outputs, n, [&](std::int64_t) { return input_ct_bytes; }, output_ct_bytes,
                          max_fan_in);
}

FcPlan plan_fc(std::int64_t inputs, std::int64_t outputs, const HeLayout& he) {
    return search_fc_plan(inputs, outputs, he.n, input_bytes_by_fan_in(he), response_ciphertext_bytes(he),
                          he.max_fan_in);
}

BnPlan plan_bn(std::int64_t channels, std::int64_t h, std::int64_t w, std::int64_t n) {
    SNNIPRED_CHECK(channels > 0 && h > 0 && w > 0 && n > 0, InvalidInput, "engine/bn: sizes must be positive");
    BnPlan p{n, channels, h, w};
    const std::int64_t plane = h * w;
    if (plane <= n) {
        std::int64_t cb = 1;
        while ((cb + 1) * (cb + 1) * plane <= n) ++cb;
        p.blocks_c = ceil_div(channels, std::min(cb, channels));
        p.block_c = ceil_div(channels, p.blocks_c);
        p.chunks = 1;
        p.chunk = plane;
    } else {
        p.block_c = 1;
        p.blocks_c = channels;
        p.chunks = ceil_div(plane, n);
        p.chunk = ceil_div(plane, p.chunks);
    }
    p.input_cts = p.blocks_c * p.chunks;
    p.fan_in = p.block_c;
    return p;
}

}  // namespace snnipred::protocol
