#include "snnipred/model/onnx_weights.h"

#include <cmath>
#include <unordered_map>
#include <utility>

#include "onnx_graph.h"
#include "snnipred/core/error.h"

namespace snnipred {
namespace {

using onnx_detail::ParameterSource;

bool weighted(LayerType type) {
    return type == LayerType::kConv || type == LayerType::kFullyConnected || type == LayerType::kBatchNorm;
}

// Shape-only exports declare dims but store nothing; external data lives in another file.
bool holds_values(const onnx::TensorProto* tensor) {
    if (tensor == nullptr) return true;
    if (tensor->data_location() == onnx::TensorProto::EXTERNAL) return false;
    bool empty = false;
    for (const std::int64_t dim : tensor->dims()) empty = empty || dim == 0;
    return empty || tensor->has_raw_data() || tensor->float_data_size() > 0 || tensor->double_data_size() > 0 ||
           tensor->int32_data_size() > 0 || tensor->int64_data_size() > 0;
}

// Reads the tensors of one layer, checking each against the shape the layer needs.
class LayerReader {
public:
    LayerReader(const std::string& path, const Layer& layer)
        : layer_(layer), where_(path + ": layer '" + layer.name + "'") {}

    // A weight of exactly `expected` dims ([out][in] for a transposed fc weight).
    std::vector<double> weight(const onnx::TensorProto& tensor, const std::vector<std::int64_t>& expected,
                               bool transposed) const {
        std::vector<std::int64_t> dims = onnx_detail::tensor_dims(tensor, where_);
        if (transposed && dims.size() == 2) std::swap(dims[0], dims[1]);
        if (dims != expected) mismatch(tensor, onnx_detail::int_list_text(dims), expected);
        const std::vector<double> values = read(tensor);
        if (!transposed) return values;
        const auto out = static_cast<std::size_t>(expected[0]), in = static_cast<std::size_t>(expected[1]);
        std::vector<double> result(values.size());
        for (std::size_t i = 0; i < in; ++i)
            for (std::size_t o = 0; o < out; ++o) result[o * in + i] = values[i * out + o];
        return result;
    }

    // A per-channel vector of `count` values; a single value is broadcast when allowed.
    std::vector<double> vector(const onnx::TensorProto& tensor, std::int64_t count, bool broadcast) const {
        const std::int64_t elements = onnx_detail::tensor_elements(tensor, where_);
        if (elements != count && !(broadcast && elements == 1))
            mismatch(tensor, onnx_detail::int_list_text(onnx_detail::tensor_dims(tensor, where_)), {count});
        const std::vector<double> values = read(tensor);
        return elements == count ? values : std::vector<double>(static_cast<std::size_t>(count), values.front());
    }

    [[noreturn]] void fail(const std::string& what) const { throw InvalidInput(where_ + ": " + what); }

private:
    std::vector<double> read(const onnx::TensorProto& tensor) const {
        return onnx_detail::real_values(tensor, where_, static_cast<std::size_t>(onnx_detail::kMaxElements));
    }

    [[noreturn]] void mismatch(const onnx::TensorProto& tensor, const std::string& actual,
                               const std::vector<std::int64_t>& expected) const {
        fail("initializer '" + tensor.name() + "' has shape " + actual + ", the " +
             std::string(layer_type_name(layer_.type)) + " layer expects " + onnx_detail::int_list_text(expected));
    }

    const Layer& layer_;
    std::string where_;
};

LayerParameters read_layer(const std::string& path, const Layer& layer, const ParameterSource& source) {
    const LayerReader reader(path, layer);
    const std::int64_t out = layer.out_channels;
    LayerParameters params;
    if (layer.type == LayerType::kBatchNorm) {
        const std::int64_t c = layer.output.c;
        const std::vector<double> gamma = reader.vector(*source.weight, c, false);
        const std::vector<double> beta = reader.vector(*source.bias, c, false);
        const std::vector<double> mean = reader.vector(*source.mean, c, false);
        const std::vector<double> var = reader.vector(*source.var, c, false);
        for (std::size_t i = 0; i < gamma.size(); ++i) {
            const double scale = gamma[i] / std::sqrt(var[i] + source.epsilon);
            params.weight.push_back(scale);
            params.bias.push_back(beta[i] - mean[i] * scale);
        }
        return params;
    }
    if (layer.bias != (source.bias != nullptr))
        reader.fail(std::string(layer.bias ? "has a bias in the network but not in the file"
                                           : "has a bias in the file but not in the network"));
    const Shape& in = layer.input_shapes.front();
    const std::vector<std::int64_t> expected =
        layer.type == LayerType::kConv
            ? std::vector<std::int64_t>{out, in.c / layer.groups, layer.window.kernel_h, layer.window.kernel_w}
            : std::vector<std::int64_t>{out, in.elements()};
    params.weight = reader.weight(*source.weight, expected, source.transposed);
    for (double& v : params.weight) v *= source.alpha;
    if (source.bias != nullptr) {
        params.bias = reader.vector(*source.bias, out, layer.type == LayerType::kFullyConnected);
        for (double& v : params.bias) v *= source.beta;
    }
    return params;
}

}  // namespace

std::optional<std::vector<LayerParameters>> onnx_parameters(const std::string& path, const Network& network) {
    const onnx::ModelProto model = onnx_detail::read_model_file(path);
    onnx_detail::GraphImporter importer(model, path);
    importer.run();
    std::unordered_map<std::string, const ParameterSource*> sources;
    for (const ParameterSource& source : importer.parameter_sources()) sources.emplace(source.layer, &source);

    std::vector<LayerParameters> params(network.layers().size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Layer& layer = network.layers()[i];
        if (!weighted(layer.type)) continue;
        const auto it = sources.find(layer.name);
        SNNIPRED_CHECK(it != sources.end() && it->second->type == layer.type, InvalidInput,
                       path + ": the file has no " + std::string(layer_type_name(layer.type)) + " layer '" +
                           layer.name + "'");
        const ParameterSource& source = *it->second;
        for (const onnx::TensorProto* tensor : {source.weight, source.bias, source.mean, source.var})
            if (!holds_values(tensor)) return std::nullopt;
        params[i] = read_layer(path, layer, source);
    }
    return params;
}

}  // namespace snnipred
