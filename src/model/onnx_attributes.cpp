#include "onnx_attributes.h"

#include <cstring>

#include "snnipred/core/error.h"

namespace snnipred::onnx_detail {
namespace {

const onnx::AttributeProto* typed_attribute(const NodeRef& ref, std::string_view name,
                                            onnx::AttributeProto::AttributeType type, const char* type_name) {
    const onnx::AttributeProto* attribute = find_attribute(ref.node, name);
    if (attribute != nullptr && attribute->type() != type)
        ref.invalid("attribute '" + std::string(name) + "' must be of type " + type_name);
    return attribute;
}

std::string constant_label(const onnx::TensorProto& tensor) {
    return tensor.name().empty() ? std::string("constant") : "constant '" + tensor.name() + "'";
}

std::string list_dims(const onnx::TensorProto& tensor) {
    std::string text = "[";
    for (int i = 0; i < tensor.dims_size(); ++i) {
        if (i > 0) text += ',';
        text += std::to_string(tensor.dims(i));
    }
    return text + "]";
}

// Element size of the types whose values the importer can read; 0 for the others.
std::size_t element_size(std::int32_t data_type) {
    switch (data_type) {
        case onnx::TensorProto::FLOAT:
        case onnx::TensorProto::INT32: return 4;
        case onnx::TensorProto::DOUBLE:
        case onnx::TensorProto::INT64: return 8;
        default: return 0;
    }
}

template <typename T, typename Out>
void append_raw(const std::string& raw, std::vector<Out>& out) {
    for (std::size_t offset = 0; offset + sizeof(T) <= raw.size(); offset += sizeof(T)) {
        T value;
        std::memcpy(&value, raw.data() + offset, sizeof(T));  // raw_data is little-endian, as is the host
        out.push_back(static_cast<Out>(value));
    }
}

template <typename Out>
std::vector<Out> read_values(const onnx::TensorProto& tensor, const std::string& where, std::size_t max_count) {
    const std::string what = where + ": " + constant_label(tensor);
    if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
        throw Unsupported(what + " stores its values in an external file, which is not supported");
    const std::size_t size = element_size(tensor.data_type());
    if (size == 0)
        throw Unsupported(what + " has element type " + std::to_string(tensor.data_type()) +
                          ", which is not supported (float, double, int32, int64 only)");
    const std::int64_t count = tensor_elements(tensor, where);
    if (static_cast<std::uint64_t>(count) > max_count)
        throw InvalidInput(what + " has " + std::to_string(count) + " values, expected at most " +
                           std::to_string(max_count));
    std::vector<Out> values;
    if (tensor.has_raw_data()) {
        if (tensor.raw_data().size() != static_cast<std::size_t>(count) * size)
            throw InvalidInput(what + ": raw data of " + std::to_string(tensor.raw_data().size()) +
                               " bytes does not match dims " + list_dims(tensor));
        switch (tensor.data_type()) {
            case onnx::TensorProto::FLOAT: append_raw<float>(tensor.raw_data(), values); break;
            case onnx::TensorProto::INT32: append_raw<std::int32_t>(tensor.raw_data(), values); break;
            case onnx::TensorProto::DOUBLE: append_raw<double>(tensor.raw_data(), values); break;
            default: append_raw<std::int64_t>(tensor.raw_data(), values); break;
        }
    } else {
        switch (tensor.data_type()) {
            case onnx::TensorProto::FLOAT: values.assign(tensor.float_data().begin(), tensor.float_data().end()); break;
            case onnx::TensorProto::INT32: values.assign(tensor.int32_data().begin(), tensor.int32_data().end()); break;
            case onnx::TensorProto::DOUBLE:
                values.assign(tensor.double_data().begin(), tensor.double_data().end());
                break;
            default: values.assign(tensor.int64_data().begin(), tensor.int64_data().end()); break;
        }
        if (values.size() != static_cast<std::size_t>(count))
            throw InvalidInput(what + " holds " + std::to_string(values.size()) + " values but its dims " +
                               list_dims(tensor) + " need " + std::to_string(count));
    }
    return values;
}

}  // namespace

void NodeRef::invalid(const std::string& what) const { throw InvalidInput(where + ": " + what); }

void NodeRef::unsupported(const std::string& what) const {
    throw Unsupported(where + " is not supported" + (what.empty() ? "" : ": " + what));
}

bool has_input(const onnx::NodeProto& node, int index) {
    return index >= 0 && index < node.input_size() && !node.input(index).empty();
}

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, std::string_view name) {
    for (const onnx::AttributeProto& attribute : node.attribute())
        if (attribute.name() == name) return &attribute;
    return nullptr;
}

std::int64_t int_attribute(const NodeRef& ref, std::string_view name, std::int64_t fallback) {
    const onnx::AttributeProto* attribute = typed_attribute(ref, name, onnx::AttributeProto::INT, "INT");
    return attribute != nullptr ? attribute->i() : fallback;
}

std::optional<double> float_attribute(const NodeRef& ref, std::string_view name) {
    const onnx::AttributeProto* attribute = typed_attribute(ref, name, onnx::AttributeProto::FLOAT, "FLOAT");
    if (attribute == nullptr) return std::nullopt;
    return attribute->f();
}

std::optional<std::vector<std::int64_t>> ints_attribute(const NodeRef& ref, std::string_view name) {
    const onnx::AttributeProto* attribute = typed_attribute(ref, name, onnx::AttributeProto::INTS, "INTS");
    if (attribute == nullptr) return std::nullopt;
    return std::vector<std::int64_t>(attribute->ints().begin(), attribute->ints().end());
}

std::string string_attribute(const NodeRef& ref, std::string_view name, std::string fallback) {
    const onnx::AttributeProto* attribute = typed_attribute(ref, name, onnx::AttributeProto::STRING, "STRING");
    return attribute != nullptr ? attribute->s() : fallback;
}

std::string int_list_text(const std::vector<std::int64_t>& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) text += ',';
        text += std::to_string(values[i]);
    }
    return text + "]";
}

std::vector<std::int64_t> tensor_dims(const onnx::TensorProto& tensor, const std::string& where) {
    std::vector<std::int64_t> dims;
    std::int64_t count = 1;
    for (const std::int64_t dim : tensor.dims()) {
        if (dim < 0 || dim > kMaxElements || (dim > 0 && count > kMaxElements / dim))
            throw InvalidInput(where + ": " + constant_label(tensor) + " has dims " + list_dims(tensor) +
                               " (negative, or more than " + std::to_string(kMaxElements) + " elements)");
        count *= dim;
        dims.push_back(dim);
    }
    return dims;
}

std::int64_t tensor_elements(const onnx::TensorProto& tensor, const std::string& where) {
    std::int64_t count = 1;
    for (const std::int64_t dim : tensor_dims(tensor, where)) count *= dim;
    return count;
}

std::vector<double> real_values(const onnx::TensorProto& tensor, const std::string& where, std::size_t max_count) {
    return read_values<double>(tensor, where, max_count);
}

std::vector<std::int64_t> integer_values(const onnx::TensorProto& tensor, const std::string& where,
                                         std::size_t max_count) {
    if (tensor.data_type() != onnx::TensorProto::INT64 && tensor.data_type() != onnx::TensorProto::INT32)
        throw InvalidInput(where + ": " + constant_label(tensor) + " must hold int32 or int64 values");
    return read_values<std::int64_t>(tensor, where, max_count);
}

const onnx::TensorProto& constant_node_tensor(const NodeRef& ref, std::deque<onnx::TensorProto>& owned) {
    if (ref.node.attribute_size() != 1) ref.invalid("a Constant node needs exactly one value attribute");
    const onnx::AttributeProto& attribute = ref.node.attribute(0);
    const std::string& name = attribute.name();
    onnx::TensorProto tensor;
    if (name == "value" && attribute.type() == onnx::AttributeProto::TENSOR) {
        return attribute.t();
    } else if (name == "value_float" && attribute.type() == onnx::AttributeProto::FLOAT) {
        tensor.set_data_type(onnx::TensorProto::FLOAT);
        tensor.add_float_data(attribute.f());
    } else if (name == "value_int" && attribute.type() == onnx::AttributeProto::INT) {
        tensor.set_data_type(onnx::TensorProto::INT64);
        tensor.add_int64_data(attribute.i());
    } else if (name == "value_floats" && attribute.type() == onnx::AttributeProto::FLOATS) {
        tensor.set_data_type(onnx::TensorProto::FLOAT);
        tensor.add_dims(attribute.floats_size());
        *tensor.mutable_float_data() = attribute.floats();
    } else if (name == "value_ints" && attribute.type() == onnx::AttributeProto::INTS) {
        tensor.set_data_type(onnx::TensorProto::INT64);
        tensor.add_dims(attribute.ints_size());
        *tensor.mutable_int64_data() = attribute.ints();
    } else {
        ref.unsupported("constant attribute '" + name + "' of type " + std::to_string(attribute.type()));
    }
    return owned.emplace_back(std::move(tensor));
}

}  // namespace snnipred::onnx_detail
