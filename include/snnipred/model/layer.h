#pragma once
// One node of the network IR. A Layer is plain data: its type, the names of the layers
// it reads, the attributes that type uses, and the shapes filled in by shape inference
// when it is added to a Network.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/model/shape.h"

namespace snnipred {

enum class LayerType {
    kInput,
    kConv,            // grouped/depthwise included (groups > 1)
    kFullyConnected,  // Gemm / MatMul on a flat vector
    kMaxPool,
    kAvgPool,
    kGlobalAvgPool,
    kRelu,
    kRelu6,  // clip(x, clip_min, clip_max); ReLU6 when [0, 6]
    // y[c] = s[c] * relu(s[c] * (x[c] + t[c])) with s[c] = +-1 and shift t[c] the server's:
    // relu(x + t) or min(x + t, 0) per channel. What remains of a batch norm folded through
    // its ReLU into the next linear layer (model/preactivation_folding.h).
    kShiftedRelu,
    kBatchNorm,
    kAdd,      // element-wise sum of two equal shapes (residual)
    kConcat,   // along channels
    kFlatten,  // (C,H,W) -> (C*H*W,1,1); also Reshape to a flat vector
    kPad,      // constant-zero spatial padding
    kIdentity, // Identity / Dropout at inference; kept so graphs round-trip
};

/// Stable lower-case name used in JSON, CSV and tables ("conv", "fc", "relu6", ...).
std::string_view layer_type_name(LayerType type);
/// Inverse of layer_type_name; throws InvalidInput on an unknown name.
LayerType parse_layer_type(std::string_view name);

/// How a conv/pool window pads its input. kSame follows TensorFlow/ONNX SAME_UPPER
/// (extra row/column at the bottom/right); it is resolved to explicit pads when the
/// layer is added to a network.
enum class Padding { kExplicit, kSame, kValid };

struct Window {
    std::int64_t kernel_h = 1, kernel_w = 1;
    std::int64_t stride_h = 1, stride_w = 1;
    std::int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
    Padding padding = Padding::kExplicit;
    bool ceil_mode = false;  // pools only: output size rounds up (torchvision SqueezeNet)
    bool operator==(const Window&) const = default;
};

struct Layer {
    std::string name;
    LayerType type = LayerType::kIdentity;
    std::vector<std::string> inputs;

    std::int64_t out_channels = 0;  // conv: filters; fc: outputs
    std::int64_t groups = 1;        // conv only
    bool bias = false;              // conv / fc
    Window window;                  // conv, maxpool, avgpool, pad (pads only)
    double clip_min = 0.0, clip_max = 6.0;  // relu6

    // Filled by Network::add.
    std::vector<Shape> input_shapes;
    Shape output;

    bool operator==(const Layer&) const = default;
};

/// Square-window helpers for building networks in code (zoo, generator, tests).
Layer conv_layer(std::string name, std::string input, std::int64_t out_channels, std::int64_t kernel,
                 std::int64_t stride = 1, std::int64_t pad = 0, std::int64_t groups = 1, bool bias = false);
Layer fc_layer(std::string name, std::string input, std::int64_t outputs, bool bias = true);
Layer pool_layer(LayerType type, std::string name, std::string input, std::int64_t kernel, std::int64_t stride,
                 std::int64_t pad = 0, bool ceil_mode = false);
/// Layers whose only attributes are their type and inputs (relu, bn, add, concat, ...).
Layer simple_layer(LayerType type, std::string name, std::vector<std::string> inputs);

}  // namespace snnipred
