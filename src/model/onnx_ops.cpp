// Lowering of each supported ONNX op to IR layers. Only shapes matter here: weights are
// read for their dims and recorded as ParameterSources (onnx_weights.cpp reads their
// values), and the few small constants an op interprets are read for their values.

#include <cmath>
#include <limits>
#include <sstream>

#include "onnx_graph.h"

namespace snnipred::onnx_detail {
namespace {

std::string number(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

// A two-value attribute (strides, dilations) or its default.
std::vector<std::int64_t> pair_attribute(const NodeRef& ref, std::string_view name, std::int64_t fallback) {
    const auto values = ints_attribute(ref, name).value_or(std::vector<std::int64_t>{fallback, fallback});
    if (values.size() != 2) ref.invalid(std::string(name) + " must hold 2 values, got " + int_list_text(values));
    return values;
}

// The scalar in constant input `tensor` (a Clip bound, a Pad value).
double scalar_value(const NodeRef& ref, const onnx::TensorProto& tensor, const char* what) {
    const std::vector<double> values = real_values(tensor, ref.where, 1);
    if (values.size() != 1 || std::isnan(values.front())) ref.invalid(std::string(what) + " must be a number");
    return values.front();
}

}  // namespace

Window GraphImporter::read_window(const NodeRef& ref, std::int64_t kernel_h, std::int64_t kernel_w) {
    if (kernel_h < 1 || kernel_w < 1 || kernel_h > kMaxExtent || kernel_w > kMaxExtent ||
        kernel_h * kernel_w > kMaxExtent)
        ref.invalid("kernel " + int_list_text({kernel_h, kernel_w}) + " must be positive and at most " +
                    std::to_string(kMaxExtent) + " elements");
    Window window;
    window.kernel_h = kernel_h;
    window.kernel_w = kernel_w;
    const auto strides = pair_attribute(ref, "strides", 1);
    for (const std::int64_t stride : strides)
        if (stride < 1 || stride > kMaxExtent) ref.invalid("strides " + int_list_text(strides) + " must be positive");
    window.stride_h = strides[0];
    window.stride_w = strides[1];
    const auto dilations = pair_attribute(ref, "dilations", 1);
    if (dilations[0] != 1 || dilations[1] != 1) ref.unsupported("dilations " + int_list_text(dilations));
    const std::string auto_pad = string_attribute(ref, "auto_pad", "NOTSET");
    if (auto_pad == "SAME_UPPER") {
        window.padding = Padding::kSame;
    } else if (auto_pad == "VALID") {
        window.padding = Padding::kValid;
    } else if (auto_pad == "SAME_LOWER") {
        ref.unsupported("auto_pad SAME_LOWER");
    } else if (auto_pad == "NOTSET" || auto_pad.empty()) {
        // ONNX order: [top, left, bottom, right].
        const auto pads = ints_attribute(ref, "pads").value_or(std::vector<std::int64_t>(4, 0));
        if (pads.size() != 4) ref.invalid("pads must hold 4 values, got " + int_list_text(pads));
        for (const std::int64_t pad : pads)
            if (pad < 0 || pad > kMaxExtent) ref.invalid("pads " + int_list_text(pads) + " out of range");
        window.pad_top = pads[0];
        window.pad_left = pads[1];
        window.pad_bottom = pads[2];
        window.pad_right = pads[3];
    } else {
        ref.invalid("unknown auto_pad '" + auto_pad + "'");
    }
    return window;
}

void GraphImporter::lower_conv(const NodeRef& ref) {
    const Value& x = activation(ref, 0);
    if (ref.node.input_size() > 3) ref.invalid("expects at most 3 inputs");
    if (x.rank != 4) ref.invalid("expects an (N,C,H,W) input");
    const std::vector<std::int64_t> w = tensor_dims(constant(ref, 1), ref.where);
    if (w.size() != 4) ref.unsupported("weight of rank " + std::to_string(w.size()) + " (2-D convolutions only)");
    for (const std::int64_t dim : w)
        if (dim == 0) ref.invalid("weight shape " + int_list_text(w) + " has a zero dimension");
    const std::int64_t groups = int_attribute(ref, "group", 1);
    if (groups < 1 || groups > kMaxExtent) ref.invalid("group " + std::to_string(groups) + " out of range");
    const Shape& in = shape_of(x);
    if (w[1] * groups != in.c)
        ref.invalid("weight " + int_list_text(w) + " with group " + std::to_string(groups) + " expects " +
                    std::to_string(w[1] * groups) + " input channels, the input is " + in.str());
    if (const auto kernel = ints_attribute(ref, "kernel_shape"); kernel && *kernel != std::vector{w[2], w[3]})
        ref.invalid("kernel_shape " + int_list_text(*kernel) + " does not match weight " + int_list_text(w));
    Layer layer = simple_layer(LayerType::kConv, {}, {x.layer});
    layer.out_channels = w[0];
    layer.groups = groups;
    layer.window = read_window(ref, w[2], w[3]);
    if (has_input(ref.node, 2)) {
        const std::int64_t count = tensor_elements(constant(ref, 2), ref.where);
        if (count != w[0])
            ref.invalid("bias has " + std::to_string(count) + " values, expected " + std::to_string(w[0]));
        layer.bias = true;
    }
    add_layer(ref, std::move(layer), 4);
    add_parameters({.weight = &constant(ref, 1), .bias = has_input(ref.node, 2) ? &constant(ref, 2) : nullptr});
}

void GraphImporter::lower_gemm(const NodeRef& ref) {
    const Value& a = activation(ref, 0);
    if (ref.node.input_size() > 3) ref.invalid("expects at most 3 inputs");
    if (int_attribute(ref, "transA", 0) != 0) ref.unsupported("transA=1");
    const bool trans_b = int_attribute(ref, "transB", 0) != 0;
    const std::vector<std::int64_t> w = tensor_dims(constant(ref, 1), ref.where);
    if (w.size() != 2) ref.invalid("weight " + int_list_text(w) + " must be 2-D");
    const std::int64_t inputs = trans_b ? w[1] : w[0];
    const std::int64_t outputs = trans_b ? w[0] : w[1];
    const Shape& in = shape_of(a);
    if (inputs != in.elements())
        ref.invalid("weight " + int_list_text(w) + (trans_b ? " (transposed)" : "") + " expects " + std::to_string(inputs) +
                    " inputs, the input is " + in.str());
    Layer layer = fc_layer({}, a.layer, outputs, false);
    if (has_input(ref.node, 2)) {
        const std::int64_t count = tensor_elements(constant(ref, 2), ref.where);
        if (count != outputs && count != 1)
            ref.invalid("bias has " + std::to_string(count) + " values, expected " + std::to_string(outputs));
        layer.bias = float_attribute(ref, "beta").value_or(1.0) != 0.0;
    }
    const bool bias = layer.bias;
    add_layer(ref, std::move(layer), 2);
    add_parameters({.weight = &constant(ref, 1),
                    .bias = bias ? &constant(ref, 2) : nullptr,
                    .transposed = !trans_b,
                    .alpha = float_attribute(ref, "alpha").value_or(1.0),
                    .beta = float_attribute(ref, "beta").value_or(1.0)});
}

// MatMul of a flat activation by a constant [in, out]; an Add of a constant right after it
// (PyTorch's Linear on non-2-D inputs) becomes the FC's bias.
void GraphImporter::lower_matmul(const NodeRef& ref) {
    const Value& a = activation(ref, 0);
    if (ref.node.input_size() != 2) ref.invalid("expects 2 inputs");
    if (a.rank != 2) ref.unsupported("an input of rank 4 (only a flat vector times a 2-D weight)");
    const std::vector<std::int64_t> w = tensor_dims(constant(ref, 1), ref.where);
    if (w.size() != 2) ref.unsupported("weight " + int_list_text(w) + " that is not 2-D");
    const Shape& in = shape_of(a);
    if (w[0] != in.elements())
        ref.invalid("weight " + int_list_text(w) + " expects " + std::to_string(w[0]) + " inputs, the input is " + in.str());
    Layer layer = fc_layer({}, a.layer, w[1], false);
    const onnx::TensorProto* bias_tensor = nullptr;
    if (ref.node.output_size() > 0) {
        const std::string& out = ref.node.output(0);
        if (const auto add = bias_add_of(out)) {
            const onnx::NodeProto& add_node = graph_.node(static_cast<int>(*add));
            const std::string& bias = add_node.input(0) == out ? add_node.input(1) : add_node.input(0);
            const NodeRef add_ref = node_ref(*add);
            const std::int64_t count = tensor_elements(*values_.at(bias).constant, add_ref.where);
            if (count != w[1] && count != 1)
                add_ref.invalid("bias has " + std::to_string(count) + " values, expected " + std::to_string(w[1]));
            layer.bias = true;
            bias_tensor = values_.at(bias).constant;
            fused_adds_.insert(*add);
        }
    }
    add_layer(ref, std::move(layer), 2);
    add_parameters({.weight = &constant(ref, 1), .bias = bias_tensor, .transposed = true});
}

void GraphImporter::lower_pool(const NodeRef& ref, LayerType type) {
    const Value& x = activation(ref, 0);
    if (x.rank != 4) ref.invalid("expects an (N,C,H,W) input");
    const auto kernel = ints_attribute(ref, "kernel_shape");
    if (!kernel || kernel->size() != 2) ref.invalid("kernel_shape must hold 2 values");
    Layer layer = simple_layer(type, {}, {x.layer});
    layer.window = read_window(ref, (*kernel)[0], (*kernel)[1]);
    const std::int64_t ceil_mode = int_attribute(ref, "ceil_mode", 0);
    if (ceil_mode != 0 && ceil_mode != 1) ref.invalid("ceil_mode must be 0 or 1");
    layer.window.ceil_mode = ceil_mode == 1;
    add_layer(ref, std::move(layer), 4);
}

// Clip(0, 6) is ReLU6, Clip(0, inf) is ReLU, other finite bounds keep their values.
// Bounds are attributes before opset 11 and constant inputs from then on.
void GraphImporter::lower_clip(const NodeRef& ref) {
    const Value& x = activation(ref, 0);
    if (ref.node.input_size() > 3) ref.invalid("expects at most 3 inputs");
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double low = float_attribute(ref, "min").value_or(-kInf);
    double high = float_attribute(ref, "max").value_or(kInf);
    if (has_input(ref.node, 1)) low = scalar_value(ref, constant(ref, 1), "min");
    if (has_input(ref.node, 2)) high = scalar_value(ref, constant(ref, 2), "max");
    if (std::isnan(low) || std::isnan(high)) ref.invalid("bounds must be numbers");
    Layer layer = simple_layer(LayerType::kRelu6, {}, {x.layer});
    if (low == 0.0 && high == kInf) {
        layer.type = LayerType::kRelu;
    } else if (std::isfinite(low) && std::isfinite(high)) {
        layer.clip_min = low;
        layer.clip_max = high;
    } else {
        ref.unsupported("bounds [" + number(low) + ", " + number(high) + "] (two finite bounds, or [0, inf))");
    }
    add_layer(ref, std::move(layer), x.rank);
}

void GraphImporter::lower_batch_norm(const NodeRef& ref) {
    const Value& x = activation(ref, 0);
    if (ref.node.input_size() != 5) ref.invalid("expects 5 inputs (X, scale, B, mean, var)");
    const Shape& in = shape_of(x);
    for (int i = 1; i < 5; ++i) {
        const std::int64_t count = tensor_elements(constant(ref, i), ref.where);
        if (count != in.c)
            ref.invalid("input '" + ref.node.input(i) + "' has " + std::to_string(count) + " values for " +
                        std::to_string(in.c) + " channels");
    }
    if (int_attribute(ref, "training_mode", 0) != 0) ref.unsupported("training_mode=1");
    add_layer(ref, simple_layer(LayerType::kBatchNorm, {}, {x.layer}), x.rank);
    add_parameters({.weight = &constant(ref, 1),
                    .bias = &constant(ref, 2),
                    .mean = &constant(ref, 3),
                    .var = &constant(ref, 4),
                    .epsilon = float_attribute(ref, "epsilon").value_or(1e-5)});
}

void GraphImporter::lower_add(const NodeRef& ref, std::size_t index) {
    if (ref.node.input_size() != 2) ref.invalid("expects 2 inputs");
    const Value& a = input(ref, 0);
    const Value& b = input(ref, 1);
    if (fused_adds_.contains(index)) return define(ref, a.constant == nullptr ? a : b);
    if (a.constant != nullptr || b.constant != nullptr)
        ref.unsupported("adding a constant (only as the bias right after a MatMul)");
    add_layer(ref, simple_layer(LayerType::kAdd, {}, {a.layer, b.layer}), a.rank);
}

void GraphImporter::lower_concat(const NodeRef& ref) {
    if (ref.node.input_size() < 1) ref.invalid("has no inputs");
    if (find_attribute(ref.node, "axis") == nullptr) ref.invalid("attribute 'axis' is missing");
    std::int64_t axis = int_attribute(ref, "axis", 1);
    const int rank = activation(ref, 0).rank;
    if (axis < 0) axis += rank;
    if (axis != 1) ref.unsupported("concatenation along axis " + std::to_string(axis) + " (channels only)");
    std::vector<std::string> inputs;
    for (int i = 0; i < ref.node.input_size(); ++i) inputs.push_back(activation(ref, i).layer);
    add_layer(ref, simple_layer(LayerType::kConcat, {}, std::move(inputs)), rank);
}

void GraphImporter::lower_flatten(const NodeRef& ref) {
    const Value& x = activation(ref, 0);
    std::int64_t axis = int_attribute(ref, "axis", 1);
    if (axis < 0) axis += x.rank;
    if (axis != 1) ref.unsupported("flattening at axis " + std::to_string(axis) + " (axis 1 only)");
    add_layer(ref, simple_layer(LayerType::kFlatten, {}, {x.layer}), 2);
}

// Only a reshape to a flat vector: [1,-1], [1,N], [N], [-1] (or [0,...] copying batch 1).
void GraphImporter::lower_reshape(const NodeRef& ref) {
    const Value& x = activation(ref, 0);
    if (ref.node.input_size() != 2) ref.invalid("expects 2 inputs");
    const std::vector<std::int64_t> shape = integer_values(constant(ref, 1), ref.where);
    const bool copy_batch = !shape.empty() && shape[0] == 0 && int_attribute(ref, "allowzero", 0) == 0;
    const bool flat = shape.size() == 1 ||
                      (shape.size() == 2 && (shape[0] == 1 || shape[0] == -1 || copy_batch));
    if (!flat) ref.unsupported("reshaping to " + int_list_text(shape) + " (only to a flat vector [1,-1], [1,N] or [N])");
    const std::int64_t n = shape_of(x).elements();
    const bool fits = shape.size() == 2 && shape[0] == -1 ? shape[1] == n : (shape.back() == -1 || shape.back() == n);
    if (!fits)
        ref.invalid("cannot reshape " + shape_of(x).str() + " (" + std::to_string(n) + " values) to " + int_list_text(shape));
    add_layer(ref, simple_layer(LayerType::kFlatten, {}, {x.layer}), 2);
}

// Constant-zero spatial padding. Pads are an attribute before opset 11 and an input from then on.
void GraphImporter::lower_pad(const NodeRef& ref) {
    const Value& x = activation(ref, 0);
    if (ref.node.input_size() > 4) ref.invalid("expects at most 4 inputs");
    const std::string mode = string_attribute(ref, "mode", "constant");
    if (mode != "constant") ref.unsupported("mode '" + mode + "'");
    if (has_input(ref.node, 3)) ref.unsupported("the axes input");
    std::vector<std::int64_t> pads;
    if (has_input(ref.node, 1)) {
        pads = integer_values(constant(ref, 1), ref.where);
    } else if (auto attribute = ints_attribute(ref, "pads")) {
        pads = std::move(*attribute);
    } else {
        ref.invalid("pads are missing");
    }
    double value = float_attribute(ref, "value").value_or(0.0);
    if (has_input(ref.node, 2)) value = scalar_value(ref, constant(ref, 2), "constant_value");
    if (value != 0.0) ref.unsupported("padding with " + number(value) + " (zero only)");
    if (pads.size() != 2 * static_cast<std::size_t>(x.rank))
        ref.invalid("pads " + int_list_text(pads) + " must hold 2 values per axis of a rank-" + std::to_string(x.rank) +
                    " input");
    // [n_begin, c_begin, h_begin, w_begin, n_end, c_end, h_end, w_end]
    if (x.rank != 4 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
        ref.unsupported("pads " + int_list_text(pads) + " (spatial padding only)");
    for (const std::size_t i : {std::size_t{2}, std::size_t{3}, std::size_t{6}, std::size_t{7}}) {
        if (pads[i] < 0) ref.unsupported("negative pads " + int_list_text(pads) + " (cropping)");
        if (pads[i] > kMaxExtent) ref.invalid("pads " + int_list_text(pads) + " out of range");
    }
    Layer layer = simple_layer(LayerType::kPad, {}, {x.layer});
    layer.window.pad_top = pads[2];
    layer.window.pad_left = pads[3];
    layer.window.pad_bottom = pads[6];
    layer.window.pad_right = pads[7];
    add_layer(ref, std::move(layer), 4);
}

void GraphImporter::lower_unary(const NodeRef& ref, LayerType type) {
    const Value& x = activation(ref, 0);
    if (type == LayerType::kGlobalAvgPool && x.rank != 4) ref.invalid("expects an (N,C,H,W) input");
    add_layer(ref, simple_layer(type, {}, {x.layer}), x.rank);
}

}  // namespace snnipred::onnx_detail
