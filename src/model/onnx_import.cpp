#include "snnipred/model/onnx_import.h"

#include <climits>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "onnx_graph.h"
#include "snnipred/core/error.h"

namespace snnipred {
namespace onnx_detail {
namespace {

constexpr std::size_t kGraphOutput = static_cast<std::size_t>(-1);

bool default_domain(const onnx::NodeProto& node) { return node.domain().empty() || node.domain() == "ai.onnx"; }

// Product of the dims, or -1 when it exceeds kMaxElements (each dim is at most kMaxElements).
std::int64_t bounded_elements(const Shape& shape) {
    std::int64_t count = 1;
    for (const std::int64_t dim : {shape.c, shape.h, shape.w}) {
        if (dim > kMaxElements) return -1;
        count *= dim;
        if (count > kMaxElements) return -1;
    }
    return count;
}

std::string network_name(const std::string& source, const onnx::GraphProto& graph) {
    const std::string stem = std::filesystem::path(source).stem().string();
    if (!stem.empty()) return stem;
    return graph.name().empty() ? "onnx" : graph.name();
}

}  // namespace

GraphImporter::GraphImporter(const onnx::ModelProto& model, std::string source)
    : graph_(model.graph()), source_(std::move(source)) {}

Network GraphImporter::run() {
    add_graph_input();
    collect_constants();
    for (std::size_t i = 0; i < static_cast<std::size_t>(graph_.node_size()); ++i) lower(i);
    if (network_->layers().size() < 2) throw InvalidInput(source_ + ": the graph computes nothing from its input");
    return std::move(*network_);
}

// The first graph input that is not an initializer (IR < 4 lists initializers as inputs).
void GraphImporter::add_graph_input() {
    std::unordered_set<std::string> initializers;
    for (const onnx::TensorProto& tensor : graph_.initializer()) initializers.insert(tensor.name());
    const onnx::ValueInfoProto* info = nullptr;
    for (const onnx::ValueInfoProto& candidate : graph_.input()) {
        if (!initializers.contains(candidate.name())) {
            info = &candidate;
            break;
        }
    }
    if (info == nullptr || info->name().empty())
        throw InvalidInput(source_ + ": the graph has no named input besides its initializers");
    const std::string where = source_ + ": graph input '" + info->name() + "'";
    if (!info->type().has_tensor_type() || !info->type().tensor_type().has_shape())
        throw InvalidInput(where + " has no tensor shape");
    const auto& dims = info->type().tensor_type().shape().dim();
    const int rank = dims.size();
    if (rank < 2 || rank > 4) throw InvalidInput(where + " must have shape (N,C,H,W), (N,C) or (C,H,W)");
    const bool batched = rank != 3;
    std::vector<std::int64_t> extents;
    for (int i = 0; i < rank; ++i) {
        const auto& dim = dims.Get(i);
        // A symbolic batch dimension (dynamic axes at export) is run with batch 1.
        const std::int64_t value = dim.has_dim_value() ? dim.dim_value() : (batched && i == 0 ? 1 : -1);
        if (value <= 0 || value > kMaxElements)
            throw InvalidInput(where + ": dimension " + std::to_string(i) + " must be a positive number, got " +
                               (dim.has_dim_value() ? std::to_string(value) : "'" + dim.dim_param() + "'"));
        extents.push_back(value);
    }
    if (batched && extents.front() != 1)
        throw InvalidInput(where + ": batch size must be 1, got " + std::to_string(extents.front()));
    if (batched) extents.erase(extents.begin());
    const Shape shape{extents[0], extents.size() > 1 ? extents[1] : 1, extents.size() > 2 ? extents[2] : 1};
    if (bounded_elements(shape) < 0)
        throw InvalidInput(where + ": shape " + shape.str() + " exceeds " + std::to_string(kMaxElements) +
                           " elements");
    network_.emplace(network_name(source_, graph_), shape, info->name());
    used_names_.insert(info->name());
    values_.emplace(info->name(), Value{nullptr, info->name(), rank == 2 ? 2 : 4});
}

// Pass 1: every constant (initializers, Constant nodes, Identity/Dropout of a constant)
// and the consumers of every value, so that a MatMul can see the Add of its bias ahead.
void GraphImporter::collect_constants() {
    for (const onnx::TensorProto& tensor : graph_.initializer()) {
        if (tensor.name().empty()) continue;  // unreachable by any node
        if (!values_.emplace(tensor.name(), Value{&tensor, {}, 0}).second)
            throw InvalidInput(source_ + ": initializer '" + tensor.name() + "' is defined twice");
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(graph_.node_size()); ++i) {
        const onnx::NodeProto& node = graph_.node(static_cast<int>(i));
        for (const std::string& name : node.input())
            if (!name.empty()) consumers_[name].push_back(i);
        if (!default_domain(node)) continue;
        if (node.op_type() == "Constant") {
            const NodeRef ref = node_ref(i);
            define(ref, Value{&constant_node_tensor(ref, owned_constants_), {}, 0});
            constant_nodes_.insert(i);
        } else if ((node.op_type() == "Identity" || node.op_type() == "Dropout") && has_input(node, 0)) {
            const auto it = values_.find(node.input(0));
            if (it == values_.end() || it->second.constant == nullptr) continue;
            define(node_ref(i), it->second);
            constant_nodes_.insert(i);
        }
    }
    for (const onnx::ValueInfoProto& output : graph_.output()) consumers_[output.name()].push_back(kGraphOutput);
}

// Pass 2: one node in graph order.
void GraphImporter::lower(std::size_t index) {
    if (constant_nodes_.contains(index)) return;
    const NodeRef ref = node_ref(index);
    if (!default_domain(ref.node)) ref.unsupported("domain '" + ref.node.domain() + "'");
    const std::string& op = ref.node.op_type();
    if (op == "Conv") lower_conv(ref);
    else if (op == "Gemm") lower_gemm(ref);
    else if (op == "MatMul") lower_matmul(ref);
    else if (op == "MaxPool") lower_pool(ref, LayerType::kMaxPool);
    else if (op == "AveragePool") lower_pool(ref, LayerType::kAvgPool);
    else if (op == "GlobalAveragePool") lower_unary(ref, LayerType::kGlobalAvgPool);
    else if (op == "Relu") lower_unary(ref, LayerType::kRelu);
    else if (op == "Clip") lower_clip(ref);
    else if (op == "BatchNormalization") lower_batch_norm(ref);
    else if (op == "Add") lower_add(ref, index);
    else if (op == "Concat") lower_concat(ref);
    else if (op == "Flatten") lower_flatten(ref);
    else if (op == "Reshape") lower_reshape(ref);
    else if (op == "Pad") lower_pad(ref);
    else if (op == "Identity" || op == "Dropout") define(ref, activation(ref, 0));
    else ref.unsupported();
}

NodeRef GraphImporter::node_ref(std::size_t index) const {
    const onnx::NodeProto& node = graph_.node(static_cast<int>(index));
    std::string name = node.name();
    if (name.empty() && node.output_size() > 0) name = node.output(0);
    if (name.empty()) name.append("#").append(std::to_string(index));
    return NodeRef{node, source_ + ": node '" + name + "' op '" + node.op_type() + "'"};
}

const Value& GraphImporter::input(const NodeRef& ref, int index) const {
    if (!has_input(ref.node, index)) ref.invalid("input " + std::to_string(index) + " is missing");
    const std::string& name = ref.node.input(index);
    const auto it = values_.find(name);
    if (it == values_.end())
        ref.invalid("input '" + name + "' is not the graph input, an initializer or the output of an earlier node");
    return it->second;
}

const Value& GraphImporter::activation(const NodeRef& ref, int index) const {
    const Value& value = input(ref, index);
    if (value.constant != nullptr)
        ref.unsupported("input '" + ref.node.input(index) + "' is a constant where an activation is expected");
    return value;
}

const onnx::TensorProto& GraphImporter::constant(const NodeRef& ref, int index) const {
    const Value& value = input(ref, index);
    if (value.constant == nullptr)
        ref.unsupported("input '" + ref.node.input(index) + "' is computed where a constant is expected");
    return *value.constant;
}

const Shape& GraphImporter::shape_of(const Value& value) const { return network_->find(value.layer)->output; }

void GraphImporter::add_layer(const NodeRef& ref, Layer layer, int rank) {
    layer.name = unique_name(ref);
    const std::string name = layer.name;
    try {
        network_->add(std::move(layer));
    } catch (const InvalidInput& error) {
        throw InvalidInput(source_ + ": " + error.what());
    }
    const Shape& out = network_->output().output;
    if (bounded_elements(out) < 0)
        ref.invalid("output shape " + out.str() + " exceeds " + std::to_string(kMaxElements) + " elements");
    define(ref, Value{nullptr, name, rank});
}

void GraphImporter::add_parameters(ParameterSource source) {
    source.layer = network_->output().name;
    source.type = network_->output().type;
    parameters_.push_back(std::move(source));
}

void GraphImporter::define(const NodeRef& ref, Value value) {
    if (ref.node.output_size() < 1 || ref.node.output(0).empty()) ref.invalid("the node has no output");
    const std::string& name = ref.node.output(0);
    if (!values_.emplace(name, std::move(value)).second) ref.invalid("output '" + name + "' is already defined");
}

std::string GraphImporter::unique_name(const NodeRef& ref) {
    std::string base = ref.node.name();
    if (base.empty() && ref.node.output_size() > 0) base = ref.node.output(0);
    if (base.empty()) base = ref.node.op_type().empty() ? "node" : ref.node.op_type();
    std::string name = base;
    for (int suffix = 2; used_names_.contains(name); ++suffix) name = base + "_" + std::to_string(suffix);
    used_names_.insert(name);
    return name;
}

std::optional<std::size_t> GraphImporter::bias_add_of(const std::string& name) const {
    const auto users = consumers_.find(name);
    if (users == consumers_.end() || users->second.size() != 1 || users->second.front() == kGraphOutput)
        return std::nullopt;
    const std::size_t index = users->second.front();
    const onnx::NodeProto& node = graph_.node(static_cast<int>(index));
    if (node.op_type() != "Add" || !default_domain(node) || node.input_size() != 2) return std::nullopt;
    const std::string& other = node.input(0) == name ? node.input(1) : node.input(0);
    const auto it = values_.find(other);
    if (other == name || it == values_.end() || it->second.constant == nullptr) return std::nullopt;
    return index;
}

onnx::ModelProto read_model_file(const std::string& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw InvalidInput(path + ": no such file (or not a regular file)");
    std::ifstream file(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file.is_open() || file.bad()) throw InvalidInput(path + ": cannot read the file");
    return parse_model(bytes, path);
}

onnx::ModelProto parse_model(std::string_view bytes, const std::string& source) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        throw InvalidInput(source + ": larger than 2 GiB, which protobuf cannot parse");
    onnx::ModelProto model;
    if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        throw InvalidInput(source + ": not a valid ONNX model (protobuf parsing failed: truncated or corrupt?)");
    if (!model.has_graph()) throw InvalidInput(source + ": the model has no graph");
    return model;
}

}  // namespace onnx_detail

Network import_onnx_file(const std::string& path) {
    const onnx::ModelProto model = onnx_detail::read_model_file(path);
    return onnx_detail::GraphImporter(model, path).run();
}

Network import_onnx_bytes(std::string_view bytes, const std::string& source) {
    const onnx::ModelProto model = onnx_detail::parse_model(bytes, source);
    return onnx_detail::GraphImporter(model, source).run();
}

}  // namespace snnipred
