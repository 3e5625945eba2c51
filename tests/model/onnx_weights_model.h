#pragma once
// Test helper (tests/model and tests/engine): a small ONNX model whose initializers hold
// known values: conv 3x3 pad 1 with bias -> batch norm -> relu -> flatten -> Gemm with
// transB=0 (weight stored [in][out]), alpha and beta != 1.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace snnipred::test_support {

struct WeightsModel {
    static constexpr std::int64_t kChannels = 2, kSide = 4, kFilters = 3, kOutputs = 4;
    static constexpr std::int64_t kFlat = kFilters * kSide * kSide;
    static constexpr double kEpsilon = 0.25, kAlpha = 0.5, kBeta = 2.0;

    std::string path;
    // The initializers' values, exactly as stored.
    std::vector<double> conv_weight, conv_bias, gamma, beta, mean, var;
    std::vector<double> fc_weight;  // [kFlat][kOutputs], as stored for transB=0
    std::vector<double> fc_bias;
};

namespace detail {

// Multiples of 1/64 in [-0.5, 0.5]: exact in float and in the ring at any scale >= 6.
inline std::vector<double> pattern(std::size_t count, int salt) {
    std::vector<double> values(count);
    for (std::size_t i = 0; i < count; ++i)
        values[i] = static_cast<double>((static_cast<int>(i) * 7 + salt) % 65 - 32) / 64;
    return values;
}

inline void add_tensor(onnx::GraphProto& graph, const std::string& name, const std::vector<std::int64_t>& dims,
                       const std::vector<double>& values, bool with_values) {
    onnx::TensorProto* tensor = graph.add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    for (const std::int64_t dim : dims) tensor->add_dims(dim);
    if (with_values)
        for (const double v : values) tensor->add_float_data(static_cast<float>(v));
}

inline onnx::NodeProto& add_node(onnx::GraphProto& graph, const std::string& op, const std::string& name,
                                 const std::vector<std::string>& inputs) {
    onnx::NodeProto& node = *graph.add_node();
    node.set_op_type(op);
    node.set_name(name);
    for (const std::string& input : inputs) node.add_input(input);
    node.add_output(name + "_out");
    return node;
}

inline void add_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& ints) {
    onnx::AttributeProto& attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::INTS);
    for (const std::int64_t v : ints) attribute.add_ints(v);
}

inline void add_attribute(onnx::NodeProto& node, const std::string& name, double value) {
    onnx::AttributeProto& attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::FLOAT);
    attribute.set_f(static_cast<float>(value));
}

}  // namespace detail

/// Writes the model to `path`. Without values, the initializers carry their dims only (a
/// shape-only export).
inline WeightsModel write_weights_model(const std::string& path, bool with_values = true) {
    using M = WeightsModel;
    WeightsModel m;
    m.path = path;
    m.conv_weight = detail::pattern(M::kFilters * M::kChannels * 9, 1);
    m.conv_bias = detail::pattern(M::kFilters, 2);
    m.gamma = {0.75, 1.25, 1.5};
    m.beta = detail::pattern(M::kFilters, 3);
    m.mean = detail::pattern(M::kFilters, 4);
    m.var = {0.75, 2.25, 0.0};  // var + epsilon: 1, 2.5, 0.25
    m.fc_weight = detail::pattern(M::kFlat * M::kOutputs, 5);
    m.fc_bias = detail::pattern(M::kOutputs, 6);

    onnx::ModelProto model;
    model.set_ir_version(7);
    model.add_opset_import()->set_version(13);
    onnx::GraphProto& graph = *model.mutable_graph();
    onnx::ValueInfoProto& input = *graph.add_input();
    input.set_name("x");
    auto& type = *input.mutable_type()->mutable_tensor_type();
    type.set_elem_type(onnx::TensorProto::FLOAT);
    for (const std::int64_t dim : {std::int64_t{1}, M::kChannels, M::kSide, M::kSide})
        type.mutable_shape()->add_dim()->set_dim_value(dim);

    detail::add_tensor(graph, "conv_w", {M::kFilters, M::kChannels, 3, 3}, m.conv_weight, with_values);
    detail::add_tensor(graph, "conv_b", {M::kFilters}, m.conv_bias, with_values);
    detail::add_tensor(graph, "gamma", {M::kFilters}, m.gamma, with_values);
    detail::add_tensor(graph, "beta", {M::kFilters}, m.beta, with_values);
    detail::add_tensor(graph, "mean", {M::kFilters}, m.mean, with_values);
    detail::add_tensor(graph, "var", {M::kFilters}, m.var, with_values);
    detail::add_tensor(graph, "fc_w", {M::kFlat, M::kOutputs}, m.fc_weight, with_values);
    detail::add_tensor(graph, "fc_b", {M::kOutputs}, m.fc_bias, with_values);

    onnx::NodeProto& conv = detail::add_node(graph, "Conv", "conv", {"x", "conv_w", "conv_b"});
    detail::add_attribute(conv, "pads", {1, 1, 1, 1});
    onnx::NodeProto& bn =
        detail::add_node(graph, "BatchNormalization", "bn", {"conv_out", "gamma", "beta", "mean", "var"});
    detail::add_attribute(bn, "epsilon", M::kEpsilon);
    detail::add_node(graph, "Relu", "relu", {"bn_out"});
    detail::add_node(graph, "Flatten", "flatten", {"relu_out"});
    onnx::NodeProto& fc = detail::add_node(graph, "Gemm", "fc", {"flatten_out", "fc_w", "fc_b"});
    detail::add_attribute(fc, "alpha", M::kAlpha);
    detail::add_attribute(fc, "beta", M::kBeta);
    graph.add_output()->set_name("fc_out");

    std::ofstream(path, std::ios::binary) << model.SerializeAsString();
    return m;
}

}  // namespace snnipred::test_support
