#pragma once
// Internal to the ONNX importer: lowers one parsed ModelProto to a Network. The graph
// walk (values, naming, constants) lives in onnx_import.cpp, the per-op lowerings in
// onnx_ops.cpp.

#include <onnx/onnx_pb.h>

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "onnx_attributes.h"
#include "snnipred/model/network.h"

namespace snnipred::onnx_detail {

/// What a value name of the graph refers to: an activation produced by a layer of the
/// network, or a constant (initializer or Constant node) of which only the shape matters,
/// except for the few small constants an op interprets (Clip bounds, Reshape shape, pads).
struct Value {
    const onnx::TensorProto* constant = nullptr;  // null for activations
    std::string layer;                            // activation: the producing layer
    int rank = 4;                                 // activation: 4 (N,C,H,W) or 2 (N,C)
};

/// The model in the file at `path` / in `bytes` (`source` names it in errors). Throws
/// InvalidInput when the file is unreadable or not an ONNX model with a graph.
onnx::ModelProto read_model_file(const std::string& path);
onnx::ModelProto parse_model(std::string_view bytes, const std::string& source);

/// Where a weighted layer's parameters sit in the graph and how its op combines them.
/// Tensors point into the model or the importer's own constants.
struct ParameterSource {
    std::string layer;
    LayerType type = LayerType::kConv;
    const onnx::TensorProto* weight = nullptr;  // conv/fc weight; batch-norm gamma
    const onnx::TensorProto* bias = nullptr;    // conv/fc bias (null when unused); batch-norm beta
    const onnx::TensorProto* mean = nullptr;    // batch-norm only
    const onnx::TensorProto* var = nullptr;     // batch-norm only
    bool transposed = false;  // fc weight stored [in][out] (Gemm transB=0, MatMul)
    double alpha = 1.0;       // Gemm: scales the weight
    double beta = 1.0;        // Gemm: scales the bias
    double epsilon = 1e-5;    // batch-norm
};

class GraphImporter {
public:
    /// `model` must outlive the importer; `source` prefixes every error message.
    GraphImporter(const onnx::ModelProto& model, std::string source);

    /// Throws InvalidInput or Unsupported naming the file, node and op.
    Network run();
    /// One entry per conv, fc and batch-norm layer that run() added, in layer order.
    const std::vector<ParameterSource>& parameter_sources() const { return parameters_; }

private:
    // Graph walk (onnx_import.cpp).
    void add_graph_input();
    void collect_constants();
    void lower(std::size_t index);
    NodeRef node_ref(std::size_t index) const;
    const Value& input(const NodeRef& ref, int index) const;
    const Value& activation(const NodeRef& ref, int index) const;
    const onnx::TensorProto& constant(const NodeRef& ref, int index) const;
    const Shape& shape_of(const Value& value) const;
    /// Names, adds (rethrowing IR errors prefixed with the file) and maps output 0 to it.
    void add_layer(const NodeRef& ref, Layer layer, int rank);
    /// Records the parameters of the layer just added.
    void add_parameters(ParameterSource source);
    /// Maps the node's output 0 to an existing value (Identity, Dropout, fused Add).
    void define(const NodeRef& ref, Value value);
    std::string unique_name(const NodeRef& ref);
    /// The Add node (index) that adds a constant bias to MatMul output `name`, if any.
    std::optional<std::size_t> bias_add_of(const std::string& name) const;

    // Per-op lowerings (onnx_ops.cpp).
    void lower_conv(const NodeRef& ref);
    void lower_gemm(const NodeRef& ref);
    void lower_matmul(const NodeRef& ref);
    void lower_pool(const NodeRef& ref, LayerType type);
    void lower_clip(const NodeRef& ref);
    void lower_batch_norm(const NodeRef& ref);
    void lower_add(const NodeRef& ref, std::size_t index);
    void lower_concat(const NodeRef& ref);
    void lower_flatten(const NodeRef& ref);
    void lower_reshape(const NodeRef& ref);
    void lower_pad(const NodeRef& ref);
    void lower_unary(const NodeRef& ref, LayerType type);
    Window read_window(const NodeRef& ref, std::int64_t kernel_h, std::int64_t kernel_w);

    const onnx::GraphProto& graph_;
    std::string source_;
    std::optional<Network> network_;
    std::unordered_map<std::string, Value> values_;
    std::unordered_set<std::string> used_names_;
    std::deque<onnx::TensorProto> owned_constants_;
    /// Nodes fully handled by collect_constants (Constant, Identity of a constant).
    std::unordered_set<std::size_t> constant_nodes_;
    /// Nodes reading each value; kGraphOutput marks a graph output.
    std::unordered_map<std::string, std::vector<std::size_t>> consumers_;
    /// Add nodes folded into the MatMul before them as its bias.
    std::unordered_set<std::size_t> fused_adds_;
    std::vector<ParameterSource> parameters_;
};

}  // namespace snnipred::onnx_detail
