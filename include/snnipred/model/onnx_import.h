#pragma once
// ONNX import (Debian's libonnx protobuf bindings). Supported ops: Conv, Gemm, MatMul,
// MaxPool, AveragePool, GlobalAveragePool, Relu, Clip, BatchNormalization, Add, Concat,
// Flatten, Reshape, Pad, Identity, Dropout, Constant.

#include <string>
#include <string_view>

#include "snnipred/model/network.h"

namespace snnipred {

/// Reads an ONNX model file. Throws InvalidInput (unreadable, truncated or malformed file,
/// shapes that do not fit) or Unsupported (an op or attribute with no lowering), naming the
/// file, the node and the op.
Network import_onnx_file(const std::string& path);

/// Same, from the serialized bytes; `source` names the input in error messages.
Network import_onnx_bytes(std::string_view bytes, const std::string& source);

}  // namespace snnipred
