#pragma once
// The trained parameters of an ONNX model (its initializers and Constant nodes), mapped to
// the layers import_onnx_file makes of it.

#include <optional>
#include <string>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/model/parameters.h"

namespace snnipred {

/// Real parameters for every layer of `network`, read from the ONNX file at `path` (whose
/// import must contain each conv, fc and batch-norm layer of `network` under the same name).
/// Gemm/MatMul weights are transposed to [out][in] and scaled by alpha (bias by beta);
/// batch norm is reduced to scale = gamma / sqrt(var + epsilon), shift = beta - mean * scale.
/// Returns std::nullopt when some tensor of a weighted layer holds no values in the file
/// (a shape-only model, or external data). Throws what import_onnx_file throws, and
/// InvalidInput naming the file, the layer and both shapes when a tensor's shape does not fit
/// its layer in `network` (or a layer of `network` has no counterpart in the file);
/// Unsupported for element types other than float, double, int32 and int64.
std::optional<std::vector<LayerParameters>> onnx_parameters(const std::string& path, const Network& network);

}  // namespace snnipred
