#include "shape_inference.h"

#include <algorithm>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::detail {
namespace {

[[noreturn]] void fail(const Layer& layer, const std::string& what) {
    throw InvalidInput("layer '" + layer.name + "' (" + std::string(layer_type_name(layer.type)) + "): " + what);
}

void expect(bool condition, const Layer& layer, const std::string& what) {
    if (!condition) fail(layer, what);
}

// Bounds far above any real network keep all shape arithmetic inside int64.
constexpr std::int64_t kMaxAttribute = std::int64_t{1} << 24;

void expect_bounded(const Layer& layer) {
    const Window& w = layer.window;
    for (const std::int64_t value : {layer.out_channels, layer.groups, w.kernel_h, w.kernel_w, w.stride_h, w.stride_w,
                                     w.pad_top, w.pad_bottom, w.pad_left, w.pad_right})
        expect(value <= kMaxAttribute && value >= -kMaxAttribute, layer,
               "attribute value " + std::to_string(value) + " is out of range");
}

void expect_arity(const Layer& layer, std::size_t min, std::size_t max) {
    const std::size_t n = layer.inputs.size();
    expect(n >= min && n <= max, layer,
           "expects " + (min == max ? std::to_string(min) : std::to_string(min) + " or more") + " input(s), got " +
               std::to_string(n));
}

void resolve_padding(Layer& layer, std::int64_t& pad_a, std::int64_t& pad_b, std::int64_t in, std::int64_t kernel,
                     std::int64_t stride) {
    if (layer.window.padding == Padding::kValid) {
        pad_a = pad_b = 0;
    } else if (layer.window.padding == Padding::kSame) {
        const std::int64_t out = (in + stride - 1) / stride;
        const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + kernel - in, 0);
        pad_a = total / 2;
        pad_b = total - pad_a;
    }
}

// One spatial axis of a sliding window, with PyTorch's ceil-mode rule: the last window
// must start inside the input or its leading padding.
std::int64_t window_extent(const Layer& layer, const char* axis, std::int64_t in, std::int64_t kernel,
                           std::int64_t stride, std::int64_t pad_a, std::int64_t pad_b) {
    expect(kernel > 0 && stride > 0, layer, std::string("kernel and stride along ") + axis + " must be positive");
    expect(pad_a >= 0 && pad_b >= 0, layer, std::string("negative padding along ") + axis);
    expect(pad_a < kernel && pad_b < kernel, layer,
           std::string("padding along ") + axis + " must be smaller than the kernel");
    const std::int64_t span = in + pad_a + pad_b - kernel;
    expect(span >= 0, layer,
           std::string("kernel ") + std::to_string(kernel) + " larger than padded input " +
               std::to_string(in + pad_a + pad_b) + " along " + axis);
    std::int64_t out = span / stride + 1;
    if (layer.window.ceil_mode) {
        out = (span + stride - 1) / stride + 1;
        if ((out - 1) * stride >= in + pad_a) --out;
    }
    return out;
}

Shape windowed(Layer& layer, const Shape& in, std::int64_t channels) {
    Window& w = layer.window;
    resolve_padding(layer, w.pad_top, w.pad_bottom, in.h, w.kernel_h, w.stride_h);
    resolve_padding(layer, w.pad_left, w.pad_right, in.w, w.kernel_w, w.stride_w);
    w.padding = Padding::kExplicit;
    return {channels, window_extent(layer, "height", in.h, w.kernel_h, w.stride_h, w.pad_top, w.pad_bottom),
            window_extent(layer, "width", in.w, w.kernel_w, w.stride_w, w.pad_left, w.pad_right)};
}

Shape infer_conv(Layer& layer, const Shape& in) {
    expect(layer.out_channels > 0, layer, "out_channels must be positive");
    expect(layer.groups > 0, layer, "groups must be positive");
    expect(in.c % layer.groups == 0, layer,
           "input channels " + std::to_string(in.c) + " not divisible by groups " + std::to_string(layer.groups));
    expect(layer.out_channels % layer.groups == 0, layer,
           "out_channels " + std::to_string(layer.out_channels) + " not divisible by groups " +
               std::to_string(layer.groups));
    return windowed(layer, in, layer.out_channels);
}

Shape infer_pad(Layer& layer, const Shape& in) {
    const Window& w = layer.window;
    expect(w.pad_top >= 0 && w.pad_bottom >= 0 && w.pad_left >= 0 && w.pad_right >= 0, layer, "negative padding");
    return {in.c, in.h + w.pad_top + w.pad_bottom, in.w + w.pad_left + w.pad_right};
}

Shape infer_add(const Layer& layer) {
    for (const Shape& shape : layer.input_shapes)
        expect(shape == layer.input_shapes.front(), layer,
               "input shapes differ: " + layer.input_shapes.front().str() + " vs " + shape.str());
    return layer.input_shapes.front();
}

Shape infer_concat(const Layer& layer) {
    Shape out = layer.input_shapes.front();
    out.c = 0;
    for (std::size_t i = 0; i < layer.inputs.size(); ++i) {
        const Shape& shape = layer.input_shapes[i];
        expect(shape.h == out.h && shape.w == out.w, layer,
               "input '" + layer.inputs[i] + "' is " + shape.str() + " but concat needs spatial size " +
                   std::to_string(out.h) + "x" + std::to_string(out.w));
        out.c += shape.c;
    }
    return out;
}

}  // namespace

Shape infer_output_shape(Layer& layer) {
    expect_bounded(layer);
    switch (layer.type) {
        case LayerType::kInput: fail(layer, "a network has exactly one input layer, created with the network");
        case LayerType::kAdd: expect_arity(layer, 2, 2); return infer_add(layer);
        case LayerType::kConcat: expect_arity(layer, 1, SIZE_MAX); return infer_concat(layer);
        default: expect_arity(layer, 1, 1); break;
    }
    const Shape& in = layer.input_shapes.front();
    switch (layer.type) {
        case LayerType::kConv: return infer_conv(layer, in);
        case LayerType::kFullyConnected:
            expect(layer.out_channels > 0, layer, "outputs must be positive");
            expect(in.h == 1 && in.w == 1, layer, "expects a flat input, got " + in.str() + " (add a flatten)");
            return {layer.out_channels, 1, 1};
        case LayerType::kMaxPool:
        case LayerType::kAvgPool: return windowed(layer, in, in.c);
        case LayerType::kGlobalAvgPool: return {in.c, 1, 1};
        case LayerType::kRelu6:
            expect(layer.clip_min < layer.clip_max, layer, "clip_min must be below clip_max");
            return in;
        case LayerType::kFlatten: return {in.elements(), 1, 1};
        case LayerType::kPad: return infer_pad(layer, in);
        default: return in;  // relu, shifted_relu, batchnorm, identity
    }
}

}  // namespace snnipred::detail
