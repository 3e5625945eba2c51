#include "snnipred/profile/generator.h"

#include <algorithm>
#include <cstdio>

#include "random_draw.h"
#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/core/error.h"
#include "snnipred/profile/cost.h"

namespace snnipred::profile {
namespace {

using detail::Draw;

std::string numbered(const std::string& prefix, int index) {
    char digits[16];
    std::snprintf(digits, sizeof(digits), "%04d", index);
    return prefix + "-" + digits;
}

// Appends layers to a network under construction, naming them <kind><n>.
class Builder {
public:
    Builder(std::string name, Shape input) : network_(std::move(name), input) {}

    const Shape& shape(const std::string& layer) const { return network_.find(layer)->output; }
    const std::string& last() const { return network_.output().name; }

    std::string add(Layer layer) {
        layer.name = std::string(layer_type_name(layer.type)) + std::to_string(++count_);
        return network_.add(std::move(layer)).name;
    }
    std::string simple(LayerType type, std::vector<std::string> inputs) {
        return add(simple_layer(type, "", std::move(inputs)));
    }

    // conv with the paper's ranges; SAME when the kernel does not fit the input.
    std::string conv(Draw& draw, const std::string& input, std::int64_t filters, bool keep_size) {
        const Shape in = shape(input);
        static constexpr std::int64_t kKernels[] = {1, 3, 5, 7};
        const std::int64_t kernel = draw.pick(kKernels);
        const std::int64_t stride = keep_size ? 1 : draw.uniform(1, 2);
        Layer layer = conv_layer("", input, filters, kernel, stride, 0, 1, draw.coin());
        const bool fits = kernel <= std::min(in.h, in.w);
        layer.window.padding = keep_size || !fits || draw.coin() ? Padding::kSame : Padding::kValid;
        return add(std::move(layer));
    }
    std::string conv_relu(Draw& draw, const std::string& input) {
        return simple(LayerType::kRelu, {conv(draw, input, draw.power_of_two(4, 10), false)});
    }
    std::string pool(Draw& draw, LayerType type, const std::string& input) {
        const Shape in = shape(input);
        const std::int64_t kernel = std::min<std::int64_t>(draw.uniform(2, 3), std::min(in.h, in.w));
        Layer layer = pool_layer(type, "", input, kernel, draw.uniform(1, 2));
        layer.window.padding = draw.coin() ? Padding::kSame : Padding::kValid;
        return add(std::move(layer));
    }

    Network take() { return std::move(network_); }

private:
    Network network_;
    int count_ = 0;
};

Network draw_family(const std::string& family, const std::string& name, Draw& draw, const GeneratorSpec& spec) {
    const Shape input = spec.input_sizes[static_cast<std::size_t>(
        draw.uniform(0, static_cast<std::int64_t>(spec.input_sizes.size()) - 1))];
    Builder b(name, input);
    const int blocks = static_cast<int>(draw.uniform(1, spec.max_blocks));
    std::string x = "input";
    if (family == "conv" || family == "conv_maxpool" || family == "conv_avgpool") {
        const LayerType pool = family == "conv_maxpool" ? LayerType::kMaxPool : LayerType::kAvgPool;
        bool pooled = false;
        for (int k = 0; k < blocks; ++k) {
            x = b.conv_relu(draw, x);
            if (family != "conv" && (draw.coin() || (k + 1 == blocks && !pooled))) {
                x = b.pool(draw, pool, x);
                pooled = true;
            }
        }
    } else if (family == "fc") {
        for (int k = 0; k + 1 < blocks; ++k) x = b.conv_relu(draw, x);
        // The engine's HE fc takes at most kMaxFanIn inputs; a larger map is pooled instead.
        const bool flatten_fits = b.shape(x).elements() <= static_cast<std::int64_t>(crypto::he::kMaxFanIn);
        x = b.simple(draw.coin() && flatten_fits ? LayerType::kFlatten : LayerType::kGlobalAvgPool, {x});
        if (draw.coin()) x = b.simple(LayerType::kRelu, {b.add(fc_layer("", x, draw.power_of_two(4, 10)))});
        x = b.add(fc_layer("", x, draw.power_of_two(4, 10)));
    } else if (family == "bn") {
        for (int k = 0; k < blocks; ++k) {
            x = b.simple(LayerType::kBatchNorm, {b.conv(draw, x, draw.power_of_two(4, 10), false)});
            x = b.simple(LayerType::kRelu, {x});
        }
    } else if (family == "residual") {
        x = b.conv_relu(draw, x);
        for (int k = 0; k < blocks; ++k) {
            const std::int64_t channels = b.shape(x).c;
            const std::string y = b.simple(LayerType::kRelu, {b.conv(draw, x, channels, true)});
            x = b.simple(LayerType::kRelu, {b.simple(LayerType::kAdd, {b.conv(draw, y, channels, true), x})});
        }
    } else if (family == "concat") {
        x = b.conv_relu(draw, x);
        for (int k = 0; k < blocks; ++k) {
            const std::string left = b.conv(draw, x, draw.power_of_two(4, 9), true);
            const std::string right = b.conv(draw, x, draw.power_of_two(4, 9), true);
            x = b.simple(LayerType::kRelu, {b.simple(LayerType::kConcat, {left, right})});
        }
    } else {
        throw ConfigError("unknown generator family '" + family + "'");
    }
    return b.take();
}

Network draw_sweep(const std::string& kind, const std::string& name, Draw& draw) {
    const std::int64_t side = draw.log_uniform(4, 224);
    if (kind == "relu") {
        Builder b(name, Shape{draw.log_uniform(64, std::int64_t{1} << 21), 1, 1});
        b.simple(LayerType::kRelu, {"input"});
        return b.take();
    }
    if (kind == "fc") {
        Builder b(name, Shape{draw.log_uniform(16, 50176), 1, 1});
        b.add(fc_layer("", "input", draw.log_uniform(8, 4096)));
        return b.take();
    }
    Builder b(name, Shape{draw.log_uniform(1, 512), side, side});
    if (kind == "conv") {
        b.conv(draw, "input", draw.log_uniform(1, 1024), false);
    } else if (kind == "maxpool" || kind == "avgpool") {
        b.pool(draw, kind == "maxpool" ? LayerType::kMaxPool : LayerType::kAvgPool, "input");
    } else if (kind == "bn") {
        b.simple(LayerType::kBatchNorm, {"input"});
    } else {
        throw ConfigError("unknown sweep kind '" + kind + "'");
    }
    return b.take();
}

// Redraws `draw_once` until the network is valid and its cost is in [floor_s, cap_s].
template <typename DrawOnce>
Network under_cap(const std::string& name, std::uint64_t seed, int index, const CostModel& cost, DrawOnce draw_once) {
    for (int attempt = 0; attempt < detail::kMaxAttempts; ++attempt) {
        Draw draw(seed, name, index, attempt);
        try {
            Network network = draw_once(draw);
            const double cost_s = estimated_cost_s(count_costs(network), cost);
            if (cost_s <= cost.cap_s && cost_s >= cost.floor_s) return network;
        } catch (const InvalidInput&) {
            // A draw Network::add rejects (e.g. a tensor too large) is redrawn like a costly one.
        }
    }
    throw ConfigError("network '" + name + "': no draw in " + std::to_string(detail::kMaxAttempts) +
                      " fits the cost window [floor_s, cap_s] = [" + std::to_string(cost.floor_s) + ", " +
                      std::to_string(cost.cap_s) +
                      "] s (widen generator.cost.floor_s..cap_s or change the input sizes)");
}

}  // namespace

Network generate_network(const std::string& family, int index, const GeneratorSpec& spec, std::uint64_t seed) {
    SNNIPRED_CHECK(std::find(generator_families().begin(), generator_families().end(), family) !=
                       generator_families().end(),
                   ConfigError, "unknown generator family '" + family + "'");
    const std::string name = numbered("gen-" + family, index);
    return under_cap(name, seed, index, spec.cost,
                     [&](Draw& draw) { return draw_family(family, name, draw, spec); });
}

Network generate_sweep(const std::string& kind, int index, const CostModel& cost, std::uint64_t seed) {
    SNNIPRED_CHECK(std::find(sweep_kinds().begin(), sweep_kinds().end(), kind) != sweep_kinds().end(), ConfigError,
                   "unknown sweep kind '" + kind + "'");
    const std::string name = numbered("sweep-" + kind, index);
    return under_cap(name, seed, index, cost, [&](Draw& draw) { return draw_sweep(kind, name, draw); });
}

}  // namespace snnipred::profile
