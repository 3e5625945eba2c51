#pragma once
// Internal to the ONNX importer: checked reads of node attributes and constant tensors.
// The file may be corrupt, so every reader validates types, counts and ranges and throws
// an error naming the file, the node and the op instead of trusting the protobuf.

#include <onnx/onnx_pb.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snnipred::onnx_detail {

/// Largest element count accepted for any activation or weight tensor. With every extent
/// below this bound, the products formed by shape inference and the cost features
/// (weights times output positions) stay within int64.
inline constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;
/// Largest kernel, stride, pad or group accepted from an attribute or a pads tensor.
inline constexpr std::int64_t kMaxExtent = std::int64_t{1} << 20;
/// Most values read from a constant that is interpreted (Clip bounds, Reshape shape, pads).
inline constexpr std::size_t kMaxSmallValues = 64;

/// A node being lowered and the prefix of its errors: "<file>: node '<name>' op '<Op>'".
struct NodeRef {
    const onnx::NodeProto& node;
    std::string where;

    /// Throws InvalidInput "<where>: <what>".
    [[noreturn]] void invalid(const std::string& what) const;
    /// Throws Unsupported "<where> is not supported[: <what>]".
    [[noreturn]] void unsupported(const std::string& what = {}) const;
};

/// True when input `index` exists and is not the empty name ONNX uses for "absent".
bool has_input(const onnx::NodeProto& node, int index);

/// Null when the node has no attribute `name`.
const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, std::string_view name);
/// Attribute readers return the fallback (or nothing) when absent and throw InvalidInput
/// when the attribute has another type.
std::int64_t int_attribute(const NodeRef& ref, std::string_view name, std::int64_t fallback);
std::optional<double> float_attribute(const NodeRef& ref, std::string_view name);
std::optional<std::vector<std::int64_t>> ints_attribute(const NodeRef& ref, std::string_view name);
std::string string_attribute(const NodeRef& ref, std::string_view name, std::string fallback);

/// The dims of `tensor`; throws InvalidInput (prefixed by `where`) when a dim is negative
/// or the element count exceeds kMaxElements.
std::vector<std::int64_t> tensor_dims(const onnx::TensorProto& tensor, const std::string& where);
/// `values` as "[a,b,c]", for error messages about shapes and attribute lists.
std::string int_list_text(const std::vector<std::int64_t>& values);
std::int64_t tensor_elements(const onnx::TensorProto& tensor, const std::string& where);

/// The values of a small numeric constant (float, double, int32 or int64) as doubles.
/// Throws InvalidInput when the stored data does not match the dims or exceeds
/// `max_count`, Unsupported for other element types or external data.
std::vector<double> real_values(const onnx::TensorProto& tensor, const std::string& where,
                                std::size_t max_count = kMaxSmallValues);
/// Same for an int32 or int64 constant, exactly.
std::vector<std::int64_t> integer_values(const onnx::TensorProto& tensor, const std::string& where,
                                         std::size_t max_count = kMaxSmallValues);

/// The tensor a Constant node defines. Attributes value_float(s) / value_int(s) are
/// converted into a tensor appended to `owned` (whose elements never move).
const onnx::TensorProto& constant_node_tensor(const NodeRef& ref, std::deque<onnx::TensorProto>& owned);

}  // namespace snnipred::onnx_detail
